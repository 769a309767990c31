"""A plan says each thing once and briefly, on the product's real content: a control's feature
when its name does not already say it, a few everyday conversation starters beside a worry's
own, every organisation in "Where to get help" in one short entry, the advice sites together."""
from __future__ import annotations

import re

import pytest

from plan import build_plan, model, parse_answers, rules
from plan.wording import short_name
from testkit.plans import build, joined

from .conftest import TODAY, child


def steps(plan, section: str) -> dict[str, model.ControlStep]:
    return {b.name: b for b in model.walk(plan.section(section).blocks) if isinstance(b, model.ControlStep)}


def test_a_controls_feature_is_left_out_when_its_name_already_says_it(content):
    found = steps(build(content, child(9, devices=["ipad"])), "child-1")
    assert found["iPhone and iPad: Communication Safety"].feature == ""
    assert found["iPhone and iPad: Screen Time"].feature == "Screen Time > Content & Privacy Restrictions"


def everyday(plan, content) -> tuple[str, ...]:
    title = content.texts.everyday_starters_title
    lists = [b for b in model.walk(plan.section("child-1").blocks) if isinstance(b, model.Bullets) and b.title == title]
    assert len(lists) == 1
    return lists[0].items


def test_beside_a_worrys_own_starters_the_everyday_ones_are_a_few(content):
    alone = everyday(build(content, child(15, apps=["tiktok"])), content)
    beside = everyday(build(content, child(15, apps=["tiktok"], concerns=["bullying"])), content)
    assert len(alone) > rules.EVERYDAY_BESIDE_WORRIES
    assert beside == alone[:rules.EVERYDAY_BESIDE_WORRIES]


@pytest.mark.parametrize("age,concerns", [(6, ["screen-time"]), (9, []), (13, ["bullying", "grooming"]),
                                          (16, ["nude-images"]), (15, ["gambling", "ai-chatbots"])])
def test_every_question_the_glance_page_asks_is_in_the_childs_section(content, age, concerns):
    plan = build(content, child(age, devices=["iphone"], apps=["snapchat"], concerns=concerns))
    glance = [b for b in model.walk(plan.section("at-a-glance").blocks) if isinstance(b, model.Checklist)]
    asked = [line for b in glance for line in b.items if line.startswith("Ask: \u201c")]
    assert asked
    section = joined(plan.section("child-1"))
    for line in asked:
        question = line.split("\u201c", 1)[1].rstrip("\u201d")
        assert question in section, question


def test_where_to_get_help_gives_each_organisation_short_and_the_advice_sites_on_one_line(content):
    plan = build(content, child(15, devices=["iphone"], apps=["snapchat"], concerns=["nude-images"]))
    help_ = plan.section("help")
    cards = [b for b in help_.blocks if isinstance(b, model.ContactCard)]
    by_id = {c.name: c for c in content.contacts}
    assert cards
    for card in cards:
        contact = by_id[card.name]
        assert card.what_for == (contact.summary or rules.first_sentence(contact.what_for))
        assert not contact.advice
    lines = [b for b in help_.blocks if isinstance(b, model.Route)]
    assert len(lines) == 1 and lines[0].compact and len(lines[0].contacts) >= 2
    assert all(card.brief for card in lines[0].contacts)
    # an organisation given in full earlier is not listed again, on the line either
    given = {c.name for s in plan.sections if s.id != "help" for b in model.walk(s.blocks)
             for c in (b.contacts if isinstance(b, model.Route) else (b,))
             if isinstance(c, model.ContactCard) and not c.brief}
    assert {"Childline", "Internet Watch Foundation (IWF)"} <= given
    assert not given & {c.name for c in cards}
    assert not {short_name(n) for n in given} & {c.name for c in lines[0].contacts}


