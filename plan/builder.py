"""Build a family's Plan from their answers and the content.

Selection is the whole of personalisation: an item is in the plan only when its
applicability fields hold for a child (or, for family-wide sections, for at least one child).
The wording is the content's; this module only chooses and orders.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import date
from typing import Iterable

from plan import content as c
from plan import rules
from plan.ages import band_for
from plan.answers import Answers, Child
from plan.model import (
    Block,
    Branding,
    Checklist,
    Event,
    Signatures,
    Bullets,
    Callout,
    ContactCard,
    ControlStep,
    Paragraph,
    Plan,
    Pointer,
    Route,
    Section,
    SectionKind,
    SourceList,
    SourceRef,
    Subsection,
)
from plan.site import School, Site
from plan.wording import (
    add_months, child_in_heading, child_label, child_names, child_title, format_date, join_names, possessive,
    short_name, unnamed,
)

REVIEW_AFTER_MONTHS = 6


def build_plan(
    answers: Answers,
    today: date,
    content: c.Content,
    *,
    site: Site | None = None,
    school: School | None = None,
) -> Plan:
    """The family's plan. `today` is injectable so that the same answers and date give the same
    plan. A host's `site` brands it and adds its local services; a `school` (one of the site's,
    chosen by the link the family followed) adds the school's safeguarding contact."""
    return _Builder(answers, today, content, site, school).plan()


def suggested_rules(answers: Answers, content: c.Content) -> list[c.AgreementRule]:
    """One wording per rule topic, for the youngest child who signs (or the youngest child
    when none is old enough), for the family's worries and region."""
    youngest = rules.rules_age(answers)
    chosen: dict[str, c.AgreementRule] = {}
    for rule in content.agreement:
        if rule.topic not in chosen and youngest in rule.ages and any(
                rules.holds_for(rule, answers, child, content.vocabulary) for child in answers.children):
            chosen[rule.topic] = rule
    return list(chosen.values())


def birthday(today: date, child: Child, age: int) -> tuple[date, bool]:
    """When `child` turns `age`: the 1st of their birth month, or, without one, the same
    day that many years on (approximate)."""
    if child.birth_month is None:
        return add_months(today, 12 * (age - child.age)), True
    next_year = today.year if child.birth_month > today.month else today.year + 1
    return date(next_year + age - child.age - 1, child.birth_month, 1), False


