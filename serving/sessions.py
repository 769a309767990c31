"""Disconnected sessions leave memory when they expire, not when the next family arrives.

When a tab's WebSocket closes, Streamlit keeps its session for `server.disconnectedSessionTTL`
seconds (120 by default) in case the tab reconnects. Streamlit 1.67's MemorySessionStorage keeps
them in a TTL cache that forgets an expired entry only when something else is written to it
(the next disconnect), and then, like its least-recently-used eviction past 128 sessions, just
drops it without shutting the session down. Shutting down is what releases a session's uploaded
files and the files made for its download buttons (the family's PDF among them): a dropped
session's files stayed in memory, and downloadable at their address, until the process ended.

`ExpiringSessionStorage` replaces it: a disconnected session is shut down (answers, uploads and
downloads released, as when the server stops) once its time is up, by `reap()`, which the app's
lifespan runs every few seconds on Streamlit's event loop; never dropped silently. Shutting down
releases uploads at once; a download button's file Streamlit only marks, and deletes at the next
sweep, which otherwise waits for any session's next script run: the same loop sweeps once more. It speaks
Streamlit's public SessionStorage protocol; putting it in place needs two private attributes
(`Runtime._session_mgr._session_storage`), so `install` checks what it replaces and fails
loudly, at start-up, if a Streamlit upgrade changed them (tests/test_serving.py pins it).
"""
from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable
from typing import Any

from streamlit.logger import get_logger
from streamlit.runtime.session_manager import SessionInfo, SessionStorage

log = get_logger(__name__)  # Streamlit's log: the server's own output

MAX_DISCONNECTED = 10_000  # beyond this many kept sessions the oldest is shut down early
_installed = False


class ExpiringSessionStorage(SessionStorage):
    """Disconnected sessions by id, each until `ttl_seconds` after it was saved."""

    def __init__(self, ttl_seconds: float, max_sessions: int = MAX_DISCONNECTED,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.ttl, self.max_sessions, self.clock = ttl_seconds, max_sessions, clock
        self._sessions: OrderedDict[str, tuple[SessionInfo, float]] = OrderedDict()  # oldest first
        self._lock = threading.Lock()

    def get(self, session_id: str) -> SessionInfo | None:
        with self._lock:
            entry = self._sessions.get(session_id)
        return entry[0] if entry and self.clock() < entry[1] else None

    def save(self, session_info: SessionInfo) -> None:
        with self._lock:
            self._sessions.pop(session_info.session.id, None)
            self._sessions[session_info.session.id] = (session_info, self.clock() + self.ttl)
            over = [self._sessions.popitem(last=False)[1][0] for _ in range(len(self._sessions) - self.max_sessions)]
        _shut_down(over)

    def delete(self, session_id: str) -> None:
        """Stop keeping it; the caller shuts it down or resumes it (as Streamlit's own storage)."""
        with self._lock:
            self._sessions.pop(session_id, None)

    def list(self) -> list[SessionInfo]:  # ty: ignore[invalid-type-form]
        now = self.clock()
        with self._lock:
            return [info for info, expires in self._sessions.values() if now < expires]

    def reap(self) -> int:
        """Shut down every session whose time is up; how many there were."""
        now = self.clock()
        with self._lock:
            expired = [sid for sid, (_, expires) in self._sessions.items() if not now < expires]
            infos = [self._sessions.pop(sid)[0] for sid in expired]
        _shut_down(infos)
        return len(infos)


def _shut_down(infos: list[SessionInfo]) -> None:
    for info in infos:
        try:
            info.session.shutdown()  # releases its uploaded files, downloads and session state
        except Exception:  # one session's trouble must not keep the others in memory
            log.exception("could not shut down an expired session")


def install(runtime: Any, ttl_seconds: float) -> ExpiringSessionStorage:
    """Put an ExpiringSessionStorage in the running Streamlit runtime, before any session."""
    from streamlit.runtime.memory_session_storage import MemorySessionStorage

    manager = getattr(runtime, "_session_mgr", None)
    current = getattr(manager, "_session_storage", None)
    if not isinstance(current, MemorySessionStorage | ExpiringSessionStorage):
        raise RuntimeError("Streamlit's session manager has changed: serving/sessions.py cannot make "
                           "expired sessions leave memory (Runtime._session_mgr._session_storage)")
    if current.list():
        raise RuntimeError("sessions were kept before the session storage was replaced")
    storage = ExpiringSessionStorage(ttl_seconds)
    manager._session_storage = storage
    return storage


def reap_interval(ttl_seconds: float) -> float:
    """How often to look: a tenth of the time a session is kept, between 1 and 10 seconds."""
    return min(10.0, max(1.0, ttl_seconds / 10))


@contextlib.asynccontextmanager
async def lifespan(_app: Any) -> AsyncIterator[None]:
    """st.App's lifespan hook (Streamlit's runtime has started; no session has connected yet):
    install the storage and shut down expired sessions every few seconds until the app stops."""
    global _installed
    from streamlit import config, runtime

    ttl = float(config.get_option("server.disconnectedSessionTTL"))
    storage = install(runtime.get_instance(), ttl)
    _installed = True

    media = runtime.get_instance().media_file_mgr

    async def reaper() -> None:
        sweep = False
        while True:
            await asyncio.sleep(reap_interval(ttl))
            if sweep:  # a download button's file goes on the second sweep after its last session
                media.remove_orphaned_files()  # (the first only marks it): normally the next script run
                sweep = False
            count = storage.reap()
            if count:
                sweep = True
                log.info("%d disconnected session%s expired and left memory", count, "" if count == 1 else "s")

    task = asyncio.create_task(reaper(), name="family-plan expired sessions")
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        _installed = False


def running_unprotected() -> bool:
    """True when a browser reaches the app through a Streamlit server that runs it without
    serve.py (`streamlit run app.py`): then it would send no security headers and keep expired
    sessions. False under AppTest, which has no server and so no request headers."""
    import streamlit as st

    return not _installed and bool(st.context.headers)
