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
from io import BytesIO

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen import canvas as rl_canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
)

from plan import model
from plan.model import SectionKind
from plan.pdfkit import (  # noqa: F401 (BODY_SIZE and LARGE_PRINT_SIZE are this module's sizes too)
    ACCENT_HEX,
    BODY_SIZE,
    CALM,
    FONT,
    FONT_BOLD,
    INK,
    LARGE_PRINT_SIZE,
    MARGIN,
    MUTED,
    TICK_GAP,
    WARM,
    Ticked,
    document,
    drawable,
    link,
    logo,
    register_fonts,
    text,
    tick_box_size,
)
from plan.model import site_of
from plan.wording import format_date, source_sites

# A new page for the parts a parent turns to in a hurry (what to do, who to call); a child's
# section starts a new page unless a third of a page is left; the family-wide parts after the
# children follow on, so a short plan stays short.
PAGE_BREAK_BEFORE = (SectionKind.FIRST_STEPS, SectionKind.ROUTES)
CHILD_ROOM = 80 * mm
FEW_LINES = 20 * mm  # below a title: its first lines, at least


@functools.cache
def styles(accent_hex: str = ACCENT_HEX, size: float = BODY_SIZE) -> dict[str, ParagraphStyle]:
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
                             textColor=accent, spaceBefore=6, spaceAfter=10),
        "h2": ParagraphStyle("h2", parent=body, fontName=FONT_BOLD, fontSize=15 * scale, leading=19 * scale,
                             textColor=accent, spaceBefore=10, spaceAfter=6),
        "h3": ParagraphStyle("h3", parent=body, fontName=FONT_BOLD, fontSize=size, leading=size * 1.35,
                             spaceBefore=6, spaceAfter=3),
        "h3-tick": ParagraphStyle("h3-tick", parent=body, fontName=FONT_BOLD, fontSize=size, leading=size * 1.35,
                                  spaceBefore=6, spaceAfter=3, leftIndent=tick_box_size(size) + TICK_GAP + 2),
        "lead": ParagraphStyle("lead", parent=body),
        "bullet": ParagraphStyle("bullet", parent=body, leftIndent=18, bulletIndent=4, spaceAfter=3),
        "tick": ParagraphStyle("tick", parent=body, leftIndent=tick_box_size(size) + TICK_GAP + 2, spaceAfter=5),
        # the glance page: the same type, a little less space between lines, so it stays one page
        "glance-tick": ParagraphStyle("glance-tick", parent=body, leftIndent=tick_box_size(size) + TICK_GAP + 2,
                                      leading=size * 1.25, spaceAfter=3),
        "glance-h3": ParagraphStyle("glance-h3", parent=body, fontName=FONT_BOLD, fontSize=size,
                                    leading=size * 1.25, spaceBefore=5, spaceAfter=2),
        "glance-line": ParagraphStyle("glance-line", parent=body, leftIndent=18, bulletIndent=4,
                                      leading=size * 1.25, spaceAfter=2),
        "route": ParagraphStyle("route", parent=body, backColor=CALM, borderPadding=(4, 6, 4, 6),
                                spaceBefore=8, spaceAfter=8),
        "callout": ParagraphStyle("callout", parent=body, backColor=CALM, borderPadding=(4, 6, 4, 6),
                                  spaceBefore=6, spaceAfter=10),
        "warning": ParagraphStyle("warning", parent=body, backColor=WARM, borderPadding=(4, 6, 4, 6),
                                  spaceBefore=6, spaceAfter=10),
        "route-note": ParagraphStyle("route-note", parent=body, leftIndent=18, spaceAfter=4, textColor=MUTED),
        "signature": ParagraphStyle("signature", parent=body, spaceBefore=14, spaceAfter=10),
        "small": ParagraphStyle("small", parent=body, fontSize=11 * scale, leading=14.5 * scale, textColor=MUTED),
        "footer": ParagraphStyle("footer", parent=body, fontSize=9, leading=11),
    }