class _Builder:
    """One plan's worth of selection. Lives for a single build_plan call."""

    def __init__(self, answers: Answers, today: date, content: c.Content, site: Site | None, school: School | None):
        self.answers = answers
        self.site = site
        self.school = school
        self.today = today
        self.content = content
        self.texts = content.texts
        self.vocab = content.vocabulary
        self.used: list[c.Item] = []  # every item the plan draws on, for the Sources section
        self.warned: set[str] = set()  # "do not" lines the plan has already given
        self.first_steps_for: set[str] = set()  # worries whose first steps open the plan (and say their "do not"s)
        self.said: set[str] = set()  # sentences of the first steps: the routes after them need not repeat them
        # Said once: the introductions already given, and for each control, app fact, app's
        # reporting steps and conversation starters, the child whose section gave it in full.
        self.intros: set[str] = set()
        self.given: dict[tuple[str, str], str] = {}
        self.shared_signs = self.family_sign_items()

    def for_child(self, item: c.Applies, child: Child) -> bool:
        return rules.applies_to_child(item, self.answers, child, self.vocab)

    def for_family(self, item: c.Applies) -> bool:
        return rules.applies_to_family(item, self.answers, self.vocab)

    def in_region(self, item: c.Applies) -> bool:
        return rules.in_region(item, self.answers, self.vocab)

    def is_local(self, contact: c.Contact) -> bool:
        hosts = self.site.config.local_services if self.site else []
        return rules.is_local(contact, self.answers, self.vocab, host_service=contact in hosts)

    def use(self, items: Iterable[c.Item]) -> list:
        items = list(items)
        self.used.extend(items)
        return items

    def plan(self) -> Plan:
        review_by = add_months(self.today, REVIEW_AFTER_MONTHS)
        sections = [self.cover()]
        if self.answers.situation == "something-happened":  # crisis plans open with what to do now
            sections.insert(0, self.first_steps())
        sections.append(self.if_something_happens())
        if self.school:
            sections.append(self.your_school(self.school))
        sections.extend(self.child_section(i, child) for i, child in enumerate(self.answers.children))
        sections.append(self.agreement())
        if self.answers.home:
            sections.append(self.home())
        near_you = self.near_you()
        if near_you:
            sections.append(near_you)
        sections.append(self.help())
        events = self.events(review_by)
        refs = self.source_refs()  # last: every item the plan and its reminders drew on
        sections.append(self.sources(refs))
        # At a glance: the first page, or straight after a crisis plan's first steps. Made last,
        # so each step points to the section that gives it in full.
        sections.insert(1 if sections[0].kind is SectionKind.FIRST_STEPS else 0, self.glance(review_by))
        return Plan(
            title=self.texts.plan_title,
            created=self.today,
            review_by=review_by,
            situation=self.answers.situation,
            sections=said_once(sections),
            footer=self.texts.footer,
            sources=refs,
            branding=self.branding(),
            events=events,
        )

    def branding(self) -> Branding | None:
        if self.site is None:
            return None
        return Branding(self.site.config.name, self.site.config.colours.primary, self.site.logo)

    # ---- family-wide sections ----------------------------------------------------------------

    def cover(self) -> Section:
        t = self.texts
        happened = self.answers.situation == "something-happened"
        # A planning plan opens with its glance page, which says what to do first; a plan after
        # something happened says when the rest can wait.
        intro, how_to_use = (t.cover_intro_happened, t.how_to_use_happened) if happened else (
            t.cover_intro_planning, ())
        hosted = []
        if self.school:
            hosted.append(Paragraph(t.shared_by.format(school=self.school.name)))
        if self.site:
            hosted.append(Paragraph(t.provided_by.format(host=self.site.config.name)))
        return Section("cover", SectionKind.COVER, t.plan_title, (
            Paragraph(f"For {join_names(child_names(self.answers.children))}. Made on {format_date(self.today)}."),
            *hosted,
            Paragraph(intro),
            *([Bullets(tuple(how_to_use), title="How to use this plan")] if how_to_use else []),
        ))

    def glance(self, review_by: date) -> Section:
        """"Our plan at a glance": for each child the three most useful things to do this week
        (rules.week_steps), each with a tick box and where its steps are; the four contacts in
        every plan on one line; the first route for each of the family's worries, one line
        each; the review date. Brief lines only: organisations are given in full elsewhere."""
        t = self.texts
        children = self.answers.children
        blocks: list[Block] = [Paragraph(t.glance_intro)]
        steps_of = [rules.week_steps(child, [ctl for ctl in self.content.controls if rules.control_applies(ctl, child)],
                                     self.content.starters, band_for(child.age).id) for child in children]
        plain = [[self.week_line(step, child) for step in steps] for child, steps in zip(children, steps_of)]
        shared = Counter(line for lines in plain for line in lines)  # a step two children have: named for each
        for index, (child, steps) in enumerate(zip(children, steps_of)):
            items = tuple(self.week_line(step, child, named=True) if shared[line] > 1 else line
                          for step, line in zip(steps, plain[index]))
            see = tuple(self.steps_at(step, index) for step in steps)
            blocks.append(Subsection(t.glance_child.format(child=child_in_heading(index, children)),
                                     (Checklist(items, see, name="week"),)))
        always = [contact for contact in self.content.contacts if contact.always and self.in_region(contact)]
        blocks.append(Route(t.glance_numbers_title, tuple(map(_brief, always)), compact=True))
        worries: list[Block] = []
        routes = rules.worry_routes(self.content.routes, self.answers, self.vocab, is_emergency=lambda route: all(
            self.content.contact(contact_id).emergency for contact_id in route.contacts))
        for worry, route in routes[:rules.WORRY_LINES]:
            contact = rules.week_contact(self.route_contacts(route))
            if contact is not None:
                worries.append(Route(self.vocab.label("concerns", worry), (_brief(contact),), compact=True))
        if len(routes) > rules.WORRY_LINES:
            worries.append(Paragraph(t.glance_more_worries.format(section=t.if_something_happens_title)))
        if worries:
            blocks.append(Subsection(t.glance_worries_title, tuple(worries)))
        blocks.append(Callout(t.glance_review.format(review_by=format_date(review_by))))
        return Section("at-a-glance", SectionKind.GLANCE, t.glance_title, tuple(blocks))

    def week_line(self, step: rules.WeekStep, child: Child, named: bool = False) -> str:
        """A step on the glance page; `named` for the child it is for ("Ask Leo: ...", "Maya's
        TikTok: ...") when another child has the same step: the page goes on the fridge."""
        t = self.texts
        who = child.name or unnamed(child)
        if step.kind == "talk":
            ask = (t.glance_ask_named if named else t.glance_ask) if rules.is_question(step.target) else (
                t.glance_say_named if named else t.glance_say)
            return ask.format(child=who, starter=step.target)
        control = step.item
        whose = possessive(who)
        if step.kind == "device":
            feature = control.name.split(": ", 1)[-1]
            return t.glance_device.format(feature=feature, whose=whose, device=self.vocab.label("devices", step.target))
        app = self.vocab.label("apps", step.target)
        setting = rules.first_sentence(control.setting_for(child.age))
        if setting.startswith(f"{app}: "):  # "YouTube: at 13 they can have their own account."
            setting = setting[len(app) + 2:]
        elif setting.startswith(app):  # "TikTok is for 13 and over ...": names the app itself
            return t.glance_for_child.format(child=who, step=setting) if named else setting
        line = (t.glance_app_named if named else t.glance_app).format(whose=whose, app=app, setting=setting)
        return line[:1].upper() + line[1:]

    def steps_at(self, step: rules.WeekStep, index: int) -> Pointer | None:
        """Where the step is in full, when it is not the child's own section (the page says
        that is where the steps are): an earlier child's that gave the same control or
        conversation starters first."""
        children = self.answers.children
        kind = "starters" if step.kind == "talk" else "control"
        label = self.given.get((kind, step.item.id))
        at = next((i for i in range(len(children)) if child_label(i, children) == label), index)
        if at == index:
            return None
        return Pointer(f"child-{at + 1}", self.texts.glance_see.format(section=child_label(at, children)))

    def first_steps(self) -> Section:
        """What happened, when the parent said; otherwise the first steps for the family's
        worries; with neither, every situation's contacts in short form (so every crisis plan
        has Stop It Now!, CEOP and the rest)."""
        a = self.answers
        if a.what_happened:
            items = crisis_items(self.content, a.what_happened, a.region, [child.age for child in a.children])
        else:
            items = [i for i in self.content.first_steps if self.for_family(i)]
        items = self.use(items)
        self.warned.update(line for item in items for line in item.dont)  # routes need not say them again
        self.first_steps_for.update(concern for item in items for concern in item.concerns or ())
        self.said.update(s.casefold() for item in items for step in item.steps for s in rules.sentences(step))
        blocks = first_steps_blocks(self.content, items, a.region)
        if not a.what_happened and not any(child.concerns for child in a.children):
            blocks.append(self.every_situation())
        return Section("first-steps", SectionKind.FIRST_STEPS, self.texts.first_steps_title,
                       (Paragraph(self.texts.first_steps_intro), *blocks))

    def every_situation(self) -> Subsection:
        """Each "what happened" choice with whom to call, one line each."""
        routes = []
        for situation in self.content.situations:
            items = self.use(crisis_items(self.content, situation.id, self.answers.region, []))
            routes.append(Route(situation.choice, tuple(_card(c) for c in call_list(self.content, items, self.answers.region))))
        return Subsection(self.texts.every_situation_title, tuple(routes))

    def always(self) -> tuple[str, ...]:
        """"Always": its lines, with the evidence line before the last (the helplines below)."""
        *first, last = self.texts.always_remember
        evidence = self.texts.always_evidence_young if rules.all_young(self.answers) else self.texts.always_evidence
        return (*first, evidence, last)

    def if_something_happens(self) -> Section:
        blocks: list[Block] = [
            Paragraph(self.texts.if_something_happens_intro),
            Bullets(self.always(), title="Always"),
        ]
        always = {contact.id for contact in self.content.contacts if contact.always}
        warned = self.warned  # each "do not" line once: in first steps or at the first route that needs it
        said = set(self.said)  # and each piece of advice: "If the app does not act, ..." at its first route
        for route in self.use(r for r in self.content.routes if self.for_family(r)):
            contacts = self.use(self.route_contacts(route))
            essential = bool(always)  # until every contact in every plan has been named
            always -= {contact.id for contact in contacts}
            # a route for worries whose first steps open the plan: their "do not" lines are said there
            covered = bool(route.concerns) and set(route.concerns) <= self.first_steps_for
            dont = () if covered else tuple(line for line in route.dont if not said_before(line, warned))
            warned.update(dont)
            blocks.append(Route(rules.unsaid(route.situation, said), tuple(map(_in_route, contacts)), dont,
                                emergency=any(contact.emergency for contact in contacts), essential=essential))
        law = self.use(note for note in self.content.law if self.for_family(note))
        if law:
            blocks.append(Subsection(self.texts.law_title, tuple(Paragraph(note.text) for note in law)))
        signs = self.family_signs()
        if signs:
            blocks.append(Subsection(self.texts.signs_title, tuple(signs)))
        return Section("if-something-happens", SectionKind.ROUTES, self.texts.if_something_happens_title,
                       tuple(blocks))

    def route_contacts(self, route: c.Route) -> list[c.Contact]:
        """The route's contacts that serve this family's region (Report Fraud, say, is not
        for Scotland)."""
        return [contact for contact in map(self.content.contact, route.contacts) if self.in_region(contact)]

    def home(self) -> Section:
        youngest = min(child.age for child in self.answers.children)
        controls = self.controls_for(self.answers.home, self.answers.children)
        blocks: list[Block] = [Paragraph(self.texts.home_intro.format(youngest_age=youngest))]
        blocks.extend(self.control_blocks(controls, youngest, self.texts.home_title))  # a child's app: as there
        return Section("home", SectionKind.HOME, self.texts.home_title, tuple(blocks))

    def agreement(self) -> Section:
        """Suggested rules worded for each signer's age, less those the family left out, plus
        their own; then a line for each child who signs (5 and over) and two for adults. When the
        children's ages need different wordings, each wording appears once, under the children
        it is for: "For Maya", "For Leo and Sam", then "For all of us" (with the family's own
        rules), which ends with the grown-ups' promise just before the signatures."""
        t = self.texts
        children = self.answers.children
        adults = ("Parent or carer", "Parent or carer")
        signers = [i for i in rules.agreement_children(self.answers) if rules.signs_agreement(children[i])]
        groups: dict[tuple[str, ...], list[int]] = {}  # the rules' ids -> the children they are worded for
        wordings: dict[tuple[str, ...], list[c.AgreementRule]] = {}
        for index in rules.agreement_children(self.answers):
            chosen = [r for r in rules.agreement_wordings(self.content.agreement, self.answers, children[index],
                                                          self.vocab, topic=lambda r: r.topic)
                      if r.topic not in self.answers.leave_out]
            key = tuple(r.id for r in chosen)
            groups.setdefault(key, []).append(index)
            wordings[key] = chosen
        sets = list(wordings.values())
        self.use({r.id: r for chosen in sets for r in chosen}.values())
        intro = Paragraph(t.agreement_intro)
        signatures = Signatures(t.signatures_title, tuple(child_label(i, children) for i in signers) + adults)
        if len(sets) <= 1:
            chosen = sets[0] if sets else []
            return Section("agreement", SectionKind.AGREEMENT, t.agreement_title, (
                intro, Checklist(_closing_last(chosen, self.answers.own_rules)), signatures))
        # Each wording once, under the children it is for: first those for some of the children,
        # then the rules for everyone (with the family's own), so the promise closes the agreement.
        everyone = tuple(rules.agreement_children(self.answers))
        whose: dict[str, list[int]] = {}
        by_id: dict[str, c.AgreementRule] = {}
        for key, indices in groups.items():
            for rule in wordings[key]:
                whose.setdefault(rule.id, []).extend(indices)
                by_id[rule.id] = rule
        parts: dict[tuple[int, ...], list[c.AgreementRule]] = {everyone: []}
        order = {rule.id: n for n, rule in enumerate(self.content.agreement)}
        for rule_id, indices in sorted(whose.items(), key=lambda pair: order[pair[0]]):
            parts.setdefault(tuple(sorted(indices)), []).append(by_id[rule_id])
        blocks: list[Block] = [intro]
        for indices in sorted(parts, key=lambda ix: (ix == everyone, ix[0], -len(ix))):
            items = _closing_last(parts[indices], self.answers.own_rules if indices == everyone else ())
            if not items:
                continue
            title = (t.agreement_everyone_title if indices == everyone else
                     t.agreement_group_title.format(names=join_names([child_label(i, children) for i in indices])))
            blocks.append(Subsection(title, (Checklist(items),)))
        blocks.append(signatures)
        return Section("agreement", SectionKind.AGREEMENT, t.agreement_title, tuple(blocks))

    def events(self, review_by: date) -> tuple[Event, ...]:
        """The review reminder, then each child's age milestones in the next two years."""
        events = [Event(review_by, self.texts.review_event, self.texts.review_event_text)]
        horizon = add_months(self.today, 24)
        for index, child in enumerate(self.answers.children):
            name = child_label(index, self.answers.children)
            for milestone in self.content.milestones:
                if milestone.at_age <= child.age or not self.for_child(milestone, child):
                    continue
                day, approximate = birthday(self.today, child, milestone.at_age)
                if day <= horizon:
                    self.use([milestone])
                    title = f"{name}: {'around ' if approximate else ''}age {milestone.at_age}: {milestone.title}"
                    events.append(Event(day, title, milestone.text, approximate))
        return tuple(sorted(events, key=lambda e: (e.day, e.title)))

    def your_school(self, school: School) -> Section:
        t = self.texts
        card = ContactCard(name=school.name, what_for=school.lead_role, phone=school.phone, email=school.email)
        return Section("your-school", SectionKind.SCHOOL, t.school_title, (
            Paragraph(t.school_intro.format(school=school.name, role=school.lead_role)),
            card,
            Bullets(tuple(t.school_when), title="When to contact them"),
        ))

    def help(self) -> Section:
        routed = {c.id for r in self.content.routes if self.for_family(r) for c in self.route_contacts(r)}
        contacts = self.use(
            contact for contact in self.content.contacts
            if self.in_region(contact) and (contact.advice or not (contact.regions and rules.only_some_places(contact)))
            and (contact.always or contact.advice or contact.id in routed
                 or (contact.concerns is not None and self.for_family(contact)))
        )
        # the advice sites: the family's own nation's first (Hwb in Wales), then the UK-wide ones
        advice = sorted((contact for contact in contacts if contact.advice), key=lambda c: not rules.only_some_places(c))
        blocks = (Paragraph(self.texts.help_intro), *(_summary(c) for c in contacts if not c.advice))
        if advice:  # the advice sites on one line, each by its name and site
            blocks += (Route(self.texts.help_advice_title, tuple(map(_brief, advice)), compact=True),)
        # said_once leaves out the organisations an earlier section has already given
        return Section("help", SectionKind.HELP, self.texts.help_title, blocks)

    def near_you(self) -> Section | None:
        """Services for the family's nation or area, and the host's own local services."""
        hosts = self.site.config.local_services if self.site else []
        contacts = self.use(contact for contact in [*hosts, *self.content.contacts]
                            if self.is_local(contact) and not contact.advice)  # advice sites: in "Where to get help"
        if not contacts:
            return None
        region = self.vocab.label("regions", self.answers.region) if self.answers.region else "your area"
        blocks = (Paragraph(self.texts.near_you_intro.format(region=region)), *map(_in_route, contacts))
        return Section("near-you", SectionKind.NEAR_YOU, self.texts.near_you_title, blocks)

    def sources(self, refs: tuple[SourceRef, ...]) -> Section:
        return Section("sources", SectionKind.SOURCES, self.texts.sources_title, (
            Paragraph(self.texts.sources_intro),
            SourceList(refs),
        ))

    def source_refs(self) -> tuple[SourceRef, ...]:
        """The pages the plan drew on. A milestone's pages about an app are kept only when a
        child in the family has that app; in a plan for one nation or area, a route's pages only
        for the contacts it shows."""
        family_apps = {app for child in self.answers.children for app in child.apps}
        app_pages = rules.app_pages(self.content.apps, self.content.controls, self.vocab)
        shown = {item.id for item in self.used if isinstance(item, c.Contact)}
        latest: dict[str, date] = {}
        for item in self.used:
            elsewhere = self.pages_of_contacts_left_out(item, shown) \
                if isinstance(item, c.Route) and self.answers.region else set()
            for url in item.sources:
                apps = app_pages.get(url) if isinstance(item, c.Milestone) else None
                if (apps is not None and apps.isdisjoint(family_apps)) or url in elsewhere:
                    continue
                latest[url] = max(latest.get(url, item.last_checked), item.last_checked)
        return tuple(SourceRef(url, checked) for url, checked in sorted(latest.items()))

    def pages_of_contacts_left_out(self, route: c.Route, shown: set[str]) -> set[str]:
        """A route's pages that are the own pages of a contact this plan for one nation or area
        leaves out (another nation's police): a plan for Scotland does not cite the page for
        England's textphone. A UK-wide plan keeps them all: its text is for every nation."""
        contacts = [self.content.contact(contact_id) for contact_id in route.contacts]
        kept = {url for contact in contacts if contact.id in shown for url in contact.sources}
        return {url for contact in contacts if contact.id not in shown for url in contact.sources} - kept

    # ---- a child's section ---------------------------------------------------------------------

    def once(self, key: str, text: str) -> list[Block]:
        """An introduction, the first time the plan needs it; nothing after."""
        if key in self.intros:
            return []
        self.intros.add(key)
        return [Paragraph(text)]

    def first_given(self, kind: str, item_id: str, label: str) -> str | None:
        """The child whose section already gave this item in full, or None (and `label`'s
        section gives it now)."""
        earlier = self.given.get((kind, item_id))
        if earlier is None:
            self.given[(kind, item_id)] = label
        return earlier

    def same_as(self, what: str, who: str) -> Paragraph:
        return Paragraph(f"{what}: {self.texts.same_as.format(who=who)}.")

    def child_section(self, index: int, child: Child) -> Section:
        who = child.name or unnamed(child)
        label = child_label(index, self.answers.children)
        blocks: list[Block] = []
        ages = tuple(self.app_ages(child, who, label)) if child.apps else ()
        if ages:
            blocks.append(Subsection(self.texts.apps_title, ages))
        blocks.append(self.child_controls(child, label))
        if child.apps:
            blocks.append(Subsection(self.texts.reporting_title, tuple(self.reporting(child, label))))
        blocks.append(Subsection(self.texts.starters_title, tuple(self.starters(child, label))))
        signs = self.signs(child)
        if signs:
            blocks.append(Subsection(self.texts.signs_title, (*self.once("signs", self.texts.signs_intro), *signs)))
        return Section(f"child-{index + 1}", SectionKind.CHILD, child_title(index, self.answers.children),
                       tuple(blocks), child=index)

    def app_ages(self, child: Child, who: str, label: str) -> Iterable[Block]:
        """Each app's minimum age for this child; what it means, the first time the plan says it.
        Apps whose line is the age alone (a younger sibling had the same app) share one line:
        "TikTok and Snapchat: the minimum age is 13, and Sam is 10"."""
        t = self.texts
        under: dict[int, list[str]] = {}  # minimum age -> apps this child is under it for, said before
        over: dict[int, list[str]] = {}
        for app_id in child.apps:
            facts = self.content.app_facts(app_id)
            if facts is None:
                continue
            self.use([facts])
            app = self.vocab.label("apps", app_id)
            if facts.minimum_age is None:
                if not self.first_given("app-note", app_id, label):  # the same for every child: once
                    first = t.unconfirmed_minimum_age if facts.minimum_age_unconfirmed else t.no_minimum_age
                    yield Paragraph(f"{first.format(app=app)} {facts.minimum_age_note}")
            elif child.age < facts.minimum_age:
                if self.first_given("app-younger", app_id, label):
                    under.setdefault(facts.minimum_age, []).append(app)
                    continue
                yield Callout(f"{t.under_minimum_age.format(app=app, minimum_age=facts.minimum_age, who=who, age=child.age)}"
                              f" {facts.younger_than_minimum}", "warning")
            elif self.first_given("app-note", app_id, label) or not facts.minimum_age_note:
                over.setdefault(facts.minimum_age, []).append(app)
            else:
                yield Paragraph(f"{t.at_or_over_minimum_age.format(app=app, minimum_age=facts.minimum_age)}"
                                f" {facts.minimum_age_note}")
        for minimum_age, apps in under.items():
            yield Callout(t.under_minimum_age.format(app=join_names(apps), minimum_age=minimum_age, who=who,
                                                     age=child.age), "warning")
        for minimum_age, apps in over.items():
            yield Paragraph(t.at_or_over_minimum_age.format(app=join_names(apps), minimum_age=minimum_age))

    def child_controls(self, child: Child, label: str) -> Subsection:
        """Each control's full steps in the first child's section that needs it; a later
        child's section gives its setting at their age and points to where the steps are."""
        controls = self.controls_for(child.devices + child.apps, [child])
        if not controls:
            return Subsection(self.texts.controls_title, (Paragraph(self.texts.no_devices),))
        steps = self.control_blocks(controls, child.age, label)
        return Subsection(self.texts.controls_title, (*self.once("controls", self.texts.controls_intro), *steps))

    def control_blocks(self, controls: Iterable[c.Control], age: int, label: str) -> list[Block]:
        """Each control's steps at this age, in full where the plan first needs them; one an
        earlier section gave points there, and one set as it was there is named in a list."""
        steps: list[Block] = []
        same: dict[str, list[ControlStep]] = {}  # an earlier child -> controls set up, and set, as for them
        for control in controls:
            earlier = self.first_given("control", control.id, label)
            step = _step(control, age)
            setting_from = self.first_given("setting", f"{control.id}:{step.setting}", label)
            if earlier:  # the steps are in an earlier child's section
                step = replace(step, where=self.texts.same_as.format(who=earlier), feature="", note=None, brief=True)
            if setting_from:
                same.setdefault(setting_from, []).append(
                    replace(step, setting=self.texts.same_as.format(who=setting_from), same=True))
            else:
                steps.append(step)
        for who, alike in same.items():  # by name in one list for each child they match, not a heading each
            steps += [Paragraph(self.texts.same_settings_as.format(who=who)), *alike]
        return steps

    def controls_for(self, targets: Iterable[str], children: Iterable[Child]) -> list[c.Control]:
        """Controls for these devices/apps/home ids, in the order of the targets, each once; a
        control for a worry only when one of `children` has it."""
        children = list(children)
        chosen: list[c.Control] = []
        for target in targets:
            chosen.extend(ctl for ctl in self.content.controls if target in ctl.targets and ctl not in chosen
                          and any(rules.control_applies(ctl, child) for child in children))
        return self.use(chosen)

    def reporting(self, child: Child, label: str) -> Iterable[Block]:
        """How to report and block in each app, once per family: apps an earlier child has
        point to that child's section."""
        earlier: dict[str, list[str]] = {}
        for app_id in child.apps:
            facts = self.content.app_facts(app_id)
            if facts is None:
                continue
            app = self.vocab.label("apps", app_id)
            first = self.first_given("report", app_id, label)
            if first:
                earlier.setdefault(first, []).append(app)
                continue
            lines = (facts.report,) + ((facts.block,) if facts.block else ())
            yield Bullets(lines, title=app)
        for who, apps in earlier.items():
            yield self.same_as(join_names(apps), who)

    def starters(self, child: Child, label: str) -> Iterable[Block]:
        """Conversation starters for each of the child's worries at their age, then everyday
        ones; those an earlier child's section gave share one line: "Bullying and Everyday
        conversations: as for Sam"."""
        band = band_for(child.age).id
        yield from self.once("starters", self.texts.starters_intro)
        if self.answers.situation == "something-happened":
            yield from self.once("starters-later", self.texts.starters_after_something_happened)
        for_worries = False
        earlier_ones: dict[str, list[str]] = {}
        for concern in (*child.concerns, None):
            for item in self.use(s for s in self.content.starters if s.concern == concern and s.band == band):
                title = self.vocab.label("concerns", concern) if concern else self.texts.everyday_starters_title
                earlier = self.first_given("starters", item.id, label)
                if earlier:
                    earlier_ones.setdefault(earlier, []).append(title)
                    continue
                # beside a worry's own starters, the everyday ones are a few more, not a second list
                lines = item.starters[:rules.EVERYDAY_BESIDE_WORRIES] if concern is None and for_worries \
                    else item.starters
                yield Bullets(tuple(lines), title=title)
                for_worries = for_worries or concern is not None
        for who, titles in earlier_ones.items():
            yield self.same_as(join_names(titles), who)

    def family_sign_items(self) -> dict[str, list[int]]:
        """Warning signs for two or more of the children: said once, for the family."""
        if len(self.answers.children) < 2:
            return {}
        found = {item.id: rules.warning_sign_children(item, self.answers, self.vocab)
                 for item in self.content.warning_signs}
        return {item_id: indices for item_id, indices in found.items() if len(indices) >= 2}

    def family_signs(self) -> list[Block]:
        """The signs shared by two or more children, once, each named for whom when not for
        every child; a child's own section keeps the signs for their age alone."""
        children = self.answers.children
        blocks: list[Block] = []
        for item in self.use(w for w in self.content.warning_signs if w.id in self.shared_signs):
            indices = self.shared_signs[item.id]
            title = item.title
            if len(indices) < len(children):
                title += f" ({join_names([child_label(i, children) for i in indices])})"
            blocks.append(Bullets(tuple(item.signs), title=title))
            if item.what_to_do:
                blocks.append(Paragraph(item.what_to_do))
        return [*self.once("signs", self.texts.signs_intro), *blocks] if blocks else []

    def signs(self, child: Child) -> list[Block]:
        blocks: list[Block] = []
        for item in self.use(w for w in self.content.warning_signs
                             if self.for_child(w, child) and w.id not in self.shared_signs):
            blocks.append(Bullets(tuple(item.signs), title=item.title))
            if item.what_to_do:
                blocks.append(Paragraph(item.what_to_do))
        return blocks


