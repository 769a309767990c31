"""Answers survive a refresh, a back gesture and forward again, and a new session, kept only in
the browser tab's own sessionStorage (web/tab.py); Start again and Quick exit clear that copy.
Real Chromium against the real app. (Losing a replica behind nginx: deploy/scale_test.py.)"""
from __future__ import annotations

import json
import re

from playwright.sync_api import Page, expect

from testkit.browser import choose, download_pdf, fill_child, go_on, opened, settled
from web.scripts import QUICK_EXIT_URL
from web.tab import NOT_RESTORED, RESTORED, STORAGE_KEY

STEP = re.compile(r"^Step (\d) of 4:")


def kept(page: Page):
    return page.evaluate(f"() => window.sessionStorage.getItem('{STORAGE_KEY}')")


def wait_kept(page: Page, what: str) -> dict:
    """The tab's copy once it holds `what` (the page writes it at the end of each run)."""
    expect(page.locator("body")).to_be_attached()
    for _ in range(100):
        text = kept(page)
        if text and what in text:
            return json.loads(text)
        page.wait_for_timeout(100)
    raise AssertionError(f"the tab never kept {what!r}: {kept(page)!r}")


def wait_cleared(page: Page) -> None:
    """Once a refused copy's notice shows, the page's next run drops the copy from the tab: wait
    for that before writing another, or the page's clearing can remove the new one."""
    for _ in range(100):
        if kept(page) is None:
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"the tab still keeps {kept(page)!r}")


def at_step(page: Page, step: int) -> None:
    expect(page.get_by_role("heading", name=STEP)).to_have_text(re.compile(f"^Step {step} of 4:"))


def family_on_step_three(page: Page) -> None:
    fill_child(page, 1, "Sam", "12")
    go_on(page, "Next", 2)
    choose(page, "Devices Sam uses", "iPhone")
    go_on(page, "Next", 3)
    page.locator("[data-testid=stCheckbox]").get_by_text("Bullying", exact=True).first.click()
    settled(page)
    wait_kept(page, "bullying")


def test_a_refresh_brings_the_family_back_to_their_step_and_the_plan_downloads(server, browser, tmp_path):
    with opened(browser, server) as page:
        assert kept(page) is None  # nothing kept before the family has said anything
        family_on_step_three(page)
        page.reload()
        settled(page)
        at_step(page, 3)
        expect(page.get_by_text(RESTORED)).to_be_visible()
        expect(page.get_by_role("heading", name="Sam")).to_be_visible()
        expect(page.get_by_role("checkbox", name=re.compile("^Bullying"))).to_be_checked()
        go_on(page, "Make my plan", 4)
        _, reader = download_pdf(page, "Download PDF", tmp_path)
        text = "\n".join(p.extract_text() for p in reader.pages)
        assert "Sam, age 12" in text and "Screen Time" in text  # Sam's iPhone came back too


def test_a_refresh_on_the_first_step_keeps_a_child_with_no_age_yet(server, browser):
    with opened(browser, server) as page:
        field = page.get_by_label("Child 1's first name (optional)")
        field.fill("Ava")
        field.press("Enter")
        settled(page)
        wait_kept(page, "Ava")
        page.reload()
        settled(page)
        at_step(page, 1)
        expect(page.get_by_label("Child 1's first name (optional)")).to_have_value("Ava")
        expect(page.get_by_label("Child 1's age")).to_have_value("")


def test_back_gesture_and_forward_again_land_where_the_family_was(server, browser):
    with opened(browser, server + "/privacy") as page:  # the page they came from
        page.goto(server)
        settled(page)
        family_on_step_three(page)
        page.go_back()
        expect(page.get_by_role("heading", name="Privacy")).to_be_visible()
        page.go_forward()
        settled(page)
        at_step(page, 3)
        expect(page.get_by_role("checkbox", name=re.compile("^Bullying"))).to_be_checked()


def test_start_again_asks_first_then_clears_the_tab_too(server, browser):
    with opened(browser, server) as page:
        family_on_step_three(page)
        page.get_by_role("button", name="Start again").click()
        settled(page)
        expect(page.get_by_text("Clear all your answers?")).to_be_visible()
        page.get_by_role("button", name="No, keep my answers").click()
        settled(page)
        at_step(page, 3)
        page.get_by_role("button", name="Start again").click()
        settled(page)
        page.get_by_role("button", name="Yes, clear my answers").click()
        settled(page)
        at_step(page, 1)
        for _ in range(50):
            if kept(page) is None:
                break
            page.wait_for_timeout(100)
        assert kept(page) is None
        page.reload()
        settled(page)
        at_step(page, 1)
        expect(page.get_by_label("Child 1's first name (optional)")).to_have_value("")
        expect(page.get_by_text(RESTORED)).to_have_count(0)


def test_quick_exit_clears_the_tab_so_back_brings_nothing_back(server, browser):
    with opened(browser, server) as page:
        page.route(f"{QUICK_EXIT_URL}**", lambda route: route.fulfill(body="<title>Weather</title>",
                                                                      content_type="text/html"))
        family_on_step_three(page)
        page.get_by_role("link", name="Quick exit").click()
        page.wait_for_url(f"{QUICK_EXIT_URL}**")
        page.go_back()
        settled(page)
        at_step(page, 1)
        expect(page.get_by_label("Child 1's first name (optional)")).to_have_value("")
        assert kept(page) is None


def test_a_copy_changed_in_the_browser_is_refused_in_plain_words_or_shown_as_text(server, browser):
    with opened(browser, server) as page:
        page.evaluate(f"() => window.sessionStorage.setItem('{STORAGE_KEY}', '{{\"v\":1,\"answers\":{{\"children\":\"x\"}}}}')")
        page.reload()
        settled(page)
        expect(page.get_by_text(NOT_RESTORED)).to_be_visible()
        at_step(page, 1)
        wait_cleared(page)
        crafted = {"v": 1, "step": 1, "answers": {"situation": "planning", "region": None, "home": [],
                   "children": [{"age": 9, "name": "[Sam](https://example.org)", "devices": ["not-a-device"],
                                 "apps": [], "concerns": []}], "agreement": {"leave_out": [], "own": []}}}
        page.evaluate("([key, text]) => window.sessionStorage.setItem(key, text)", [STORAGE_KEY, json.dumps(crafted)])
        page.reload()
        settled(page)
        expect(page.get_by_text(NOT_RESTORED)).to_be_visible()  # an unknown device: none of it is used
        wait_cleared(page)
        crafted["answers"]["children"][0]["devices"] = []
        page.evaluate("([key, text]) => window.sessionStorage.setItem(key, text)", [STORAGE_KEY, json.dumps(crafted)])
        page.reload()
        settled(page)
        at_step(page, 2)
        expect(page.get_by_role("heading", name="[Sam](https://example.org)")).to_be_visible()
        assert page.get_by_role("link", name="Sam").count() == 0
