"""The accessible HTML plan: structure read back with Python's html.parser, then axe-core in
Debian's Chromium at phone widths, in light and dark colour schemes."""
from __future__ import annotations

from plan.content import default_content

import dataclasses
from collections.abc import Iterator
from datetime import date
from html.parser import HTMLParser

import pytest
import yaml
from playwright.sync_api import Browser, Page

from plan import model
from plan import build_plan, parse_answers
from plan.html import render_html
from plan.site import load_site

from .conftest import FIXTURES, TODAY
from testkit.browser import axe_violations

HOST = "Toyshire Safeguarding Partnership"
TRICKY_NAME = "<b>Tom & Jerry</b>"
BLOCK_TYPES = set(model.BLOCK_TYPES)


class Parsed(HTMLParser):
    """What the tests read from a page: each element's tag and attributes, headings in order
    (level, id, text), label texts by their `for`, and the text a reader sees in the body."""

    HEADINGS = {f"h{n}": n for n in range(1, 7)}

    def __init__(self, source: str):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.headings: list[tuple[int, str | None, str]] = []
        self.labels: dict[str, str] = {}
        self.title = ""
        self._open: list[tuple[str, dict[str, str], list[str]]] = []
        self._body: list[str] = []
        self.feed(source)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        self.elements.append((tag, values))
        if tag in self.HEADINGS or tag in ("label", "title"):
            self._open.append((tag, values, []))

    def handle_endtag(self, tag: str) -> None:
        if not self._open or self._open[-1][0] != tag:
            return
        _, values, parts = self._open.pop()
        words = " ".join("".join(parts).split())
        if tag == "title":
            self.title = words
        elif tag == "label":
            self.labels[values.get("for", "")] = words
        else:
            self.headings.append((self.HEADINGS[tag], values.get("id"), words))

    def handle_data(self, data: str) -> None:
        for _, _, parts in self._open:
            parts.append(data)
        if not any(tag == "title" for tag, _, _ in self._open) and self.lasttag != "style":
            self._body.append(data)

    @property
    def text(self) -> str:
        return " ".join("".join(self._body).split())

    def all(self, tag: str) -> list[dict[str, str]]:
        return [values for name, values in self.elements if name == tag]


def walk(blocks: tuple[model.Block, ...]) -> Iterator[model.Block]:
    for block in blocks:
        yield block
        if isinstance(block, model.Subsection):
            yield from walk(block.blocks)


def blocks_of(plan: model.Plan) -> list[model.Block]:
    return [block for section in plan.sections for block in walk(section.blocks)]


def cards_of(plan: model.Plan) -> list[model.ContactCard]:
    """Every contact, whether on its own or inside a route."""
    cards: list[model.ContactCard] = []
    for block in blocks_of(plan):
        if isinstance(block, model.Route):
            cards.extend(block.contacts)
        elif isinstance(block, model.ContactCard):
            cards.append(block)
    return cards


def texts_of(block: model.Block) -> list[str]:
    """Every piece of text a block carries, as a reader should see it."""
    if isinstance(block, model.Paragraph):
        return [block.text]
    if isinstance(block, model.Subsection):
        return [block.title]
    if isinstance(block, model.Bullets):
        return [*filter(None, [block.title]), *block.items]
    if isinstance(block, model.Callout):
        return [block.text]
    if isinstance(block, model.ContactCard) and block.brief:
        return [block.name, *(w.shown for w in block.shown_ways())]
    if isinstance(block, model.ContactCard):
        return [block.name, block.what_for, *(w.shown for w in block.ways()), *filter(None, (w.note for w in block.ways()))]
    if isinstance(block, model.Route):
        return [block.situation, *block.dont, *(t for card in block.contacts for t in texts_of(card)[:1])]
    if isinstance(block, model.ControlStep) and block.same:  # the paragraph before says as for whom
        return [block.name]
    if isinstance(block, model.ControlStep) and block.brief:
        return [block.name, block.where, block.setting]
    if isinstance(block, model.ControlStep):
        return [block.name, block.feature, block.where, block.setting, model.site_of(block.url),
                *filter(None, [block.note])]
    if isinstance(block, model.Checklist):
        return list(block.items)
    if isinstance(block, model.Signatures):
        return [block.title, *block.names]
    if isinstance(block, model.SourceList):
        return [site for _, sites in block.by_date() for site, _ in sites]
    raise TypeError(type(block).__name__)


