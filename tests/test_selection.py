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
    assert section_ids(plan) == ["at-a-glance", "cover", "if-something-happens", "child-1", "agreement", "help",
                                 "sources"]


def test_something_happened_opens_with_first_steps_then_the_glance_and_the_cover(toy):
    plan = build(toy, child(9, concerns=["worry-b"]), situation="something-happened")
    assert section_ids(plan)[:4] == ["first-steps", "at-a-glance", "cover", "if-something-happens"]
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


def test_a_control_for_a_worry_only_for_a_child_with_that_worry_and_app(toy):
    plan = build(toy, child(14, apps=["chat-app"], concerns=["worry-a"]), child(15, apps=["chat-app"]),
                 child(13, concerns=["worry-a"]))
    worried, other, no_app = (joined(plan.section(f"child-{n}")) for n in (1, 2, 3))
    assert "CHAT-BOT" in worried and "CHAT-ALL" in worried
    assert "ChatApp: Pairing" in other and "its own chatbot" not in other
    assert "its own chatbot" not in no_app


def test_a_control_for_a_worry_is_not_a_step_for_this_week_without_it(toy):
    plan = build(toy, child(14, apps=["chat-app"]))
    assert "Bot" not in joined(plan.section("at-a-glance"))


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


def help_names(plan) -> list[str]:
    """The organisations in "Where to get help": each with its card, the advice sites on one line."""
    blocks = plan.section("help").blocks
    return [b.name for b in blocks if isinstance(b, model.ContactCard)] + [
        card.name for b in blocks if isinstance(b, model.Route) for card in b.contacts]


def test_help_lists_only_organisations_not_already_given_and_age_fitting_ones(toy):
    assert help_names(build(toy, child(9))) == ["Advice site"]  # the emergency line is in its route
    worried = build(toy, child(9, concerns=["worry-a"]))
    assert help_names(worried) == ["Advice site"] and "Worry A line" in joined(worried.section("if-something-happens"))
    assert "Teen line" not in help_names(build(toy, child(9, concerns=["worry-b"])))
    assert "Teen line" in help_names(build(toy, child(14, concerns=["worry-b"])))


def contact_cards(plan) -> list[model.ContactCard]:
    """Every contact card but the glance page's (brief on purpose: a summary, not a mention)."""
    out = []
    for section in plan.sections:
        if section.kind is model.SectionKind.GLANCE:
            continue
        for block in model.walk(section.blocks):
            out += list(block.contacts) if isinstance(block, model.Route) else [block] * isinstance(block, model.ContactCard)
    return out


def test_each_organisations_full_details_once_then_its_number_only(toy):
    plan = build(toy, child(9, concerns=["worry-a", "worry-b"]))
    emergency = [card for card in contact_cards(plan) if card.name == "Emergency line"]
    assert [card.brief for card in emergency] == [False, True]  # ROUTE-DANGER in full, ROUTE-WORRY-A by number
    assert [way.shown for way in emergency[1].shown_ways()] == ["999"]
    full = [card.name for card in contact_cards(plan) if not card.brief]
    assert len(full) == len(set(full))
    glance = plan.section("at-a-glance")
    cards = [c for b in model.walk(glance.blocks) if isinstance(b, model.Route) for c in b.contacts]
    assert cards and all(card.brief for card in cards)


def test_each_dont_line_once_in_what_to_do(toy):
    plan = build(toy, child(9, concerns=["worry-a", "worry-b"]))
    routes = {r.situation: r.dont for r in plan.section("if-something-happens").blocks if isinstance(r, model.Route)}
    assert routes["ROUTE-WORRY-A"] == ("DONT-WORRY-A",) and routes["ROUTE-WORRY-B"] == ("DONT-WORRY-B",)


def test_warning_signs_for_several_children_once_for_the_family(toy):
    plan = build(toy, child(8, name="Ann"), child(9, name="Ben"), child(14, name="Cal"))
    family = joined(plan.section("if-something-happens"))
    assert family.count("SIGN-YOUNG") == 1 and "SIGNS-GENERAL-YOUNG (Ann and Ben)" in family
    assert all("SIGN-YOUNG" not in joined(plan.section(f"child-{i}")) for i in (1, 2, 3))
    alone = build(toy, child(8))  # one child: the signs stay in their own section
    assert "SIGN-YOUNG" in joined(alone.section("child-1"))
    assert "SIGN-YOUNG" not in joined(alone.section("if-something-happens"))