class _Heading(Paragraph):
    """A heading that becomes a PDF bookmark (outline entry) at its level."""

    def __init__(self, title: str, style: ParagraphStyle, level: int, key: str):
        super().__init__(text(title), style)
        title = drawable(title)
        self.outline_title, self.outline_level, self.outline_key = title, level, key


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
            self.setFillColor(MUTED)
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
            self.setFillColor(MUTED)
            self.drawString(0, 0, str(total))
            self.endForm()
            super().save()

    return NumberedCanvas


def render_pdf(plan: model.Plan, large_print: bool = False) -> bytes:
    """The plan as PDF bytes; `large_print` sets the body text at 16 pt."""
    buffer = BytesIO()
    doc = document(buffer, plan.title, cls=_PlanDoc)
    frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="body")
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame])])
    brand = plan.branding
    s = styles(brand.colour if brand else ACCENT_HEX, LARGE_PRINT_SIZE if large_print else BODY_SIZE)
    story: list[Flowable] = [logo(brand.logo, 50 * mm, 20 * mm)] if brand and brand.logo else []
    fields = _Fields()
    for index, section in enumerate(plan.sections):
        story.extend(_section(section, s, fields, previous=plan.sections[index - 1] if index else None))
    footer = f"{plan.footer} · {drawable(brand.host)}" if brand else plan.footer
    doc.build(story, canvasmaker=_numbered_canvas(footer))
    return buffer.getvalue()


class _Context:
    """What block renderers share within one section: the styles, the document's tick-box
    names and the section's id (tick boxes are named after it)."""

    def __init__(self, styles: dict[str, ParagraphStyle], fields: _Fields, section: model.Section):
        self.s, self.fields, self.section_id = styles, fields, section.id
        # the glance page's headings are small ones: it stays one page
        glance = section.kind is SectionKind.GLANCE
        self.sub_heading, self.tick, self.line = ("glance-h3", "glance-tick", "glance-line") if glance else (
            "h2", "tick", "bullet")


def _new_page(section: model.Section, previous: model.Section | None) -> bool:
    """Whether a section starts a new page: the parts a parent turns to on their own, the
    glance page and the cover; but the cover follows the glance when there is room on its page
    (the glance page adds no page), and what to do follows the short cover."""
    if previous is None:
        return False
    if section.kind is SectionKind.COVER:
        return previous.kind is not SectionKind.GLANCE
    if section.kind is SectionKind.ROUTES and previous.kind is SectionKind.COVER:
        return False
    return section.kind in PAGE_BREAK_BEFORE or section.kind is SectionKind.GLANCE


def _section(section: model.Section, s: dict[str, ParagraphStyle], fields: _Fields,
             previous: model.Section | None = None) -> list[Flowable]:
    out: list[Flowable] = []
    if _new_page(section, previous):
        out.append(PageBreak())
    elif section.kind is SectionKind.CHILD:
        out.append(CondPageBreak(CHILD_ROOM))
    elif previous is not None and previous.kind is SectionKind.GLANCE:
        out.append(CondPageBreak(80 * mm))  # the cover's title and first lines, or a new page
    heading = _Heading(section.title, s["title" if section.kind is SectionKind.COVER else "h1"], 0, section.id)
    return out + _headed(heading, section.blocks, section.id, _Context(s, fields, section))


class _RoomFor(CondPageBreak):
    """Start a new page unless a title, its introduction and `then` more fit on this one: no
    title or introduction is left alone at the foot of a page. Measured where it stands, so each
    paragraph is still laid out once more at most (no keep-together groups)."""

    _SPACETRANSFER = True  # takes no space: the space after the line before it still collapses

    def __init__(self, flowables: list[Flowable], then: float):
        super().__init__(then)
        self._flowables, self._then = flowables, then

    def wrap(self, availWidth, availHeight):
        self.height = self._then + sum(f.wrap(availWidth, availHeight)[1] + f.getSpaceBefore() + f.getSpaceAfter()
                                       for f in self._flowables)
        return super().wrap(availWidth, availHeight)


