"""How the app is served (serving/, serve.py): one replica on its own is as safe as replicas
behind nginx, uploads never touch the disk, and a disconnected session leaves memory when it
expires.

- Unit: the middleware's headers, hidden endpoints, `no-store` downloads and upload cap; the
  session storage that shuts expired sessions down; the policy against Streamlit's index.html.
- One app server (`streamlit run serve.py`, sessions kept 2 s after their tab closes), spoken to
  over Streamlit's own protocol (benchmarks/load.py): the headers on every kind of response,
  an upload bigger than the multipart parser's memory limit refused before any temporary file,
  and a closed tab's PDF gone from memory once its session expired, with no other family coming.
- `streamlit run app.py` (without serve.py) refuses to serve families.
- nginx with deploy/nginx.conf writes no request body and no response to its temp folders.
"""
from __future__ import annotations

import asyncio
import os
import re
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from serving import edge
from serving.sessions import ExpiringSessionStorage, reap_interval
from testkit.appserver import AppServer, free_port, wait_healthy

ROOT = Path(__file__).resolve().parent.parent

TTL = 2  # seconds a closed tab's session is kept, in the test server


# ---- unit: the middleware -----------------------------------------------------------------------


def call(path: str, method: str = "GET", body: list[bytes] | None = None,
         headers: list[tuple[bytes, bytes]] | None = None, reply_headers=()) -> tuple[int, dict, bytes, list]:
    """Run one request through EdgeMiddleware around a tiny app that answers 200 and records
    the body it read. Returns (status, headers, reply body, bodies the app received)."""
    received: list[bytes] = []

    async def app(scope, receive, send):
        data, more = b"", True
        while more:
            message = await receive()
            data += message.get("body", b"")
            more = message.get("more_body", False)
        received.append(data)
        await send({"type": "http.response.start", "status": 200, "headers": list(reply_headers)})
        await send({"type": "http.response.body", "body": b"ok"})

    chunks = list(body or [b""])
    sent: list[dict] = []

    async def receive():
        chunk = chunks.pop(0) if chunks else b""
        return {"type": "http.request", "body": chunk, "more_body": bool(chunks)}

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "method": method, "path": path, "headers": headers or []}
    asyncio.run(edge.EdgeMiddleware(app)(scope, receive, send))
    start = sent[0]
    return (start["status"], {k.decode(): v.decode() for k, v in start["headers"]},
            b"".join(m.get("body", b"") for m in sent[1:]), received)


def test_every_response_gets_the_security_headers_once():
    status, headers, _, _ = call("/", reply_headers=[(b"X-Frame-Options", b"SAMEORIGIN"), (b"etag", b"x")])
    assert status == 200
    assert headers["x-frame-options"] == "DENY" and headers["etag"] == "x"
    for name, value in edge.security_headers().items():
        assert headers[name.lower()] == value
    assert "frame-ancestors 'none'" in headers["content-security-policy"]


def test_downloads_are_never_cached():
    _, headers, _, _ = call("/media/abc.pdf", reply_headers=[(b"cache-control", b"max-age=3600")])
    assert headers["cache-control"] == "no-store"
    _, page, _, _ = call("/", reply_headers=[(b"cache-control", b"no-cache")])
    assert page["cache-control"] == "no-cache"


@pytest.mark.parametrize("path", ["/_stcore/metrics", "/_stcore/agent/openapi.json", "/_stcore/agent/mcp",
                                  "/_stcore/agent", "/plan/_stcore/metrics"])
def test_metrics_and_agent_endpoints_are_not_served(path):
    status, headers, _, received = call(path)
    assert status == 404 and received == []
    assert headers["x-content-type-options"] == "nosniff"


def test_an_upload_up_to_the_cap_reaches_the_app_whole():
    parts = [b"a" * 300_000, b"b" * 300_000, b"c" * (edge.MAX_UPLOAD_BODY - 600_000)]
    status, _, _, received = call("/_stcore/upload_file/s/f", "PUT", parts)
    assert status == 200 and received == [b"".join(parts)]


def test_a_chunked_upload_over_the_cap_is_refused_before_the_app_reads_it():
    parts = [b"x" * 600_000, b"x" * 600_000, b"never read"]
    status, _, body, received = call("/_stcore/upload_file/s/f", "PUT", parts)
    assert (status, body, received) == (413, b"File too large", [])


def test_an_upload_announcing_too_much_is_refused_unread():
    status, _, _, received = call("/_stcore/upload_file/s/f", "PUT", [b"x"],
                                  headers=[(b"content-length", str(edge.MAX_UPLOAD_BODY + 1).encode())])
    assert status == 413 and received == []


