"""Text that people give us (a child's name, a family's own rule, a school's name, a host's
welcome): which characters it may hold, and how a message quotes a piece of it.

Showing it is the screen's job: every such string is shown as plain text (never as Markdown
or HTML), so these functions only keep out what plain text cannot show honestly.
"""
from __future__ import annotations

import unicodedata
from typing import Any

# Characters that are invisible themselves yet change how the text around them is shown or
# read: bidirectional embeddings, overrides and isolates (which can make "moc.live" show as
# "evil.com"), zero-width spaces and direction marks, the line and paragraph separators,
# the word joiner and invisible maths operators, the byte order mark, the Arabic letter mark
# and interlinear annotation marks.
#
# Two zero-width characters stay allowed, because real names need them: the zero width
# joiner U+200D builds emoji such as 👩‍👧‍👦 and 🏳️‍🌈 and some Indic letters (Malayalam chillu,
# Sinhala conjuncts); the zero width non-joiner U+200C is part of correct spelling in Persian
# (می‌خواهم) and in several Indic scripts. Neither can reorder text, so they cannot disguise it.
# Emoji tag characters (U+E0020-U+E007F, the flags of Scotland, Wales and England) stay too.
HIDDEN = frozenset(
    [chr(c) for c in range(0x202A, 0x202F)]      # LRE RLE PDF LRO RLO
    + [chr(c) for c in range(0x2066, 0x206A)]    # LRI RLI FSI PDI
    + ["\u200b", "\u200e", "\u200f"]             # zero width space, LRM, RLM
    + ["\u2028", "\u2029"]                       # line and paragraph separators
    + [chr(c) for c in range(0x2060, 0x2065)]    # word joiner, invisible operators
    + [chr(c) for c in range(0x206A, 0x2070)]    # deprecated shaping controls
    + ["\ufeff", "\u061c", "\u180e"]             # byte order mark, Arabic letter mark, Mongolian vowel separator
    + [chr(c) for c in range(0xFFF9, 0xFFFC)]    # interlinear annotation
)
NOT_TEXT = ("Cc", "Cs", "Co", "Cn")  # control characters, lone surrogates, private use, unassigned
EXCERPT_LENGTH = 40


def hidden_character(text: str) -> str | None:
    """The first hidden formatting character in `text`, or None."""
    if HIDDEN.isdisjoint(text):
        return None
    return next(ch for ch in text if ch in HIDDEN)


def hidden_problem(text: str) -> str | None:
    """What to tell the person when `text` holds a hidden formatting character, or None."""
    found = hidden_character(text)
    if found is None:
        return None
    return f"must not contain hidden formatting characters (found U+{ord(found):04X})"


def line_problem(text: str, line_breaks: bool = False) -> str | None:
    """What is wrong with `text` as text shown on screen (control characters, line breaks
    unless allowed, hidden formatting characters), or None."""
    allowed = "\n" if line_breaks else ""
    if any(unicodedata.category(ch) in NOT_TEXT and ch not in allowed for ch in text):
        return "must not contain control characters" + ("" if line_breaks else " or line breaks")
    return hidden_problem(text)


def check_line(value: str) -> str:
    """A pydantic validator: one line of text with nothing hidden in it."""
    problem = line_problem(value)
    if problem:
        raise ValueError(problem)
    return value


def check_paragraph(value: str) -> str:
    """A pydantic validator: text that may run over several lines, with nothing hidden in it."""
    problem = line_problem(value, line_breaks=True)
    if problem:
        raise ValueError(problem)
    return value


def visible(text: str) -> str:
    """`text` without control and hidden formatting characters, on one line: for showing what
    someone is typing before it is checked (a child's name as the heading of their part).
    Escaping for Markdown is still the screen's job (plan.markdown.md, or st.text)."""
    kept = "".join(" " if unicodedata.category(ch) in NOT_TEXT else ch for ch in text if ch not in HIDDEN)
    return " ".join(kept.split())


def excerpt(value: Any, longest: int = EXCERPT_LENGTH) -> str:
    """A value as a message quotes it: short, on one line, text in quotes, and every control
    or hidden character written as its code (\\n, \\u202e), so the excerpt shows exactly what
    was given and can neither break a line nor turn the message around."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10**40:
        return "a very large number"
    try:
        text = repr(value) if isinstance(value, str) else str(value)
    except ValueError:  # a number inside a list, too long for Python to write out
        return "a value too long to show"
    text = "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in text)
    return text if len(text) <= longest else text[: longest - 3] + "..."
