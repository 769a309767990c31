"""'Something has happened? Get help now': each choice shows, at once, what to do in the next
hour, what not to do and who to call, for the family's nation (or none chosen). The content is
read here as a safeguarding lead would read it."""
from __future__ import annotations

import re

import pytest

from plan.content import ALL_AGES, cross_check
from plan.rules import covers, crisis_steps
from plan.readability import LIMITS, PARENT, grade

REGIONS = [None, "england", "scotland", "wales", "northern-ireland", "hampshire", "staffordshire"]
NATIONS = {None: None, "england": "england", "scotland": "scotland", "wales": "wales",
           "northern-ireland": "northern-ireland", "hampshire": "england", "staffordshire": "england"}

# The public `what_happened` ids, in display order, and the worry each preselects.
SITUATIONS = {
    "sextortion": "sextortion",
    "image-shared": "nude-images",
    "ai-image": "ai-deepfakes",
    "adult-contact": "grooming",
    "police-contact": "harmful-sexual-behaviour",
    "bullying": "bullying",
    "self-harm": "self-harm",
    "scam": "scams",
    "worried-about-adult": "adult-behaviour",
    "not-sure": None,
}

# Who each situation must offer to call, in every region (a region adds its own below).
ROUTES = {
    "sextortion": {"police-999", "ceop", "police-101", "report-remove", "take-it-down",
                   "childline", "samaritans", "shout", "papyrus"},
    "image-shared": {"police-999", "report-remove", "take-it-down", "ceop", "iwf"},
    "ai-image": {"police-999", "police-101", "report-remove", "iwf", "report-harmful-content"},
    "adult-contact": {"police-999", "ceop", "nspcc", "childline"},
    "police-contact": {"police-999", "stop-it-now", "nspcc", "childline", "samaritans", "papyrus"},
    "bullying": {"police-999", "police-101", "report-harmful-content", "childline"},
    "self-harm": {"police-999", "papyrus", "childline", "shout", "samaritans"},
    "scam": set(),
    "worried-about-adult": {"police-999", "stop-it-now", "nspcc", "police-101", "ceop", "iwf"},
    "not-sure": {"police-999", "nspcc", "ceop", "police-101", "stop-it-now", "childline"},
}
REGION_ROUTES = {
    ("scam", None): {"report-fraud", "police-101"},
    ("scam", "england"): {"report-fraud"}, ("scam", "wales"): {"report-fraud"},
    ("scam", "northern-ireland"): {"report-fraud"}, ("scam", "hampshire"): {"report-fraud"},
    ("scam", "staffordshire"): {"report-fraud"}, ("scam", "scotland"): {"police-scotland"},
    ("bullying", "scotland"): {"respectme"},
    ("police-contact", "hampshire"): {"hampshire-youth-justice-service", "circles-south-east", "stopso",
                                      "safer-lives", "hampshire-childrens-services", "yellow-door",
                                      "frankie-worker-service", "acts-fast"},
    ("police-contact", "staffordshire"): {"stoke-childrens-advice-and-duty-service",
                                          "staffordshire-childrens-advice-and-support-service",
                                          "staffordshire-chathealth"},
}

# What the "do not" lines must say, by meaning: each entry is a pattern one don't line must match.
VIEW_IMAGE = r"never view.*forward.*screenshot"
DONTS = {
    "sextortion": [r"\bdo not pay\b", r"do not pay any more", r"do not delete", VIEW_IMAGE, r"do not blame"],
    "image-shared": [VIEW_IMAGE, r"do not ask your child to show", r"do not blame"],
    "ai-image": [VIEW_IMAGE, r"not even a fake", r"do not blame"],
    "adult-contact": [r"do not (contact|challenge|confront)", r"do not delete", VIEW_IMAGE],
    "police-contact": [r"do not question .*in detail", r"leading questions", r"do not delete, wipe or reset",
                       r"never view.*sexual image", r"do not shame"],
    "bullying": [r"do not reply or hit back", r"never screenshot.*nude"],
    "self-harm": [r"do not leave them alone"],
    "scam": [r"do not pay anything more"],
    "worried-about-adult": [r"do not confront", VIEW_IMAGE],
    "not-sure": [VIEW_IMAGE, r"do not contact or confront"],
}