def said_before(line: str, lines: Iterable[str]) -> bool:
    """Whether a "do not" line is already said: word for word, or as the start of a longer line
    ("Do not pay, and do not send anything more." in "Do not pay, and do not send anything
    more. If money was already sent, ...")."""
    return any(line == earlier or earlier.startswith(line) for earlier in lines)


def crisis_items(content: c.Content, what_happened: str, region: str | None, ages: Iterable[int]) -> list[c.FirstSteps]:
    """The first steps for a "what happened" choice: those for every age, and those for each
    of `ages` (none: the parent has not said), for the region (None: not chosen)."""
    concern = content.situation(what_happened).concern
    vocab = content.vocabulary
    chosen = rules.crisis_steps(content.first_steps, concern, region, vocab)
    for age in ages:
        chosen += rules.crisis_steps(content.first_steps, concern, region, vocab, age)
    return [item for item in content.first_steps if item in chosen]


def call_list(content: c.Content, items: Iterable[c.FirstSteps], region: str | None) -> list[c.Contact]:
    """Whom the items say to call, in order, each once, less services not for the region."""
    ids = dict.fromkeys(contact_id for item in items for contact_id in item.call)
    contacts = [content.contact(contact_id) for contact_id in ids]
    return [contact for contact in contacts if rules.covers(content.vocabulary, contact.regions, region)]


