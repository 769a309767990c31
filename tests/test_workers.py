"""The families' files made in worker processes (web/workers.py): the same bytes as made in the
server process, and a file for the family even when a worker dies."""
from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import time
import types
from pathlib import Path

import pytest

from plan import render_pdf
from testkit.plans import build
from web import workers

from .conftest import ROOT, child


@pytest.fixture
def family(content):
    plan = build(content, child(9, name="Siân", devices=["ipad"], apps=["roblox"], concerns=["grooming"]))
    return plan, None


@pytest.fixture
def one_worker(monkeypatch):
    monkeypatch.setenv(workers.WORKERS_ENV, "1")
    workers.stop()
    yield
    workers.stop()


def test_a_worker_makes_the_same_pdf_as_the_server_would(one_worker, family):
    plan, answers = family
    made = workers.make("pdf", plan, answers)
    assert made == render_pdf(plan)
    assert multiprocessing.active_children()  # it was made by a worker process


def test_when_a_worker_dies_the_family_still_gets_its_file(one_worker, family):
    plan, answers = family
    first = workers.make("pdf", plan, answers)
    dead = multiprocessing.active_children()
    assert dead
    for process in dead:
        os.kill(process.pid, signal.SIGKILL)
        process.join(5)
    assert workers.make("pdf", plan, answers) == first  # made here, as the workers had gone
    assert workers.make("pdf", plan, answers) == first  # and again by new workers
    assert {p.pid for p in multiprocessing.active_children()}.isdisjoint({p.pid for p in dead})


def test_no_workers_makes_files_in_the_server_process(monkeypatch, family):
    monkeypatch.setenv(workers.WORKERS_ENV, "0")
    workers.stop()
    before = {p.pid for p in multiprocessing.active_children()}
    plan, answers = family
    assert workers.make("pdf", plan, answers).startswith(b"%PDF-")
    assert {p.pid for p in multiprocessing.active_children()} == before


def test_the_number_of_workers_is_one_fewer_than_the_cores(monkeypatch):
    monkeypatch.delenv(workers.WORKERS_ENV, raising=False)
    assert workers.worker_count() == max(1, len(os.sched_getaffinity(0)) - 1)
    monkeypatch.setenv(workers.WORKERS_ENV, "3")
    assert workers.worker_count() == 3


def test_workers_leave_when_the_server_is_killed(tmp_path):
    """A server killed outright (SIGKILL: no shutdown runs) leaves no worker behind."""
    script = tmp_path / "server.py"
    script.write_text(
        "import multiprocessing, sys, time\n"
        "from web import workers\n"
        "from plan import build_plan, default_content, parse_answers\n"
        "if __name__ == '__main__':\n"
        "    content = default_content()\n"
        "    answers = parse_answers({'children': [{'age': 9}]}, content.vocabulary)\n"
        "    workers.make('pdf', build_plan(answers, content=content), answers)\n"
        "    print(' '.join(str(p.pid) for p in multiprocessing.active_children()), flush=True)\n"
        "    time.sleep(600)\n", encoding="utf-8")
    server = subprocess.Popen([sys.executable, str(script)], cwd=ROOT, stdout=subprocess.PIPE, text=True,
                              env={**os.environ, "PYTHONPATH": str(ROOT), workers.WORKERS_ENV: "1"})
    try:
        pids = [int(pid) for pid in server.stdout.readline().split()]
    finally:
        server.kill()
        server.wait(10)
    assert pids  # the worker (and Python's resource tracker)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and any(alive(pid) for pid in pids):
        time.sleep(0.2)
    assert not any(alive(pid) for pid in pids), "a worker outlived the server"


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie has left: only its parent (here, init) has yet to reap it
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def test_a_worker_never_runs_the_apps_script(one_worker, family, tmp_path, monkeypatch):
    """Streamlit installs the app's script as __main__ for each run, and a new process would run
    its parent's __main__ first: a worker started during a run must not run the app."""
    marker = tmp_path / "ran"
    script = tmp_path / "app_script.py"
    script.write_text(f"open({str(marker)!r}, 'w').close()\nraise SystemExit('the app ran in a worker')\n",
                      encoding="utf-8")
    fake = types.ModuleType("__main__")
    fake.__file__ = str(script)
    monkeypatch.setitem(sys.modules, "__main__", fake)
    plan, answers = family
    assert workers.make("pdf", plan, answers) == render_pdf(plan)
    assert multiprocessing.active_children()  # made by a worker, not by the fallback here
    assert not marker.exists()
    assert sys.modules["__main__"] is fake
