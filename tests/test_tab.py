"""The tab's copy of the answers (web/tab.py), without a browser: what is kept, and that a copy
coming back from the browser is checked as strictly as an uploaded answers file."""
from __future__ import annotations

import json
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from plan import AnswersError
from web.draft import data_from_draft, draft_from_data
from web.tab import MAX_KEPT, VERSION, memory, restored

ANSWERS = {"situation": "planning", "region": "scotland", "home": ["smart-speaker"],
           "children": [{"age": 12, "name": "Sam", "devices": ["iphone"], "apps": ["roblox"], "concerns": ["bullying"]},
                        {"age": None, "devices": [], "apps": [], "concerns": []}],
           "agreement": {"leave_out": [], "own": ["Phones away at dinner"]}}


class State(SimpleNamespace):
    def get(self, name, default=None):
        return getattr(self, name.replace("-", "_"), default)


def state(**fields) -> State:
    fresh = draft_from_data({"children": [{"age": None}]})
    fresh["children"][0]["age"] = None
    base = {"draft": fresh, "step": 0, "initial": data_from_draft(fresh), "crisis": None}
    return State(**{**base, **fields})


def copy(**fields) -> str:
    return json.dumps({"v": VERSION, "answers": ANSWERS, "step": 2, "crisis": None, **fields})


def test_nothing_is_kept_until_the_family_has_said_something():
    assert memory(state()) is None
    assert memory(state(step=1)) is not None
    assert memory(state(crisis="choose")) is not None
    typed = state()
    typed.draft["children"][0]["name"] = "Ava"
    assert json.loads(memory(typed))["answers"]["children"][0] == {"age": None, "devices": [], "apps": [],
                                                                   "concerns": [], "name": "Ava"}


def test_what_is_kept_comes_back_as_it_was(content):
    d = draft_from_data({**ANSWERS, "children": [ANSWERS["children"][0]]})
    text = memory(state(draft=d, step=3))
    back = restored(text, content)
    assert data_from_draft(back["draft"]) == data_from_draft(d)
    assert back["step"] == 3 and back["crisis"] is None


def test_a_child_with_no_age_yet_comes_back_on_the_first_step(content):
    back = restored(copy(), content)
    assert [c["age"] for c in back["draft"]["children"]] == [12, None]
    assert back["draft"]["children"][0]["name"] == "Sam" and back["draft"]["own_rules"] == "Phones away at dinner"
    assert back["step"] == 0  # not past the question still to answer


def test_the_crisis_screen_comes_back_only_with_a_known_situation(content):
    assert restored(copy(crisis="sextortion", crisis_age=14, crisis_region="wales"), content)["crisis"] == "sextortion"
    back = restored(copy(crisis="<script>", crisis_age="14", crisis_region="atlantis"), content)
    assert (back["crisis"], back["crisis-age"], back["crisis-region"]) == (None, None, None)


@pytest.mark.parametrize("text", [
    None, 7, "", "not json", "[]", json.dumps({"v": 2, "answers": ANSWERS}), json.dumps({"v": VERSION}),
    copy(answers={**ANSWERS, "children": []}),
    copy(answers={**ANSWERS, "children": [{"age": 12, "devices": ["typewriter"]}]}),
    copy(answers={**ANSWERS, "children": [{"age": 12, "name": "Sam\u202eevil"}]}),
    copy(answers={**ANSWERS, "agreement": {"own": ["x" * 500]}}),
    "[" * 100_000, "x" * (MAX_KEPT + 1),
])
def test_a_changed_or_broken_copy_is_refused(content, text):
    with pytest.raises(AnswersError):
        restored(text, content)


@settings(max_examples=150, deadline=None)
@given(st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=30),
                    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
                    max_leaves=30))
def test_any_json_is_taken_or_refused_cleanly(content, value):
    text = json.dumps({"v": VERSION, "answers": value, "step": value})
    try:
        back = restored(text, content)
    except AnswersError as exc:
        assert "\n" not in str(exc)
    else:
        assert 0 <= back["step"] <= 3