def test_a_second_child_gets_pointers_not_the_same_steps_again(toy):
    plan = build(toy, child(14, name="Ann", devices=["phone"], apps=["chat-app"]),
                 child(14, name="Ben", devices=["phone"], apps=["chat-app"]))
    first, second = plan.section("child-1"), plan.section("child-2")
    steps = [b for b in model.walk(second.blocks) if isinstance(b, model.ControlStep)]
    assert steps and all(step.brief and "SAME-AS Ann" in step.where for step in steps)
    assert not any(b.brief for b in model.walk(first.blocks) if isinstance(b, model.ControlStep))
    assert "CHAT-REPORT" in joined(first) and "CHAT-REPORT" not in joined(second) and "SAME-AS Ann" in joined(second)
    rest = "\n".join(joined(s) for s in plan.sections if s.kind is not model.SectionKind.GLANCE)
    assert rest.count("EVERYDAY-14-15-1") == 1  # same starters: once (the glance page names one to ask)
    assert joined(plan).count(toy.texts.controls_intro) == 1  # section introductions once and joined(plan).count(toy.texts.starters_intro) == 1


def test_milestone_sources_only_for_apps_the_family_has(toy):
    without = [r.url for r in build(toy, child(12)).sources]
    with_app = [r.url for r in build(toy, child(12, apps=["chat-app"])).sources]
    assert "https://example.org/ages" in without and "https://example.org/chat-terms" not in without
    assert "https://example.org/chat-terms" in with_app


def agreement_parts(plan) -> dict[str | None, tuple[str, ...]]:
    """Whose rules (a part's title; None: one list for everyone) -> the rules."""
    parts: dict[str | None, tuple[str, ...]] = {}
    for block in plan.section("agreement").blocks:
        if isinstance(block, model.Checklist):
            parts[None] = block.items
        elif isinstance(block, model.Subsection):
            parts[block.title] = tuple(i for b in block.blocks if isinstance(b, model.Checklist) for i in b.items)
    return parts


def test_agreement_worded_for_each_signers_age_group(toy):
    plan = build(toy, child(6, name="Ann"), child(17, name="Ben"), child(8, name="Cal"))
    parts = agreement_parts(plan)
    assert parts["AGREEMENT-EVERYONE"] == ("RULE-TELL",)
    assert parts["AGREEMENT-FOR Ann and Cal"] == ("RULE-SLEEP-YOUNG",)
    assert parts["AGREEMENT-FOR Ben"] == ("RULE-SLEEP-OLDER",)  # never the young wording for a 17-year-old
    signatures = [b for b in plan.section("agreement").blocks if isinstance(b, model.Signatures)]
    assert signatures[-1].names == ("Ann", "Ben", "Cal", "Parent or carer", "Parent or carer")
    same_age = agreement_parts(build(toy, child(6), child(8)))
    assert list(same_age) == [None] and "RULE-SLEEP-YOUNG" in same_age[None]


def test_agreement_rules_for_a_worry_go_to_the_child_with_it(toy):
    parts = agreement_parts(build(toy, child(9, name="Ann"), child(14, name="Ben", concerns=["worry-a"])))
    assert "RULE-WORRY-A" in parts["AGREEMENT-FOR Ben"]
    assert all("RULE-WORRY-A" not in rules for title, rules in parts.items() if title != "AGREEMENT-FOR Ben")


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


@pytest.mark.parametrize("region, cited, not_cited", [
    (None, {"fraud", "scotland"}, set()), ("england", {"fraud"}, {"scotland"}), ("scotland", {"scotland"}, {"fraud"}),
])
def test_a_plan_for_one_nation_cites_only_its_own_contacts_pages(toy, region, cited, not_cited):
    """A route that names each nation's contact cites their pages; a plan for one nation cites
    the pages of the contacts it shows, and a UK-wide plan, written for every nation, all of them."""
    plan = build(toy, child(9, concerns=["worry-b"]), **({"region": region} if region else {}))
    urls = {r.url for r in plan.sources}
    assert {f"https://example.org/{page}" for page in cited} <= urls
    assert not {f"https://example.org/{page}" for page in not_cited} & urls


