"""Run the family online-safety plan: `streamlit run serve.py` (the Dockerfile and `make run` do).

The app itself is app.py; this puts Streamlit's public ASGI app (st.App) around it with
serving/: security headers and hidden endpoints on every response, downloads never cached,
uploads kept in memory, and disconnected sessions that leave memory when they expire. So one
replica on its own is as safe as several behind deploy/nginx.conf.
"""
import contextlib

from starlette.middleware import Middleware

import streamlit as st
from serving import EdgeMiddleware, lifespan
from web import workers


@contextlib.asynccontextmanager
async def serving(app):
    """The server's life: the workers that make the families' files (web/workers.py), and the
    session storage (serving/sessions.py)."""
    workers.start()
    try:
        async with lifespan(app):
            yield
    finally:
        workers.stop()


app = st.App("app.py", middleware=[Middleware(EdgeMiddleware)], lifespan=serving)