def test_the_upload_cap_keeps_every_upload_in_memory():
    """Starlette's multipart parser writes a file part over `spool_max_size` to a temporary
    file; the cap keeps the whole body at or under it, and Streamlit's own limit agrees."""
    import tomllib

    from starlette.formparsers import MultiPartParser

    assert edge.MAX_UPLOAD_BODY <= MultiPartParser.spool_max_size
    settings = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert settings["server"]["maxUploadSize"] * 1024 * 1024 == edge.MAX_UPLOAD_BODY
    nginx = (ROOT / "deploy" / "nginx.conf").read_text(encoding="utf-8")
    assert re.search(r"^\s*client_max_body_size 1m;", nginx, re.M)
    assert re.search(r"^\s*client_body_buffer_size 1m;", nginx, re.M)  # never more than it keeps in memory
    assert re.search(r"^\s*proxy_max_temp_file_size 0;", nginx, re.M)  # responses never spooled either


def test_the_policy_allows_streamlits_own_inline_script():
    """Streamlit's index.html runs one inline line; its hash is pinned for Streamlit 1.67.0."""
    import streamlit

    html = (Path(streamlit.__file__).parent / "static" / "index.html").read_text(encoding="utf-8")
    inline = re.findall(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", html, re.S)
    assert inline, "Streamlit's index.html has no inline script any more: drop its hash"
    policy = edge.content_security_policy()
    for script in inline:
        assert f"'{edge.script_hash(script)}'" in policy, "Streamlit's inline script changed: update its hash"


def test_the_policy_allows_each_of_the_apps_scripts():
    from web import scripts

    assert {"FOCUS_STEP_SCRIPT", "QUICK_EXIT_SCRIPT"} <= set(edge.app_scripts())
    for name in edge.app_scripts():
        assert f"'{edge.script_hash(getattr(scripts, name))}'" in edge.content_security_policy()


# ---- unit: expired sessions are shut down -------------------------------------------------------


class FakeSession:
    def __init__(self, sid: str) -> None:
        self.id, self.shut = sid, 0

    def shutdown(self) -> None:
        self.shut += 1


def info(sid: str):
    from streamlit.runtime.session_manager import SessionInfo

    return SessionInfo(client=None, session=FakeSession(sid))  # type: ignore[arg-type]


def test_an_expired_session_is_shut_down_without_anything_else_happening():
    now = [0.0]
    storage = ExpiringSessionStorage(120, clock=lambda: now[0])
    kept, other = info("a"), info("b")
    storage.save(kept)
    now[0] = 60
    storage.save(other)
    assert storage.reap() == 0 and storage.get("a") is kept
    now[0] = 120
    assert storage.get("a") is None and storage.list() == [other]  # no longer resumable
    assert storage.reap() == 1
    assert kept.session.shut == 1 and other.session.shut == 0
    now[0] = 500
    assert storage.reap() == 1 and other.session.shut == 1
    assert storage.reap() == 0 and kept.session.shut == 1


def test_a_resumed_or_closed_session_is_left_to_streamlit():
    """delete(): Streamlit resumes the session (a reconnect) or shuts it down itself."""
    now = [0.0]
    storage = ExpiringSessionStorage(120, clock=lambda: now[0])
    kept = info("a")
    storage.save(kept)
    storage.delete("a")
    storage.delete("never there")
    now[0] = 1000
    assert storage.reap() == 0 and kept.session.shut == 0


def test_saving_again_restarts_the_time_and_too_many_shut_the_oldest():
    now = [0.0]
    storage = ExpiringSessionStorage(100, max_sessions=2, clock=lambda: now[0])
    a, b, c = info("a"), info("b"), info("c")
    storage.save(a)
    now[0] = 90
    storage.save(a)  # it reconnected and closed again
    now[0] = 150
    assert storage.reap() == 0 and storage.get("a") is a
    storage.save(b)
    storage.save(c)  # a third: the oldest is shut down, never just forgotten
    assert a.session.shut == 1 and storage.get("a") is None and {i.session.id for i in storage.list()} == {"b", "c"}


def test_expired_sessions_are_looked_for_often():
    assert reap_interval(120) == 10 and reap_interval(2) == 1 and reap_interval(30) == 3


# ---- one real server ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    folder = tmp_path_factory.mktemp("served")
    app = AppServer(folder / "home", folder / "tmp", folder / "server.log",
                    {"STREAMLIT_SERVER_DISCONNECTED_SESSION_TTL": str(TTL)})
    yield app
    app.stop()


def fetch(url: str, method: str = "GET", data: bytes | None = None, headers: dict | None = None):
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=20) as reply:
            return reply.status, {k.lower(): v for k, v in reply.headers.items()}, reply.read()
    except urllib.error.HTTPError as exc:
        return exc.code, {k.lower(): v for k, v in exc.headers.items()}, exc.read()