def first_steps_blocks(content: c.Content, items: Iterable[c.FirstSteps], region: str | None) -> list[Block]:
    """Each item as numbered steps, its "do not" lines, and whom to call (tap to call on screen).
    A "do not" line or a contact an earlier item already gave is not given again."""
    blocks: list[Block] = []
    said: set[str] = set()
    for item in _with_added_steps(items):
        sub: list[Block] = [Bullets(tuple(step for step in item.steps if step not in said), numbered=True)]
        sub.extend(Callout(line, "warning") for line in item.dont if line not in said)
        said.update(item.steps)
        contacts = [contact for contact in call_list(content, [item], region) if contact.id not in said]
        said.update(item.dont, (contact.id for contact in contacts))
        if contacts:
            sub.append(Route(content.texts.who_to_call, tuple(map(_card, contacts))))
        blocks.append(Subsection(item.title, tuple(sub)))
    return blocks


def _with_added_steps(items: Iterable[c.FirstSteps]) -> list[c.FirstSteps]:
    """An item of steps alone (no one to call, nothing not to do) for the same worry as the item
    before, such as "If your child is 12 or older: think about asking a solicitor", adds its steps
    to that item's list: it is there because the child is that age, so it needs no title."""
    merged: list[c.FirstSteps] = []
    for item in items:
        before = merged[-1] if merged else None
        if before and not item.call and not item.dont and item.concerns and item.concerns == before.concerns:
            merged[-1] = before.model_copy(update={"steps": [*before.steps, *item.steps]})
        else:
            merged.append(item)
    return merged


