"""Render a Plan as an A4 PDF with ReportLab.

Read on phones as often as on paper: 12 pt body, one column, clickable links and phone
numbers, bookmarks per section, "Page x of y". Each parental-control step and each agreement
rule has a tick box a parent can tick in a PDF viewer (a form field) or with a pen on paper.
Fonts are DejaVu Sans shipped in plan/fonts (Latin, Greek and Cyrillic names show; characters
the font lacks, such as emoji, print as blanks rather than failing). Output is byte-identical
for the same plan (ReportLab's invariant mode), and the PDF's metadata holds only the plan's
title: never a child's name.
"""
from __future__ import annotations

import functools
import re
import unicodedata
from io import BytesIO
from pathlib import Path
from typing import Callable
from xml.sax.saxutils import escape, quoteattr

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.acroform import AcroForm
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas as rl_canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    Image,
    KeepInFrame,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
)

from plan import model
from plan.builder import format_date

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT, FONT_BOLD = "PlanSans", "PlanSans-Bold"
BODY_SIZE = 12
INK = colors.HexColor("#1f2933")
ACCENT = colors.HexColor("#0b5563")
LINK = colors.HexColor("#0b4f8a")
WARM = colors.HexColor("#fff4e0")
CALM = colors.HexColor("#e8f3f4")
MARGIN = 20 * mm
PAGE_BREAK_BEFORE = ("first-steps", "if-something-happens", "home", "near-you", "help", "sources")
TICK_BOX = 5 * mm  # tick boxes at 12 pt body text; they grow with large print
TICK_GAP = 8  # points between a tick box and its text


def tick_box_size(font_size: float) -> float:
    return TICK_BOX * font_size / BODY_SIZE


class _TickForm(AcroForm):
    """ReportLab's PDF form, drawing each tick-box appearance (empty, ticked; normal, pressed,
    hover) once per document: every box of a size looks the same, and ReportLab would otherwise
    draw all six again for each box (about a tenth of the render time of a large plan)."""

    def __init__(self, canv: rl_canvas.Canvas):
        super().__init__(canv)
        self._appearances: dict[tuple, object] = {}

    def checkboxAP(self, key: str, value: str, **options: object) -> object:  # noqa: N802 (ReportLab's name)
        cache_key = (key, value, tuple(sorted((name, repr(v)) for name, v in options.items())))
        if cache_key not in self._appearances:
            self._appearances[cache_key] = super().checkboxAP(key, value, **options)
        return self._appearances[cache_key]


def _tick_form(canv: rl_canvas.Canvas) -> AcroForm:
    """The canvas's form, made and registered in the document catalogue the way ReportLab's own
    `canvas.acroForm` does it, but as a `_TickForm`."""
    if not hasattr(canv, "AcroForm"):
        canv.AcroForm = canv._doc._catalog.AcroForm = _TickForm(canv)
    return canv.AcroForm


@functools.cache
def register_fonts() -> None:
    pdfmetrics.registerFont(TTFont(FONT, str(FONT_DIR / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, str(FONT_DIR / "DejaVuSans-Bold.ttf")))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD)


@functools.cache
def styles(accent_hex: str = "#0b5563", size: float = BODY_SIZE) -> dict[str, ParagraphStyle]:
    """The style sheet at body `size` (12 pt; large print 16 pt), in the host's colour when
    there is one. Cached per colour and size."""
    register_fonts()
    accent = colors.HexColor(accent_hex)
    body = ParagraphStyle("body", fontName=FONT, fontSize=size, leading=size * 1.4,
                          textColor=INK, alignment=TA_LEFT, spaceAfter=6,
                          bulletFontName=FONT, bulletFontSize=size)
    scale = size / BODY_SIZE
    return {
        "body": body,
        "title": ParagraphStyle("title", parent=body, fontName=FONT_BOLD, fontSize=26 * scale, leading=32 * scale,
                                textColor=accent, spaceAfter=14),
        "h1": ParagraphStyle("h1", parent=body, fontName=FONT_BOLD, fontSize=19 * scale, leading=24 * scale,
                             textColor=accent, spaceBefore=6, spaceAfter=10, keepWithNext=1),
        "h2": ParagraphStyle("h2", parent=body, fontName=FONT_BOLD, fontSize=15 * scale, leading=19 * scale,
                             textColor=accent, spaceBefore=10, spaceAfter=6, keepWithNext=1),
        "h3": ParagraphStyle("h3", parent=body, fontName=FONT_BOLD, fontSize=size, leading=size * 1.35,
                             spaceBefore=6, spaceAfter=3),
        "h3-tick": ParagraphStyle("h3-tick", parent=body, fontName=FONT_BOLD, fontSize=size, leading=size * 1.35,
                                  spaceBefore=6, spaceAfter=3, leftIndent=tick_box_size(size) + TICK_GAP + 2),
        "lead": ParagraphStyle("lead", parent=body),
        "bullet": ParagraphStyle("bullet", parent=body, leftIndent=18, bulletIndent=4, spaceAfter=3),
        "tick": ParagraphStyle("tick", parent=body, leftIndent=tick_box_size(size) + TICK_GAP + 2, spaceAfter=5),
        "route": ParagraphStyle("route", parent=body, backColor=CALM, borderPadding=(4, 6, 4, 6),
                                spaceBefore=8, spaceAfter=8),
        "callout": ParagraphStyle("callout", parent=body, backColor=CALM, borderPadding=(4, 6, 4, 6),
                                  spaceBefore=6, spaceAfter=10),
        "warning": ParagraphStyle("warning", parent=body, backColor=WARM, borderPadding=(4, 6, 4, 6),
                                  spaceBefore=6, spaceAfter=10),
        "signature": ParagraphStyle("signature", parent=body, spaceBefore=14, spaceAfter=10),
        "small": ParagraphStyle("small", parent=body, fontSize=11 * scale, leading=14.5 * scale, textColor=colors.HexColor("#4a5560")),
        "footer": ParagraphStyle("footer", parent=body, fontSize=9, leading=11),
    }


