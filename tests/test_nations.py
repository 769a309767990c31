"""Every sentence fits the family's nation and area: a plan for each region (and for none), with
every worry, names only services that serve the family, states only its own nation's law and
carries no other nation's "In Scotland..." aside; and each nation's own routes are there.

First steps are left out for now: content/first_steps.yaml is being rewritten for each nation.
FIRST_STEPS_CHECKED turns them on.
"""
from __future__ import annotations

import re
from datetime import date

import pytest

from plan import build_plan, model, parse_answers
from plan.facts import region_mentions
from plan.rules import covers
from plan.wording import short_name

from testkit.plans import joined

TODAY = date(2026, 11, 22)
FIRST_STEPS_CHECKED = True

GREAT_BRITAIN_EXCEPT_SCOTLAND = ("england", "wales", "hampshire", "staffordshire")

# Wording that belongs to one nation only.
ENGLAND_WALES = [r"\bIn England and Wales\b", r"Protection of Children Act 1978", r"Outcome 21",
                 r"Sexual Offences Act 2003", r"children's services", r"free to call in England and Wales"]
SCOTLAND = [r"\bIn Scotland\b", r"Civic Government \(Scotland\)", r"Sexual Offences \(Scotland\)",
            r"Police Scotland", r"\bsocial work\b", r"Victim Support Scotland"]
NORTHERN_IRELAND = [r"\bIn Northern Ireland\b", r"\(Northern Ireland\) Order", r"\bPSNI\b",
                    r"Health and Social Care Trust", r"Victim Support NI"]

FOREIGN = {
    None: [],
    **{region: SCOTLAND + NORTHERN_IRELAND for region in GREAT_BRITAIN_EXCEPT_SCOTLAND},
    "scotland": ENGLAND_WALES + NORTHERN_IRELAND + [r"Report Fraud"],
    "northern-ireland": ENGLAND_WALES + SCOTLAND,
}

ENGLAND_WALES_OWN = ["Report Fraud", "Victim Support", "For families in England and Wales", "children's services",
                     "Protection of Children Act 1978", "Sexual Offences Act 2003", "Police (non-emergency)"]
OWN = {
    None: ["Report Fraud", "Police Scotland on 101", "Victim Support Scotland", "Victim Support NI",
           "social work in Scotland", "Health and Social Care Trust", "Civic Government (Scotland) Act 1982",
           "Protection of Children (Northern Ireland) Order 1978"],
    "england": ENGLAND_WALES_OWN,
    "wales": ENGLAND_WALES_OWN + ["Hwb"],
    "hampshire": ENGLAND_WALES_OWN + ["investigating officers", "Southampton City Council", "Portsmouth",
                                      "Isle of Wight Council"],
    "staffordshire": ENGLAND_WALES_OWN + ["ChAD", "ChatHealth"],
    "scotland": ["Police Scotland", "Victim Support Scotland", "social work", "Civic Government (Scotland) Act 1982",
                 "Sexual Offences (Scotland) Act 2009", "respectme", "Parent Club"],
    "northern-ireland": ["PSNI", "Victim Support NI", "Report Fraud", "Health and Social Care Trust",
                         "Protection of Children (Northern Ireland) Order 1978", "Article 22A"],
}


def every_worry_plan(content, region):
    vocab = content.vocabulary
    child = {"devices": list(vocab.ids("devices")), "apps": list(vocab.ids("apps")),
             "concerns": list(vocab.ids("concerns"))}
    data = {"situation": "something-happened", "home": list(vocab.ids("home")),
            "children": [{"age": 14, **child}, {"age": 9, **child}]}
    if region:
        data["region"] = region
    return build_plan(parse_answers(data, vocab), today=TODAY, content=content)


def checked_sections(plan):
    return [s for s in plan.sections if FIRST_STEPS_CHECKED or s.id != "first-steps"]


def plan_text(plan) -> str:
    return "\n".join(joined(s) for s in checked_sections(plan))


def cards(plan) -> list[model.ContactCard]:
    def walk(node):
        if isinstance(node, model.ContactCard):
            yield node
        for child in getattr(node, "blocks", ()) or ():
            yield from walk(child)
        for child in getattr(node, "contacts", ()) or ():
            yield from walk(child)
    return [card for section in checked_sections(plan) for card in walk(section)]


REGIONS = [None, "england", "scotland", "wales", "northern-ireland", "hampshire", "staffordshire"]


@pytest.mark.parametrize("region", REGIONS)
def test_every_service_in_the_plan_serves_the_family(content, region):
    by_name = {name: contact for contact in content.contacts  # the glance page names them short
               for name in (contact.name, short_name(contact.name))}
    for card in cards(every_worry_plan(content, region)):
        contact = by_name[card.name]
        assert covers(content.vocabulary, contact.regions, region), f"{region}: {contact.id}"


@pytest.mark.parametrize("region", REGIONS)
def test_no_other_nations_law_service_or_aside(content, region):
    text = plan_text(every_worry_plan(content, region))
    found = [pattern for pattern in FOREIGN[region] if re.search(pattern, text)]
    assert found == [], region


@pytest.mark.parametrize("region", REGIONS)
def test_each_nations_own_routes_are_there(content, region):
    text = plan_text(every_worry_plan(content, region))
    missing = [words for words in OWN[region] if words not in text]
    assert missing == [], region


def test_no_item_names_a_service_outside_its_regions(content):
    skip = () if FIRST_STEPS_CHECKED else ("first_steps",)
    assert region_mentions(content, skip_files=skip) == []