@pytest.mark.parametrize("age,concerns,more", [(6, ["screen-time"], False), (15, ["nude-images"], True)])
def test_where_to_get_help_says_more_organisations_only_when_it_lists_some(content, age, concerns, more):
    plan = build(content, child(age, devices=["ipad"], apps=["youtube-kids"], concerns=concerns))
    blocks = plan.section("help").blocks
    assert any(isinstance(b, model.ContactCard) for b in blocks) is more
    intro = [b for b in blocks if isinstance(b, model.Paragraph) and b.text == content.texts.help_intro]
    assert len(intro) == (1 if more else 0)
    assert any(isinstance(b, model.Route) and b.compact for b in blocks)  # the advice sites stay


def test_an_apps_age_line_states_its_minimum_age_once(content):
    """"TikTok: the minimum age is 13." is not followed by "TikTok's terms say users must be 13
    or over."."""
    for app in content.apps:
        if app.minimum_age is not None and app.minimum_age_note:
            again = re.search(rf"\b(?:{app.minimum_age} or over|at least {app.minimum_age})\b", app.minimum_age_note)
            assert again is None, (app.id, app.minimum_age_note)


def agreement_lists(plan) -> list[tuple[str, ...]]:
    return [b.items for b in model.walk(plan.section("agreement").blocks) if isinstance(b, model.Checklist)]


@pytest.mark.parametrize("ages", [(13,), (6, 13)])
def test_the_grown_ups_promise_closes_the_agreement_after_the_familys_own_rules(content, ages):
    """A worry's rules and the family's own come before the promise, never after it: the
    promise is said once, at the end of the last list."""
    promise = {r.text for r in content.agreement if r.closing}
    assert promise
    family = [child(age, concerns=["ai-chatbots", "gambling"]) for age in ages]
    plan = build(content, *family, agreement={"own": ["We play board games on Sundays."]})
    lists = agreement_lists(plan)
    assert len(lists) == (1 if len(ages) == 1 else 3)  # for all of us, for each age group
    closing = [items for items in lists if set(items) & promise]
    assert closing == [lists[-1]]
    assert lists[-1][-1] in promise and not set(lists[-1][:-1]) & promise
    own = next(items for items in lists if "We play board games on Sundays." in items)
    assert own.index("We play board games on Sundays.") < len(own) - (1 if set(own) & promise else 0)


def test_what_a_second_child_shares_with_the_first_is_one_line_each(content):
    """A second child of the same age group, with the same apps and worries: the age limits the
    first section explained share one line, the controls set as for the first are a list of
    names under one line, and the starters already given are named on one line."""
    apps, worries = ["tiktok", "snapchat"], ["bullying", "grooming"]
    plan = build(content, child(10, name="Ann", devices=["ipad"], apps=apps, concerns=worries),
                 child(10, name="Ben", devices=["ipad"], apps=apps, concerns=worries))
    first, second = joined(plan.section("child-1")), joined(plan.section("child-2"))
    assert "TikTok and Snapchat: the minimum age is 13, and Ben is 10." in second
    assert second.count("the minimum age is") == 1 and first.count("the minimum age is") == 2
    same = [s for s in steps(plan, "child-2").values() if s.same]
    assert {s.name for s in same} >= {"iPhone and iPad: Screen Time", "TikTok: Family Pairing"}
    assert second.count(content.texts.same_settings_as.format(who="Ann")) == 1
    assert all(s.brief for s in same) and not any(s.same for s in steps(plan, "child-1").values())
    assert "Someone gaining their trust to harm them, Bullying and Everyday conversations: as for Ann." in second


def test_a_setting_set_as_for_an_earlier_child_is_printed_as_its_name_with_a_tick_box(content):
    from pypdf import PdfReader
    import io
    from plan import render_pdf
    plan = build(content, child(10, name="Ann", devices=["ipad"]), child(11, name="Ben", devices=["ipad"]))
    pdf = PdfReader(io.BytesIO(render_pdf(plan)))
    text = "\n".join(page.extract_text() for page in pdf.pages)
    ben = text[text.index("Ben, age 11"):]
    assert "Screen Time\nWhere:" not in ben and "Where: as for Ann" not in ben.split("Things to talk about")[0]
    boxes = [name for name in pdf.get_fields() if name.startswith("step-child-2")]
    assert len(boxes) == len([s for s in steps(plan, "child-2").values() if s.same]) > 0