def _headed(heading: Flowable, blocks: tuple[model.Block, ...], key: str, ctx: _Context) -> list[Flowable]:
    """A title and the paragraphs that introduce it, with room before them for the first lines
    of what follows (that block's own room, or a few lines)."""
    flowed = [f for index, block in enumerate(blocks) for f in _block(block, f"{key}-{index}", ctx)]
    lead = 0
    while lead < len(blocks) and isinstance(blocks[lead], model.Paragraph):
        lead += 1
    head = [heading, *flowed[:lead]]  # a Paragraph block is one flowable
    if not lead or lead == len(flowed):  # no introduction, or nothing after it: the title and a few lines
        return [_RoomFor([heading], FEW_LINES), *head, *flowed[lead:]]
    following = flowed[lead]
    then = following.height if isinstance(following, CondPageBreak) else 20 * mm
    return [_RoomFor(head, then), *head, *flowed[lead:]]


def _keep() -> CondPageBreak:
    """Before a small heading: start a new page rather than leave the heading at the bottom."""
    return CondPageBreak(30 * mm)


def _block(block: model.Block, key: str, ctx: _Context) -> list[Flowable]:
    """Plain paragraphs only (bullets via bulletText, boxes via paragraph backgrounds) and
    conditional page breaks before small headings instead of keep-with-next: each paragraph is
    laid out once, which keeps a 200-page plan fast."""
    return RENDERERS[type(block)](block, key, ctx)


def _subsection(block: model.Subsection, key: str, ctx: _Context) -> list[Flowable]:
    return [CondPageBreak(30 * mm)] + _headed(_Heading(block.title, ctx.s[ctx.sub_heading], 1, key),
                                              block.blocks, key, ctx)


def _checklist(block: model.Checklist, key: str, ctx: _Context) -> list[Flowable]:
    """Each item with its tick box, and where its steps are (a link to that section)."""
    return [Ticked(Paragraph(text(item) + (f" {link('#' + see.section, see.text)}" if see else ""), ctx.s[ctx.tick]),
                   ctx.fields.next(block.name), drawable(item))
            for item, see in zip(block.items, block.pointers())]


def _signatures(block: model.Signatures, key: str, ctx: _Context) -> list[Flowable]:
    return [_keep(), Paragraph(text(block.title), ctx.s["h3"])] + [
        Paragraph(f"{text(name)}: signed ________________________ date ____________", ctx.s["signature"])
        for name in block.names
    ]


def _sources(block: model.SourceList, key: str, ctx: _Context) -> list[Flowable]:
    """One paragraph, run on day by day: each day checked, then each site's name, linked to its
    page (or its pages, numbered). A paragraph per day left most of a line blank after each."""
    return [Paragraph(" · ".join(f"<b>Checked {format_date(day)}:</b> " + source_sites(sites, link, text)
                                 for day, sites in block.by_date()), ctx.s["small"])]



def _bullets(block: model.Bullets, s: dict[str, ParagraphStyle]) -> list[Flowable]:
    out: list[Flowable] = [_keep(), Paragraph(text(block.title), s["h3"])] if block.title else []
    for number, item in enumerate(block.items, start=1):
        out.append(Paragraph(text(item), s["bullet"], bulletText=f"{number}." if block.numbered else "•"))
    return out


LONG_ADDRESS = 45  # characters: a longer web address is shown as its site, linked to the page


def _shown(way: model.Reach) -> str:
    """What a printed page shows of a way to reach someone: a long web address as its site
    ("childline.org.uk", linked to the page; the organisation's name says what to look for)."""
    if not way.before and len(way.shown) > LONG_ADDRESS:
        return site_of(way.href)
    return way.shown


def _contact_lines(card: model.ContactCard) -> list[str]:
    return [
        " ".join(filter(None, (text(way.before), link(way.href, _shown(way)))))
        + (f" ({text(way.note)})" if way.note and not card.brief else "")
        for way in card.shown_ways()
    ]


