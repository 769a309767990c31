"""Selection rules, on toy content whose wording is markers: what goes into whose plan."""
from __future__ import annotations

from datetime import date

import pytest

from plan import model, parse_answers
from plan.content import Applies
from plan.rules import applies_to_child
from plan.wording import add_months
from testkit.plans import build, joined, section_ids

from .conftest import child


def test_sections_for_a_calm_family(toy):
    plan = build(toy, child(9))
    assert section_ids(plan) == ["cover", "if-something-happens", "child-1", "agreement", "help", "sources"]


def test_something_happened_opens_with_first_steps_then_the_cover(toy):
    plan = build(toy, child(9, concerns=["worry-b"]), situation="something-happened")
    assert section_ids(plan)[:3] == ["first-steps", "cover", "if-something-happens"]
    first = joined(plan.section("first-steps"))
    assert "FIRST-GENERAL-1" in first and "FIRST-WORRY-B-1" in first and "DONT-FIRST-WORRY-B" in first


def test_first_steps_only_for_chosen_concerns(toy):
    first = joined(build(toy, child(9, concerns=["worry-a"]), situation="something-happened").section("first-steps"))
    assert "FIRST-GENERAL" in first and "FIRST-WORRY-B" not in first


def test_controls_only_for_the_childs_own_devices_and_apps_at_their_age(toy):
    plan = build(toy, child(9, devices=["phone"]), child(14, apps=["chat-app"]))
    young, teen = joined(plan.section("child-1")), joined(plan.section("child-2"))
    assert "PHONE-YOUNG" in young and "PHONE-OLD" not in young and "CHAT-ALL" not in young
    assert "CHAT-ALL" in teen and "Phone: Lock" not in teen


@pytest.mark.parametrize("age, expected", [(10, "PHONE-YOUNG"), (11, "PHONE-OLD")])
def test_setting_follows_age_at_the_boundary(toy, age, expected):
    assert expected in joined(build(toy, child(age, devices=["phone"])).section("child-1"))


def test_under_minimum_age_gets_a_warning_and_over_does_not(toy):
    young = build(toy, child(12, apps=["chat-app"])).section("child-1")
    old = build(toy, child(13, apps=["chat-app"])).section("child-1")
    assert "CHAT-TOO-YOUNG" in joined(young) and "CHAT-TOO-YOUNG" not in joined(old)
    assert "CHAT-MIN-NOTE" in joined(old)
    callouts = [b for sub in young.blocks if isinstance(sub, model.Subsection) for b in sub.blocks
                if isinstance(b, model.Callout)]
    assert callouts and callouts[0].kind == "warning"


def test_reporting_and_blocking_for_each_app(toy):
    section = joined(build(toy, child(14, apps=["chat-app", "kids-app"])).section("child-1"))
    assert "CHAT-REPORT" in section and "CHAT-BLOCK" in section and "KIDS-REPORT" in section


def test_starters_for_each_concern_in_the_childs_band_plus_everyday(toy):
    section = joined(build(toy, child(9, concerns=["worry-a"])).section("child-1"))
    assert all(f"WORRY-A-8-10-{i}" in section for i in (1, 2, 3))
    assert "EVERYDAY-8-10-1" in section
    assert "WORRY-B" not in section and "WORRY-A-11-13" not in section


@pytest.mark.parametrize("age, band", [(0, "0-4"), (4, "0-4"), (5, "5-7"), (10, "8-10"), (11, "11-13"), (15, "14-15"), (17, "16-17")])
def test_starters_band_follows_age(toy, age, band):
    assert f"EVERYDAY-{band}-1" in joined(build(toy, child(age)).section("child-1"))


def test_warning_signs_by_age_concern_and_predicate(toy):
    plan = build(toy, child(8, devices=["xbox"]), child(14, concerns=["worry-a"]), child(14))
    young, worried, calm = (joined(plan.section(f"child-{i}")) for i in (1, 2, 3))
    assert "SIGN-YOUNG" in young and "SIGN-GAMER" in young and "SIGN-WORRY-A-TEEN" not in young
    assert "SIGN-WORRY-A-TEEN" in worried and "SIGNS-WORRY-A-WHAT" in worried and "SIGN-YOUNG" not in worried
    assert "SIGN" not in calm


