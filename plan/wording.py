"""How the plan writes dates and names: one place for the builder and every renderer."""
from __future__ import annotations

import calendar
import re
from datetime import date
from typing import TYPE_CHECKING, Callable, Sequence

if TYPE_CHECKING:
    from plan.answers import Child


def format_date(day: date) -> str:
    """UK long form, e.g. 22 November 2026 (no locale: the same on every machine)."""
    return f"{day.day} {calendar.month_name[day.month]} {day.year}"


def join_names(names: Sequence[str]) -> str:
    """"Sam", "Sam and Alex", "Sam, Alex and Jo"."""
    names = list(names)
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def unnamed(child: "Child") -> str:
    """How the plan's sentences refer to a child with no name: 'your 12-year-old'."""
    return "your baby" if child.age == 0 else f"your {child.age}-year-old"


def possessive(name: str) -> str:
    """"Sam's", "James's", "your 12-year-old's"."""
    return f"{name}'s"


def short_name(name: str) -> str:
    """An organisation's name without what follows it in brackets, for a one-line mention:
    "CEOP Safety Centre (National Crime Agency)" -> "CEOP Safety Centre"; a one-word name keeps
    its brackets, which say what it is, and so does a name whose brackets give the short form
    people know it by ("Police Service of Northern Ireland (PSNI)")."""
    if re.search(r"\([A-Z]{2,}\)$", name):
        return name
    short = re.sub(r"\s*\([^)]*\)$", "", name)
    return short if len(short.split()) >= 2 else name  # "Police (non-emergency)" stays whole


def child_names(children: Sequence["Child"]) -> list[str]:
    """How the plan refers to each child in sentences: their name, or 'your 12-year-old'."""
    return [child.name or unnamed(child) for child in children]


def child_label(index: int, children: Sequence["Child"]) -> str:
    """How a heading or a signature line names a child: their name, 'Your child' or 'Child 2'."""
    child = children[index]
    if child.name:
        return child.name
    return "Your child" if len(children) == 1 else f"Child {index + 1}"


def child_in_heading(index: int, children: Sequence["Child"]) -> str:
    """A child named inside a heading's words ("This week for ..."): their name, 'Child 2',
    or for an only child with no name 'your 12-year-old', as the cover says."""
    child = children[index]
    return child.name or (unnamed(child) if len(children) == 1 else child_label(index, children))


def child_title(index: int, children: Sequence["Child"]) -> str:
    """A child's section title: 'Sam, age 12'."""
    return f"{child_label(index, children)}, age {children[index].age}"


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or the month's last day when it is shorter (31 Aug -> 28 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def source_sites(sites: Sequence[tuple[str, Sequence]], link: Callable[[str, str], str],
                 text: Callable[[str], str]) -> str:
    """One day's sources as a renderer writes them: each site's name linked to its page, or,
    with several pages, the name and its pages numbered ("nspcc.org.uk 1 2"), joined by " · ".
    `link(url, shown)` and `text(plain)` are the renderer's own."""
    shown = []
    for site, refs in sites:
        if len(refs) == 1:
            shown.append(link(refs[0].url, site))
        else:
            shown.append(f"{text(site)} " + " ".join(link(ref.url, str(n)) for n, ref in enumerate(refs, start=1)))
    return " · ".join(shown)
