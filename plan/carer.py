"""The carer card: one A4 page for grandparents, childminders or a co-parent who look after the
children. It says the house rules (the family agreement), which parental controls are on each
child's devices (names only, not settings), and what to do and whom to call if something
happens, with the school's contact when the plan has one.

Everything on it comes from the Plan, so it says nothing the full plan does not. Body text is
11 pt; a very large family's card shrinks to stay on one page. Names are escaped (a child's
name is data, never markup), and the output is byte-identical for the same plan. The metadata
holds a fixed title only.
"""
from __future__ import annotations

import re
from urllib.parse import urlparse

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph

from plan import model
from plan.model import SectionKind, walk
from plan.pdfkit import ACCENT, CALM, FONT, FONT_BOLD, INK, MUTED, drawable, link, one_page_pdf, text
from plan.wording import format_date, join_names

TITLE = "Family online-safety plan: carer card"
HEADING = "Carer card"
BODY_SIZE = 11
MARGIN = 15 * mm
INTRO = ("For the people who look after our children: our house rules, the settings on their "
         "devices, and who to call if something happens online.")
CALM_FIRST = ("If a child tells you about something online, stay calm and listen. Thank them for "
              "telling you, and let us know as soon as you can.")
NO_CONTROLS = "no parental controls listed in our plan"
MORE_ROUTES = "More situations, and who to call for each, are in our full plan under \u201c{section}\u201d."


def render_carer_card(plan: model.Plan) -> bytes:
    """The carer card as PDF bytes: always one A4 page."""
    # One page always: when everything does not fit at 11 pt, the later, worry-specific routes
    # give way to a pointer to the full plan; if it still does not fit (many children, each with
    # many devices), the page shrinks slightly rather than spill onto a second one.
    return one_page_pdf(TITLE, MARGIN, lambda width, height: _story(plan, width, height),
                        leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)


def _styles(accent: colors.Color) -> dict[str, ParagraphStyle]:
    body = ParagraphStyle("card-body", fontName=FONT, fontSize=BODY_SIZE, leading=BODY_SIZE * 1.3,
                          textColor=INK, spaceAfter=2, bulletFontName=FONT, bulletFontSize=BODY_SIZE)
    return {
        "body": body,
        "title": ParagraphStyle("card-title", parent=body, fontName=FONT_BOLD, fontSize=22, leading=27,
                                textColor=accent, spaceAfter=4),
        "h2": ParagraphStyle("card-h2", parent=body, fontName=FONT_BOLD, fontSize=14, leading=18,
                             textColor=accent, spaceBefore=8, spaceAfter=3),
        "bullet": ParagraphStyle("card-bullet", parent=body, leftIndent=14, bulletIndent=2),
        "callout": ParagraphStyle("card-callout", parent=body, backColor=CALM, borderPadding=(3, 5, 3, 5),
                                  spaceBefore=4, spaceAfter=6),
        "small": ParagraphStyle("card-small", parent=body, textColor=MUTED, spaceBefore=8),
    }


def _story(plan: model.Plan, width: float, height: float) -> list[Flowable]:
    brand = plan.branding
    s = _styles(colors.HexColor(brand.colour) if brand else ACCENT)
    routes = [b for b in _blocks(plan, SectionKind.ROUTES) if isinstance(b, model.Route)]
    head: list[Flowable] = [Paragraph(text(HEADING), s["title"]), Paragraph(text(INTRO), s["body"])]
    emergency = next((r for r in routes if r.emergency), None)
    if emergency:
        phone = next(card.phone for card in emergency.contacts if card.phone)
        head.append(Paragraph(f"<b>{text(_first_sentence(emergency.situation))}: call "
                              f"{link(model.tel_href(phone), phone)}</b>", s["callout"]))

    rule_groups = _rules(plan)
    if rule_groups:
        head.append(Paragraph(text("Our house rules"), s["h2"]))
        if len(rule_groups) == 1:
            head += [Paragraph(text(whole_numbers(rule)), s["bullet"], bulletText="•") for rule in rule_groups[0][1]]
        else:  # rules for different ages: a paragraph for each part, saying whose rules they are
            head += [Paragraph(f"<b>{text(title or '')}:</b> " + " ".join(text(whole_numbers(rule)) for rule in rules),
                               s["bullet"], bulletText="•") for title, rules in rule_groups]

    head.append(Paragraph(text("Parental controls we use"), s["h2"]))
    for title, names in _controls(plan):
        listed = "; ".join(text(name) for name in names) if names else text(NO_CONTROLS)
        head.append(Paragraph(f"<b>{text(title)}:</b> {listed}", s["bullet"], bulletText="•"))

    head.append(Paragraph(text("If something happens"), s["h2"]))
    head.append(Paragraph(text(CALM_FIRST), s["body"]))
    route_rows = [
        Paragraph(f"{text(_first_sentence(route.situation))} → {' · '.join(_reach(card) for card in route.contacts)}",
                  s["bullet"], bulletText="•")
        for route in routes
    ]
    section = next((sec.title for sec in plan.of_kind(SectionKind.ROUTES)), "If something happens")
    more = Paragraph(text(MORE_ROUTES.format(section=section)), s["body"])

    tail: list[Flowable] = []
    school = next((b for b in _blocks(plan, SectionKind.SCHOOL) if isinstance(b, model.ContactCard)), None)
    if school:
        ways = " · ".join(_way(way) for way in school.ways())
        tail.append(Paragraph(text("School"), s["h2"]))
        tail.append(Paragraph(f"<b>{text(school.name)}</b>, {text(school.what_for)}: {ways}", s["body"]))
    made = f"From our family online-safety plan, made on {format_date(plan.created)}."
    if brand:
        made += f" Provided by {drawable(brand.host)}."
    tail.append(Paragraph(text(made), s["small"]))

    shown = _routes_that_fit([_height([row], width) for row in route_rows], height - _height(head + tail, width),
                             _height([more], width), sum(route.essential for route in routes))
    return head + route_rows[:shown] + ([more] if shown < len(route_rows) else []) + tail


