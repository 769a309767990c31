"""The carer card: one A4 page with the house rules, each child's controls and whom to call,
built from the real content (its numbers are the ones a carer will dial)."""
from __future__ import annotations

from plan.content import default_content

import io

import pytest
from pypdf import PdfReader

from plan import model
from plan import build_plan, parse_answers
from plan.carer import BODY_SIZE, render_carer_card
from plan.site import load_site

from .conftest import FIXTURES, TODAY

NAMES = ("<b>Tom & Jerry</b>", "Siân")
SCHOOL_PHONE = "0113 496 0000"  # tests/fixtures/site/schools.yaml


def plan_for(*children, site=None, school=None, **top) -> model.Plan:
    answers = parse_answers({"children": list(children), **top})
    return build_plan(answers, today=TODAY, site=site, school=school)


@pytest.fixture(scope="module")
def family() -> model.Plan:
    return plan_for(
        {"name": NAMES[0], "age": 13, "devices": ["iphone"], "apps": ["tiktok", "snapchat"], "concerns": ["bullying"]},
        {"name": NAMES[1], "age": 8, "devices": ["nintendo-switch"], "apps": ["roblox"], "concerns": ["grooming"]},
        home=["smart-tv"], agreement={"own": ["<i>No phones</i> at tea"]},
    )


@pytest.fixture(scope="module")
def card(family) -> bytes:
    return render_carer_card(family)


def read(data: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(data))


def page_text(data: bytes) -> str:
    """The text with line breaks and runs of spaces (non-breaking ones too) made single spaces."""
    return " ".join(" ".join(page.extract_text() for page in read(data).pages).split())


def smallest_text_size(data: bytes) -> float:
    """The smallest size text is drawn at, scaling included (a card shrunk to fit counts)."""
    sizes = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            sizes.append(size * tm[3] * cm[3])

    read(data).pages[0].extract_text(visitor_text=visit)
    return min(sizes)


def blocks(section: model.Section) -> list:
    out = []
    for block in section.blocks:
        out += [block, *(blocks(block) if isinstance(block, model.Subsection) else [])]
    return out


def test_one_a4_page_titled_carer_card(card):
    reader = read(card)
    assert len(reader.pages) == 1
    assert [round(v) for v in reader.pages[0].mediabox[2:]] == [595, 842]
    assert page_text(card).startswith("Carer card")


def test_each_child_by_name_with_their_controls(family, card):
    text = page_text(card)
    for index, name in enumerate(NAMES, start=1):
        steps = [b.name for b in blocks(family.section(f"child-{index}")) if isinstance(b, model.ControlStep)]
        assert steps
        assert f"{name}, age" in text
        for step in steps:
            assert step in text, step
    home = [b.name for b in blocks(family.section("home")) if isinstance(b, model.ControlStep)]
    assert home and all(step in text for step in home)


def test_the_house_rules_are_the_agreement(family, card):
    rules = [item for b in blocks(family.section("agreement")) if isinstance(b, model.Checklist) for item in b.items]
    assert len(rules) >= 8 and "<i>No phones</i> at tea" in rules
    text = page_text(card)
    for part in (b for b in blocks(family.section("agreement")) if isinstance(b, model.Subsection)):
        assert part.title in text  # "For all of us", "For Siân": whose rules they are
    for rule in rules:
        assert " ".join(rule.split()) in text, rule


def test_whom_to_call_with_the_numbers_every_plan_has(card):
    text = page_text(card)
    for needed in ("999", "0800 1111", "0808 800 5000", "CEOP", "Childline", "NSPCC"):
        assert needed in text, needed
    uris = {a.get_object()["/A"]["/URI"] for a in read(card).pages[0].get("/Annots", [])}
    assert {"tel:999", "tel:08001111", "tel:08088005000"} <= uris
    assert "https://www.ceop.police.uk/Safety-Centre" in uris


def test_body_text_is_at_least_11_point_for_a_typical_family(card):
    assert BODY_SIZE >= 11
    assert smallest_text_size(card) >= 11 - 0.01


def test_many_worries_keep_one_page_at_11_point_and_point_to_the_full_plan():
    data = render_carer_card(plan_for({"age": 14, "concerns": [
        "grooming", "nude-images", "sextortion", "pornography", "bullying", "self-harm", "extremism", "scams",
        "screen-time", "privacy", "ai-deepfakes", "livestreaming"]}))
    assert len(read(data).pages) == 1
    assert smallest_text_size(data) >= 11 - 0.01
    text = page_text(data)
    assert "are in our full plan" in text
    for needed in ("999", "0800 1111", "0808 800 5000", "CEOP"):
        assert needed in text, needed


def test_the_largest_family_still_fits_on_one_page(content):
    """Ten children, each with different devices and every worry: far more than a page holds."""
    vocab = content.vocabulary
    devices, apps, concerns = (list(vocab.ids(kind)) for kind in ("devices", "apps", "concerns"))
    data = render_carer_card(plan_for(*(
        {"name": f"Child {i}", "age": 7 + i, "devices": devices[:i + 3], "apps": apps[i:], "concerns": concerns}
        for i in range(10))))
    assert len(read(data).pages) == 1
    text = page_text(data)
    assert "Child 9, age 16" in text
    for needed in ("999", "0800 1111", "0808 800 5000", "CEOP"):  # kept even with no room to spare
        assert needed in text, needed


def test_the_schools_contact_when_the_plan_has_one():
    site = load_site(FIXTURES / "site", default_content())
    school = site.school("oakfield-primary")
    with_school = page_text(render_carer_card(plan_for({"age": 9}, site=site, school=school)))
    assert SCHOOL_PHONE in with_school and school.name in with_school
    assert f"Provided by {site.config.name}" in with_school
    without = page_text(render_carer_card(plan_for({"age": 9})))
    assert SCHOOL_PHONE not in without and "Provided by" not in without


def test_a_child_without_devices_is_still_named():
    text = page_text(render_carer_card(plan_for({"name": "Ava", "age": 6}, {"name": "Ben", "age": 9, "devices": ["ipad"]})))
    assert "Ava, age 6: no parental controls listed in our plan" in text
    assert "Ben, age 9: iPhone and iPad: Screen Time" in text


def test_metadata_is_a_fixed_title_in_english_with_no_names(card):
    reader = read(card)
    assert reader.metadata.title == "Family online-safety plan: carer card"
    assert reader.trailer["/Root"]["/Lang"] == "en-GB"
    meta = " ".join(str(v) for v in reader.metadata.values())
    assert "Tom" not in meta and "Siân" not in meta


def test_same_plan_gives_identical_bytes(family, card):
    assert render_carer_card(family) == card
    assert render_carer_card(plan_for({"name": "Sam", "age": 9})) != render_carer_card(plan_for({"name": "Sal", "age": 9}))


def test_children_with_the_same_controls_share_a_line():
    text = page_text(render_carer_card(plan_for({"name": "Ava", "age": 6, "devices": ["ipad"]},
                                                {"name": "Ben", "age": 9, "devices": ["ipad"]})))
    assert "Ava, age 6 and Ben, age 9: iPhone and iPad: Screen Time" in text
    assert text.count("iPhone and iPad: Screen Time") == 1
