"""The fact register (`content/facts.yaml`): every phone number and SMS code the content may
use, and every web domain it may link to or cite, each with its owner, the official page that
confirms it and when we last checked.

The content's structured fields (a contact's `phone`, `sms_number`, `url`; a control's `url`;
every item's `sources`) and its wording are checked against the register:

- a number in a field is written exactly as the register writes it;
- a phone number in wording is one the register holds;
- a web address is https and on a registered domain. Domains marked `secondary` (a news or
  reprint site, kept only because it is the best source found for a fact) may be cited in
  `sources` but never linked for a family to follow.

`region_mentions` finds wording that names a service outside the places the service covers
(for example an item shown to Scottish families naming Report Fraud).

Nothing here reads outside the repository.
"""
from __future__ import annotations

import functools
import re
from datetime import date
from pathlib import Path
from typing import Any, Iterable, Iterator
from urllib.parse import urlparse

from pydantic import Field, ValidationError, model_validator

from plan import content as c
from plan.fields import ContentError, describe, read_yaml
from plan.rules import covers
from plan.vocabulary import UK_WIDE, Vocabulary

FACTS_FILE = c.CONTENT_DIR / "facts.yaml"

# A UK phone number in running text: 0... or +44..., 7 to 16 digits with spaces.
NUMBER_IN_TEXT = re.compile(r"(?<![\w/.-])(?:\+44\s?|0)\d[\d ]{5,14}\d(?![\w/])")
URL_IN_TEXT = re.compile(r"https?://[^\s\"'<>)]+")


class Number(c.Strict):
    """A phone number or SMS code, written as the organisation writes it."""

    number: c.PhoneNumber
    owner: c.Text
    source: c.HttpsUrl
    last_checked: date
    note: c.Text | None = None


class Domain(c.Strict):
    """A web domain the content may link to (its subdomains too)."""

    domain: str = Field(pattern=r"^[a-z0-9-]+(\.[a-z0-9-]+)+$")
    owner: c.Text
    source: c.HttpsUrl
    last_checked: date
    secondary: bool = False  # cited as a source only, never linked for families
    note: c.Text | None = None

    @model_validator(mode="after")
    def _secondary_needs_a_reason(self) -> "Domain":
        if self.secondary and not self.note:
            raise ValueError("note: a secondary domain needs a note saying why it is cited")
        return self


class Facts(c.Strict):
    numbers: list[Number] = Field(min_length=1)
    domains: list[Domain] = Field(min_length=1)

    def number(self, written: str) -> Number | None:
        return next((n for n in self.numbers if n.number == written), None)

    def digits(self) -> set[str]:
        return {re.sub(r"\D", "", n.number) for n in self.numbers}

    def domain_for(self, url: str) -> Domain | None:
        host = (urlparse(url).hostname or "").lower().removeprefix("www.")
        matches = [d for d in self.domains if host == d.domain or host.endswith("." + d.domain)]
        return max(matches, key=lambda d: len(d.domain), default=None)


def load_facts(path: Path | str = FACTS_FILE) -> Facts:
    path = Path(path)
    where = f"content/{path.name}"
    if not path.is_file():
        raise ContentError([f"{where}: file is missing"])
    data = read_yaml(path)
    try:
        facts = Facts.model_validate(data)
    except ValidationError as exc:
        raise ContentError([f"{where}: {describe(e)}" for e in exc.errors()]) from None
    problems = []
    for kind, values in (("numbers", [n.number for n in facts.numbers]), ("domains", [d.domain for d in facts.domains])):
        seen: set[str] = set()
        for value in values:
            if value in seen:
                problems.append(f"{where}: {kind}: {value!r} is listed twice")
            seen.add(value)
    if problems:
        raise ContentError(problems)
    return facts


@functools.lru_cache(maxsize=2)
def default_facts() -> Facts:
    return load_facts(FACTS_FILE)


# ---- checks against the register -------------------------------------------------------------


def strings(value: Any) -> Iterator[str]:
    """Every string inside a dumped content item."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from strings(v)
    elif isinstance(value, (list, tuple)):
        for v in value:
            yield from strings(v)


def _texts(content: c.Content) -> Iterator[tuple[str, str, Any]]:
    """(file stem, item id, dumped item) for every item, and the plan's own texts."""
    for name, item in content.all_items():
        yield name, item.id, item.model_dump(mode="json")
    yield "texts", "texts", content.texts.model_dump(mode="json")


