"""The families' files are made in worker processes beside the server.

Python runs one thread at a time in a process, so while the server made one family's PDF
(about a fifth of a second of pure Python) every other family's click waited, and a second core
sat idle. Here the files are made in `FAMILY_PLAN_WORKERS` worker processes (default: one fewer than
the cores this process may use, at least one; 0 makes them in the server process itself). A
worker gets the plan and the answers through a pipe and sends the file's bytes back the same
way: nothing is written to disk, and a worker keeps nothing between files. If a worker dies or
does not answer in time, the file is made in the server process instead, so a family always
gets it.
"""
from __future__ import annotations

import concurrent.futures as futures
import contextlib
import logging
import multiprocessing
import os
import sys
import threading
import time
import types
from collections.abc import Iterator

from plan.outputs import OUTPUTS

WORKERS_ENV = "FAMILY_PLAN_WORKERS"
TIMEOUT = 60.0  # seconds: a file not made by then is made in the server process

_log = logging.getLogger(__name__)
_lock = threading.Lock()
_main_lock = threading.Lock()
_pool: futures.ProcessPoolExecutor | None = None
_BY_ID = {output.id: output for output in OUTPUTS}


def worker_count() -> int:
    value = os.environ.get(WORKERS_ENV, "").strip()
    if value:
        return max(0, int(value))
    return max(1, len(os.sched_getaffinity(0)) - 1)


def make(output_id: str, plan, answers) -> bytes:
    """The bytes of one output (plan/outputs.py), made in a worker process when there is one."""
    pool = None
    try:
        pool = _workers()
        if pool is not None:
            with _bare_main():  # a submit may start a worker
                job = pool.submit(_make, output_id, plan, answers)
            return job.result(timeout=TIMEOUT)
    except (futures.BrokenExecutor, futures.TimeoutError, OSError) as exc:
        _log.warning("a worker could not make a file (%s); making it here", type(exc).__name__)
        if pool is not None:
            _restart(pool)
    return _make(output_id, plan, answers)


def _make(output_id: str, plan, answers) -> bytes:
    return _BY_ID[output_id].render(plan, answers)


def _start_worker() -> None:
    """In a new worker: leave when the server does (however it stopped), and load the
    renderers and fonts now rather than for a family's first file."""
    server = os.getppid()

    def watch() -> None:
        while os.getppid() == server:
            time.sleep(1)
        os._exit(0)

    threading.Thread(target=watch, name="leave with the server", daemon=True).start()
    _warm()


def _warm() -> None:
    from plan.pdf import styles

    styles()


@contextlib.contextmanager
def _bare_main() -> Iterator[None]:
    """While workers may start. A new worker first runs the module its parent has as __main__,
    when that has a file; under Streamlit that is the app's own script (installed afresh for
    each script run), which a worker must never run. So __main__ is a bare module meanwhile."""
    bare = types.ModuleType("__main__")
    with _main_lock:
        saved = sys.modules.get("__main__")
        sys.modules["__main__"] = bare
        try:
            yield
        finally:
            if sys.modules.get("__main__") is bare and saved is not None:
                sys.modules["__main__"] = saved


def _workers() -> futures.ProcessPoolExecutor | None:
    global _pool
    with _lock:
        if _pool is None and worker_count() > 0:
            # "spawn": a fresh interpreter, never a fork of a server with threads running
            _pool = futures.ProcessPoolExecutor(max_workers=worker_count(), initializer=_start_worker,
                                                mp_context=multiprocessing.get_context("spawn"))
        return _pool


def _restart(broken: futures.ProcessPoolExecutor) -> None:
    global _pool
    with _lock:
        if _pool is broken:
            _pool = None
    broken.shutdown(wait=False, cancel_futures=True)


def start() -> None:
    """Start the workers now (serve.py does, as the server starts), so the first family does
    not wait for them."""
    pool = _workers()
    if pool is not None:
        with _bare_main():
            pool.submit(_warm)


def stop() -> None:
    global _pool
    with _lock:
        pool, _pool = _pool, None
    if pool is not None:
        pool.shutdown(wait=True, cancel_futures=True)
