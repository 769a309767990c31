"""Schools for a host's site: imported from a spreadsheet, written as schools.yaml, and the
words a school pastes into its newsletter.

Hosts keep their list of schools in a spreadsheet, so the import reads the CSV that Excel or
Google Sheets saves and reports every bad row at once, by the row number the spreadsheet
shows: fixing one row at a time and re-running would be tedious. Each row is validated by
the same School model that `load_site` uses, so an imported file always loads.

The export writes the list back as CSV for the spreadsheet. A cell that starts with = + - @
(or a tab or carriage return) would be run as a formula when the file is opened, so such a
cell is written with a leading apostrophe, which spreadsheets read as "this is text" and do
not show; the import takes that apostrophe off again, so export then import changes nothing.
"""
from __future__ import annotations

import csv
import io
import re
import unicodedata
from typing import Any

import yaml
from pydantic import ValidationError

from plan.fields import describe
from plan.vocabulary import Vocabulary
from plan.site import School, Site
from plan.text import excerpt

MAX_CSV_BYTES = 1_000_000
COLUMNS = ("id", "name", "region", "lead_role", "phone", "email")
REQUIRED_COLUMNS = ("name", "region")
CONTACT_COLUMNS = ("phone", "email")  # at least one of these
MAX_ID_LENGTH = 60
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
TEXT_MARK = "'"  # a leading apostrophe: the spreadsheet's own way to say "text, not a formula"
YAML_HEADER = (
    "# Schools for this site, imported from a spreadsheet with `python -m plan schools import`.\n"
    "# You can edit this file by hand; check it with `python -m plan check --site DIR`.\n"
)


class _Unreadable(Exception):
    """The file as a whole cannot be read as a schools table; rows are not looked at."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


def import_schools_csv(data: bytes, vocabulary: Vocabulary) -> tuple[list[School], list[str]]:
    """The valid schools in a CSV file and one line per problem (row number and field).

    The file is usable only when the problem list is empty; the valid schools come back
    anyway so a caller can show what was understood."""
    try:
        header, body = _table(data)
    except _Unreadable as exc:
        return [], exc.problems
    schools: list[School] = []
    problems: list[str] = []
    first_row: dict[str, int] = {}
    for number, cells in enumerate(body, start=2):
        if not any(cell.strip() for cell in cells):
            continue  # spreadsheets often save blank rows at the end
        if _stray_cells(header, cells):
            problems.append(f"row {number}: has cells outside the named columns (row 1)")
            continue
        row = {column: _unguarded(cell.strip()) for column, cell in zip(header, cells) if column}
        school, row_problems = _school(number, row, vocabulary)
        problems.extend(row_problems)
        school_id = row_id(row)
        if school_id in first_row:
            problems.append(f"row {number}: id {excerpt(school_id)} is used twice (first in row {first_row[school_id]})")
        elif school_id:
            first_row[school_id] = number
        if school and first_row.get(school_id) == number:
            schools.append(school)
    if not first_row and not problems:
        problems.append("the file has a header row but no schools below it")
    return schools, problems


def _stray_cells(header: list[str], cells: list[str]) -> bool:
    """Filled cells beyond the header or under a column without a name would be lost."""
    named = len(header)
    return any(cell.strip() and (index >= named or not header[index]) for index, cell in enumerate(cells))


def _table(data: bytes) -> tuple[list[str], list[list[str]]]:
    """The header (column names in lower case) and the rows below it."""
    if len(data) > MAX_CSV_BYTES:
        raise _Unreadable([f"the file is larger than {MAX_CSV_BYTES // 1_000_000} MB"])
    try:
        text = data.decode("utf-8-sig")  # Excel starts "CSV UTF-8" files with a byte order mark
    except UnicodeDecodeError:
        raise _Unreadable(["the file is not UTF-8 text (in Excel, save it as 'CSV UTF-8')"]) from None
    try:
        table = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise _Unreadable([f"the file is not a readable CSV file ({exc})"]) from None
    if not any(any(cell.strip() for cell in row) for row in table):
        raise _Unreadable([f"the file is empty; it needs a header row: {','.join(COLUMNS)}"])
    header = [cell.strip().lower() for cell in table[0]]
    problems = _header_problems(header)
    if problems:
        raise _Unreadable(problems)
    return header, table[1:]


def _header_problems(header: list[str]) -> list[str]:
    """Row 1 must name known columns, each once, including the required ones."""
    problems = []
    for column in dict.fromkeys(header):
        if column and column not in COLUMNS:
            problems.append(f"row 1: unknown column '{column}'; the columns are: {', '.join(COLUMNS)}")
        elif column and header.count(column) > 1:
            problems.append(f"row 1: column '{column}' appears twice")
    for column in REQUIRED_COLUMNS:
        if column not in header:
            problems.append(f"row 1: column '{column}' is missing")
    if not any(column in header for column in CONTACT_COLUMNS):
        problems.append("row 1: needs a 'phone' or an 'email' column (or both)")
    return problems


def _school(number: int, row: dict[str, str], vocabulary: Vocabulary) -> tuple[School | None, list[str]]:
    """Validate one row with the School model, which `load_site` uses too. Blank cells count
    as not given, so the model's defaults apply."""
    raw: dict[str, Any] = {column: value for column, value in row.items() if value}
    raw["id"] = row_id(row)
    problems: list[str] = []
    explained: set[str] = set()
    if not raw["id"]:  # a blank id follows from the name, whose own problem is reported
        explained.add("id")
        if row.get("name"):
            problems.append(f"row {number}: id: cannot be made from the name; fill in the id column")
    if "region" in raw:
        raw["region"] = _region_id(raw["region"], vocabulary)
        if raw["region"] is None:
            explained.add("region")
            problems.append(f"row {number}: region: {excerpt(row['region'])} is not a known region; "
                            f"choose from: {', '.join(vocabulary.ids('regions'))}")
    try:
        school = School.model_validate(raw)
    except ValidationError as exc:
        problems.extend(f"row {number}: {_message(e)}" for e in exc.errors()
                        if not (e["loc"] and e["loc"][0] in explained))
        return None, problems
    return (None if problems else school), problems


