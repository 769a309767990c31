"""Accessibility in a real browser (Chromium, as in tests/test_browser.py):

- axe-core finds nothing on any step of the wizard or on the For schools page, in the light
  theme the app ships with and in a dark theme a host may choose;
- a parent can make a plan and download the PDF with the keyboard alone;
- at 320 px wide (WCAG 1.4.10 Reflow) nothing scrolls sideways, even with a long name."""
from __future__ import annotations

import re
from typing import Callable

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from plan.content import default_content
from plan.site import SITE_ENV

from testkit.appserver import run_app
from testkit.browser import (add_child, axe_violations, choose, fill_child, go_on, load_answers_file, open_more_ways,
                             opened, page_screens, settled)

from .conftest import ROOT

SITE = str(ROOT / "tests" / "fixtures" / "site")
DESKTOP = {"width": 1280, "height": 900}
NARROW = {"width": 320, "height": 640}

# A dark theme a host could run the service with. .streamlit/config.toml sets the light colours
# one by one, and those would win over `base = "dark"` alone, so every colour is given here too.
# Environment variables take precedence over config.toml. The colours are Streamlit's own dark
# palette: text #fafafa on #0e1117 and on #262730 are both well above 4.5:1. The brand colour
# stays: white on #0b5563 (primary buttons, chosen items) is above 7:1.
DARK_THEME = {
    "STREAMLIT_THEME_BASE": "dark",
    "STREAMLIT_THEME_BACKGROUND_COLOR": "#0e1117",
    "STREAMLIT_THEME_SECONDARY_BACKGROUND_COLOR": "#262730",
    "STREAMLIT_THEME_TEXT_COLOR": "#fafafa",
}
THEMES = {"light": {}, "dark": DARK_THEME}


@pytest.fixture(scope="module", params=list(THEMES))
def themed_site(request, tmp_path_factory):
    """The app run by a host (branding, schools, the For schools page) in each theme."""
    home = tmp_path_factory.mktemp(f"{request.param}-home")
    for url in run_app(home, {SITE_ENV: SITE, **THEMES[request.param]}):
        yield request.param, url


def luminance(css_colour: str) -> float:
    """WCAG relative luminance of a computed `rgb(r, g, b)` colour (an opaque one)."""
    numbers = [float(n) for n in re.findall(r"[\d.]+", css_colour)]
    assert len(numbers) == 3 or numbers[3] == 1, f"not an opaque colour: {css_colour}"
    channels = [n / 255 for n in numbers[:3]]
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def assert_theme(page: Page, theme: str) -> None:
    """The page really is in `theme`: its background is dark (or light) and its text the opposite."""
    background, text = page.locator("[data-testid='stApp']").evaluate(
        "el => [getComputedStyle(el).backgroundColor, getComputedStyle(el).color]")
    dark = luminance(background) < 0.05 and luminance(text) > 0.8
    light = luminance(background) > 0.8 and luminance(text) < 0.05
    assert (dark if theme == "dark" else light), f"not a {theme} page: background {background}, text {text}"


def choose_in(page: Page, label: str, option: str) -> None:
    """`choose` for a list that also has a help button (whose name holds the label too)."""
    box = page.get_by_role("combobox", name=label)
    box.click()
    box.press_sequentially(option)
    page.get_by_role("option", name=option, exact=True).click()
    box.press("Escape")
    settled(page)


def lists_closed(page: Page) -> None:
    """Wait until no dropdown list is open (a multiselect closes its list a moment after Escape)."""
    expect(page.get_by_role("listbox")).to_have_count(0)


# ---- 1. axe-core on every screen, light and dark -----------------------------------------------


