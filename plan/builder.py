"""Build a family's Plan from their answers and the content.

Selection is the whole of personalisation: an item is in the plan only when its
applicability fields hold for a child (or, for family-wide sections, for at least one child).
The wording is the content's; this module only chooses and orders.
"""
from __future__ import annotations

import calendar
from datetime import date
from typing import Iterable

from plan import content as c
from plan.ages import band_for
from plan.answers import Answers, Child
from plan.model import (
    Block,
    Bullets,
    Callout,
    ContactCard,
    ControlStep,
    Paragraph,
    Plan,
    Route,
    Section,
    SourceList,
    SourceRef,
    Subsection,
)
from plan.predicates import PREDICATES

REVIEW_AFTER_MONTHS = 6


def build_plan(answers: Answers, today: date | None = None, content: c.Content | None = None) -> Plan:
    """The family's plan. `today` is injectable so that the same answers and date give the same plan."""
    return _Builder(answers, today or date.today(), content or c.default_content()).plan()


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or the month's last day when it is shorter (31 Aug -> 28 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def format_date(day: date) -> str:
    """UK long form, e.g. 22 November 2026 (no locale: the same on every machine)."""
    return f"{day.day} {calendar.month_name[day.month]} {day.year}"


def applies_to_child(item: c.Applies, answers: Answers, child: Child) -> bool:
    return (
        child.age in item.ages
        and (item.concerns is None or bool(set(item.concerns) & set(child.concerns)))
        and all(PREDICATES[name](answers, child) for name in item.when)
    )


def applies_to_family(item: c.Applies, answers: Answers) -> bool:
    return any(applies_to_child(item, answers, child) for child in answers.children)


def child_names(answers: Answers) -> list[str]:
    """How the plan refers to each child: their name, or 'your 12-year-old'."""
    return [child.name or _unnamed(child) for child in answers.children]


def _unnamed(child: Child) -> str:
    return "your baby" if child.age == 0 else f"your {child.age}-year-old"