def _contact(card: model.ContactCard, s: dict[str, ParagraphStyle]) -> list[Flowable]:
    if card.brief:
        return [Paragraph(f"<b>{text(card.name)}</b>: {'; '.join(_contact_lines(card))}", s["body"])]
    return [Paragraph(f"<b>{text(card.name)}</b>: {text(card.what_for)}<br/>" + " · ".join(_contact_lines(card)),
                      s["body"])]


def _route(route: model.Route, s: dict[str, ParagraphStyle], line: str = "bullet") -> list[Flowable]:
    """The situation, then who to contact: an organisation's first mention in the plan with its
    full details and what it is for, later ones with the number alone. A compact route is one
    paragraph: the situation, then each contact's name and number."""
    if route.compact:
        who = " · ".join(f"{text(card.name)} {link(way.href, way.shown)}"
                         for card in route.contacts for way in card.shown_ways()[:1])
        colon = "" if route.situation.rstrip().endswith((".", "!", "?", ":")) else ":"
        return [Paragraph(f"<b>{text(route.situation)}{colon}</b> {who}", s[line], bulletText="→")]
    parts: list[Flowable] = [_keep(), Paragraph(f"<b>{text(route.situation)}</b>", s["route"])]
    for card in route.contacts:
        details = "; ".join(_contact_lines(card))
        parts.append(Paragraph(f"{text(card.name)}: {details}", s["bullet"], bulletText="→"))
        if not card.brief and card.what_for:
            parts.append(Paragraph(text(card.what_for), s["route-note"]))
    for line in route.dont:
        parts.append(Paragraph(f"<b>{text(line)}</b>", s["bullet"], bulletText="✗"))
    return parts + [Spacer(1, 6)]


def _control(step: model.ControlStep, s: dict[str, ParagraphStyle], field: str) -> list[Flowable]:
    if step.same:  # set up and set as for the child the line before names: a tick and its name
        return [Ticked(Paragraph(text(step.name), s["tick"]), field, drawable(step.name))]
    if step.brief:
        return [
            CondPageBreak(30 * mm),
            Ticked(Paragraph(f"<b>{text(step.name)}</b>", s["h3-tick"]), field, drawable(step.name)),
            Paragraph(f"<b>Where:</b> {text(step.where)}<br/><b>At this age:</b> {text(step.setting)}", s["body"]),
            Spacer(1, 6),
        ]
    # the official help page on the heading's line (its date is in Sources): a line less per setting
    help_page = f'<font size="{s["small"].fontSize:g}">· Official help: {link(step.url, site_of(step.url))}</font>'
    rows = [
        CondPageBreak(30 * mm),  # its heading and first lines; the rest may go on over the page
        Ticked(Paragraph(f"<b>{text(step.name)}</b> {help_page}", s["h3-tick"]), field, drawable(step.name)),
        Paragraph((f"<b>Feature:</b> {text(step.feature)}<br/>" if step.feature else "")
                  + f"<b>Where:</b> {text(step.where)}<br/><b>At this age:</b> {text(step.setting)}", s["body"]),
    ]
    if step.note:
        rows.append(Paragraph(text(step.note), s["body"]))
    return rows + [Spacer(1, 4)]


# One renderer per block type (tests/test_renderers.py checks every renderer covers every type).
RENDERERS = {
    model.Paragraph: lambda block, key, ctx: [Paragraph(text(block.text), ctx.s["body"])],
    model.Subsection: _subsection,
    model.Bullets: lambda block, key, ctx: _bullets(block, ctx.s),
    model.Callout: lambda block, key, ctx: [
        Paragraph(text(block.text), ctx.s["warning" if block.kind == "warning" else "callout"])],
    model.ContactCard: lambda block, key, ctx: _contact(block, ctx.s),
    model.Route: lambda block, key, ctx: _route(block, ctx.s, ctx.line),
    model.ControlStep: lambda block, key, ctx: _control(block, ctx.s, ctx.fields.next(f"step-{ctx.section_id}")),
    model.Checklist: _checklist,
    model.Signatures: _signatures,
    model.SourceList: _sources,
}
