"""The wizard's four steps and their navigation."""
from __future__ import annotations

import calendar
import functools
import re
from dataclasses import replace
from datetime import date

import streamlit as st

from plan import AnswersError, build_plan, parse_answers
from plan.ages import MAX_AGE, MIN_AGE
from plan.answers import MAX_CHILDREN, MAX_NAME_LENGTH, MAX_OWN_RULES, MAX_RULE_LENGTH
from plan.builder import suggested_rules
from plan.content import Content
from plan.markdown import md, render_blocks, render_sections
from plan.model import Route, SectionKind, Subsection
from plan.rules import CONCERN_GROUPS, concern_group, listed_first, split_first_sentence
from plan.text import visible
from web.downloads import download_again, download_pdf, more_ways
from web.draft import STEPS, data_from_draft, draft, link, load_saved, new_child, own_rules
from web.scripts import label_groups
from web.service import Service

LABEL_UNSAFE = re.compile(r"[\\`*_\[\](){}<>#:$~|!^=+./@]")  # "." "/" "@": no web or email address


# Lists a parent picks from: typing filters to the options whose label contains what was typed
# (Streamlit's default fuzzy match let "iPh" and Enter pick "Android phone"), and there is no
# "Select all".
PICK = {"filter_mode": "contains", "select_all": False}


def bound(widget, key: str, store: dict, field: str, **kwargs):
    """Draw `widget` under `key`, seeded from store[field], and copy its value back."""
    if key not in st.session_state:
        st.session_state[key] = store[field]
    store[field] = widget(key=key, **kwargs)
    return store[field]


def child_label(index: int, child: dict) -> str:
    """How the wizard names a child in labels and buttons. Streamlit reads these as Markdown
    and also puts them in aria-labels, so rather than escape (a screen reader would read the
    backslashes) the characters that could make markup are left out. Headings show the name
    exactly (`child_heading`)."""
    name = " ".join(LABEL_UNSAFE.sub(" ", child["name"]).split())
    return name or f"Child {index + 1}"


def child_heading(index: int, child: dict) -> str:
    return md(visible(child["name"])) or f"Child {index + 1}"


# ---- navigation ------------------------------------------------------------------------------


def go(step: int) -> None:
    st.session_state.step = step
    st.session_state.moved = True  # the next run takes keyboard focus to the new step's heading


def start_again() -> None:
    """"Start again", and a second press to be sure: it clears every answer, here and in the tab."""
    if not st.session_state.get("confirm-start-again"):
        st.button("Start again", on_click=_set, args=("confirm-start-again", True), key="start-again",
                  help="Clears all your answers from this page, after you confirm")
        return
    with st.container(border=True, key="start-again-confirm"):
        st.warning("Clear all your answers? This cannot be undone. Files you have downloaded are not changed.")
        yes, no = st.columns(2)
        yes.button("Yes, clear my answers", on_click=clear_answers, key="start-again-yes", use_container_width=True)
        no.button("No, keep my answers", on_click=_set, args=("confirm-start-again", False), key="start-again-no",
                  use_container_width=True)


def _set(key: str, value) -> None:
    st.session_state[key] = value


def clear_answers() -> None:
    st.session_state.clear()
    st.session_state.tab_checked = True  # so the tab's copy is cleared too, not brought back (web/tab.py)


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