@functools.cache
def _drawable() -> frozenset[int]:
    register_fonts()
    return frozenset(pdfmetrics.getFont(FONT).face.charToGlyph)


def drawable(value: str) -> str:
    """Drop characters the font cannot draw (most emoji, rare scripts) and invisible format
    characters (joiners, direction overrides, emoji variation selectors) rather than print a
    wrong glyph. Characters beyond the Basic Multilingual Plane go too: ReportLab writes a
    malformed text map for them, which breaks copying text out of the PDF."""
    if value.isascii():  # nearly all content: every printable ASCII character is in the font
        return value
    chars = _drawable()
    kept = "".join(
        ch for ch in value
        if ch.isspace() or (ord(ch) in chars and ord(ch) < 0x10000 and unicodedata.category(ch) != "Cf"
                            and not 0xFE00 <= ord(ch) <= 0xFE0F)
    )
    if kept == value:
        return value
    return re.sub(r"\s+([,.;:!?])", r"\1", " ".join(kept.split()))  # "Ava 😀, age 9" -> "Ava, age 9"


def text(value: str) -> str:
    """Plain text made safe for a ReportLab Paragraph (which parses markup)."""
    return escape(drawable(value))


def link(url: str, label: str | None = None) -> str:
    return f'<a href={quoteattr(url)} color="{LINK.hexval()}"><u>{escape(label or url)}</u></a>'


class _Heading(Paragraph):
    """A heading that becomes a PDF bookmark (outline entry) at its level."""

    def __init__(self, title: str, style: ParagraphStyle, level: int, key: str):
        super().__init__(text(title), style)
        title = drawable(title)
        self.outline_title, self.outline_level, self.outline_key = title, level, key


class _Ticked(Flowable):
    """A paragraph with a tick box on its first line: a real PDF form check box (a parent can
    tick it in a PDF viewer, and the choice is saved with the file), with its border also drawn
    on the page so that it prints as an empty box for a pen. The paragraph is laid out once,
    like any other; the box is drawn in the space its left indent leaves. ReportLab draws the
    tick as lines, not as a ZapfDingbats glyph, so the file still holds no font but the embedded
    DejaVu Sans (tests/test_fillable.py checks every font object in the file)."""

    def __init__(self, paragraph: Paragraph, name: str, tooltip: str):
        super().__init__()
        self.paragraph, self.name, self.tooltip = paragraph, name, tooltip

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width, self.height = self.paragraph.wrap(avail_width, avail_height)
        return self.width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        parts = self.paragraph.split(avail_width, avail_height)
        return [_Ticked(parts[0], self.name, self.tooltip), *parts[1:]] if parts else []

    def getSpaceBefore(self) -> float:  # noqa: N802 (ReportLab's name)
        return self.paragraph.getSpaceBefore()

    def getSpaceAfter(self) -> float:  # noqa: N802 (ReportLab's name)
        return self.paragraph.getSpaceAfter()

    def draw(self) -> None:
        self.paragraph.drawOn(self.canv, 0, 0)
        font_size = self.paragraph.style.fontSize
        size = tick_box_size(font_size)
        # A Paragraph's first baseline is one font size below its top; centre the box on the
        # middle of the capital letters (about a third of the font size above the baseline).
        y = self.height - font_size + 0.35 * font_size - size / 2
        _tick_form(self.canv).checkbox(
            name=self.name, tooltip=self.tooltip, checked=False, buttonStyle="check", shape="square",
            x=self.paragraph.style.leftIndent - size - TICK_GAP, y=y, relative=True, size=size,
            borderColor=INK, textColor=INK, fillColor=None, borderWidth=1, borderStyle="solid",
            fieldFlags=0, annotationFlags="print", forceBorder=True,
        )


