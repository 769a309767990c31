"""Reading level: what a child hears is at grade 6 or below, what a parent reads at grade 8 or
below (Flesch-Kincaid, plan/readability.py)."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from plan import readability
from plan.readability import CHILD, PARENT, content_texts, grade, over_limit, prepare, summary

from .conftest import ROOT

LONG_AND_COMPLICATED = (
    "Notwithstanding the considerable organisational difficulties associated with implementing "
    "comprehensive safeguarding arrangements, practitioners should systematically evaluate "
    "every conceivable vulnerability before initiating any intervention."
)
SHORT_AND_SIMPLE = "Tell me if you see something that makes you sad. I will help."


def offenders(content, audience: str) -> list[str]:
    return [f.describe() for f in over_limit(content) if f.audience == audience]


def test_every_child_text_is_at_grade_6_or_below(content):
    found = offenders(content, CHILD)
    assert not found, f"{len(found)} child texts over grade 6:\n" + "\n".join(found)


def test_every_parent_text_is_at_grade_8_or_below(content):
    found = offenders(content, PARENT)
    assert not found, f"{len(found)} parent texts over grade 8:\n" + "\n".join(found)


def test_a_long_complicated_sentence_is_hard_and_a_short_simple_one_is_not():
    assert grade(LONG_AND_COMPLICATED) > 15
    assert grade(SHORT_AND_SIMPLE) < 3


def test_texts_under_six_words_are_not_judged():
    assert grade("Unquestionably incomprehensible organisational bureaucracy.") is None
    assert grade("Parental controls to set up") is None
    assert grade("Talk to me when you feel sad.") is not None


def test_legal_citations_are_not_measured_but_other_brackets_are():
    plain = "It is against the law to keep such an image."
    cited = plain[:-1] + " (Civic Government (Scotland) Act 1982, sections 52 and 52A)."
    assert grade(cited) == pytest.approx(grade(plain))
    assert "Act 1982" not in prepare("The Protection of Children Act 1978 applies in England.")
    explained = "Tap the menu (the three dots at the top), then Report."
    assert "three dots" in prepare(explained)
    assert "(the section on apps)" in prepare("Read the help (the section on apps) first.")


def test_addresses_and_numbers_do_not_break_sentences():
    text = "Call Stop It Now! on 0808 1000 900 or go to www.stopitnow.org.uk for advice."
    assert prepare(text) == "Call Stop It Now on number or go to site for advice."
    assert prepare("Deaf callers can use textphone 18001 101. Email help@nspcc.org.uk, e.g. today.") == \
        "Deaf callers can use textphone number. Email site, eg today."


def test_each_text_is_classified_for_its_reader(toy):
    texts = content_texts(toy)
    by_file = {(t.file, t.audience) for t in texts}
    assert ("starters.yaml", CHILD) in by_file
    assert ("controls.yaml", PARENT) in by_file and ("texts.yaml", PARENT) in by_file
    assert not any(t.file == "starters.yaml" and t.audience == PARENT for t in texts)
    assert not any(t.file != "starters.yaml" and t.file != "agreement.yaml" and t.audience == CHILD for t in texts)


@pytest.mark.parametrize("audience, limit", [(CHILD, 6), (PARENT, 8)])
def test_a_hard_text_is_found_named_and_put_first(toy, audience, limit):
    if audience == CHILD:
        first = toy.starters[0]
        changed = first.model_copy(update={"starters": [LONG_AND_COMPLICATED, *first.starters[1:]]})
        content = toy.model_copy(update={"starters": [changed, *toy.starters[1:]]})
        where = ("starters.yaml", first.id, "starters[0]")
    else:
        first = toy.contacts[0]
        changed = first.model_copy(update={"what_for": LONG_AND_COMPLICATED})
        content = toy.model_copy(update={"contacts": [changed, *toy.contacts[1:]]})
        where = ("contacts.yaml", first.id, "what_for")
    found = over_limit(content)
    assert (found[0].file, found[0].item, found[0].field) == where
    assert found[0].audience == audience and found[0].limit == limit and found[0].over
    assert "Notwithstanding" in found[0].describe()
    assert (where in {(f.file, f.item, f.field) for f in over_limit(toy)}) is False


def test_summary_counts_each_audience():
    hard = readability.Finding("starters.yaml", "s", "starters[0]", CHILD, 9.0, 6.0, "x")
    easy = readability.Finding("routes.yaml", "r", "situation", PARENT, 5.0, 8.0, "y")
    assert summary([hard, easy]) == "reading level: 1 child texts over grade 6, 0 parent texts over grade 8"


def test_check_prints_the_reading_level():
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "-m", "plan", "check"], cwd=ROOT, env=env,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout
    lines = [line for line in result.stdout.splitlines() if line.startswith("reading level: ")]
    assert len(lines) == 1, result.stdout
    assert " child texts over grade 6, " in lines[0] and lines[0].endswith(" parent texts over grade 8")