def step_children(service: Service) -> None:
    d = draft()
    with st.expander("Coming back? Load your saved answers"):
        # Any file is taken, so that a wrong one gets our plain message rather than a red icon.
        st.file_uploader("Saved answers file (.yaml)", key="saved-answers",
                         on_change=load_saved, args=(service.content.vocabulary,), help="The file you saved from your plan page. It is read here and not kept.")
    if "load_problem" in st.session_state:
        st.error(md(st.session_state.pop("load_problem")))  # it may quote the file: shown as text
    st.write("Tell us how old each child is. A first name is optional: it is only used to label "
             "their part of the plan, and it stays on this device.")
    for index, child in enumerate(d["children"]):
        with st.container(border=True):
            typed = {**child, "name": st.session_state.get(f"name-{child['uid']}", child["name"])}  # this run's name
            st.header(child_heading(index, typed), anchor=False)
            bound(st.text_input, f"name-{child['uid']}", child, "name", label=f"Child {index + 1}'s first name (optional)",
                  max_chars=MAX_NAME_LENGTH, placeholder="For example: Sam")
            # A number field, not a list of 18 ages to scroll through: a phone shows its number keys.
            bound(st.number_input, f"age-{child['uid']}", child, "age", label=f"Child {index + 1}'s age",
                  min_value=MIN_AGE, max_value=MAX_AGE, step=1, value=None,
                  placeholder="In years (0 for a baby under 1)")
            bound(st.selectbox, f"month-{child['uid']}", child, "birth_month",
                  label=f"Child {index + 1}'s birthday month (optional)", options=list(range(1, 13)), index=None,
                  placeholder="Only for calendar reminders", format_func=lambda m: calendar.month_name[m],
                  help="Used only to date reminders such as turning 13. Leave it blank if you prefer.")
            if len(d["children"]) > 1:
                st.button(f"Remove {child_label(index, child)}", key=f"remove-{child['uid']}",
                          on_click=remove_child, args=(child["uid"],))
    if len(d["children"]) < MAX_CHILDREN:
        st.button("Add another child", on_click=add_child)
    st.header("Where you live", anchor=False)
    regions = service.content.vocabulary
    bound(st.selectbox, "region", d, "region", label="Where do you live? (optional)",
          options=regions.ids("regions"), format_func=functools.partial(regions.label, "regions"), index=None,
          placeholder="Leave blank for UK-wide help",
          help="We use this to show the right police, law and local services. You can leave it blank.")
    missing = [child_label(i, c) for i, c in enumerate(d["children"]) if c["age"] is None]
    if missing:
        st.markdown(f"Choose an age for {', '.join(missing)} to go on.")
    nav(0, can_go_on=not missing)


def step_devices(service: Service) -> None:
    d = draft()
    vocab = service.content.vocabulary
    st.write("Choose the devices and apps each child uses, so the plan shows the right settings. "
             "Leave out anything they do not use.")
    for index, child in enumerate(d["children"]):
        with st.container(border=True):
            st.header(child_heading(index, child), anchor=False)
            if index > 0:
                st.button(f"Same as {child_label(index - 1, d['children'][index - 1])}",
                          key=f"copy-{child['uid']}", on_click=copy_previous, args=(index,))
            bound(st.multiselect, f"devices-{child['uid']}", child, "devices",
                  label=f"Devices {child_label(index, child)} uses", options=vocab.ids("devices"),
                  format_func=functools.partial(vocab.label, "devices"), placeholder="Choose devices", **PICK)
            bound(st.multiselect, f"apps-{child['uid']}", child, "apps",
                  label=f"Apps and games {child_label(index, child)} uses", options=vocab.ids("apps"),
                  format_func=functools.partial(vocab.label, "apps"), placeholder="Choose apps", **PICK)
    st.header("At home", anchor=False)
    bound(st.multiselect, "home", d, "home", label="Shared technology at home (optional)",
          options=vocab.ids("home"), format_func=functools.partial(vocab.label, "home"),
          placeholder="Choose any you have", **PICK)
    nav(1)


def step_worries(service: Service) -> None:
    d = draft()
    vocab = service.content.vocabulary
    bound(st.radio, "situation", d, "situation", label="Has something already happened?",
          options=["planning", "something-happened"],
          format_func={"planning": "No, I am planning ahead",
                       "something-happened": "Yes, something has happened and I need help now"}.get)
    if d["situation"] == "something-happened":
        chosen = d.get("what_happened")
        about = f" for: {service.content.situation(chosen).choice}" if chosen else ""
        st.info(f"Your plan will start with first steps to take now{about}. If a child is in danger right now, call 999.")
    st.write("What worries you for each child? Choose any that apply. You can leave them all "
             "unticked: every plan includes what to do if something happens.")
    worry_meanings(vocab.concerns)
    for index, child in enumerate(d["children"]):
        # The container's key marks it for LABEL_GROUPS_SCRIPT, which makes it a group named
        # after the child, so a screen reader says whose worries these are.
        with st.container(border=True, key=f"worries-{child['uid']}", gap="xsmall"):
            st.header(child_heading(index, child), anchor=False)
            first = [t for t in vocab.concerns if listed_first(t, child["age"])]
            more = [t for t in vocab.concerns if not listed_first(t, child["age"])]
            chosen = set(worry_boxes(child, first))
            if more:
                with st.expander(f"More worries for {child_label(index, child)}"):
                    chosen |= set(worry_boxes(child, more))
            child["concerns"] = [t.id for t in vocab.concerns if t.id in chosen]
    label_groups()
    nav(2, next_label="Make my plan")


