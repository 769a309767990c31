"""What every page draws on: the content and, when a host runs the service, their site."""
from __future__ import annotations

from typing import NamedTuple

import streamlit as st

from plan.content import Content
from plan.site import Site, load_site


class Service(NamedTuple):
    """What every page draws on: the content and, when a host runs the service, their site."""

    content: Content
    site: Site | None


@st.cache_resource(show_spinner=False)
def load_site_folder(folder: str) -> Site | None:
    """The host's site folder, validated once per process (errors are not cached)."""
    return load_site(folder, _content()) if folder else None



def _content() -> Content:
    import plan

    return plan.default_content()
