"""The family online-safety plan wizard (Streamlit).

This file only gathers answers and shows or downloads what `plan` returns. Answers live in
this browser session (st.session_state) and nowhere else: nothing is written to disk or sent
anywhere. Widgets are seeded from our own store (`draft`) on every draw, because Streamlit
forgets the state of widgets that are not on screen; that is what keeps Back and Next from
losing answers.
"""
from __future__ import annotations

import base64
import calendar
import functools
import html
import logging
import re
import os
import uuid
from datetime import date
from pathlib import Path
from typing import NamedTuple

import streamlit as st

import plan
from plan import AnswersError, ContentError, build_plan, parse_answers, parse_answers_text
from plan.ages import MAX_AGE, MIN_AGE
from plan.answers import MAX_CHILDREN, MAX_NAME_LENGTH
from plan.content import Content
from plan.links import LinkChoice, read_link
from plan.builder import suggested_rules
from plan.markdown import md, render_sections
from plan.outputs import OUTPUTS
from plan.site import SITE_ENV, Site, load_site

log = logging.getLogger("family_plan")
STEPS = ("Your children", "Devices and apps", "Worries", "Your plan")
IGNORED_LINK = "Part of the link you followed was not recognised, so it has been ignored."
LABEL_UNSAFE = re.compile(r"[\\`*_\[\](){}<>#:$~|!^=+]")
QUICK_EXIT_URL = "https://www.bbc.co.uk/weather"  # a neutral page, as abuse-support sites do
PRIVACY = Path(__file__).resolve().parent / "content" / "privacy.md"


class Service(NamedTuple):
    """What every page draws on: the content and, when a host runs the service, their site."""

    content: Content
    site: Site | None


@st.cache_resource(show_spinner=False)
def load_site_folder(folder: str) -> Site | None:
    """The host's site folder, validated once per process (errors are not cached)."""
    return load_site(folder, plan.default_content()) if folder else None


# ---- the draft: our own copy of the answers ---------------------------------------------------


def new_child() -> dict:
    focus = list(link().focus) if "link" in st.session_state else []
    return {"uid": uuid.uuid4().hex[:8], "name": "", "age": None, "birth_month": None, "devices": [], "apps": [],
            "concerns": focus}


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
    st.session_state.draft = {"children": [new_child()], "home": [], "situation": "planning", "region": region,
                              "leave_out": [], "own_rules": ""}
    st.session_state.step = 0


def draft() -> dict:
    return st.session_state.draft


def answers_data(d: dict) -> dict:
    """The draft in the answers file form (what parse_answers validates)."""
    return {
        "situation": d["situation"],
        "region": d["region"],
        "home": list(d["home"]),
        "children": [
            {"age": c["age"], "devices": c["devices"], "apps": c["apps"], "concerns": c["concerns"],
             **({"name": c["name"].strip()} if c["name"].strip() else {}),
             **({"birth_month": c["birth_month"]} if c["birth_month"] else {})}
            for c in d["children"]
        ],
        "agreement": {"leave_out": list(d["leave_out"]),
                      "own": [line.strip() for line in d["own_rules"].splitlines() if line.strip()]},
    }


def draft_from(answers) -> dict:
    """A draft holding saved answers, as the wizard keeps them."""
    return {
        "children": [{**new_child(), "name": c.name or "", "age": c.age, "birth_month": c.birth_month,
                      "devices": list(c.devices), "apps": list(c.apps), "concerns": list(c.concerns)}
                     for c in answers.children],
        "home": list(answers.home), "situation": answers.situation, "region": answers.region,
        "leave_out": list(answers.leave_out), "own_rules": "\n".join(answers.own_rules),
    }


def load_saved() -> None:
    """Load a saved answers file: all of it or, with a clear message, none of it."""
    upload = st.session_state.get("saved-answers")
    if upload is None:
        return
    try:
        answers = parse_answers_text(upload.getvalue())
    except AnswersError as exc:
        st.session_state.load_problem = f"That file could not be loaded, so nothing was changed: {exc}"
        return
    link_choice = st.session_state.link
    st.session_state.clear()
    st.session_state.link = link_choice
    st.session_state.draft = draft_from(answers)
    st.session_state.step = len(STEPS) - 1
    st.session_state.moved = True


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
    return md(child["name"].strip()) or f"Child {index + 1}"


# ---- navigation ------------------------------------------------------------------------------


def go(step: int) -> None:
    st.session_state.step = step
    st.session_state.moved = True  # the next run takes keyboard focus to the new step's heading


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


