"""`python -m plan build` and `python -m plan check`, run as a user would run them."""
from __future__ import annotations

import os
import subprocess
import sys

from pypdf import PdfReader

from .conftest import FIXTURES, ROOT

ANSWERS = FIXTURES / "answers"


def run(*args: str, cwd=ROOT) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "plan", *args], cwd=cwd, env=env, capture_output=True, text=True)


def test_build_writes_a_pdf(tmp_path):
    out = tmp_path / "plan.pdf"
    result = run("build", str(ANSWERS / "two-children.yaml"), "-o", str(out), "--date", "2026-11-22")
    assert result.returncode == 0, result.stderr
    text = "".join(page.extract_text() for page in PdfReader(out).pages)
    assert "Maya, age 13" in text and "Screen Time" in text


def test_bad_answers_exit_2_with_one_line_and_write_nothing(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("children:\n  - age: 9.5\n")
    out = tmp_path / "plan.pdf"
    result = run("build", str(bad), "-o", str(out))
    assert result.returncode == 2
    assert result.stderr == "children[0].age: must be a whole number from 0 to 17 (got 9.5)\n"
    assert result.stdout == "" and not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.yaml"]


def test_missing_answers_file_and_bad_date_exit_2(tmp_path):
    result = run("build", str(tmp_path / "nope.yaml"), "-o", str(tmp_path / "p.pdf"))
    assert result.returncode == 2 and "cannot read nope.yaml" in result.stderr
    result = run("build", str(ANSWERS / "two-children.yaml"), "--date", "22/11/2026", "-o", str(tmp_path / "p.pdf"))
    assert result.returncode == 2 and len(result.stderr.splitlines()) == 1
    assert list(tmp_path.iterdir()) == []


def test_check_passes_on_real_content():
    result = run("check")
    assert result.returncode == 0, result.stdout
    assert "coverage gaps: 0" in result.stdout


def test_check_fails_on_broken_content_naming_file_and_item(tmp_path):
    for source in (FIXTURES / "content").iterdir():
        (tmp_path / source.name).write_text(source.read_text())
    broken = (tmp_path / "controls.yaml").read_text().replace("feature: Lock", "feature: Lock\n  colour: red")
    (tmp_path / "controls.yaml").write_text(broken)
    result = run("check", "--content", str(tmp_path))
    assert result.returncode == 1
    assert "error: content/controls.yaml: item 'phone-lock': colour: unknown field" in \
        result.stdout.replace(str(tmp_path), "content")


def test_check_warns_about_old_items_and_gaps():
    result = run("check", "--content", str(FIXTURES / "content"), "--date", "2027-06-01")
    assert result.returncode == 0
    assert "older than 12 months: controls.yaml: item 'phone-lock' was last checked on 2026-01-01" in result.stdout
    assert "warning: coverage: devices: 'xbox' has no parental-control item" in result.stdout
    assert "older than 12 months: facts.yaml: domain 'example.org' was last checked on 2026-01-01" in result.stdout


def test_check_warns_about_a_service_named_outside_its_regions(tmp_path):
    for source in (FIXTURES / "content").iterdir():
        (tmp_path / source.name).write_text(source.read_text())
    text = (tmp_path / "contacts.yaml").read_text()
    assert "name: Scotland line" in text
    law = (tmp_path / "law.yaml").read_text().replace("LAW-ENGLAND", "LAW-ENGLAND. In Scotland, call the Scotland line", 1)
    (tmp_path / "law.yaml").write_text(law)
    result = run("check", "--content", str(tmp_path))
    assert result.returncode == 0, result.stdout
    assert "warning: outside its regions: law.yaml: item " in result.stdout
    assert "names 'Scotland line', which does not cover" in result.stdout


def test_check_fails_on_a_number_not_in_the_fact_register(tmp_path):
    for source in (FIXTURES / "content").iterdir():
        (tmp_path / source.name).write_text(source.read_text())
    law = (tmp_path / "law.yaml").read_text().replace("LAW-ENGLAND", "LAW-ENGLAND. Call 0800 123 4567", 1)
    (tmp_path / "law.yaml").write_text(law)
    result = run("check", "--content", str(tmp_path))
    assert result.returncode == 1
    assert "the number '0800 123 4567' is not in facts.yaml" in result.stdout


def test_every_format_builds(tmp_path):
    from plan.outputs import OUTPUTS

    answers = ANSWERS / "two-children.yaml"
    for output in OUTPUTS:
        out = tmp_path / output.file_name
        result = run("build", str(answers), "-f", output.id, "-o", str(out), "--date", "2026-11-22")
        assert result.returncode == 0, (output.id, result.stderr)
        data = out.read_bytes()
        kinds = {"application/pdf": b"%PDF-", "text/html": b"<!doctype html", "text/calendar": b"BEGIN:VCALENDAR",
                 "application/x-yaml": b"# Family online-safety plan"}
        assert data.lower().startswith(kinds[output.mime].lower()), output.id


def test_saved_answers_load_back_identically(tmp_path):
    from plan import load_answers

    out = tmp_path / "saved.yaml"
    assert run("build", str(ANSWERS / "two-children.yaml"), "-f", "answers", "-o", str(out)).returncode == 0
    assert load_answers(out) == load_answers(ANSWERS / "two-children.yaml")


def test_agreement_format_is_the_agreement_alone(tmp_path):
    out = tmp_path / "agreement.pdf"
    assert run("build", str(ANSWERS / "two-children.yaml"), "-f", "agreement", "-o", str(out)).returncode == 0
    outline = [o.title for o in PdfReader(out).outline if not isinstance(o, list)]
    assert outline == ["Our family agreement"]


def test_site_and_school(tmp_path):
    out = tmp_path / "plan.pdf"
    site = FIXTURES / "site"
    result = run("build", str(ANSWERS / "young-child.yaml"), "--site", str(site), "--school", "oakfield-primary", "-o", str(out))
    assert result.returncode == 0, result.stderr
    text = "".join(page.extract_text() for page in PdfReader(out).pages)
    assert "Oakfield Primary School" in text and "Toyshire Safeguarding Partnership" in text
    bad = run("build", str(ANSWERS / "young-child.yaml"), "--site", str(site), "--school", "nowhere", "-o", str(tmp_path / "x.pdf"))
    assert bad.returncode == 2 and bad.stderr == "school: 'nowhere' is not in the site's schools.yaml\n"
    assert not (tmp_path / "x.pdf").exists()


def test_unknown_format_is_one_line_exit_2(tmp_path):
    result = run("build", str(ANSWERS / "young-child.yaml"), "-f", "docx", "-o", str(tmp_path / "x"))
    assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1 and "docx" in result.stderr