# Words that belong to one nation's services or system.
NATION_WORDS = {
    "england": [r"\bsocial work\b", r"Health and Social Care Trust", r"Police Scotland", r"\bPSNI\b"],
    "wales": [r"\bsocial work\b", r"Health and Social Care Trust", r"Police Scotland", r"\bPSNI\b"],
    "scotland": [r"children's services", r"Health and Social Care Trust", r"Report Fraud", r"\bPSNI\b",
                 r"\bHwb\b", r"Hampshire", r"Staffordshire"],
    "northern-ireland": [r"children's services", r"\bsocial work\b", r"Police Scotland", r"\bHwb\b",
                         r"Hampshire", r"Staffordshire"],
}
NATION_WORDS["hampshire"] = NATION_WORDS["england"] + [r"Staffordshire", r"Stoke"]
NATION_WORDS["staffordshire"] = NATION_WORDS["england"] + [r"Hampshire", r"Isle of Wight"]

# The parent may have heard from the police, the school or another parent.
ASSUMES_DISCLOSURE = re.compile(
    r"thank (your|the) child|for telling you|telling you was|glad (they|you) told|(they|child) told you|"
    r"did the right thing", re.IGNORECASE)


def situation(content, situation_id):
    return next(s for s in content.situations if s.id == situation_id)


def items(content, situation_id, region, age=None):
    return crisis_steps(content.first_steps, situation(content, situation_id).concern, region, content.vocabulary, age)


def calls(content, situation_id, region, age=None) -> list[str]:
    """Who the screen offers to call: each item's `call`, less the services not for the region."""
    vocab = content.vocabulary
    return [cid for item in items(content, situation_id, region, age) for cid in item.call
            if covers(vocab, content.contact(cid).regions, region)]


def text(item) -> str:
    return "\n".join([item.title, *item.steps, *item.dont])


def main_item(content, situation_id, region):
    """The one item for the situation's nation (or no region); area items come beside it."""
    found = [i for i in items(content, situation_id, region)
             if i.regions is None or set(i.regions) & ({"uk"} | set(NATIONS.values()) - {None})]
    assert len(found) == 1, f"{situation_id} in {region}: {[i.id for i in found]}"
    return found[0]


def test_the_choices_in_order_with_their_worries(content):
    assert [(s.id, s.concern) for s in content.situations] == list(SITUATIONS.items())


LOCAL_POLICE = {"scotland": "police-scotland", "northern-ireland": "psni"}


def test_each_choice_is_short_and_plain(content):
    for s in content.situations:
        assert len(s.choice) <= 90, s.id
        assert (grade(s.choice) or 0) <= LIMITS[PARENT], s.id


@pytest.mark.parametrize("region", REGIONS)
@pytest.mark.parametrize("situation_id", list(SITUATIONS))
def test_each_choice_shows_its_routes_in_every_region(content, situation_id, region):
    main_item(content, situation_id, region)
    offered = calls(content, situation_id, region)
    needed = ROUTES[situation_id] | REGION_ROUTES.get((situation_id, region), set())
    if "police-101" in needed:  # 101 reaches each nation's own force
        nation = NATIONS.get(region, region)
        needed = needed - {"police-101"} | {LOCAL_POLICE.get(nation, "police-101")}
    assert needed <= set(offered), f"{situation_id} in {region}: missing {needed - set(offered)}"
    assert len(offered) == len(set(offered)), f"{situation_id} in {region}: a service twice"
    assert all(content.contact(cid).phone or content.contact(cid).sms_number or content.contact(cid).url
               for cid in offered)


