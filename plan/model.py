"""The Plan: a renderer-free document of sections and blocks, built from answers and content.

Renderers (PDF, on-screen, and later HTML and others) walk these plain values; they never
look at answers or content themselves. Text here is plain text: renderers escape it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Union


@dataclass(frozen=True)
class Paragraph:
    text: str


@dataclass(frozen=True)
class Bullets:
    items: tuple[str, ...]
    title: str | None = None
    numbered: bool = False


@dataclass(frozen=True)
class Callout:
    """Something a parent must not miss: an age warning, a 'don't'."""

    text: str
    kind: str = "important"  # important | warning


@dataclass(frozen=True)
class Reach:
    """One way to reach a contact, e.g. Phone [0800 1111](tel:08001111) (free, 24 hours)."""

    before: str  # "Phone", "Text SHOUT to", "Email", or "" for a web address
    shown: str
    href: str
    note: str | None = None


@dataclass(frozen=True)
class ContactCard:
    """An organisation and how to reach it. A `brief` card names it with its first way to
    reach it only (its number): the plan gives each organisation's full details once."""

    name: str
    what_for: str
    phone: str | None = None
    phone_note: str | None = None
    sms_number: str | None = None
    sms_text: str | None = None
    email: str | None = None
    url: str | None = None
    brief: bool = False

    def ways(self) -> tuple[Reach, ...]:
        """How to reach them, in the order a worried parent needs: phone, text, email, web."""
        ways = []
        if self.phone:
            ways.append(Reach("Phone", self.phone, tel_href(self.phone), self.phone_note))
        if self.sms_number:
            before = f"Text {self.sms_text} to" if self.sms_text else "Text"
            ways.append(Reach(before, self.sms_number, f"sms:{tel_href(self.sms_number)[4:]}"))
        if self.email:
            ways.append(Reach("Email", self.email, f"mailto:{self.email}"))
        if self.url:
            ways.append(Reach("", self.url, self.url))
        return tuple(ways)

    def shown_ways(self) -> tuple[Reach, ...]:
        """The ways a renderer shows: all of them, or for a brief card the first (a web
        address as its site, "childline.org.uk", linked to the page)."""
        ways = self.ways()
        if not self.brief:
            return ways
        return tuple(Reach(w.before, site_of(w.href) if not w.before else w.shown, w.href, w.note) for w in ways[:1])


def tel_href(number: str) -> str:
    return "tel:" + "".join(ch for ch in number if ch.isdigit() or ch == "+")


@dataclass(frozen=True)
class Route:
    """'If this happens' -> who to contact (names with their numbers) and what not to do.
    `emergency`: the route for a child in danger now. `essential`: the routes, from the first,
    that together name every contact in every plan (a carer card never drops them)."""

    situation: str
    contacts: tuple[ContactCard, ...]
    dont: tuple[str, ...] = ()
    emergency: bool = False
    essential: bool = False
    compact: bool = False  # one line: the situation, then each contact's name and number (a summary page)


@dataclass(frozen=True)
class ControlStep:
    name: str
    feature: str
    where: str
    setting: str
    url: str
    last_checked: date
    note: str | None = None
    brief: bool = False  # given in full for an earlier child: `where` points there; no feature, note or link
    same: bool = False  # brief, and set as for the child the paragraph before names: shown by its name alone


@dataclass(frozen=True)
class SourceRef:
    url: str
    last_checked: date


@dataclass(frozen=True)
class Pointer:
    """Where the plan gives the steps for something: a section's id (its anchor and bookmark)
    and how the pointer reads ("See: Sam, age 9")."""

    section: str
    text: str


@dataclass(frozen=True)
class Checklist:
    """Things to tick off (agreement rules, this week's steps): fillable tick boxes in the PDF.
    `see`: for each item, where its steps are (or none). `name`: the tick boxes' name, numbered
    through the document (rule-1, rule-2; week-1...)."""

    items: tuple[str, ...]
    see: tuple[Pointer | None, ...] = ()
    name: str = "rule"

    def pointers(self) -> tuple[Pointer | None, ...]:
        """One per item."""
        return tuple(self.see[i] if i < len(self.see) else None for i in range(len(self.items)))