def _height(flowables: list[Flowable], width: float) -> float:
    """The height these take in a column `width` wide, spaces included (a little more than the
    frame gives them: it drops the space before the first)."""
    return sum(f.wrap(width, 10_000)[1] + f.getSpaceBefore() + f.getSpaceAfter() for f in flowables)


def _routes_that_fit(heights: list[float], room: float, pointer: float, at_least: int) -> int:
    """How many route rows (of these heights) to show in `room`: all when they fit, otherwise
    as many as fit beside the pointer to the full plan, and never fewer than `at_least`."""
    if sum(heights) <= room:
        return len(heights)
    shown, used = 0, pointer
    for height in heights:
        if used + height > room:
            break
        shown, used = shown + 1, used + height
    return max(shown, at_least)


def _rules(plan: model.Plan) -> list[tuple[str | None, tuple[str, ...]]]:
    """The agreement's rules: (None, rules) when everyone shares one list; otherwise (whom
    they are for, e.g. "For all of us" or "For Sam", rules) for each part."""
    groups: list[tuple[str | None, tuple[str, ...]]] = []
    for section in plan.of_kind(SectionKind.AGREEMENT):
        for block in section.blocks:
            if isinstance(block, model.Checklist) and block.items:
                groups.append((None, block.items))
            elif isinstance(block, model.Subsection):
                items = tuple(i for b in walk(block.blocks) if isinstance(b, model.Checklist) for i in b.items)
                if items:
                    groups.append((block.title, items))
    return groups


def _blocks(plan: model.Plan, kind: SectionKind) -> list[model.Block]:
    """The blocks of the sections of a kind, inside their subsections too; none when the plan lacks it."""
    return [block for section in plan.of_kind(kind) for block in walk(section.blocks)]


def _controls(plan: model.Plan) -> list[tuple[str, tuple[str, ...]]]:
    """(who, control names) for each child in order, then the home's shared tech if any.
    Children with exactly the same controls (siblings sharing a tablet) share a line."""
    groups: dict[tuple[str, ...], list[str]] = {}
    home: tuple[str, ...] = ()
    for section in plan.sections:
        names = tuple(dict.fromkeys(b.name for b in walk(section.blocks) if isinstance(b, model.ControlStep)))
        if section.kind is SectionKind.CHILD:
            groups.setdefault(names, []).append(section.title)
        elif section.kind is SectionKind.HOME:
            home = names
    rows = [(join_names(titles), names) for names, titles in groups.items()]
    home_title = next((sec.title for sec in plan.of_kind(SectionKind.HOME)), "")
    return rows + ([(home_title, home)] if home else [])


def _first_sentence(situation: str) -> str:
    """A route's situation, up to the end of its first sentence (the rest is advice the full
    plan gives; the card keeps to what happened and whom to call)."""
    first = re.split(r"(?<=[.!?])\s+", situation.strip(), maxsplit=1)[0]
    return first.rstrip(".")


def _reach(card: model.ContactCard) -> str:
    """A contact's name and the first way to reach them: phone, then text, email, web."""
    ways = card.ways()
    if not ways:
        return text(card.name)
    return f"{text(card.name)}: {_way(ways[0])}"


def _way(way: model.Reach) -> str:
    if not way.before:  # a web address: print its site, short enough to type, and link all of it
        shown = urlparse(way.href).hostname or way.shown
        return link(way.href, shown.removeprefix("www."))
    before = way.before.lower() if way.before.startswith("Text") else way.before
    return f"{text(before)} {link(way.href, whole_numbers(way.shown))}"


def whole_numbers(value: str) -> str:
    """Spaces inside a number made non-breaking, so a phone number never splits over two lines."""
    return re.sub(r"(?<=\d) (?=\d)", "\u00a0", value)
