"""Hostile shared links, fuzzed through the app itself: whatever a link carries, the app runs
without an exception and no text from the link reaches the page (README "Hosts and schools":
a link can only select known ids, and no text from a link ever reaches the page or the PDF)."""
from __future__ import annotations

import functools
import html
import re

import pytest
from google.protobuf.message import Message
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from plan import default_content
from plan.links import KNOWN_KEYS
from plan.site import SITE_ENV, load_site

from web import scripts

from .conftest import FIXTURES, ROOT

SITE_DIR = FIXTURES / "site"
SITE = load_site(SITE_DIR, default_content())
VOCAB = default_content().vocabulary
KNOWN_IDS = frozenset(
    [school.id for school in SITE.schools] + list(KNOWN_KEYS)
    + [i for kind in ("concerns", "devices", "apps", "home", "regions") for i in VOCAB.ids(kind)]
)
SHORTEST_CHECKED = 4
# Never on the page unless a link put it there (checked against the pages of legitimate links).
MARKERS = ("evil.example", "javascript:", "<script", "onerror", "0800 000 0000", "\u202e", "Call now")
# The app's own scripts (focus on a new step; Shift three times for Quick exit), never anything
# from a link, as page_text holds them: raw, and with Markdown backslashes removed.
OUR_SCRIPTS = re.compile("|".join(
    opening + re.escape(variant) + "</script>"
    for opening, script in ((r'<script data-step="\d">', scripts.FOCUS_STEP_SCRIPT),
                            ("<script>", scripts.QUICK_EXIT_SCRIPT),
                            (r'<script data-view="[a-z-]+">', scripts.FOCUS_TOP_SCRIPT))
    for variant in (script, re.sub(r"\\(.)", r"\1", script))))

HOSTILE = st.sampled_from([
    "<script>alert(1)</script>", "javascript:alert(document.cookie)", "JaVaScRiPt:alert(1)",
    "Call now: 0800 000 0000", "0800 000 0000", "[Report here](https://evil.example/report)",
    "[x](https://evil.example)", "![logo](https://evil.example/logo.png)", "<img src=x onerror=alert(1)>",
    "**Your school says: call 0800 000 0000**", "# Urgent: call 0800 000 0000", "Oakfield Primary School",
    "Riverside Academy", "oakfield-primary<b>", "<a href=\"https://evil.example\">Childline</a>",
    "%3Cscript%3E", "&lt;b&gt;evil.example&lt;/b&gt;", "${7*7}{{7*7}}", ":material/warning: Call now",
    "Stop\u202eelpmaxe.live", "Z̸̡a̷l̶g̵o̴ evil.example", "👩‍👧 evil.example", "Дмитрий evil.example",
    "scams,[click](https://evil.example)", "grooming,<script>x</script>", "\\*escaped\\*",
    "line\nbreak evil.example", "tab\tevil.example", "nul\x00evil.example",
])
VALUES = st.one_of(
    HOSTILE,
    st.text(max_size=40),
    st.tuples(HOSTILE, st.text(max_size=20)).map("".join),
    st.sampled_from(["oakfield-primary", "riverside-academy", "scams", "grooming,screen-time"]),
    st.builds(lambda value, n: value * n, HOSTILE, st.integers(20, 200)),  # very long
)
KEYS = st.one_of(st.sampled_from(KNOWN_KEYS), st.sampled_from(["utm_source", "name", "phone", "message", "ref"]),
                 st.text(max_size=20), HOSTILE)
PARAMS = st.dictionaries(KEYS, st.one_of(VALUES, st.lists(VALUES, min_size=2, max_size=3)), max_size=4)


def run_app(monkeypatch, params: dict) -> AppTest:
    monkeypatch.setenv(SITE_ENV, str(SITE_DIR))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


def _strings(message: Message, out: list[str]) -> None:
    for field, value in message.ListFields():
        for item in value if field.is_repeated else [value]:
            if isinstance(item, Message):
                _strings(item, out)
            elif isinstance(item, str) and field.name != "id":  # ids are the app's own widget keys
                out.append(item)


