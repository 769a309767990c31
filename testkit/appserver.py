"""The app as a real server: `streamlit run serve.py` (the app with its security headers) on a free loopback port, with its own HOME
and TMPDIR (the app should write nothing to either) and its output in a log file. Used by the
browser tests, benchmarks/load.py and deploy/scale_test.py."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from plan.site import SITE_ENV

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(url: str, process: subprocess.Popen, log: Path, what: str = "the app", seconds: float = 60) -> None:
    """Poll `url`/_stcore/health until it answers "ok"; RuntimeError with the log's end if the
    process dies or `seconds` pass."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).read() == b"ok":
                return
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"{what} did not start:\n" + log.read_text(errors="replace")[-3000:])
        time.sleep(0.2)


class AppServer:
    """One app process; `extra_env` may name a host's site folder (otherwise none is used).
    `script` is what `streamlit run` runs: serve.py, as the Dockerfile and `make run` do; `port`
    is a free one unless given (a replica restarted where it was)."""

    def __init__(self, home: Path, temp: Path, log: Path, extra_env: dict[str, str] | None = None,
                 what: str = "the app", script: str = "serve.py", port: int | None = None) -> None:
        home.mkdir(parents=True, exist_ok=True)
        temp.mkdir(parents=True, exist_ok=True)
        self.log = log
        port = port or free_port()
        env = {key: value for key, value in os.environ.items() if key != SITE_ENV}
        env.update(HOME=str(home), TMPDIR=str(temp), PYTHONPATH=str(ROOT), PYTHONDONTWRITEBYTECODE="1",
                   **(extra_env or {}))
        with log.open("wb") as out:
            self.process = subprocess.Popen(
                # only the port and address: everything else as shipped in .streamlit/config.toml
                # (headless, no usage statistics), so the tests check the real settings
                [sys.executable, "-m", "streamlit", "run", script, "--server.port", str(port),
                 "--server.address", "127.0.0.1"],
                cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
        self.port, self.url = port, f"http://127.0.0.1:{port}"
        try:
            wait_healthy(self.url, self.process, log, what)
        except RuntimeError:
            self.stop()
            raise

    @property
    def pid(self) -> int:
        return self.process.pid

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def run_app(home: Path, extra_env: dict[str, str]):
    """Start the app on a free loopback port with `home` as HOME, a fresh TMPDIR beside it and
    the log beside it too (outside HOME, which should stay empty); yield its address, then stop it."""
    server = AppServer(home, home.parent / f"{home.name}-tmp", home.parent / f"{home.name}.log", extra_env)
    yield server.url
    server.stop()
