"""One real-browser journey: a parent on a phone fills in two children, downloads the PDF,
and the PDF holds each child's name and their devices' controls.

Runs `streamlit run app.py` on a free loopback port and drives Debian's Chromium
(/usr/bin/chromium, `apt-get install chromium`) with Playwright."""
from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect, sync_playwright
from pypdf import PdfReader

from plan.site import SITE_ENV

from .appserver import AppServer
from .conftest import ROOT

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
PHONE = {"width": 390, "height": 844}
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]


AXE_OPTIONS = {"runOnly": {"type": "tag", "values": [
    "wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]}}


def axe_violations(page: Page) -> list[str]:
    """axe-core's findings on the page as it is now, one line each (empty when clean)."""
    result = Axe().run(page, options=AXE_OPTIONS)
    return [f"{v['id']}: {v['nodes'][0]['target']}" for v in result.response["violations"]]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The app as anyone would run it, with a fresh HOME."""
    yield from run_app(tmp_path_factory.mktemp("home"), {})


@pytest.fixture(scope="module")
def hosted_server(tmp_path_factory):
    """The app run by a host, with the test site folder (schools, branding)."""
    yield from run_app(tmp_path_factory.mktemp("home"), {SITE_ENV: str(ROOT / "tests" / "fixtures" / "site")})


def run_app(home: Path, extra_env: dict[str, str]):
    """Start the app on a free loopback port with `home` as HOME, a fresh TMPDIR beside it and
    the log beside it too (outside HOME, which should stay empty); stop it afterwards."""
    server = AppServer(home, home.parent / f"{home.name}-tmp", home.parent / f"{home.name}.log", extra_env)
    yield server.url
    server.stop()


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: apt-get install chromium")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def settled(page: Page) -> None:
    """Wait until Streamlit has finished running the script for the last interaction."""
    expect(page.locator("[data-testid='stApp'][data-test-script-state='notRunning']")).to_be_attached(timeout=20_000)


def choose(page: Page, label: str, option: str) -> None:
    """Pick an option in a Streamlit selectbox or multiselect (a combobox), as a person
    would: type to filter the list, then tap the option."""
    box = page.get_by_label(label)
    box.click()
    box.press_sequentially(option)
    page.get_by_role("option", name=option, exact=True).click()
    if page.get_by_role("listbox").count():  # a multiselect keeps its list open
        box.press("Escape")
    settled(page)


@contextmanager
def opened(browser, url: str, viewport: dict = PHONE) -> Iterator[Page]:
    """A fresh browser context on `url`, with Streamlit settled; closed afterwards."""
    context = browser.new_context(viewport=viewport, accept_downloads=True)
    try:
        page = context.new_page()
        page.goto(url)
        settled(page)
        yield page
    finally:
        context.close()


def download_pdf(page: Page, button: str, folder: Path) -> tuple[str, PdfReader]:
    """Press a download button; the file's suggested name and the PDF read back."""
    with page.expect_download() as download_info:
        page.get_by_role("button", name=button).click()
    download = download_info.value
    path = folder / download.suggested_filename
    download.save_as(path)
    return download.suggested_filename, PdfReader(path)


def go_on(page: Page, button: str, step: int) -> None:
    """Press Next (or Make my plan) and wait until the wizard shows that step."""
    settled(page)  # while a run is drawing, the last run's button can still be on the page too
    page.get_by_role("button", name=button, exact=True).click()
    expect(page.get_by_text(f"Step {step} of 4:")).to_be_visible()
    settled(page)


def open_expander(page: Page, title: str) -> None:
    """Open an expander and wait until it has finished opening: a click on a button while the
    expander is still animating can be lost."""
    page.get_by_text(title).click()
    animations_done(page)


def animations_done(page: Page) -> None:
    for _ in range(50):  # at most 5 s; polled from here, since the proxy's CSP forbids string eval
        if page.evaluate("() => document.getAnimations().every(a => a.playState !== 'running')"):
            return
        page.wait_for_timeout(100)


def open_more_ways(page: Page) -> None:
    """Open "More ways to keep and use your plan": the app makes those files as it opens (a rerun)."""
    page.get_by_text("More ways to keep and use your plan").click()
    expect(page.get_by_role("button", name="Accessible web page (HTML)")).to_be_visible(timeout=20_000)
    settled(page)
    animations_done(page)


def add_child(page: Page) -> None:
    page.get_by_role("button", name="Add another child").click()
    settled(page)


def fill_child(page: Page, number: int, name: str, age: str) -> None:
    field = page.get_by_label(f"Child {number}'s first name (optional)")
    field.fill(name)
    field.press("Enter")
    settled(page)
    choose(page, f"Child {number}'s age", age)


def test_parent_on_a_phone_gets_a_personalised_pdf(server, browser, tmp_path):
    context = browser.new_context(viewport=PHONE, accept_downloads=True, is_mobile=True, has_touch=True)
    page = context.new_page()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(server)
    settled(page)
    expect(page.get_by_role("heading", name="Family online-safety plan")).to_be_visible()
    found = {"children": axe_violations(page)}

    # Step 1: two children
    fill_child(page, 1, "Siân", "12")
    add_child(page)
    settled(page)
    fill_child(page, 2, "Дмитрий", "7")
    go_on(page, "Next", 2)

    # Step 2: devices and apps
    found["devices"] = axe_violations(page)
    choose(page, "Devices Siân uses", "iPhone")
    choose(page, "Apps and games Siân uses", "TikTok")
    choose(page, "Devices Дмитрий uses", "Nintendo Switch")
    go_on(page, "Next", 3)

    # Step 3: worries
    found["worries"] = axe_violations(page)
    page.get_by_text("Bullying: Being picked on").first.click()
    settled(page)
    go_on(page, "Make my plan", 4)

    # Step 4: the plan on screen, then the PDF
    expect(page.get_by_role("heading", name="Siân, age 12")).to_be_visible()
    expect(page.get_by_role("heading", name="Дмитрий, age 7")).to_be_visible()
    found["plan"] = axe_violations(page)
    assert found == {"children": [], "devices": [], "worries": [], "plan": []}
    name, reader = download_pdf(page, "Download PDF", tmp_path)
    assert name == "family-online-safety-plan.pdf"
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert "Siân, age 12" in text and "Дмитрий, age 7" in text
    assert "Screen Time" in text and "Family Pairing" in text  # Siân's iPhone and TikTok
    assert "Nintendo Switch Parental Controls" in text  # Дмитрий's Switch
    assert "Xbox Family Settings" not in text  # nobody has an Xbox
    assert reader.metadata.title == "Our family online-safety plan"
    elsewhere = [u for u in requested if not u.startswith((server, "data:", "blob:"))]
    assert requested and elsewhere == []  # privacy: the page talks to nobody but its own server
    context.close()


def test_readable_at_320_px_without_sideways_scrolling(server, browser):
    with opened(browser, server, viewport={"width": 320, "height": 640}) as page:
        expect(page.get_by_label("Child 1's first name (optional)")).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= 320


def test_a_school_link_leads_to_a_pdf_with_the_schools_contact(hosted_server, browser, tmp_path):
    with opened(browser, f"{hosted_server}/?school=oakfield-primary") as page:
        school_journey(page, tmp_path)


def school_journey(page: Page, tmp_path: Path) -> None:
    expect(page.get_by_text("Oakfield Primary School shared this with you.")).to_be_visible()
    expect(page.get_by_text("This service is provided by Toyshire Safeguarding Partnership.")).to_be_visible()
    expect(page.get_by_role("img", name="Toyshire Safeguarding Partnership logo")).to_be_visible()
    assert axe_violations(page) == []
    fill_child(page, 1, "Ava", "10")
    for step, label in ((2, "Next"), (3, "Next"), (4, "Make my plan")):
        go_on(page, label, step)
    expect(page.get_by_role("heading", name="Your school")).to_be_visible()
    _, reader = download_pdf(page, "Download PDF", tmp_path)
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert "Oakfield Primary School" in text and "0113 496 0000" in text
    assert "safeguarding@oakfield.example.org" in text
    assert "Toyshire Safeguarding Partnership" in text


def test_for_schools_page_gives_link_qr_flyer_and_newsletter(hosted_server, browser, tmp_path):
    with opened(browser, f"{hosted_server}/for-schools") as page:
        for_schools_journey(page, tmp_path)


def for_schools_journey(page: Page, tmp_path: Path) -> None:
    expect(page.get_by_role("heading", name="For schools")).to_be_visible()
    choose(page, "Your school", "Riverside Academy")
    link = "https://plan.toyshire.example.org/?school=riverside-academy"
    expect(page.get_by_text(link, exact=True)).to_be_visible()
    expect(page.get_by_role("img", name="QR code for Riverside Academy's link")).to_be_visible()
    name, reader = download_pdf(page, "Download a flyer for parents (PDF)", tmp_path)
    assert name == "riverside-academy-online-safety-flyer.pdf"
    assert "Riverside Academy" in reader.pages[0].extract_text()
    assert axe_violations(page) == []
