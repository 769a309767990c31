"""Family online-safety plan: answers in, a personalised plan out.

    from plan import load_answers, build_plan, render_pdf
    pdf_bytes = render_pdf(build_plan(load_answers("answers.yaml")))

Nothing here imports Streamlit: the app (app.py) and the CLI (python -m plan) are thin
front ends over these functions.
"""
from plan.answers import Answers, AnswersError, Child, load_answers, parse_answers, parse_answers_text
from plan.builder import build_plan
from plan.content import ContentError, default_content, load_content
from plan.pdf import render_pdf

__all__ = [
    "Answers", "AnswersError", "Child", "ContentError", "build_plan", "default_content",
    "load_answers", "load_content", "parse_answers", "parse_answers_text", "render_pdf",
]
