"""The real content: complete and sourced. Its numbers and web addresses are checked against
the fact register in tests/test_facts.py."""
from __future__ import annotations

import re
from datetime import date

import pytest

from plan.ages import BAND_IDS
from plan import build_plan, parse_answers
from plan.check import coverage_gaps

from plan import model
from testkit.plans import TEEN_WORDS, joined, texts

from .conftest import TODAY

# The public answers vocabulary (README "Answers file"): every id must exist and have content.
VOCABULARY = {
    "devices": "iphone ipad android-phone android-tablet fire-tablet windows-pc mac chromebook xbox playstation nintendo-switch vr-headset",
    "home": "broadband smart-tv smart-speaker",
    "apps": "youtube youtube-kids tiktok snapchat instagram whatsapp discord roblox minecraft fortnite twitch netflix gemini yubo chatgpt character-ai telegram x reddit pinterest bereal",
    "concerns": "grooming nude-images sextortion pornography harmful-sexual-behaviour adult-behaviour bullying self-harm extremism scams screen-time privacy ai-deepfakes livestreaming ai-chatbots gambling body-image misogyny violent-content location-sharing criminal-exploitation",
}

def all_strings(value) -> list[str]:
    """Every string inside a content item (wording, numbers, URLs)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in all_strings(v)]
    if isinstance(value, (list, tuple)):
        return [s for v in value for s in all_strings(v)]
    return []


def test_the_public_vocabulary_is_all_there(content):
    for kind, ids in VOCABULARY.items():
        assert set(ids.split()) <= set(content.vocabulary.ids(kind)), kind


def test_every_concern_has_a_plain_explanation(content):
    assert all(term.explanation for term in content.vocabulary.concerns)


def test_no_coverage_gaps(content):
    assert coverage_gaps(content) == []


def test_every_item_has_sources_and_a_past_check_date(content):
    for name, item in content.all_items():
        assert item.sources, f"{name}: {item.id}"
        assert item.last_checked <= date.today(), f"{name}: {item.id} is checked in the future"


@pytest.mark.parametrize("contact_id, phone", [
    ("police-999", "999"), ("childline", "0800 1111"), ("nspcc", "0808 800 5000"),
    ("stop-it-now", "0808 1000 900"), ("samaritans", "116 123"), ("papyrus", "0800 068 4141"),
    ("act-early", "0800 011 3764"), ("victim-support", "0808 168 9111"), ("report-fraud", "0300 123 2040"),
])
def test_key_helplines(content, contact_id, phone):
    assert content.contact(contact_id).phone == phone


def test_key_web_addresses(content):
    assert content.contact("ceop").url == "https://www.ceop.police.uk/Safety-Centre"
    assert content.contact("report-remove").url == (
        "https://www.childline.org.uk/info-advice/bullying-abuse-safety/online-mobile-safety/report-remove/")
    assert (content.contact("shout").sms_number, content.contact("shout").sms_text) == ("85258", "SHOUT")


@pytest.mark.parametrize("app, minimum", [
    ("whatsapp", 13), ("instagram", 13), ("tiktok", 13), ("snapchat", 13), ("youtube", 13),
    ("discord", 13), ("twitch", 13), ("roblox", None), ("gemini", 13), ("yubo", 13),
    ("chatgpt", None), ("character-ai", None), ("telegram", 16), ("x", 13), ("reddit", 13),
    ("pinterest", 13), ("bereal", 13), ("facebook", 13), ("messenger", None), ("steam", None),
    ("call-of-duty", None), ("ea-sports-fc", None),
])
def test_minimum_ages(content, app, minimum):
    assert content.app_facts(app).minimum_age == minimum


# An age limit these apps have, which their own pages as read did not confirm: the plan sends the
# parent to the app's terms and states no age, neither a number nor "no single minimum age".
UNCONFIRMED_AGES = {"chatgpt", "character-ai", "messenger", "steam"}


def test_an_unconfirmed_minimum_age_is_never_stated(content):
    assert {a.id for a in content.apps if a.minimum_age_unconfirmed} == UNCONFIRMED_AGES
    for app_id in sorted(UNCONFIRMED_AGES):
        label = content.vocabulary.label("apps", app_id)
        plan = build_plan(parse_answers({"children": [{"age": 11, "apps": [app_id]}]}), today=TODAY, content=content)
        text = joined(plan.section("child-1"))
        assert f"{label}: read its own terms for the minimum age" in text, app_id
        assert f"{label}: the minimum age is" not in text and f"{label}: there is no single" not in text, app_id


def test_unverified_services_stay_out(content):
    everything = " ".join(s for _, item in content.all_items() for s in all_strings(item.model_dump(mode="json")))
    for name in ("Revenge Porn Helpline", "StopNCII", "Shore", "MMGuardian", "Messenger Kids", "Kidscape"):
        assert name not in everything


def test_every_plan_has_the_four_always_routes(content):
    plan = build_plan(parse_answers({"children": [{"age": 6}]}), today=TODAY, content=content)
    text = joined(plan.section("if-something-happens"))
    for needed in ("999", "CEOP", "Childline", "NSPCC"):
        assert needed in text, needed
    cards = [c for b in plan.section("if-something-happens").blocks for c in getattr(b, "contacts", ())]
    assert {"999", "0800 1111", "0808 800 5000"} <= {c.phone for c in cards}


@pytest.mark.parametrize("concern, contacts", [
    ("nude-images", {"report-remove"}), ("sextortion", {"report-remove", "ceop"}),
    ("adult-behaviour", {"stop-it-now"}), ("harmful-sexual-behaviour", {"stop-it-now"}),
    ("scams", {"report-fraud"}), ("self-harm", {"samaritans", "shout", "papyrus"}),
    ("extremism", {"act-early"}),
])
def test_concerns_bring_their_own_routes(content, concern, contacts):
    plan = build_plan(parse_answers({"children": [{"age": 14, "concerns": [concern]}]}), today=TODAY, content=content)
    names = {c.name for b in plan.section("if-something-happens").blocks for c in getattr(b, "contacts", ())}
    assert {content.contact(cid).name for cid in contacts} <= names


@pytest.mark.parametrize("band", ["0-4", "5-7"])
def test_starters_for_young_children_carry_no_teenage_words(content, band):
    for item in content.starters:
        if item.band == band:
            for line in item.starters:
                assert not TEEN_WORDS.search(line), f"{item.id}: {line}"


def test_signs_and_settings_for_young_children_carry_no_teenage_words(content):
    for item in content.warning_signs:
        if item.ages.to <= 7:
            for line in (*item.signs, item.title, item.what_to_do or ""):
                assert not TEEN_WORDS.search(line), f"{item.id}: {line}"
    for control in content.controls:
        for setting in control.settings:
            if setting.ages.to <= 7:
                assert not TEEN_WORDS.search(setting.do), f"{control.id}: {setting.do}"


def test_a_six_year_old_with_every_device_and_app_meets_no_teenage_risks_nobody_asked_about(content):
    vocab = content.vocabulary
    answers = parse_answers({"children": [{
        "age": 6, "devices": list(vocab.ids("devices")), "apps": list(vocab.ids("apps")),
    }]}, vocab)
    section = build_plan(answers, today=TODAY, content=content).section("child-1")
    # The app notes state each app's own rules, some of which are about teenagers (e.g.
    # TikTok's message limit): a parent needs those. Everything else must fit a six-year-old.
    apps = next(b for b in section.blocks if getattr(b, "title", "") == content.texts.apps_title)
    offending = [t for t in texts(section) if TEEN_WORDS.search(t) and t not in set(texts(apps))]
    assert offending == []


@pytest.mark.parametrize("ages", [[6], [3, 7]])
def test_a_plan_for_children_under_eight_words_its_general_help_without_sexual_harm(content, ages):
    """Routes and "Always" say what to do in words for a young child's parent. An
    organisation's own note (CEOP's: "online sexual abuse or grooming") says what it is for."""
    plan = build_plan(parse_answers({"children": [{"age": a} for a in ages]}), today=TODAY, content=content)
    section = plan.section("if-something-happens")
    general = [t for b in section.blocks for t in (
        [b.situation, *b.dont] if isinstance(b, model.Route) else texts(b))]
    assert [t for t in general if TEEN_WORDS.search(t)] == []
    assert "CEOP" in joined(section)


def test_a_family_with_a_child_of_eight_gets_the_plain_words_once(content):
    plan = build_plan(parse_answers({"children": [{"age": 6}, {"age": 8}]}), today=TODAY, content=content)
    situations = [b.situation for b in plan.section("if-something-happens").blocks if isinstance(b, model.Route)]
    assert sum("about sex" in s for s in situations) == 1
    assert not any("keep a secret" in s for s in situations)
    assert "nude or sexual image" in joined(plan.section("if-something-happens"))


def test_every_band_id_is_used_by_starters(content):
    assert {s.band for s in content.starters} == set(BAND_IDS)


def plan_for(content, region, concerns=(), age=14):
    answers = parse_answers({"region": region, "children": [{"age": age, "concerns": list(concerns)}]}) if region \
        else parse_answers({"children": [{"age": age, "concerns": list(concerns)}]})
    return build_plan(answers, today=TODAY, content=content)


@pytest.mark.parametrize("region, law", [
    (None, "Civic Government (Scotland) Act 1982"), ("england", "Protection of Children Act 1978"),
    ("wales", "Protection of Children Act 1978"), ("hampshire", "Sexual Offences Act 2003"),
    ("scotland", "Civic Government (Scotland) Act 1982"), ("northern-ireland", "Protection of Children (Northern Ireland) Order 1978"),
])
def test_each_nation_gets_its_own_law(content, region, law):
    text = joined(plan_for(content, region).section("if-something-happens"))
    assert law in text
    if region == "scotland":
        assert "Protection of Children Act 1978" not in text and "Outcome 21" not in text


_BLOCKING = re.compile(r"\bblock(?:s|ing|ed)? (?:them|the|it|someone|anyone|a user)\b|\band block\b|\bblock and report\b"
                       r"|\bblock in\b", re.IGNORECASE)
_HOW_TO = re.compile(r"\bhow to (?:block|do that)\b", re.IGNORECASE)
_EVIDENCE = re.compile(r"user names?|\bsave|\bkeep (?:the )?(?:messages|evidence)|\bevidence\b|noted the details"
                       r"|write down|\bnote\b", re.IGNORECASE)


def _blocking_before_evidence(lines: list[str]) -> list[str]:
    """The lines that tell someone to block when neither they nor a line before them in the item
    say to keep the evidence (a line that only asks whether they know how to block is a skill,
    not a step)."""
    found, said = [], False
    for line in lines:
        said = said or bool(_EVIDENCE.search(line))
        if _BLOCKING.search(line) and not _HOW_TO.search(line) and not said:
            found.append(line)
    return found


def test_every_step_to_block_comes_after_keeping_the_evidence(content):
    """Blocking can hide the chat: wherever the content tells a family or a child to block, the
    same item has already said to keep the messages or note the user name (the content review)."""
    items = ([(r.id, [r.situation, *r.dont]) for r in content.routes]
             + [(f.id, [*f.steps, *f.dont]) for f in content.first_steps]
             + [(s.id, list(s.starters)) for s in content.starters]
             + [(w.id, [*w.signs, w.what_to_do or ""]) for w in content.warning_signs]
             + [(a.id, [a.text]) for a in content.agreement])
    late = {item: lines for item, text in items if (lines := _blocking_before_evidence(text))}
    assert not late


def test_the_law_notes_never_say_what_the_police_will_do(content):
    """Only the family's own force can say that (the content review): a law note says what the
    law is and what makes it more serious, and sends the parent to ask the police."""
    for note in content.law:
        text = " ".join(note.text.split())
        assert not re.search(r"police (?:will|won't|may|can|should|must)\b|treated as criminals|no formal action"
                             r"|no further action", text, re.IGNORECASE), note.id


def test_no_law_on_images_for_a_family_of_young_children(content):
    assert "Protection of Children Act" not in joined(plan_for(content, "england", age=6))


@pytest.mark.parametrize("region, fraud", [
    (None, "Report Fraud"), ("england", "Report Fraud"), ("wales", "Report Fraud"),
    ("northern-ireland", "Report Fraud"), ("scotland", "Police Scotland"),
])
def test_fraud_is_reported_to_the_right_place(content, region, fraud):
    plan = plan_for(content, region, concerns=["scams"])
    names = {c.name for b in plan.section("if-something-happens").blocks for c in getattr(b, "contacts", ())}
    assert fraud in names
    if region == "scotland":
        assert "Report Fraud" not in names


@pytest.mark.parametrize("region, local, where", [
    ("scotland", "Police Scotland", "if-something-happens"), ("scotland", "Parent Club", "help"),
    ("wales", "Hwb", "help"), ("northern-ireland", "PSNI", "if-something-happens"),
    ("hampshire", "Yellow Door", "near-you"), ("staffordshire", "ChAD", "near-you"),
])
def test_help_near_you_for_each_nation_and_area(content, region, local, where):
    """A nation's or area's own services are in its plans, once: its police under "If something
    happens", its advice site beside the UK-wide ones, its other services under "Help near you"."""
    plan = plan_for(content, region)
    assert [s.id for s in plan.sections if local in joined(s)] == [where]


