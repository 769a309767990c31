"""The wizard, driven with Streamlit's AppTest: every step, Back and Next, and Start again.
(AppTest cannot read download bytes: the PDF itself is tested on the builder and in the
browser journey.)"""
from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

import plan
from plan.content import ContentError, default_content
from plan.outputs import OUTPUTS
from plan.markdown import md

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
    return next(h.value for h in at.header if h.value.startswith("Step "))  # a heading


def click(at: AppTest, key: str) -> AppTest:
    at.button(key=key).click().run()
    assert not at.exception
    return at


def fill_child(at: AppTest, index: int, name: str | None, age: int) -> None:
    uid = uids(at)[index]
    if name is not None:
        at.text_input(key=f"name-{uid}").input(name).run()
    at.number_input(key=f"age-{uid}").set_value(age).run()


def shown_headers(at: AppTest) -> list[str]:
    """Header texts as a reader sees them (the app escapes Markdown in them), after the step's own."""
    return [re.sub(r"\\(.)", r"\1", h.value) for h in at.header if not h.value.startswith("Step ")]


def as_read(markdown: str) -> str:
    """What a reader sees of escaped Markdown: the backslashes go."""
    return re.sub(r"\\(.)", r"\1", markdown)


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
    widgets = [*app.text_input, *app.number_input, *app.selectbox, *app.multiselect, *app.checkbox, *app.radio, *app.button]
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
    assert app.number_input(key=f"age-{ava}").value == 7
    click(app, "next-0")
    click(app, "next-1")
    assert app.checkbox(key=f"concern-{sam}-grooming").value is True
    assert app.checkbox(key=f"concern-{sam}-bullying").value is False
    assert app.checkbox(key=f"concern-{ava}-screen-time").value is True

    click(app, "next-2")
    assert step(app) == "Step 4 of 4: Your plan"
    headers = shown_headers(app)
    assert headers[:3] == ["Our plan at a glance", "Our family online-safety plan", "If something happens"]
    assert "Sam, age 12" in headers and "Ava, age 7" in headers and "Your home" in headers
    shown = " ".join(m.value for m in app.markdown)
    assert "Screen Time" in shown and "Xbox Family Settings" in shown
    assert [b.label for b in app.get("download_button")] == [OUTPUTS[0].label, "Download this plan (PDF)"]  # top and end
    open_more_ways(app)
    assert [b.label for b in app.get("download_button")] == [o.label for o in OUTPUTS] + ["Download this plan (PDF)"]
    assert app.session_state["draft"]["children"][0]["concerns"] == ["grooming"]


def test_worries_that_fit_each_childs_age_come_first_in_groups(app):
    fill_child(app, 0, "Sam", 12)
    button_by_label(app, "Add another child").click().run()
    fill_child(app, 1, "Ava", 7)
    sam, ava = uids(app)
    click(app, "next-0")
    click(app, "next-1")
    assert [e.label for e in app.expander] == ["What each worry means", "More worries for Ava"]  # all fit a 12-year-old
    meanings, more = app.expander
    said = " ".join(m.value for m in meanings.markdown)
    for term in default_content().vocabulary.concerns:  # each meaning said once, for the whole family
        assert said.count(f"**{md(term.label)}**") == 1, term.id
    assert all(c.label.count(":") == 0 for c in app.checkbox if c.key and c.key.startswith("concern-"))
    later = {c.key for c in more.checkbox}
    assert f"concern-{ava}-nude-images" in later and f"concern-{ava}-bullying" not in later
    assert not any(key.startswith(f"concern-{sam}-") for key in later)
    assert [s.value for s in app.subheader][:4] == ["People they talk to online", "What they see",
                                                     "What they do or share", "Time and money"]
    more.checkbox(key=f"concern-{ava}-scams").check().run()
    app.checkbox(key=f"concern-{ava}-bullying").check().run()
    assert app.session_state["draft"]["children"][1]["concerns"] == ["bullying", "scams"]  # the list's order