def join_names(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


class _Builder:
    """One plan's worth of selection. Lives for a single build_plan call."""

    def __init__(self, answers: Answers, today: date, content: c.Content):
        self.answers = answers
        self.today = today
        self.content = content
        self.texts = content.texts
        self.vocab = content.vocabulary
        self.used: list[c.Item] = []  # every item the plan draws on, for the Sources section

    def use(self, items: Iterable[c.Item]) -> list:
        items = list(items)
        self.used.extend(items)
        return items

    def plan(self) -> Plan:
        review_by = add_months(self.today, REVIEW_AFTER_MONTHS)
        sections = [self.cover(review_by)]
        if self.answers.situation == "something-happened":
            sections.append(self.first_steps())
        sections.append(self.if_something_happens())
        sections.extend(self.child_section(i, child) for i, child in enumerate(self.answers.children))
        if self.answers.home:
            sections.append(self.home())
        sections.append(self.help())
        sections.append(self.sources())
        return Plan(
            title=self.texts.plan_title,
            for_whom=join_names(child_names(self.answers)),
            created=self.today,
            review_by=review_by,
            situation=self.answers.situation,
            sections=tuple(sections),
            footer=self.texts.footer,
            sources=self.source_refs(),
        )

    # ---- family-wide sections ----------------------------------------------------------------

    def cover(self, review_by: date) -> Section:
        t = self.texts
        intro = t.cover_intro_happened if self.answers.situation == "something-happened" else t.cover_intro_planning
        return Section("cover", t.plan_title, (
            Paragraph(f"For {join_names(child_names(self.answers))}. Made on {format_date(self.today)}."),
            Paragraph(intro),
            Bullets(tuple(t.how_to_use), title="How to use this plan"),
            Callout(t.review.format(review_by=format_date(review_by))),
        ))

    def first_steps(self) -> Section:
        blocks: list[Block] = [Paragraph(self.texts.first_steps_intro)]
        for item in self.use(i for i in self.content.first_steps if applies_to_family(i, self.answers)):
            sub: list[Block] = [Bullets(tuple(item.steps), numbered=True)]
            sub.extend(Callout(line, "warning") for line in item.dont)
            blocks.append(Subsection(item.title, tuple(sub)))
        return Section("first-steps", self.texts.first_steps_title, tuple(blocks))

    def if_something_happens(self) -> Section:
        blocks: list[Block] = [
            Paragraph(self.texts.if_something_happens_intro),
            Bullets(tuple(self.texts.always_remember), title="Always"),
        ]
        for route in self.use(r for r in self.content.routes if applies_to_family(r, self.answers)):
            contacts = self.use(self.content.contact(cid) for cid in route.contacts)
            blocks.append(Route(route.situation, tuple(map(_card, contacts)), tuple(route.dont)))
        return Section("if-something-happens", self.texts.if_something_happens_title, tuple(blocks))

    def home(self) -> Section:
        youngest = min(child.age for child in self.answers.children)
        controls = self.controls_for(self.answers.home)
        blocks: list[Block] = [Paragraph(self.texts.home_intro.format(youngest_age=youngest))]
        blocks.extend(_step(control, youngest) for control in controls)
        return Section("home", self.texts.home_title, tuple(blocks))

    def help(self) -> Section:
        routed = {cid for r in self.content.routes if applies_to_family(r, self.answers) for cid in r.contacts}
        contacts = self.use(
            contact for contact in self.content.contacts
            if contact.always or contact.advice or contact.id in routed
            or (contact.concerns is not None and applies_to_family(contact, self.answers))
        )
        blocks = (Paragraph(self.texts.help_intro), *map(_card, contacts))
        return Section("help", self.texts.help_title, blocks)

    def sources(self) -> Section:
        return Section("sources", self.texts.sources_title, (
            Paragraph(self.texts.sources_intro),
            SourceList(self.source_refs()),
        ))

    def source_refs(self) -> tuple[SourceRef, ...]:
        latest: dict[str, date] = {}
        for item in self.used:
            for url in item.sources:
                latest[url] = max(latest.get(url, item.last_checked), item.last_checked)
        return tuple(SourceRef(url, checked) for url, checked in sorted(latest.items()))

    # ---- a child's section ---------------------------------------------------------------------

    def child_section(self, index: int, child: Child) -> Section:
        who = child.name or _unnamed(child)
        blocks: list[Block] = [Paragraph(self.texts.child_intro.format(age=child.age))]
        if child.apps:
            blocks.append(Subsection(self.texts.apps_title, tuple(self.app_ages(child, who))))
        blocks.append(self.child_controls(child))
        if child.apps:
            blocks.append(Subsection(self.texts.reporting_title, tuple(self.reporting(child))))
        blocks.append(Subsection(self.texts.starters_title, tuple(self.starters(child))))
        signs = self.signs(child)
        if signs:
            blocks.append(Subsection(self.texts.signs_title, (Paragraph(self.texts.signs_intro), *signs)))
        return Section(f"child-{index + 1}", self.child_title(index, child), tuple(blocks))

    def child_title(self, index: int, child: Child) -> str:
        if child.name:
            return f"{child.name}, age {child.age}"
        if len(self.answers.children) == 1:
            return f"Your child, age {child.age}"
        return f"Child {index + 1}, age {child.age}"

    def app_ages(self, child: Child, who: str) -> Iterable[Block]:
        t = self.texts
        for app_id in child.apps:
            facts = self.content.app_facts(app_id)
            if facts is None:
                continue
            self.use([facts])
            app = self.vocab.label("apps", app_id)
            if facts.minimum_age is None:
                yield Paragraph(f"{t.no_minimum_age.format(app=app)} {facts.minimum_age_note}")
            elif child.age < facts.minimum_age:
                yield Callout(
                    f"{t.under_minimum_age.format(app=app, minimum_age=facts.minimum_age, who=who, age=child.age)} "
                    f"{facts.younger_than_minimum}",
                    "warning",
                )
            else:
                yield Paragraph(f"{t.at_or_over_minimum_age.format(app=app, minimum_age=facts.minimum_age)} "
                                f"{facts.minimum_age_note}")

    def child_controls(self, child: Child) -> Subsection:
        controls = self.controls_for(child.devices + child.apps)
        if not controls:
            return Subsection(self.texts.controls_title, (Paragraph(self.texts.no_devices),))
        steps = [_step(control, child.age) for control in controls]
        return Subsection(self.texts.controls_title, (Paragraph(self.texts.controls_intro), *steps))

    def controls_for(self, targets: Iterable[str]) -> list[c.Control]:
        """Controls for these devices/apps/home ids, in the order of the targets, each once."""
        chosen: list[c.Control] = []
        for target in targets:
            chosen.extend(ctl for ctl in self.content.controls if target in ctl.targets and ctl not in chosen)
        return self.use(chosen)

    def reporting(self, child: Child) -> Iterable[Block]:
        for app_id in child.apps:
            facts = self.content.app_facts(app_id)
            if facts is not None:
                lines = (facts.report,) + ((facts.block,) if facts.block else ())
                yield Bullets(lines, title=self.vocab.label("apps", app_id))

    def starters(self, child: Child) -> Iterable[Block]:
        band = band_for(child.age).id
        yield Paragraph(self.texts.starters_intro)
        for concern in (*child.concerns, None):
            for item in self.use(s for s in self.content.starters if s.concern == concern and s.band == band):
                title = self.vocab.label("concerns", concern) if concern else self.texts.everyday_starters_title
                yield Bullets(tuple(item.starters), title=title)

    def signs(self, child: Child) -> list[Block]:
        blocks: list[Block] = []
        for item in self.use(w for w in self.content.warning_signs if applies_to_child(w, self.answers, child)):
            blocks.append(Bullets(tuple(item.signs), title=item.title))
            if item.what_to_do:
                blocks.append(Paragraph(item.what_to_do))
        return blocks


def _card(contact: c.Contact) -> ContactCard:
    return ContactCard(
        name=contact.name, what_for=contact.what_for, phone=contact.phone, phone_note=contact.phone_note,
        sms_number=contact.sms_number, sms_text=contact.sms_text, email=contact.email, url=contact.url,
    )


def _step(control: c.Control, age: int) -> ControlStep:
    return ControlStep(
        name=control.name, feature=control.feature, where=control.where, setting=control.setting_for(age),
        url=control.url, last_checked=control.last_checked, note=control.note,
    )