def test_axe_finds_nothing_on_any_wizard_step(themed_site, browser):
    theme, url = themed_site
    found: dict[str, list[str]] = {}
    with opened(browser, f"{url}/?school=oakfield-primary", viewport=DESKTOP) as page:
        expect(page.get_by_text("Choose an age for Child 1 to go on.")).to_be_visible()
        assert_theme(page, theme)
        found["1 children, nothing filled in"] = axe_violations(page)
        fill_child(page, 1, "Sam", "12")
        add_child(page)
        fill_child(page, 2, "Ava", "7")
        expect(page.get_by_role("button", name="Remove Ava")).to_be_visible()
        found["1 children"] = axe_violations(page)

        go_on(page, "Next", 2)
        choose(page, "Devices Sam uses", "iPhone")
        choose(page, "Apps and games Sam uses", "YouTube Kids")
        choose(page, "Shared technology at home (optional)", "Smart TV and streaming")
        lists_closed(page)
        expect(page.get_by_role("button", name="Same as Sam")).to_be_visible()
        found["2 devices and apps"] = axe_violations(page)

        go_on(page, "Next", 3)
        page.get_by_text("Yes, something has happened and I need help now").click()
        page.locator("[data-testid=stCheckbox]").get_by_text("Bullying", exact=True).first.click()
        settled(page)
        expect(page.get_by_text("Your plan will start with first steps to take now.")).to_be_visible()
        found["3 worries"] = axe_violations(page)

        go_on(page, "Make my plan", 4)
        expect(page.get_by_role("heading", name="Sam, age 12")).to_be_visible()
        open_more_ways(page)
        page.get_by_text("Change our family agreement").click()
        expect(page.get_by_role("button", name="Accessible web page (HTML)")).to_be_visible()
        expect(page.get_by_label("A rule of your own (up to 10)")).to_be_visible()
        found["4 plan"] = axe_violations(page)
        assert_theme(page, theme)
    assert found == {step: [] for step in found}


def test_axe_finds_nothing_on_the_crisis_screens(themed_site, browser):
    theme, url = themed_site
    found: dict[str, list[str]] = {}
    with opened(browser, url) as page:  # a phone
        page.get_by_role("button", name="Something has happened? Get help now").click()
        expect(page.get_by_role("heading", name="What has happened?")).to_be_visible()
        settled(page)
        assert_theme(page, theme)
        found["choices"] = axe_violations(page)
        page.get_by_role("button", name=re.compile("^Someone is threatening to share")).click()
        expect(page.get_by_role("heading", name="Get help now")).to_be_visible()
        settled(page)
        found["help now"] = axe_violations(page)
    assert found == {view: [] for view in found}


def test_axe_finds_nothing_on_the_for_schools_page(themed_site, browser):
    theme, url = themed_site
    with opened(browser, f"{url}/for-schools", viewport=DESKTOP) as page:
        expect(page.get_by_role("heading", name="For schools")).to_be_visible()
        assert_theme(page, theme)
        choose(page, "Your school", "Oakfield Primary School")
        choose_in(page, "Focus on particular worries (optional, for a campaign)", "Bullying")
        lists_closed(page)
        expect(page.get_by_role("img", name="QR code for Oakfield Primary School's link")).to_be_visible()
        expect(page.get_by_role("heading", name="For your newsletter")).to_be_visible()
        expect(page.get_by_role("button", name="Download a flyer for parents (PDF)")).to_be_visible()
        assert axe_violations(page) == []


# ---- 2. keyboard only -------------------------------------------------------------------------

# What has focus, described as a screen reader would name it (closely enough for these tests):
# aria-label, then aria-labelledby, then the element's <label>, then its own text, leaving out
# anything hidden from assistive technology (such as an icon's ligature text).
FOCUSED = r"""() => {
  const el = document.activeElement;
  if (!el || el === document.body) return {tag: 'body', role: '', name: ''};
  const text = node => {
    const copy = node.cloneNode(true);
    copy.querySelectorAll('[aria-hidden="true"]').forEach(hidden => hidden.remove());
    return copy.textContent.replace(/\s+/g, ' ').trim();
  };
  const labelledBy = (el.getAttribute('aria-labelledby') || '').split(/\s+/)
    .map(id => document.getElementById(id)).filter(Boolean).map(text).join(' ');
  const name = el.getAttribute('aria-label') || labelledBy || (el.labels && el.labels.length ? text(el.labels[0]) : '')
    || text(el) || el.getAttribute('title') || '';
  return {tag: el.tagName.toLowerCase(), role: el.getAttribute('role') || '', name: name.slice(0, 100)};
}"""

Focus = dict  # {"tag": ..., "role": ..., "name": ...}


def focus_is_on_step(page: Page, line: str) -> None:
    """After Back or Next the app moves keyboard focus to the new step's heading."""
    expect(page.get_by_role("heading", name=line, exact=True)).to_be_focused()


