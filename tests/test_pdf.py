"""The PDF: structure and text read back with pypdf (no pixel comparisons)."""
from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from plan import Answers, Child, build_plan, parse_answers
from plan.pdf import BODY_SIZE, CHILD_ROOM, MARGIN, render_pdf
from plan.wording import format_date

from .conftest import TODAY, child

NAMES = ["Siân", "Łucja", "Zoë", "Дмитрий", "Αλέξης", "<b>Tom & Jerry</b>"]


def pdf_for(toy, *children, **top) -> bytes:
    answers = parse_answers({"children": list(children), **top}, toy.vocabulary)
    return render_pdf(build_plan(answers, today=TODAY, content=toy))


def read(data: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(data))


def all_text(reader: PdfReader) -> str:
    return "\n".join(page.extract_text() for page in reader.pages)


@pytest.fixture(scope="module")
def family_pdf(toy) -> bytes:
    return pdf_for(toy, *(child(9 + i, name=n, devices=["phone"], apps=["chat-app"]) for i, n in enumerate(NAMES)),
                   situation="something-happened", home=["broadband"])


def test_names_in_many_scripts_and_markup_show_exactly(family_pdf):
    text = all_text(read(family_pdf))
    for name in NAMES:
        assert f"{name}, age" in text, name


def test_a4_pages_with_page_x_of_y(family_pdf):
    reader = read(family_pdf)
    total = len(reader.pages)
    assert total > 5
    for number, page in enumerate(reader.pages, start=1):
        assert [round(v) for v in page.mediabox[2:]] == [595, 842]
        assert f"Page {number} of" in page.extract_text()
        assert str(total) in page.extract_text().split(f"Page {number} of", 1)[1]


def test_outline_starts_a_page_for_what_to_do_and_each_child(family_pdf):
    reader = read(family_pdf)
    top = [(o.title, reader.get_destination_page_number(o)) for o in reader.outline if not isinstance(o, list)]
    titles = [t for t, _ in top]
    assert titles[:4] == ["First steps now", "GLANCE-TITLE", "Our family online-safety plan",
                          "If something happens"]
    assert titles[-4:] == ["Our family agreement", "Your home", "Where to get help", "Sources"]
    assert [f"{n}, age {9 + i}" for i, n in enumerate(NAMES)] == titles[4:-4]
    pages = [p for _, p in top]
    assert pages == sorted(pages)
    # first steps and the glance page begin a page; the cover follows the glance when there is
    # room, what to do follows the short cover, the parts after the children follow on
    assert pages[0] < pages[1] and pages[3] == pages[2] and pages[2] - pages[1] in (0, 1)
    # a child's section starts a new page unless a third of a page is left below its title
    tops = [(number, _text_top(reader.pages[number], title)) for title, number in top[4:-4]]
    page_top = max(y for _, y in tops)
    assert all(y == page_top or y - MARGIN >= CHILD_ROOM - 24 for _, y in tops), tops  # 24: the title line
    assert any(y == page_top for _, y in tops[1:]) and any(y < page_top for _, y in tops[1:])


def _text_top(page, start: str) -> float:
    """How high on the page the first line starting with `start` is drawn."""
    found: list[float] = []
    page.extract_text(visitor_text=lambda t, cm, tm, font, size: found.append(cm[3] * tm[5] + cm[5]) if t.startswith(start) else None)
    return found[0]


def test_metadata_has_title_and_language_and_no_names(family_pdf):
    reader = read(family_pdf)
    assert reader.metadata.title == "Our family online-safety plan"
    assert reader.trailer["/Root"]["/Lang"] == "en-GB"
    meta = " ".join(str(v) for v in reader.metadata.values())
    for name in NAMES:
        assert name not in meta
    assert "Tom" not in meta


def test_fonts_are_embedded_unicode_truetype(family_pdf):
    reader = read(family_pdf)
    fonts = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            fonts[font["/BaseFont"]] = font
    assert fonts
    for name, font in fonts.items():
        descriptor = font["/FontDescriptor"] if "/FontDescriptor" in font else font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
        assert "/FontFile2" in descriptor, f"{name} is not embedded"
        assert "Helvetica" not in name and "Times" not in name


