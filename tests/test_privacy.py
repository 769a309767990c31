"""Private by construction, proved in a real browser: a full journey writes no file, logs no
name, and talks to nobody but its own server; and Quick exit is on every screen."""
from __future__ import annotations

import socket
import threading
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from testkit.appserver import run_app
from testkit.browser import add_child, choose, download_pdf, fill_child, go_on, open_more_ways, opened

QUICK_EXIT = "https://www.bbc.co.uk/weather"
NAMES = ("Zebedee-Quirk", "Ёлка")


@pytest.fixture(scope="module")
def outside():
    """A stand-in for the rest of the internet: a listener that records every connection made
    to it. The private server is told to reach every outside address through it (the standard
    proxy variables, which Python's HTTP libraries obey)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    listener.settimeout(0.2)
    calls: list[bytes] = []
    stop = threading.Event()

    def record() -> None:
        while not stop.is_set():
            try:
                connection, _ = listener.accept()
            except OSError:
                continue
            with connection:
                connection.settimeout(1)
                try:
                    calls.append(connection.recv(200) or b"(connected)")
                except OSError:
                    calls.append(b"(connected)")

    thread = threading.Thread(target=record, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}", calls
    stop.set()
    thread.join(timeout=5)
    listener.close()


@pytest.fixture(scope="module")
def private_server(tmp_path_factory, outside):
    """A server with its own empty HOME and TMPDIR, its log where the test can read it, and
    every outside request routed to `outside`."""
    home = tmp_path_factory.mktemp("private-home")
    proxy = outside[0]
    routed = {name: proxy for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy")}
    for url in run_app(home, {**routed, "NO_PROXY": "", "no_proxy": ""}):
        yield url, home, home.parent / f"{home.name}-tmp", home.parent / f"{home.name}.log"


def files_in(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


def test_a_full_journey_writes_nothing_logs_no_name_and_stays_on_its_own_server(private_server, outside, browser,
                                                                               tmp_path):
    url, home, temp, log = private_server
    with opened(browser, url) as page:
        requested: list[str] = []
        page.on("request", lambda request: requested.append(request.url))
        fill_child(page, 1, NAMES[0], "12")
        add_child(page)
        fill_child(page, 2, NAMES[1], "8")
        go_on(page, "Next", 2)
        choose(page, f"Devices {NAMES[0]} uses", "iPhone")
        go_on(page, "Next", 3)
        go_on(page, "Make my plan", 4)
        name, reader = download_pdf(page, "Download PDF", tmp_path)
        saved, _ = download_pdf_bytes(page, "Save my answers (to update the plan later)", tmp_path)
    assert name == "family-online-safety-plan.pdf" and not any(n in name for n in NAMES)
    assert all(n not in str(reader.metadata) for n in NAMES)
    assert NAMES[0] in saved  # the family's own file has their answers; nothing else does
    assert requested and [u for u in requested if not u.startswith((url, "data:", "blob:"))] == []
    assert outside[1] == []  # nor did the server itself: from start-up to the last download
    assert files_in(home) == [] and files_in(temp) == []
    written = log.read_text(encoding="utf-8", errors="replace")
    assert all(n not in written for n in NAMES) and "iphone" not in written.lower()


def download_pdf_bytes(page: Page, button: str, folder: Path) -> tuple[str, bytes]:
    open_more_ways(page)
    with page.expect_download() as info:
        page.get_by_role("button", name=button).click()
    path = folder / info.value.suggested_filename
    info.value.save_as(path)
    return path.read_text(encoding="utf-8"), path.read_bytes()


@pytest.mark.parametrize("where", ["", "/privacy"])
def test_quick_exit_is_first_on_the_page_and_leaves_at_once(private_server, browser, where):
    url = private_server[0]
    with opened(browser, url + where) as page:
        # never let the test reach the real site: answer the neutral page locally
        page.route(f"{QUICK_EXIT}**", lambda route: route.fulfill(body="<title>Weather</title>", content_type="text/html"))
        exit_link = page.get_by_role("link", name="Quick exit")
        expect(exit_link).to_be_visible()
        assert exit_link.get_attribute("href") == QUICK_EXIT
        # keyboard users reach it before any part of the form (after the page's own header links)
        focused: list[tuple[str, str]] = []
        for _ in range(10):
            page.keyboard.press("Tab")
            focused.append(page.evaluate("[document.activeElement.tagName, document.activeElement.textContent.trim()]"))
            if focused[-1][1] == "Quick exit":
                break
        assert focused[-1][1] == "Quick exit", focused
        assert not [tag for tag, _ in focused if tag in ("INPUT", "TEXTAREA", "SELECT")], focused
        exit_link.click()
        page.wait_for_url(f"{QUICK_EXIT}**")


@pytest.mark.parametrize("where", ["", "/privacy"])
def test_shift_pressed_three_times_leaves_but_typing_capitals_does_not(private_server, browser, where):
    with opened(browser, private_server[0] + where) as page:
        page.route(f"{QUICK_EXIT}**", lambda route: route.fulfill(body="<title>Weather</title>", content_type="text/html"))
        expect(page.get_by_role("link", name="Quick exit")).to_be_visible()
        if not where:  # capitals typed in a field: Shift, then a letter, each time
            field = page.get_by_label("Child 1's first name (optional)")
            field.click()
            for letter in "SAM":
                page.keyboard.press(f"Shift+{letter}")
            expect(field).to_have_value("SAM")
        page.keyboard.press("Shift")
        page.keyboard.press("Shift")
        assert page.url.startswith(private_server[0])  # twice is not enough
        page.keyboard.press("Shift")
        page.wait_for_url(f"{QUICK_EXIT}**")
        # replaced, not added: Back does not bring this page up again
        page.go_back()
        assert not page.url.startswith(private_server[0]), page.url


def test_quick_exit_on_every_wizard_step(private_server, browser):
    with opened(browser, private_server[0]) as page:
        fill_child(page, 1, "Sam", "9")
        for step, button in ((2, "Next"), (3, "Next"), (4, "Make my plan")):
            go_on(page, button, step)
            expect(page.get_by_role("link", name="Quick exit")).to_be_visible()


def test_privacy_page_says_what_happens(private_server, browser):
    with opened(browser, private_server[0] + "/privacy") as page:
        expect(page.get_by_role("heading", name="Privacy")).to_be_visible()
        for claim in ("What we keep: nothing.", "Nothing is written down.", "No tracking.", "Our logs"):
            expect(page.get_by_text(claim)).to_be_visible()
