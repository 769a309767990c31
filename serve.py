"""Run the family online-safety plan: `streamlit run serve.py` (the Dockerfile and `make run` do).

The app itself is app.py; this puts Streamlit's public ASGI app (st.App) around it with
serving/: security headers and hidden endpoints on every response, downloads never cached,
uploads kept in memory, and disconnected sessions that leave memory when they expire. So one
replica on its own is as safe as several behind deploy/nginx.conf.
"""
from starlette.middleware import Middleware

import streamlit as st
from serving import EdgeMiddleware, lifespan

app = st.App("app.py", middleware=[Middleware(EdgeMiddleware)], lifespan=lifespan)
