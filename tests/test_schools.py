"""Importing a host's schools from a spreadsheet's CSV, schools.yaml, and `check --site`."""
from __future__ import annotations

from plan.content import default_content

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import csv
import io

from plan.schools import (
    COLUMNS,
    csv_cell,
    import_schools_csv,
    newsletter_paragraph,
    school_id_from_name,
    schools_csv,
    schools_yaml,
)
from plan.site import School, load_site

from .conftest import FIXTURES, ROOT

SITE = FIXTURES / "site"
HEADER = "id,name,region,lead_role,phone,email\n"
GOOD = HEADER + (
    "oakfield-primary,Oakfield Primary School,hampshire,,0113 496 0000,safeguarding@oakfield.example.org\n"
    ",Riverside Academy,Scotland,Child Protection Coordinator,,childprotection@riverside.example.org\n"
    ",Ysgol Gymraeg Aberdâr,wales,,+44 20 7946 0123,\n"
    "tom-and-jerry,<b>Tom & Jerry</b> Infants,staffordshire,,020 7946 0456,\n"
)
BAD = HEADER + (
    "good-school,Good School,england,,0113 496 0000,\n"        # row 2: fine
    "phone-school,Phone School,england,,0123,\n"                # row 3: bad phone
    "no-contact,Quiet School,england,,,\n"                      # row 4: no phone or email
    ",,england,,0113 496 0001,\n"                               # row 5: no name
    "Bad Id,Shouty School,narnia,,,not-an-email\n"              # row 6: id, region, email
)


def csv_bytes(text: str, bom: bool = False) -> bytes:
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8")


def site_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "site"
    shutil.copytree(SITE, folder)
    return folder


def run(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "plan", *args], cwd=ROOT, env=env, capture_output=True, text=True)


# ---- the CSV import ------------------------------------------------------------------------


def test_good_csv_gives_schools_and_yaml_that_the_site_loads_identically(content, tmp_path):
    schools, problems = import_schools_csv(csv_bytes(GOOD), content.vocabulary)
    assert problems == []
    assert [s.id for s in schools] == ["oakfield-primary", "riverside-academy", "ysgol-gymraeg-aberdar", "tom-and-jerry"]
    assert schools[1].region == "scotland" and schools[1].lead_role == "Child Protection Coordinator"
    assert schools[0].lead_role == "Designated Safeguarding Lead" and schools[2].email is None
    folder = site_copy(tmp_path)
    (folder / "schools.yaml").write_text(schools_yaml(schools), encoding="utf-8")
    assert load_site(folder, content).schools == schools


def test_yaml_is_plain_block_yaml_with_a_header_comment(content):
    schools, _ = import_schools_csv(csv_bytes(GOOD), content.vocabulary)
    text = schools_yaml(schools)
    assert text.startswith("# ") and "python -m plan schools import" in text.splitlines()[0]
    assert "- id: oakfield-primary\n  name: Oakfield Primary School\n" in text
    assert "{" not in text and "email: null" not in text


def test_every_bad_row_is_reported_with_its_row_number_and_field(content):
    schools, problems = import_schools_csv(csv_bytes(BAD), content.vocabulary)
    assert [s.id for s in schools] == ["good-school"]
    assert problems == [
        "row 3: phone: is not a valid UK phone number (got '0123')",
        "row 4: needs a phone number or an email address for the safeguarding lead",
        "row 5: name: is required",
        "row 6: region: 'narnia' is not a known region; choose from: " + ", ".join(content.vocabulary.ids("regions")),
        "row 6: id: must be lower-case letters, digits and single hyphens, like oakfield-primary (got 'Bad Id')",
        "row 6: email: is not an email address (got 'not-an-email')",
    ]


def test_duplicate_ids_name_both_rows_and_keep_the_first(content):
    text = HEADER + (
        "oakfield,Oakfield Primary,england,,0113 496 0000,\n"
        ",Riverside,england,,0113 496 0001,\n"
        "oakfield,Oakfield Juniors,england,,0113 496 0002,\n"
        ",Riverside,wales,,0113 496 0003,\n"
    )
    schools, problems = import_schools_csv(csv_bytes(text), content.vocabulary)
    assert problems == [
        "row 4: id 'oakfield' is used twice (first in row 2)",
        "row 5: id 'riverside' is used twice (first in row 3)",
    ]
    assert [(s.id, s.name) for s in schools] == [("oakfield", "Oakfield Primary"), ("riverside", "Riverside")]


