"""The words a parent chooses from (`content/vocabulary.yaml`): devices, home tech, apps,
worries and regions. A leaf of the data flow: answers are checked against it, and content
and the selection rules read it; it reads neither.

Groupings that rules need ("games", "social apps", "phones") are `tags` on the terms, so a
new app joins a group by a line of YAML, not by an edit to code.
"""
from __future__ import annotations

from pydantic import Field

from plan.fields import AgeRange, Id, Strict, Text

UK_WIDE = "uk"  # in an item's `regions`: the plan has no region
KINDS = ("devices", "home", "apps", "concerns", "regions", "what_happened")


class Term(Strict):
    id: Id
    label: Text
    explanation: Text | None = None
    nation: Id | None = None  # regions only: the nation an area is in
    tags: list[Id] = Field(default_factory=list)  # groups the selection rules name (plan.rules)
    # concerns only: the ages the worry fits, listed first for (plan.rules.listed_first); none: every age
    ages: AgeRange | None = None


class Vocabulary(Strict):
    devices: list[Term]
    home: list[Term]
    apps: list[Term]
    concerns: list[Term]
    regions: list[Term]
    # The answers to "what happened?": not written in vocabulary.yaml but taken from
    # situations.yaml when content loads (plan.content.load_content), so they live in one place.
    what_happened: list[Term] = Field(default_factory=list)

    def ids(self, kind: str) -> tuple[str, ...]:
        return tuple(term.id for term in getattr(self, kind))

    def label(self, kind: str, term_id: str) -> str:
        return self.term(kind, term_id).label

    def term(self, kind: str, term_id: str) -> Term:
        return next(t for t in getattr(self, kind) if t.id == term_id)

    def tagged(self, kind: str, tag: str) -> frozenset[str]:
        """The ids of `kind` that carry `tag`, e.g. tagged("apps", "games")."""
        return frozenset(t.id for t in getattr(self, kind) if tag in t.tags)

    def nation(self, region: str) -> str:
        """The nation a region is in (a nation is its own)."""
        return self.term("regions", region).nation or region