def test_areas_do_not_leak_into_other_places(content):
    for region in (None, "england", "scotland", "staffordshire"):
        assert "Yellow Door" not in joined(plan_for(content, region, concerns=["grooming"]))
    assert "ChAD" not in joined(plan_for(content, "hampshire"))


def test_every_agreement_topic_has_a_wording_for_every_age(content):
    """The builder words each rule for each child who signs: a topic whose wordings
    leave an age uncovered would silently drop out of that family's agreement."""
    topics: dict[str, list[int]] = {}
    for rule in content.agreement:
        topics.setdefault(rule.topic, []).extend(range(rule.ages.from_, rule.ages.to + 1))
    assert len(topics) >= 12
    for topic, ages in topics.items():
        assert sorted(ages) == list(range(0, 18)), topic


def test_agreement_rules_for_young_children_carry_no_teenage_words(content):
    for rule in content.agreement:
        if rule.ages.from_ < 8:
            assert not TEEN_WORDS.search(rule.text), f"{rule.id}: {rule.text}"


def test_no_teenager_signs_a_rule_for_young_children(content):
    """Each child signs rules worded for their own age: a wording a 13 to 17-year-old may get
    never has them "tell a grown-up" or play only with people they know in real life."""
    for rule in content.agreement:
        if rule.ages.to >= 13:
            assert "tell a grown-up" not in rule.text and "in real life" not in rule.text, rule.id


