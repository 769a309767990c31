"""Browser helpers for the real-browser tests, the scale test and the load benchmark: Debian's
Chromium driven by Playwright, axe-core, and the few moves a parent makes in the wizard.

Test modules, `deploy/scale_test.py` and `benchmarks/load.py` import these; none imports
another test module.
"""
from __future__ import annotations

import os
import re
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect
from pypdf import PdfReader

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


def press(page: Page, button: str) -> None:
    """Press the button named `button` once it is the only one and can be pressed. The run for
    the last interaction may not have started when `settled` looked; while it draws, the last
    run's button (perhaps disabled) is still on the page beside the new one."""
    expect(page.get_by_role("button", name=button, exact=True)).to_have_count(1, timeout=20_000)
    target = page.get_by_role("button", name=button, exact=True, disabled=False)
    expect(target).to_have_count(1, timeout=20_000)
    target.click()


def page_screens(page: Page) -> float:
    """How many window heights the page takes: the height of what scrolls (Streamlit scrolls its
    main area, not the document) over the window's."""
    height = page.evaluate("""() => Math.max(document.documentElement.scrollHeight,
        ...[...document.querySelectorAll('*')].filter(e => e.scrollHeight > e.clientHeight + 1
            && ['auto', 'scroll'].includes(getComputedStyle(e).overflowY)).map(e => e.scrollHeight))""")
    return height / page.viewport_size["height"]


def load_answers_file(page: Page, path) -> None:
    """Load a saved answers file as a parent would ("Coming back?"), which opens the plan."""
    open_expander(page, "Coming back? Load your saved answers")
    page.locator("input[type='file']").set_input_files(path)
    expect(page.get_by_text("Step 4 of 4:")).to_be_visible(timeout=30_000)
    settled(page)
    expect(page.get_by_role("button", name="Download PDF")).to_be_visible(timeout=30_000)


def go_on(page: Page, button: str, step: int) -> None:
    """Press Next (or Make my plan) and wait until the wizard shows that step."""
    settled(page)
    press(page, button)
    expect(page.get_by_role("heading", name=re.compile(f"^Step {step} of 4:"))).to_be_visible()
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
    box = page.get_by_label(f"Child {number}'s age")  # a number field: type it, Enter
    box.fill(age)
    box.press("Enter")
    settled(page)