def open_more_ways(at: AppTest) -> None:
    """Open "More ways to keep and use your plan" (an expander that reruns the script when opened)."""
    at.session_state["more-ways"] = True
    at.run()
    assert not at.exception


def test_downloads_are_made_in_the_run_kept_while_the_answers_hold_and_remade_when_they_change(app):
    """Files are handed to Streamlit as bytes (a file made on the press can be dropped before a
    busy server serves it); they must follow every change of the answers, the agreement included."""
    from io import BytesIO

    from pypdf import PdfReader

    fill_child(app, 0, "Sam", 12)
    for key in ("next-0", "next-1", "next-2"):
        click(app, key)
    files = app.session_state["files"]
    assert list(files) == ["pdf"]  # the others are made only when the family asks for them
    pdf = files["pdf"][1]
    assert "Sam, age 12" in "".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)
    open_more_ways(app)
    files = app.session_state["files"]
    assert set(files) == {o.id for o in OUTPUTS}
    assert files["pdf"][1] is pdf  # a rerun with the same answers does not make it again
    agreement = files["agreement"][1]

    add_rule(app, "We charge phones in the kitchen")
    files = app.session_state["files"]
    for output_id, before in (("pdf", pdf), ("agreement", agreement)):
        text = "".join(page.extract_text() for page in PdfReader(BytesIO(files[output_id][1])).pages)
        assert files[output_id][1] != before and "We charge phones in the kitchen" in text, output_id


def test_something_happened_puts_first_steps_first(app):
    fill_child(app, 0, None, 14)
    click(app, "next-0")
    click(app, "next-1")
    app.radio(key="situation").set_value("something-happened").run()
    assert any("call 999" in i.value for i in app.info)
    click(app, "next-2")
    assert shown_headers(app)[:3] == ["First steps now", "Our plan at a glance", "Our family online-safety plan"]


def test_removing_a_child_keeps_the_others(app):
    fill_child(app, 0, "Sam", 12)
    button_by_label(app, "Add another child").click().run()
    fill_child(app, 1, "Ava", 7)
    button_by_label(app, "Remove Sam").click().run()
    assert [c["name"] for c in app.session_state["draft"]["children"]] == ["Ava"]
    assert app.number_input(key=f"age-{uids(app)[0]}").value == 7


def test_at_most_ten_children(app):
    for _ in range(9):
        button_by_label(app, "Add another child").click().run()
    assert len(uids(app)) == 10
    assert not [b for b in app.button if b.label == "Add another child"]


def test_start_again_asks_first_and_no_keeps_the_answers(app):
    fill_child(app, 0, "Sam", 12)
    click(app, "next-0")
    button_by_label(app, "Start again").click().run()
    assert "Clear all your answers?" in " ".join(w.value for w in app.warning)
    button_by_label(app, "No, keep my answers").click().run()
    assert step(app) == "Step 2 of 4: Devices and apps"
    assert app.session_state["draft"]["children"][0]["name"] == "Sam"
    assert [b for b in app.button if b.label == "Start again"]


def test_start_again_clears_everything(app):
    fill_child(app, 0, "Sam", 12)
    click(app, "next-0")
    button_by_label(app, "Start again").click().run()
    button_by_label(app, "Yes, clear my answers").click().run()
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


SAVED = """\
situation: something-happened
region: wales
home: [broadband]
children:
  - name: Sam
    age: 13
    birth_month: 4
    devices: [iphone]
    apps: [tiktok]
    concerns: [bullying]
agreement:
  own: [We put phones away at dinner]
"""


def test_loading_saved_answers_restores_everything_and_opens_the_plan(app):
    app.file_uploader(key="saved-answers").upload("answers.yaml", SAVED.encode(), "application/x-yaml").run()
    assert not app.exception
    assert step(app) == "Step 4 of 4: Your plan"
    d = app.session_state["draft"]
    assert (d["situation"], d["region"], d["home"]) == ("something-happened", "wales", ["broadband"])
    sam = d["children"][0]
    assert (sam["name"], sam["age"], sam["birth_month"], sam["devices"], sam["apps"], sam["concerns"]) == (
        "Sam", 13, 4, ["iphone"], ["tiktok"], ["bullying"])
    assert "We put phones away at dinner" in " ".join(m.value for m in app.markdown).replace("\\", "")
    click(app, "back-3")  # and the wizard shows them
    assert app.checkbox(key=f"concern-{sam['uid']}-bullying").value is True


