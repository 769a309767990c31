"""Command line: `python -m plan build ANSWERS.yaml -o plan.pdf` and `python -m plan check`.

Exit codes: 0 done; 1 content problems (check) or the output could not be written;
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
from plan.content import CONTENT_DIR, ContentError, default_content
from plan.pdf import render_pdf

DEFAULT_OUTPUT = "family-online-safety-plan.pdf"


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, exit 2, as for bad answers
        print(f"{self.prog}: {message}", file=sys.stderr)
        sys.exit(2)


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m plan", description="Family online-safety plan")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    build = commands.add_parser("build", help="build a plan PDF from an answers file")
    build.add_argument("answers", help="answers file (YAML, see README)")
    build.add_argument("-o", "--output", default=DEFAULT_OUTPUT, help=f"PDF to write (default {DEFAULT_OUTPUT}; - for stdout)")
    build.add_argument("--date", type=_iso_date, default=None, help="the plan's date, YYYY-MM-DD (default today)")
    check = commands.add_parser("check", help="validate content and report coverage gaps and old items")
    check.add_argument("--content", type=Path, default=CONTENT_DIR, help=argparse.SUPPRESS)
    check.add_argument("--date", type=_iso_date, default=None, help="treat this as today, YYYY-MM-DD")
    return parser


def _iso_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a date as YYYY-MM-DD (got {value!r})") from None


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "check":
        return run_check(args.content, today=args.date or date.today())
    return _build(args)


def _build(args: argparse.Namespace) -> int:
    try:
        answers = load_answers(args.answers)
        pdf = render_pdf(build_plan(answers, today=args.date, content=default_content()))
    except AnswersError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    except ContentError as exc:
        print("content problems (run `python -m plan check`):\n" + str(exc), file=sys.stderr)
        return 1
    if args.output == "-":
        sys.stdout.buffer.write(pdf)
        return 0
    try:
        Path(args.output).write_bytes(pdf)
    except OSError as exc:
        print(f"output: cannot write {args.output} ({exc.strerror})", file=sys.stderr)
        return 1
    print(f"wrote {args.output}", file=sys.stderr)
    return 0