def test_a_seventeen_year_old_and_a_six_year_old_each_sign_their_own_wording(content):
    answers = parse_answers({"children": [
        {"name": "Ana", "age": 17, "concerns": ["grooming"]}, {"name": "Bo", "age": 6, "concerns": ["grooming"]}]})
    plan = build_plan(answers, today=TODAY, content=content)
    parts = {block.title: joined(block) for block in plan.section("agreement").blocks if hasattr(block, "title")}
    assert "tell a grown-up" not in parts["For Ana"] and "in real life" not in parts["For Ana"]
    assert "in real life" in parts["For Bo"]


def test_every_worry_is_in_one_group_the_wizard_lists(content):
    from plan.rules import CONCERN_GROUPS, concern_group

    groups = {concern_group(term) for term in content.vocabulary.concerns}
    assert groups == set(CONCERN_GROUPS)


@pytest.mark.parametrize("age", range(8))
def test_worries_listed_first_for_young_children_carry_no_teenage_words(content, age):
    """A parent of a young child meets sexual, self-harm and gambling worries one tap away, not first.
    (Grooming is listed first from 5: it is named as such, and it is not sexual wording.)"""
    from plan.rules import listed_first

    first = [term for term in content.vocabulary.concerns if listed_first(term, age)]
    words = [f"{term.label} {term.explanation}".replace("(grooming)", "") for term in first]
    assert [w for w in words if TEEN_WORDS.search(w)] == []
    assert {t.id for t in first} >= {"screen-time"}


