"""The PDF toolkit every PDF here is made with: the plan, the carer card and the flyer.

Fonts (DejaVu Sans, shipped in plan/fonts: Latin, Greek and Cyrillic names show), the
colours, plain text made safe for ReportLab's markup, links, real tick boxes, the host's
logo, and A4 documents that are byte-identical for the same content and hold only their
title in the metadata (never a name).
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
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.acroform import AcroForm
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas as rl_canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, Image, KeepInFrame, PageTemplate, Paragraph

from plan.model import DEFAULT_ACCENT

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT, FONT_BOLD = "PlanSans", "PlanSans-Bold"
BODY_SIZE = 12
INK = colors.HexColor("#1f2933")
ACCENT_HEX = DEFAULT_ACCENT  # the default colour of titles and headings; a host sets its own
ACCENT = colors.HexColor(ACCENT_HEX)
MUTED = colors.HexColor("#4a5560")  # footers, sources and small print
LINK = colors.HexColor("#0b4f8a")
WARM = colors.HexColor("#fff4e0")
CALM = colors.HexColor("#e8f3f4")
MARGIN = 20 * mm
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


class Ticked(Flowable):
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
        return [Ticked(parts[0], self.name, self.tooltip), *parts[1:]] if parts else []

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


def logo(data: bytes, width: float, height: float, align: str = "LEFT") -> Flowable:
    """The host's logo (PNG or JPEG bytes) at most `width` x `height`, keeping its shape."""
    reader = ImageReader(BytesIO(data))
    image_width, image_height = reader.getSize()
    scale = min(width / image_width, height / image_height)
    return Image(BytesIO(data), width=image_width * scale, height=image_height * scale, hAlign=align)