def test_region_labels_are_accepted_in_any_case(content):
    text = HEADER + (
        "a-school,A School,SCOTLAND,,0113 496 0000,\n"
        "b-school,B School,hampshire and the isle of wight,,0113 496 0000,\n"
        "c-school,C School,Northern-Ireland,,0113 496 0000,\n"
    )
    schools, problems = import_schools_csv(csv_bytes(text), content.vocabulary)
    assert problems == []
    assert [s.region for s in schools] == ["scotland", "hampshire", "northern-ireland"]


def test_unknown_region_is_reported_once_with_the_choices(content):
    _, problems = import_schools_csv(csv_bytes(HEADER + "a,A School,Toyshire,,0113 496 0000,\n"), content.vocabulary)
    assert len(problems) == 1
    assert problems[0].startswith("row 2: region: 'Toyshire' is not a known region; choose from: england, ")


def test_excel_byte_order_mark_and_blank_rows_are_fine(content):
    text = "Id,Name,Region,Lead_Role,Phone,Email\r\n,Oakfield,england,,0113 496 0000,\r\n,,,,,\r\n\r\n"
    schools, problems = import_schools_csv(csv_bytes(text, bom=True), content.vocabulary)
    assert problems == [] and [s.id for s in schools] == ["oakfield"]


def test_optional_columns_may_be_left_out(content):
    schools, problems = import_schools_csv(csv_bytes("name,region,email\nOakfield,england,a@b.org\n"), content.vocabulary)
    assert problems == [] and schools[0].id == "oakfield" and schools[0].phone is None


@pytest.mark.parametrize("header, problem", [
    ("id,region,phone,email", "row 1: column 'name' is missing"),
    ("id,name,phone,email", "row 1: column 'region' is missing"),
    ("id,name,region,lead_role", "row 1: needs a 'phone' or an 'email' column (or both)"),
    ("id,name,region,phone,email,postcode",
     "row 1: unknown column 'postcode'; the columns are: id, name, region, lead_role, phone, email"),
    ("id,name,name,region,phone", "row 1: column 'name' appears twice"),
])
def test_header_problems_are_refused_before_any_row(content, header, problem):
    schools, problems = import_schools_csv(csv_bytes(f"{header}\nx,y,z,0113 496 0000,a@b.org\n"), content.vocabulary)
    assert (schools, problems) == ([], [problem])


@pytest.mark.parametrize("data, problem", [
    (b"", "the file is empty; it needs a header row: id,name,region,lead_role,phone,email"),
    (b"\xef\xbb\xbf\n,,\n", "the file is empty; it needs a header row: id,name,region,lead_role,phone,email"),
    (HEADER.encode(), "the file has a header row but no schools below it"),
    (HEADER.encode("utf-16"), "the file is not UTF-8 text (in Excel, save it as 'CSV UTF-8')"),
    (HEADER.encode() + b"," * 1_000_000, "the file is larger than 1 MB"),
])
def test_files_that_are_not_a_schools_table_give_one_problem(content, data, problem):
    assert import_schools_csv(data, content.vocabulary) == ([], [problem])


def test_cells_outside_the_named_columns_are_a_problem(content):
    text = "name,region,email,\nOakfield,england,a@b.org,\nRiverside,wales,r@b.org,extra\n"
    schools, problems = import_schools_csv(csv_bytes(text), content.vocabulary)
    assert problems == ["row 3: has cells outside the named columns (row 1)"]
    assert [s.id for s in schools] == ["oakfield"]


@pytest.mark.parametrize("name, school_id", [
    ("Oakfield Primary School", "oakfield-primary-school"),
    ("St Mary's C of E (Aided) Primary", "st-mary-s-c-of-e-aided-primary"),
    ("  Ysgol Gymraeg Aberdâr  ", "ysgol-gymraeg-aberdar"),
    ("--Zoë & Friends' Nursery!!", "zoe-friends-nursery"),
    ("!!", ""),
])
def test_ids_are_made_from_names(name, school_id):
    assert school_id_from_name(name) == school_id