def _message(error: dict[str, Any]) -> str:
    """The model's message, except that an id's pattern is said in words a host knows."""
    if error["loc"] == ("id",) and error["type"] == "string_pattern_mismatch":
        return f"id: must be lower-case letters, digits and single hyphens, like oakfield-primary (got {excerpt(error['input'])})"
    return describe(error)


def row_id(row: dict[str, str]) -> str:
    """The school's id: the id cell, or one made from the name when that is blank."""
    return row.get("id") or school_id_from_name(row.get("name", ""))


def _region_id(value: str, vocabulary: Vocabulary) -> str | None:
    """A region id or the region's label, in any case ("Scotland" -> scotland): hosts type
    what they see, not our ids."""
    for term in vocabulary.regions:
        if value.casefold() in (term.id, term.label.casefold()):
            return term.id
    return None


def school_id_from_name(name: str) -> str:
    """An id from a school's name: lower case, accents dropped, anything else a single hyphen."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower())[:MAX_ID_LENGTH].strip("-")


def schools_yaml(schools: list[School]) -> str:
    """schools.yaml text for a site folder: plain block YAML that hosts can edit by hand."""
    items = [school.model_dump(exclude_none=True) for school in schools]
    return YAML_HEADER + yaml.safe_dump(items, sort_keys=False, allow_unicode=True, default_flow_style=False)


def schools_csv(schools: list[School]) -> bytes:
    """The schools as a CSV file for a spreadsheet, in the columns the import reads. UTF-8 with
    the byte order mark Excel needs to show accents; no cell can run as a formula."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for school in schools:
        values = school.model_dump()
        writer.writerow([csv_cell(values.get(column)) for column in COLUMNS])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def csv_cell(value: Any) -> str:
    """A cell a spreadsheet shows as the text it is: one that would start a formula gets a
    leading apostrophe."""
    text = "" if value is None else str(value)
    return TEXT_MARK + text if text.startswith(FORMULA_STARTS) else text


def _unguarded(cell: str) -> str:
    """A cell without the apostrophe that `csv_cell` put before a formula-like start."""
    return cell[1:] if cell.startswith(TEXT_MARK) and cell[1:].startswith(FORMULA_STARTS) else cell


def newsletter_paragraph(site: Site, school: School, focus: tuple[str, ...] = ()) -> str:
    """A paragraph a school pastes into its newsletter to tell parents about the plan, with the
    same link as the flyer (its campaign's worries in `&focus=`)."""
    return (
        f"{school.name} is sharing a free family online-safety plan with parents and carers, "
        f"from {site.config.name}. "
        "You answer a few simple questions about your children's ages, devices and apps, and in a few "
        "minutes you get a personalised plan for your family, which you can make on your phone. "
        "Nothing you type is stored and you do not need an account. "
        f"Make your plan here: {site.school_link(school, focus)}"
    )
