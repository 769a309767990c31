"""A crisis plan: what the parent saw after one tap is what the plan opens with, and a plan with
"something has happened" but nothing else chosen still says whom to call for everything."""
from __future__ import annotations

import pytest

from plan import build_plan, model, parse_answers
from plan.builder import crisis_section
from testkit.plans import joined

from .conftest import TODAY

SITUATIONS = ["sextortion", "image-shared", "ai-image", "adult-contact", "police-contact", "bullying", "self-harm",
              "scam", "worried-about-adult", "not-sure"]


def crisis_plan(content, what_happened=None, region=None, age=14, concerns=()):
    data = {"situation": "something-happened", "children": [{"age": age, "concerns": list(concerns)}]}
    if what_happened:
        data["what_happened"] = what_happened
    if region:
        data["region"] = region
    return build_plan(parse_answers(data, content.vocabulary), today=TODAY, content=content)


def phones(section: model.Section) -> set[str]:
    return {card.phone for block in model.walk(section.blocks) if isinstance(block, model.Route)
            for card in block.contacts if card.phone}


def test_every_choice_is_offered(content):
    assert [s.id for s in content.situations] == SITUATIONS


@pytest.mark.parametrize("region", [None, "scotland", "hampshire"])
@pytest.mark.parametrize("what_happened", SITUATIONS)
def test_the_plan_opens_with_exactly_the_steps_the_parent_saw(content, what_happened, region):
    shown = crisis_section(content, what_happened, region, age=14)
    family_plan = crisis_plan(content, what_happened, region, age=14)
    assert family_plan.sections[0] == shown
    assert phones(shown), "every situation offers a number to call"


def test_a_crisis_plan_with_nothing_chosen_names_stop_it_now_and_every_situation(content):
    first = crisis_plan(content).sections[0]
    assert first.kind is model.SectionKind.FIRST_STEPS
    assert "0808 1000 900" in phones(first)  # Stop It Now!
    text = joined(first)
    assert all(s.choice in text for s in content.situations)


def test_without_an_age_only_the_steps_for_every_age(content):
    with_age = joined(crisis_section(content, "police-contact", age=6))
    without = joined(crisis_section(content, "police-contact"))
    assert len(without) < len(with_age)


def test_planning_plans_have_no_first_steps(content):
    family_plan = build_plan(parse_answers({"children": [{"age": 9}]}, content.vocabulary), today=TODAY, content=content)
    assert [s.kind for s in family_plan.sections[:2]] == [model.SectionKind.GLANCE, model.SectionKind.COVER]
    assert not family_plan.of_kind(model.SectionKind.FIRST_STEPS)


@pytest.mark.parametrize("region, age, solicitor", [
    (None, 10, True), (None, 9, False), ("england", 10, True), ("england", 9, False), ("scotland", 12, True),
    ("scotland", 11, False),
])
def test_a_step_for_the_childs_age_is_one_more_step_of_its_worry_not_a_title_of_its_own(content, region, age,
                                                                                         solicitor):
    """The police are in touch about a child's own behaviour: a solicitor is for a child old
    enough to be held responsible, and the plan knows the child's age."""
    first = crisis_section(content, "police-contact", region, age=age)
    [steps] = [b for b in first.blocks if isinstance(b, model.Subsection) and "own sexual behaviour" in b.title]
    numbered = next(b for b in steps.blocks if isinstance(b, model.Bullets)).items
    assert any("solicitor" in step for step in numbered) is solicitor
    assert not any(b.title.startswith("If your child is") for b in first.blocks if isinstance(b, model.Subsection))
    assert sum("solicitor" in text for text in joined(first).split("\n")) == (1 if solicitor else 0)


def test_a_crisis_plans_conversation_starters_are_for_later_and_not_for_questioning(content):
    """After police contact a parent must not question the child about what happened: the
    starters say so once, before the first of them; a plan made ahead does not."""
    later = content.texts.starters_after_something_happened
    crisis = build_plan(parse_answers({"situation": "something-happened", "children": [
        {"age": 15, "concerns": ["harmful-sexual-behaviour"]}, {"age": 12, "concerns": ["bullying"]}]},
        content.vocabulary), today=TODAY, content=content)
    paragraphs = [b.text for s in crisis.sections for b in model.walk(s.blocks) if isinstance(b, model.Paragraph)]
    assert paragraphs.count(later) == 1
    assert paragraphs.index(later) == paragraphs.index(content.texts.starters_intro) + 1
    calm = build_plan(parse_answers({"children": [{"age": 15, "concerns": ["harmful-sexual-behaviour"]}]},
                                    content.vocabulary), today=TODAY, content=content)
    assert later not in joined(calm)


def test_a_route_for_a_worry_whose_first_steps_open_the_plan_leaves_its_do_nots_to_them(content):
    """"Do not" lines once per worry: the blackmail route after the blackmail first steps adds
    none; in a plan made ahead, with no first steps, the route gives them."""
    def sextortion_route(situation):
        data = {"children": [{"age": 15, "concerns": ["sextortion"]}], **situation}
        plan = build_plan(parse_answers(data, content.vocabulary), today=TODAY, content=content)
        first = next(r for r in content.routes if r.id == "route-sextortion").situation.split(".")[0]
        return next(b for b in plan.section("if-something-happens").blocks
                    if isinstance(b, model.Route) and b.situation.startswith(first))
    assert sextortion_route({"situation": "something-happened"}).dont == ()
    assert len(sextortion_route({}).dont) >= 3
