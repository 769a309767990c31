"""Render a Plan as Markdown for the on-screen view (Streamlit's st.markdown, later other
outputs). Pure: text in, text out. Every piece of plain text is escaped so that a name or a
content line can never become a link, heading or HTML."""
from __future__ import annotations

import re

from plan import model
from plan.builder import format_date

_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$&:])")


def md(value: str) -> str:
    """Plain text made inert for Markdown (and for the HTML Markdown may carry)."""
    return _SPECIAL.sub(r"\\\1", value).replace("\n", " ")


def _link(url: str, label: str | None = None) -> str:
    return f"[{md(label or url)}](<{url}>)"


def render_sections(plan: model.Plan) -> list[tuple[str, str, str]]:
    """(section id, title, Markdown body) for each section, in order."""
    return [(s.id, s.title, "\n\n".join(_block(b, 3) for b in s.blocks)) for s in plan.sections]


def render_markdown(plan: model.Plan) -> str:
    return "\n\n".join(f"## {md(title)}\n\n{body}" for _, title, body in render_sections(plan))


def contact_lines(card: model.ContactCard) -> list[str]:
    return [
        " ".join(filter(None, (md(way.before), _link(way.href, way.shown))))
        + (f" ({md(way.note)})" if way.note else "")
        for way in card.ways()
    ]


def _block(block: model.Block, level: int) -> str:
    if isinstance(block, model.Paragraph):
        return md(block.text)
    if isinstance(block, model.Subsection):
        inner = "\n\n".join(_block(b, level + 1) for b in block.blocks)
        return f"{'#' * level} {md(block.title)}\n\n{inner}"
    if isinstance(block, model.Bullets):
        marker = (lambda i: f"{i}.") if block.numbered else (lambda i: "-")
        items = "\n".join(f"{marker(i)} {md(item)}" for i, item in enumerate(block.items, start=1))
        return f"**{md(block.title)}**\n\n{items}" if block.title else items
    if isinstance(block, model.Callout):
        return f"**{'⚠️ ' if block.kind == 'warning' else ''}{md(block.text)}**"
    if isinstance(block, model.ContactCard):
        lines = "\n".join(f"- {line}" for line in contact_lines(block))
        return f"**{md(block.name)}**: {md(block.what_for)}\n\n{lines}"
    if isinstance(block, model.Route):
        who = "\n".join(f"- {md(c.name)}: {'; '.join(contact_lines(c))}" for c in block.contacts)
        donts = "".join(f"\n- ✗ **{md(line)}**" for line in block.dont)
        return f"**{md(block.situation)}**\n\n{who}{donts}"
    if isinstance(block, model.ControlStep):
        note = f"\n- {md(block.note)}" if block.note else ""
        return (
            f"**{md(block.name)}**\n\n- **Feature:** {md(block.feature)}\n- **Where:** {md(block.where)}"
            f"\n- **At this age:** {md(block.setting)}{note}"
            f"\n- Official help: {_link(block.url)} (last checked {format_date(block.last_checked)})"
        )
    if isinstance(block, model.Checklist):
        return "\n".join(f"- ☐ {md(item)}" for item in block.items)
    if isinstance(block, model.Signatures):
        lines = "\n".join(f"- {md(name)}: signed ______________ date ________" for name in block.names)
        return f"**{md(block.title)}**\n\n{lines}"
    if isinstance(block, model.SourceList):
        return "\n".join(f"- {_link(r.url)} (checked {format_date(r.last_checked)})" for r in block.refs)
    raise TypeError(f"no Markdown rendering for {type(block).__name__}")
