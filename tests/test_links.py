"""Shared links and hosts: a link may only select a known school and preset known worries.
Nothing from a URL ever reaches the page or the plan (this is a phishing target)."""
from __future__ import annotations

from plan.content import default_content

import re
import shutil

import pytest
from streamlit.testing.v1 import AppTest

from plan.links import read_link
from plan.site import SITE_ENV, load_site

from .conftest import FIXTURES, ROOT

SITE = FIXTURES / "site"
IGNORED = "Part of the link you followed was not recognised, so it has been ignored."


@pytest.fixture(scope="module")
def site():
    return load_site(SITE, default_content())


# ---- read_link, the pure rule ------------------------------------------------------------------


def test_known_school_and_focus_are_selected(site, content):
    choice = read_link({"school": ["oakfield-primary"], "focus": ["screen-time,scams"]}, site, content.vocabulary)
    assert choice.school.name == "Oakfield Primary School"
    assert choice.focus == ("scams", "screen-time") and not choice.ignored


@pytest.mark.parametrize("params", [
    {"school": ["nowhere-school"]},
    {"school": ["<script>alert(1)</script>"]},
    {"school": ["oakfield-primary<b>"]},
    {"school": ["OAKFIELD-PRIMARY"]},
    {"school": ["oakfield-primary", "riverside-academy"]},  # repeated with different values
    {"school": ["oakfield-primary" + "x" * 5000]},
    {"school": ["Call 0800 000 0000 now"]},
    {"phone": ["0800 000 0000"]},
    {"name": ["Evil Corp"], "school": ["oakfield-primary"]},
    {"focus": ["scams,<img src=x>"]},
    {"focus": ["grooming", "scams"]},
])
def test_anything_unrecognised_is_ignored(site, content, params):
    choice = read_link(params, site, content.vocabulary)
    assert choice.ignored
    assert choice.school is None or params.get("school") == ["oakfield-primary"]
    assert set(choice.focus) <= set(content.vocabulary.ids("concerns"))


def test_same_value_repeated_is_fine(site, content):
    assert read_link({"school": ["oakfield-primary"] * 2}, site, content.vocabulary).school.id == "oakfield-primary"


def test_no_site_means_no_school(content):
    choice = read_link({"school": ["oakfield-primary"]}, None, content.vocabulary)
    assert choice.school is None and choice.ignored


# ---- the app with a host's site folder ---------------------------------------------------------


def hosted(monkeypatch, folder=SITE, **params) -> AppTest:
    monkeypatch.setenv(SITE_ENV, str(folder))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception
    return at


def page_text(at: AppTest) -> str:
    parts = [e.value for kind in ("markdown", "info", "warning", "header", "title", "code") for e in at.get(kind)
             if isinstance(getattr(e, "value", None), str)]
    return "\n".join(parts)


def test_school_link_greets_presets_region_and_adds_the_school_to_the_plan(monkeypatch):
    at = hosted(monkeypatch, school="oakfield-primary", focus="scams")
    assert any(i.value == "Oakfield Primary School shared this with you." for i in at.info)
    assert at.selectbox(key="region").value == "hampshire"
    uid = at.session_state["draft"]["children"][0]["uid"]
    at.number_input(key=f"age-{uid}").set_value(9).run()
    for key in ("next-0", "next-1"):
        at.button(key=key).click().run()
    assert at.checkbox(key=f"concern-{uid}-scams").value is True
    at.button(key="next-2").click().run()
    text = page_text(at)
    assert "Your school" in text and "0113 496 0000" in text.replace("\\", "")
    assert "Toyshire Family Hub" in text
    assert "This service is provided by Toyshire Safeguarding Partnership" in text.replace("\\", "")


@pytest.mark.parametrize("params", [
    {"school": "<script>alert('x')</script>"},
    {"school": "Call 0800 000 0000"},
    {"school": "x" * 3000},
    {"focus": "scams,[click](https://evil.example)", "utm": "<b>hi</b>"},
])
def test_hostile_links_put_nothing_on_the_page(monkeypatch, params):
    at = hosted(monkeypatch, **params)
    text = page_text(at)
    assert IGNORED in text
    for value in params.values():
        assert value not in text
    assert "0800 000 0000" not in text and "evil" not in text and "script" not in text
    assert not at.info  # no greeting for an unknown school


def test_without_a_site_school_links_are_ignored_quietly(monkeypatch):
    monkeypatch.delenv(SITE_ENV, raising=False)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    at.query_params["school"] = "oakfield-primary"
    at.run()
    assert not at.exception and IGNORED in page_text(at) and not at.info


def test_broken_site_folder_shows_a_calm_page(monkeypatch, tmp_path):
    shutil.copytree(SITE, tmp_path / "site")
    (tmp_path / "site" / "site.yaml").write_text((SITE / "site.yaml").read_text().replace("#5a2d82", "purple"))
    at = hosted(monkeypatch, folder=tmp_path / "site")
    assert "temporarily unavailable" in at.warning[0].value
    assert "colour" not in page_text(at)


def test_region_question_changes_the_plan(monkeypatch):
    monkeypatch.delenv(SITE_ENV, raising=False)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30).run()
    uid = at.session_state["draft"]["children"][0]["uid"]
    at.number_input(key=f"age-{uid}").set_value(12).run()
    at.selectbox(key="region").select("scotland").run()
    for key in ("next-0", "next-1", "next-2"):
        at.button(key=key).click().run()
    assert at.session_state["draft"]["region"] == "scotland"
    text = re.sub(r"\\(.)", r"\1", page_text(at))
    assert "Police Scotland" in text