@pytest.mark.parametrize("region", REGIONS)
@pytest.mark.parametrize("situation_id", list(SITUATIONS))
def test_each_choice_carries_its_do_nots(content, situation_id, region):
    donts = [line for item in items(content, situation_id, region) for line in item.dont]
    for pattern in DONTS[situation_id]:
        assert any(re.search(pattern, line, re.IGNORECASE) for line in donts), \
            f"{situation_id} in {region}: no don't line matching {pattern!r}"


@pytest.mark.parametrize("region", [r for r in REGIONS if r is not None])
@pytest.mark.parametrize("situation_id", list(SITUATIONS))
def test_no_other_nations_services_in_a_nations_variant(content, situation_id, region):
    shown = items(content, situation_id, region)
    for item in shown:
        for pattern in NATION_WORDS[region]:
            assert not re.search(pattern, text(item), re.IGNORECASE), f"{item.id} in {region}: {pattern}"
        if item.regions is not None:  # a nation's own variant names only services for it
            vocab = content.vocabulary
            assert all(covers(vocab, content.contact(cid).regions, region) for cid in item.call), item.id


@pytest.mark.parametrize("situation_id", list(SITUATIONS))
def test_no_region_says_each_nations_route_once(content, situation_id):
    item = main_item(content, situation_id, None)
    assert item.regions in (None, ["uk"]), item.id
    words = text(item)
    if situation_id == "scam":
        assert words.count("Report Fraud") == 1 and words.count("Police Scotland") == 1
        assert "England, Wales and Northern Ireland" in words
    if situation_id == "police-contact":
        assert all(words.count(w) == 1 for w in ("Children's services", "social work", "Health and Social Care Trust"))


def test_variants_by_nation_do_not_overlap(content):
    for s in content.situations:
        for region in REGIONS:
            main_item(content, s.id, region)  # exactly one


def test_sextortion_says_what_matters_in_the_first_hour(content):
    steps = items(content, "sextortion", None)[0].steps
    joined = " ".join(steps)
    assert any(re.search(r"before .*block", s, re.IGNORECASE) and "user name" in s and "profile link" in s
               for s in steps)
    assert re.search(r"stop replying", joined) and re.search(r"\bbank\b", joined)
    for name in ("CEOP", "Report Remove", "Take It Down", "Childline", "Shout", "Samaritans", "PAPYRUS"):
        assert name in joined, name
    assert re.search(r"other pupils.*school", joined)
    assert re.search(r"not their fault", " ".join(items(content, "sextortion", None)[0].dont))


@pytest.mark.parametrize("region, who", [
    (None, "Children's services"), ("england", "Children's services"), ("wales", "Children's services"),
    ("hampshire", "Children's services"), ("scotland", "Social work"),
    ("northern-ireland", "Health and Social Care Trust"),
])
def test_after_police_contact_the_family_knows_what_usually_happens(content, region, who):
    item = main_item(content, "police-contact", region)
    joined = " ".join(item.steps)
    assert who in joined and "may get in touch" in joined
    assert "officer" in joined and "reference number" in joined
    assert "PAPYRUS" in joined and "CEOP" in joined and "safe" in joined
    assert "999" in item.steps[0] and "hurt themselves" in item.steps[0]
    assert "Stop It Now!" in joined and "family members" in joined
    assert re.search(r"under 18 is against the law, and it harms", joined)
    # no promise about what the police will or will not do
    assert not re.search(r"(unlikely|will not|won't) (to )?(take|be) (formal )?(action|charged|arrested)", joined,
                         re.IGNORECASE)


def test_local_services_only_where_the_family_lives(content):
    assert "Hampshire" in " ".join(i.title for i in items(content, "police-contact", "hampshire"))
    for region in ("england", "staffordshire", "scotland", None):
        assert not {"hampshire-youth-justice-service", "circles-south-east"} & set(
            calls(content, "police-contact", region)), region
    for region in ("england", "hampshire", None):
        assert "staffordshire-chathealth" not in calls(content, "police-contact", region)


