"""The draft: this session's own copy of the answers, kept in the answers file form (what
`plan.parse_answers` validates) plus what only the wizard needs (a stable id per child, text
still being typed). `draft_from_data` and `data_from_draft` are the one pair of conversions.

Answers live in this browser session (st.session_state) and nowhere else. Widgets are seeded
from the draft on every draw, because Streamlit forgets the state of widgets that are not on
screen; that is what keeps Back and Next from losing answers.
"""
from __future__ import annotations

import uuid

import streamlit as st

from plan import AnswersError, parse_answers_text
from plan.answers import MAX_ANSWERS_BYTES
from plan.links import LinkChoice, read_link
from web.service import Service

STEPS = ("Your children", "Devices and apps", "Worries", "Your plan")


def new_child(**saved) -> dict:
    """A child as the draft keeps them: the answers file's fields, with "" and None for
    nothing yet, and a uid that keys their widgets. New children get the link's focus worries."""
    focus = list(link().focus) if "link" in st.session_state and not saved else []
    return {"uid": uuid.uuid4().hex[:8], "name": saved.get("name") or "", "age": saved.get("age"),
            "birth_month": saved.get("birth_month"), "devices": list(saved.get("devices", [])),
            "apps": list(saved.get("apps", [])), "concerns": list(saved.get("concerns", focus))}


def link() -> LinkChoice:
    return st.session_state.link


def start(service: Service) -> None:
    """A new session (or Start again): read the link once, then preset from it and the host."""
    if "draft" in st.session_state:
        return
    params = {key: st.query_params.get_all(key) for key in st.query_params}
    st.session_state.link = read_link(params, service.site, service.content.vocabulary)
    school = link().school
    region = school.region if school else (service.site.config.default_region if service.site else None)
    st.session_state.draft = {"children": [new_child()], "home": [], "situation": "planning", "what_happened": None,
                              "region": region, "leave_out": [], "own_rules": ""}
    st.session_state.initial = data_from_draft(st.session_state.draft)  # web/tab.py: nothing to keep yet
    st.session_state.step = 0


def draft() -> dict:
    return st.session_state.draft



def data_from_draft(d: dict) -> dict:
    """The draft in the answers file form (what parse_answers validates)."""
    happened = d["situation"] == "something-happened" and d.get("what_happened")
    return {
        "situation": d["situation"],
        **({"what_happened": d["what_happened"]} if happened else {}),
        "region": d["region"],
        "home": list(d["home"]),
        "children": [
            {"age": c["age"], "devices": c["devices"], "apps": c["apps"], "concerns": c["concerns"],
             **({"name": c["name"].strip()} if c["name"].strip() else {}),
             **({"birth_month": c["birth_month"]} if c["birth_month"] else {})}
            for c in d["children"]
        ],
        "agreement": {"leave_out": list(d["leave_out"]),
                      "own": own_rules(d)},
    }


def own_rules(d: dict) -> list[str]:
    """The family's own agreement rules, kept in the draft one per line."""
    return [line.strip() for line in d["own_rules"].splitlines() if line.strip()]


def draft_from_data(data: dict) -> dict:
    """A draft holding answers in their file form (from `Answers.to_data`)."""
    agreement = data.get("agreement") or {}
    return {
        "children": [new_child(**child) for child in data["children"]],
        "home": list(data.get("home", [])), "situation": data.get("situation", "planning"),
        "what_happened": data.get("what_happened"),
        "region": data.get("region"), "leave_out": list(agreement.get("leave_out", [])),
        "own_rules": "\n".join(agreement.get("own", [])),
    }


def load_saved(vocabulary) -> None:
    """Load a saved answers file: all of it or, with a clear message, none of it."""
    upload = st.session_state.get("saved-answers")
    if upload is None:
        return
    refused = "That file could not be loaded, so nothing was changed: "
    if not upload.name.lower().endswith((".yaml", ".yml")):
        st.session_state.load_problem = refused + "choose the .yaml file you saved from your plan page."
        return
    if upload.size > MAX_ANSWERS_BYTES:
        st.session_state.load_problem = (refused + f"it is larger than {MAX_ANSWERS_BYTES // 1024} KB, "
                                         "so it is not a saved answers file.")
        return
    try:
        answers = parse_answers_text(upload.getvalue(), vocabulary)
    except AnswersError as exc:
        st.session_state.load_problem = refused + str(exc)
        return
    link_choice, initial = st.session_state.link, st.session_state.get("initial")
    st.session_state.clear()
    st.session_state.link, st.session_state.initial = link_choice, initial
    st.session_state.tab_checked = True  # these answers replace the tab's copy (web/tab.py)
    st.session_state.draft = draft_from_data(answers.to_data())
    st.session_state.step = len(STEPS) - 1
    st.session_state.moved = True

