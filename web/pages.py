"""The pages: the wizard, For schools, Privacy, and the calm page when the service cannot start."""
from __future__ import annotations

import base64
import functools
import html
import logging
import os
from pathlib import Path

import streamlit as st

import plan
from plan import ContentError
from plan.markdown import md
from plan.site import SITE_ENV, Site
from web import crisis, tab
from web.downloads import kept_file
from web.draft import STEPS, link, start
from web.scripts import end_space, focus_step_heading, focus_top, quick_exit, styles
from web.service import Service, load_site_folder
from web.steps import start_again, step_children, step_devices, step_plan, step_worries

log = logging.getLogger("family_plan")
IGNORED_LINK = "Part of the link you followed was not recognised, so it has been ignored."
PRIVACY = Path(__file__).resolve().parent.parent / "content" / "privacy.md"


def wizard(service: Service) -> None:
    start(service)
    wizard_page(service)
    tab.keep(service.content)  # last: the tab keeps what this run ended with


def wizard_page(service: Service) -> None:
    step = st.session_state.step
    st.title("Family online-safety plan")
    school = link().school
    if school:
        st.info(f"{md(school.name)} shared this with you.")
    if link().ignored:
        st.markdown(IGNORED_LINK)
    tab.notice()
    if crisis.active():
        crisis.page(service)
        if st.session_state.pop("moved", False):
            focus_top(str(st.session_state.crisis))
        return
    if step == 0:
        crisis.entry()  # above the planning form: crisis help first
    if service.site and service.site.config.welcome and step == 0:
        st.markdown(md(service.site.config.welcome))
    with st.container(key="step-heading"):  # FOCUS_STEP_SCRIPT finds it
        st.header(f"Step {step + 1} of {len(STEPS)}: {STEPS[step]}", anchor=False)
    [step_children, step_devices, step_worries, step_plan][step](service)
    if st.session_state.pop("moved", False):
        focus_step_heading(step)
    st.divider()
    start_again()
    st.markdown("Private by design: your answers stay in this browser tab and in files you download. "
                "We keep no copy. [How we handle your answers](/privacy)")


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
        filter_mode="contains", select_all=False,
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
    st.code(newsletter_paragraph(site, school, focus), language=None, wrap_lines=True)


def picture(data: bytes, mime: str, alt: str, width: int) -> None:
    """An image with a text alternative (st.image has none). `alt` is escaped; the bytes are ours."""
    source = f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"
    st.markdown(f'<img src="{source}" alt="{html.escape(alt)}" width="{width}" style="max-width:100%">',
                unsafe_allow_html=True)



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
    styles()
    if service.site:
        branding(service.site)
    pages = [st.Page(lambda: wizard(service), title="Make a plan", url_path="plan", default=True)]
    if service.site and service.site.schools:
        pages.append(st.Page(lambda: for_schools(service), title="For schools", url_path="for-schools"))
    pages.append(st.Page(lambda: privacy(service), title="Privacy", url_path="privacy"))
    # Our own links, at the foot of every page, rather than Streamlit's menu: on a phone that
    # menu hides behind an unlabelled icon and stays open after a choice. At the foot, so the
    # first screen stays the crisis help and the first question.
    st.navigation(pages, position="hidden").run()
    with st.container(horizontal=True, key="site-links"):
        for page in pages:
            st.page_link(page, label=page.title)
    if service.site:
        footer(service.site)
    end_space()