def own_links(plan: model.Plan) -> set[str]:
    """The addresses the plan itself names: the only places the page may link to."""
    links = {way.href for card in cards_of(plan) for way in card.ways()}
    links |= {b.url for b in blocks_of(plan) if isinstance(b, model.ControlStep)}
    links |= {ref.url for b in blocks_of(plan) if isinstance(b, model.SourceList) for ref in b.refs}
    return links


@pytest.fixture(scope="module")
def rich_plan() -> model.Plan:
    """The real content for a hosted family after something has happened, arriving from a
    school's link: every block type, branding and the school section appear."""
    answers = yaml.safe_load((FIXTURES / "answers" / "two-children.yaml").read_text(encoding="utf-8"))
    answers["situation"] = "something-happened"
    site = load_site(FIXTURES / "site", default_content())
    return build_plan(parse_answers(answers), today=TODAY, site=site, school=site.school("oakfield-primary"))


@pytest.fixture(scope="module")
def rich_html(rich_plan) -> str:
    return render_html(rich_plan)


@pytest.fixture(scope="module")
def page(rich_html) -> Parsed:
    return Parsed(rich_html)


def tiny_plan(*blocks: model.Block, branding: model.Branding | None = None) -> model.Plan:
    """A hand-made plan for the cases real content never produces."""
    return model.Plan(
        title="Our family online-safety plan", created=TODAY, review_by=date(2027, 5, 22), situation="planning",
        sections=(model.Section("cover", model.SectionKind.COVER, "Our family online-safety plan", blocks),),
        footer="Family online-safety plan", branding=branding,
    )


def test_the_rich_plan_has_every_block_type(rich_plan):
    assert {type(block) for block in blocks_of(rich_plan)} == BLOCK_TYPES
    assert rich_plan.branding and rich_plan.branding.logo
    assert "your-school" in {section.id for section in rich_plan.sections}


def test_document_basics(rich_html, page, rich_plan):
    assert rich_html.startswith("<!doctype html>\n")
    assert page.all("html") == [{"lang": "en-GB"}]
    assert {"charset": "utf-8"} in page.all("meta")
    assert {"name": "viewport", "content": "width=device-width, initial-scale=1"} in page.all("meta")
    assert page.title == rich_plan.title
    assert "Maya" not in page.title and "Leo" not in page.title
    assert page.all("main") == [{"id": "main", "tabindex": "-1"}]
    assert len(page.all("header")) == 1 and len(page.all("footer")) == 1
    assert page.all("a")[0] == {"class": "skip", "href": "#main"}


def test_one_h1_and_heading_levels_never_skip(page, rich_plan):
    levels = [level for level, _, _ in page.headings]
    assert levels[0] == 1 and levels.count(1) == 1
    assert page.headings[0][2] == rich_plan.title
    skips = [(a, b) for a, b in zip(levels, levels[1:]) if b > a + 1]
    assert skips == []


def test_every_section_is_a_region_named_by_its_heading(page, rich_plan):
    heading_text = {element_id: words for _, element_id, words in page.headings if element_id}
    regions = {values["id"]: heading_text.get(values.get("aria-labelledby")) for values in page.all("section")}
    assert regions == {section.id: section.title for section in rich_plan.sections}


def test_all_the_plan_text_is_on_the_page(page, rich_plan):
    missing = [text for block in blocks_of(rich_plan) for text in texts_of(block)
               if " ".join(text.split()) not in page.text]
    assert missing == []


def test_every_way_to_reach_a_contact_is_a_real_link(page, rich_plan):
    hrefs = {a.get("href") for a in page.all("a")}
    ways = {way.href for card in cards_of(rich_plan) for way in card.ways()}
    assert ways - hrefs == set()
    assert {href.split(":")[0] for href in ways} == {"tel", "sms", "mailto", "https"}


def test_agreement_rules_are_tick_boxes_with_labels(page, rich_plan):
    rules = [item for b in blocks_of(rich_plan) if isinstance(b, model.Checklist) for item in b.items]
    boxes = [values for values in page.all("input") if values.get("type") == "checkbox"]
    ids = [box["id"] for box in boxes]
    assert len(ids) == len(set(ids)) == len(rules) > 0
    assert [page.labels.get(box_id) for box_id in ids] == [" ".join(rule.split()) for rule in rules]