def named(name: str) -> Callable[[Focus], bool]:
    return lambda focus: focus["name"] == name


def tab_to(page: Page, predicate: Callable[[Focus], bool], presses: int = 80, backwards: bool = False) -> Focus:
    """Press Tab (or Shift+Tab) until the focused element matches `predicate`; fail, listing
    everything that got focus on the way, if it is not reached within `presses` presses."""
    went: list[str] = []
    for _ in range(presses):
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
        focus = page.evaluate(FOCUSED)
        if predicate(focus):
            return focus
        went.append(f"<{focus['tag']}{' role=' + focus['role'] if focus['role'] else ''}> {focus['name']!r}")
    pytest.fail(f"not reached with {presses} presses of {'Shift+Tab' if backwards else 'Tab'}; "
                "focus went to:\n  " + "\n  ".join(went))


def test_a_parent_makes_and_downloads_a_plan_with_the_keyboard_alone(server, browser, tmp_path):
    with opened(browser, server, viewport=DESKTOP) as page:
        keys = page.keyboard
        expect(page.get_by_label("Child 1's first name (optional)")).to_be_visible()

        # Step 1: a name, then the age from its list: type to filter, Enter to pick
        tab_to(page, named("Child 1's first name (optional)"))
        keys.type("Sam")
        keys.press("Enter")
        settled(page)
        tab_to(page, named("Child 1's age"))
        keys.type("12")
        keys.press("Enter")
        settled(page)
        expect(page.get_by_role("button", name="Next", exact=True)).to_be_enabled()  # the age was taken
        tab_to(page, named("Next"))
        keys.press("Enter")
        expect(page.get_by_text("Step 2 of 4:")).to_be_visible()
        settled(page)
        focus_is_on_step(page, "Step 2 of 4: Devices and apps")  # announced; Tab goes on from here

        # Step 2: a device, picked the same way; Tab leaves the list
        expect(page.get_by_label("Devices Sam uses")).to_be_visible()
        tab_to(page, named("Devices Sam uses"))
        keys.type("iPhone")
        keys.press("Enter")
        settled(page)
        tab_to(page, named("Next"))
        lists_closed(page)
        keys.press("Enter")
        expect(page.get_by_text("Step 3 of 4:")).to_be_visible()
        settled(page)
        focus_is_on_step(page, "Step 3 of 4: Worries")  # announced; Tab goes on from here

        # Step 3: tick a worry with Space. Its accessible name is plain text (Streamlit copies
        # a label's Markdown into the aria-label, so the app keeps these labels plain).
        worry = re.compile(r"^Bullying$")
        bullying = page.get_by_role("checkbox", name=worry)
        expect(bullying).not_to_be_checked()
        tab_to(page, lambda focus: bool(worry.match(focus["name"])))
        keys.press("Space")
        settled(page)
        expect(bullying).to_be_checked()
        tab_to(page, named("Make my plan"))
        keys.press("Enter")
        expect(page.get_by_text("Step 4 of 4:")).to_be_visible()
        settled(page)
        focus_is_on_step(page, "Step 4 of 4: Your plan")  # announced; Tab goes on from here

        # Step 4: the plan, and its PDF with Enter
        expect(page.get_by_role("heading", name="Sam, age 12")).to_be_visible()
        # Streamlit draws a download button a moment after the rest (its code loads on demand)
        expect(page.get_by_role("button", name="Download PDF")).to_be_enabled()
        tab_to(page, named("Download PDF"))
        with page.expect_download() as download:
            keys.press("Enter")
        path = tmp_path / download.value.suggested_filename
        download.value.save_as(path)
    text = "\n".join(p.extract_text() for p in PdfReader(path).pages)
    assert path.name == "family-online-safety-plan.pdf"
    assert "Sam, age 12" in text  # the name typed
    assert "Screen Time" in text  # the iPhone picked from the list


# ---- 3. reflow at 320 px ----------------------------------------------------------------------

LONG_NAME = "Wolfeschlegelsteinhausenbergerdorffvoral"  # 40 characters, the most allowed, no spaces
DEVICES = ("Amazon Fire tablet", "Windows computer", "Nintendo Switch", "Android tablet")
APPS = ("YouTube Kids", "WhatsApp", "Minecraft", "Snapchat", "Instagram")

