"""The PDF's tick boxes: a real form check box beside every parental-control step and every
agreement rule, which a parent can tick in a PDF viewer (read back with pypdf)."""
from __future__ import annotations

import dataclasses
import io

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import IndirectObject

from plan import model
from plan import build_plan, parse_answers
from plan.pdf import render_pdf
from plan.pdfkit import BODY_SIZE, LARGE_PRINT_SIZE, TICK_BOX

from .conftest import TODAY, child

OWN_RULE = "<b>No phones</b> at tea (and \\ never at breakfast)"


def plan_for(toy, *children, **top) -> model.Plan:
    answers = parse_answers({"children": list(children), **top}, toy.vocabulary)
    return build_plan(answers, today=TODAY, content=toy)


@pytest.fixture(scope="module")
def plan(toy) -> model.Plan:
    return plan_for(toy, child(9, name="Sam", devices=["phone"], apps=["chat-app"]),
                    child(14, name="<i>Alex</i>", devices=["phone"], concerns=["worry-a"]),
                    home=["broadband"], agreement={"own": [OWN_RULE]})


@pytest.fixture(scope="module")
def pdf(plan) -> bytes:
    return render_pdf(plan)


def read(data: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(data))


def blocks(node) -> list:
    """Every block of a plan, inside subsections too, in order."""
    if isinstance(node, model.Plan):
        return [b for s in node.sections for b in blocks(s)]
    if isinstance(node, (model.Section, model.Subsection)):
        return [b for inner in node.blocks for b in [inner, *blocks(inner)]]
    return []


def expected_boxes(plan: model.Plan) -> list[tuple[str, str]]:
    """(field name, tooltip) for each control step and rule, in document order."""
    out = []
    ticks: dict[str, int] = {}  # per Checklist name: rule-1, rule-2...; week-1... on the glance page
    for section in plan.sections:
        steps = 0
        for block in blocks(section):
            if isinstance(block, model.ControlStep):
                steps += 1
                out.append((f"step-{section.id}-{steps}", block.name))
            elif isinstance(block, model.Checklist):
                for item in block.items:
                    ticks[block.name] = ticks.get(block.name, 0) + 1
                    out.append((f"{block.name}-{ticks[block.name]}", item))
    return out


def widgets(reader: PdfReader) -> list[tuple[int, dict]]:
    return [(number, annot.get_object()) for number, page in enumerate(reader.pages)
            for annot in page.get("/Annots", []) if annot.get_object().get("/Subtype") == "/Widget"]


def test_one_tick_box_per_control_step_and_rule(plan, pdf):
    expected = expected_boxes(plan)
    assert len([n for n, _ in expected if n.startswith("step-")]) >= 4  # both children and the home
    assert len([n for n, _ in expected if n.startswith("rule-")]) >= 3
    fields = read(pdf).get_fields()
    assert list(fields) == [name for name, _ in expected]  # unique, stable names, in reading order
    for name, tooltip in expected:
        field = fields[name]
        assert field["/FT"] == "/Btn" and field["/V"] == "/Off"
        assert field["/TU"] == tooltip
        assert not int(field.get("/Ff", 0)) & (1 << 1 | 1 << 15 | 1 << 16)  # not required, radio or push button


def test_markup_in_a_rule_is_plain_text_in_the_page_and_the_tooltip(pdf):
    reader = read(pdf)
    assert OWN_RULE in [field.get("/TU") for name, field in reader.get_fields().items() if name.startswith("rule-")]
    assert "<b>No phones</b> at tea" in "\n".join(page.extract_text() for page in reader.pages)


def test_a_box_can_be_ticked_and_the_tick_is_saved(pdf):
    writer = PdfWriter(clone_from=read(pdf))
    for page in writer.pages:
        if "/Annots" in page:
            writer.update_page_form_field_values(page, {"rule-2": "/Yes", "step-child-2-1": "/Yes"},
                                                 auto_regenerate=False)
    out = io.BytesIO()
    writer.write(out)
    fields = read(out.getvalue()).get_fields()
    assert fields["rule-2"]["/V"] == "/Yes" and fields["step-child-2-1"]["/V"] == "/Yes"
    assert fields["rule-1"]["/V"] == "/Off" and fields["step-child-1-1"]["/V"] == "/Off"
    ticked = {w["/T"]: w["/AS"] for _, w in widgets(read(out.getvalue()))}
    assert ticked["rule-2"] == "/Yes" and ticked["rule-1"] == "/Off"


