"""The family online-safety plan wizard (Streamlit).

This file only gathers answers and shows or downloads what `plan` returns. Answers live in
this browser session (st.session_state) and nowhere else: nothing is written to disk or sent
anywhere. Widgets are seeded from our own store (`draft`) on every draw, because Streamlit
forgets the state of widgets that are not on screen; that is what keeps Back and Next from
losing answers.
"""
from __future__ import annotations

import functools
import logging
import uuid
from datetime import date

import streamlit as st

from plan import AnswersError, ContentError, build_plan, default_content, parse_answers, render_pdf
from plan.ages import MAX_AGE, MIN_AGE
from plan.answers import MAX_CHILDREN, MAX_NAME_LENGTH
from plan.markdown import md, render_sections

log = logging.getLogger("family_plan")
STEPS = ("Your children", "Devices and apps", "Worries", "Your plan")
PDF_NAME = "family-online-safety-plan.pdf"


# ---- the draft: our own copy of the answers ---------------------------------------------------


def new_child() -> dict:
    return {"uid": uuid.uuid4().hex[:8], "name": "", "age": None, "devices": [], "apps": [], "concerns": []}


def draft() -> dict:
    if "draft" not in st.session_state:
        st.session_state.draft = {"children": [new_child()], "home": [], "situation": "planning"}
        st.session_state.step = 0
    return st.session_state.draft


def answers_data(d: dict) -> dict:
    """The draft in the answers file form (what parse_answers validates)."""
    return {
        "situation": d["situation"],
        "home": list(d["home"]),
        "children": [
            {"age": c["age"], "devices": c["devices"], "apps": c["apps"], "concerns": c["concerns"],
             **({"name": c["name"].strip()} if c["name"].strip() else {})}
            for c in d["children"]
        ],
    }


def bound(widget, key: str, store: dict, field: str, **kwargs):
    """Draw `widget` under `key`, seeded from store[field], and copy its value back."""
    if key not in st.session_state:
        st.session_state[key] = store[field]
    store[field] = widget(key=key, **kwargs)
    return store[field]


def child_label(index: int, child: dict) -> str:
    """How the wizard names a child in headings and labels. Streamlit reads these as
    Markdown, so the parent's text is escaped: a name can never become a link or markup."""
    return md(child["name"].strip()) or f"Child {index + 1}"


# ---- navigation ------------------------------------------------------------------------------


def go(step: int) -> None:
    st.session_state.step = step


def start_again() -> None:
    st.session_state.clear()


def add_child() -> None:
    draft()["children"].append(new_child())


def remove_child(uid: str) -> None:
    d = draft()
    d["children"] = [c for c in d["children"] if c["uid"] != uid]


def copy_previous(index: int) -> None:
    """'Same as previous child': copy devices and apps, and update the widgets to match."""
    children = draft()["children"]
    for field in ("devices", "apps"):
        children[index][field] = list(children[index - 1][field])
        st.session_state[f"{field}-{children[index]['uid']}"] = children[index][field]


def nav(step: int, can_go_on: bool = True, next_label: str = "Next") -> None:
    back, forward = st.columns(2)
    if step > 0:
        back.button("Back", on_click=go, args=(step - 1,), use_container_width=True, key=f"back-{step}")
    if step < len(STEPS) - 1:
        forward.button(next_label, on_click=go, args=(step + 1,), type="primary", disabled=not can_go_on,
                       use_container_width=True, key=f"next-{step}")


# ---- the steps ---------------------------------------------------------------------------------


def step_children(content) -> None:
    d = draft()
    st.write("Tell us how old each child is. A first name is optional: it is only used to label "
             "their part of the plan, and it stays on this device.")
    ages = list(range(MIN_AGE, MAX_AGE + 1))
    for index, child in enumerate(d["children"]):
        with st.container(border=True):
            st.header(child_label(index, child), anchor=False)
            bound(st.text_input, f"name-{child['uid']}", child, "name", label=f"Child {index + 1}'s first name (optional)",
                  max_chars=MAX_NAME_LENGTH, placeholder="For example: Sam")
            bound(st.selectbox, f"age-{child['uid']}", child, "age", label=f"Child {index + 1}'s age", options=ages, index=None,
                  placeholder="Choose their age", format_func=lambda a: "Under 1" if a == 0 else f"{a}")
            if len(d["children"]) > 1:
                st.button(f"Remove {child_label(index, child)}", key=f"remove-{child['uid']}",
                          on_click=remove_child, args=(child["uid"],))
    if len(d["children"]) < MAX_CHILDREN:
        st.button("Add another child", on_click=add_child)
    missing = [child_label(i, c) for i, c in enumerate(d["children"]) if c["age"] is None]
    if missing:
        st.markdown(f"Choose an age for {', '.join(missing)} to go on.")
    nav(0, can_go_on=not missing)