class _Fields:
    """Names for the tick boxes of one document: unique and stable (the same plan gives the
    same names): `step-<section id>-<n>` for parental-control steps, `rule-<n>` for rules."""

    def __init__(self) -> None:
        self.counts: dict[str, int] = {}

    def next(self, prefix: str) -> str:
        self.counts[prefix] = self.counts.get(prefix, 0) + 1
        return f"{prefix}-{self.counts[prefix]}"


class _PlanDoc(BaseDocTemplate):
    def afterFlowable(self, flowable: Flowable) -> None:
        if isinstance(flowable, _Heading):
            self.canv.bookmarkPage(flowable.outline_key)
            self.canv.addOutlineEntry(flowable.outline_title, flowable.outline_key, level=flowable.outline_level)


def _numbered_canvas(footer: str) -> type[rl_canvas.Canvas]:
    class NumberedCanvas(rl_canvas.Canvas):
        """Writes the footer and "Page x of y" on each page. The total is a form drawn once
        at the end and referenced from every page, so pages are emitted as they are made
        (which keeps bookmarks pointing at the right page)."""

        def showPage(self) -> None:  # noqa: N802 (ReportLab's name)
            self.saveState()
            self.setFont(FONT, 9)
            self.setFillColor(colors.HexColor("#4a5560"))
            self.drawString(MARGIN, 10 * mm, footer)
            label = f"Page {self.getPageNumber()} of "
            right = A4[0] - MARGIN - 4 * pdfmetrics.stringWidth("0", FONT, 9)
            self.drawRightString(right, 10 * mm, label)
            self.translate(right, 10 * mm)
            self.doForm("page-total")
            self.restoreState()
            super().showPage()

        def save(self) -> None:
            total = self.getPageNumber() - 1
            self.beginForm("page-total")
            self.setFont(FONT, 9)
            self.setFillColor(colors.HexColor("#4a5560"))
            self.drawString(0, 0, str(total))
            self.endForm()
            super().save()

    return NumberedCanvas


LARGE_PRINT_SIZE = 16


def document(buffer: BytesIO, title: str, margin: float = MARGIN, cls: type = BaseDocTemplate) -> BaseDocTemplate:
    """An A4 document as every PDF here is made: our fonts, en-GB, only `title` in the
    metadata (never a name), and byte-identical output for the same content."""
    register_fonts()
    return cls(
        buffer, pagesize=A4, leftMargin=margin, rightMargin=margin, topMargin=margin, bottomMargin=margin,
        title=title, author="", subject="", creator="", keywords="", lang="en-GB",
        invariant=True, initialFontName=FONT, initialFontSize=BODY_SIZE,
    )


def one_page_pdf(title: str, margin: float, story: Callable[[float, float], list[Flowable]], **frame) -> bytes:
    """A single A4 page (a flyer, a card): when the story is too long it shrinks a little
    rather than spill onto a second page. `story(width, height)` makes the flowables."""
    buffer = BytesIO()
    doc = document(buffer, title, margin)
    doc.addPageTemplates([PageTemplate(id="page", frames=[
        Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="page", **frame)])])
    doc.build([KeepInFrame(doc.width, doc.height, story(doc.width, doc.height), mode="shrink")])
    return buffer.getvalue()


def render_pdf(plan: model.Plan, large_print: bool = False) -> bytes:
    """The plan as PDF bytes; `large_print` sets the body text at 16 pt."""
    buffer = BytesIO()
    doc = document(buffer, plan.title, cls=_PlanDoc)
    frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="body")
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame])])
    brand = plan.branding
    s = styles(brand.colour if brand else "#0b5563", LARGE_PRINT_SIZE if large_print else BODY_SIZE)
    story: list[Flowable] = [_logo(brand.logo)] if brand and brand.logo else []
    fields = _Fields()
    for section in plan.sections:
        story.extend(_section(section, s, fields))
    footer = f"{plan.footer} · {drawable(brand.host)}" if brand else plan.footer
    doc.build(story, canvasmaker=_numbered_canvas(footer))
    return buffer.getvalue()


def _logo(data: bytes) -> Flowable:
    """The host's logo at the top of the cover, at most 50 x 20 mm, keeping its shape."""
    reader = ImageReader(BytesIO(data))
    width, height = reader.getSize()
    scale = min(50 * mm / width, 20 * mm / height)
    return Image(BytesIO(data), width=width * scale, height=height * scale, hAlign="LEFT")


