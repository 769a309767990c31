"""A one-page A4 flyer a school prints or sends home: what the plan is and is not, and a QR
code that opens the plan with the school already chosen.

Parents meet it on paper or as a PDF on a phone, so the code is large with its quiet zone,
the same link is printed and clickable underneath, body text is at least 12 pt, and every
piece of host or school text is escaped (a school's name is data, never markup). The output
is byte-identical for the same inputs, and the metadata holds a fixed title only.
"""
from __future__ import annotations

import re

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Flowable, Paragraph, Spacer

from plan.pdfkit import BODY_SIZE, FONT, FONT_BOLD, INK, link, logo, one_page_pdf, text
from plan.qr import qr_drawing
from plan.site import School, Site

TITLE = "Family online-safety plan: flyer"
MARGIN = 15 * mm
QR_SIZE = 65 * mm
HEADING = "Keep your family safer online"
WHAT_IT_IS = (
    "Answer a few questions about your children's ages, devices and apps.",
    "Get the settings to use, conversation starters and who to contact: for your family only.",
    "It takes about five minutes on a phone, and it is free.",
)
WHAT_IT_IS_NOT = (
    "It is not monitoring or spying software, and there is no account to make.",
    "It is not a replacement for talking with your child.",
    "If a child is in danger now, call 999.",
)
PRIVACY = (
    "Your answers stay with you: nothing you type is stored.",
    "Your plan is a file you download and keep.",
)


def render_flyer(site: Site, school: School, focus: tuple[str, ...] = ()) -> bytes:
    """The flyer as PDF bytes; its QR code and link are `site.school_link(school, focus)`."""
    link = site.school_link(school, focus)
    # Always one page: a very long name shrinks the page slightly rather than spill onto a second.
    return one_page_pdf(TITLE, MARGIN, lambda width, height: _story(site, school, link, width))


def _styles(accent_hex: str) -> dict[str, ParagraphStyle]:
    """The flyer's styles in the host's colour; nothing below 12 pt."""
    accent = colors.HexColor(accent_hex)
    body = ParagraphStyle("flyer-body", fontName=FONT, fontSize=BODY_SIZE, leading=BODY_SIZE * 1.35,
                          textColor=INK, spaceAfter=3, bulletFontName=FONT, bulletFontSize=BODY_SIZE)
    return {
        "body": body,
        "title": ParagraphStyle("flyer-title", parent=body, fontName=FONT_BOLD, fontSize=28, leading=34,
                                textColor=accent, alignment=TA_CENTER, spaceAfter=6),
        "school": ParagraphStyle("flyer-school", parent=body, fontName=FONT_BOLD, fontSize=16, leading=21,
                                 alignment=TA_CENTER, spaceAfter=8),
        "centre": ParagraphStyle("flyer-centre", parent=body, alignment=TA_CENTER),
        "h2": ParagraphStyle("flyer-h2", parent=body, fontName=FONT_BOLD, fontSize=15, leading=19,
                             textColor=accent, spaceBefore=8, spaceAfter=4),
        "bullet": ParagraphStyle("flyer-bullet", parent=body, leftIndent=16, bulletIndent=3),
        "provided": ParagraphStyle("flyer-provided", parent=body, fontName=FONT_BOLD, alignment=TA_CENTER,
                                   textColor=accent, spaceBefore=12),
    }


def _story(site: Site, school: School, url: str, width: float) -> list[Flowable]:
    s = _styles(site.config.colours.primary)
    story: list[Flowable] = [logo(site.logo, 60 * mm, 22 * mm, "CENTER"), Spacer(1, 4 * mm)] if site.logo else []
    qr = qr_drawing(url, QR_SIZE)
    qr.hAlign = "CENTER"
    story += [
        Paragraph(text(HEADING), s["title"]),
        Paragraph(text(f"{school.name} shared this with you"), s["school"]),
        qr,
        Spacer(1, 2 * mm),
        Paragraph(text("Scan the code with your phone's camera, or open:"), s["centre"]),
        Paragraph(_link_lines(url, width), s["centre"]),
    ]
    for heading, lines in (("What it is", WHAT_IT_IS), ("What it is not", WHAT_IT_IS_NOT),
                           ("Your privacy", PRIVACY)):
        story.append(Paragraph(text(heading), s["h2"]))
        story += [Paragraph(text(line), s["bullet"], bulletText="•") for line in lines]
    story.append(Paragraph(text(f"Provided by {site.config.name}"), s["provided"]))
    return story


def _link_lines(url: str, width: float) -> str:
    """The link, clickable, broken before '?' or '&' when it is wider than the page: a break
    there keeps every printed line a plain part of the address someone might type."""
    lines = [""]
    for piece in re.split(r"(?=[?&])", url):
        candidate = lines[-1] + piece
        if lines[-1] and pdfmetrics.stringWidth(candidate, FONT, BODY_SIZE) > width:
            lines.append(piece)
        else:
            lines[-1] = candidate
    return "<br/>".join(link(url, line) for line in lines)
