"""How the app is served, the same on every replica with or without a proxy in front:
security headers and hidden endpoints (`serving.edge`), and disconnected sessions that leave
memory when they expire (`serving.sessions`). `serve.py` puts them around the app
(`streamlit run serve.py`); `app.py` refuses to run without them."""
from __future__ import annotations

from serving.edge import EdgeMiddleware
from serving.sessions import lifespan, running_unprotected

__all__ = ["EdgeMiddleware", "lifespan", "running_unprotected"]