def step_children(service: Service) -> None:
    d = draft()
    with st.expander("Coming back? Load your saved answers"):
        st.file_uploader("Saved answers file (.yaml)", type=["yaml", "yml"], key="saved-answers",
                         on_change=load_saved, help="The file you saved from your plan page. It is read here and not kept.")
    if "load_problem" in st.session_state:
        st.error(st.session_state.pop("load_problem"))
    st.write("Tell us how old each child is. A first name is optional: it is only used to label "
             "their part of the plan, and it stays on this device.")
    ages = list(range(MIN_AGE, MAX_AGE + 1))
    for index, child in enumerate(d["children"]):
        with st.container(border=True):
            typed = {**child, "name": st.session_state.get(f"name-{child['uid']}", child["name"])}  # this run's name
            st.header(child_heading(index, typed), anchor=False)
            bound(st.text_input, f"name-{child['uid']}", child, "name", label=f"Child {index + 1}'s first name (optional)",
                  max_chars=MAX_NAME_LENGTH, placeholder="For example: Sam")
            bound(st.selectbox, f"age-{child['uid']}", child, "age", label=f"Child {index + 1}'s age", options=ages, index=None,
                  placeholder="Choose their age", format_func=lambda a: "Under 1" if a == 0 else f"{a}")
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
                  format_func=functools.partial(vocab.label, "devices"), placeholder="Choose devices")
            bound(st.multiselect, f"apps-{child['uid']}", child, "apps",
                  label=f"Apps and games {child_label(index, child)} uses", options=vocab.ids("apps"),
                  format_func=functools.partial(vocab.label, "apps"), placeholder="Choose apps")
    st.header("At home", anchor=False)
    bound(st.multiselect, "home", d, "home", label="Shared technology at home (optional)",
          options=vocab.ids("home"), format_func=functools.partial(vocab.label, "home"),
          placeholder="Choose any you have")
    nav(1)


def step_worries(service: Service) -> None:
    d = draft()
    vocab = service.content.vocabulary
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
            st.header(child_heading(index, child), anchor=False)
            chosen = []
            for term in vocab.concerns:
                key = f"concern-{child['uid']}-{term.id}"
                if key not in st.session_state:
                    st.session_state[key] = term.id in child["concerns"]
                if st.checkbox(f"{term.label}: {term.explanation}", key=key):  # plain: it is the aria-label
                    chosen.append(term.id)
            child["concerns"] = chosen
    nav(2, next_label="Make my plan")


def step_plan(service: Service) -> None:
    content, site = service
    try:
        answers = parse_answers(answers_data(draft()), content.vocabulary)
    except AnswersError as exc:
        st.error(f"Something in your answers needs changing: {exc}")
        nav(3)
        return
    st.success("Your plan is ready. Download it to keep it: nothing is saved on our side.")
    top = st.container()  # downloads go above the agreement editor, but are made after it
    edit_agreement(answers, content)
    try:  # again, with this run's agreement edits
        answers = parse_answers(answers_data(draft()), content.vocabulary)
    except AnswersError as exc:
        st.error(f"Your own rules need a change, so the plan below leaves them out: {exc}")
    today, school = date.today(), link().school
    family_plan = build_plan(answers, today=today, content=content, site=site, school=school)
    with top:
        downloads(family_plan, answers, made_from=(answers, today, school))
    for section_id, title, body in render_sections(family_plan):
        with st.container(border=section_id.startswith("child-")):
            st.header(md(title), anchor=False)
            st.markdown(body)
    nav(3)


def downloads(family_plan, answers, made_from: tuple) -> None:
    """The PDF first; the other formats once the family opens "More ways" (they are made then)."""
    first, *others = OUTPUTS
    download(first, family_plan, answers, made_from, primary=True)
    more = st.expander("More ways to keep and use your plan", key="more-ways", on_change="rerun")
    with more:
        st.markdown("A large print PDF; a web page that works with screen readers; reminders for your "
                    "calendar; a one-page card for grandparents or childminders; the family agreement to "
                    "print and sign; and your answers, to load again when you update the plan.")
        if more.open:
            for output in others:
                download(output, family_plan, answers, made_from)


def download(output, family_plan, answers, made_from: tuple, primary: bool = False) -> None:
    data = kept_file(output.id, made_from, lambda: output.render(family_plan, answers))
    st.download_button(output.label, data=data, file_name=output.file_name, mime=output.mime, on_click="ignore",
                       key=f"download-{output.id}", type="primary" if primary else "secondary",
                       icon=":material/download:")


