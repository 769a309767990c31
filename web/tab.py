"""The tab's own copy of the answers: what brings a family back to where they were after a
refresh, a back gesture and forward again, or a lost server.

Streamlit keeps a session's answers in the memory of the one server process that runs it. A
refresh starts a new session; so does a reconnection to another replica when one is lost. So
at the end of every run the page hands the tab a copy of the draft (in the answers file's own
form, plus the step and the crisis screen), which it keeps in `sessionStorage`: that browser
tab's own storage, on the device, never sent anywhere else and gone when the tab closes. Start
again and Quick exit clear it. No server keeps anything: the copy goes to the tab, and comes
back only to the session that tab opens next.

A new session asks the tab first, before it keeps anything: while this session has nothing of
its own (the draft as it began, on the first step, no crisis screen), the page says "restore";
a tab holding a copy sends it back once, and it is checked like an uploaded answers file
(`restored`) before anything of it is used. From then on, or as soon as the family changes
anything, the page says "keep this" at the end of every run.

The bridge is a Streamlit component (`st.components.v2`) with a few lines of JavaScript and no
HTML of its own. Streamlit loads a component's script from a `blob:` URL the page made itself,
so the Content Security Policy allows `blob:` scripts (serving/edge.py).
"""
from __future__ import annotations

import functools
import json
from typing import Any

import streamlit as st

from plan import AnswersError, parse_answers
from plan.ages import MAX_AGE, MIN_AGE
from plan.answers import MAX_ANSWERS_BYTES
from plan.content import Content
from web.draft import STEPS, data_from_draft, draft_from_data

VERSION = 1
MAX_KEPT = 2 * MAX_ANSWERS_BYTES  # characters: the answers' size limit, with room for JSON's quoting
STORAGE_KEY = "family-plan-answers"  # the tab's one item; Quick exit clears the tab's storage

# `data` is {"restore": true} or {"keep": text or null}. Read once per page load at most: a
# tab that holds a copy sends it back as the trigger "restore"; a tab whose storage is refused
# (some private modes) says so once, as "problem".
TAB_JS = """
export default function ({ data, setTriggerValue }) {
  const key = "%s";
  let store = null;
  try { store = window.sessionStorage; store.getItem(key); } catch (e) { store = null; }
  const problem = (what) => { if (!window.familyPlanTabProblem) { window.familyPlanTabProblem = 1; setTriggerValue("problem", what); } };
  if (!store) { problem("unavailable"); return; }
  if (data && data.restore) {
    const kept = store.getItem(key);
    if (kept) { setTriggerValue("restore", kept); }
    return;
  }
  try {
    if (data && typeof data.keep === "string") { store.setItem(key, data.keep); } else { store.removeItem(key); }
  } catch (e) { problem("full"); }
}
""" % STORAGE_KEY

RESTORED = "Your answers were brought back from this browser tab. Check them and carry on."
NOT_RESTORED = ("Your earlier answers in this tab could not be brought back, so this is a fresh start. "
                "If you saved your answers as a file, you can load it under \"Coming back?\".")
NO_STORAGE = ("This browser is not letting the page keep your answers in this tab, so refreshing the page "
              "would lose them. To keep them, download your answers file from the plan page.")


@functools.cache
def _component():
    return st.components.v2.component("family_plan_tab", js=TAB_JS)


def memory(state: Any) -> str | None:
    """What the tab should keep for this session: None while there is nothing of the family's."""
    kept = {"answers": data_from_draft(state.draft), "step": state.step, "crisis": state.get("crisis"),
            "crisis_age": state.get("crisis-age"), "crisis_region": state.get("crisis-region")}
    if kept["answers"] == state.get("initial") and not any(kept[k] for k in ("step", "crisis", "crisis_age")):
        return None
    return json.dumps({"v": VERSION, **kept}, ensure_ascii=False, separators=(",", ":"))


def restored(text: Any, content: Content) -> dict:
    """The tab's copy, checked as strictly as an uploaded answers file (it comes from the browser,
    so it may have been changed there): {"draft", "step", "crisis", "crisis-age", "crisis-region"}.
    Raises AnswersError naming what is wrong. A child whose age is not chosen yet is allowed
    (the family may have refreshed on the first step); the rest must be valid answers."""
    if not isinstance(text, str) or len(text) > MAX_KEPT:
        raise AnswersError("tab: not a copy of answers this page keeps")
    try:
        kept = json.loads(text)
    except (ValueError, RecursionError):
        raise AnswersError("tab: not a copy of answers this page keeps") from None
    if not isinstance(kept, dict) or kept.get("v") != VERSION or not isinstance(kept.get("answers"), dict):
        raise AnswersError("tab: not a copy of answers this page keeps")
    data = dict(kept["answers"])
    children = data.get("children")
    no_age = []
    if isinstance(children, list):
        data["children"] = []
        for index, child in enumerate(children):
            if isinstance(child, dict) and child.get("age") is None:
                no_age.append(index)
                child = {**child, "age": MIN_AGE}  # checked like the rest, then unset again
            data["children"].append(child)
    answers = parse_answers(data, content.vocabulary)
    draft = draft_from_data(answers.to_data())
    for index in no_age:
        draft["children"][index]["age"] = None
    step = kept.get("step")
    if isinstance(step, bool) or not isinstance(step, int) or not 0 <= step < len(STEPS) or no_age:
        step = 0
    crisis = kept.get("crisis")
    if crisis != "choose" and crisis not in {s.id for s in content.situations}:
        crisis = None
    age = kept.get("crisis_age")
    if isinstance(age, bool) or not isinstance(age, int) or not MIN_AGE <= age <= MAX_AGE:
        age = None
    region = kept.get("crisis_region")
    if region not in content.vocabulary.ids("regions"):
        region = None
    return {"draft": draft, "step": step, "crisis": crisis, "crisis-age": age, "crisis-region": region}


def keep(content: Content) -> None:
    """At the end of every run of the wizard: ask the tab for its copy (a new session with
    nothing of its own yet) or hand it this session's."""
    state = st.session_state
    kept = memory(state)
    if kept is not None:
        state.tab_checked = True
    asking = not state.get("tab_checked")
    result = _component()(key="tab", data={"restore": True} if asking else {"keep": kept},
                          on_restore_change=_ignore, on_problem_change=_ignore, width="content", height="content")
    if result.problem and not state.get("tab_problem_said"):
        state.tab_problem_said = True
        state.tab_notice = ("info", NO_STORAGE)
        st.rerun()
    if asking and result.restore is not None:
        state.tab_checked = True
        try:
            back = restored(result.restore, content)
        except AnswersError:
            state.tab_notice = ("warning", NOT_RESTORED)
        else:
            bring_back(back)
            state.tab_notice = ("info", RESTORED)
        st.rerun()


def bring_back(back: dict) -> None:
    """Replace this session's answers with the tab's copy; widgets re-seed from the draft."""
    state = st.session_state
    link, initial = state.link, state.get("initial")
    state.clear()
    state.link, state.initial, state.tab_checked = link, initial, True
    state.draft, state.step = back["draft"], back["step"]
    state.crisis = back["crisis"]
    for name in ("crisis-age", "crisis-region"):
        if back[name] is not None:
            state[name] = back[name]


def notice() -> None:
    """Say once, in plain words, what happened to the tab's copy."""
    said = st.session_state.pop("tab_notice", None)
    if said:
        kind, text = said
        (st.warning if kind == "warning" else st.info)(text)


def _ignore() -> None:
    """Triggers need a callback to be sent at all; the run reads them from the result."""
