"""Many families at once: step latency, errors and the server's memory under load, and the
memory cost of 1,000 PDFs in a row. Prints figures; asserts nothing (machines are shared and
noisy). Targets on a 2-core machine: 0 errors, p95 step <= 1 s, and 1,000 PDFs in a row growing
memory by less than 20 MB.

    python benchmarks/load.py [--sessions 50] [--think 2] [--url http://127.0.0.1:8501]
                              [--browsers 0] [--pdfs 1000] [--app-pdfs 0]

Without --url it starts its own server (`streamlit run serve.py` on a free loopback port, with a
fresh HOME and TMPDIR, as tests/test_browser.py does) and stops it at the end.

The journey. Each session is one family going through the whole wizard: open the page, name
and age each child (a third of families add a second child), Next, pick devices and apps one
at a time, Next, tick worries (and sometimes "something has happened"), Make my plan, then
download the PDF. Answers vary per session (seeded, so runs are comparable). Between actions a
session waits a "think time" (`--think`, uniformly 0.5x to 1.5x, default 2 s; `--think 0` is
the worst case where every session clicks as fast as the server answers). Sessions start spread
over `--ramp` seconds and all stay connected until the last one has its PDF, so at the end
`--sessions` sessions are open at once, holding their state in the server.

A step is one interaction that makes Streamlit rerun the script: it is timed from sending the
interaction to the end of that run (Streamlit's `script_finished`, which is what flips the page
to `data-test-script-state='notRunning'`), and it only counts as a success when the run drew
what the family should now see (for Next: "Step 2 of 4: ...") and no error, exception or
"temporarily unavailable". The PDF download is timed from the press to the last byte. "Plan on
screen" is the same press of Make my plan timed to the arrival of the plan's first section (its
heading: the glance page, or a crisis plan's first steps), which the page shows while the rest of
the run makes the PDF; it is not counted again in "all steps".

Why a protocol-level client rather than 50 Chromium pages. Measured on this 2-core machine
with Chromium on the same cores as the server: 10 concurrent Chromium pages already gave a p95
step of 4-5 s and 25 pages 8 s, with the server using under a fifth of the CPU (4.6 CPU-s of
48 for 10 journeys): the browsers, not the app, were being measured, and 50 pages would mostly
measure Chromium starving the server. Real families bring their own CPUs. So the sessions here
speak Streamlit's own protocol over the real WebSocket (`/_stcore/stream`), exactly as the
browser does (captured from Chromium and replayed message for message): the same HTTP
requests for the page, the XSRF cookie and subprotocol, `rerun_script` messages carrying every
widget's state the way the frontend sends them, and the GET of the file a download button
names. The server cannot tell them from browsers except that they never fetch
the static JavaScript (a browser caches it; a CDN or the proxy can serve it). One Python
process drives all sessions with asyncio and uses little CPU (printed). `--browsers K` adds K
real Chromium journeys (Playwright, /usr/bin/chromium, timed from the click to notRunning with
the expected text visible) alongside, as a cross-check of what a person would see; it needs
the dev requirements (playwright).

Memory is the resident set (VmRSS in /proc) of the server process and all its children, at
start, after one warm-up journey, at the peak (sampled twice a second), with every session
still open, and a few seconds after they closed (Streamlit keeps a disconnected session for
server.disconnectedSessionTTL, 120 s by default, in case the tab reconnects).

1,000 PDFs in a row (`--pdfs`, default 1000): in a fresh Python process, build and render
plans for varied answers, and read that process's VmRSS from /proc/self/status after a
warm-up and every 100 PDFs. `--app-pdfs N` also makes N different PDFs in a row through the
app, in one session (each time a rule of the family's own added to the agreement or taken out again, then Download PDF), and
reports the server's RSS growth.
"""
from __future__ import annotations

import argparse
import asyncio
import gc
import http.cookies
import os
import random
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from testkit.browser import CHROMIUM, CHROMIUM_ARGS

ROOT = Path(__file__).resolve().parent.parent
OWN_RULE = "A rule of your own (up to 10)"

TODAY = date(2026, 11, 22)
STEP_TIMEOUT = 60.0  # seconds: a step slower than this counts as an error
# The heading a family sees first on the plan step: the crisis plan's first steps, or the glance page
FIRST_SCREEN = ("First steps now", "Our plan at a glance")
JOURNEY_TIMEOUT = 600.0
PDF_NAME = "family-online-safety-plan.pdf"
NAMES = ("Sam", "Ava", "Noah", "Zara", "Leo", "Isla", "Omar", "Mia", "Finn", "Ruby", "Siân", "Priya")
NOT_RUNNING = "[data-testid='stApp'][data-test-script-state='notRunning']"


# ---- the server's process tree, from /proc ---------------------------------------------------