@pytest.mark.parametrize("name, short", [
    ("CEOP Safety Centre (National Crime Agency)", "CEOP Safety Centre"),
    ("Report Harmful Content (UK Safer Internet Centre)", "Report Harmful Content"),
    ("Police (non-emergency)", "Police (non-emergency)"),
    ("Police Service of Northern Ireland (PSNI)", "Police Service of Northern Ireland (PSNI)"),
])
def test_an_organisation_named_again_is_named_short(name, short):
    assert short_name(name) == short


def test_a_route_names_an_organisation_given_earlier_short_with_its_number(content):
    plan = build(content, child(14, apps=["snapchat"], concerns=["bullying", "nude-images", "sextortion"]))
    cards = [c for b in model.walk(plan.section("if-something-happens").blocks) if isinstance(b, model.Route)
             for c in b.contacts]
    again = [c for c in cards if c.brief]
    assert again and all(c.name == short_name(c.name) for c in again)
    assert all(len(c.shown_ways()) == 1 for c in again)
    assert len({c.name for c in cards if not c.brief}) == len([c for c in cards if not c.brief])


def test_each_step_on_the_glance_page_names_the_child_it_is_for(content):
    """Two children can have the same step: on the fridge, each line of those says whose it is;
    a step only one child has, or a plan for one child, needs no name."""
    plan = build(content, child(9, name="Ann", devices=["ipad"], apps=["roblox"], concerns=["grooming"]),
                 child(10, name="Ben", devices=["ipad"], apps=["roblox"], concerns=["grooming"]))
    ann, ben = [b.items for b in model.walk(plan.section("at-a-glance").blocks) if isinstance(b, model.Checklist)]
    assert [line.split(":")[0] for line in ann[1:]] == ["Ann's Roblox", "Ask Ann"]
    assert [line.split(":")[0] for line in ben[1:]] == ["Ben's Roblox", "Ask Ben"]
    assert "Ann's iPad" in ann[0] and "Ben's iPad" in ben[0]
    assert not set(ann) & set(ben)
    [alone] = [b.items for b in model.walk(build(content, child(9, name="Ann", devices=["ipad"], apps=["roblox"],
               concerns=["grooming"])).section("at-a-glance").blocks) if isinstance(b, model.Checklist)]
    assert alone[2].startswith("Ask: ") and alone[0] == ann[0]


@pytest.mark.parametrize("children, headings", [
    ([child(15)], ["This week for your 15-year-old"]),
    ([child(15, name="Sam")], ["This week for Sam"]),
    ([child(15), child(9)], ["This week for Child 1", "This week for Child 2"]),
])
def test_the_glance_page_names_each_child_inside_its_heading_as_a_sentence_would(content, children, headings):
    glance = build(content, *children).section("at-a-glance")
    assert [b.title for b in glance.blocks if isinstance(b, model.Subsection)][:len(headings)] == headings


@pytest.mark.parametrize("concern, contact", [
    ("location-sharing", "CEOP Safety Centre"), ("sextortion", "CEOP Safety Centre"),
    ("ai-chatbots", "NSPCC Helpline"), ("bullying", "Report Harmful Content"),
])
def test_a_worrys_line_on_the_glance_page_names_whom_its_route_leads_with(content, concern, contact):
    """Not the first contact that is not already on the page ("Sharing where they are: 101",
    which its route never says first): the one its advice leads with, passing over 999."""
    glance = build(content, child(14, concerns=[concern])).section("at-a-glance")
    [worries] = [b for b in glance.blocks if isinstance(b, model.Subsection)
                 and b.title == content.texts.glance_worries_title]
    [line] = worries.blocks
    assert [c.name for c in line.contacts] == [contact]


