"""The wizard, driven with Streamlit's AppTest: every step, Back and Next, and Start again.
(AppTest cannot read download bytes: the PDF itself is tested on the builder and in the
browser journey.)"""
from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

import plan
from plan.content import ContentError

from .conftest import ROOT


@pytest.fixture
def app() -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    at.run()
    assert not at.exception
    return at


def uids(at: AppTest) -> list[str]:
    return [c["uid"] for c in at.session_state["draft"]["children"]]


def step(at: AppTest) -> str:
    return next(m.value for m in at.markdown if m.value.startswith("Step "))


def click(at: AppTest, key: str) -> AppTest:
    at.button(key=key).click().run()
    assert not at.exception
    return at


def fill_child(at: AppTest, index: int, name: str | None, age: int) -> None:
    uid = uids(at)[index]
    if name is not None:
        at.text_input(key=f"name-{uid}").input(name).run()
    at.selectbox(key=f"age-{uid}").select(age).run()


def shown_headers(at: AppTest) -> list[str]:
    """Header texts as a reader sees them (the app escapes Markdown in them)."""
    return [re.sub(r"\\(.)", r"\1", h.value) for h in at.header]


def button_by_label(at: AppTest, label: str):
    return next(b for b in at.button if b.label == label)


def test_first_step_asks_for_children_and_waits_for_an_age(app):
    assert step(app) == "Step 1 of 4: Your children"
    assert app.button(key="next-0").disabled
    fill_child(app, 0, "Sam", 12)
    assert not app.button(key="next-0").disabled


def test_every_control_has_a_label(app):
    fill_child(app, 0, "Sam", 12)
    click(app, "next-0")
    widgets = [*app.text_input, *app.selectbox, *app.multiselect, *app.checkbox, *app.radio, *app.button]
    assert all(w.label.strip() for w in widgets)


def test_whole_journey_with_back_and_forward_keeps_every_answer(app):
    fill_child(app, 0, "Sam", 12)
    button_by_label(app, "Add another child").click().run()
    fill_child(app, 1, "Ava", 7)
    sam, ava = uids(app)
    click(app, "next-0")
    assert step(app) == "Step 2 of 4: Devices and apps"
    app.multiselect(key=f"devices-{sam}").select("iphone").select("xbox").run()
    app.multiselect(key=f"apps-{sam}").select("roblox").run()
    app.multiselect(key="home").select("broadband").run()
    click(app, f"copy-{ava}")  # "Same as Sam"
    assert app.multiselect(key=f"devices-{ava}").value == ["iphone", "xbox"]
    assert app.multiselect(key=f"apps-{ava}").value == ["roblox"]
    click(app, "next-1")
    assert step(app) == "Step 3 of 4: Worries"
    app.checkbox(key=f"concern-{sam}-grooming").check().run()
    app.checkbox(key=f"concern-{ava}-screen-time").check().run()

    # all the way back to the start and forward again: nothing lost
    click(app, "back-2")
    assert app.multiselect(key=f"devices-{sam}").value == ["iphone", "xbox"]
    assert app.multiselect(key="home").value == ["broadband"]
    click(app, "back-1")
    assert app.text_input(key=f"name-{sam}").value == "Sam"
    assert app.selectbox(key=f"age-{ava}").value == 7
    click(app, "next-0")
    click(app, "next-1")
    assert app.checkbox(key=f"concern-{sam}-grooming").value is True
    assert app.checkbox(key=f"concern-{sam}-bullying").value is False
    assert app.checkbox(key=f"concern-{ava}-screen-time").value is True

    click(app, "next-2")
    assert step(app) == "Step 4 of 4: Your plan"
    headers = shown_headers(app)
    assert headers[:2] == ["Our family online-safety plan", "If something happens"]
    assert "Sam, age 12" in headers and "Ava, age 7" in headers and "Your home" in headers
    shown = " ".join(m.value for m in app.markdown)
    assert "Screen Time" in shown and "Xbox Family Settings" in shown
    assert [b.label for b in app.get("download_button")] == ["Download PDF"]
    assert app.session_state["draft"]["children"][0]["concerns"] == ["grooming"]


def test_something_happened_puts_first_steps_first(app):
    fill_child(app, 0, None, 14)
    click(app, "next-0")
    click(app, "next-1")
    app.radio(key="situation").set_value("something-happened").run()
    assert any("call 999" in i.value for i in app.info)
    click(app, "next-2")
    assert shown_headers(app)[:2] == ["Our family online-safety plan", "First steps now"]


def test_removing_a_child_keeps_the_others(app):
    fill_child(app, 0, "Sam", 12)
    button_by_label(app, "Add another child").click().run()
    fill_child(app, 1, "Ava", 7)
    button_by_label(app, "Remove Sam").click().run()
    assert [c["name"] for c in app.session_state["draft"]["children"]] == ["Ava"]
    assert app.selectbox(key=f"age-{uids(app)[0]}").value == 7


def test_at_most_ten_children(app):
    for _ in range(9):
        button_by_label(app, "Add another child").click().run()
    assert len(uids(app)) == 10
    assert not [b for b in app.button if b.label == "Add another child"]


def test_start_again_clears_everything(app):
    fill_child(app, 0, "Sam", 12)
    click(app, "next-0")
    button_by_label(app, "Start again").click().run()
    assert step(app) == "Step 1 of 4: Your children"
    assert app.session_state["draft"]["children"][0]["name"] == ""
    assert app.text_input(key=f"name-{uids(app)[0]}").value == ""


def test_names_are_shown_as_text_not_markup(app):
    fill_child(app, 0, "**Bold** <b>x</b>", 9)
    assert "\\*\\*Bold\\*\\* \\<b\\>x\\</b\\>" in [h.value for h in app.header]
    click(app, "next-0")
    click(app, "next-1")
    click(app, "next-2")
    assert "\\*\\*Bold\\*\\* \\<b\\>x\\</b\\>, age 9" in [h.value for h in app.header]
    cover = next(m.value for m in app.markdown if m.value.startswith("For "))
    assert "\\*\\*Bold\\*\\* \\<b\\>x\\</b\\>" in cover


def test_broken_content_shows_a_calm_page_not_a_traceback(monkeypatch):
    def broken():
        raise ContentError(["content/routes.yaml: item 'x': contacts: 'nobody' is not in contacts.yaml"])

    monkeypatch.setattr(plan, "default_content", broken)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30).run()
    assert not at.exception
    assert "temporarily unavailable" in at.warning[0].value
    assert "routes.yaml" not in at.warning[0].value