def test_only_worries_have_ages_in_the_vocabulary(content):
    from plan.content import cross_check

    vocab = content.vocabulary.model_copy(update={"devices": [
        content.vocabulary.devices[0].model_copy(update={"ages": content.vocabulary.concerns[1].ages}),
        *content.vocabulary.devices[1:]]})
    problems = cross_check(content.model_copy(update={"vocabulary": vocab}))
    assert "content/vocabulary.yaml: devices: 'iphone': only concerns may have ages" in problems


def _sign_words(sign: str) -> frozenset[str]:
    small = {"or", "and", "a", "the", "to", "of", "after", "their", "they", "than", "usual", "not", "time", "online",
             "very", "all", "being", "in", "is", "on"}
    return frozenset(w.strip(",.").lower() for w in sign.split()) - small


def test_a_worrys_signs_do_not_repeat_the_everyday_signs_shown_beside_them(content):
    """The everyday signs (no worry) are in every plan for their ages, so a worry's own list
    holds only what is particular to it: no sign an everyday list shown at all its ages already
    gives, word for word or nearly (most of its words the same)."""
    everyday = [w for w in content.warning_signs if not w.concerns]
    for item in (w for w in content.warning_signs if w.concerns):
        # the everyday lists shown at every age the worry's list is (so leaving a sign out loses nothing)
        beside = [s for w in everyday if w.ages.from_ <= item.ages.from_ and item.ages.to <= w.ages.to for s in w.signs]
        for sign in item.signs:
            for general in beside:
                shared = _sign_words(sign) & _sign_words(general)
                assert len(shared) < 0.6 * min(len(_sign_words(sign)), len(_sign_words(general))), (item.id, sign, general)


def test_every_child_from_five_gets_the_everyday_signs(content):
    general = next(w for w in content.warning_signs if w.id == "signs-general")
    for age in (5, 9, 13, 17):
        plan = build_plan(parse_answers({"children": [{"age": age, "concerns": ["bullying", "grooming"]}]},
                                        content.vocabulary), today=TODAY, content=content)
        assert all(sign in joined(plan) for sign in general.signs), age
