"""The code's shape, checked: the data flows one way (answers -> Plan -> renderers), every
renderer covers every block type, and nothing under plan/ imports Streamlit."""
from __future__ import annotations

import ast
import typing

import pytest

from plan import html, markdown, model, pdf

from .conftest import ROOT

PLAN = ROOT / "plan"
RENDERER_MODULES = ("pdf", "html", "markdown", "carer", "calendar")  # the flyer is made from the site, not a Plan
LEAVES = {"ages": set(), "text": set(), "fields": {"ages", "text"}, "vocabulary": {"fields"}, "wording": set(), "model": set()}


def plan_imports(module: str) -> set[str]:
    """The plan modules `module` imports at run time (imports only for type checking do not count)."""
    tree = ast.parse((PLAN / f"{module}.py").read_text(encoding="utf-8"))
    found: set[str] = set()

    def visit(node: ast.AST, typing_only: bool = False) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                continue
            if isinstance(child, ast.ImportFrom) and child.module and child.module.split(".")[0] == "plan":
                if child.module == "plan":
                    found.update(alias.name for alias in child.names if (PLAN / f"{alias.name}.py").exists())
                else:
                    found.add(child.module.split(".")[1])
            elif isinstance(child, ast.Import):
                found.update(a.name.split(".")[1] for a in child.names if a.name.startswith("plan."))
            visit(child)

    visit(tree)
    return found - {module}


MODULES = sorted(p.stem for p in PLAN.glob("*.py") if p.stem not in ("__init__", "__main__"))


def test_no_import_circle_under_plan():
    graph = {module: plan_imports(module) for module in MODULES}

    def reaches(start: str, target: str, seen: set[str]) -> bool:
        for nxt in graph.get(start, ()):
            if nxt == target or (nxt not in seen and reaches(nxt, target, seen | {nxt})):
                return True
        return False

    circles = [module for module in MODULES if reaches(module, module, set())]
    assert circles == [], f"import circle through {circles}"


@pytest.mark.parametrize("module", RENDERER_MODULES)
def test_renderers_read_the_plan_alone(module):
    forbidden = {"builder", "content", "answers", "rules", "site"}
    assert plan_imports(module) & forbidden == set()


@pytest.mark.parametrize("module, allowed", LEAVES.items())
def test_leaf_modules_stay_leaves(module, allowed):
    assert plan_imports(module) <= allowed


def test_nothing_under_plan_imports_streamlit():
    for path in PLAN.glob("*.py"):
        assert "streamlit" not in path.read_text(encoding="utf-8"), path.name


def test_the_model_lists_every_block_type():
    block = typing.get_args(model.Block)
    named = {b if isinstance(b, type) else getattr(model, b.__forward_arg__) for b in block}
    assert named == set(model.BLOCK_TYPES)


@pytest.mark.parametrize("renderer", [pdf.RENDERERS, html.RENDERERS, markdown.RENDERERS], ids=["pdf", "html", "markdown"])
def test_every_renderer_covers_every_block_type(renderer):
    assert set(renderer) == set(model.BLOCK_TYPES)
