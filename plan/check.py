"""`python -m plan check`: is the content valid, complete, fresh and plain to read?

Errors (invalid content, or content that breaks the fact register `content/facts.yaml`) exit 1.
Coverage gaps, items and register facts not checked for over a year, services named outside the
places they cover (`plan.facts.region_mentions`) and texts above their reading level
(`plan.readability`) are warnings: the plan still builds, but someone should look.
"""
from __future__ import annotations

from datetime import date
from pathlib import Path

from plan.ages import BAND_IDS
from plan.wording import add_months
from plan.content import Content, ContentError, load_content
from plan.facts import Facts, load_facts, region_mentions, register_problems
from plan.rules import covers
from plan.readability import over_limit, summary

STALE_AFTER_MONTHS = 12
READING_WARNINGS_SHOWN = 10


def coverage_gaps(content: Content) -> list[str]:
    """Every vocabulary id must have content: a control per device, app and home id (one for
    every child, not only for a worry); facts
    per app; starters (3+) per concern and everyday for every age band; a route and warning
    signs per concern."""
    gaps: list[str] = []
    vocab = content.vocabulary
    for kind in ("devices", "apps", "home"):
        for term_id in vocab.ids(kind):
            if not any(term_id in control.targets and control.concerns is None for control in content.controls):
                gaps.append(f"{kind}: {term_id!r} has no parental-control item (controls.yaml)")
    for app_id in vocab.ids("apps"):
        if content.app_facts(app_id) is None:
            gaps.append(f"apps: {app_id!r} has no minimum age and reporting item (apps.yaml)")
    for concern in (None, *vocab.ids("concerns")):
        for band in BAND_IDS:
            count = sum(len(s.starters) for s in content.starters if s.concern == concern and s.band == band)
            if count < 3:
                name = "everyday" if concern is None else repr(concern)
                gaps.append(f"starters: {name} has {count} conversation starters for ages {band} (needs 3)")
    for concern in vocab.ids("concerns"):
        if not any(r.concerns and concern in r.concerns for r in content.routes):
            gaps.append(f"concerns: {concern!r} has no route in routes.yaml")
        if not any(w.concerns and concern in w.concerns for w in content.warning_signs):
            gaps.append(f"concerns: {concern!r} has no warning signs in warning_signs.yaml")
        if not any(f.concerns and concern in f.concerns for f in content.first_steps):
            gaps.append(f"concerns: {concern!r} has no first steps in first_steps.yaml")
    for region in (None, *vocab.ids("regions")):
        if not any(covers(vocab, note.regions, region) for note in content.law):
            gaps.append(f"regions: {region or 'uk'!r} has no law note in law.yaml")
    return gaps


def stale_items(content: Content, today: date) -> list[str]:
    cutoff = add_months(today, -STALE_AFTER_MONTHS)
    return [
        f"{name}.yaml: item '{item.id}' was last checked on {item.last_checked.isoformat()}"
        for name, item in content.all_items()
        if item.last_checked < cutoff
    ]


def stale_facts(facts: Facts, today: date) -> list[str]:
    cutoff = add_months(today, -STALE_AFTER_MONTHS)
    return [
        f"facts.yaml: {kind} {value!r} was last checked on {entry.last_checked.isoformat()}"
        for kind, entries, attr in (("number", facts.numbers, "number"), ("domain", facts.domains, "domain"))
        for entry in entries
        for value in [getattr(entry, attr)]
        if entry.last_checked < cutoff
    ]


def run_check(directory: Path, today: date) -> int:
    try:
        content = load_content(directory)
        facts = load_facts(Path(directory) / "facts.yaml")
        problems = register_problems(content, facts)
        if problems:
            raise ContentError(problems)
    except ContentError as exc:
        print(f"content: {len(exc.problems)} problem(s)")
        for problem in exc.problems:
            print(f"  error: {problem}")
        return 1
    items = content.all_items()
    print(f"content: {len(items)} items valid")
    gaps = coverage_gaps(content)
    stale = stale_items(content, today) + stale_facts(facts, today)
    outside = region_mentions(content)
    for gap in gaps:
        print(f"  warning: coverage: {gap}")
    for line in stale:
        print(f"  warning: older than {STALE_AFTER_MONTHS} months: {line}")
    for line in outside:
        print(f"  warning: outside its regions: {line}")
    hard_to_read = over_limit(content)
    for finding in hard_to_read[:READING_WARNINGS_SHOWN]:
        print(f"  warning: reading level: {finding.describe()}")
    if len(hard_to_read) > READING_WARNINGS_SHOWN:
        print(f"  warning: reading level: and {len(hard_to_read) - READING_WARNINGS_SHOWN} more "
              "(python -m plan.readability lists them all)")
    print(summary(hard_to_read))
    print(f"coverage gaps: {len(gaps)}; items and facts older than {STALE_AFTER_MONTHS} months: {len(stale)}; "
          f"services named outside their regions: {len(outside)}")
    return 0
