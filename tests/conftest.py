"""Shared fixtures. Selection tests use the toy content in tests/fixtures/content, whose
wording is made of markers (PHONE-YOUNG, SIGN-GAMER...) so a test can see exactly which item
was chosen; content tests use the real content."""
from __future__ import annotations

import ast
from datetime import date
from pathlib import Path

import pytest

from plan.content import Content, default_content, load_content

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
TODAY = date(2026, 11, 22)


def app_constant(name: str) -> str:
    """A module-level string constant of app.py, read without running the app."""
    tree = ast.parse((ROOT / "app.py").read_text(encoding="utf-8"))
    return next(ast.literal_eval(node.value) for node in tree.body if isinstance(node, ast.Assign)
                and getattr(node.targets[0], "id", "") == name)


@pytest.fixture(scope="session")
def toy() -> Content:
    """Small content with marker wording, for selection rules."""
    return load_content(FIXTURES / "content")


@pytest.fixture(scope="session")
def content() -> Content:
    """The product's real content."""
    return default_content()


def child(age: int, **fields) -> dict:
    """One child in the answers file form."""
    return {"age": age, **fields}