# The document must be no wider than the window (scrollWidth <= clientWidth, 320 px). But
# Streamlit scrolls its main area itself (`overflow: auto`), so a too-wide element makes that
# area scroll sideways while the document stays 320 px wide: check every element that can scroll too.
SIDEWAYS = r"""() => [document.documentElement, ...document.querySelectorAll('*')].filter(el => {
  const overflow = getComputedStyle(el).overflowX;
  return (el === document.documentElement || overflow === 'auto' || overflow === 'scroll')
    && el.scrollWidth > el.clientWidth;
}).map(el => `<${el.tagName.toLowerCase()}${el.dataset.testid ? ' data-testid=' + el.dataset.testid : ''}> `
  + `is ${el.scrollWidth} px wide in ${el.clientWidth} px`)"""


def scrolls_sideways(page: Page) -> list[str]:
    return page.evaluate(SIDEWAYS)


def test_nothing_scrolls_sideways_at_320_px_with_a_long_name(server, browser):
    found: dict[str, list[str]] = {}
    with opened(browser, server, viewport=NARROW) as page:
        assert page.evaluate("document.documentElement.clientWidth") == 320
        fill_child(page, 1, LONG_NAME, "12")
        add_child(page)
        fill_child(page, 2, "", "9")
        expect(page.get_by_role("button", name=f"Remove {LONG_NAME}")).to_be_visible()
        found["1 children"] = scrolls_sideways(page)

        go_on(page, "Next", 2)
        for device in DEVICES:
            choose(page, f"Devices {LONG_NAME} uses", device)
        for app in APPS:
            choose(page, f"Apps and games {LONG_NAME} uses", app)
        lists_closed(page)
        expect(page.get_by_role("button", name=f"Same as {LONG_NAME}")).to_be_visible()
        found["2 devices and apps"] = scrolls_sideways(page)

        go_on(page, "Next", 3)
        expect(page.get_by_role("heading", name=LONG_NAME)).to_be_visible()
        found["3 worries"] = scrolls_sideways(page)

        go_on(page, "Make my plan", 4)
        expect(page.get_by_role("heading", name=f"{LONG_NAME}, age 12")).to_be_visible()
        open_more_ways(page)
        page.get_by_text("Change our family agreement").click()
        expect(page.get_by_label("A rule of your own (up to 10)")).to_be_visible()
        expect(page.get_by_role("button", name="Accessible web page (HTML)")).to_be_visible()
        found["4 plan"] = scrolls_sideways(page)
    assert found == {step: [] for step in found}


# ---- 4. the wizard on a phone -----------------------------------------------------------------

PHONE_SIZE = {"width": 390, "height": 844}


def test_on_a_phone_worries_are_grouped_per_child_short_and_focus_is_visible(server, browser):
    with opened(browser, server, viewport=PHONE_SIZE) as page:
        fill_child(page, 1, "Sam", "12")
        add_child(page)
        fill_child(page, 2, "Ava", "7")
        go_on(page, "Next", 2)

        # "iPh" and Enter adds the iPhone, and nothing else (no fuzzy match, no Select all)
        box = page.get_by_label("Devices Sam uses")
        box.click()
        box.press_sequentially("iPh")
        expect(page.get_by_role("option")).to_have_count(1)
        expect(page.get_by_role("option", name="iPhone")).to_be_visible()
        expect(page.get_by_text(re.compile("^Select all"))).to_have_count(0)
        box.press("Enter")
        box.press("Escape")
        settled(page)
        lists_closed(page)
        chosen = page.locator("[data-testid='stMultiSelect']").first.inner_text()
        assert "iPhone" in chosen and "Android phone" not in chosen

        go_on(page, "Next", 3)
        # each child's worries are a group named after them, holding that child's boxes only
        sam, ava = page.get_by_role("group", name="Worries for Sam"), page.get_by_role("group", name="Worries for Ava")
        expect(sam.get_by_role("checkbox", name="Bullying", exact=True)).to_have_count(1)
        expect(ava.get_by_role("checkbox", name="Bullying", exact=True)).to_have_count(1)
        expect(ava.get_by_role("checkbox", name="Nude or sexual images", exact=True)).not_to_be_visible()  # one tap away
        expect(ava.get_by_text("More worries for Ava")).to_be_visible()
        top = sam.evaluate("e => e.getBoundingClientRect().top")
        bottom = ava.evaluate("e => e.getBoundingClientRect().bottom")
        screens = (bottom - top) / PHONE_SIZE["height"]
        assert screens <= 2.5, f"two children's worries take {screens:.2f} screens"

        # focus is visible on a tick box and a radio button: an outline in the text colour
        for control in (sam.get_by_role("checkbox", name="Bullying", exact=True),
                        page.get_by_role("radio", name="No, I am planning ahead")):
            control.focus()
            page.keyboard.press("Shift+Tab")
            page.keyboard.press("Tab")
            expect(control).to_be_focused()
            outline = control.evaluate("""e => { const box = e.closest('label').querySelector(':scope > span + div');
                const s = getComputedStyle(box); return [s.outlineStyle, s.outlineWidth, s.outlineColor,
                getComputedStyle(document.querySelector('[data-testid=stApp]')).backgroundColor]; }""")
            style, width, colour, page_colour = outline
            assert style == "solid" and float(width.rstrip("px")) >= 2, outline
            lighter, darker = sorted((luminance(colour), luminance(page_colour)), reverse=True)
            assert (lighter + 0.05) / (darker + 0.05) >= 3, outline