def worry_boxes(child: dict, terms: list) -> list[str]:
    """The tick boxes for `terms`, under their group's heading; the ids ticked."""
    ticked = []
    for group, heading in CONCERN_GROUPS.items():
        in_group = [t for t in terms if concern_group(t) == group]
        if not in_group:
            continue
        st.subheader(heading, anchor=False)
        for term in in_group:
            key = f"concern-{child['uid']}-{term.id}"
            if key not in st.session_state:
                st.session_state[key] = term.id in child["concerns"]
            if st.checkbox(term.label, key=key):  # plain: it is the aria-label
                ticked.append(term.id)
    return ticked


def worry_meanings(terms: list) -> None:
    """What each worry means, said once for the whole family and one tap away, so that each
    child's boxes are one short line each: with the meanings beside them, two teenagers' worries
    took 3.45 screens of a phone."""
    with st.expander("What each worry means"):
        for group, heading in CONCERN_GROUPS.items():
            lines = "\n".join(f"- **{md(t.label)}**: {md(t.explanation)}" for t in terms if concern_group(t) == group)
            st.markdown(f"**{md(heading)}**\n\n{lines}")


def step_plan(service: Service) -> None:
    content, site = service
    try:
        answers = parse_answers(data_from_draft(draft()), content.vocabulary)
    except AnswersError as exc:
        st.error(f"Something in your answers needs changing: {md(str(exc))}")
        nav(3)
        return
    lead = st.container()  # a crisis plan's first steps come before everything else
    st.success("Your plan is ready. Download it to keep it: nothing is saved on our side.")
    top = st.container()  # downloads go above the agreement editor, but are made after it
    edit_agreement(answers, content)
    try:  # again, with this run's agreement edits
        answers = parse_answers(data_from_draft(draft()), content.vocabulary)
    except AnswersError as exc:
        st.error(f"Your own rules need a change, so the plan below leaves them out: {md(str(exc))}")
    today, school = date.today(), link().school
    family_plan = build_plan(answers, today=today, content=content, site=site, school=school)
    made_from = (answers, today, school)
    shown = render_sections(family_plan)
    if shown and shown[0][0].kind is SectionKind.FIRST_STEPS:
        with lead:
            st.header(md(shown[0][0].title), anchor=shown[0][0].id)
            st.markdown(shown[0][1])
        shown = shown[1:]
    with top:
        pdf = st.empty()  # the PDF is made once the plan is on the page: the family reads while it is made
        more_ways(family_plan, answers, made_from)
        contents(family_plan)
    for section, body in shown:
        with st.container(border=section.kind is SectionKind.CHILD):
            st.header(md(section.title), anchor=section.id)
            show_body(section, body)
    with pdf:
        download_pdf(family_plan, answers, made_from)
    download_again(family_plan, answers, made_from)
    nav(3)


# On a phone the whole plan was some thirty screens. Details are one tap away, each under its
# own title: a child's settings, reporting, conversations and signs (one fold per child: each
# fold costs the server a little on every plan shown); under "If something happens" each
# situation that does not call for 999 (its first sentence is the title), the law and the
# family's signs; the settings for the home and the agreement to sign. The glance page, with
# the numbers every family keeps, stays open. The PDF has everything open.
CHILD_DETAILS = "Settings, reporting, things to talk about and signs"
FOLDED_WHOLE = {SectionKind.HOME: "The settings for your home", SectionKind.AGREEMENT: "Read the agreement"}


def show_body(section, body: str) -> None:
    if section.kind in FOLDED_WHOLE:
        with st.expander(FOLDED_WHOLE[section.kind]):
            st.markdown(body)
        return
    if section.kind is SectionKind.CHILD:
        intro = [b for b in section.blocks if not isinstance(b, Subsection)]
        st.markdown(render_blocks(tuple(intro)))
        with st.expander(CHILD_DETAILS):
            st.markdown(render_blocks(tuple(b for b in section.blocks if isinstance(b, Subsection)), level=4))
        return
    if section.kind is not SectionKind.ROUTES:
        st.markdown(body)
        return
    kept: list = []

    def flush() -> None:
        if kept:
            st.markdown(render_blocks(tuple(kept)))
            kept.clear()

    for block in section.blocks:
        if isinstance(block, Subsection):
            flush()
            with st.expander(md(block.title)):  # escaped: a label is Markdown
                st.markdown(render_blocks(block.blocks, level=4))
        elif isinstance(block, Route) and not block.emergency and not block.compact:
            flush()
            title, rest = split_first_sentence(block.situation)
            with st.expander(md(title)):
                st.markdown(render_blocks((replace(block, situation=rest),)))
        else:
            kept.append(block)
    flush()


