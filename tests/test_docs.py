"""The README's tables match the code: every vocabulary id, content file and output format is
documented, and nothing documented is missing from the code."""
from __future__ import annotations

import re

import pytest

from plan.content import ITEM_FILES
from plan.outputs import OUTPUTS
from plan.vocabulary import KINDS

from .conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def table(first_header: str) -> dict[str, str]:
    """The README table whose first column is headed `first_header`: {first cell: second cell}."""
    lines = README.splitlines()
    start = next(i for i, line in enumerate(lines) if re.fullmatch(rf"\|\s*{first_header}\s*\|.*", line))
    rows = {}
    for line in lines[start + 2:]:
        if not line.startswith("|"):
            break
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        rows[cells[0].strip("`")] = cells[1]
    return rows


@pytest.mark.parametrize("kind", [k for k in KINDS if k != "regions"])
def test_readme_lists_every_vocabulary_id(kind, content):
    documented = table("field")[kind].strip("`").split()
    assert documented == list(content.vocabulary.ids(kind))


def test_readme_lists_every_region(content):
    line = next(line for line in README.splitlines() if line.startswith("region:"))
    assert all(region in line for region in content.vocabulary.ids("regions"))


def test_readme_lists_every_output_format():
    assert list(table("format")) == [output.id for output in OUTPUTS]


def test_readme_lists_every_content_file():
    files = {path.name for path in (ROOT / "content").glob("*.yaml")}
    assert set(table("file")) == files
    assert {f"{name}.yaml" for name in ITEM_FILES} <= files
