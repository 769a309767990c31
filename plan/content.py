"""Content: the facts and wording a plan is made of, loaded from `content/*.yaml`.

Content is data. An item says *when* it applies only through fields the code defines
(`ages`, `concerns`, `devices`, `apps`, `home`, `targets`) and named predicates
(`when: [...]`, see `plan.rules`). Everything is validated on load; a problem is
reported as `content/FILE.yaml: item 'ID': field: what is wrong`.

A loaded `Content` is immutable and shared between all families: it never holds answers.
"""
from __future__ import annotations

import functools
from datetime import date
from pathlib import Path
from typing import Annotated, Any

from pydantic import Field, StringConstraints, ValidationError, model_validator

from plan.ages import BAND_IDS, MAX_AGE, MIN_AGE
from plan.fields import (  # noqa: F401 (the field types are part of this module's interface)
    ALL_AGES,
    AgeRange,
    ContentError,
    Email,
    HttpsUrl,
    Id,
    PhoneNumber,
    Strict,
    Text,
    describe,
    display,
    read_yaml,
)
from plan.rules import CONCERN_GROUPS, PREDICATES, TAGS, crisis_steps
from plan.vocabulary import KINDS, UK_WIDE, Term, Vocabulary  # noqa: F401

CONTENT_DIR = Path(__file__).resolve().parent.parent / "content"


class Item(Strict):
    """Every content item: a stable id, where its facts come from and when we last checked."""

    id: Id
    sources: list[HttpsUrl] = Field(min_length=1)
    last_checked: date


class Applies(Strict):
    """When an item applies. Unset fields do not restrict; set ones must all hold (AND);
    inside a list any one value is enough (OR)."""

    ages: AgeRange = ALL_AGES
    concerns: list[Id] | None = None
    regions: list[Id] | None = None  # region ids, a nation covering its areas, or "uk": no region chosen
    when: list[str] = []

    @model_validator(mode="after")
    def _known_predicates(self) -> "Applies":
        unknown = [name for name in self.when if name not in PREDICATES]
        if unknown:
            raise ValueError(
                f"when: unknown predicate {unknown[0]!r}; choose from: {', '.join(sorted(PREDICATES))}"
            )
        return self


# ---- items ---------------------------------------------------------------------------------


class Setting(Strict):
    ages: AgeRange
    do: Text


class Control(Item):
    """A parental-control feature for one or more devices, apps or home tech."""

    targets: list[Id] = Field(min_length=1)
    name: Text  # e.g. "iPhone and iPad: Screen Time"
    feature: Text  # the feature's own name, e.g. "Screen Time"
    where: Text  # where to find it, e.g. "Settings > Screen Time"
    settings: list[Setting] = Field(min_length=1)  # what to set, by age; together they cover 0-17
    note: Text | None = None
    url: HttpsUrl
    # Set: only for a child with one of these worries (an app's built-in AI chatbot, for a child
    # whose family worries about AI chatbots). Unset: for every child with the target.
    concerns: list[Id] | None = None

    @model_validator(mode="after")
    def _settings_cover_every_age(self) -> "Control":
        covered = sorted(age for s in self.settings for age in range(s.ages.from_, s.ages.to + 1))
        if covered != list(range(MIN_AGE, MAX_AGE + 1)):
            raise ValueError(
                f"settings: age ranges must cover every age {MIN_AGE}-{MAX_AGE} exactly once"
            )
        return self

    def setting_for(self, age: int) -> str:
        return next(s.do for s in self.settings if age in s.ages)


class AppFacts(Item):
    """Minimum age and how to report and block, for one app (id = the app's vocabulary id)."""

    minimum_age: int | None = Field(default=None, ge=MIN_AGE, le=18)
    # What else to know about the age limit, e.g. "Accounts of 13 to 15-year-olds are private by
    # default." Needed when there is no minimum age to state; it does not repeat the age.
    minimum_age_note: Text | None = None
    younger_than_minimum: Text | None = None  # what it means when the child is younger
    # True when the app has an age limit but its own pages, as read, did not confirm it: the plan
    # then tells the parent to read the app's terms, and states no age ("no single minimum age"
    # would be wrong).
    minimum_age_unconfirmed: bool = False
    report: Text
    block: Text | None = None

    @model_validator(mode="after")
    def _younger_needs_wording(self) -> "AppFacts":
        if self.minimum_age is not None and self.younger_than_minimum is None:
            raise ValueError("younger_than_minimum: needed when minimum_age is set")
        if self.minimum_age_unconfirmed and self.minimum_age is not None:
            raise ValueError("minimum_age_unconfirmed: only for an app whose minimum_age is null")
        if self.minimum_age is None and self.minimum_age_note is None:
            raise ValueError("minimum_age_note: needed when minimum_age is null")
        return self


