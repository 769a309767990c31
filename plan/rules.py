"""Every rule that decides whether a content item applies: ages, regions, worries, the named
conditions content may give in `when: [...]`, and which services are local.

Content names a condition; the rule lives here, in code, where it can be tested. Groupings a
rule needs (games, phones, social apps) are tags in `content/vocabulary.yaml`, so a new app
or device joins a group in the data. The builder asks this module; nothing else decides.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Iterable, Protocol

from plan.ages import MAX_AGE, MIN_AGE
from plan.vocabulary import UK_WIDE, Vocabulary

if TYPE_CHECKING:
    from plan.answers import Answers, Child
    from plan.fields import AgeRange

SIGNING_AGE = 5  # children this old and over sign the family agreement
YOUNG_UNTIL = 8  # a plan whose children are all younger names no sexual harm in its general text

# Tags in the vocabulary that the conditions below read.
ONLINE_GAMES = "online-games"  # devices and apps: consoles, VR, online games
OWN_PHONE = "own-phone"  # devices: a phone of their own
SOCIAL = "social"  # apps: social media, messaging and video sharing
# Worries (concerns) are grouped in the wizard as a parent thinks of them; each carries one of
# these tags, and the groups are listed in this order.
CONCERN_GROUPS = {
    "people": "People they talk to online",
    "seeing": "What they see",
    "doing": "What they do or share",
    "time-money": "Time and money",
}
TAGS = {ONLINE_GAMES: ("devices", "apps"), OWN_PHONE: ("devices",), SOCIAL: ("apps",),
        **{group: ("concerns",) for group in CONCERN_GROUPS}}


def concern_group(term) -> str:
    """The wizard's group for a worry: its one group tag (content checks there is exactly one)."""
    return next(tag for tag in term.tags if tag in CONCERN_GROUPS)


def listed_first(term, age: int | None) -> bool:
    """Is a worry listed first for a child of `age`? A worry's `ages` in vocabulary.yaml are the
    ages it fits (none: every age); the wizard shows the others one tap away, under "More
    worries", so a parent of a young child is not met first by worries for teenagers."""
    return term.ages is None or age is None or age in term.ages


class Applicable(Protocol):
    """What an item says about when it applies (plan.content.Applies)."""

    ages: "AgeRange"
    concerns: list[str] | None
    regions: list[str] | None
    when: list[str]


def _uses(child: "Child", vocab: Vocabulary, tag: str) -> bool:
    return bool(vocab.tagged("devices", tag) & set(child.devices) or vocab.tagged("apps", tag) & set(child.apps))


def plays_online_games(answers: "Answers", child: "Child", vocab: Vocabulary) -> bool:
    """A games console, VR headset or an online game."""
    return _uses(child, vocab, ONLINE_GAMES)


def has_own_phone(answers: "Answers", child: "Child", vocab: Vocabulary) -> bool:
    return _uses(child, vocab, OWN_PHONE)


def uses_social_media(answers: "Answers", child: "Child", vocab: Vocabulary) -> bool:
    return _uses(child, vocab, SOCIAL)


def only_young_children(answers: "Answers", child: "Child", vocab: Vocabulary) -> bool:
    """Every child in the family is under 8: a general line worded without sexual harm."""
    return all_young(answers)


def all_young(answers: "Answers") -> bool:
    return all(c.age < YOUNG_UNTIL for c in answers.children)


PREDICATES: dict[str, Callable[["Answers", "Child", Vocabulary], bool]] = {
    f.__name__: f for f in (plays_online_games, has_own_phone, uses_social_media, only_young_children)
}


def control_applies(control, child: "Child") -> bool:
    """A control with `concerns` (an app's own AI chatbot) is for a child with one of those
    worries; one without is for every child who has its device or app."""
    return control.concerns is None or bool(set(control.concerns) & set(child.concerns))


def covers(vocab: Vocabulary, item_regions: list[str] | None, region: str | None) -> bool:
    """Does an item for `item_regions` apply to a family in `region` (None: UK-wide)?
    A nation covers the areas inside it."""
    if item_regions is None:
        return True
    if region is None:
        return UK_WIDE in item_regions
    return region in item_regions or vocab.nation(region) in item_regions


def holds_for(item: Applicable, answers: "Answers", child: "Child", vocab: Vocabulary) -> bool:
    """Everything but age: the region, the child's worries and the named conditions."""
    return (
        covers(vocab, item.regions, answers.region)
        and (item.concerns is None or bool(set(item.concerns) & set(child.concerns)))
        and all(PREDICATES[name](answers, child, vocab) for name in item.when)
    )