def test_cover_names_children_and_dates(toy):
    plan = build(toy, child(9, name="Sam"), child(0), child(12))
    cover = joined(plan.section("cover"))
    assert "For Sam, your baby and your 12-year-old. Made on 22 November 2026." in cover
    assert plan.review_by == date(2027, 5, 22) and "22 May 2027" not in cover  # said once, on the glance page
    assert "GLANCE-REVIEW 22 May 2027" in joined(plan.section("at-a-glance"))
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


# ---- "Our plan at a glance" ---------------------------------------------------------------------

def glance_items(plan) -> list[tuple[str, ...]]:
    """Each child's things to do this week on the glance page."""
    return [b.items for b in model.walk(plan.section("at-a-glance").blocks) if isinstance(b, model.Checklist)]


def test_glance_picks_a_device_an_app_and_a_conversation_for_each_child(toy):
    plan = build(toy, child(9, name="Ann", devices=["phone"], apps=["chat-app"], concerns=["worry-a"]))
    [items] = glance_items(plan)
    assert items == ("GLANCE-DEVICE Lock / Ann's / Phone", "GLANCE-APP ChatApp / CHAT-ALL", "GLANCE-SAY WORRY-A-8-10-1")


def test_glance_setting_and_conversation_follow_age_and_worries(toy):
    [young, old] = glance_items(build(toy, child(10, apps=["chat-app"]), child(14, devices=["phone"])))
    assert young == ("GLANCE-APP ChatApp / CHAT-ALL", "GLANCE-SAY EVERYDAY-8-10-1")  # no worry: an everyday one
    assert old == ("GLANCE-DEVICE Lock / your 14-year-old's / Phone", "GLANCE-SAY EVERYDAY-14-15-1")


def test_glance_fills_three_from_the_next_worry_when_there_are_no_devices(toy):
    [items] = glance_items(build(toy, child(9, concerns=["worry-a", "worry-b"])))
    assert items == ("GLANCE-SAY WORRY-A-8-10-1", "GLANCE-SAY WORRY-B-8-10-1", "GLANCE-SAY EVERYDAY-8-10-1")


def test_glance_points_to_the_section_with_the_steps(toy):
    plan = build(toy, child(14, name="Ann", devices=["phone"]), child(15, name="Ben", devices=["phone"]))
    lists = [b for b in model.walk(plan.section("at-a-glance").blocks) if isinstance(b, model.Checklist)]
    assert lists[0].pointers() == (None, None)  # Ann's own section: the page says so once
    assert lists[1].pointers()[0] == model.Pointer("child-1", "GLANCE-SEE Ann")  # the phone's steps are in Ann's
    assert {lst.name for lst in lists} == {"week"}


def test_glance_keeps_the_four_numbers_and_one_line_per_worry(toy):
    plan = build(toy, child(9, concerns=["worry-a", "worry-b"]), region="england")
    glance = plan.section("at-a-glance")
    routes = [b for b in model.walk(glance.blocks) if isinstance(b, model.Route)]
    assert all(r.compact for r in routes) and all(c.brief for r in routes for c in r.contacts)
    assert [(r.situation, [c.name for c in r.contacts]) for r in routes] == [
        ("GLANCE-NUMBERS", ["Emergency line"]),  # the toy content's one `always` contact
        ("Worry A", ["Worry A line"]),  # the route's first contact not already among the numbers
        ("Worry B", ["Fraud line"]),
    ]
    assert "GLANCE-REVIEW 22 May 2027" in joined(glance)
    scotland = build(toy, child(9, concerns=["worry-b"]), region="scotland").section("at-a-glance")
    assert "Scotland line" in joined(scotland) and "Fraud line" not in joined(scotland)


def test_glance_numbers_come_from_the_contacts_not_the_code(toy):
    glance = build(toy, child(9)).section("at-a-glance")
    [numbers] = [b for b in glance.blocks if isinstance(b, model.Route)]
    assert [way.shown for card in numbers.contacts for way in card.shown_ways()] == ["999"]