class Contact(Item, Applies):
    """An organisation or service a family can turn to."""

    name: Text
    what_for: Text
    summary: Text | None = None  # what it is for, short, in "Where to get help"; else what_for's first sentence
    phone: PhoneNumber | None = None
    phone_note: Text | None = None  # e.g. "free, 24 hours"
    sms_number: PhoneNumber | None = None
    sms_text: Text | None = None  # the word to text, if any, e.g. SHOUT
    email: Email | None = None
    url: HttpsUrl | None = None
    always: bool = False  # listed in every plan, whatever the concerns
    emergency: bool = False  # the emergency services: the route naming it is "a child is in danger now"
    advice: bool = False  # an advice organisation (listed under "Where to get help")

    @model_validator(mode="after")
    def _reachable(self) -> "Contact":
        if not (self.phone or self.sms_number or self.email or self.url):
            raise ValueError("needs at least one of phone, sms_number, email or url")
        if self.sms_text is not None and self.sms_number is None:
            raise ValueError("sms_text needs sms_number")
        return self


class Route(Item, Applies):
    """'If this happens, contact these': a row of the If something happens section.
    With no `concerns` the route is in every plan."""

    situation: Text
    contacts: list[Id] = Field(min_length=1)
    dont: list[Text] = []


class FirstSteps(Item, Applies):
    """What to do now, for a parent after something has happened. No `concerns`: general.
    `call`: who to contact, in order (contact ids; a screen shows those for the family's region)."""

    title: Text
    steps: list[Text] = Field(min_length=1)
    dont: list[Text] = []
    call: list[Id] = []


Choice = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=90)]


class Situation(Item):
    """One answer to "what happened?" (`id` is a `what_happened` id in the answers format), in
    display order. `concern`: the worry whose first steps it shows and a full plan preselects;
    null: the general first steps ("something else / not sure")."""

    choice: Choice  # the label a parent taps, in plain words
    concern: Id | None


class Starters(Item):
    """Conversation starters for one concern (or everyday ones, `concern: null`) and age band."""

    concern: Id | None = None
    band: str
    starters: list[Text] = Field(min_length=3)

    @model_validator(mode="after")
    def _known_band(self) -> "Starters":
        if self.band not in BAND_IDS:
            raise ValueError(f"band: must be one of {', '.join(BAND_IDS)} (got {self.band!r})")
        return self


class WarningSigns(Item, Applies):
    """Signs to watch for. No `concerns`: shown for every child in the age range."""

    title: Text
    signs: list[Text] = Field(min_length=1)
    what_to_do: Text | None = None


class LawNote(Item, Applies):
    """What the law says, for a nation (or the UK-wide wording, `regions: [uk]`)."""

    text: Text


class AgreementRule(Item, Applies):
    """A suggested rule for the family agreement, said to the children. `topic` is the rule's
    stable id (a family leaves a rule out by topic); several items may word one topic for
    different ages: `ages` is the age of the child who signs. A `closing` rule (the grown-ups'
    promise) comes after every other, the family's own rules included."""

    topic: Id
    text: Text
    closing: bool = False


class Milestone(Item, Applies):
    """Something that changes at an age (e.g. 13: the minimum age of most social apps), for the
    calendar. `ages` as usual says which children it is for (now); `at_age` is the birthday."""

    at_age: int = Field(ge=1, le=MAX_AGE + 1)
    title: Text
    text: Text