def process_tree(root: int) -> list[int]:
    """`root` and all its descendants."""
    children: dict[int, list[int]] = defaultdict(list)
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        children[int(stat.rsplit(")", 1)[1].split()[1])].append(int(entry))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, ()))
    return found


def vmrss(pid: int | str = "self") -> int:
    """Resident set size in bytes (0 if the process is gone)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def tree_rss(root: int) -> int:
    return sum(vmrss(pid) for pid in process_tree(root))


def tree_cpu(root: int) -> float:
    """User + system CPU seconds of the live processes in the tree."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in process_tree(root):
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / ticks


def listening_pid(port: int) -> int | None:
    """The process listening on a local TCP port (for --url), via /proc/net/tcp and fds."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            parts = line.split()
            if int(parts[1].rsplit(":", 1)[1], 16) == port and parts[3] == "0A":  # LISTEN
                inodes.add(parts[9])
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            fds = os.listdir(f"/proc/{entry}/fd")
        except OSError:
            continue
        for fd in fds:
            try:
                link = os.readlink(f"/proc/{entry}/fd/{fd}")
            except OSError:
                continue
            if link.startswith("socket:[") and link[8:-1] in inodes:
                return int(entry)
    return None


def mb(size: float) -> str:
    return f"{size / 1e6:.1f} MB"


def change(size: float) -> str:
    return f"{size / 1e6:+.1f} MB"


# ---- our own server -----------------------------------------------------------------------------


class Server:
    """The app on a free loopback port with a fresh HOME and TMPDIR (testkit/appserver.py)."""

    def __init__(self) -> None:
        from testkit.appserver import AppServer

        self.folder = tempfile.TemporaryDirectory(prefix="family-plan-load-")
        base = Path(self.folder.name)
        self.log_path = base / "server.log"
        try:
            self.app = AppServer(base / "home", base / "tmp", self.log_path)
        except RuntimeError as exc:
            self.folder.cleanup()
            raise SystemExit(str(exc)) from None
        self.url, self.pid = self.app.url, self.app.pid

    def log_problems(self) -> list[str]:
        text = self.log_path.read_text(errors="replace")
        return [line for line in text.splitlines() if "Traceback" in line or " ERROR " in line or "Error" in line]

    def stop(self) -> None:
        self.app.stop()
        self.folder.cleanup()


# ---- HTTP (blocking urllib in a small thread pool) ----------------------------------------------

HTTP_POOL = ThreadPoolExecutor(max_workers=16, thread_name_prefix="http")


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes
    cookies: dict[str, str]


def _get(url: str, cookies: dict[str, str]) -> Response:
    request = urllib.request.Request(url, headers={"User-Agent": "family-plan-load/1"})
    if cookies:
        request.add_header("Cookie", "; ".join(f"{k}={v}" for k, v in cookies.items()))
    try:
        with urllib.request.urlopen(request, timeout=STEP_TIMEOUT) as reply:
            status, headers, body = reply.status, reply.headers, reply.read()
    except urllib.error.HTTPError as exc:
        status, headers, body = exc.code, exc.headers, exc.read()
    jar = {}
    for header in headers.get_all("Set-Cookie") or ():
        parsed = http.cookies.SimpleCookie()
        parsed.load(header)
        jar.update({k: m.value for k, m in parsed.items()})
    return Response(status, {k.lower(): v for k, v in headers.items()}, body, jar)


async def get(url: str, cookies: dict[str, str] | None = None) -> Response:
    return await asyncio.get_running_loop().run_in_executor(HTTP_POOL, _get, url, dict(cookies or {}))


# ---- a Streamlit session over the WebSocket, as the browser's frontend speaks it ----------------


class JourneyError(Exception):
    pass


@dataclass
class Run:
    """What one script run drew: elements by their place on the page."""

    elements: dict[tuple[int, ...], tuple[str, Any]] = field(default_factory=dict)
    status: int | None = None
    seen: float | None = None  # when the text the session watches for arrived (perf_counter)

    def ordered(self) -> list[tuple[tuple[int, ...], str, Any]]:
        return [(path, kind, el) for path, (kind, el) in sorted(self.elements.items())]

    def texts(self) -> list[str]:
        return [el.body for _, kind, el in self.ordered() if kind in ("markdown", "heading", "alert", "html", "text")]

    def has_text(self, part: str) -> bool:
        return any(part in text for text in self.texts())

    def widget(self, kind: str, label: str) -> Any:
        for _, k, el in self.ordered():
            if k == kind and el.label == label:
                return el
        raise JourneyError(f"no {kind} labelled {label!r} on the page")

    def problems(self) -> list[str]:
        found = []
        for _, kind, el in self.ordered():
            if kind == "exception":
                found.append(f"exception on the page: {el.type}: {el.message[:200]}")
            elif kind == "alert" and el.format == 1:  # Alert.ERROR
                found.append(f"error on the page: {el.body[:200]}")
            elif kind == "alert" and "temporarily unavailable" in el.body:
                found.append("the service said it is temporarily unavailable")
        return found


WIDGET_KINDS = {"selectbox", "multiselect", "radio", "checkbox", "text_input", "text_area", "file_uploader",
                "number_input"}


def _has(message: Any, name: str) -> bool:
    try:
        return message.HasField(name)
    except ValueError:  # a plain proto3 scalar: always "set"
        return True


def widget_state(kind: str, el: Any, previous: Any | None) -> Any | None:
    """The state the frontend keeps for a widget it has just drawn: the server's value when
    the server set one, else what the user left in it, else the widget's default. None for a
    widget that holds no value (a selectbox with nothing chosen sends its id alone)."""
    from streamlit.proto.WidgetStates_pb2 import WidgetState

    state = WidgetState(id=el.id)
    if getattr(el, "set_value", False):
        if kind in ("selectbox", "radio"):
            if _has(el, "raw_value"):
                state.string_value = el.raw_value
        elif kind == "multiselect":
            state.string_array_value.data.extend(el.raw_values)
        elif kind == "checkbox":
            state.bool_value = el.value
        elif kind == "number_input":
            if _has(el, "value"):
                _set_number(state, el, el.value)
        elif _has(el, "value"):
            state.string_value = el.value
        return state
    if previous is not None:
        return previous
    if kind in ("selectbox", "radio"):
        if _has(el, "default") and 0 <= el.default < len(el.options):
            state.string_value = el.options[el.default]
    elif kind == "multiselect":
        state.string_array_value.data.extend(el.options[i] for i in el.default)
    elif kind == "checkbox":
        state.bool_value = el.default
    elif kind in ("text_input", "text_area"):
        if _has(el, "default"):
            state.string_value = el.default
    elif kind == "number_input":
        if _has(el, "default"):
            _set_number(state, el, el.default)
    elif kind == "file_uploader":
        state.file_uploader_state_value.SetInParent()
    return state


def _set_number(state: Any, el: Any, number: float) -> None:
    """A number field's value as the frontend sends it: whole numbers as int_value."""
    if el.data_type == 0:  # NumberInput.INT
        state.int_value = int(number)
    else:
        state.double_value = number