def test_each_box_has_an_on_and_off_appearance_and_prints(pdf):
    for _, widget in widgets(read(pdf)):
        assert set(widget["/AP"]["/N"]) == {"/Yes", "/Off"}, widget["/T"]
        assert int(widget["/F"]) & 4, widget["/T"]  # the print flag


def baselines(page, needle: str) -> list[tuple[float, float]]:
    """(x, y) where each run of text containing `needle` starts on the page."""
    found = []

    def visit(text, cm, tm, font, size):
        if needle in text:
            found.append((tm[4] * cm[0] + tm[5] * cm[2] + cm[4], tm[4] * cm[1] + tm[5] * cm[3] + cm[5]))

    page.extract_text(visitor_text=visit)
    return found


@pytest.mark.parametrize("large_print, size", [(False, BODY_SIZE), (True, LARGE_PRINT_SIZE)])
def test_the_box_sits_left_of_the_first_line_of_its_item(toy, large_print, size):
    long_rule = "LONG-RULE-START " + "we talk it through together and agree what fits us " * 3
    plan = plan_for(toy, child(9, devices=["phone"]), agreement={"own": [long_rule]})
    reader = read(render_pdf(plan, large_print=large_print))
    boxes = {w["/T"]: (n, [float(v) for v in w["/Rect"]]) for n, w in widgets(reader)}
    step = next(b for b in blocks(plan) if isinstance(b, model.ControlStep))
    last_rule = f"rule-{len([b for b in expected_boxes(plan) if b[0].startswith('rule-')])}"
    assert len(baselines(reader.pages[boxes[last_rule][0]], "we talk it through")) >= 2  # it wraps
    for name, needle in (("rule-1", "RULE-SLEEP-YOUNG"), (last_rule, "LONG-RULE-START"), ("step-child-1-1", step.name)):
        number, (x0, y0, x1, y1) = boxes[name]
        [(text_x, baseline)] = baselines(reader.pages[number], needle)
        assert x1 < text_x < x1 + 15, name  # just left of the text
        assert abs((x1 - x0) - TICK_BOX * size / BODY_SIZE) < 0.01 and abs((y1 - y0) - (x1 - x0)) < 0.01
        # On the first line: centred between the baseline and the tops of the letters, and
        # clear of the line below (its tops are a line, 1.4 x the size, lower) and the one above.
        assert baseline < (y0 + y1) / 2 < baseline + 0.6 * size, name
        assert baseline - 0.4 * size < y0 and y1 < baseline + 1.4 * size - 0.4 * size, name


def test_same_plan_gives_the_same_bytes_and_field_names(plan, pdf):
    again = render_pdf(plan)
    assert again == pdf
    assert list(read(again).get_fields()) == list(read(pdf).get_fields())


def test_the_agreement_on_its_own_has_its_rules_numbered_from_one(plan):
    only = dataclasses.replace(plan, sections=tuple(s for s in plan.sections if s.id == "agreement"))
    names = list(read(render_pdf(only)).get_fields())
    assert names == [f"rule-{n}" for n in range(1, len(names) + 1)] and len(names) >= 3


def resolve(value):
    return value.get_object() if isinstance(value, IndirectObject) else value


def test_no_font_anywhere_in_the_file_is_left_unembedded(pdf):
    """Every font object (page text, form appearances, the form's default resources) carries
    its font file: no Helvetica or ZapfDingbats that a viewer must supply."""
    reader = read(pdf)
    fonts = []
    for number in range(1, reader.trailer["/Size"]):
        obj = reader.get_object(number)
        if hasattr(obj, "get") and obj.get("/Type") == "/Font":
            fonts.append(obj)
    assert fonts
    for font in fonts:
        if font.get("/Subtype") == "/Type0":
            font = resolve(font["/DescendantFonts"][0])
        descriptor = resolve(font["/FontDescriptor"]) if "/FontDescriptor" in font else {}
        assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor), font.get("/BaseFont")
    form = reader.trailer["/Root"]["/AcroForm"]
    assert "/DR" not in form or not resolve(form["/DR"]).get("/Font")