def test_saved_answers_round_trip_through_the_download(app):
    """What "Save my answers" produces loads back to the same answers."""
    from plan import parse_answers_text
    from plan.outputs import answers_yaml

    answers = parse_answers_text(SAVED)
    app.file_uploader(key="saved-answers").upload("answers.yaml", answers_yaml(answers).encode()).run()
    assert step(app) == "Step 4 of 4: Your plan"
    d = app.session_state["draft"]
    kept = [(c["name"], c["age"], c["birth_month"], tuple(c["devices"]), tuple(c["apps"]), tuple(c["concerns"]))
            for c in d["children"]]
    assert kept == [(c.name, c.age, c.birth_month, c.devices, c.apps, c.concerns) for c in answers.children]
    assert (d["region"], d["own_rules"]) == (answers.region, "\n".join(answers.own_rules))


@pytest.mark.parametrize("text, message", [
    ("children: []\n", "children: must list 1 to 10 children (got 0)"),
    ("not: [valid\n", "answers: not valid YAML"),
    ("children:\n  - age: !!python/object:os.system 5\n", "answers: YAML tags are not allowed"),
])
def test_a_bad_saved_file_changes_nothing_and_says_why(app, text, message):
    fill_child(app, 0, "Ava", 7)
    app.file_uploader(key="saved-answers").upload("answers.yaml", text.encode()).run()
    assert not app.exception
    assert message in as_read(app.error[0].value) and "nothing was changed" in app.error[0].value
    assert step(app) == "Step 1 of 4: Your children"
    assert app.session_state["draft"]["children"][0]["name"] == "Ava"


def test_the_family_can_untick_suggested_rules_and_add_their_own(app):
    fill_child(app, 0, "Sam", 12)
    for key in ("next-0", "next-1", "next-2"):
        click(app, key)
    rules = [c for c in app.checkbox if c.key and c.key.startswith("rule-")]
    assert rules and all(c.value for c in rules)
    rules[0].uncheck().run()
    add_rule(app, "We charge phones in the kitchen")
    add_rule(app, "No *screens* at breakfast")
    d = app.session_state["draft"]
    assert d["leave_out"] == [rules[0].key.removeprefix("rule-")]
    assert d["own_rules"] == "We charge phones in the kitchen\nNo *screens* at breakfast"
    assert app.text_input(key="own-rule").value == ""  # ready for the next one
    shown = " ".join(m.value for m in app.markdown)
    assert "Rule 2: No \\*screens\\* at breakfast" in shown  # as typed, never as Markdown
    shown = as_read(shown)
    assert "We charge phones in the kitchen" in shown and "No *screens* at breakfast" in shown
    click(app, "remove-rule-1")
    assert app.session_state["draft"]["own_rules"] == "No *screens* at breakfast"
    assert "We charge phones in the kitchen" not in as_read(" ".join(m.value for m in app.markdown))


def add_rule(at: AppTest, rule: str) -> None:
    """Type a rule of the family's own and press Add rule."""
    at.text_input(key="own-rule").input(rule)
    click(at, "add-rule")


def test_birth_month_is_kept(app):
    fill_child(app, 0, "Sam", 12)
    uid = uids(app)[0]
    app.selectbox(key=f"month-{uid}").select(3).run()
    click(app, "next-0")
    click(app, "back-1")
    assert app.selectbox(key=f"month-{uid}").value == 3