def register_problems(content: c.Content, facts: Facts) -> list[str]:
    """Content that does not match the register, one line each."""
    problems: list[str] = []
    for contact in content.contacts:
        for field in ("phone", "sms_number"):
            number = getattr(contact, field)
            if number is not None and facts.number(number) is None:
                problems.append(f"contacts.yaml: item '{contact.id}': {field}: {number!r} is not in facts.yaml "
                                "(written exactly as there)")
    known = facts.digits()
    linked = {url for url in [*(k.url for k in content.contacts), *(k.url for k in content.controls)] if url}
    for name, item_id, dumped in _texts(content):
        for text in strings(dumped):
            for match in NUMBER_IN_TEXT.finditer(text):
                if re.sub(r"\D", "", match.group()) not in known:
                    problems.append(f"{name}.yaml: item '{item_id}': the number {match.group()!r} is not in facts.yaml")
            for url in URL_IN_TEXT.findall(text):
                domain = facts.domain_for(url)
                if not url.startswith("https://"):
                    problems.append(f"{name}.yaml: item '{item_id}': {url} is not https")
                elif domain is None:
                    problems.append(f"{name}.yaml: item '{item_id}': {url} is not on a domain in facts.yaml")
                elif domain.secondary and url in linked:
                    problems.append(f"{name}.yaml: item '{item_id}': {url} is a secondary source, not a link for families")
    return problems


# ---- services named outside their regions ----------------------------------------------------


def _places(vocab: Vocabulary, regions: list[str] | None) -> set[str]:
    """The places (region ids; "uk" for a plan with no region) an item with `regions` is shown in."""
    return {place for place in (UK_WIDE, *vocab.ids("regions"))
            if covers(vocab, regions, None if place == UK_WIDE else place)}


def _names(contact: c.Contact) -> list[str]:
    """How wording may name a contact: its name, its name without a bracketed part when that
    is two words or more, and a bracketed acronym (PSNI)."""
    names = [contact.name]
    short = re.sub(r"\s*\([^)]*\)", "", contact.name).strip(" :")
    if short != contact.name and len(short.split()) >= 2:
        names.append(short)
    names.extend(a for a in re.findall(r"\(([A-Z]{3,6})\)", contact.name))
    return names


def region_mentions(content: c.Content, skip_files: Iterable[str] = ()) -> list[str]:
    """Wording that names a service in an item shown somewhere the service does not cover.
    Items only for a plan with no region (`regions: [uk]`) may name every nation's service: that
    is where each nation's route is said once. A contact's name inside a longer contact name
    (Victim Support in Victim Support Scotland) counts as the longer one only."""
    vocab = content.vocabulary
    everywhere = _places(vocab, None)
    regional = [(contact, _places(vocab, contact.regions)) for contact in content.contacts]
    regional = [(contact, places) for contact, places in regional if places != everywhere]
    all_names = sorted({(n, k.id) for k in content.contacts for n in _names(k)}, key=lambda p: -len(p[0]))
    found: list[str] = []
    for name, item in content.all_items():
        if name in skip_files:
            continue
        shown = _places(vocab, getattr(item, "regions", None)) - {UK_WIDE}
        if not shown:
            continue
        for text in strings(item.model_dump(mode="json", exclude={"sources", "url", "id", "contacts", "call"})):
            for contact_id in _named(text, all_names):
                contact, places = next(((k, p) for k, p in regional if k.id == contact_id), (None, None))
                if contact is None or contact.id == item.id:
                    continue
                outside = sorted(shown - places)
                if outside:
                    found.append(f"{name}.yaml: item '{item.id}' names {contact.name!r}, which does not cover "
                                 f"{', '.join(outside)}")
    return sorted(set(found))


def _named(text: str, names: list[tuple[str, str]]) -> list[str]:
    """Contact ids named in `text`, longest names first, each span counted once."""
    taken: list[tuple[int, int]] = []
    ids: list[str] = []
    for name, contact_id in names:
        for match in re.finditer(rf"(?<![\w]){re.escape(name)}(?![\w])", text):
            span = match.span()
            if any(s <= span[0] and span[1] <= e for s, e in taken):
                continue
            taken.append(span)
            ids.append(contact_id)
    return ids
