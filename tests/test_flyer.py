"""The school flyer: the printed QR code opens exactly the school's link, and the page says
what the plan is, what it is not and the privacy promise, in the host's name."""
from __future__ import annotations

from plan.content import default_content

import io

import pypdfium2
import pytest
import zxingcpp
from pypdf import PdfReader

from plan.flyer import render_flyer
from plan.site import Site, load_site

from .conftest import FIXTURES

FOCUS = ("scams", "screen-time")


@pytest.fixture(scope="module")
def site() -> Site:
    return load_site(FIXTURES / "site", default_content())


@pytest.fixture(scope="module")
def flyer(site) -> bytes:
    return render_flyer(site, site.school("oakfield-primary"), FOCUS)


def page_text(data: bytes) -> str:
    """The page's text with line breaks and runs of spaces made single spaces."""
    return " ".join(PdfReader(io.BytesIO(data)).pages[0].extract_text().split())


def link_uris(data: bytes) -> list[str]:
    page = PdfReader(io.BytesIO(data)).pages[0]
    return [annot.get_object()["/A"]["/URI"] for annot in page.get("/Annots", [])]


def smallest_text_size(data: bytes) -> float:
    """The smallest size text is drawn at, scaling included (a page shrunk to fit counts)."""
    sizes = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            sizes.append(size * tm[3] * cm[3])

    PdfReader(io.BytesIO(data)).pages[0].extract_text(visitor_text=visit)
    return min(sizes)


def test_the_qr_code_decodes_to_the_school_link(site, flyer):
    document = pypdfium2.PdfDocument(flyer)
    image = document[0].render(scale=3).to_pil()
    decoded = [barcode.text for barcode in zxingcpp.read_barcodes(image)]
    assert decoded == [site.school_link(site.school("oakfield-primary"), FOCUS)]
    assert decoded[0].endswith("?school=oakfield-primary&focus=scams,screen-time")


def test_one_page_with_the_school_host_and_privacy_promise(flyer):
    reader = PdfReader(io.BytesIO(flyer))
    assert len(reader.pages) == 1
    text = page_text(flyer)
    for words in ("Keep your family safer online", "Oakfield Primary School shared this with you",
                  "Provided by Toyshire Safeguarding Partnership", "nothing you type is stored",
                  "Your plan is a file you download", "not monitoring or spying software",
                  "call 999", "about five minutes on a phone"):
        assert words in text, words


def test_the_printed_link_is_clickable_and_exact(site, flyer):
    link = site.school_link(site.school("oakfield-primary"), FOCUS)
    uris = link_uris(flyer)
    assert uris and set(uris) == {link}
    assert link in page_text(flyer).replace(" &focus", "&focus")


def test_a_school_name_with_markup_shows_exactly(site):
    school = site.school("oakfield-primary").model_copy(update={"name": "<b>A & B</b> Primary"})
    text = page_text(render_flyer(site, school))
    assert "<b>A & B</b> Primary shared this with you" in text


def test_same_inputs_give_identical_bytes(site, flyer):
    assert render_flyer(site, site.school("oakfield-primary"), FOCUS) == flyer
    assert render_flyer(site, site.school("oakfield-primary")) != flyer


def test_metadata_holds_the_title_and_language_only(flyer):
    reader = PdfReader(io.BytesIO(flyer))
    assert reader.metadata.title == "Family online-safety plan: flyer"
    assert reader.trailer["/Root"]["/Lang"] == "en-GB"
    meta = " ".join(str(value) for value in reader.metadata.values())
    assert "Oakfield" not in meta and "Toyshire" not in meta


def test_text_stays_at_12_pt_or_more_with_long_names(site):
    school = site.school("oakfield-primary").model_copy(update={
        "name": "The Blessed Cardinal John Henry Newman Catholic Voluntary Academy and Nursery",
        "id": "blessed-cardinal-john-henry-newman-catholic-voluntary-academy"})
    config = site.config.model_copy(update={
        "name": "Hampshire, Isle of Wight, Portsmouth and Southampton Safeguarding Partnership"})
    data = render_flyer(site.model_copy(update={"config": config}), school,
                        ("grooming", "sextortion", "harmful-sexual-behaviour", "screen-time"))
    assert len(PdfReader(io.BytesIO(data)).pages) == 1
    assert smallest_text_size(data) >= 12 - 0.01


def test_the_logo_is_drawn_only_when_the_host_has_one(site, flyer):
    def images(data: bytes) -> int:
        return len(PdfReader(io.BytesIO(data)).pages[0].images)

    without_logo = site.model_copy(update={"logo": None, "logo_type": None})
    assert images(flyer) == 1
    assert images(render_flyer(without_logo, site.school("oakfield-primary"), FOCUS)) == 0
