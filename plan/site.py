"""A host's site folder: who runs the service, their branding and local services, and the
schools that share links to it.

    SITE_DIR/site.yaml      required when a folder is given
    SITE_DIR/schools.yaml   optional: the schools (write it with `python -m plan schools import`)
    SITE_DIR/logo.png       optional, named in site.yaml

The app reads the folder named by the FAMILY_PLAN_SITE environment variable at start-up and
runs as a plain, unbranded service without one. Everything is validated on load with errors
that name the file and the item; `python -m plan check --site DIR` runs the same checks.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any

from pydantic import AfterValidator, Field, ValidationError, model_validator

from plan.content import Contact, Content
from plan.fields import (
    ContentError,
    Email,
    HttpsUrl,
    Id,
    PhoneNumber,
    Strict,
    check_email,
    check_https_url,
    describe,
    read_yaml,
)
from plan.text import check_line, check_paragraph, excerpt

SITE_ENV = "FAMILY_PLAN_SITE"
MAX_LOGO_BYTES = 200_000
LOGO_TYPES = {b"\x89PNG\r\n\x1a\n": "png", b"\xff\xd8\xff": "jpeg"}


class SiteError(ContentError):
    """The site folder failed validation. `problems` holds one line per problem."""


def _colour(value: str) -> str:
    if not re.fullmatch(r"#[0-9a-fA-F]{6}", value):
        raise ValueError(f"must be a colour like #0b5563 (got {excerpt(value)})")
    return value.lower()


Colour = Annotated[str, AfterValidator(_colour)]
# Words a host gives that families see: one line (or, for the welcome, a paragraph) of text
# with no control or hidden formatting characters (see plan/text.py).
ShortLine = Annotated[str, Field(min_length=2, max_length=80), AfterValidator(check_line)]
Welcome = Annotated[str, Field(max_length=400), AfterValidator(check_paragraph)]


def _email_or_https(value: str) -> str:
    return check_https_url(value) if value.startswith("https://") else check_email(value)


EmailOrHttps = Annotated[str, AfterValidator(_email_or_https)]


class Colours(Strict):
    primary: Colour = "#0b5563"


class School(Strict):
    id: Id
    name: ShortLine
    region: Id
    lead_role: ShortLine = "Designated Safeguarding Lead"
    phone: PhoneNumber | None = None
    email: Email | None = None

    @model_validator(mode="after")
    def _reachable(self) -> "School":
        if not (self.phone or self.email):
            raise ValueError("needs a phone number or an email address for the safeguarding lead")
        return self


class SiteConfig(Strict):
    """site.yaml."""

    name: ShortLine
    public_url: HttpsUrl | None = None  # where families open the app; needed for school links
    welcome: Welcome | None = None
    logo: str | None = None  # a PNG or JPEG file in the site folder
    colours: Colours = Colours()
    default_region: Id | None = None
    privacy_contact: EmailOrHttps
    local_services: list[Contact] = []


class Site(Strict):
    """A validated site folder: its config, logo bytes and schools."""

    config: SiteConfig
    logo: bytes | None = None
    logo_type: str | None = None
    schools: list[School] = []

    def school(self, school_id: str | None) -> School | None:
        return next((s for s in self.schools if s.id == school_id), None)

    def school_link(self, school: School, focus: tuple[str, ...] = ()) -> str:
        """The link a school shares: ids only, so it can never carry text into the page."""
        base = (self.config.public_url or "").rstrip("/")
        link = f"{base}/?school={school.id}"
        return link + (f"&focus={','.join(focus)}" if focus else "")


def load_site(directory: Path | str, content: Content) -> Site:
    """Load and validate a site folder. Raises SiteError listing every problem."""
    directory = Path(directory)
    problems: list[str] = []
    if not (directory / "site.yaml").is_file():
        raise SiteError([f"{directory}/site.yaml: file is missing"])
    config = _validated(directory / "site.yaml", SiteConfig, problems)
    schools: list[School] = []
    if (directory / "schools.yaml").is_file():
        raw = _read(directory / "schools.yaml", problems)
        if raw is not None and not isinstance(raw, list):
            problems.append(f"{directory}/schools.yaml: must be a list of schools")
        for index, item in enumerate(raw or []):
            school = _validated_value(item, School, f"{directory}/schools.yaml: school {_label(item, index)}", problems)
            if school is not None:
                schools.append(school)
    logo = logo_type = None
    if config is not None:
        problems.extend(_cross_check(config, schools, content, directory))
        if config.logo:
            logo, logo_type = _read_logo(directory, config.logo, problems)
    if problems:
        raise SiteError(problems)
    return Site(config=config, logo=logo, logo_type=logo_type, schools=schools)


def _read(path: Path, problems: list[str]) -> Any:
    try:
        return read_yaml(path)
    except ContentError as exc:
        problems.extend(exc.problems)
        return None


def _validated(path: Path, model: type[Strict], problems: list[str]) -> Any:
    raw = _read(path, problems)
    if raw is None and not problems:
        problems.append(f"{path}: file is empty")
    return None if raw is None else _validated_value(raw, model, str(path), problems)


def _validated_value(raw: Any, model: type[Strict], where: str, problems: list[str]) -> Any:
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        problems.extend(f"{where}: {describe(e)}" for e in exc.errors())
        return None


def _label(item: Any, index: int) -> str:
    return f"'{item['id']}'" if isinstance(item, dict) and isinstance(item.get("id"), str) else str(index)


def _cross_check(config: SiteConfig, schools: list[School], content: Content, directory: Path) -> list[str]:
    problems = []
    regions = set(content.vocabulary.ids("regions"))
    if config.default_region and config.default_region not in regions:
        problems.append(f"{directory}/site.yaml: default_region: {config.default_region!r} is not a known region; "
                        f"choose from: {', '.join(sorted(regions))}")
    for service in config.local_services:
        for region in service.regions or []:
            if region not in regions:
                problems.append(f"{directory}/site.yaml: local_services '{service.id}': regions: {region!r} is not a known region")
        for concern in service.concerns or []:
            if concern not in content.vocabulary.ids("concerns"):
                problems.append(f"{directory}/site.yaml: local_services '{service.id}': concerns: {concern!r} is not a known concern")
    seen: set[str] = set()
    for school in schools:
        where = f"{directory}/schools.yaml: school '{school.id}'"
        if school.id in seen:
            problems.append(f"{where}: id is used twice")
        seen.add(school.id)
        if school.region not in regions:
            problems.append(f"{where}: region: {school.region!r} is not a known region")
    if schools and not config.public_url:
        problems.append(f"{directory}/site.yaml: public_url: needed for school links (e.g. https://plan.example.org)")
    return problems


def _read_logo(directory: Path, name: str, problems: list[str]) -> tuple[bytes | None, str | None]:
    path = (directory / name).resolve()
    if directory.resolve() not in path.parents or not path.is_file():
        problems.append(f"{directory}/site.yaml: logo: {name!r} must be a file inside the site folder")
        return None, None
    data = path.read_bytes()
    kind = next((kind for magic, kind in LOGO_TYPES.items() if data.startswith(magic)), None)
    if kind is None:
        problems.append(f"{directory}/site.yaml: logo: {name!r} must be a PNG or JPEG image")
    elif len(data) > MAX_LOGO_BYTES:
        problems.append(f"{directory}/site.yaml: logo: {name!r} must be at most {MAX_LOGO_BYTES // 1000} KB")
    return (data, kind) if kind and len(data) <= MAX_LOGO_BYTES else (None, None)