def test_signature_lines_name_each_person(page, rich_plan):
    names = next(b for b in blocks_of(rich_plan) if isinstance(b, model.Signatures)).names
    for name in names:
        assert f"{name}: signed" in page.text


def test_callouts_say_their_kind_in_words():
    html = render_html(tiny_plan(model.Callout("Keep the messages.", "warning"), model.Callout("Review in May.")))
    assert "Warning: Keep the messages." in Parsed(html).text
    assert "Important: Review in May." in Parsed(html).text


def test_footer_names_the_host(rich_html, rich_plan):
    footer = Parsed(rich_html[rich_html.index("<footer>"):]).text
    assert rich_plan.footer in footer
    assert f"This service is provided by {HOST}." in footer


def test_names_with_markup_show_exactly_as_typed():
    plan = build_plan(parse_answers({"children": [{"name": TRICKY_NAME, "age": 9}]}), today=TODAY)
    html = render_html(plan)
    page = Parsed(html)
    assert f"{TRICKY_NAME}, age 9" in page.text
    assert page.all("b") == []
    assert "&lt;b&gt;Tom &amp; Jerry&lt;/b&gt;" in html
    assert TRICKY_NAME not in page.title


def test_nothing_is_fetched_and_links_go_only_where_the_plan_says(rich_html, page, rich_plan):
    assert [tag for tag, _ in page.elements if tag in ("script", "link", "iframe", "object", "embed", "base")] == []
    assert all(values["src"].startswith("data:") for _, values in page.elements if "src" in values)
    allowed = own_links(rich_plan) | {"#main"} | {f"#{s.id}" for s in rich_plan.sections}  # the glance's pointers
    assert {values["href"] for values in page.all("a")} - allowed == set()
    style = rich_html[rich_html.index("<style>"):rich_html.index("</style>")]
    assert "url(" not in style and "@import" not in style and "@font-face" not in style


def test_only_safe_addresses_become_links():
    step = model.ControlStep("Made-up app", "Feature", "Settings", "Off", "javascript:alert(1)", TODAY)
    card = model.ContactCard("Someone", "Help", url='http://example.org/"onmouseover="x')
    page = Parsed(render_html(tiny_plan(step, card, model.SourceList((model.SourceRef("https://ok.example.org", TODAY),)))))
    assert [a["href"] for a in page.all("a")] == ["#main", "https://ok.example.org"]
    assert "javascript:alert(1)" in page.text and 'http://example.org/"onmouseover="x' in page.text


def test_logo_is_inline_with_alt_text(page):
    images = page.all("img")
    assert len(images) == 1
    assert images[0]["src"].startswith("data:image/png;base64,")
    assert images[0]["alt"] == f"{HOST} logo"


@pytest.mark.parametrize(("logo", "src"), [
    (b"\xff\xd8\xff\xe0 a jpeg", "data:image/jpeg;base64,"),
    (b"GIF89a not allowed", None),
    (None, None),
])
def test_logo_type_is_read_from_its_bytes(logo, src):
    page = Parsed(render_html(tiny_plan(branding=model.Branding(HOST, "#5a2d82", logo))))
    assert [image["src"][:len(src)] for image in page.all("img")] == ([src] if src else [])


def test_without_a_host_there_is_no_logo_and_no_host_line():
    html = render_html(tiny_plan(model.Paragraph("Hello.")))
    assert Parsed(html).all("img") == [] and "provided by" not in html


def test_host_colour_is_only_a_border_and_cannot_break_out_of_the_style():
    html = render_html(tiny_plan(branding=model.Branding(HOST, "#abcdef")))
    assert "--accent: #abcdef;" in html
    odd = render_html(tiny_plan(branding=model.Branding(HOST, "red;}</style><script>")))
    assert "<script>" not in odd and "--accent: #0b5563;" in odd


def test_without_a_cover_the_title_is_still_the_one_h1(rich_plan):
    agreement = dataclasses.replace(rich_plan, sections=(rich_plan.section("agreement"),))
    levels = [level for level, _, _ in Parsed(render_html(agreement)).headings]
    assert levels[:2] == [1, 2] and levels.count(1) == 1