class Texts(Strict):
    """The plan's own wording: titles, introductions and short templates.
    Templates may use only the placeholders named in `TEMPLATE_FIELDS`."""

    plan_title: Text
    cover_intro_planning: Text
    cover_intro_happened: Text
    how_to_use: list[Text]
    how_to_use_happened: list[Text]  # the same, in a plan that opens with first steps
    review: Text  # {review_by}
    first_steps_title: Text
    first_steps_intro: Text
    who_to_call: Text  # above each first step's contacts
    every_situation_title: Text  # first steps with nothing chosen: whom to call for each situation
    if_something_happens_title: Text
    if_something_happens_intro: Text
    always_remember: list[Text]
    always_evidence: Text  # before always_remember's last line
    always_evidence_young: Text  # the same, for a plan whose children are all under 8
    apps_title: Text
    under_minimum_age: Text  # {who} {age} {app} {minimum_age}
    at_or_over_minimum_age: Text  # {app} {minimum_age}
    no_minimum_age: Text  # {app}
    unconfirmed_minimum_age: Text  # {app}
    controls_title: Text
    controls_intro: Text
    no_devices: Text
    reporting_title: Text
    starters_title: Text
    starters_intro: Text
    starters_after_something_happened: Text  # after the intro, in a plan made after something happened
    everyday_starters_title: Text
    signs_title: Text
    signs_intro: Text
    home_title: Text
    home_intro: Text  # {youngest_age}
    law_title: Text
    help_title: Text
    help_intro: Text
    help_advice_title: Text = "Advice sites for parents"
    near_you_title: Text
    near_you_intro: Text  # {region}
    sources_title: Text
    sources_intro: Text
    footer: Text
    provided_by: Text  # {host}
    shared_by: Text  # {school}
    school_title: Text
    school_intro: Text  # {school} {role}
    school_when: list[Text]
    agreement_title: Text
    agreement_intro: Text
    signatures_title: Text
    agreement_everyone_title: Text  # the rules every signer shares, when ages need different wordings
    agreement_group_title: Text  # {names}: the rules for the children of one age group
    same_as: Text  # {who}: "as for Maya": something given in full in an earlier child's section
    same_settings_as: Text  # {who}: before a tick list of controls set up, and set, as for an earlier child
    review_event: Text  # calendar: the review reminder's title
    review_event_text: Text
    glance_title: Text  # "Our plan at a glance": the first page of a planning plan
    glance_child: Text  # {child}: the heading of a child's three things this week
    glance_intro: Text
    glance_device: Text  # {feature} {whose} {device}: set up a device's main parental control
    glance_app: Text  # {app} {setting}: an app's setting at the child's age (its first sentence)
    glance_ask: Text  # {starter}: a conversation starter that asks something
    glance_say: Text  # {starter}: one that does not
    glance_app_named: Text  # {whose} {app} {setting}: the same, when another child has the same step
    glance_ask_named: Text  # {child} {starter}
    glance_say_named: Text  # {child} {starter}
    glance_for_child: Text  # {child} {step}: a step that names its app itself ("TikTok is for 13 and over ...")
    glance_see: Text  # {section}: where the steps are
    glance_numbers_title: Text  # the four contacts in every plan, one line
    glance_worries_title: Text  # the family's worries' first routes, one line each
    glance_more_worries: Text  # {section}: more worries than the page has lines for
    glance_review: Text  # {review_by}


TEMPLATE_FIELDS: dict[str, set[str]] = {
    "review": {"review_by"},
    "under_minimum_age": {"who", "age", "app", "minimum_age"},
    "at_or_over_minimum_age": {"app", "minimum_age"},
    "no_minimum_age": {"app"},
    "unconfirmed_minimum_age": {"app"},
    "home_intro": {"youngest_age"},
    "near_you_intro": {"region"},
    "provided_by": {"host"},
    "shared_by": {"school"},
    "agreement_group_title": {"names"},
    "same_as": {"who"},
    "same_settings_as": {"who"},
    "school_intro": {"school", "role"},
    "glance_child": {"child"},
    "glance_device": {"feature", "whose", "device"},
    "glance_app": {"app", "setting"},
    "glance_ask": {"starter"},
    "glance_say": {"starter"},
    "glance_app_named": {"whose", "app", "setting"},
    "glance_ask_named": {"child", "starter"},
    "glance_say_named": {"child", "starter"},
    "glance_for_child": {"child", "step"},
    "glance_see": {"section"},
    "glance_more_worries": {"section"},
    "glance_review": {"review_by"},
}


# ---- the whole ---------------------------------------------------------------------------