def applies_to_child(item: Applicable, answers: "Answers", child: "Child", vocab: Vocabulary) -> bool:
    return child.age in item.ages and holds_for(item, answers, child, vocab)


def applies_to_family(item: Applicable, answers: "Answers", vocab: Vocabulary) -> bool:
    return any(applies_to_child(item, answers, child, vocab) for child in answers.children)


def in_region(item: Applicable, answers: "Answers", vocab: Vocabulary) -> bool:
    return covers(vocab, item.regions, answers.region)


def only_some_places(item: Applicable) -> bool:
    """A service for some nations or areas, not the whole UK."""
    return item.regions is not None and UK_WIDE not in item.regions


def is_local(item: Applicable, answers: "Answers", vocab: Vocabulary, host_service: bool = False) -> bool:
    """A service for "Help near you": only for some places (or one of the host's own) that
    covers this family's region, and for their worries when it names any."""
    return ((host_service or only_some_places(item)) and in_region(item, answers, vocab)
            and (item.concerns is None or applies_to_family(item, answers, vocab)))


def rules_age(answers: "Answers") -> int:
    """The age the family agreement's rules are worded for: the youngest child who signs, or
    the youngest child when none is old enough."""
    ages = [child.age for child in answers.children]
    return min([a for a in ages if a >= SIGNING_AGE] or ages)


def signs_agreement(child: "Child") -> bool:
    return child.age >= SIGNING_AGE


def agreement_children(answers: "Answers") -> list[int]:
    """The children whose age the agreement's rules are worded for: every child who signs, or,
    when none is old enough, the youngest child (by index, in the answers' order)."""
    signers = [i for i, child in enumerate(answers.children) if signs_agreement(child)]
    if signers:
        return signers
    ages = [child.age for child in answers.children]
    return [ages.index(min(ages))]


def agreement_wordings(items: Iterable[Applicable], answers: "Answers", child: "Child", vocab: Vocabulary,
                       topic: Callable[[Applicable], str]) -> list:
    """One wording per rule topic for this child, in content order: the first wording for the
    child's own age whose region, worries and conditions hold for them. A 13-year-old and a
    7-year-old in one family each sign rules worded for their own age."""
    chosen: dict[str, Applicable] = {}
    for item in items:
        if topic(item) not in chosen and child.age in item.ages and holds_for(item, answers, child, vocab):
            chosen[topic(item)] = item
    return list(chosen.values())


def app_pages(app_facts: Iterable, controls: Iterable, vocab: Vocabulary) -> dict[str, set[str]]:
    """Each page cited for an app (its facts' sources, its controls' links and sources) -> the
    apps it is about. A milestone cites such a page only for a family with one of those apps."""
    apps = set(vocab.ids("apps"))
    pages: dict[str, set[str]] = {}
    for facts in app_facts:
        for url in facts.sources:
            pages.setdefault(url, set()).add(facts.id)
    for control in controls:
        targets = set(control.targets)
        if targets <= apps:
            for url in (control.url, *control.sources):
                pages.setdefault(url, set()).update(targets)
    return pages


def warning_sign_children(item: Applicable, answers: "Answers", vocab: Vocabulary) -> list[int]:
    """The children (by index) a set of warning signs is for. Said once: signs for two or
    more children go in the family's part of the plan, not in each child's."""
    return [i for i, child in enumerate(answers.children) if applies_to_child(item, answers, child, vocab)]


def crisis_steps(items: Iterable[Applicable], concern: str | None, region: str | None, vocab: Vocabulary,
                 age: int | None = None) -> list:
    """The first steps a "what happened" choice shows, in content order: the items for its
    worry (`concern`; None: the general items, for "something else / not sure"), for the
    family's region (None: not chosen). Without an age, only the items for every age; with one,
    the items for that age. Nothing else is asked first: crisis help is never gated."""
    def keyed(item) -> bool:
        return item.concerns is None if concern is None else bool(item.concerns and concern in item.concerns)

    def fits_age(item) -> bool:
        return (item.ages.from_, item.ages.to) == (MIN_AGE, MAX_AGE) if age is None else age in item.ages

    return [item for item in items
            if keyed(item) and not item.when and fits_age(item) and covers(vocab, item.regions, region)]


# ---- "Our plan at a glance": this week's steps ------------------------------------------------

WEEK_STEPS = 3  # things to do this week, for each child
WORRY_LINES = 4  # the family's worries' routes on the first page; the rest are in "If something happens"
EVERYDAY_BESIDE_WORRIES = 3  # everyday conversation starters shown after a worry's own starters
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


@dataclass(frozen=True)
class WeekStep:
    """One thing to do this week: set up a device's parental controls (`kind` "device": `item`
    is the control, `target` the device id), an app's setting at the child's age ("app": the
    control and the app id), or start a conversation ("talk": the starters item and the line)."""

    kind: str
    item: object
    target: str


