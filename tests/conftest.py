"""Shared fixtures. Selection tests use the toy content in tests/fixtures/content, whose
wording is made of markers (PHONE-YOUNG, SIGN-GAMER...) so a test can see exactly which item
was chosen; content tests use the real content."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from plan.content import Content, default_content, load_content
from plan.site import SITE_ENV
from testkit.appserver import run_app
from testkit.browser import CHROMIUM, CHROMIUM_ARGS

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
TODAY = date(2026, 11, 22)


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


# ---- real servers and a real browser (tests marked `browser` or `server`) -------------------

SERVER_FIXTURES = {"server", "hosted_server"}


def pytest_collection_modifyitems(items):
    """Mark every test that starts the app or Chromium, so `pytest -m "not browser and not
    server"` is the quick inner loop. `make test` runs everything."""
    for item in items:
        names = set(getattr(item, "fixturenames", ()))
        if "browser" in names:
            item.add_marker(pytest.mark.browser)
        if names & SERVER_FIXTURES or item.module.__name__.endswith("test_scale_out"):
            item.add_marker(pytest.mark.server)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The app as anyone would run it, with a fresh HOME."""
    yield from run_app(tmp_path_factory.mktemp("home"), {})


@pytest.fixture(scope="module")
def hosted_server(tmp_path_factory):
    """The app run by a host, with the test site folder (schools, branding)."""
    yield from run_app(tmp_path_factory.mktemp("home"), {SITE_ENV: str(ROOT / "tests" / "fixtures" / "site")})


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium (apt-get install chromium), headless, through Playwright."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: apt-get install chromium")
    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()