def kept_file(name: str, made_from: tuple, make) -> bytes:
    """A download's bytes, made in the script run and kept in this session while `made_from`
    (the answers, the date, the school) stays the same, so reruns do not make it again.

    Files are handed to Streamlit as bytes, never as a function to call on the press: Streamlit
    keeps a file made on the press only until any two script runs of *any* session have
    finished, so on a busy server it could be gone before a phone fetched it (HTTP 404, seen
    by benchmarks/load.py). A file given as bytes stays as long as this session shows it.
    """
    files = st.session_state.setdefault("files", {})
    kept = files.get(name)
    if kept is None or kept[0] != made_from:
        kept = files[name] = (made_from, make())
    return kept[1]


def edit_agreement(answers, content: Content) -> None:
    """Untick suggested rules or add the family's own; the plan below follows at once."""
    d = draft()
    with st.expander("Change our family agreement"):
        suggested = suggested_rules(answers, content)
        for rule in suggested:
            key = f"rule-{rule.topic}"
            if key not in st.session_state:
                st.session_state[key] = rule.topic not in d["leave_out"]
            st.checkbox(rule.text, key=key)  # our own wording, plain: it is the aria-label
        d["leave_out"] = [r.topic for r in suggested if not st.session_state[f"rule-{r.topic}"]]
        bound(st.text_area, "own-rules", d, "own_rules", label="Your own rules (one per line, up to 10)",
              placeholder="For example: We put phones away at dinner", height=120)


# ---- the page ----------------------------------------------------------------------------------


def wizard(service: Service) -> None:
    start(service)
    step = st.session_state.step
    st.title("Family online-safety plan")
    school = link().school
    if school:
        st.info(f"{md(school.name)} shared this with you.")
    if link().ignored:
        st.markdown(IGNORED_LINK)
    if service.site and service.site.config.welcome and step == 0:
        st.markdown(md(service.site.config.welcome))
    st.markdown(f"Step {step + 1} of {len(STEPS)}: {STEPS[step]}")
    [step_children, step_devices, step_worries, step_plan][step](service)
    if st.session_state.pop("moved", False):
        focus_step_heading(step)
    st.divider()
    st.button("Start again", on_click=start_again, help="Clears all your answers from this page")
    st.markdown("Private by design: your answers stay in this browser tab and in files you download. "
                "We keep no copy. [How we handle your answers](/privacy)")


# After Back or Next the button that had keyboard focus is gone, and the browser drops focus to
# the top of the page, saying nothing. This moves focus to the "Step N of 4" line, so a screen
# reader announces the new step and Tab goes on to its first question. The script's text never
# changes: deploy/nginx.conf allows exactly it by its hash (deploy/scale_test.py checks that no
# Content Security Policy rule is broken). `data-step` makes each step's copy a new element, so
# the script runs again.
FOCUS_STEP_SCRIPT = ("(()=>{const p=[...document.querySelectorAll('[data-testid=\"stMarkdownContainer\"] p')]"
                     ".find(e=>/^Step \\d of \\d:/.test(e.textContent));if(p){p.tabIndex=-1;p.focus();}})()")


def focus_step_heading(step: int) -> None:
    st.html(f'<script data-step="{step}">{FOCUS_STEP_SCRIPT}</script>', unsafe_allow_javascript=True,
            width="content")


def for_schools(service: Service) -> None:
    """For a school's safeguarding lead: the school's link, QR code, flyer and newsletter text."""
    from plan.flyer import render_flyer
    from plan.qr import qr_svg
    from plan.schools import newsletter_paragraph

    site, vocab = service.site, service.content.vocabulary
    st.title("For schools")
    st.markdown("Send parents a link to make their own family online-safety plan. The link opens the "
                "plan with your school's safeguarding contact in it. Parents' answers are never stored "
                "or shared, with you or anyone else.")
    school_id = st.selectbox("Your school", options=[s.id for s in site.schools], index=None,
                             format_func=lambda sid: site.school(sid).name, placeholder="Choose your school")
    if school_id is None:
        return
    school = site.school(school_id)
    focus = tuple(st.multiselect(
        "Focus on particular worries (optional, for a campaign)", options=vocab.ids("concerns"),
        format_func=functools.partial(vocab.label, "concerns"), placeholder="Choose worries to tick for parents",
        help="Parents will find these ticked already. They can untick them."))
    school_link = site.school_link(school, focus)
    st.header("Your link", anchor=False)
    st.code(school_link, language=None, wrap_lines=True)
    picture(qr_svg(school_link).encode("utf-8"), "image/svg+xml", f"QR code for {school.name}'s link", 220)
    flyer = kept_file("flyer", (school, focus), functools.partial(render_flyer, site, school, focus))
    st.download_button("Download a flyer for parents (PDF)", icon=":material/download:", data=flyer,
                       on_click="ignore", file_name=f"{school.id}-online-safety-flyer.pdf", mime="application/pdf")
    st.header("For your newsletter", anchor=False)
    st.code(newsletter_paragraph(site, school), language=None, wrap_lines=True)