def test_a_name_that_gives_no_id_asks_for_one(content):
    _, problems = import_schools_csv(csv_bytes(HEADER + ",!!!,england,,0113 496 0000,\n"), content.vocabulary)
    assert problems == ["row 2: id: cannot be made from the name; fill in the id column"]


def test_newsletter_paragraph_has_the_school_link_and_the_promises():
    site = load_site(SITE, default_content())
    school = site.school("oakfield-primary")
    paragraph = newsletter_paragraph(site, school)
    assert paragraph.count(site.school_link(school)) == 1 and "&focus" not in paragraph
    assert school.name in paragraph and "free" in paragraph
    assert "stored" in paragraph and "account" in paragraph and "\n" not in paragraph


def test_newsletter_paragraph_carries_the_flyers_link_with_its_focus():
    site = load_site(SITE, default_content())
    school = site.school("oakfield-primary")
    paragraph = newsletter_paragraph(site, school, ("bullying", "scams"))
    assert site.school_link(school, ("bullying", "scams")) in paragraph and "&focus=bullying,scams" in paragraph


# ---- the command line ----------------------------------------------------------------------


def test_cli_import_writes_yaml_that_loads(tmp_path, content):
    source = tmp_path / "schools.csv"
    source.write_bytes(csv_bytes(GOOD, bom=True))
    folder = site_copy(tmp_path)
    result = run("schools", "import", str(source), "-o", str(folder / "schools.yaml"))
    assert result.returncode == 0, result.stderr
    assert [s.id for s in load_site(folder, content).schools][0] == "oakfield-primary"
    assert len(load_site(folder, content).schools) == 4


def test_cli_bad_import_exits_2_prints_every_problem_and_writes_nothing(tmp_path, content):
    source = tmp_path / "schools.csv"
    source.write_text(BAD, encoding="utf-8")
    out = tmp_path / "schools.yaml"
    result = run("schools", "import", str(source), "-o", str(out))
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.splitlines() == import_schools_csv(csv_bytes(BAD), content.vocabulary)[1]
    assert [line.split(":")[0] for line in result.stderr.splitlines()] == ["row 3", "row 4", "row 5", "row 6", "row 6", "row 6"]
    assert not out.exists()


def test_cli_unreadable_input_exits_2_with_one_line(tmp_path):
    result = run("schools", "import", str(tmp_path / "missing.csv"), "-o", str(tmp_path / "schools.yaml"))
    assert result.returncode == 2 and len(result.stderr.splitlines()) == 1
    assert "cannot read" in result.stderr and "missing.csv" in result.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("cell, field, problem", [
    ("Oak\u202eloohcS", "name", "name: must not contain hidden formatting characters (found U+202E)"),
    ("Oak\u2066field", "name", "name: must not contain hidden formatting characters (found U+2066)"),
    ("Oak\u200bfield", "lead_role", "lead_role: must not contain hidden formatting characters (found U+200B)"),
    ("Oak\x07field", "name", "name: must not contain control characters or line breaks"),
    ('"Oak\nfield"', "lead_role", "lead_role: must not contain control characters or line breaks"),
])
def test_hidden_and_control_characters_in_names_are_refused(content, cell, field, problem):
    row = {"id": "oak", "name": "Oak", "region": "wales", "lead_role": "", "phone": "0113 496 0000", "email": ""}
    row[field] = cell
    schools, problems = import_schools_csv(csv_bytes(HEADER + ",".join(row[c] for c in COLUMNS) + "\n"), content.vocabulary)
    assert problems == [f"row 2: {problem}"] and schools == []


def test_problems_quote_a_short_excerpt_on_one_line(content):
    text = HEADER + "Bad Id\u202e" + "x" * 500 + ",Shouty School,narnia\u2028" + "y" * 5000 + ",,0113 496 0000,\n"
    schools, problems = import_schools_csv(csv_bytes(text), content.vocabulary)
    assert len(problems) == 2 and all(len(p) < 200 and p.isprintable() for p in problems), problems


# ---- the CSV export ------------------------------------------------------------------------

FORMULAS = GOOD.replace("Riverside Academy", '"=HYPERLINK(""https://evil.example"",""Riverside"")"').replace(
    "Child Protection Coordinator", "@SUM(A1)").replace("<b>Tom & Jerry</b> Infants", "-Tom and Jerry+ Infants")