class Content(Strict):
    vocabulary: Vocabulary
    controls: list[Control]
    apps: list[AppFacts]
    contacts: list[Contact]
    routes: list[Route]
    first_steps: list[FirstSteps]
    starters: list[Starters]
    warning_signs: list[WarningSigns]
    law: list[LawNote]
    agreement: list[AgreementRule]
    milestones: list[Milestone]
    situations: list[Situation]
    texts: Texts

    def contact(self, contact_id: str) -> Contact:
        return next(c for c in self.contacts if c.id == contact_id)

    def situation(self, situation_id: str) -> "Situation":
        return next(s for s in self.situations if s.id == situation_id)

    def app_facts(self, app_id: str) -> AppFacts | None:
        return next((a for a in self.apps if a.id == app_id), None)

    def all_items(self) -> list[tuple[str, Item]]:
        """(file stem, item) for every sourced item, for checks and the Sources section."""
        out: list[tuple[str, Item]] = []
        for name in ITEM_FILES:
            out.extend((name, item) for item in getattr(self, name))
        return out


ITEM_FILES: dict[str, type[Item]] = {
    "controls": Control,
    "apps": AppFacts,
    "contacts": Contact,
    "routes": Route,
    "first_steps": FirstSteps,
    "starters": Starters,
    "warning_signs": WarningSigns,
    "law": LawNote,
    "agreement": AgreementRule,
    "milestones": Milestone,
    "situations": Situation,
}


def _load_items(path: Path, model: type[Item], problems: list[str]) -> list[Any]:
    data = read_yaml(path)
    if not isinstance(data, list):
        problems.append(f"{display(path)}: must be a list of items")
        return []
    items = []
    for index, raw in enumerate(data):
        label = f"item '{raw.get('id')}'" if isinstance(raw, dict) and raw.get("id") else f"item {index}"
        try:
            items.append(model.model_validate(raw))
        except ValidationError as exc:
            problems.extend(f"{display(path)}: {label}: {describe(e)}" for e in exc.errors())
    return items


def _load_model(path: Path, model: type[Strict], problems: list[str]) -> Any:
    try:
        return model.model_validate(read_yaml(path))
    except ValidationError as exc:
        problems.extend(f"{display(path)}: {describe(e)}" for e in exc.errors())
        return None


def load_content(directory: Path | str = CONTENT_DIR) -> Content:
    """Load and validate all content in `directory`. Raises ContentError listing every problem."""
    directory = Path(directory)
    problems: list[str] = []
    parts: dict[str, Any] = {
        "vocabulary": _load_model(directory / "vocabulary.yaml", Vocabulary, problems),
        "texts": _load_model(directory / "texts.yaml", Texts, problems),
    }
    for name, model in ITEM_FILES.items():
        parts[name] = _load_items(directory / f"{name}.yaml", model, problems)
    if problems:
        raise ContentError(problems)
    parts["vocabulary"] = parts["vocabulary"].model_copy(update={"what_happened": [
        Term(id=situation.id, label=situation.choice) for situation in parts["situations"]]})
    content = Content(**parts)
    problems.extend(cross_check(content))
    if problems:
        raise ContentError(problems)
    return content


@functools.lru_cache(maxsize=4)
def default_content() -> Content:
    """The product's content, loaded once per process (it is immutable)."""
    return load_content(CONTENT_DIR)


