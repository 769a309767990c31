"""The agreement and the calendar reminders, chosen by the builder (toy content: rules
RULE-SLEEP-YOUNG / RULE-SLEEP-OLDER on one topic, RULE-TELL, RULE-WORRY-A for worry-a;
milestones at 13 and 16)."""
from __future__ import annotations

from datetime import date

import pytest

from plan import model

from .conftest import TODAY, child
from testkit.plans import build


def agreement(plan) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Every rule (in every part of the agreement) and every signature line."""
    blocks = list(model.walk(plan.section("agreement").blocks))
    rules = tuple(item for b in blocks if isinstance(b, model.Checklist) for item in b.items)
    signers = tuple(name for b in blocks if isinstance(b, model.Signatures) for name in b.names)
    return rules, signers


@pytest.mark.parametrize("ages, wordings", [((6, 14), {"RULE-SLEEP-YOUNG", "RULE-SLEEP-OLDER"}),
                                            ((11, 14), {"RULE-SLEEP-OLDER"}), ((3, 12), {"RULE-SLEEP-OLDER"})])
def test_rules_are_worded_for_each_child_who_signs(toy, ages, wordings):
    rules, _ = agreement(build(toy, *(child(a) for a in ages)))
    assert {r for r in rules if r.startswith("RULE-SLEEP")} == wordings
    assert len(rules) == len(set(rules))  # each wording once


def test_concern_rules_only_for_chosen_concerns(toy):
    assert "RULE-WORRY-A" not in agreement(build(toy, child(9)))[0]
    assert "RULE-WORRY-A" in agreement(build(toy, child(9), child(12, concerns=["worry-a"])))[0]


def test_family_can_leave_rules_out_and_add_their_own(toy):
    plan = build(toy, child(9), agreement={"leave_out": ["devices-sleep"], "own": ["<b>No phones</b> at tea"]})
    rules, _ = agreement(plan)
    assert rules == ("RULE-TELL", "<b>No phones</b> at tea")


def test_children_of_five_and_over_sign_with_two_adults(toy):
    _, signers = agreement(build(toy, child(9, name="Sam"), child(3), child(5)))
    assert signers == ("Sam", "Child 3", "Parent or carer", "Parent or carer")


def events(plan) -> list[tuple[date, str, bool]]:
    return [(e.day, e.title, e.approximate) for e in plan.events]


def test_review_reminder_six_months_on(toy):
    assert events(build(toy, child(5)))[0][:2] == (date(2027, 5, 22), "Look at our family online-safety plan again")


def test_milestones_within_two_years_placed_by_birth_month(toy):
    got = events(build(toy, child(12, name="Sam", birth_month=3), child(15, birth_month=12)))
    assert (date(2027, 3, 1), "Sam: age 13: MILESTONE-13", False) in got
    assert (date(2026, 12, 1), "Child 2: age 16: MILESTONE-16", False) in got  # next month
    assert not [e for e in got if "Sam: age 16" in e[1]]  # 2030: beyond two years


def test_without_a_birth_month_milestones_are_approximate(toy):
    got = events(build(toy, child(11)))
    assert (date(2028, 11, 22), "Your child: around age 13: MILESTONE-13", True) in got


def test_birth_month_this_month_means_next_year(toy):
    assert (date(2027, 11, 1), "Your child: age 13: MILESTONE-13", False) in events(build(toy, child(12, birth_month=TODAY.month)))


def test_milestones_used_are_listed_in_sources(toy):
    urls = [ref.url for ref in build(toy, child(12, birth_month=3)).sources]
    assert "https://example.org/ages" in urls
    assert "https://example.org/ages" not in [ref.url for ref in build(toy, child(5)).sources]