@pytest.mark.parametrize("value, cell", [
    ("=1+1", "'=1+1"), ("+44 20 7946 0123", "'+44 20 7946 0123"), ("-2", "'-2"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\t=1", "'\t=1"), ("\r=1", "'\r=1"), ("Oakfield", "Oakfield"), ("'t Hooft", "'t Hooft"), (None, ""), ("a=b", "a=b"),
])
def test_a_cell_that_would_start_a_formula_is_written_as_text(value, cell):
    assert csv_cell(value) == cell


def test_export_runs_no_formula_and_imports_back_unchanged(content):
    schools, problems = import_schools_csv(csv_bytes(FORMULAS), content.vocabulary)
    assert problems == [] and schools[1].name.startswith("=HYPERLINK") and schools[1].lead_role == "@SUM(A1)"
    exported = schools_csv(schools)
    assert exported.startswith(b"\xef\xbb\xbf")  # Excel shows the accents of Aberd\u00e2r
    rows = list(csv.reader(io.StringIO(exported.decode("utf-8-sig"), newline="")))
    assert rows[0] == list(COLUMNS) and len(rows) == 5
    assert not [cell for row in rows for cell in row if cell[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert import_schools_csv(exported, content.vocabulary) == (schools, [])


def test_cli_export_writes_the_site_schools_as_csv(tmp_path, content):
    output = tmp_path / "schools.csv"
    result = run("schools", "export", str(SITE), "-o", str(output))
    assert result.returncode == 0, result.stderr
    assert import_schools_csv(output.read_bytes(), content.vocabulary) == (load_site(SITE, content).schools, [])


def test_check_site_passes_on_the_fixture_site():
    result = run("check", "--site", str(SITE))
    assert result.returncode == 0, result.stdout
    assert result.stdout.splitlines()[-1] == "site: Toyshire Safeguarding Partnership, 2 schools valid"


def _bad_colour(folder: Path) -> None:
    path = folder / "site.yaml"
    path.write_text(path.read_text().replace('"#5a2d82"', "purple"))


def _unknown_region(folder: Path) -> None:
    with (folder / "schools.yaml").open("a") as file:
        file.write("- {id: narnia-school, name: Narnia School, region: narnia, email: a@narnia.example.org}\n")


def _missing_logo(folder: Path) -> None:
    (folder / "logo.png").unlink()


def _edit_site(folder: Path, key: str, value: str) -> None:
    path = folder / "site.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith(f"{key}:"))
    lines[at] = f"{key}: {value}"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _hidden_in_name(folder: Path) -> None:
    _edit_site(folder, "name", '"Toyshire \\u202eSafeguarding"')


def _hidden_in_welcome(folder: Path) -> None:
    _edit_site(folder, "welcome", '"Welcome \\u2067to the plan"')


def _hidden_in_service(folder: Path) -> None:
    path = folder / "site.yaml"
    text = path.read_text(encoding="utf-8")
    assert "    name: " in text
    path.write_text(text.replace("    name: ", "    name: \u202d", 1), encoding="utf-8")


@pytest.mark.parametrize("breaks, expected", [
    (_bad_colour, "error: SITE/site.yaml: colours.primary: must be a colour like #0b5563 (got 'purple')"),
    (_unknown_region, "error: SITE/schools.yaml: school 'narnia-school': region: 'narnia' is not a known region"),
    (_missing_logo, "error: SITE/site.yaml: logo: 'logo.png' must be a file inside the site folder"),
    (_hidden_in_name, "error: SITE/site.yaml: name: must not contain hidden formatting characters (found U+202E)"),
    (_hidden_in_welcome, "error: SITE/site.yaml: welcome: must not contain hidden formatting characters (found U+2067)"),
    (_hidden_in_service, "must not contain hidden formatting characters (found U+202D)"),
])
def test_check_site_on_a_broken_site_exits_1_naming_file_and_field(tmp_path, breaks, expected):
    folder = site_copy(tmp_path)
    breaks(folder)
    result = run("check", "--site", str(folder))
    assert result.returncode == 1
    assert expected in result.stdout.replace(str(folder), "SITE")
    assert "schools valid" not in result.stdout


def test_the_csv_columns_are_the_school_fields():
    """A field added to School must become a column too, or imported files would lack it."""
    assert set(COLUMNS) == School.model_fields.keys()
