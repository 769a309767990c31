"""Many families at once, as pass/fail checks (the timings are printed by `make load` and
`make scale-test`, never asserted here: machines are shared and noisy).

- One server, 20 families clicking as fast as it answers, over Streamlit's own protocol
  (benchmarks/load.py): every step draws what it should and every PDF arrives. This caught
  downloads vanishing under load (Streamlit dropped a file made on the press before the
  browser fetched it).
- Two replicas behind Debian's nginx with deploy/nginx.conf, real browsers (deploy/scale_test.py):
  security headers (sent by the app, passed on by nginx), sticky sessions for the WebSocket, downloads and uploads, both replicas used.
"""
from __future__ import annotations

import argparse
import asyncio
from pathlib import Path

import pytest

from testkit.browser import CHROMIUM


def test_twenty_families_at_once_all_get_their_pdf():
    from benchmarks import load

    server = load.Server()
    try:
        args = argparse.Namespace(sessions=20, think=0.0, ramp=2.0, browsers=0, seed=5, settle=0.0)
        result = asyncio.run(load.load(args, server.url, server.pid))
        problems = server.log_problems()
    finally:
        server.stop()
    assert result["errors"] == []
    assert len(result["samples"]["pdf"]) == 20 and len(result["samples"]["make my plan"]) == 20
    assert problems == []


def test_two_replicas_behind_nginx_keep_each_session_on_its_replica():
    from deploy.scale_test import run

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: apt-get install chromium")
    assert run(journeys=4) == []


def test_nginx_leaves_the_security_headers_to_the_app():
    """The app sends them (serving/edge.py; its scripts' hashes: tests/test_serving.py):
    nginx adding them too would send each header twice."""
    from serving.edge import security_headers

    from .conftest import ROOT

    active = [line for line in (ROOT / "deploy" / "nginx.conf").read_text().splitlines()
              if line.strip().startswith("add_header")]
    assert not [line for line in active for name in security_headers() if name in line]
