"""How fast is a plan? Prints build + render times; asserts nothing (machines are shared and
noisy). Targets on a 2-core machine: one child <= 100 ms; the largest family (10 children with
every device, app and concern) <= 1 s; and per page no more than twice ReportLab's own time for
a plain-text document in the same font.

    python benchmarks/plan_speed.py [--repeat N]
"""
from __future__ import annotations

import argparse
import io
import statistics
import time
from xml.sax.saxutils import escape
from datetime import date


from pypdf import PdfReader
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph, SimpleDocTemplate

from plan import build_plan, default_content, parse_answers, render_pdf
from plan.pdfkit import BODY_SIZE, FONT, register_fonts

TODAY = date(2026, 11, 22)


def timed(func, repeat: int) -> tuple[float, object]:
    """Median wall time in ms over `repeat` runs (after one warm-up), and the last result."""
    result = func()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        result = func()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), result


def pages(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


def plain_reportlab(texts: list[str]) -> bytes:
    """ReportLab's own baseline: these texts as plain paragraphs in the same font and size,
    with no markup, bullets, links, bookmarks or page footers."""
    register_fonts()
    style = ParagraphStyle("plain", fontName=FONT, fontSize=BODY_SIZE, leading=BODY_SIZE * 1.4)
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4, invariant=True).build(
        [Paragraph(escape(t), style) for t in texts])
    return buffer.getvalue()


def plan_texts(plan) -> list[str]:
    """Every text of a plan, one per paragraph the PDF makes of it."""
    from testkit.plans import texts
    return texts(plan)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    repeat = parser.parse_args().repeat
    content = default_content()
    vocab = content.vocabulary
    one = parse_answers({"children": [{"name": "Sam", "age": 12, "devices": ["iphone", "xbox"],
                                       "apps": ["roblox", "youtube"], "concerns": ["grooming", "bullying"]}]})
    everything = {"devices": list(vocab.ids("devices")), "apps": list(vocab.ids("apps")),
                  "concerns": list(vocab.ids("concerns"))}
    largest = parse_answers({
        "situation": "something-happened", "home": list(vocab.ids("home")),
        "children": [{"name": f"Child {i}", "age": i + 7, **everything} for i in range(10)],
    })

    rows, plans = [], []
    for label, answers in (("one child", one), ("largest family", largest)):
        build_ms, plan = timed(lambda a=answers: build_plan(a, today=TODAY, content=content), repeat)
        total_ms, pdf = timed(lambda a=answers: render_pdf(build_plan(a, today=TODAY, content=content)), repeat)
        rows.append((label, build_ms, total_ms, pages(pdf)))
        plans.append(plan)
    dense = ["A calm, plain sentence about keeping children safe online, repeated to fill the page. " * 4] * 300
    baselines = []
    for label, texts in (("plain, dense", dense), ("plain, same text", plan_texts(plans[-1]))):
        base_ms, base_pdf = timed(lambda t=texts: plain_reportlab(t), repeat)
        baselines.append((label, base_ms, pages(base_pdf)))

    print(f"{'family':<16}{'build ms':>10}{'build+render ms':>17}{'pages':>7}{'ms/page':>9}")
    for label, build_ms, total_ms, count in rows:
        print(f"{label:<16}{build_ms:>10.1f}{total_ms:>17.1f}{count:>7}{total_ms / count:>9.2f}")
    for label, base_ms, count in baselines:
        print(f"{'ReportLab ' + label:<26}{base_ms:>7.1f}{count:>7}{base_ms / count:>9.2f}".replace("ReportLab", "RL", 0))
    largest_per_page = rows[1][2] / rows[1][3]
    print()
    print(f"targets: one child {rows[0][2]:.0f} ms (<= 100); largest family {rows[1][2]:.0f} ms (<= 1000)")
    for label, base_ms, count in baselines:
        print(f"ms/page of the largest family: {largest_per_page / (base_ms / count):.2f}x ReportLab {label} (<= 2x)")


if __name__ == "__main__":
    main()