def contents(family_plan) -> None:
    """A short list of the plan's sections (each child by name), linked to each."""
    links = "\n".join(f"- [{md(section.title)}](#{section.id})" for section in family_plan.sections)
    st.markdown(f"**In this plan**\n\n{links}")



def edit_agreement(answers, content: Content) -> None:
    """Untick suggested rules or add the family's own; the plan below, and its downloads, follow at once."""
    d = draft()
    with st.expander("Change our family agreement"):
        suggested = suggested_rules(answers, content)
        for rule in suggested:
            key = f"rule-{rule.topic}"
            if key not in st.session_state:
                st.session_state[key] = rule.topic not in d["leave_out"]
            st.checkbox(rule.text, key=key)  # our own wording, plain: it is the aria-label
        d["leave_out"] = [r.topic for r in suggested if not st.session_state[f"rule-{r.topic}"]]
        own_rules_editor(d, content)


OWN_RULE = "A rule of your own"


def own_rules_editor(d: dict, content: Content) -> None:
    """The family's own rules, each with a Remove button, and a form to add one. A rule goes in
    only when Add rule (or Enter) is pressed: a field that took its text when it lost focus let
    a press on Download PDF fetch the file made before the rule (the press that takes the focus
    away also starts the download). The press reruns the script, so the downloads are made again
    with the rule; a download button cannot be pressed while its file is being made (web/scripts.py)."""
    rules = own_rules(d)
    if rules:
        st.subheader("Your own rules", anchor=False)
    for number, rule in enumerate(rules, start=1):
        with st.container(horizontal=True, vertical_alignment="center", key=f"own-rule-{number}"):
            st.markdown(f"Rule {number}: {md(rule)}", width="stretch")  # typed text: shown as text only
            st.button(f"Remove rule {number}", key=f"remove-rule-{number}", on_click=remove_own_rule,
                      args=(number - 1,))
    with st.form("own-rule-form", border=False, enter_to_submit=True):
        st.text_input(f"{OWN_RULE} (up to {MAX_OWN_RULES})", key="own-rule", max_chars=MAX_RULE_LENGTH,
                      placeholder="For example: We put phones away at dinner")
        st.form_submit_button("Add rule", on_click=add_own_rule, args=(content.vocabulary,), key="add-rule")
    problem = st.session_state.pop("own-rule-problem", None)
    if problem:
        st.error(md(problem))  # it may quote what was typed: shown as text
    else:
        st.caption("Press Add rule (or Enter) to put your rule in the agreement and in your downloads.")


def add_own_rule(vocabulary) -> None:
    """Add rule: the typed rule joins the agreement, checked as an answers file checks it."""
    d, typed = draft(), st.session_state.get("own-rule", "").strip()
    rules = own_rules(d)
    if not typed:
        st.session_state["own-rule-problem"] = "Type your rule in the box first, then press Add rule."
        return
    if len(rules) >= MAX_OWN_RULES:
        st.session_state["own-rule-problem"] = (f"Your agreement already has {MAX_OWN_RULES} rules of your own, "
                                                "the most it can hold. Remove one to add another.")
        return
    data = data_from_draft(d)
    data["agreement"]["own"] = [*rules, typed]
    try:
        checked = parse_answers(data, vocabulary).own_rules[-1]
    except AnswersError as exc:
        reason = re.sub(r"^agreement\.own\[\d+\]: ", "", str(exc))
        st.session_state["own-rule-problem"] = f"That rule was not added: it {reason}."
        return
    d["own_rules"] = "\n".join([*rules, checked])
    st.session_state["own-rule"] = ""  # ready for the next rule


def remove_own_rule(index: int) -> None:
    d = draft()
    rules = own_rules(d)
    if 0 <= index < len(rules):
        del rules[index]
    d["own_rules"] = "\n".join(rules)
