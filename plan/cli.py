"""Command line: `python -m plan build ANSWERS.yaml [-f FORMAT] -o plan.pdf`, `python -m plan check
[--site DIR]`, `python -m plan schools import SCHOOLS.csv -o schools.yaml` and `python -m plan
schools export SITE_DIR -o schools.csv`.

Exit codes: 0 done; 1 content or site problems (check) or the output could not be written;
2 bad input (the one-line message goes to stderr and nothing is written).
"""
from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from plan.answers import AnswersError, load_answers
from plan.builder import build_plan
from plan.check import run_check
from plan.content import CONTENT_DIR, ContentError, default_content, load_content
from plan.outputs import FORMATS, OUTPUTS
from plan.schools import MAX_CSV_BYTES, import_schools_csv, schools_csv, schools_yaml
from plan.site import SiteError, load_site

DEFAULT_SCHOOLS_OUTPUT = "schools.yaml"
DEFAULT_CSV_OUTPUT = "schools.csv"


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, exit 2, as for bad answers
        print(f"{self.prog}: {message}", file=sys.stderr)
        sys.exit(2)


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m plan", description="Family online-safety plan")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    build = commands.add_parser("build", help="build a plan (PDF or another format) from an answers file")
    build.add_argument("answers", help="answers file (YAML, see README)")
    build.add_argument("-f", "--format", choices=list(FORMATS), default="pdf",
                       help="what to make (default pdf): " + "; ".join(f"{o.id}: {o.label}" for o in OUTPUTS))
    build.add_argument("-o", "--output", default=None, help="file to write (default: the format's usual name; - for stdout)")
    build.add_argument("--date", type=_iso_date, default=None, help="the plan's date, YYYY-MM-DD (default today)")
    build.add_argument("--site", type=Path, default=None, help="a host's site folder (branding, local services)")
    build.add_argument("--school", default=None, help="a school id from the site's schools.yaml")
    check = commands.add_parser("check", help="validate content and report coverage gaps and old items")
    check.add_argument("--content", type=Path, default=CONTENT_DIR, help=argparse.SUPPRESS)
    check.add_argument("--date", type=_iso_date, default=None, help="treat this as today, YYYY-MM-DD")
    check.add_argument("--site", type=Path, default=None, help="also check this host's site folder")
    schools = commands.add_parser("schools", help="a host's list of schools")
    actions = schools.add_subparsers(dest="action", required=True, parser_class=_Parser)
    imports = actions.add_parser("import", help="turn a CSV file of schools into schools.yaml")
    imports.add_argument("csv", help="CSV file: id,name,region,lead_role,phone,email (see README)")
    imports.add_argument("-o", "--output", default=DEFAULT_SCHOOLS_OUTPUT,
                         help=f"YAML to write (default {DEFAULT_SCHOOLS_OUTPUT}; - for stdout)")
    exports = actions.add_parser("export", help="write a site folder's schools as a CSV file for a spreadsheet")
    exports.add_argument("site", type=Path, help="the site folder (its schools.yaml)")
    exports.add_argument("-o", "--output", default=DEFAULT_CSV_OUTPUT,
                         help=f"CSV to write (default {DEFAULT_CSV_OUTPUT}; - for stdout)")
    return parser


def _iso_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a date as YYYY-MM-DD (got {value!r})") from None


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "check":
        return _check(args)
    if args.command == "schools":
        return _export_schools(args) if args.action == "export" else _import_schools(args)
    return _build(args)


def _check(args: argparse.Namespace) -> int:
    """The content check, then the site folder against that content: a site is only as good
    as the vocabulary its regions refer to."""
    status = run_check(args.content, today=args.date or date.today())
    if args.site is None or status != 0:
        return status
    try:
        site = load_site(args.site, load_content(args.content))
    except SiteError as exc:
        print(f"site: {len(exc.problems)} problem(s)")
        for problem in exc.problems:
            print(f"  error: {problem}")
        return 1
    print(f"site: {site.config.name}, {len(site.schools)} schools valid")
    return 0


def _import_schools(args: argparse.Namespace) -> int:
    """Every bad row is reported at once and nothing is written unless all rows are good, so
    a half-imported list never reaches families."""
    try:
        with open(args.csv, "rb") as file:
            data = file.read(MAX_CSV_BYTES + 1)  # one byte over is enough to refuse it
    except OSError as exc:
        print(f"cannot read {args.csv} ({exc.strerror})", file=sys.stderr)
        return 2
    try:
        vocabulary = default_content().vocabulary
    except ContentError as exc:
        print("content problems (run `python -m plan check`):\n" + str(exc), file=sys.stderr)
        return 1
    schools, problems = import_schools_csv(data, vocabulary)
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 2
    return _write(args.output, schools_yaml(schools).encode("utf-8"), f"{len(schools)} schools")


def _export_schools(args: argparse.Namespace) -> int:
    """The schools back as a spreadsheet, from a folder that passes `check --site`."""
    try:
        site = load_site(args.site, default_content())
    except SiteError as exc:
        print(f"site: {len(exc.problems)} problem(s)\n" + "\n".join(f"  error: {p}" for p in exc.problems), file=sys.stderr)
        return 1
    except ContentError as exc:
        print("content problems (run `python -m plan check`):\n" + str(exc), file=sys.stderr)
        return 1
    return _write(args.output, schools_csv(site.schools), f"{len(site.schools)} schools")


def _write(output: str, data: bytes, what: str) -> int:
    """Write only after everything is validated; `-` prints instead, for piping."""
    if output == "-":
        sys.stdout.buffer.write(data)
        return 0
    try:
        Path(output).write_bytes(data)
    except OSError as exc:
        print(f"output: cannot write {output} ({exc.strerror})", file=sys.stderr)
        return 1
    print(f"wrote {what} to {output}", file=sys.stderr)
    return 0


def _build(args: argparse.Namespace) -> int:
    output = FORMATS[args.format]
    try:
        content = default_content()
        site = load_site(args.site, content) if args.site else None
        answers = load_answers(args.answers, content.vocabulary)
        school = site.school(args.school) if site and args.school else None
        if args.school and school is None:
            raise AnswersError(f"school: {args.school!r} is not in the site's schools.yaml")
        family_plan = build_plan(answers, today=args.date or date.today(), content=content, site=site, school=school)
        data = output.render(family_plan, answers)
    except AnswersError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    except ContentError as exc:  # content or site folder problems
        print("problems (run `python -m plan check`):\n" + str(exc), file=sys.stderr)
        return 1
    return _write(args.output or output.file_name, data, output.label.lower())
