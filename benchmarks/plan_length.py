"""How long is a plan, and how much of it says the same thing twice? Prints, for the golden
families, a few typical ones and the largest family, the PDF's pages and the share of its
longer sentences (eight or more words) that appear more than once in the PDF's text; and, since
hosts set the family's nation or area, the most pages the same family gets in any of them.
Asserts nothing: the targets are printed beside the figures.

Targets: at most 2 % of longer sentences repeated; one child with one device, one app and one
worry at most 6 pages; one child with up to three apps and two worries at most 8 pages; each
further child at most 3 pages more.

    python -m benchmarks.plan_length [--show N] [--uk-only]
"""
from __future__ import annotations

import argparse
import io
import re
from collections import Counter
from datetime import date
from pathlib import Path

from pypdf import PdfReader

from plan import build_plan, default_content, load_answers, parse_answers, render_pdf

TODAY = date(2026, 11, 22)
ANSWERS = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "answers"
LONG = 8  # words: a sentence this long or longer counts
REPEATED_TARGET = 2.0  # per cent
_PAGE_FURNITURE = re.compile(r"^(Family online-safety plan.*|Page \d+ of|\d+)$")
_SPLIT = re.compile(r"(?<=[.!?])\s+|\s*[•→✗]\s*")


def pdf_text(pdf: bytes) -> str:
    """The PDF's text without its page footers, as one run of words."""
    lines = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        lines.extend(line.strip() for line in page.extract_text().splitlines())
    return " ".join(line for line in lines if line and not _PAGE_FURNITURE.match(line))


def long_sentences(text: str) -> list[str]:
    sentences = (" ".join(part.split()) for part in _SPLIT.split(text))
    return [s for s in sentences if len(s.split()) >= LONG]


def repeats(sentences: list[str]) -> Counter:
    counts = Counter(s.lower() for s in sentences)
    return Counter({s: n for s, n in counts.items() if n > 1})


def page_target(answers) -> int:
    """The issue's page budget for these answers."""
    first = answers.children[0]
    small = len(answers.children) == 1 and len(first.devices) <= 1 and len(first.apps) <= 1 \
        and len(first.concerns) <= 1
    return (6 if small else 8) + 3 * (len(answers.children) - 1)


def families(content) -> list[tuple[str, object]]:
    vocab = content.vocabulary
    golden = [(path.stem, load_answers(path)) for path in sorted(ANSWERS.glob("*.yaml"))]
    everything = {"devices": list(vocab.ids("devices")), "apps": list(vocab.ids("apps")),
                  "concerns": list(vocab.ids("concerns"))}
    typical = [
        ("one child, 1+1+1", {"children": [
            {"name": "Siân", "age": 6, "devices": ["ipad"], "apps": ["youtube-kids"], "concerns": ["screen-time"]}]}),
        ("one teen, 3 apps, 2 worries", {"children": [
            {"name": "Sam", "age": 15, "devices": ["iphone"], "apps": ["tiktok", "snapchat", "instagram"],
             "concerns": ["nude-images", "bullying"]}]}),
        ("four children", {"children": [
            {"name": "Ava", "age": 16, "devices": ["iphone"], "apps": ["snapchat", "instagram"],
             "concerns": ["sextortion", "bullying"]},
            {"name": "Ben", "age": 13, "devices": ["android-phone", "xbox"], "apps": ["discord", "roblox"],
             "concerns": ["grooming"]},
            {"name": "Cal", "age": 9, "devices": ["nintendo-switch"], "apps": ["minecraft"],
             "concerns": ["screen-time"]},
            {"name": "Dot", "age": 5, "devices": ["ipad"], "apps": ["youtube-kids"], "concerns": []}]}),
        ("largest family", {
            "situation": "something-happened", "home": list(vocab.ids("home")),
            "children": [{"name": f"Child {i}", "age": i + 7, **everything} for i in range(10)]}),
    ]
    return golden + [(label, parse_answers(data, vocab)) for label, data in typical]


def most_pages(answers, content) -> tuple[int, str]:
    """The most pages these answers make in any nation or area, and where."""
    vocab = content.vocabulary
    counts = {
        vocab.label("regions", region): len(PdfReader(io.BytesIO(render_pdf(build_plan(
            answers.model_copy(update={"region": region}), today=TODAY, content=content)))).pages)
        for region in vocab.ids("regions")
    }
    place = max(counts, key=counts.get)
    return counts[place], place


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", type=int, default=0, help="print the N most repeated sentences of each plan")
    parser.add_argument("--uk-only", action="store_true", help="measure the UK-wide plans only")
    args = parser.parse_args()
    show = args.show
    content = default_content()
    print(f"{'family':<30}{'pages':>6}{'target':>8}{'long':>7}{'repeated':>10}{'share':>8}"
          + ("" if args.uk_only else "  most pages in a nation or area"))
    for label, answers in families(content):
        pdf = render_pdf(build_plan(answers, today=TODAY, content=content))
        pages = len(PdfReader(io.BytesIO(pdf)).pages)
        place_pages, place = (0, "") if args.uk_only or answers.region or len(answers.children) > 4 \
            else most_pages(answers, content)
        places = f"  {place_pages} ({place})" if place else ""
        sentences = long_sentences(pdf_text(pdf))
        repeated = repeats(sentences)
        in_repeats = sum(repeated.values())
        share = 100 * in_repeats / len(sentences) if sentences else 0.0
        target = page_target(answers)
        flags = ("" if pages <= target else " pages over") + ("" if share <= REPEATED_TARGET else " repeats over") \
            + ("" if place_pages <= target else " over in a nation or area")
        print(f"{label:<30}{pages:>6}{'<= ' + str(target):>8}{len(sentences):>7}{in_repeats:>10}"
              f"{share:>7.1f}%{places}{flags}")
        for sentence, count in repeated.most_common(show):
            print(f"    {count}x {sentence[:110]}")
    print()
    print(f"targets: repeated <= {REPEATED_TARGET:g} % of sentences of {LONG}+ words; pages: one child with one "
          "device, app and worry <= 6; one child with up to three apps and two worries <= 8; "
          "each further child <= 3 more")


if __name__ == "__main__":
    main()
