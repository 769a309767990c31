"""Every file a family can take away, in one list shared by the app and the CLI.

Each output is a renderer over the same Plan (or, for `answers`, the answers themselves), so
a new format is one entry here and one renderer module.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Callable

import yaml

from plan.answers import Answers
from plan.model import Plan, SectionKind


@dataclass(frozen=True)
class Output:
    id: str  # the CLI's --format
    label: str  # the app's download button
    file_name: str
    mime: str
    render: Callable[[Plan, Answers], bytes]


def _pdf(plan: Plan, answers: Answers) -> bytes:
    from plan.pdf import render_pdf

    return render_pdf(plan)


def _large_print(plan: Plan, answers: Answers) -> bytes:
    from plan.pdf import render_pdf

    return render_pdf(plan, large_print=True)


def _html(plan: Plan, answers: Answers) -> bytes:
    from plan.html import render_html

    return render_html(plan).encode("utf-8")


def _ics(plan: Plan, answers: Answers) -> bytes:
    from plan.calendar import render_ics

    return render_ics(plan)


def _carer(plan: Plan, answers: Answers) -> bytes:
    from plan.carer import render_carer_card

    return render_carer_card(plan)


def _agreement(plan: Plan, answers: Answers) -> bytes:
    from plan.pdf import render_pdf

    return render_pdf(only_kinds(plan, SectionKind.AGREEMENT))


def _answers(plan: Plan, answers: Answers) -> bytes:
    return answers_yaml(answers).encode("utf-8")


def only_kinds(plan: Plan, *kinds: SectionKind) -> Plan:
    """The plan cut down to some kinds of section (e.g. the agreement to print and sign on its own)."""
    return dataclasses.replace(plan, sections=tuple(s for s in plan.sections if s.kind in kinds))


def answers_yaml(answers: Answers) -> str:
    """The answers as a small file to keep and load again later (README "The answers file")."""
    header = ("# Family online-safety plan: your answers. Keep this file to update your plan later:\n"
              "# open the plan page and choose \"Load saved answers\". Nothing else is stored anywhere.\n")
    return header + yaml.safe_dump(answers.to_data(), sort_keys=False, allow_unicode=True)


OUTPUTS: tuple[Output, ...] = (
    Output("pdf", "Download PDF", "family-online-safety-plan.pdf", "application/pdf", _pdf),
    Output("large-print", "Large print PDF", "family-online-safety-plan-large-print.pdf", "application/pdf",
           _large_print),
    Output("html", "Accessible web page (HTML)", "family-online-safety-plan.html", "text/html", _html),
    Output("ics", "Calendar reminders (.ics)", "family-online-safety-reminders.ics", "text/calendar", _ics),
    Output("carer", "Carer card (PDF)", "carer-card.pdf", "application/pdf", _carer),
    Output("agreement", "Family agreement to sign (PDF)", "family-agreement.pdf", "application/pdf", _agreement),
    Output("answers", "Save my answers (to update the plan later)", "family-plan-answers.yaml",
           "application/x-yaml", _answers),
)
FORMATS = {output.id: output for output in OUTPUTS}