def page_text(at: AppTest) -> str:
    """Every string the page holds: markdown, info, warning, error, headers, titles, captions,
    code and text, and every widget's label, help, placeholder and options. Also unescaped
    (Markdown backslashes, HTML entities), so escaped reflections are found too."""
    out: list[str] = []

    def walk(node) -> None:
        for child in getattr(node, "children", {}).values():
            if isinstance(getattr(child, "proto", None), Message):
                _strings(child.proto, out)
            walk(child)

    walk(at._tree)  # the main area, the sidebar and the event block (where st.html styles go)
    raw = "\n".join(out)
    unescaped = re.sub(r"\\(.)", r"\1", raw)
    return "\n".join([raw, unescaped, html.unescape(unescaped)])


@pytest.fixture(scope="module")
def legitimate_text() -> str:
    """The page's own words, from links that only use known ids (and from one with a stray key)."""
    links = [{}, {"school": "oakfield-primary", "focus": ",".join(VOCAB.ids("concerns"))},
             {"school": "riverside-academy"}, {"ref": "x"}]
    with pytest.MonkeyPatch.context() as monkeypatch:
        texts = [page_text(run_app(monkeypatch, params)) for params in links]
    text = "\n".join(texts)
    assert not any(marker in OUR_SCRIPTS.sub("", text) for marker in MARKERS)
    return text


@functools.cache
def plan_text_for(age: int) -> str:
    """The plan page for a legitimate link (the school and every worry), whose words may appear
    whatever the link."""
    with pytest.MonkeyPatch.context() as monkeypatch:
        at = run_app(monkeypatch, {"school": "oakfield-primary", "focus": ",".join(VOCAB.ids("concerns"))})
        uid = at.session_state["draft"]["children"][0]["uid"]
        at.number_input(key=f"age-{uid}").set_value(age).run()
        for key in ("next-0", "next-1", "next-2"):
            at.button(key=key).click().run()
    return page_text(at)


def from_link(params: dict) -> set[str]:
    """Every piece of text the link carries: keys, values and comma-separated focus values."""
    pieces: set[str] = set()
    for key, values in params.items():
        pieces.add(key)
        for value in [values] if isinstance(values, str) else values:
            pieces.add(value)
            pieces.update(value.split(","))
    return pieces


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(params=PARAMS)
@example(params={"school": "<script>alert('x')</script>", "focus": "scams,[click](https://evil.example)"})
@example(params={"school": ["oakfield-primary", "riverside-academy"], "name": "Call now: 0800 000 0000"})
@example(params={"school": "oakfield-primary", "focus": "grooming,<img src=x onerror=alert(1)>",
                 "message": "Oakfield Primary School says: call 0800 000 0000"})
def test_hostile_links_put_no_text_on_the_page(monkeypatch, legitimate_text, params):
    at = run_app(monkeypatch, params)
    assert not at.exception
    text = page_text(at)
    assert_nothing_from_the_link(params, text, legitimate_text)


def assert_nothing_from_the_link(params: dict, text: str, legitimate_text: str) -> None:
    text = OUR_SCRIPTS.sub("", text)
    for marker in MARKERS:
        assert marker not in text, f"text from the link is on the page: {marker!r}"
    for piece in from_link(params):
        piece = piece.strip()
        if len(piece) < SHORTEST_CHECKED or piece in KNOWN_IDS or piece in legitimate_text:
            continue  # an id we hold, or words the page shows for any link
        assert piece not in text, f"text from the link is on the page: {piece!r}"


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(params=PARAMS, age=st.integers(0, 17))
@example(params={"school": "oakfield-primary", "focus": "scams,[Report here](https://evil.example/report)",
                 "phone": "Call now: 0800 000 0000"}, age=9)
def test_hostile_links_put_no_text_in_the_plan(monkeypatch, legitimate_text, params, age):
    """All the way through the wizard to the plan on screen."""
    at = run_app(monkeypatch, params)
    uid = at.session_state["draft"]["children"][0]["uid"]
    at.number_input(key=f"age-{uid}").set_value(age).run()
    for key in ("next-0", "next-1", "next-2"):
        at.button(key=key).click().run()
        assert not at.exception
    assert at.session_state["step"] == 3
    plan_text = page_text(at)
    assert "Your plan is ready" in plan_text
    assert_nothing_from_the_link(params, plan_text, legitimate_text + "\n" + plan_text_for(age))