def _section(section: model.Section, s: dict[str, ParagraphStyle], fields: _Fields) -> list[Flowable]:
    out: list[Flowable] = []
    if section.id in PAGE_BREAK_BEFORE or section.id.startswith("child-"):
        out.append(PageBreak())
    if section.id == "cover":
        out.append(_Heading(section.title, s["title"], 0, section.id))
    else:
        out.append(_Heading(section.title, s["h1"], 0, section.id))
    for index, block in enumerate(section.blocks):
        out.extend(_block(block, f"{section.id}-{index}", s, fields, section.id))
    return out


def _keep() -> CondPageBreak:
    """Before a small heading: start a new page rather than leave the heading at the bottom."""
    return CondPageBreak(30 * mm)


def _block(block: model.Block, key: str, s: dict[str, ParagraphStyle], fields: _Fields,
           section_id: str) -> list[Flowable]:
    """Plain paragraphs only (bullets via bulletText, boxes via paragraph backgrounds) and
    conditional page breaks before small headings instead of keep-with-next: each paragraph is
    laid out once, which keeps a 200-page plan fast."""
    if isinstance(block, model.Paragraph):
        return [Paragraph(text(block.text), s["body"])]
    if isinstance(block, model.Subsection):
        out: list[Flowable] = [CondPageBreak(40 * mm), _Heading(block.title, s["h2"], 1, key)]
        for index, inner in enumerate(block.blocks):
            out.extend(_block(inner, f"{key}-{index}", s, fields, section_id))
        return out
    if isinstance(block, model.Bullets):
        return _bullets(block, s)
    if isinstance(block, model.Callout):
        return [Paragraph(text(block.text), s["warning" if block.kind == "warning" else "callout"])]
    if isinstance(block, model.ContactCard):
        return _contact(block, s)
    if isinstance(block, model.Route):
        return _route(block, s)
    if isinstance(block, model.ControlStep):
        return _control(block, s, fields.next(f"step-{section_id}"))
    if isinstance(block, model.Checklist):
        return [_Ticked(Paragraph(text(item), s["tick"]), fields.next("rule"), drawable(item))
                for item in block.items]
    if isinstance(block, model.Signatures):
        return [_keep(), Paragraph(text(block.title), s["h3"])] + [
            Paragraph(f"{text(name)}: signed ________________________ date ____________", s["signature"])
            for name in block.names
        ]
    if isinstance(block, model.SourceList):
        return [Paragraph(f"{link(ref.url)} (checked {format_date(ref.last_checked)})", s["small"])
                for ref in block.refs]
    raise TypeError(f"no PDF rendering for {type(block).__name__}")


def _bullets(block: model.Bullets, s: dict[str, ParagraphStyle]) -> list[Flowable]:
    out: list[Flowable] = [_keep(), Paragraph(text(block.title), s["h3"])] if block.title else []
    for number, item in enumerate(block.items, start=1):
        out.append(Paragraph(text(item), s["bullet"], bulletText=f"{number}." if block.numbered else "•"))
    return out


def _contact_lines(card: model.ContactCard) -> list[str]:
    return [
        " ".join(filter(None, (text(way.before), link(way.href, way.shown))))
        + (f" ({text(way.note)})" if way.note else "")
        for way in card.ways()
    ]


def _contact(card: model.ContactCard, s: dict[str, ParagraphStyle]) -> list[Flowable]:
    return [
        _keep(),
        Paragraph(f"<b>{text(card.name)}</b>: {text(card.what_for)}", s["lead"]),
        Paragraph("<br/>".join(_contact_lines(card)), s["bullet"]),
        Spacer(1, 4),
    ]


def _route(route: model.Route, s: dict[str, ParagraphStyle]) -> list[Flowable]:
    parts: list[Flowable] = [_keep(), Paragraph(f"<b>{text(route.situation)}</b>", s["route"])]
    for card in route.contacts:
        details = "; ".join(_contact_lines(card))
        parts.append(Paragraph(f"{text(card.name)}: {details}", s["bullet"], bulletText="→"))
    for line in route.dont:
        parts.append(Paragraph(f"<b>{text(line)}</b>", s["bullet"], bulletText="✗"))
    return parts + [Spacer(1, 6)]


def _control(step: model.ControlStep, s: dict[str, ParagraphStyle], field: str) -> list[Flowable]:
    rows = [
        CondPageBreak(45 * mm),
        _Ticked(Paragraph(f"<b>{text(step.name)}</b>", s["h3-tick"]), field, drawable(step.name)),
        Paragraph(f"<b>Feature:</b> {text(step.feature)}<br/><b>Where:</b> {text(step.where)}<br/>"
                  f"<b>At this age:</b> {text(step.setting)}", s["body"]),
    ]
    if step.note:
        rows.append(Paragraph(text(step.note), s["body"]))
    rows.append(Paragraph(
        f"Official help: {link(step.url)} · last checked {format_date(step.last_checked)}", s["small"]))
    return rows + [Spacer(1, 8)]