def test_own_rules_are_checked_as_they_are_added(app):
    fill_child(app, 0, "Sam", 12)
    for key in ("next-0", "next-1", "next-2"):
        click(app, key)
    add_rule(app, "!!!")
    assert as_read(app.error[0].value) == "That rule was not added: it must contain at least one letter or number."
    assert app.text_input(key="own-rule").value == "!!!"  # kept, to put right
    add_rule(app, "   ")
    assert as_read(app.error[0].value) == "Type your rule in the box first, then press Add rule."
    for i in range(10):
        add_rule(app, f"House rule {i}")
    assert not app.error
    add_rule(app, "House rule 10")
    assert not app.exception
    assert "the most it can hold. Remove one to add another." in as_read(app.error[0].value)
    assert app.session_state["draft"]["own_rules"].splitlines() == [f"House rule {i}" for i in range(10)]
    assert "House rule 10" not in as_read(" ".join(m.value for m in app.markdown))


@pytest.mark.parametrize("name, label", [
    ("Zebedee-Quirk", "Devices Zebedee-Quirk uses"), ("**Bold** [x](y)", "Devices Bold x y uses"),
    ("Siân O'Neil", "Devices Siân O'Neil uses"),
])
def test_labels_carry_the_name_without_markup_or_escapes(app, name, label):
    """Labels become aria-labels: no backslashes for a screen reader to read, no markup."""
    fill_child(app, 0, name, 9)
    click(app, "next-0")
    assert app.multiselect[0].label == label


def test_a_childs_heading_shows_the_name_as_soon_as_it_is_typed(app):
    app.text_input(key=f"name-{uids(app)[0]}").input("Maya").run()
    assert "Maya" in [h.value for h in app.header]


@pytest.mark.parametrize("name, text", [
    ("answers.yaml", "children: [{age: 5}]\n'![x](https://tracker.example/p.png)': 1\n"),
    ("answers.yaml", "children: [{age: 5, devices: ['[Open the app](https://phish.example)']}]\n"),
])
def test_a_crafted_file_is_quoted_as_text_never_as_markup(app, name, text):
    app.file_uploader(key="saved-answers").upload(name, text.encode()).run()
    shown = app.error[0].value
    assert "](" not in shown.replace("\\]\\(", "")  # every bracket escaped: no link, no image
    assert "nothing was changed" in shown


@pytest.mark.parametrize("name, data, expected", [
    ("answers.pdf", b"%PDF-1.7", "choose the .yaml file you saved from your plan page"),
    ("answers.yaml", b"#" * (65 * 1024), "larger than 64 KB"),
])
def test_a_wrong_or_oversized_upload_gets_a_plain_message(app, name, data, expected):
    app.file_uploader(key="saved-answers").upload(name, data).run()
    assert not app.exception
    assert expected in as_read(app.error[0].value)


def test_a_name_that_looks_like_an_address_is_no_link_in_labels(app):
    fill_child(app, 0, "www.example.com", 7)
    labels = [b.label for b in app.button] + [m.value for m in app.markdown]
    assert not any("www.example.com" in label for label in labels)


def test_crisis_help_in_two_taps_with_the_steps_and_numbers(app):
    button_by_label(app, "Something has happened? Get help now").click().run()
    choices = [b for b in app.button if b.key and b.key.startswith("crisis-") and b.key not in (
        "crisis-entry", "crisis-back-to-start")]
    assert len(choices) == 10
    next(b for b in app.button if b.key == "crisis-sextortion").click().run()
    shown = " ".join(m.value for m in app.markdown)
    assert "(<tel:999>)" in shown and "Do not pay" in as_read(shown)


def test_from_crisis_help_to_a_full_plan_with_the_situation_chosen(app):
    button_by_label(app, "Something has happened? Get help now").click().run()
    next(b for b in app.button if b.key == "crisis-scam").click().run()
    app.selectbox(key="crisis-age").set_value(12).run()
    next(b for b in app.button if b.key == "crisis-full-plan").click().run()
    draft = app.session_state["draft"]
    assert (draft["situation"], draft["what_happened"]) == ("something-happened", "scam")
    assert draft["children"][0]["age"] == 12 and draft["children"][0]["concerns"] == ["scams"]
    for key in ("next-0", "next-1", "next-2"):
        click(app, key)
    assert shown_headers(app)[0] == "First steps now"
