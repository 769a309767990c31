"""Something has happened: in Debian's Chromium on a 390 x 844 phone, two taps from opening the
link reach the situation's first step and a number to tap, on the first screen, for every choice;
going on to a full plan, the PDF opens with the same first steps. Quick exit stays in view."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from plan import default_content
from plan.builder import crisis_section
from plan.model import Bullets, walk
from testkit.browser import PHONE, download_pdf, go_on, opened, settled

ENTRY = "Something has happened? Get help now"
SITUATIONS = default_content().situations


def on_first_screen(page: Page, locator) -> bool:
    box = locator.bounding_box()
    return box is not None and 0 <= box["y"] and box["y"] + box["height"] <= PHONE["height"]


def tap(page: Page, name: str) -> None:
    page.get_by_role("button", name=name, exact=True).click()
    settled(page)


def first_step(what_happened: str) -> str:
    section = crisis_section(default_content(), what_happened)
    return next(b for b in walk(section.blocks) if isinstance(b, Bullets) and b.numbered).items[0]


def test_the_entry_does_not_push_the_planning_form_off_the_first_screen(server, browser):
    with opened(browser, server) as page:
        expect(page.get_by_role("button", name=ENTRY)).to_be_visible()
        assert on_first_screen(page, page.get_by_role("button", name=ENTRY))
        assert on_first_screen(page, page.get_by_label("Child 1's first name (optional)"))


@pytest.mark.parametrize("situation", SITUATIONS, ids=[s.id for s in SITUATIONS])
def test_two_taps_to_the_first_step_and_a_number_to_call(server, browser, situation):
    with opened(browser, server) as page:
        tap(page, ENTRY)  # 1
        tap(page, situation.choice)  # 2
        step = page.get_by_text(first_step(situation.id), exact=False).first
        expect(step).to_be_visible()
        assert on_first_screen(page, step), "the first step is on the first screen"
        call = page.locator("a[href^='tel:']").first
        assert on_first_screen(page, call), "a number to tap is on the first screen"
        assert on_first_screen(page, page.get_by_role("link", name="Quick exit"))


def test_quick_exit_stays_in_view_as_the_page_scrolls(server, browser):
    with opened(browser, server) as page:
        tap(page, ENTRY)
        tap(page, SITUATIONS[0].choice)
        page.get_by_role("button", name="Back to the choices").scroll_into_view_if_needed()
        assert not on_first_screen(page, page.get_by_role("heading", name="Get help now"))  # scrolled away
        assert on_first_screen(page, page.get_by_role("link", name="Quick exit"))


def test_going_on_to_a_full_plan_opens_the_pdf_with_the_same_first_steps(server, browser, tmp_path):
    situation = next(s for s in SITUATIONS if s.id == "sextortion")
    with opened(browser, server) as page:
        tap(page, ENTRY)
        tap(page, situation.choice)
        tap(page, "Make a full plan for our family")
        expect(page.get_by_text("Step 1 of 4:")).to_be_visible()
        page.get_by_label("Child 1's age").fill("15")
        page.get_by_label("Child 1's age").press("Enter")
        settled(page)
        go_on(page, "Next", 2)
        go_on(page, "Next", 3)
        expect(page.get_by_text(re.compile("Your plan will start with first steps to take now for: Someone is threatening"))).to_be_visible()
        go_on(page, "Make my plan", 4)
        expect(page.get_by_role("heading", name="First steps now")).to_be_visible()
        name, reader = download_pdf(page, "Download PDF", tmp_path)
        opening = reader.pages[0].extract_text()
        assert opening.startswith("First steps now")
        assert " ".join(first_step("sextortion").split()[:6]) in " ".join(opening.split())