def first_sentence(text: str) -> str:
    return _SENTENCE_END.split(text.strip(), maxsplit=1)[0]


def sentences(text: str) -> list[str]:
    return _SENTENCE_END.split(text.strip())


def unsaid(text: str, said: set[str]) -> str:
    """`text` without its closing sentences that `said` already holds (compared without case):
    advice such as "If the app does not act, Report Harmful Content can help" once, at the first
    route that gives it. Only from the end, so no sentence loses the one it follows on from; never
    the first, which says what it is about; never one that says to call 999. What is kept joins
    `said`."""
    kept = sentences(text)
    while len(kept) > 1 and kept[-1].casefold() in said and "999" not in kept[-1]:
        kept.pop()
    said.update(s.casefold() for s in kept)
    return " ".join(kept)


def split_first_sentence(text: str) -> tuple[str, str]:
    """The first sentence, and the rest ("" when there is no more)."""
    first, *rest = _SENTENCE_END.split(text.strip(), maxsplit=1)
    return first, rest[0] if rest else ""


def is_question(line: str) -> bool:
    return line.rstrip().rstrip("\"'\u201d").endswith("?")


def first_controls(targets: Iterable[str], controls: Iterable) -> list[tuple[object, str]]:
    """For each of `targets` in order, its first parental-control item (content lists each
    device's and app's most important control first), each control once."""
    controls = list(controls)
    chosen: list[tuple[object, str]] = []
    for target in targets:
        control = next((ctl for ctl in controls if target in ctl.targets), None)
        if control is not None and all(control is not other for other, _ in chosen):
            chosen.append((control, target))
    return chosen


def first_questions(child: "Child", starters: Iterable, band: str) -> list[tuple[object, str]]:
    """A conversation to start for each of the child's worries in order, then an everyday one:
    the first starter that asks something (or the first starter, when none does)."""
    starters = list(starters)
    chosen: list[tuple[object, str]] = []
    for concern in (*child.concerns, None):
        item = next((s for s in starters if s.concern == concern and s.band == band), None)
        if item is not None:
            chosen.append((item, next((line for line in item.starters if is_question(line)), item.starters[0])))
    return chosen


def week_steps(child: "Child", controls: Iterable, starters: Iterable, band: str,
               limit: int = WEEK_STEPS) -> list[WeekStep]:
    """The most useful things to do this week for this child, most useful first: their first
    device's main parental control, their first app's setting at their age, and a conversation
    about their first worry (or an everyday one); then the next device, app and conversation in
    turn, until there are `limit`. A control that serves two of their devices or apps is one step."""
    controls = list(controls)
    devices = [WeekStep("device", ctl, target) for ctl, target in first_controls(child.devices, controls)]
    apps = [WeekStep("app", ctl, target) for ctl, target in first_controls(child.apps, controls)
            if all(ctl is not step.item for step in devices)]
    talks = [WeekStep("talk", item, line) for item, line in first_questions(child, starters, band)]
    order: list[WeekStep] = []
    for turn in range(max(len(devices), len(apps), len(talks))):
        for steps in ((devices, apps, talks) if turn == 0 else (apps, devices, talks)):
            if turn < len(steps):
                order.append(steps[turn])
    return order[:limit]


def worry_routes(routes: Iterable[Applicable], answers: "Answers", vocab: Vocabulary,
                 is_emergency: Callable[[Applicable], bool] = lambda route: False) -> list[tuple[str, object]]:
    """For each worry the family chose, in the order chosen, (the worry, its route): the route
    most its own that applies to the family (naming the fewest worries: "A child is being
    bullied" before "Someone threatens to hurt a child"), and of those the first that is not an
    emergency route (999 is on the page already). Each route once: a line each on the plan's
    first page."""
    routes = [route for route in routes if route.concerns and applies_to_family(route, answers, vocab)]
    worries = dict.fromkeys(concern for child in answers.children for concern in child.concerns)
    chosen: list[tuple[str, object]] = []
    for worry in worries:
        route = min((r for r in routes if worry in r.concerns), key=lambda r: (len(r.concerns), is_emergency(r)),
                    default=None)
        if route is not None and all(route is not other for _, other in chosen):
            chosen.append((worry, route))
    return chosen


def week_contact(contacts: list) -> object | None:
    """The contact a worry's line on the first page names: the one its route leads with, passing
    over 999 (the page gives it first). Even when it is one of the numbers every family keeps,
    the line says which of them is for this worry; a route's later contacts are for later steps."""
    return next((c for c in contacts if not c.emergency), contacts[0] if contacts else None)
