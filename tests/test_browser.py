"""One real-browser journey: a parent on a phone fills in two children, downloads the PDF,
and the PDF holds each child's name and their devices' controls.

Runs `streamlit run app.py` on a free loopback port and drives Debian's Chromium
(/usr/bin/chromium, `apt-get install chromium`) with Playwright."""
from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Page, expect

from testkit.browser import (
    PHONE,
    add_child,
    axe_violations,
    choose,
    download_pdf,
    fill_child,
    go_on,
    open_expander,
    opened,
    settled,
)

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
    page.locator("[data-testid=stCheckbox]").get_by_text("Bullying", exact=True).first.click()
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

    # The contents list jumps to a child's part; the PDF can be had again at the end of the plan
    page.get_by_role("link", name="Дмитрий, age 7").click()
    heading = page.get_by_role("heading", name="Дмитрий, age 7")
    expect(heading).to_be_in_viewport()
    again = page.get_by_role("button", name="Download this plan (PDF)")
    again.scroll_into_view_if_needed()
    _, second = download_pdf(page, "Download this plan (PDF)", tmp_path)
    assert "\n".join(p.extract_text() for p in second.pages) == text
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


def test_for_schools_is_a_link_in_view_on_a_phone_and_its_newsletter_has_the_flyers_link(hosted_server, browser):
    with opened(browser, hosted_server) as page:  # a phone
        page.get_by_role("link", name="For schools").click()
        expect(page.get_by_role("heading", name="For schools")).to_be_visible()
        settled(page)
        choose(page, "Your school", "Riverside Academy")
        box = page.get_by_role("combobox", name="Focus on particular worries (optional, for a campaign)")
        box.click()
        box.press_sequentially("Bullying")
        page.get_by_role("option", name="Bullying", exact=True).click()
        box.press("Escape")
        settled(page)
        link = "https://plan.toyshire.example.org/?school=riverside-academy&focus=bullying"
        expect(page.get_by_text(link, exact=True)).to_be_visible()
        expect(page.get_by_text(re.compile(re.escape(f"Make your plan here: {link}")))).to_be_visible()


def test_a_rule_typed_in_the_agreement_is_in_the_very_next_download(server, browser, tmp_path):
    """A parent adds a rule of their own and goes straight to Download PDF, without waiting for
    the page: the PDF holds the rule. Then another rule, added with Enter, and the PDF again."""
    with opened(browser, server) as page:  # a phone
        fill_child(page, 1, "Sam", "12")
        for step, label in ((2, "Next"), (3, "Next"), (4, "Make my plan")):
            go_on(page, label, step)
        open_expander(page, "Change our family agreement")
        box = page.get_by_label("A rule of your own (up to 10)")
        box.fill("We charge phones in the kitchen")
        page.get_by_role("button", name="Add rule").click()
        _, reader = download_pdf(page, "Download PDF", tmp_path)  # at once: no wait for the page
        assert "We charge phones in the kitchen" in pdf_words(reader)

        box.fill("No *screens* at [breakfast](x)")  # Enter adds it too; shown as typed, not as Markdown
        box.press("Enter")
        _, reader = download_pdf(page, "Download this plan (PDF)", tmp_path)
        assert "No *screens* at [breakfast](x)" in pdf_words(reader)
        settled(page)
        expect(page.get_by_text("Rule 2: No *screens* at [breakfast](x)", exact=True)).to_be_visible()
        expect(box).to_have_value("")  # ready for the next rule

        page.get_by_role("button", name="Remove rule 1").click()
        settled(page)
        expect(page.get_by_text("Rule 1: No *screens* at [breakfast](x)", exact=True)).to_be_visible()
        _, reader = download_pdf(page, "Download PDF", tmp_path)
        words = pdf_words(reader)
        assert "We charge phones in the kitchen" not in words and "No *screens* at [breakfast](x)" in words
        assert axe_violations(page) == []


def pdf_words(reader) -> str:
    """A PDF's text with its line breaks as spaces (a long rule wraps)."""
    return " ".join(" ".join(p.extract_text().split()) for p in reader.pages)
