"""Golden plan texts: the whole PDF text for a few typical families, read back with pypdf.

They catch any unintended change to what a family receives. When a change is intended
(new wording, a new fact), regenerate them and read the diff before committing:

    UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py
"""
from __future__ import annotations

import io
import os

import pytest
from pypdf import PdfReader

from plan import build_plan, load_answers, render_pdf

from .conftest import FIXTURES, TODAY

GOLDEN = FIXTURES / "golden"
FAMILIES = ["two-children", "after-police-visit", "young-child", "ai-and-spending", "location-and-crime"]


def pdf_text(name: str, content) -> str:
    plan = build_plan(load_answers(FIXTURES / "answers" / f"{name}.yaml"), today=TODAY, content=content)
    reader = PdfReader(io.BytesIO(render_pdf(plan)))
    return "\n".join(f"--- page {i} ---\n{page.extract_text()}" for i, page in enumerate(reader.pages, start=1)) + "\n"


@pytest.mark.parametrize("name", FAMILIES)
def test_plan_text_matches_golden(name, content):
    actual = pdf_text(name, content)
    path = GOLDEN / f"{name}.txt"
    if os.environ.get("UPDATE_GOLDEN"):
        path.parent.mkdir(exist_ok=True)
        path.write_text(actual, encoding="utf-8")
    assert actual == path.read_text(encoding="utf-8"), f"{path.name} differs: see the module docstring"


def _titles_and_intros(plan) -> set[str]:
    """Each title in the plan, and each introduction (the paragraphs right after a title that
    something else follows)."""
    from plan import model

    found: set[str] = set()

    def visit(title: str, blocks) -> None:
        found.add(title)
        lead = 0
        while lead < len(blocks) and isinstance(blocks[lead], model.Paragraph):
            lead += 1
        if lead < len(blocks):
            found.update(b.text for b in blocks[:lead])
        for block in blocks:
            if isinstance(block, model.Subsection):
                visit(block.title, block.blocks)

    for section in plan.sections:
        visit(section.title, section.blocks)
    return {" ".join(t.split()) for t in found if t}


@pytest.mark.parametrize("name", FAMILIES)
def test_no_page_ends_with_a_title_or_its_introduction(name, content):
    """What a title introduces starts on the same page as the title."""
    plan = build_plan(load_answers(FIXTURES / "answers" / f"{name}.yaml"), today=TODAY, content=content)
    heads = _titles_and_intros(plan)
    pages = PdfReader(io.BytesIO(render_pdf(plan))).pages
    for number, page in enumerate(pages[:-1], start=1):
        lines = page.extract_text().splitlines()
        body = " ".join(" ".join(lines[:-3]).split())  # without the footer: title, "Page N of", total
        ending = [head for head in heads if body.endswith(head)]
        assert not ending, f"page {number} of {name} ends with {ending[0]!r}"
