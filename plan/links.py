"""What a shared link may do: select a known school and preset known worries. Nothing else.

Links are a phishing target: a link must never put text of its own into the page or the plan.
So a value from a URL is only ever compared with ids we already hold; what the family sees
comes from our own data (the school's name from the host's schools.yaml). Anything not
recognised is ignored, and the app says so without repeating it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Mapping, Sequence

from plan.vocabulary import Vocabulary
from plan.site import School, Site

KNOWN_KEYS = ("school", "focus")
MAX_VALUE_LENGTH = 400
ID = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")


@dataclass(frozen=True)
class LinkChoice:
    school: School | None = None
    focus: tuple[str, ...] = ()  # concern ids, in vocabulary order
    ignored: bool = False  # something in the link was not recognised


def read_link(params: Mapping[str, Sequence[str]], site: Site | None, vocabulary: Vocabulary) -> LinkChoice:
    """`params`: every value of every query parameter (repeated keys keep all their values)."""
    ignored = any(key not in KNOWN_KEYS for key in params)
    school = None
    raw_school = _single(params.get("school", ()))
    if raw_school is not None:
        school = site.school(raw_school) if site and ID.fullmatch(raw_school) else None
        ignored |= school is None
    if "school" in params and raw_school is None:
        ignored = True
    focus: tuple[str, ...] = ()
    raw_focus = _single(params.get("focus", ()))
    if raw_focus is not None:
        wanted = {value.strip() for value in raw_focus.split(",") if value.strip()}
        focus = tuple(c for c in vocabulary.ids("concerns") if c in wanted)
        ignored |= len(focus) != len(wanted)
    if "focus" in params and raw_focus is None:
        ignored = True
    return LinkChoice(school=school, focus=focus, ignored=ignored)


def _single(values: Sequence[str]) -> str | None:
    """The one value of a parameter; None when absent, repeated with different values or too long."""
    distinct = set(values)
    if len(distinct) != 1:
        return None
    value = distinct.pop()
    return value if len(value) <= MAX_VALUE_LENGTH else None