class Session:
    """One browser tab's worth of conversation with the app."""

    def __init__(self, base: str) -> None:
        self.base = base.rstrip("/")
        self.cookies: dict[str, str] = {}
        self.ws = None
        self.reader: asyncio.Task | None = None
        self.page_hash = ""
        self.session_id = ""
        self.run: Run | None = None
        self.last: Run = Run()
        self.finished = asyncio.Event()
        self.states: dict[str, Any] = {}  # widget id -> WidgetState, as the frontend's manager
        self.closed_because: str | None = None
        self.watch: tuple[str, ...] = ()  # texts whose first arrival in a run it notes (Run.seen)
        self.sent = 0.0  # when the last interaction was sent (perf_counter)

    async def open(self) -> None:
        from websockets.asyncio.client import connect
        from websockets.typing import Origin, Subprotocol

        for path in ("/", "/_stcore/health", "/_stcore/host-config"):  # what the page fetches first
            reply = await get(self.base + path, self.cookies)
            if reply.status != 200:
                raise JourneyError(f"GET {path}: HTTP {reply.status}")
            self.cookies.update(reply.cookies)
        xsrf = self.cookies.get("_streamlit_xsrf", "")
        url = "ws" + self.base[4:] + "/_stcore/stream"
        self.ws = await connect(
            url, subprotocols=[Subprotocol("streamlit"), Subprotocol(xsrf)] if xsrf else [Subprotocol("streamlit")],
            origin=Origin(self.base), max_size=None, open_timeout=STEP_TIMEOUT,
            additional_headers={"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())},
            user_agent_header="family-plan-load/1")
        self.reader = asyncio.create_task(self._read())

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
        if self.reader is not None:
            self.reader.cancel()
            try:
                await self.reader
            except (asyncio.CancelledError, Exception):
                pass

    async def _read(self) -> None:
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        try:
            async for data in self.ws:
                msg = ForwardMsg()
                msg.ParseFromString(data)
                kind = msg.WhichOneof("type")
                if kind == "new_session":
                    self.run = Run()
                    self.page_hash = msg.new_session.page_script_hash or self.page_hash
                    self.session_id = msg.new_session.initialize.session_id or self.session_id
                elif kind == "delta" and self.run is not None:
                    delta = msg.delta
                    which = delta.WhichOneof("type")
                    if which == "new_element":
                        el_kind = delta.new_element.WhichOneof("type")
                        element = getattr(delta.new_element, el_kind)
                        self.run.elements[tuple(msg.metadata.delta_path)] = (el_kind, element)
                        if self.watch and self.run.seen is None and el_kind in ("heading", "markdown") \
                                and any(text in element.body for text in self.watch):
                            self.run.seen = time.perf_counter()
                elif kind == "script_finished" and self.run is not None:
                    self.run.status = msg.script_finished
                    self.last, self.run = self.run, None
                    self.finished.set()
                elif kind in ("ref_hash", "page_not_found"):
                    self.closed_because = f"unexpected {kind} message"
        except Exception as exc:  # the connection dropped: whoever waits gets told
            self.closed_because = f"WebSocket closed: {exc!r}"[:200]
        finally:
            self.closed_because = self.closed_because or "WebSocket closed"
            self.finished.set()

    def _client_state(self, msg: Any) -> Any:
        state = msg.rerun_script
        state.query_string = ""
        state.page_script_hash = self.page_hash
        info = state.context_info
        info.timezone, info.timezone_offset, info.locale = "Europe/London", 0, "en-GB"
        info.url, info.is_embedded, info.color_scheme = self.base + "/", False, "light"
        return state

    async def rerun(self, changes: dict[str, Any] | None = None, trigger: str | None = None) -> tuple[float, Run]:
        """Send one interaction (changed widget values and/or a button press) and wait for the
        script run it causes to finish. Returns the seconds it took and what the run drew."""
        from streamlit.proto.BackMsg_pb2 import BackMsg

        if self.closed_because:
            raise JourneyError(self.closed_because)
        self.states.update(changes or {})
        msg = BackMsg()
        state = self._client_state(msg)
        state.widget_states.widgets.extend(self.states.values())
        if trigger:
            press = state.widget_states.widgets.add()
            press.id, press.trigger_value = trigger, True
        self.finished.clear()
        started = self.sent = time.perf_counter()
        await self.ws.send(msg.SerializeToString())
        try:
            await asyncio.wait_for(self.finished.wait(), STEP_TIMEOUT)
        except TimeoutError:
            raise JourneyError(f"no answer within {STEP_TIMEOUT:.0f} s") from None
        elapsed = time.perf_counter() - started
        if self.closed_because:
            raise JourneyError(self.closed_because)
        run = self.last
        if run.status != 0:
            raise JourneyError(f"script run ended with status {run.status}")
        problems = run.problems()
        if problems:
            raise JourneyError(problems[0])
        self._remember(run)
        return elapsed, run

    def _remember(self, run: Run) -> None:
        """Keep the state of the widgets this run drew, as the frontend does, and forget the rest."""
        kept = {}
        for _, kind, el in run.ordered():
            if kind in WIDGET_KINDS:
                state = widget_state(kind, el, self.states.get(el.id))
                if state is not None:
                    kept[el.id] = state
        self.states = kept

    async def download(self, label: str) -> tuple[float, Response]:
        """Press a download button: the browser fetches the file that the last script run made
        (its address is in the button); time until the file's last byte."""
        button = self.last.widget("download_button", label)
        if not button.url:
            raise JourneyError(f"{label}: the button has no file")
        started = time.perf_counter()
        reply = await get(urllib.parse.urljoin(self.base + "/", button.url.lstrip("/")), self.cookies)
        elapsed = time.perf_counter() - started
        if reply.status != 200:
            raise JourneyError(f"{label}: HTTP {reply.status}")
        return elapsed, reply


def _value(kind: str, values: Any) -> Any:
    from streamlit.proto.WidgetStates_pb2 import WidgetState

    state = WidgetState()
    if kind == "string":
        state.string_value = values
    elif kind == "strings":
        state.string_array_value.data.extend(values)
    elif kind == "bool":
        state.bool_value = values
    elif kind == "int":
        state.int_value = values
    return state


def child_label(index: int, name: str) -> str:
    return name or f"Child {index + 1}"


@dataclass
class Family:
    children: list[tuple[str, int]]  # (name or "", age)
    devices: list[int]  # how many devices each child gets (picked one at a time)
    apps: list[int]
    worries: list[int]
    happened: bool


def random_family(rng: random.Random) -> Family:
    count = 2 if rng.random() < 1 / 3 else 1
    children = [(rng.choice(NAMES) if rng.random() < 0.7 else "", rng.randint(0, 17)) for _ in range(count)]
    if count == 2 and children[0][0] and children[0][0] == children[1][0]:
        children[1] = ("", children[1][1])
    return Family(children, [rng.randint(0, 2) for _ in children], [rng.randint(0, 2) for _ in children],
                  [rng.randint(0, 2) for _ in children], rng.random() < 0.1)


Record = Callable[[str, float], None]


class Together:
    """Keeps finished sessions connected, like open tabs, until every family has its PDF (or
    has failed), so that at the end all of them are open at once."""

    def __init__(self, expected: int) -> None:
        self.expected, self.arrived, self.all_in = expected, set(), asyncio.Event()
        self.on_all_in: Callable[[], None] = lambda: None

    def arrive(self, who: object) -> None:
        """`who` is done (with its PDF, or failed); a second call changes nothing."""
        self.arrived.add(who)
        if len(self.arrived) == self.expected and not self.all_in.is_set():
            self.on_all_in()
            self.all_in.set()


async def protocol_journey(base: str, rng: random.Random, think: float, record: Record,
                           together: Together | None = None, who: object = None) -> None:
    """One family's whole journey over the protocol. Raises JourneyError on anything wrong."""
    family = random_family(rng)

    async def pause() -> None:
        if think > 0:
            await asyncio.sleep(think * rng.uniform(0.5, 1.5))

    session = Session(base)
    try:
        await session.open()
        seconds, run = await session.rerun()
        expect(run, "Step 1 of 4: Your children")
        record("open", seconds)
        for index, (name, age) in enumerate(family.children):
            if index:
                await pause()
                seconds, run = await session.rerun(trigger=session.last.widget("button", "Add another child").id)
                session.last.widget("number_input", f"Child {index + 1}'s age")
                record("add child", seconds)
            if name:
                await pause()
                box = session.last.widget("text_input", f"Child {index + 1}'s first name (optional)")
                seconds, run = await session.rerun({box.id: _with_id(_value("string", name), box.id)})
                expect(run, f"{name}")
                record("name", seconds)
            await pause()
            box = session.last.widget("number_input", f"Child {index + 1}'s age")
            seconds, run = await session.rerun({box.id: _with_id(_value("int", age), box.id)})
            if index == len(family.children) - 1 and run.has_text("Choose an age for"):
                raise JourneyError("age: the page still asks for an age")
            record("age", seconds)
        await pause()
        await press(session, "Next", "Step 2 of 4: Devices and apps", record, "next")
        labels = [child_label(i, name) for i, (name, _) in enumerate(family.children)]
        for index, label in enumerate(labels):
            for field_label, count in ((f"Devices {label} uses", family.devices[index]),
                                       (f"Apps and games {label} uses", family.apps[index])):
                for _ in range(count):
                    await pause()
                    box = session.last.widget("multiselect", field_label)
                    chosen = list(session.states[box.id].string_array_value.data)
                    option = rng.choice([o for o in box.options if o not in chosen])
                    seconds, run = await session.rerun({box.id: _with_id(_value("strings", [*chosen, option]), box.id)})
                    expect(run, "Step 2 of 4")
                    record("pick device or app", seconds)
        await pause()
        await press(session, "Next", "Step 3 of 4: Worries", record, "next")
        if family.happened:
            await pause()
            box = session.last.widget("radio", "Has something already happened?")
            yes = next(o for o in box.options if o.startswith("Yes"))
            seconds, run = await session.rerun({box.id: _with_id(_value("string", yes), box.id)})
            expect(run, "first steps to take now")
            record("something happened", seconds)
        for index in range(len(family.children)):
            for _ in range(family.worries[index]):
                await pause()
                boxes = worry_boxes(session.last)[index]
                box = rng.choice([b for b in boxes if not session.states[b.id].bool_value])
                seconds, run = await session.rerun({box.id: _with_id(_value("bool", True), box.id)})
                expect(run, "Step 3 of 4")
                record("tick worry", seconds)
        await pause()
        session.watch = FIRST_SCREEN
        seconds, run = await session.rerun(trigger=session.last.widget("button", "Make my plan").id)
        session.watch = ()
        expect(run, "Step 4 of 4: Your plan")
        for index, (name, age) in enumerate(family.children):
            expect(run, f"age {age}")
        if run.seen is None:
            raise JourneyError("the plan's first section never arrived")
        record("plan on screen", run.seen - session.sent)
        record("make my plan", seconds)
        await pause()
        seconds, reply = await session.download("Download PDF")
        if not reply.body.startswith(b"%PDF-") or PDF_NAME not in reply.headers.get("content-disposition", ""):
            raise JourneyError("Download PDF: not the plan's PDF")
        record("pdf", seconds)
        if together is not None:
            together.arrive(who)
            await together.all_in.wait()
    finally:
        await session.close()


def _with_id(state: Any, widget_id: str) -> Any:
    state.id = widget_id
    return state


def expect(run: Run, text: str) -> None:
    if not run.has_text(text):
        raise JourneyError(f"expected {text!r} on the page")


async def press(session: Session, label: str, then: str, record: Record, kind: str) -> None:
    seconds, run = await session.rerun(trigger=session.last.widget("button", label).id)
    expect(run, then)
    record(kind, seconds)


def worry_boxes(run: Run) -> list[list[Any]]:
    """The worry tick boxes, one list per child (each child's box on the page)."""
    groups: dict[tuple[int, ...], list[Any]] = defaultdict(list)
    for path, kind, el in run.ordered():
        if kind == "checkbox" and "-concern-" in el.id:
            groups[path[:-1]].append(el)
    return [groups[key] for key in sorted(groups)]


# ---- real Chromium journeys, for --browsers ----------------------------------------------------


async def browser_journeys(base: str, count: int, seed: int, record: Record, errors: list[str],
                           together: Together) -> None:
    from playwright.async_api import async_playwright
    from playwright.async_api import expect as pw_expect

    async def settled(page: Any, visible: Any) -> None:
        await pw_expect(visible).to_be_visible(timeout=STEP_TIMEOUT * 1000)
        await pw_expect(page.locator(NOT_RUNNING)).to_be_attached(timeout=STEP_TIMEOUT * 1000)

    async def one(browser: Any, number: int) -> None:
        rng = random.Random(seed * 7919 + number)
        context = await browser.new_context(viewport={"width": 390, "height": 844}, accept_downloads=True)
        page = await context.new_page()
        try:
            await page.goto(base)
            await settled(page, page.get_by_text("Step 1 of 4:"))
            age = str(rng.randint(1, 17))
            box = page.get_by_label("Child 1's age")
            await box.fill(age)
            started = time.perf_counter()
            await box.press("Enter")
            await pw_expect(page.get_by_text("Choose an age for")).to_have_count(0, timeout=STEP_TIMEOUT * 1000)
            await settled(page, page.get_by_role("button", name="Next", exact=True))
            record("browser: age", time.perf_counter() - started)
            for label, step in (("Next", 2), ("Next", 3), ("Make my plan", 4)):
                await asyncio.sleep(rng.uniform(0.5, 1.5))
                started = time.perf_counter()
                await page.get_by_role("button", name=label, exact=True).click()
                await settled(page, page.get_by_text(f"Step {step} of 4:"))
                record(f"browser: {label.lower()}", time.perf_counter() - started)
            started = time.perf_counter()
            async with page.expect_download(timeout=STEP_TIMEOUT * 1000) as info:
                await page.get_by_role("button", name="Download PDF").click()
            download = await info.value
            path = await download.path()
            if download.suggested_filename != PDF_NAME or not Path(path).read_bytes().startswith(b"%PDF-"):
                raise JourneyError("browser: not the plan's PDF")
            record("browser: pdf", time.perf_counter() - started)
            together.arrive(f"browser {number}")
            await together.all_in.wait()
        except Exception as exc:
            errors.append(f"browser {number}: {exc!r}"[:300])
            together.arrive(f"browser {number}")
        finally:
            await context.close()

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            await asyncio.gather(*(one(browser, n) for n in range(count)))
        finally:
            await browser.close()


# ---- the load run ---------------------------------------------------------------------------------


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = fraction * (len(ordered) - 1)
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def table(samples: dict[str, list[float]], kinds: list[str]) -> None:
    print(f"  {'interaction':<22}{'count':>7}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}")
    for kind in kinds:
        values = samples.get(kind, [])
        if values:
            print(f"  {kind:<22}{len(values):>7}{percentile(values, .5) * 1000:>9.0f}"
                  f"{percentile(values, .95) * 1000:>9.0f}{max(values) * 1000:>9.0f}")


async def load(args: argparse.Namespace, base: str, pid: int | None) -> dict[str, Any]:
    samples: dict[str, list[float]] = defaultdict(list)
    errors: list[str] = []

    def record(kind: str, seconds: float) -> None:
        samples[kind].append(seconds)

    peak = 0

    async def sample_memory(stop: asyncio.Event) -> None:
        nonlocal peak
        while not stop.is_set():
            if pid:
                peak = max(peak, tree_rss(pid))
            try:
                await asyncio.wait_for(stop.wait(), 0.5)
            except TimeoutError:
                pass

    # a warm-up journey: the first one loads content and fonts once per process
    await protocol_journey(base, random.Random(-1), 0, lambda kind, seconds: None)
    before = tree_rss(pid) if pid else 0
    cpu_before = tree_cpu(pid) if pid else 0.0
    own_cpu_before = time.process_time()
    stop = asyncio.Event()
    together = Together(args.sessions + args.browsers)
    open_rss: list[int] = []
    together.on_all_in = lambda: open_rss.append(tree_rss(pid) if pid else 0)

    async def family(number: int) -> None:
        await asyncio.sleep(args.ramp * number / max(args.sessions, 1))
        try:
            await asyncio.wait_for(
                protocol_journey(base, random.Random(args.seed * 100_003 + number), args.think, record, together, number),
                JOURNEY_TIMEOUT)
        except TimeoutError:
            errors.append(f"session {number}: journey took over {JOURNEY_TIMEOUT:.0f} s")
            together.arrive(number)
        except Exception as exc:  # every failure is counted, whatever it is
            errors.append(f"session {number}: {exc}"[:300])
            together.arrive(number)

    sampler = asyncio.create_task(sample_memory(stop))
    started = time.perf_counter()
    tasks = [asyncio.create_task(family(n)) for n in range(args.sessions)]
    if args.browsers:
        tasks.append(asyncio.create_task(browser_journeys(base, args.browsers, args.seed, record, errors, together)))
    await asyncio.gather(*tasks)
    wall = time.perf_counter() - started
    cpu_used = (tree_cpu(pid) - cpu_before) if pid else float("nan")
    own_cpu = time.process_time() - own_cpu_before
    stop.set()
    await sampler
    await asyncio.sleep(args.settle)
    after_closed = tree_rss(pid) if pid else 0
    return {"samples": samples, "errors": errors, "before": before, "peak": peak, "open": open_rss[0] if open_rss else 0,
            "closed": after_closed, "wall": wall, "cpu": cpu_used, "own_cpu": own_cpu}


async def app_pdfs(base: str, pid: int, count: int) -> None:
    """`count` different PDFs in a row through the app, in one session: each time a rule of the
    family's own added to the agreement, or the one added taken out again (a rerun that makes a
    new PDF), then Download PDF; the server's RSS."""
    session = Session(base)
    await session.open()

    async def new_pdf(number: int) -> None:
        run = session.last
        if run.has_text("Rule 1: "):
            await session.rerun(trigger=run.widget("button", "Remove rule 1").id)
        else:
            box = run.widget("text_input", OWN_RULE)
            await session.rerun({box.id: _with_id(_value("string", f"Rule number {number}"), box.id)},
                                trigger=run.widget("button", "Add rule").id)
        _, reply = await session.download("Download PDF")
        if not reply.body.startswith(b"%PDF-"):
            raise JourneyError(f"download {number}: not a PDF")

    try:
        await session.rerun()
        box = session.last.widget("number_input", "Child 1's age")
        await session.rerun({box.id: _with_id(_value("int", 12), box.id)})
        for label in ("Next", "Next", "Make my plan"):
            await session.rerun(trigger=session.last.widget("button", label).id)
        for number in range(20):  # warm-up
            await new_pdf(-number)
        gc.collect()
        await asyncio.sleep(1)
        base_rss = tree_rss(pid)
        started = time.perf_counter()
        for number in range(count):
            await new_pdf(number)
        seconds = time.perf_counter() - started
        right_after = tree_rss(pid)
        await asyncio.sleep(1)
        print(f"through the app: {count} different PDFs in a row in one session (a rule added or taken out each time, then "
              f"Download PDF), {seconds / count * 1000:.0f} ms each; server RSS {mb(base_rss)} -> "
              f"{mb(right_after)} ({change(right_after - base_rss)})")
    finally:
        await session.close()


# ---- 1,000 PDFs in one process -----------------------------------------------------------------


def random_answers(rng: random.Random, vocab: Any) -> dict:
    def some(kind: str, most: int) -> list[str]:
        return rng.sample(list(vocab.ids(kind)), rng.randint(0, most))

    children = []
    for _ in range(rng.choice((1, 1, 1, 2, 2, 3, 4))):
        child = {"age": rng.randint(0, 17), "devices": some("devices", 4), "apps": some("apps", 5),
                 "concerns": some("concerns", 4)}
        if rng.random() < 0.7:
            child["name"] = rng.choice(NAMES)
        if rng.random() < 0.3:
            child["birth_month"] = rng.randint(1, 12)
        children.append(child)
    return {"situation": rng.choice(("planning",) * 4 + ("something-happened",)),
            "region": rng.choice([None, *vocab.ids("regions")]), "home": some("home", 3), "children": children}


def pdf_memory(count: int, seed: int) -> None:
    """Build and render `count` plans for varied answers in this process; print VmRSS growth."""
    from plan import build_plan, default_content, parse_answers, render_pdf

    content = default_content()
    vocab = content.vocabulary
    rng = random.Random(seed)

    def one() -> int:
        answers = parse_answers(random_answers(rng, vocab), vocab)
        return len(render_pdf(build_plan(answers, today=TODAY, content=content)))

    for _ in range(30):  # warm-up: fonts, caches, the allocator's pools
        one()
    gc.collect()
    start = vmrss()
    marks, total, started = [], 0, time.perf_counter()
    for number in range(1, count + 1):
        total += one()
        if number % 100 == 0 or number == count:
            marks.append((number, vmrss()))
    seconds = time.perf_counter() - started
    gc.collect()
    end = vmrss()
    print(f"in-process: {count} PDFs (varied answers, {total / count / 1024:.0f} KB each on average) in {seconds:.0f} s, "
          f"{seconds / count * 1000:.0f} ms each")
    print("  VmRSS after warm-up " + mb(start) + "; then " + ", ".join(f"{n}: +{mb(r - start)}" for n, r in marks))
    print(f"  growth over {count} PDFs: {mb(end - start)} (target < 20 MB); highest {mb(max(r for _, r in marks) - start)}")


# ---- main ----------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=50, help="concurrent families (default 50)")
    parser.add_argument("--think", type=float, default=2.0, help="mean seconds between a family's actions (default 2)")
    parser.add_argument("--ramp", type=float, default=10.0, help="seconds over which sessions start (default 10)")
    parser.add_argument("--url", help="an app already running (default: start one on a free loopback port)")
    parser.add_argument("--pid", type=int, help="with --url: the server's process id, for memory (default: found by port)")
    parser.add_argument("--browsers", type=int, default=0, help="real Chromium journeys alongside (default 0)")
    parser.add_argument("--pdfs", type=int, default=1000, help="PDFs in a row in-process, 0 to skip (default 1000)")
    parser.add_argument("--app-pdfs", type=int, default=0, help="PDF downloads in a row through the app (default 0)")
    parser.add_argument("--settle", type=float, default=5.0, help="seconds to wait after the sessions close (default 5)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--pdf-only", type=int, help=argparse.SUPPRESS)  # the in-process phase, in a fresh process
    args = parser.parse_args()
    if args.pdf_only is not None:
        pdf_memory(args.pdf_only, args.seed)
        return

    server = None
    if args.url:
        base = args.url.rstrip("/")
        host = urllib.parse.urlsplit(base)
        if host.hostname not in ("127.0.0.1", "localhost", "::1"):
            raise SystemExit("--url must be on this machine (127.0.0.1 or localhost)")
        pid = args.pid or listening_pid(host.port or 80)
    else:
        server = Server()
        base, pid = server.url, server.pid
    try:
        started_rss = tree_rss(pid) if pid else 0
        print(f"server {base} (pid {pid or 'unknown'}): RSS at start {mb(started_rss) if pid else 'unknown'}")
        print(f"load: {args.sessions} concurrent sessions (protocol client), think {args.think:g} s x0.5-1.5, "
              f"ramp {args.ramp:g} s" + (f", plus {args.browsers} Chromium journeys" if args.browsers else ""), flush=True)
        result = asyncio.run(load(args, base, pid))
        samples, errors = result["samples"], result["errors"]
        steps = [s for kind, values in samples.items()
                 if kind not in ("pdf", "plan on screen") and not kind.startswith("browser") for s in values]
        kinds = ["open", "name", "age", "add child", "next", "pick device or app", "something happened", "tick worry",
                 "plan on screen", "make my plan", "pdf"]
        table(samples, kinds)
        print(f"  {'all steps (no pdf)':<22}{len(steps):>7}{percentile(steps, .5) * 1000:>9.0f}"
              f"{percentile(steps, .95) * 1000:>9.0f}{max(steps, default=0) * 1000:>9.0f}")
        browser_kinds = sorted(k for k in samples if k.startswith("browser"))
        if browser_kinds:
            table(samples, browser_kinds)
        journeys = len(samples.get("pdf", []))
        print(f"  {journeys} journeys with their PDF in {result['wall']:.0f} s; errors: {len(errors)}")
        for line in errors[:5]:
            print("    " + line)
        if pid:
            print(f"server memory (RSS, process + children): {mb(started_rss)} at start, {mb(result['before'])} after "
                  f"a warm-up journey; peak {mb(result['peak'])}; {mb(result['open'])} with all {args.sessions} sessions "
                  f"open ({change(result['open'] - result['before'])}, "
                  f"{(result['open'] - result['before']) / max(args.sessions, 1) / 1e6:.2f} MB a session); "
                  f"{mb(result['closed'])} {args.settle:g} s after they closed")
            print(f"server CPU during the load: {result['cpu']:.1f} s ({result['cpu'] / max(args.sessions, 1) * 1000:.0f} ms "
                  f"a journey); this load generator: {result['own_cpu']:.1f} s")
        if server is not None:
            problems = server.log_problems()
            print(f"server log: {len(problems)} error lines" + (f", first: {problems[0][:200]}" if problems else ""))
        if args.app_pdfs and pid:
            asyncio.run(app_pdfs(base, pid, args.app_pdfs))
        p95 = percentile(steps, .95) * 1000
        print(f"targets: errors 0 (got {len(errors)}); p95 step <= 1000 ms (got {p95:.0f} ms)", flush=True)
    finally:
        if server is not None:
            server.stop()
        HTTP_POOL.shutdown(wait=False)
    if args.pdfs:
        subprocess.run([sys.executable, str(Path(__file__).resolve()), "--pdf-only", str(args.pdfs),
                        "--seed", str(args.seed)], check=False)


if __name__ == "__main__":
    main()
