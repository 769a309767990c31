"""Where the family lives: the right law, routes and local help for each nation and area,
on toy content (law notes LAW-UK / LAW-ENGLAND / LAW-SCOTLAND; a fraud line for the UK-wide
plan and England only; a Scotland line; a service for Toy Shire, an area in England)."""
from __future__ import annotations

from plan.content import default_content

import pytest

from plan import model
from plan import build_plan, parse_answers
from plan.site import load_site

from .conftest import FIXTURES, TODAY, child
from testkit.plans import build, joined, section_ids


def route_names(plan) -> list[str]:
    return [c.name for b in plan.section("if-something-happens").blocks if isinstance(b, model.Route) for c in b.contacts]


@pytest.mark.parametrize("region, law", [
    (None, "LAW-UK"), ("england", "LAW-ENGLAND"), ("shire", "LAW-ENGLAND"), ("scotland", "LAW-SCOTLAND"),
])
def test_the_law_of_the_familys_nation(toy, region, law):
    plan = build(toy, child(9), **({"region": region} if region else {}))
    text = joined(plan.section("if-something-happens"))
    assert law in text
    assert [m for m in ("LAW-UK", "LAW-ENGLAND", "LAW-SCOTLAND") if m in text] == [law]


@pytest.mark.parametrize("region, expected, absent", [
    (None, "Fraud line", "Scotland line"), ("england", "Fraud line", "Scotland line"),
    ("shire", "Fraud line", "Scotland line"), ("scotland", "Scotland line", "Fraud line"),
])
def test_route_contacts_follow_the_region(toy, region, expected, absent):
    plan = build(toy, child(9, concerns=["worry-b"]), **({"region": region} if region else {}))
    assert expected in route_names(plan) and absent not in route_names(plan)


@pytest.mark.parametrize("region, local", [(None, None), ("england", None), ("shire", "Shire service"), ("scotland", "Scotland line")])
def test_help_near_you_for_an_area_or_nation(toy, region, local):
    plan = build(toy, child(9), **({"region": region} if region else {}))
    if local is None:
        assert "near-you" not in section_ids(plan)
    else:
        assert local in joined(plan.section("near-you"))
        assert local not in joined(plan.section("help"))  # listed once, where it belongs


def test_local_services_are_not_in_uk_wide_help(toy):
    plan = build(toy, child(9))
    assert "Shire service" not in joined(plan) and "Scotland line" not in joined(plan)


def test_a_hosts_school_and_local_services(toy):
    site = load_site(FIXTURES / "site", default_content())  # checked against the real regions it names
    answers = parse_answers({"children": [child(9)]}, toy.vocabulary)
    plan = build_plan(answers, today=TODAY, content=toy, site=site, school=site.school("riverside-academy"))
    assert section_ids(plan)[:4] == ["at-a-glance", "cover", "if-something-happens", "your-school"]
    school = joined(plan.section("your-school"))
    assert "Riverside Academy" in school and "Child Protection Coordinator" in school
    cover = joined(plan.section("cover"))
    assert "Riverside Academy shared this plan with you." in cover
    assert "This service is provided by Toyshire Safeguarding Partnership." in cover
    assert "Toyshire Family Hub" in joined(plan.section("near-you"))
    assert plan.branding.host == "Toyshire Safeguarding Partnership" and plan.branding.colour == "#5a2d82"
    assert plan.branding.logo.startswith(b"\x89PNG")
