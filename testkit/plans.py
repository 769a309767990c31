"""Small readers of a Plan for tests: build one on given content, and its text in order."""
from __future__ import annotations

import re
from datetime import date

from plan import build_plan, model, parse_answers

TODAY = date(2026, 11, 22)


# Words that belong to teenage risks: none may reach content written for children under 8.
TEEN_WORDS = re.compile(
    r"\b(nude|nudes|naked|sex|sexual|porn\w*|suicid\w*|self-harm|blackmail|sextortion|groom\w*|"
    r"radicali[sz]\w*|terror\w*|kill\w*|drugs?|alcohol|dating|boyfriend|girlfriend|gambl\w*|betting|casino\w*)\b",
    re.IGNORECASE,
)


def build(toy, *children, **top):
    """A plan on `toy` content for these children (answers file form) and top-level answers."""
    answers = parse_answers({"children": list(children), **top}, toy.vocabulary)
    return build_plan(answers, today=TODAY, content=toy)


def texts(node) -> list[str]:
    """Every piece of text under a plan, section or block, in order."""
    if isinstance(node, model.Plan):
        return [t for s in node.sections for t in texts(s)]
    if isinstance(node, (model.Section, model.Subsection)):
        return [node.title] + [t for b in node.blocks for t in texts(b)]
    if isinstance(node, model.Bullets):
        return ([node.title] if node.title else []) + list(node.items)
    if isinstance(node, model.Route):  # an organisation's first mention says what it is for
        return [node.situation, *(t for c in node.contacts for t in ([c.name] if c.brief else [c.name, c.what_for])),
                *node.dont]
    if isinstance(node, model.ContactCard):
        return [node.name] if node.brief else [node.name, node.what_for]
    if isinstance(node, model.ControlStep):
        return [node.name, node.setting]
    if isinstance(node, model.SourceList):
        return [site for _, sites in node.by_date() for site, _ in sites]
    if isinstance(node, model.Checklist):
        return list(node.items)
    if isinstance(node, model.Signatures):
        return [node.title, *node.names]
    return [node.text]


def joined(node) -> str:
    return "\n".join(texts(node))


def section_ids(plan) -> list[str]:
    return [s.id for s in plan.sections]
