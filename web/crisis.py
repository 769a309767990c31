"""Something has happened? Get help now: one tap to the choices, one tap to what to do.

The choice shows at once what to do in the next hour, what not to do and whom to call (every
number tap-to-call), before any other question. The child's age and where the family lives are
optional refinements on the same screen, never a gate. "Make a full plan for our family" goes on
into the wizard with the situation and its worry chosen, and the plan opens with the same steps.
"""
from __future__ import annotations

import functools

import streamlit as st

from plan.ages import MAX_AGE, MIN_AGE
from plan.builder import crisis_section
from plan.markdown import md, render_section
from plan.model import Route, tel_href, walk
from web.draft import draft, new_child
from web.service import Service

ENTRY = "Something has happened? Get help now"
CHOOSE = "choose"  # st.session_state.crisis: None (planning), CHOOSE, or a what_happened id


def entry() -> None:
    """The way in, above the planning form: one calm button."""
    st.button(ENTRY, on_click=_open, args=(CHOOSE,), type="primary", icon=":material/support:",
              use_container_width=True, key="crisis-entry")


def active() -> bool:
    return st.session_state.get("crisis") is not None


def _open(value: str | None) -> None:
    st.session_state.crisis = value
    st.session_state.moved = True


def page(service: Service) -> None:
    """The crisis screens: the choices, then one situation's help."""
    chosen = st.session_state.crisis
    if chosen == CHOOSE:
        choices(service)
    else:
        help_now(service, chosen)


def choices(service: Service) -> None:
    st.header("What has happened?", anchor=False)
    st.markdown("Choose the closest. You will see what to do straight away. If a child is in danger now, "
                "call [999](tel:999).")
    for situation in service.content.situations:
        st.button(situation.choice, key=f"crisis-{situation.id}", on_click=_open, args=(situation.id,),
                  use_container_width=True)  # our own wording, plain: it is the accessible name
    st.button("Back", on_click=_open, args=(None,), key="crisis-back-to-start")


def help_now(service: Service, what_happened: str) -> None:
    content = service.content
    situation = content.situation(what_happened)
    d = draft()
    age = st.session_state.get("crisis-age")
    region = st.session_state.get("crisis-region", d["region"])
    section = crisis_section(content, what_happened, region, age)
    routes = [block for block in walk(section.blocks) if isinstance(block, Route)]
    first = routes[0].contacts if routes else ()
    st.header("Get help now", anchor=False)
    st.markdown(md(situation.choice))
    call_now = [f"{md(card.name)} [{md(card.phone)}](<{tel_href(card.phone)}>)" for card in first if card.phone][:3]
    if call_now:  # the first three numbers first, so they are on a phone's first screen; all are below
        st.markdown("**Call:** " + " · ".join(call_now))
    st.markdown(render_section(section))
    st.subheader("Tell us more (optional)", anchor=False)
    st.markdown("This only changes the advice above. You do not have to answer.")
    st.selectbox("Your child's age", options=list(range(MIN_AGE, MAX_AGE + 1)), index=None, key="crisis-age",
                 placeholder="Choose their age", format_func=lambda a: "Under 1" if a == 0 else f"{a}")
    vocab = content.vocabulary
    if "crisis-region" not in st.session_state:
        st.session_state["crisis-region"] = d["region"]
    st.selectbox("Where you live", options=vocab.ids("regions"), index=None, key="crisis-region",
                 format_func=functools.partial(vocab.label, "regions"), placeholder="Somewhere in the UK")
    st.button("Make a full plan for our family", type="primary", on_click=_full_plan, args=(service, what_happened),
              use_container_width=True, key="crisis-full-plan")
    st.button("Back to the choices", on_click=_open, args=(CHOOSE,), key="crisis-back")


def _full_plan(service: Service, what_happened: str) -> None:
    """Into the wizard with the situation, its worry, and any age and region given here."""
    d = draft()
    concern = service.content.situation(what_happened).concern
    d["situation"], d["what_happened"] = "something-happened", what_happened
    d["region"] = st.session_state.get("crisis-region", d["region"])
    first = d["children"][0] if d["children"] else new_child()
    if st.session_state.get("crisis-age") is not None:
        first["age"] = st.session_state["crisis-age"]
    if concern and concern not in first["concerns"]:
        first["concerns"].append(concern)
    d["children"] = [first, *d["children"][1:]]
    for key in [k for k in st.session_state if isinstance(k, str) and k.startswith(("age-", "region", "situation", "concern-"))]:
        del st.session_state[key]  # widgets re-seed from the draft
    st.session_state.crisis = None
    st.session_state.step = 0
    st.session_state.moved = True
