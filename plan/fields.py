"""Field types and YAML reading shared by every validated file: content, the host's site
folder and the schools list. A leaf module: it imports nothing from `plan` but the ages.

Every problem is reported as one line, `FILE: item 'ID': field: what is wrong`.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any

import phonenumbers
import yaml
from phonenumbers import shortnumberinfo
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, model_validator

from plan.ages import MAX_AGE, MIN_AGE
from plan.text import check_paragraph, excerpt

PROJECT_DIR = Path(__file__).resolve().parent.parent
MAX_CONTENT_FILE_BYTES = 2_000_000


class ContentError(Exception):
    """Content failed validation. `problems` holds one line per problem."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


Id = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=60)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1200), AfterValidator(check_paragraph)]


def check_https_url(value: str) -> str:
    if not re.fullmatch(r"https://[A-Za-z0-9.-]+\.[A-Za-z]{2,}(/[^\s<>\"]*)?", value):
        raise ValueError(f"must be a full https:// web address (got {excerpt(value)})")
    return value


HttpsUrl = Annotated[str, AfterValidator(check_https_url)]


def parse_uk_number(value: str) -> phonenumbers.PhoneNumber:
    """Parse a UK phone number or short code (999, 116 123, 85258) or raise ValueError."""
    if not re.fullmatch(r"\+?[0-9 ]{3,20}", value):
        raise ValueError(f"must be digits and spaces only (got {excerpt(value)})")
    parsed = phonenumbers.parse(value, "GB")
    if not (phonenumbers.is_valid_number(parsed) or shortnumberinfo.is_valid_short_number(parsed)):
        raise ValueError(f"is not a valid UK phone number (got {excerpt(value)})")
    return parsed


def _uk_number(value: str) -> str:
    parse_uk_number(value)
    return value


PhoneNumber = Annotated[str, AfterValidator(_uk_number)]


def check_email(value: str) -> str:
    if not re.fullmatch(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}", value):
        raise ValueError(f"is not an email address (got {excerpt(value)})")
    return value


Email = Annotated[str, AfterValidator(check_email)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class AgeRange(Strict):
    """Whole years, both ends included: `ages: {from: 8, to: 12}`."""

    from_: int = Field(alias="from", ge=MIN_AGE, le=MAX_AGE)
    to: int = Field(ge=MIN_AGE, le=MAX_AGE)

    @model_validator(mode="after")
    def _ordered(self) -> "AgeRange":
        if self.from_ > self.to:
            raise ValueError(f"'from' ({self.from_}) is after 'to' ({self.to})")
        return self

    def __contains__(self, age: object) -> bool:
        return isinstance(age, int) and self.from_ <= age <= self.to


ALL_AGES = AgeRange.model_validate({"from": MIN_AGE, "to": MAX_AGE})


def read_yaml(path: Path) -> Any:
    """One YAML file, safely loaded and size-bounded; problems as a one-line ContentError."""
    if not path.is_file():
        raise ContentError([f"{display(path)}: file is missing"])
    raw = path.read_bytes()
    if len(raw) > MAX_CONTENT_FILE_BYTES:
        raise ContentError([f"{display(path)}: file is too large"])
    try:
        return yaml.safe_load(raw.decode("utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        first_line = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ContentError([f"{display(path)}: not valid YAML ({first_line})"]) from None


def display(path: Path) -> str:
    """A path as problems name it: relative to the project when it is inside it."""
    try:
        return str(path.relative_to(PROJECT_DIR))
    except ValueError:
        return str(path)


def describe(error: dict[str, Any]) -> str:
    """One pydantic error as `field: what is wrong`."""
    loc = ".".join(str(part) for part in error["loc"] if part not in ("function-after",))
    message = {"extra_forbidden": "unknown field", "missing": "is required"}.get(
        error["type"], error["msg"].removeprefix("Value error, "))
    return f"{loc}: {message}" if loc else message