def crisis_section(content: c.Content, what_happened: str, region: str | None = None,
                   age: int | None = None) -> Section:
    """"Something has happened? Get help now": the section a parent sees at once after one
    choice, before any other question. A full plan opens with the same steps."""
    items = crisis_items(content, what_happened, region, [] if age is None else [age])
    return Section("first-steps", SectionKind.FIRST_STEPS, content.texts.first_steps_title,
                   (Paragraph(content.texts.first_steps_intro), *first_steps_blocks(content, items, region)))


def said_once(sections: list[Section]) -> tuple[Section, ...]:
    """Each organisation's full details once, where the plan first gives them; every later
    mention names it with its number only (a brief card), and "Help near you" and "Where to get
    help" leave out those already given ("Help near you" goes when none is left). Cards made brief
    on purpose (a summary page) do not count as given."""
    given: set[str] = set()
    lists = (SectionKind.HELP, SectionKind.NEAR_YOU)  # lists that leave out what the plan already gave
    kept = (_help_intro_if_needed(replace(s, blocks=_once(s.blocks, given, drop=s.kind in lists))) for s in sections)
    return tuple(s for s in kept if s.kind is not SectionKind.NEAR_YOU
                 or any(isinstance(b, ContactCard) for b in s.blocks))


def _help_intro_if_needed(section: Section) -> Section:
    """"Where to get help" says "more organisations that can help" only when some are left:
    with the advice sites alone, their line's own title says what they are."""
    if section.kind is not SectionKind.HELP or any(isinstance(b, ContactCard) for b in section.blocks):
        return section
    rest = tuple(b for b in section.blocks if not isinstance(b, Paragraph))
    return replace(section, blocks=rest) if rest else section