@dataclass(frozen=True)
class Signatures:
    """Signature lines, one per person who signs."""

    title: str
    names: tuple[str, ...]


@dataclass(frozen=True)
class Event:
    """A calendar reminder: the plan's review, or an age milestone."""

    day: date
    title: str
    text: str
    approximate: bool = False  # placed without a birthday month: "around age 13"


@dataclass(frozen=True)
class SourceList:
    refs: tuple[SourceRef, ...]

    def by_date(self) -> tuple[tuple[date, tuple[tuple[str, tuple[SourceRef, ...]], ...]], ...]:
        """The refs grouped by the day they were checked (oldest first), and within a day by
        site ("nspcc.org.uk", alphabetical), each site's pages in the order given: a compact
        list, one paragraph per day."""
        days: dict[date, dict[str, list[SourceRef]]] = {}
        for ref in self.refs:
            days.setdefault(ref.last_checked, {}).setdefault(site_of(ref.url), []).append(ref)
        return tuple((day, tuple((site, tuple(refs)) for site, refs in sorted(sites.items())))
                     for day, sites in sorted(days.items()))


def site_of(url: str) -> str:
    """A web address's site, as a family would type it: "https://www.nspcc.org.uk/x" -> "nspcc.org.uk"."""
    host = url.split("://", 1)[-1].split("/", 1)[0].split("?", 1)[0].lower()
    return host.removeprefix("www.")


Block = Union[Paragraph, Bullets, Callout, ContactCard, Route, ControlStep, Checklist, Signatures, SourceList,
              "Subsection"]


@dataclass(frozen=True)
class Subsection:
    title: str
    blocks: tuple[Block, ...]


class SectionKind(StrEnum):
    """What a section is, for renderers that lay kinds out differently (page breaks, the
    carer card). A plan has at most one section of each kind but CHILD."""

    GLANCE = "at-a-glance"
    COVER = "cover"
    FIRST_STEPS = "first-steps"
    ROUTES = "if-something-happens"
    SCHOOL = "your-school"
    CHILD = "child"
    AGREEMENT = "agreement"
    HOME = "home"
    NEAR_YOU = "near-you"
    HELP = "help"
    SOURCES = "sources"


@dataclass(frozen=True)
class Section:
    id: str  # stable and unique: the kind, or child-1, child-2...: anchors and bookmarks
    kind: SectionKind
    title: str
    blocks: tuple[Block, ...]
    child: int | None = None  # CHILD sections: the child's index in the answers


DEFAULT_ACCENT = "#0b5563"  # titles and headings when no host sets its own colour


@dataclass(frozen=True)
class Branding:
    """The host's: who provides the service, their colour and logo (PNG or JPEG bytes)."""

    host: str
    colour: str  # "#rrggbb", validated by the site loader
    logo: bytes | None = None


@dataclass(frozen=True)
class Plan:
    title: str
    created: date
    review_by: date
    situation: str
    sections: tuple[Section, ...]
    footer: str = ""
    sources: tuple[SourceRef, ...] = field(default=())
    branding: "Branding | None" = None
    events: tuple[Event, ...] = ()

    def section(self, section_id: str) -> Section:
        return next(s for s in self.sections if s.id == section_id)

    def of_kind(self, kind: SectionKind) -> tuple[Section, ...]:
        return tuple(s for s in self.sections if s.kind is kind)


def walk(blocks: tuple[Block, ...]):
    """Every block, inside subsections too, in reading order."""
    for block in blocks:
        yield block
        if isinstance(block, Subsection):
            yield from walk(block.blocks)


BLOCK_TYPES: tuple[type, ...] = (Paragraph, Bullets, Callout, ContactCard, Route, ControlStep, Checklist,
                                 Signatures, SourceList, Subsection)