def test_your_home_points_to_a_childs_section_for_a_control_it_gave(content):
    plan = build(content, child(9, name="Ann", devices=["ipad"], apps=["netflix"]), home=["smart-tv"])
    home = [b for b in model.walk(plan.section("home").blocks) if isinstance(b, model.ControlStep)]
    netflix = [step for step in home if step.name.startswith("Netflix")]
    assert netflix and all(step.brief and "Ann" in step.where + step.setting for step in netflix)
    assert any(not step.brief for step in home)  # the TV's own settings, in full
    assert joined(plan).count(netflix[0].name) == 2  # Ann's section, and named in the home's


@pytest.mark.parametrize("text, said, shown", [
    ("Bullied. Block them. If the app does not act, get help.", {"if the app does not act, get help."},
     "Bullied. Block them."),
    ("Threatened. If the app does not act, get help. Tell the school.", {"if the app does not act, get help."},
     "Threatened. If the app does not act, get help. Tell the school."),  # not out of the middle
    ("Hurt. If the child is in danger now, call 999.", {"if the child is in danger now, call 999."},
     "Hurt. If the child is in danger now, call 999."),  # what to do in an emergency bears repeating
    ("Get help.", {"get help."}, "Get help."),  # the first sentence says what the route is about
])
def test_a_route_leaves_out_closing_advice_an_earlier_route_gave(text, said, shown):
    assert rules.unsaid(text, set(said)) == shown


def test_routes_say_each_closing_piece_of_advice_once(content):
    plan = build(content, child(14, apps=["tiktok"], concerns=["bullying", "privacy", "self-harm", "body-image"]))
    situations = [b.situation for b in model.walk(plan.section("if-something-happens").blocks)
                  if isinstance(b, model.Route)]
    closing = [rules.sentences(s)[-1] for s in situations if len(rules.sentences(s)) > 1]
    repeated = {s for s in closing if closing.count(s) > 1 and "999" not in s}
    assert not repeated
    everything = " ".join(situations)
    assert everything.count("Report Harmful Content can help") >= 1


def test_a_shared_glance_step_that_names_its_app_itself_says_whose_it_is(content):
    plan = build(content, child(10, name="Ann", devices=["ipad"], apps=["tiktok"]),
                 child(10, name="Ben", devices=["ipad"], apps=["tiktok"]))
    ann, ben = [b.items for b in model.walk(plan.section("at-a-glance").blocks) if isinstance(b, model.Checklist)]
    assert ann[1].startswith("For Ann: TikTok") and ben[1].startswith("For Ben: TikTok")
    assert ann[1].removeprefix("For Ann: ") == ben[1].removeprefix("For Ben: ")


@pytest.mark.parametrize("region", [None, "england", "wales", "scotland", "northern-ireland", "hampshire", "staffordshire"])
@pytest.mark.parametrize("situation", ["planning", "something-happened"])
def test_help_near_you_lists_only_what_the_plan_has_not_given_wherever_the_family_lives(content, region, situation):
    """A nation's police, or an area's services, are given in full where the plan first needs
    them; "Help near you" does not list them again, and leaves the section out when none is left."""
    answers = {"situation": situation, "children": [
        {"age": 14, "devices": ["iphone"], "apps": ["snapchat"], "concerns": ["nude-images", "harmful-sexual-behaviour"]},
        {"age": 7, "devices": ["ipad"], "concerns": ["screen-time"]}]}
    if situation == "something-happened":
        answers["what_happened"] = "police-contact"
    if region:
        answers["region"] = region
    plan = build_plan(parse_answers(answers, content.vocabulary), today=TODAY, content=content)
    def cards(section):
        for block in model.walk(section.blocks):
            yield from (block,) if isinstance(block, model.ContactCard) else getattr(block, "contacts", ())

    full = [card.name for section in plan.sections for card in cards(section) if not card.brief]
    assert full and len(full) == len(set(full)), sorted(n for n in full if full.count(n) > 1)
    ids = [s.id for s in plan.sections]
    if "near-you" in ids:
        given = {short_name(card.name) for section in plan.sections[:ids.index("near-you")] for card in cards(section)}
        listed = [short_name(card.name) for card in cards(plan.section("near-you"))]
        assert listed and not given & set(listed), sorted(given & set(listed))