def assert_secure(headers: dict, what: str) -> None:
    for name, value in edge.security_headers().items():
        assert headers.get(name.lower()) == value, f"{what}: {name}"


async def to_the_plan(base: str):
    """One family over Streamlit's protocol: a child of 9, Next, Next, Make my plan."""
    from benchmarks.load import Session, _value, _with_id

    session = Session(base)
    await session.open()
    await session.rerun()
    box = session.last.widget("number_input", "Child 1's age")
    await session.rerun({box.id: _with_id(_value("int", 9), box.id)})
    for label in ("Next", "Next", "Make my plan"):
        await session.rerun(trigger=session.last.widget("button", label).id)
    assert session.last.has_text("Step 4 of 4: Your plan")
    return session


def open_files(pid: int) -> list[str]:
    found = []
    for fd in os.listdir(f"/proc/{pid}/fd"):
        try:
            found.append(os.readlink(f"/proc/{pid}/fd/{fd}"))
        except OSError:  # closed meanwhile
            pass
    return found


def with_a_session(base: str, check):
    """Open a session on the plan page, run `check(session)` (blocking is fine), close the tab."""
    async def run():
        session = await to_the_plan(base)
        try:
            return check(session)
        finally:
            await session.close()

    return asyncio.run(run())


def multipart(name: str, data: bytes) -> tuple[str, bytes]:
    boundary = "----familyplan" + os.urandom(8).hex()
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n"
            f"Content-Type: application/x-yaml\r\n\r\n").encode() + data + f"\r\n--{boundary}--\r\n".encode()
    return f"multipart/form-data; boundary={boundary}", body


def upload(base: str, session, data: bytes, file_id: str = "f1") -> int:
    kind, body = multipart("answers.yaml", data)
    status, _, _ = fetch(f"{base}/_stcore/upload_file/{session.session_id}/{file_id}", "PUT", body, {
        "Content-Type": kind, "X-Xsrftoken": session.cookies["_streamlit_xsrf"],
        "Cookie": "; ".join(f"{k}={v}" for k, v in session.cookies.items())})
    return status


@pytest.mark.server
def test_a_single_replica_sends_the_headers_itself(served):
    for path in ("/", "/_stcore/health", "/_stcore/host-config", "/privacy", "/no-such-page"):
        status, headers, _ = fetch(served.url + path)
        assert status == 200, path
        assert_secure(headers, path)
    asset = re.search(rb'src="\.?/?(static/js/[^"]+\.js)"', fetch(served.url + "/")[2])
    status, headers, _ = fetch(f"{served.url}/{asset.group(1).decode()}")
    assert status == 200 and headers["x-content-type-options"] == "nosniff"
    for path in ("/_stcore/metrics", "/_stcore/agent/openapi.json"):
        status, headers, _ = fetch(served.url + path)
        assert status == 404, path
        assert_secure(headers, path)


@pytest.mark.server
def test_downloads_uploads_and_an_expired_session_leave_memory(served):
    async def journey():
        session = await to_the_plan(served.url)
        try:
            button = session.last.widget("download_button", "Download PDF")
            assert upload(served.url, session, b"children:\n  - age: 9\n" + b"#" * 60_000) == 204
            return session, urllib.parse.urljoin(served.url + "/", button.url.lstrip("/"))
        finally:
            await session.close()  # the tab closes

    session, pdf = asyncio.run(journey())
    status, headers, body = fetch(pdf)
    assert status == 200 and body.startswith(b"%PDF-"), "kept for a tab that reconnects"
    assert headers["cache-control"] == "no-store"
    assert_secure(headers, "the PDF")
    deadline = time.monotonic() + TTL + 2 * reap_interval(TTL) + 5
    while fetch(pdf)[0] == 200 and time.monotonic() < deadline:  # and no other family comes
        time.sleep(0.5)
    assert fetch(pdf)[0] == 404, "the closed tab's PDF is still in the server's memory after its session expired"
    assert "1 disconnected session expired and left memory" in served.log.read_text(errors="replace")


