"""Downloads: every file is made in the script run and kept in this session while what it is
made from stays the same."""
from __future__ import annotations

import streamlit as st

from plan.outputs import OUTPUTS
from web import workers


def download_pdf(family_plan, answers, made_from: tuple) -> None:
    """The plan's PDF, first among the downloads (the step draws it once the plan is on the page)."""
    download(OUTPUTS[0], family_plan, answers, made_from, primary=True)


def more_ways(family_plan, answers, made_from: tuple) -> None:
    """The other formats, made once the family opens "More ways"."""
    others = OUTPUTS[1:]
    more = st.expander("More ways to keep and use your plan", key="more-ways", on_change="rerun")
    with more:
        st.markdown("A large print PDF; a web page that works with screen readers; reminders for your "
                    "calendar; a one-page card for grandparents or childminders; the family agreement to "
                    "print and sign; and your answers, to load again when you update the plan.")
        if more.open:
            for output in others:
                download(output, family_plan, answers, made_from)


def download(output, family_plan, answers, made_from: tuple, primary: bool = False, label: str | None = None,
             key: str | None = None) -> None:
    data = kept_file(output.id, made_from, lambda: workers.make(output.id, family_plan, answers))
    st.download_button(label or output.label, data=data, file_name=output.file_name, mime=output.mime,
                       on_click="ignore", key=key or f"download-{output.id}",
                       type="primary" if primary else "secondary", icon=":material/download:")


def download_again(family_plan, answers, made_from: tuple) -> None:
    """The PDF again at the end of the plan, so no one has to scroll back up (the same file)."""
    download(OUTPUTS[0], family_plan, answers, made_from, primary=True, label="Download this plan (PDF)",
             key="download-pdf-end")


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

