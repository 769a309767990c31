"""The page's own scripts and the Quick exit: small, fixed texts. deploy/nginx.conf allows each
script by its hash (tests/test_scale_out.py keeps the hashes in step)."""
from __future__ import annotations

import streamlit as st

QUICK_EXIT_URL = "https://www.bbc.co.uk/weather"  # a neutral page, as abuse-support sites do


# After Back or Next the button that had keyboard focus is gone, and the browser drops focus to
# the top of the page, saying nothing. This moves focus to the "Step N of 4" line, so a screen
# reader announces the new step and Tab goes on to its first question. The script's text never
# changes: deploy/nginx.conf allows exactly it by its hash (deploy/scale_test.py checks that no
# Content Security Policy rule is broken). `data-step` makes each step's copy a new element, so
# the script runs again.
FOCUS_STEP_SCRIPT = ("(()=>{const h=[...document.querySelectorAll('h2')]"
                     ".find(e=>/^Step \\d of \\d:/.test(e.textContent));if(h){h.tabIndex=-1;h.focus();}})()")


# Streamlit has no fieldset: on the worries step each child's box (a container keyed
# "worries-<uid>") becomes a group named "Worries for <the child's heading>", so a screen reader
# says whose worries a tick box is among. Streamlit redraws the page in place, so one observer
# (set up once) names every such box whenever the page changes.
LABEL_GROUPS_SCRIPT = ("(()=>{if(window.worryGroups)return;window.worryGroups=1;const name=()=>{"
                       "document.querySelectorAll('[class*=\"st-key-worries-\"]').forEach(g=>{"
                       "const h=g.querySelector('h2');if(!h)return;const l='Worries for '+h.textContent.trim();"
                       "if(g.getAttribute('aria-label')!==l){g.setAttribute('role','group');g.setAttribute('aria-label',l);}});};"
                       "name();new MutationObserver(name).observe(document.body,{childList:true,subtree:true});})()")


def label_groups() -> None:
    st.html(f"<script>{LABEL_GROUPS_SCRIPT}</script>", unsafe_allow_javascript=True, width="content")


# On the crisis screens the new view's heading takes focus and the page goes back to its top,
# so a parent who tapped a choice far down the list sees the help, and its numbers, from the start.
FOCUS_TOP_SCRIPT = ("(()=>{const h=document.querySelector('h2');if(!h)return;let e=h.parentElement;"
                    "while(e){if(e.scrollTop>0)e.scrollTop=0;e=e.parentElement;}"
                    "h.tabIndex=-1;h.focus({preventScroll:true});})()")


def focus_top(view: str) -> None:
    st.html(f'<script data-view="{view}">{FOCUS_TOP_SCRIPT}</script>', unsafe_allow_javascript=True,
            width="content")


def focus_step_heading(step: int) -> None:
    st.html(f'<script data-step="{step}">{FOCUS_STEP_SCRIPT}</script>', unsafe_allow_javascript=True,
            width="content")


# Pressing Shift three times (within 5 seconds of each other, nothing else between) also leaves,
# is Shift and then another key, so it never counts. `replace`, so Back does not return here.
# Either way out first clears the tab's copy of the answers (web/tab.py), so coming back to the
# page, or Back to it, brings nothing back.
# Allowed by its hash in deploy/nginx.conf, like FOCUS_STEP_SCRIPT. No "<" in either script:
# Streamlit's sanitiser drops a script whose text has "<" before a letter, digit or "/".
QUICK_EXIT_SCRIPT = ("(()=>{if(window.quickExitKeys)return;window.quickExitKeys=1;let n=0,t=0;"
                     "const forget=()=>{try{window.sessionStorage.clear();}catch(x){}};"
                     "document.addEventListener('click',e=>{if(e.target.closest&&e.target.closest('.quick-exit a'))forget();},true);"
                     "document.addEventListener('keydown',e=>{if(e.key!=='Shift'||e.repeat){n=0;return;}"
                     "const now=Date.now();n=5000>now-t?n+1:1;t=now;if(n>=3){"
                     "const a=document.querySelector('.quick-exit a');if(a){forget();window.location.replace(a.href);}}},true);})()")


def quick_exit() -> None:
    """On every screen, first: leave at once for a neutral page (the convention on support
    sites for someone who may be watched). A plain link, so it works even while the page is busy,
    kept in view at the bottom of the screen however far the page scrolls (`end_space` leaves
    room for it below the last line)."""
    st.html(
        f'<div class="quick-exit"><a href="{QUICK_EXIT_URL}" target="_top" rel="noreferrer noopener" '
        'style="position:fixed;right:1rem;bottom:1rem;z-index:1000000;display:inline-block;padding:0.75rem 1.25rem;'
        'background:#8a1c1c;color:#fff;border-radius:0.5rem;font-weight:700;text-decoration:none;'
        'box-shadow:0 2px 8px rgba(0,0,0,0.4)">Quick exit</a> '
        '<span>The Quick exit button, always at the bottom of the screen, leaves this page at once (or press Shift 3 times). It does not clear your browser history.</span>'
        f'</div><script>{QUICK_EXIT_SCRIPT}</script>',
        unsafe_allow_javascript=True,
    )



# Focus visible on every control (WCAG 2.2, 2.4.7 and 2.4.13): a 3 px outline in the page's own
# text colour, which has well over 3:1 contrast against the page in the light and dark themes.
# Tick boxes and radio buttons keep their real input hidden, so the outline goes on the box that
# is drawn when the input has keyboard focus. Worry group headings are sized as labels, and take
# their own room (Streamlit pulls a heading 1 rem into the gap below it, and the worries' gap is smaller). The
# tab's copy of the answers (web/tab.py) draws nothing and takes no room.
# While the script runs again (after a change such as Add rule), a download button still on the
# page holds the file made before the change: Streamlit marks it stale, and it takes no press
# until the run has given it the new file.
STYLES = """<style>
:focus-visible, [data-testid="stCheckbox"] label:has(input:focus-visible) > span + div,
[data-testid="stRadio"] label:has(input:focus-visible) > span + div,
[data-testid="stNumberInputContainer"]:has(input:focus-visible) {
  outline: 3px solid currentColor !important; outline-offset: 2px !important; }
[data-testid="stCheckbox"], [data-testid="stRadio"] { color: inherit; }
.st-key-step-heading h2 { font-size: 1.5rem; padding: 0.25rem 0; }
[class*="st-key-worries-"] h2 { font-size: 1.5rem; padding: 0; }
[class*="st-key-worries-"] h3 { font-size: 1.05rem; padding: 0.5rem 0 0 0; }
[class*="st-key-worries-"] [data-testid="stHeading"] [data-testid="stMarkdownContainer"] { margin-bottom: 0; }
[class*="st-key-worries-"] [data-testid="stCheckbox"] p { font-size: 0.9375rem; line-height: 1.35; }
.st-key-tab { display: none; }
[data-stale="true"] [data-testid="stDownloadButton"] { pointer-events: none; }
</style>"""


def styles() -> None:
    st.html(STYLES)


def end_space() -> None:
    """Room at the foot of every page, so the Quick exit button never covers its last line."""
    st.html('<div class="quick-exit-space" style="height:4.5rem" aria-hidden="true"></div>')
