"""The calendar file: the plan's events as iCalendar, read back with icalendar itself.
Structure on toy content (milestones MILESTONE-13 and MILESTONE-16); what real families get on
the real content."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import icalendar
import pytest

from plan import build_plan, parse_answers
from plan.calendar import APPROXIMATE_NOTE, render_ics

from .conftest import TODAY, child
from testkit.plans import TEEN_WORDS, build


def vevents(ics: bytes) -> list[icalendar.Event]:
    return icalendar.Calendar.from_ical(ics).walk("VEVENT")


def a_family(toy):
    """Events of every kind: placed by birth month, approximate, and the review."""
    return build(toy, child(12, name="Sam", birth_month=3), child(15, birth_month=12), child(11))


def test_calendar_properties(toy):
    ics = render_ics(a_family(toy))
    cal = icalendar.Calendar.from_ical(ics)
    assert str(cal["prodid"]) == "-//Family online-safety plan//EN"
    assert str(cal["version"]) == "2.0"
    assert str(cal["calscale"]) == "GREGORIAN"
    assert str(cal["x-wr-calname"]) == "Family online-safety plan"
    assert ics.startswith(b"BEGIN:VCALENDAR\r\n") and ics.endswith(b"END:VCALENDAR\r\n")


def test_one_all_day_event_per_plan_event(toy):
    plan = a_family(toy)
    got = [(e.decoded("dtstart"), e.decoded("dtend"), str(e["summary"])) for e in vevents(render_ics(plan))]
    assert got == [(e.day, e.day + timedelta(days=1), e.title) for e in plan.events]
    assert len(got) == 4  # the review, Sam at 13, child 2 at 16, child 3 around 13
    assert all(type(start) is date for start, _, _ in got)  # dates, not date-times: all-day


def test_descriptions_say_when_a_date_is_approximate(toy):
    plan = a_family(toy)
    assert {e.approximate for e in plan.events} == {True, False}
    for event, vevent in zip(plan.events, vevents(render_ics(plan))):
        description = str(vevent["description"])
        if event.approximate:
            assert description == f"{event.text}\n\n{APPROXIMATE_NOTE}"
        else:
            assert description == event.text


def test_each_event_has_a_display_reminder_the_day_before(toy):
    for vevent in vevents(render_ics(a_family(toy))):
        alarms = vevent.walk("VALARM")
        assert len(alarms) == 1
        alarm = alarms[0]
        assert str(alarm["action"]) == "DISPLAY"
        assert str(alarm["description"]) == str(vevent["summary"])
        before = -alarm.decoded("trigger")
        assert timedelta(0) < before <= timedelta(days=1)  # during the day before


def test_stamped_with_the_day_the_plan_was_made(toy):
    for vevent in vevents(render_ics(a_family(toy))):
        assert vevent.decoded("dtstamp") == datetime(2026, 11, 22, tzinfo=timezone.utc)


def test_same_plan_same_bytes(toy):
    assert render_ics(a_family(toy)) == render_ics(a_family(toy))


def uids(plan) -> list[str]:
    return [str(e["uid"]) for e in vevents(render_ics(plan))]


def test_uids_are_unique_and_stable(toy):
    first = uids(a_family(toy))
    assert len(set(first)) == len(first)
    assert all(uid.endswith("@family-online-safety-plan") for uid in first)
    assert uids(a_family(toy)) == first


def test_twins_with_the_same_name_get_their_own_events(toy):
    plan = build(toy, child(12, name="Jo", birth_month=3), child(12, name="Jo", birth_month=3))
    assert len(plan.events) == 3 and plan.events[0] == plan.events[1]
    assert len(set(uids(plan))) == 3


def test_a_later_plan_keeps_a_birthday_milestones_uid(toy):
    """Importing a newer calendar updates the milestone rather than adding a copy."""
    answers = parse_answers({"children": [child(12, name="Sam", birth_month=3)]}, toy.vocabulary)
    now, later = (build_plan(answers, today=day, content=toy) for day in (TODAY, date(2027, 1, 10)))
    milestone = [e for e in now.events if "MILESTONE-13" in e.title]
    assert milestone and milestone == [e for e in later.events if "MILESTONE-13" in e.title]
    assert set(uids(now)) & set(uids(later))


@pytest.mark.parametrize("name", ["<b>Zoë & Co</b>", "Jo; Al, \\ Bea", "Анна-Мария 李"])
def test_names_round_trip_exactly(toy, name):
    plan = build(toy, child(12, name=name, birth_month=3))
    summaries = [str(e["summary"]) for e in vevents(render_ics(plan))]
    assert f"{name}: age 13: MILESTONE-13" in summaries
    assert summaries == [e.title for e in plan.events]


# ---- the real content --------------------------------------------------------------------


def real_events(content, *children, region=None) -> list[tuple[date, str]]:
    raw = {"children": list(children), **({"region": region} if region else {})}
    plan = build_plan(parse_answers(raw, content.vocabulary), today=TODAY, content=content)
    return [(e.decoded("dtstart"), str(e["summary"])) for e in vevents(render_ics(plan))]


def test_a_twelve_year_old_on_tiktok_is_reminded_of_turning_13(content):
    got = real_events(content, child(12, birth_month=3, apps=["tiktok"]))
    assert [title for day, title in got if day == date(2027, 3, 1)]
    assert all(title.startswith("Your child: age 13: ") for day, title in got if day == date(2027, 3, 1))
    assert not [title for _, title in got if "age 16" in title]  # 2030: beyond two years


def test_a_six_year_old_gets_only_the_review(content):
    got = real_events(content, child(6, birth_month=5))
    assert got == [(date(2027, 5, 22), content.texts.review_event)]


@pytest.mark.parametrize("age", range(0, 8))
def test_young_childrens_calendars_carry_no_teenage_topics(content, age):
    vocab = content.vocabulary
    answers = parse_answers({"children": [{"age": age, "devices": list(vocab.ids("devices")),
                                           "apps": list(vocab.ids("apps"))}]}, vocab)
    words = [str(e[key]) for e in vevents(render_ics(build_plan(answers, today=TODAY, content=content)))
             for key in ("summary", "description")]
    assert words and not [w for w in words if TEEN_WORDS.search(w)]


@pytest.mark.parametrize("region", [None, "england", "wales", "northern-ireland", "scotland", "hampshire"])
def test_one_secondary_school_reminder_wherever_the_family_lives(content, region):
    got = real_events(content, child(10, birth_month=6), region=region)
    assert len([title for _, title in got if "age 11" in title]) == 1