def test_links_are_clickable(family_pdf):
    uris = {a.get_object()["/A"]["/URI"] for page in read(family_pdf).pages
            for a in page.get("/Annots", []) if "/A" in a.get_object()}
    assert {"https://example.org/phone", "https://example.org/chat", "tel:999"} <= uris


def test_body_text_is_at_least_11_point():
    assert BODY_SIZE >= 11


def test_same_answers_and_date_give_identical_bytes(toy):
    one = pdf_for(toy, child(9, name="Sam", devices=["phone"]))
    assert one == pdf_for(toy, child(9, name="Sam", devices=["phone"]))
    assert one != pdf_for(toy, child(9, name="Sal", devices=["phone"]))


def test_emoji_and_unusual_characters_do_not_break_the_build(toy):
    data = pdf_for(toy, child(9, name="Ava 😀🏳️‍🌈"), child(5, name="Eve"))
    text = all_text(read(data))
    assert "Ava, age 9" in text and "Eve, age 5" in text


def test_a_direction_override_that_reached_the_renderer_would_be_dropped(toy):
    """Answers refuse U+202E in names; the PDF drops such characters all the same."""
    answers = Answers(children=(Child(age=5, name="\u202eEve"),))
    text = all_text(read(render_pdf(build_plan(answers, today=TODAY, content=toy))))
    assert "Eve, age 5" in text and "\u202e" not in text


FOUR_CHILDREN = [
    {"name": "Maximilian-Alexander", "age": 16, "devices": ["android-phone", "playstation", "windows-pc"],
     "apps": ["instagram", "whatsapp", "discord"], "concerns": ["sextortion", "self-harm", "extremism"]},
    {"name": "Anastasia-Josephine", "age": 13, "devices": ["iphone", "xbox", "vr-headset"],
     "apps": ["instagram", "tiktok", "minecraft"], "concerns": ["nude-images", "bullying", "scams"]},
    {"name": "Christopher-Benedict", "age": 9, "devices": ["ipad", "nintendo-switch", "fire-tablet"],
     "apps": ["roblox", "youtube-kids", "fortnite"], "concerns": ["grooming", "gambling", "privacy"]},
    {"age": 3, "devices": ["fire-tablet"], "apps": ["youtube-kids"], "concerns": ["screen-time"]},
]


@pytest.mark.parametrize("situation", ["planning", "something-happened"])
def test_the_glance_page_is_one_page_for_four_children(content, situation):
    answers = parse_answers({"children": FOUR_CHILDREN, "situation": situation, "region": "england"},
                            content.vocabulary)
    family_plan = build_plan(answers, today=TODAY, content=content)
    reader = read(render_pdf(family_plan))
    top = [(o.title, reader.get_destination_page_number(o)) for o in reader.outline if not isinstance(o, list)]
    at = [t for t, _ in top].index(content.texts.glance_title)
    assert at == (1 if situation == "something-happened" else 0)  # first, or after the first steps
    glance_page, next_page = top[at][1], top[at + 1][1]
    assert next_page in (glance_page, glance_page + 1)  # the cover follows on when there is room
    page = reader.pages[glance_page]
    text = page.extract_text()
    # all of it on one page: its last line, the review date, is on it, and the next page
    # starts with the cover, not with the rest of the glance
    assert format_date(family_plan.review_by) in text and "0800 1111" in text and "0808 800 5000" in text
    following = reader.pages[glance_page + 1].extract_text().strip()
    assert following.startswith(content.texts.plan_title) or next_page == glance_page
    sizes = []
    page.extract_text(visitor_text=lambda t, cm, tm, font, size: sizes.append(size * tm[0]) if t.strip() else None)
    assert min(s for s in sizes if s > 9.5) >= 11  # body type stays at least 11 pt (the footer is 9)
    assert len(reader.get_fields()) >= 12 and "week-12" in reader.get_fields()  # a tick box for each step
