"""Render a Plan's reminders (the review and each child's age milestones) as an iCalendar file.

One all-day event per `plan.events` item, with a reminder the day before. The output depends
only on the Plan: UIDs come from each event's date and title, and DTSTAMP is the day the plan
was made, so the same plan always gives the same bytes. A milestone placed by birth month keeps
its UID in a later plan, so importing the newer file updates it rather than adding a copy.
Nothing beyond what the events carry is written.
"""
from __future__ import annotations

import hashlib
from collections import Counter
from datetime import datetime, time, timedelta, timezone

import icalendar

from plan import model

PRODID = "-//Family online-safety plan//EN"
CALENDAR_NAME = "Family online-safety plan"
UID_DOMAIN = "family-online-safety-plan"
APPROXIMATE_NOTE = "This date is approximate because no birthday month was given."
# Relative to the start of an all-day event (midnight): 9am the day before, which is what
# calendar apps themselves write for "1 day before", rather than an alert at midnight.
REMINDER = timedelta(hours=-15)


def render_ics(plan: model.Plan) -> bytes:
    """The plan's events as an .ics file (UTF-8, CRLF lines, folded as RFC 5545 asks)."""
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", CALENDAR_NAME)
    stamp = datetime.combine(plan.created, time(0), tzinfo=timezone.utc)
    seen: Counter[tuple] = Counter()
    for event in plan.events:
        key = (event.day, event.title)
        cal.add_component(_event(event, stamp, _uid(event, seen[key])))
        seen[key] += 1
    return cal.to_ical()


def _event(event: model.Event, stamp: datetime, uid: str) -> icalendar.Event:
    vevent = icalendar.Event()
    vevent.add("uid", uid)
    vevent.add("dtstamp", stamp)
    vevent.add("dtstart", event.day)
    vevent.add("dtend", event.day + timedelta(days=1))
    vevent.add("summary", event.title)
    vevent.add("description", f"{event.text}\n\n{APPROXIMATE_NOTE}" if event.approximate else event.text)
    vevent.add("transp", "TRANSPARENT")  # a reminder, not a busy day
    alarm = icalendar.Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("trigger", REMINDER)
    alarm.add("description", event.title)
    vevent.add_component(alarm)
    return vevent


def _uid(event: model.Event, repeat: int) -> str:
    """Stable for the same date and title; `repeat` tells apart identical events in one plan
    (two children with the same name and birthday)."""
    digest = hashlib.sha256(f"{event.day.isoformat()}\n{event.title}\n{repeat}".encode()).hexdigest()
    return f"{digest[:32]}@{UID_DOMAIN}"