def picture(data: bytes, mime: str, alt: str, width: int) -> None:
    """An image with a text alternative (st.image has none). `alt` is escaped; the bytes are ours."""
    source = f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"
    st.markdown(f'<img src="{source}" alt="{html.escape(alt)}" width="{width}" style="max-width:100%">',
                unsafe_allow_html=True)


# Pressing Shift three times (within 5 seconds of each other, nothing else between) also leaves,
# as GOV.UK's "Exit this page" does: quicker than finding the button. Typing a capital letter
# is Shift and then another key, so it never counts. `replace`, so Back does not return here.
# Allowed by its hash in deploy/nginx.conf, like FOCUS_STEP_SCRIPT. No "<" in either script:
# Streamlit's sanitiser drops a script whose text has "<" before a letter, digit or "/".
QUICK_EXIT_SCRIPT = ("(()=>{if(window.quickExitKeys)return;window.quickExitKeys=1;let n=0,t=0;"
                     "document.addEventListener('keydown',e=>{if(e.key!=='Shift'||e.repeat){n=0;return;}"
                     "const now=Date.now();n=5000>now-t?n+1:1;t=now;if(n>=3){"
                     "const a=document.querySelector('.quick-exit a');if(a)window.location.replace(a.href);}},true);})()")


def quick_exit() -> None:
    """On every screen, first: leave at once for a neutral page (the convention on support
    sites for someone who may be watched). A plain link, so it works even while the page is busy."""
    st.html(
        f'<div class="quick-exit"><a href="{QUICK_EXIT_URL}" target="_top" rel="noreferrer noopener" '
        'style="display:inline-block;padding:0.5rem 1rem;background:#8a1c1c;color:#fff;border-radius:0.5rem;'
        'font-weight:700;text-decoration:none">Quick exit</a> '
        '<span>Leaves this page at once (or press Shift 3 times). It does not clear your browser history.</span>'
        f'</div><script>{QUICK_EXIT_SCRIPT}</script>',
        unsafe_allow_javascript=True,
    )


def privacy(service: Service) -> None:
    st.title("Privacy")
    st.markdown(PRIVACY.read_text(encoding="utf-8"))
    if service.site:
        st.markdown(f"This service is run by {md(service.site.config.name)}. Questions about privacy: "
                    f"{md(service.site.config.privacy_contact)}")


def branding(site: Site) -> None:
    """The host's logo on every page (their colour is used in the PDF, flyer and web page)."""
    if site.logo:
        picture(site.logo, f"image/{site.logo_type}", f"{site.config.name} logo", 160)


def footer(site: Site) -> None:
    st.markdown(f"This service is provided by {md(site.config.name)}. Privacy questions: "
                f"{md(site.config.privacy_contact)}")


def unavailable(exc: Exception) -> None:
    log.error("the service cannot start:\n%s", exc)
    quick_exit()
    st.title("Family online-safety plan")
    st.warning("This service is temporarily unavailable. Please try again later. If a child is in "
               "danger right now, call 999. Childline: 0800 1111. NSPCC helpline: 0808 800 5000.")


def main() -> None:
    st.set_page_config(page_title="Family online-safety plan", layout="centered")
    try:
        service = Service(plan.default_content(), load_site_folder(os.environ.get(SITE_ENV, "").strip()))
    except ContentError as exc:  # SiteError is a ContentError
        unavailable(exc)
        return
    quick_exit()
    if service.site:
        branding(service.site)
    pages = [st.Page(lambda: wizard(service), title="Make a plan", url_path="plan", default=True)]
    if service.site and service.site.schools:
        pages.append(st.Page(lambda: for_schools(service), title="For schools", url_path="for-schools"))
    pages.append(st.Page(lambda: privacy(service), title="Privacy", url_path="privacy"))
    st.navigation(pages, position="top").run()
    if service.site:
        footer(service.site)


main()