def cross_check(content: Content) -> list[str]:
    """Problems that single items cannot see: duplicate ids, references to unknown ids,
    template placeholders."""
    from string import Formatter

    problems: list[str] = []
    vocab = content.vocabulary
    known = {kind: set(vocab.ids(kind)) for kind in KINDS}
    for kind, ids in known.items():
        if len(ids) != len(vocab.ids(kind)):
            problems.append(f"content/vocabulary.yaml: {kind}: ids must be unique")
    all_targets = known["devices"] | known["home"] | known["apps"]
    contact_ids = {c.id for c in content.contacts}

    for name in ITEM_FILES:
        seen: set[str] = set()
        for item in getattr(content, name):
            where = f"content/{name}.yaml: item '{item.id}'"
            if item.id in seen:
                problems.append(f"{where}: id is used twice")
            seen.add(item.id)
            for concern in getattr(item, "concerns", None) or []:
                if concern not in known["concerns"]:
                    problems.append(f"{where}: concerns: {concern!r} is not a known concern")
            for region in getattr(item, "regions", None) or []:
                if region not in known["regions"] | {UK_WIDE}:
                    problems.append(f"{where}: regions: {region!r} is not a known region (or 'uk')")
    for control in content.controls:
        for target in control.targets:
            if target not in all_targets:
                problems.append(
                    f"content/controls.yaml: item '{control.id}': targets: {target!r} is not a known device, app or home id"
                )
    for tag, kinds in TAGS.items():  # the conditions' tags must be there; a worry group may be empty
        if tag not in CONCERN_GROUPS and not any(vocab.tagged(kind, tag) for kind in kinds):
            problems.append(f"content/vocabulary.yaml: no {' or '.join(kinds)} carry the tag {tag!r} (plan.rules uses it)")
    for kind in KINDS:
        for term in getattr(vocab, kind):
            for tag in term.tags:
                if kind not in TAGS.get(tag, ()):
                    allowed = ", ".join(t for t, ks in TAGS.items() if kind in ks) or "none"
                    problems.append(f"content/vocabulary.yaml: {kind}: {term.id!r}: unknown tag {tag!r}; allowed: {allowed}")
    for kind in KINDS:
        for term in getattr(vocab, kind):
            if term.ages is not None and kind != "concerns":
                problems.append(f"content/vocabulary.yaml: {kind}: {term.id!r}: only concerns may have ages")
    for term in vocab.concerns:
        groups = [tag for tag in term.tags if tag in CONCERN_GROUPS]
        if len(groups) != 1:
            problems.append(f"content/vocabulary.yaml: concerns: {term.id!r}: needs exactly one group tag "
                            f"({', '.join(CONCERN_GROUPS)}), has {len(groups)}")
    for term in vocab.regions:
        if term.nation is not None and term.nation not in known["regions"]:
            problems.append(f"content/vocabulary.yaml: regions: {term.id!r}: nation {term.nation!r} is not a region")
    for app in content.apps:
        if app.id not in known["apps"]:
            problems.append(f"content/apps.yaml: item '{app.id}': id must be a known app id")
    for route in content.routes:
        for contact_id in route.contacts:
            if contact_id not in contact_ids:
                problems.append(
                    f"content/routes.yaml: item '{route.id}': contacts: {contact_id!r} is not in contacts.yaml"
                )
    problems.extend(_check_crisis(content, known, contact_ids))
    for starters in content.starters:
        if starters.concern is not None and starters.concern not in known["concerns"]:
            problems.append(
                f"content/starters.yaml: item '{starters.id}': concern: {starters.concern!r} is not a known concern"
            )
    for field_name, allowed in TEMPLATE_FIELDS.items():
        template = getattr(content.texts, field_name)
        used = {f for _, f, _, _ in Formatter().parse(template) if f}
        if used - allowed:
            problems.append(
                f"content/texts.yaml: {field_name}: unknown placeholder {sorted(used - allowed)[0]!r}; "
                f"allowed: {', '.join(sorted(allowed))}"
            )
    for field_name in Texts.model_fields:
        if field_name not in TEMPLATE_FIELDS:
            value = getattr(content.texts, field_name)
            for text in value if isinstance(value, list) else [value]:
                if "{" in text or "}" in text:
                    problems.append(f"content/texts.yaml: {field_name}: takes no placeholders")
    return problems


def _check_crisis(content: Content, known: dict[str, set[str]], contact_ids: set[str]) -> list[str]:
    """First steps' `call` ids exist; each situation's concern exists and has first steps that
    a screen can show without asking anything: for every age, with no region and in every nation."""
    problems: list[str] = []
    vocab = content.vocabulary
    for steps in content.first_steps:
        for contact_id in steps.call:
            if contact_id not in contact_ids:
                problems.append(
                    f"content/first_steps.yaml: item '{steps.id}': call: {contact_id!r} is not in contacts.yaml"
                )
    nations = [None] + [term.id for term in vocab.regions if term.nation is None]
    for situation in content.situations:
        where = f"content/situations.yaml: item '{situation.id}'"
        if situation.concern is not None and situation.concern not in known["concerns"]:
            problems.append(f"{where}: concern: {situation.concern!r} is not a known concern")
            continue
        for region in nations:
            if not crisis_steps(content.first_steps, situation.concern, region, vocab):
                problems.append(
                    f"{where}: no first steps for every age in first_steps.yaml for "
                    f"{'concern ' + repr(situation.concern) if situation.concern else 'the general item'} "
                    f"{'with no region' if region is None else 'in ' + region}"
                )
    return problems