def _once(blocks: tuple[Block, ...], given: set[str], drop: bool) -> tuple[Block, ...]:
    def card(block: ContactCard) -> ContactCard | None:
        if block.brief:
            return block
        if block.name in given:  # named again, short ("CEOP Safety Centre"), with its number
            return None if drop else replace(block, brief=True, name=short_name(block.name))
        given.add(block.name)
        return block

    out: list[Block] = []
    for block in blocks:
        if isinstance(block, ContactCard):
            kept = card(block)
            if kept is not None:
                out.append(kept)
        elif isinstance(block, Route) and block.compact and drop:
            # a summary line in "Where to get help": without those already given in full
            shown = {short_name(name) for name in given}
            contacts = tuple(c for c in block.contacts if c.name not in shown)
            if contacts:
                out.append(replace(block, contacts=contacts))
        elif isinstance(block, Route):
            out.append(replace(block, contacts=tuple(card(c) or replace(c, brief=True) for c in block.contacts)))
        elif isinstance(block, Subsection):
            out.append(replace(block, blocks=_once(block.blocks, given, drop)))
        else:
            out.append(block)
    return tuple(out)


def _card(contact: c.Contact) -> ContactCard:
    return ContactCard(
        name=contact.name, what_for=contact.what_for, phone=contact.phone, phone_note=contact.phone_note,
        sms_number=contact.sms_number, sms_text=contact.sms_text, email=contact.email, url=contact.url,
    )