def test_routes_always_present_and_for_chosen_concerns_only(toy):
    calm = joined(build(toy, child(9)).section("if-something-happens"))
    worried = joined(build(toy, child(9), child(4, concerns=["worry-a"])).section("if-something-happens"))
    assert "ROUTE-DANGER" in calm and "ROUTE-WORRY-A" not in calm
    assert "ROUTE-WORRY-A" in worried and "DONT-WORRY-A" in worried and "Worry A line" in worried


def test_help_lists_always_advice_routed_and_age_fitting_contacts(toy):
    names = lambda plan: [b.name for b in plan.section("help").blocks if isinstance(b, model.ContactCard)]
    assert names(build(toy, child(9))) == ["Emergency line", "Advice site"]
    assert names(build(toy, child(9, concerns=["worry-a"]))) == ["Emergency line", "Advice site", "Worry A line"]
    assert "Teen line" not in names(build(toy, child(9, concerns=["worry-b"])))
    assert "Teen line" in names(build(toy, child(14, concerns=["worry-b"])))


def test_home_section_only_when_chosen_and_set_for_the_youngest(toy):
    assert "home" not in section_ids(build(toy, child(9)))
    home = build(toy, child(14), child(6), home=["broadband"]).section("home")
    assert "FILTER-STRICT" in joined(home) and "FILTER-LIGHT" not in joined(home)
    assert "(6)" in joined(home)


def test_nothing_for_things_the_family_does_not_have(toy):
    plan = joined(build(toy, child(9)))
    for marker in ("PHONE-", "CHAT-", "FILTER-", "WORRY-A", "WORRY-B", "KIDS-", "RULE-WORRY-A"):
        assert marker not in plan


def test_sources_are_exactly_those_of_the_items_used(toy):
    plan = build(toy, child(9, devices=["phone"]))
    urls = [r.url for r in plan.sources]
    assert "https://example.org/phone" in urls and "https://example.org/talk" in urls
    assert "https://example.org/chat" not in urls and "https://example.org/filter" not in urls
    assert urls == sorted(set(urls))


def test_cover_names_children_and_dates(toy):
    plan = build(toy, child(9, name="Sam"), child(0), child(12))
    cover = joined(plan.section("cover"))
    assert "For Sam, your baby and your 12-year-old. Made on 22 November 2026." in cover
    assert plan.review_by == date(2027, 5, 22) and "22 May 2027" in cover
    assert [s.title for s in plan.sections if s.id.startswith("child-")] == ["Sam, age 9", "Child 2, age 0", "Child 3, age 12"]


def test_same_answers_and_date_give_the_same_plan(toy):
    assert build(toy, child(9, devices=["phone"])) == build(toy, child(9, devices=["phone"]))


@pytest.mark.parametrize("start, months, expected", [
    (date(2026, 8, 31), 6, date(2027, 2, 28)), (date(2026, 11, 22), 6, date(2027, 5, 22)),
    (date(2027, 8, 31), 6, date(2028, 2, 29)), (date(2026, 11, 22), -12, date(2025, 11, 22)),
])
def test_add_months(start, months, expected):
    assert add_months(start, months) == expected


def test_applies_combines_fields_with_and(toy):
    answers = parse_answers({"children": [child(9, concerns=["worry-a"], devices=["xbox"])]}, toy.vocabulary)
    kid = answers.children[0]
    item = lambda **f: Applies.model_validate(f)
    assert applies_to_child(item(), answers, kid, toy.vocabulary)
    assert applies_to_child(item(ages={"from": 9, "to": 9}, concerns=["worry-a", "worry-b"], when=["plays_online_games"]), answers, kid, toy.vocabulary)
    assert not applies_to_child(item(ages={"from": 10, "to": 17}, concerns=["worry-a"]), answers, kid, toy.vocabulary)
    assert not applies_to_child(item(concerns=["worry-b"]), answers, kid, toy.vocabulary)
    assert not applies_to_child(item(when=["has_own_phone"]), answers, kid, toy.vocabulary)
