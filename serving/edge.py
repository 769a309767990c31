"""Security headers, hidden endpoints and upload limits, as an ASGI middleware around
Streamlit's own server (Streamlit 1.67 runs on Starlette and uvicorn; `st.App(middleware=...)`
is its public way to add one). The app sends these itself, so one replica run alone (the Docker
image, `make run`) is as safe as replicas behind deploy/nginx.conf, which adds none of its own.

- Content-Security-Policy: Streamlit's own scripts, its one inline line in index.html (by its
  hash, for the pinned Streamlit 1.67.0; tests/test_serving.py fails if it changes) and the
  app's own inline scripts (every `..._SCRIPT` text in web/scripts.py, by its hash, computed
  here from the very text the page sends); `blob:` scripts, which only the page's own scripts can
  make (Streamlit loads a component's script from a `blob:` URL: the tab's copy of the answers,
  web/tab.py); WebAssembly compilation ('wasm-unsafe-eval', not JavaScript eval: Streamlit's
  protobuf code loads a tiny WebAssembly module for 64-bit arithmetic), inline styles (emotion),
  data: images (the logo and QR codes) and fonts, and the WebSocket to the same host ('self'
  covers ws: and wss: there). No framing (frame-ancestors and X-Frame-Options), nosniff, no
  Referer, no powerful browser features.
- Downloads (/media/...: the PDF and every other take-away file) carry `Cache-Control:
  no-store`, so no browser or proxy cache keeps a copy of a family's plan.
- Not served: runtime metrics (/_stcore/metrics) and the machine interface (/_stcore/agent/...,
  off anyway): 404, as from nginx.
- An upload's body (the saved-answers file) is at most 1 MiB (`MAX_UPLOAD_BODY`), counted as it
  arrives, with or without a Content-Length: the multipart parser keeps a file part in memory
  up to 1 MiB and writes anything bigger to a temporary file on disk. Streamlit checks only a
  Content-Length against 1 MiB and, for a chunked body, reads up to 2 MiB before refusing it.
  The answers themselves are at most 64 KB (checked when they are read); a body up to 1 MiB still
  reaches the app, so a file that is too big gets a message in plain words.
"""
from __future__ import annotations

import base64
import hashlib
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

# Streamlit 1.67.0's static/index.html holds one inline script: `window.prerenderReady = false`.
STREAMLIT_INLINE_SCRIPT_HASH = "sha256-THxz9J9+wf7rhwR2YkXJoSZ13UCmYyC+3lNDv2+8ugA="

MAX_UPLOAD_BODY = 1024 * 1024  # bytes; Starlette spools a file part over 1 MiB to disk
UPLOAD_PATH = "/_stcore/upload_file/"
HIDDEN_SUFFIXES = ("/_stcore/metrics",)
HIDDEN_PARTS = ("/_stcore/agent/",)


def script_hash(script: str) -> str:
    """The CSP source that allows exactly this inline script."""
    return "sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")


def app_scripts() -> dict[str, str]:
    """The page's own inline scripts: every `..._SCRIPT` text in web/scripts.py."""
    from web import scripts

    return {name: text for name, text in sorted(vars(scripts).items())
            if name.endswith("_SCRIPT") and isinstance(text, str)}


def content_security_policy() -> str:
    hashes = [STREAMLIT_INLINE_SCRIPT_HASH, *(script_hash(text) for text in app_scripts().values())]
    scripts = " ".join(f"'{h}'" for h in hashes)
    return ("default-src 'self'; "
            f"script-src 'self' blob: 'wasm-unsafe-eval' {scripts}; "
            "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; "
            "connect-src 'self'; worker-src 'self' blob:; object-src 'none'; base-uri 'self'; "
            "form-action 'self'; frame-ancestors 'none'")


def security_headers() -> dict[str, str]:
    """The headers on every response (HSTS is the TLS terminator's: see deploy/nginx.conf)."""
    return {
        "Content-Security-Policy": content_security_policy(),
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "Permissions-Policy": "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
                              "microphone=(), payment=(), usb=()",
        "X-Frame-Options": "DENY",
    }


def hidden(path: str) -> bool:
    return path.endswith(HIDDEN_SUFFIXES) or any(part in path + "/" for part in HIDDEN_PARTS)


class EdgeMiddleware:
    """ASGI middleware: the headers above on every HTTP response, 404 for hidden endpoints,
    `Cache-Control: no-store` on downloads, and uploads capped at MAX_UPLOAD_BODY bytes."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.headers = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in security_headers().items()]
        self.names = {name for name, _ in self.headers}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":  # the WebSocket and lifespan pass untouched
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")
        no_store = "/media/" in path

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                kept = [(k, v) for k, v in message.get("headers", []) if k.lower() not in self.names
                        and not (no_store and k.lower() == b"cache-control")]
                kept.extend(self.headers)
                if no_store:
                    kept.append((b"cache-control", b"no-store"))
                message["headers"] = kept
            await send(message)

        if hidden(path):
            await plain(send_with_headers, 404, b"Not found")
            return
        if path.startswith(UPLOAD_PATH) or UPLOAD_PATH in path:
            receive = await capped_body(scope, receive)
            if receive is None:
                await plain(send_with_headers, 413, b"File too large")
                return
        await self.app(scope, receive, send_with_headers)


async def plain(send: Send, status: int, body: bytes) -> None:
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                            (b"content-length", str(len(body)).encode("ascii"))]})
    await send({"type": "http.response.body", "body": body})


async def capped_body(scope: Scope, receive: Receive) -> Receive | None:
    """Read the request body into memory, at most MAX_UPLOAD_BODY bytes, and hand it on in one
    piece; None when it is bigger (nothing more is read)."""
    for name, value in scope.get("headers", []):
        if name.lower() == b"content-length":
            try:
                if int(value) > MAX_UPLOAD_BODY:
                    return None
            except ValueError:
                return None
    chunks, size, more = [], 0, True
    while more:
        message = await receive()
        if message["type"] != "http.request":  # the client went away: let the app see that
            return _replay(message, receive)
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > MAX_UPLOAD_BODY:
            return None
        chunks.append(chunk)
        more = message.get("more_body", False)
    return _replay({"type": "http.request", "body": b"".join(chunks), "more_body": False}, receive)


def _replay(first: Message, receive: Receive) -> Receive:
    """`first`, then whatever the connection says next (its disconnect)."""
    sent = False

    async def receive_again() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return first
        return await receive()

    return receive_again
