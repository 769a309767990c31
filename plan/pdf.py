"""Render a Plan as an A4 PDF with ReportLab.

Read on phones as often as on paper: 12 pt body, one column, clickable links and phone
numbers, bookmarks per section, "Page x of y". Fonts are DejaVu Sans shipped in plan/fonts
(Latin, Greek and Cyrillic names show; characters the font lacks, such as emoji, print as
blanks rather than failing). Output is byte-identical for the same plan (ReportLab's invariant
mode), and the PDF's metadata holds only the plan's title: never a child's name.
"""
from __future__ import annotations

import functools
import re
import unicodedata
from io import BytesIO
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas as rl_canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    Image,
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
        "lead": ParagraphStyle("lead", parent=body),
        "bullet": ParagraphStyle("bullet", parent=body, leftIndent=18, bulletIndent=4, spaceAfter=3),
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


def render_pdf(plan: model.Plan, large_print: bool = False) -> bytes:
    """The plan as PDF bytes; `large_print` sets the body text at 16 pt."""
    register_fonts()
    buffer = BytesIO()
    doc = _PlanDoc(
        buffer, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN, bottomMargin=MARGIN,
        title=plan.title, author="", subject="", creator="", keywords="", lang="en-GB",
        invariant=True, initialFontName=FONT, initialFontSize=BODY_SIZE,
    )
    frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="body")
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame])])
    brand = plan.branding
    s = styles(brand.colour if brand else "#0b5563", LARGE_PRINT_SIZE if large_print else BODY_SIZE)
    story: list[Flowable] = [_logo(brand.logo)] if brand and brand.logo else []
    for section in plan.sections:
        story.extend(_section(section, s))
    footer = f"{plan.footer} · {drawable(brand.host)}" if brand else plan.footer
    doc.build(story, canvasmaker=_numbered_canvas(footer))
    return buffer.getvalue()


def _logo(data: bytes) -> Flowable:
    """The host's logo at the top of the cover, at most 50 x 20 mm, keeping its shape."""
    reader = ImageReader(BytesIO(data))
    width, height = reader.getSize()
    scale = min(50 * mm / width, 20 * mm / height)
    return Image(BytesIO(data), width=width * scale, height=height * scale, hAlign="LEFT")


def _section(section: model.Section, s: dict[str, ParagraphStyle]) -> list[Flowable]:
    out: list[Flowable] = []
    if section.id in PAGE_BREAK_BEFORE or section.id.startswith("child-"):
        out.append(PageBreak())
    if section.id == "cover":
        out.append(_Heading(section.title, s["title"], 0, section.id))
    else:
        out.append(_Heading(section.title, s["h1"], 0, section.id))
    for index, block in enumerate(section.blocks):
        out.extend(_block(block, f"{section.id}-{index}", s))
    return out


def _keep() -> CondPageBreak:
    """Before a small heading: start a new page rather than leave the heading at the bottom."""
    return CondPageBreak(30 * mm)


def _block(block: model.Block, key: str, s: dict[str, ParagraphStyle]) -> list[Flowable]:
    """Plain paragraphs only (bullets via bulletText, boxes via paragraph backgrounds) and
    conditional page breaks before small headings instead of keep-with-next: each paragraph is
    laid out once, which keeps a 200-page plan fast."""
    if isinstance(block, model.Paragraph):
        return [Paragraph(text(block.text), s["body"])]
    if isinstance(block, model.Subsection):
        out: list[Flowable] = [CondPageBreak(40 * mm), _Heading(block.title, s["h2"], 1, key)]
        for index, inner in enumerate(block.blocks):
            out.extend(_block(inner, f"{key}-{index}", s))
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
        return _control(block, s)
    if isinstance(block, model.Checklist):
        return [Paragraph(text(item), s["bullet"], bulletText="☐") for item in block.items]
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


def _control(step: model.ControlStep, s: dict[str, ParagraphStyle]) -> list[Flowable]:
    rows = [
        CondPageBreak(45 * mm),
        Paragraph(f"<b>{text(step.name)}</b>", s["h3"]),
        Paragraph(f"<b>Feature:</b> {text(step.feature)}<br/><b>Where:</b> {text(step.where)}<br/>"
                  f"<b>At this age:</b> {text(step.setting)}", s["body"]),
    ]
    if step.note:
        rows.append(Paragraph(text(step.note), s["body"]))
    rows.append(Paragraph(
        f"Official help: {link(step.url)} · last checked {format_date(step.last_checked)}", s["small"]))
    return rows + [Spacer(1, 8)]