@pytest.mark.server
def test_a_big_upload_never_reaches_a_temporary_file(served):
    """A chunked body (no Content-Length) bigger than the parser keeps in memory, sent slowly:
    while it is on its way the server must hold no file in its temp folder."""
    def check(session):
        kind, _ = multipart("answers.yaml", b"")
        boundary = kind.split("=", 1)[1]
        head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.yaml\"\r\n"
                "Content-Type: application/x-yaml\r\n\r\n").encode()
        cookies = "; ".join(f"{k}={v}" for k, v in session.cookies.items())
        request = (f"PUT /_stcore/upload_file/{session.session_id}/big HTTP/1.1\r\nHost: 127.0.0.1:{served.port}\r\n"
                   f"Content-Type: {kind}\r\nX-Xsrftoken: {session.cookies['_streamlit_xsrf']}\r\n"
                   f"Cookie: {cookies}\r\nTransfer-Encoding: chunked\r\n\r\n").encode()
        temp = served.log.parent / "tmp"
        with socket.create_connection(("127.0.0.1", served.port), timeout=10) as sock:
            sock.sendall(request)
            refused = False
            for piece in [head] + [b"#" * 65536] * 20:  # 1.25 MiB of file
                try:
                    sock.sendall(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
                except OSError:  # refused and closed: nothing more is read
                    refused = True
                    break
            time.sleep(0.5)
            spooled = [f for f in open_files(served.pid) if f.startswith(str(temp))
                       or (f.endswith("(deleted)") and f.startswith(("/tmp/", "/var/tmp/")))]
            sock.settimeout(5)
            try:
                reply = sock.recv(200)
            except OSError:
                reply = b""
        assert spooled == [], f"the upload went to disk: {spooled}"
        assert refused or reply.startswith(b"HTTP/1.1 413"), reply
        assert list(temp.iterdir()) == []

    with_a_session(served.url, check)


@pytest.mark.server
def test_run_without_serve_py_the_app_refuses(tmp_path):
    """`streamlit run app.py` would serve no security headers: families get the calm
    "temporarily unavailable" page with the emergency numbers instead of the wizard."""
    from benchmarks.load import Session

    app = AppServer(tmp_path / "home", tmp_path / "tmp", tmp_path / "server.log", script="app.py")
    try:
        async def first_page():
            session = Session(app.url)
            await session.open()
            try:
                session.finished.clear()
                from streamlit.proto.BackMsg_pb2 import BackMsg

                msg = BackMsg()
                session._client_state(msg)
                await session.ws.send(msg.SerializeToString())
                await asyncio.wait_for(session.finished.wait(), 30)
                return session.last
            finally:
                await session.close()

        run = asyncio.run(first_page())
        assert run.has_text("temporarily unavailable") and run.has_text("999")
        assert not run.has_text("Step 1 of 4")
        assert "started without serve.py" in (tmp_path / "server.log").read_text(errors="replace")
    finally:
        app.stop()


# ---- nginx --------------------------------------------------------------------------------------


@pytest.mark.server
def test_nginx_keeps_uploads_and_downloads_off_its_disk(tmp_path):
    """deploy/nginx.conf with its log at `warn`, where nginx reports every body or response it
    writes to a temporary file; an upload near the limit and a PDF read by a slow client."""
    from deploy.scale_test import ensure_nginx, replace_once, test_conf

    binary = ensure_nginx()
    replica = AppServer(tmp_path / "home", tmp_path / "tmp", tmp_path / "replica.log")
    nginx = None
    try:
        port = free_port()
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (tmp_path / kind).mkdir()
        text = replace_once(test_conf(tmp_path, port, [replica.port]), r"^(error_log .*) error;$", r"\g<1> warn;")
        (tmp_path / "nginx.conf").write_text(text, encoding="utf-8")
        log = tmp_path / "error.log"
        command = [binary, "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf"), "-e", str(log)]
        nginx = subprocess.Popen([*command, "-g", "daemon off;"], stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{port}"
        wait_healthy(base, nginx, log, "nginx")

        def check(session):
            assert upload(base, session, b"#" * 60_000, "small") == 204
            assert upload(base, session, b"#" * 1_000_000, "near-the-limit") == 204  # the app then says it is too big
            assert upload(base, session, b"#" * 1_100_000, "too-big") == 413
            pdf = urllib.parse.urlparse(session.last.widget("download_button", "Download PDF").url).path
            with socket.socket() as sock:  # a slow phone: a tiny receive window, reading late
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
                sock.connect(("127.0.0.1", port))
                cookies = "; ".join(f"{k}={v}" for k, v in session.cookies.items())
                sock.sendall(f"GET /{pdf.lstrip('/')} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nCookie: {cookies}\r\n"
                             "Connection: close\r\n\r\n".encode())
                time.sleep(1.5)
                reply = b""
                while chunk := sock.recv(65536):
                    reply += chunk
            assert reply.startswith(b"HTTP/1.1 200") and b"%PDF-" in reply
            assert b"\r\ncache-control: no-store" in reply.lower()
            assert len(reply) > 64_000, "a PDF bigger than nginx's proxy buffers"

        with_a_session(base, check)
        written = [line for line in log.read_text(errors="replace").splitlines() if "temporary file" in line]
        assert written == [], written
    finally:
        if nginx is not None:
            nginx.terminate()
            nginx.wait(timeout=20)
        replica.stop()
