"""Reading level of the content: is every text plain enough for the person who reads it?

Each text is measured with the Flesch-Kincaid grade (textstat 0.7.8, language "en_GB": its
syllables come from the CMU dictionary bundled with the package, with British hyphenation rules
for words the dictionary lacks; "en" gives the same numbers, and nothing is downloaded).

Who reads what:

- CHILD texts are said to a child: conversation starters (each line) and family agreement rules.
  Limit: grade 6.
- PARENT texts are everything else a parent reads: what to set for each control and its note;
  each app's minimum-age note, what it means for a younger child, how to report and block; what
  each contact is for; each route's situation and don'ts; first steps (title, each step, each
  don't); each "what happened?" choice (situations.yaml); warning signs (title, each sign, what
  to do); the law notes; the calendar milestones (title and text); and the plan's own wording in
  texts.yaml. Limit: grade 8.
  Names are not sentences and are not measured: control names, features and where to find them,
  contact names, phone notes. The wizard's labels and explanations (vocabulary.yaml) are not
  measured here.

How a text is measured:

- One text is one line or one paragraph, as a reader meets it (a starter, a step, a sign).
- Texts of fewer than MIN_WORDS (6) words are not judged. The formula weighs average sentence
  length against average syllables per word; in a five-word title one long word ("Parental
  controls to set up") swings the grade by years, so the number says nothing useful. Such texts
  get no grade and are never over the limit. From six words on, texts are judged like any other.
- Legal citations are not measured as words. The name of an Act or Order with its year ("the Civic
  Government (Scotland) Act 1982") counts as the two words "the law", and a part in brackets that
  cites the law (names an Act or Order, or a section number: "(Protection of Children Act 1978,
  section 1, and other laws)", "(sections 52 and 52A)") is left out. A statute's name cannot be
  made simpler, so it should not decide a law note's grade (it adds about one to two grades to
  each of ours). No other text in brackets is left out: a bracket that explains something ("(the
  three dots)") is read, so it is measured.
- Web and email addresses count as one word each ("site"), and so does a phone number ("number"):
  their dots are not full stops, and their digits are not syllables. "e.g." and "i.e." are one
  word each, for the same reason.
- "Stop It Now!" and other names ending in "!" or "?" inside a sentence (followed by a small
  letter or a bracket) do not end the sentence.
- Placeholders in texts.yaml templates ({age}, {app}...) are filled with typical values before
  measuring (SAMPLE_VALUES).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from textstat.textstat import textstatistics

from plan.content import Content, Texts

CHILD = "child"
PARENT = "parent"
LIMITS = {CHILD: 6.0, PARENT: 8.0}
MIN_WORDS = 6
LANG = "en_GB"
EXCERPT_CHARS = 80

# Typical values for the placeholders of texts.yaml (plan.content.TEMPLATE_FIELDS), as a family
# would see them.
SAMPLE_VALUES = {
    "age": "9",
    "who": "Sam",
    "child": "Sam",
    "whose": "Sam's",
    "app": "TikTok",
    "minimum_age": "13",
    "review_by": "May 2027",
    "youngest_age": "6",
    "region": "Wales",
    "host": "Toyshire Council",
    "school": "Oakfield Primary School",
    "role": "Designated Safeguarding Lead",
}

_measurer = textstatistics()
_measurer.set_lang(LANG)

# "the Civic Government (Scotland) Act 1982", "Protection of Children (Northern Ireland) Order 1978"
_STATUTE = re.compile(
    r"(?:\bthe\s+)?\b[A-Z][A-Za-z'-]*"
    r"(?:\s+(?:of|and|for|[A-Z][A-Za-z'-]*|\([A-Z][A-Za-z ]*\)))*"
    r"\s+(?:Act|Order)\s+\d{4}\b"
)
_CITED = "STATUTECITATION"  # stands in for a statute's name while brackets are looked at
_CITATION_BRACKET = re.compile(rf"\([^()]*(?:\b{_CITED}\b|\bsections?\s+\d)[^()]*\)")
_ADDRESS = re.compile(r"https?://\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+|\b[\w-]+(?:\.[\w-]+)+(?:/\S*)?")
_ADDRESS_TRAILING = re.compile(r"[.,;:!?)]+$")
_PHONE = re.compile(r"(?<![\w.])\+?\d+(?:[ ]\d+)+(?!\w)")
_ABBREVIATIONS = {"e.g.": "eg", "i.e.": "ie", "etc.": "etc"}
_INNER_STOP = re.compile(r"(?<=\w)[!?](?=\s+[a-z(])")
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


@dataclass(frozen=True)
class ContentText:
    """One text a reader meets: where it lives, who reads it, and its words."""

    file: str  # e.g. "starters.yaml"
    item: str  # the item's id ("" for texts.yaml, which has no items)
    field: str  # e.g. "starters[2]", "settings[0].do"
    audience: str  # CHILD or PARENT
    text: str

    @property
    def limit(self) -> float:
        return LIMITS[self.audience]


@dataclass(frozen=True)
class Finding:
    """A measured text and its grade (None: too short to judge)."""

    file: str
    item: str
    field: str
    audience: str
    grade: float | None
    limit: float
    text: str

    @property
    def over(self) -> bool:
        return self.grade is not None and self.grade > self.limit

    @property
    def excerpt(self) -> str:
        flat = " ".join(self.text.split())
        return flat if len(flat) <= EXCERPT_CHARS else flat[: EXCERPT_CHARS - 3].rstrip() + "..."

    def describe(self) -> str:
        where = f"{self.file}: item '{self.item}': {self.field}" if self.item else f"{self.file}: {self.field}"
        return f'{where}: grade {self.grade:.1f} (limit {self.limit:g} for a {self.audience}): "{self.excerpt}"'


def prepare(text: str) -> str:
    """The text as the formula should see it (see the module docstring)."""
    text = " ".join(text.split())
    text = _STATUTE.sub(_CITED, text)
    text = _CITATION_BRACKET.sub("", text)
    text = text.replace(_CITED, "the law")
    for abbreviation, plain in _ABBREVIATIONS.items():
        text = text.replace(abbreviation, plain)

    def one_word(match: re.Match) -> str:
        trailing = _ADDRESS_TRAILING.search(match.group())
        return "site" + (trailing.group() if trailing else "")

    text = _ADDRESS.sub(one_word, text)
    text = _PHONE.sub("number", text)
    text = _INNER_STOP.sub("", text)
    text = re.sub(r"\s+([.,;:!?])", r"\1", text)
    return " ".join(text.split())


def grade(text: str) -> float | None:
    """Flesch-Kincaid grade of one text, or None when it has fewer than MIN_WORDS words."""
    prepared = prepare(text)
    if _measurer.lexicon_count(prepared) < MIN_WORDS:
        return None
    return _measurer.flesch_kincaid_grade(prepared)


def fill_placeholders(template: str) -> str:
    return _PLACEHOLDER.sub(lambda m: SAMPLE_VALUES.get(m.group(1), m.group(1)), template)


def content_texts(content: Content) -> list[ContentText]:
    """Every text in the content that a child or a parent reads, with its audience."""
    out: list[ContentText] = []

    def add(file: str, item: str, field: str, audience: str, text: str | None) -> None:
        if text:
            out.append(ContentText(f"{file}.yaml", item, field, audience, text))

    def add_all(file: str, item: str, field: str, audience: str, texts: list[str]) -> None:
        for index, text in enumerate(texts):
            add(file, item, f"{field}[{index}]", audience, text)

    for s in content.starters:
        add_all("starters", s.id, "starters", CHILD, list(s.starters))
    for kind in ("devices", "home", "apps", "concerns", "regions"):  # the wizard's own words
        for term in getattr(content.vocabulary, kind):
            add("vocabulary", f"{kind}.{term.id}", "explanation", PARENT, term.explanation)
    for rule in content.agreement:
        add("agreement", rule.id, "text", CHILD, rule.text)

    for control in content.controls:
        for index, setting in enumerate(control.settings):
            add("controls", control.id, f"settings[{index}].do", PARENT, setting.do)
        add("controls", control.id, "note", PARENT, control.note)
    for app in content.apps:
        for field in ("minimum_age_note", "younger_than_minimum", "report", "block"):
            if getattr(app, field):
                add("apps", app.id, field, PARENT, getattr(app, field))
    for contact in content.contacts:
        add("contacts", contact.id, "what_for", PARENT, contact.what_for)
        if contact.summary:
            add("contacts", contact.id, "summary", PARENT, contact.summary)
    for route in content.routes:
        add("routes", route.id, "situation", PARENT, route.situation)
        add_all("routes", route.id, "dont", PARENT, list(route.dont))
    for steps in content.first_steps:
        add("first_steps", steps.id, "title", PARENT, steps.title)
        add_all("first_steps", steps.id, "steps", PARENT, list(steps.steps))
        add_all("first_steps", steps.id, "dont", PARENT, list(steps.dont))
    for situation in content.situations:
        add("situations", situation.id, "choice", PARENT, situation.choice)
    for signs in content.warning_signs:
        add("warning_signs", signs.id, "title", PARENT, signs.title)
        add_all("warning_signs", signs.id, "signs", PARENT, list(signs.signs))
        add("warning_signs", signs.id, "what_to_do", PARENT, signs.what_to_do)
    for note in content.law:
        add("law", note.id, "text", PARENT, note.text)
    for milestone in content.milestones:
        add("milestones", milestone.id, "title", PARENT, milestone.title)
        add("milestones", milestone.id, "text", PARENT, milestone.text)
    for field in Texts.model_fields:
        value = getattr(content.texts, field)
        if isinstance(value, list):
            add_all("texts", "", field, PARENT, [fill_placeholders(v) for v in value])
        else:
            add("texts", "", field, PARENT, fill_placeholders(value))
    return out


def measure(content: Content) -> list[Finding]:
    """Every text with its grade, in content order (too-short texts have grade None)."""
    return [
        Finding(t.file, t.item, t.field, t.audience, grade(t.text), t.limit, t.text)
        for t in content_texts(content)
    ]


def over_limit(content: Content) -> list[Finding]:
    """The texts above their audience's limit, worst first (furthest over the limit)."""
    found = [f for f in measure(content) if f.over]
    return sorted(found, key=lambda f: (-(f.grade - f.limit), f.file, f.item, f.field))


def summary(findings: list[Finding]) -> str:
    """One line: how many child and parent texts are over their limits."""
    child = sum(1 for f in findings if f.over and f.audience == CHILD)
    parent = sum(1 for f in findings if f.over and f.audience == PARENT)
    return (
        f"reading level: {child} child texts over grade {LIMITS[CHILD]:g}, "
        f"{parent} parent texts over grade {LIMITS[PARENT]:g}"
    )


def main() -> int:
    """`python -m plan.readability`: every text over its limit, worst first."""
    from plan.content import default_content

    findings = over_limit(default_content())
    for finding in findings:
        print(finding.describe())
    print(summary(findings))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
