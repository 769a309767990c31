"""Family online-safety plan: answers in, a personalised plan out.

    from plan import load_answers, build_plan, render_pdf
    pdf_bytes = render_pdf(build_plan(load_answers("answers.yaml")))

These functions are the entry points: they use the product's own content unless given other
content. Below them nothing falls back to global content: `plan.answers` takes a vocabulary and
`plan.builder` takes content and a date, so the data flows one way (answers -> Plan -> renderers).
Nothing here imports Streamlit: the app (app.py, web/) and the CLI (python -m plan) are thin
front ends over these functions.
"""
from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from plan import answers as _answers
from plan import builder as _builder
from plan.answers import Answers, AnswersError, Child
from plan.content import Content, ContentError, default_content, load_content
from plan.model import Plan
from plan.pdf import render_pdf

__all__ = [
    "Answers", "AnswersError", "Child", "ContentError", "build_plan", "default_content",
    "load_answers", "load_content", "parse_answers", "parse_answers_text", "render_pdf",
]


def _vocabulary(content: Content | None):
    return (content or default_content()).vocabulary


def load_answers(path: str | Path, content: Content | None = None) -> Answers:
    """Read and validate an answers file (README "The answers file")."""
    return _answers.load_answers(path, _vocabulary(content))


def parse_answers(data: Any, vocabulary=None) -> Answers:
    """Validate answers given as plain values (a dict as `yaml.safe_load` returns it)."""
    return _answers.parse_answers(data, vocabulary or _vocabulary(None))


def parse_answers_text(raw: bytes | str, vocabulary=None) -> Answers:
    """Validate answers given as YAML text or bytes."""
    return _answers.parse_answers_text(raw, vocabulary or _vocabulary(None))


def build_plan(answers: Answers, today: date | None = None, content: Content | None = None, **hosted) -> Plan:
    """The family's plan: made today from the product's content unless told otherwise.
    `site=` and `school=` brand it for a host and a school (see plan.builder.build_plan)."""
    return _builder.build_plan(answers, today or date.today(), content or default_content(), **hosted)