def step_devices(content) -> None:
    d = draft()
    vocab = content.vocabulary
    st.write("Choose the devices and apps each child uses, so the plan shows the right settings. "
             "Leave out anything they do not use.")
    for index, child in enumerate(d["children"]):
        with st.container(border=True):
            st.header(child_label(index, child), anchor=False)
            if index > 0:
                st.button(f"Same as {child_label(index - 1, d['children'][index - 1])}",
                          key=f"copy-{child['uid']}", on_click=copy_previous, args=(index,))
            bound(st.multiselect, f"devices-{child['uid']}", child, "devices",
                  label=f"Devices {child_label(index, child)} uses", options=vocab.ids("devices"),
                  format_func=functools.partial(vocab.label, "devices"), placeholder="Choose devices")
            bound(st.multiselect, f"apps-{child['uid']}", child, "apps",
                  label=f"Apps and games {child_label(index, child)} uses", options=vocab.ids("apps"),
                  format_func=functools.partial(vocab.label, "apps"), placeholder="Choose apps")
    st.header("At home", anchor=False)
    bound(st.multiselect, "home", d, "home", label="Shared technology at home (optional)",
          options=vocab.ids("home"), format_func=functools.partial(vocab.label, "home"),
          placeholder="Choose any you have")
    nav(1)


def step_worries(content) -> None:
    d = draft()
    vocab = content.vocabulary
    bound(st.radio, "situation", d, "situation", label="Has something already happened?",
          options=["planning", "something-happened"],
          format_func={"planning": "No, I am planning ahead",
                       "something-happened": "Yes, something has happened and I need help now"}.get)
    if d["situation"] == "something-happened":
        st.info("Your plan will start with first steps to take now. If a child is in danger right now, call 999.")
    st.write("What worries you for each child? Choose any that apply. You can leave them all "
             "unticked: every plan includes what to do if something happens.")
    for index, child in enumerate(d["children"]):
        with st.container(border=True):
            st.header(child_label(index, child), anchor=False)
            chosen = []
            for term in vocab.concerns:
                key = f"concern-{child['uid']}-{term.id}"
                if key not in st.session_state:
                    st.session_state[key] = term.id in child["concerns"]
                if st.checkbox(f"**{term.label}**: {term.explanation}", key=key):
                    chosen.append(term.id)
            child["concerns"] = chosen
    nav(2, next_label="Make my plan")


def step_plan(content) -> None:
    try:
        answers = parse_answers(answers_data(draft()), content.vocabulary)
    except AnswersError as exc:
        st.error(f"Something in your answers needs changing: {exc}")
        nav(3)
        return
    today = date.today()
    plan = build_plan(answers, today=today, content=content)
    st.success("Your plan is ready. Download it to keep it: nothing is saved on our side.")
    st.download_button("Download PDF", data=functools.partial(_pdf, answers, today), file_name=PDF_NAME,
                       mime="application/pdf", on_click="ignore", type="primary", icon=":material/download:")
    for section_id, title, body in render_sections(plan):
        with st.container(border=section_id.startswith("child-")):
            st.header(md(title), anchor=False)
            st.markdown(body)
    nav(3)


def _pdf(answers, today: date) -> bytes:
    """Runs when the button is pressed, outside the script run: gets a snapshot of the answers."""
    return render_pdf(build_plan(answers, today=today))


# ---- the page ----------------------------------------------------------------------------------


def main() -> None:
    st.set_page_config(page_title="Family online-safety plan", layout="centered")
    try:
        content = default_content()
    except ContentError as exc:
        log.error("content problems:\n%s", exc)
        st.title("Family online-safety plan")
        st.warning("This service is temporarily unavailable. Please try again later. If a child is in "
                   "danger right now, call 999. Childline: 0800 1111. NSPCC helpline: 0808 800 5000.")
        return
    draft()
    step = st.session_state.step
    st.title("Family online-safety plan")
    st.markdown(f"Step {step + 1} of {len(STEPS)}: {STEPS[step]}")
    [step_children, step_devices, step_worries, step_plan][step](content)
    st.divider()
    st.button("Start again", on_click=start_again, help="Clears all your answers from this page")
    st.markdown("Private by design: your answers stay in this browser tab and in files you download. "
                "We keep no copy.")


main()