@pytest.mark.parametrize("situation_id", list(SITUATIONS))
def test_steps_are_short_numbered_lines_beginning_with_what_to_do(content, situation_id):
    for region in REGIONS:
        item = main_item(content, situation_id, region)
        assert 1 <= len(item.steps) <= 8, item.id
        assert all(len(step) <= 260 for step in item.steps), item.id
        assert re.search(r"999|\bbank\b", item.steps[0]), f"{item.id}: the first step is not an action for safety"
        assert item.ages == ALL_AGES  # shown before any age is known


def test_ages_refine_only_when_given(content):
    assert [i.id for i in items(content, "police-contact", "england")] == ["first-steps-harmful-sexual-behaviour-england-wales"]
    assert "first-steps-harmful-sexual-behaviour-young" in [i.id for i in items(content, "police-contact", "england", age=6)]
    assert "first-steps-harmful-sexual-behaviour-young" not in [i.id for i in items(content, "police-contact", "england", age=15)]
    assert "first-steps-bullying-under-13" in [i.id for i in items(content, "bullying", None, age=11)]
    assert "first-steps-bullying-under-13" not in [i.id for i in items(content, "bullying", None)]
    assert "first-steps-bullying-under-13" not in [i.id for i in items(content, "bullying", None, age=13)]


def test_not_sure_does_not_repeat_the_others_and_gives_every_route_in_short(content):
    general = [i for i in content.first_steps if i.concerns is None]
    assert len(general) == 1 and len(general[0].steps) <= 7
    assert "stop-it-now" in general[0].call and "0808 1000 900" == content.contact("stop-it-now").phone


def test_no_wording_assumes_the_child_told_or_blames_a_victim(content):
    for item in content.first_steps:
        for line in (item.title, *item.steps, *item.dont):
            assert not ASSUMES_DISCLOSURE.search(line), f"{item.id}: {line}"
            assert "made a mistake" not in line.lower(), f"{item.id}: {line}"


def test_no_step_tells_anyone_to_keep_or_pass_on_an_image(content):
    keep = re.compile(r"\b(screenshot|save|copy|forward|send|show)\b[^.]*\b(image|photo|picture|video)", re.IGNORECASE)
    negated = re.compile(r"\b(do not|never|not|without)\b", re.IGNORECASE)
    for item in content.first_steps:
        for step in item.steps:
            for sentence in re.split(r"(?<=[.?!])\s+", step):
                assert negated.search(sentence) or not keep.search(sentence), f"{item.id}: {sentence}"


def test_numbers_in_steps_are_written_as_contacts_writes_them(content):
    written = {n for c in content.contacts for n in (c.phone, c.sms_number) if n}
    number = re.compile(r"(?<![\w-])\d{3,}(?: \d+)*")
    for item in content.first_steps:
        for line in (*item.steps, *item.dont):
            for found in number.findall(line):
                assert found in written, f"{item.id}: {found}"


def test_call_ids_and_concerns_are_checked(toy):
    worry = toy.situations[0]
    bad_concern = toy.model_copy(update={"situations": [worry.model_copy(update={"concern": "no-such-worry"})]})
    assert any("concern: 'no-such-worry' is not a known concern" in p for p in cross_check(bad_concern))
    steps = toy.first_steps[1]
    bad_call = toy.model_copy(update={"first_steps": [toy.first_steps[0], steps.model_copy(update={"call": ["nobody"]})]})
    assert any("call: 'nobody' is not in contacts.yaml" in p for p in cross_check(bad_call))


def test_each_situation_needs_first_steps_in_every_nation(toy):
    only_england = toy.first_steps[1].model_copy(update={"regions": ["england"]})
    content = toy.model_copy(update={"first_steps": [toy.first_steps[0], only_england]})
    problems = cross_check(content)
    assert any("'worry-b-happened'" in p and "with no region" in p for p in problems)
    assert any("'worry-b-happened'" in p and "in scotland" in p for p in problems)
    assert not any("in england" in p for p in problems)
    assert cross_check(toy) == []