def _summary(contact: c.Contact) -> ContactCard:
    """A contact in "Where to get help": what it is for in its first sentence, and every way
    to reach it. The routes and the first steps give the rest where it matters."""
    return replace(_card(contact), what_for=contact.summary or rules.first_sentence(contact.what_for))


def _closing_last(chosen: Iterable[c.AgreementRule], own: tuple[str, ...]) -> tuple[str, ...]:
    """The suggested rules, then the family's own, then the closing ones (the grown-ups' promise)."""
    chosen = list(chosen)
    return (tuple(r.text for r in chosen if not r.closing) + tuple(own)
            + tuple(r.text for r in chosen if r.closing))


def _in_route(contact: c.Contact) -> ContactCard:
    """A contact under "If something happens" or "Help near you": its summary when it has one
    (what it is for and what it cannot do), else what it is for in full; its website has the rest.
    The first steps of a crisis plan give it in full."""
    return replace(_card(contact), what_for=contact.summary or contact.what_for)


def _brief(contact: c.Contact) -> ContactCard:
    """A contact named short with its first way to reach it: a summary page's line, which
    does not count as the plan's first mention of it."""
    return replace(_card(contact), name=short_name(contact.name), brief=True)


def _step(control: c.Control, age: int) -> ControlStep:
    """A control's steps at this age. Its feature is left out when the control's name already
    says it ("iPhone and iPad: Communication Safety", feature "Communication Safety")."""
    feature = "" if control.feature.casefold() in control.name.casefold() else control.feature
    return ControlStep(
        name=control.name, feature=feature, where=control.where, setting=control.setting_for(age),
        url=control.url, last_checked=control.last_checked, note=control.note,
    )