def test_large_print_sets_bigger_body_text(rich_plan):
    assert "font-size: 1.125rem;" in render_html(rich_plan)
    large = render_html(rich_plan, large_print=True)
    assert "font-size: 1.5rem;" in large and "font-size: 1.125rem;" not in large


def test_same_plan_same_page(rich_plan, rich_html):
    assert render_html(rich_plan) == rich_html
    assert render_html(dataclasses.replace(rich_plan)) == rich_html


# ---- in Chromium ---------------------------------------------------------------------------


def open_page(browser: Browser, html: str, width: int, scheme: str = "light") -> Page:  # noqa: F811
    """A fresh context at `width` px in the given colour scheme, showing `html`."""
    context = browser.new_context(viewport={"width": width, "height": 800}, color_scheme=scheme)
    page = context.new_page()
    page.set_content(html)
    return page


@pytest.mark.parametrize(("width", "scheme", "large_print"), [
    (390, "light", False), (320, "light", False), (390, "dark", False), (320, "dark", False), (320, "light", True),
])
def test_axe_finds_nothing_and_nothing_scrolls_sideways(browser, rich_plan, width, scheme, large_print):  # noqa: F811
    page = open_page(browser, render_html(rich_plan, large_print), width, scheme)
    try:
        background = page.evaluate("getComputedStyle(document.body).backgroundColor")
        assert background == ("rgb(17, 24, 32)" if scheme == "dark" else "rgb(255, 255, 255)")
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        assert axe_violations(page) == []
    finally:
        page.context.close()


def test_body_text_size_in_the_browser(browser, rich_plan):  # noqa: F811
    sizes = []
    for large_print in (False, True):
        page = open_page(browser, render_html(rich_plan, large_print), 390)
        sizes.append(page.evaluate("getComputedStyle(document.querySelector('main p')).fontSize"))
        page.context.close()
    assert sizes == ["18px", "24px"]


def test_a_family_can_tick_the_rules_on_screen(browser, rich_plan):  # noqa: F811
    page = open_page(browser, render_html(rich_plan), 390)
    try:
        rule = next(b for b in blocks_of(rich_plan) if isinstance(b, model.Checklist)).items[0]
        box = page.get_by_label(rule)
        box.check()
        assert box.is_checked()
    finally:
        page.context.close()


def test_the_first_tab_offers_to_skip_to_the_plan(browser, rich_plan):  # noqa: F811
    page = open_page(browser, render_html(rich_plan), 390)
    try:
        page.keyboard.press("Tab")
        skip = page.get_by_role("link", name="Skip to the plan")
        assert page.evaluate("document.activeElement.className") == "skip" and skip.is_visible()
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == "main"
    finally:
        page.context.close()


def test_printing_hides_the_skip_link(browser, rich_plan):  # noqa: F811
    page = open_page(browser, render_html(rich_plan), 390)
    try:
        page.emulate_media(media="print")
        assert page.evaluate("getComputedStyle(document.querySelector('.skip')).display") == "none"
    finally:
        page.context.close()


def test_opening_the_file_requests_nothing_from_anywhere(browser, rich_plan, tmp_path):  # noqa: F811
    path = tmp_path / "family-online-safety-plan.html"
    path.write_text(render_html(rich_plan), encoding="utf-8")
    context = browser.new_context()
    try:
        page = context.new_page()
        requested: list[str] = []
        page.on("request", lambda request: requested.append(request.url))
        page.goto(path.as_uri())
        page.wait_for_load_state("load")
        assert requested and [url for url in requested if not url.startswith(("file:", "data:"))] == []
        assert page.get_by_role("img", name=f"{HOST} logo").is_visible()
    finally:
        context.close()


def test_a_control_set_as_for_an_earlier_child_is_a_labelled_tick_box():
    step = model.ControlStep(name="iPhone and iPad: Screen Time", feature="", where="as for Ann", setting="as for Ann",
                             url="https://support.apple.com/en-gb/105121", last_checked=TODAY, brief=True, same=True)
    page = Parsed(render_html(tiny_plan(model.Paragraph("Set these up as for Ann:"), step, step)))
    boxes = [values["id"] for values in page.all("input") if values.get("type") == "checkbox"]
    assert len(boxes) == len(set(boxes)) == 2
    assert [page.labels.get(box) for box in boxes] == ["iPhone and iPad: Screen Time"] * 2