def test_on_a_phone_two_teenagers_worries_fit_in_two_and_a_half_screens(server, browser):
    """A 13- and a 15-year-old are listed every worry first (all fit their ages): the two
    children's worries together still take at most 2.5 screen heights at 390 x 844."""
    with opened(browser, server, viewport=PHONE_SIZE) as page:
        fill_child(page, 1, "Sam", "13")
        add_child(page)
        fill_child(page, 2, "Ava", "15")
        go_on(page, "Next", 2)
        go_on(page, "Next", 3)
        sam, ava = page.get_by_role("group", name="Worries for Sam"), page.get_by_role("group", name="Worries for Ava")
        every = len(default_content().vocabulary.concerns)
        for group in (sam, ava):  # every worry fits a 13- and a 15-year-old: all listed first, all drawn
            expect(group.get_by_role("checkbox")).to_have_count(every)
            expect(group.get_by_role("checkbox").last).to_be_visible()
        expect(page.get_by_text(re.compile("^More worries for"))).to_have_count(0)
        top = sam.evaluate("e => e.getBoundingClientRect().top")
        bottom = ava.evaluate("e => e.getBoundingClientRect().bottom")
        screens = (bottom - top) / PHONE_SIZE["height"]
        print(f"two teenagers' worries at 390 x 844: {bottom - top:.0f} px, {screens:.2f} screens")
        assert screens <= 2.5, f"two teenagers' worries take {screens:.2f} screens"


def test_on_a_phone_a_two_child_plan_is_at_most_twelve_screens_with_its_details_one_tap_away(server, browser):
    """Maya (13) and Leo (8), the golden two-child family: at 390 x 844 the plan page takes at
    most 12 screens. Each child's parts and most situations open with a tap; a child in danger
    now, and every situation that calls for 999, stay open."""
    with opened(browser, server, viewport=PHONE_SIZE) as page:
        load_answers_file(page, ROOT / "tests" / "fixtures" / "answers" / "two-children.yaml")
        screens = page_screens(page)
        print(f"the two-child plan at 390 x 844: {screens:.1f} screens")
        assert screens <= 12, f"the two-child plan takes {screens:.1f} screens"
        expect(page.get_by_text("A child is in danger right now, or a crime is happening")).to_be_visible()
        steps = page.get_by_text("iPhone and iPad: Screen Time").first
        expect(steps).to_be_hidden()
        page.get_by_text("Settings, reporting, things to talk about and signs").first.click()
        expect(steps).to_be_visible()
        nude = page.get_by_text(re.compile("^A nude or sexual image of a young person under 18 is online"))
        expect(nude).to_be_visible()  # the situation's first sentence is its title
        remove = page.get_by_text("Report Remove (Childline and the Internet Watch Foundation)")
        expect(remove.first).to_be_hidden()
        nude.click()
        expect(remove.first).to_be_visible()
