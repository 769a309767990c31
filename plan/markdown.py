"""Render a Plan as Markdown for the on-screen view (Streamlit's st.markdown, later other
outputs). Pure: text in, text out. Every piece of plain text is escaped so that a name or a
content line can never become a link, heading or HTML."""
from __future__ import annotations

import re

from plan import model
from plan.wording import format_date, source_sites

_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$&:])")


def md(value: str) -> str:
    """Plain text made inert for Markdown (and for the HTML Markdown may carry)."""
    return _SPECIAL.sub(r"\\\1", value).replace("\n", " ")


def _link(url: str, label: str | None = None) -> str:
    return f"[{md(label or url)}](<{url}>)"


def render_sections(plan: model.Plan) -> list[tuple[model.Section, str]]:
    """(section, Markdown body) for each section, in order. The title is the caller's to show."""
    return [(s, render_section(s)) for s in plan.sections]


def render_section(section: model.Section) -> str:
    """One section's body as Markdown (its title is the caller's to show)."""
    return render_blocks(section.blocks)


def render_blocks(blocks: tuple[model.Block, ...], level: int = 3) -> str:
    """Blocks as Markdown, their headings at `level` (a subsection's title is the caller's to
    show when it shows the subsection's blocks alone)."""
    return "\n\n".join(_block(b, level) for b in blocks)


def contact_lines(card: model.ContactCard) -> list[str]:
    return [
        " ".join(filter(None, (md(way.before), _link(way.href, way.shown))))
        + (f" ({md(way.note)})" if way.note and not card.brief else "")
        for way in card.shown_ways()
    ]


def _block(block: model.Block, level: int) -> str:
    return RENDERERS[type(block)](block, level)


def _subsection(block: model.Subsection, level: int) -> str:
    inner = "\n\n".join(_block(b, level + 1) for b in block.blocks)
    return f"{'#' * level} {md(block.title)}\n\n{inner}"


def _bullets(block: model.Bullets, level: int) -> str:
    marker = (lambda i: f"{i}.") if block.numbered else (lambda i: "-")
    items = "\n".join(f"{marker(i)} {md(item)}" for i, item in enumerate(block.items, start=1))
    return f"**{md(block.title)}**\n\n{items}" if block.title else items


def _contact(block: model.ContactCard, level: int) -> str:
    if block.brief:
        return f"**{md(block.name)}**: {'; '.join(contact_lines(block))}"
    lines = "\n".join(f"- {line}" for line in contact_lines(block))
    return f"**{md(block.name)}**: {md(block.what_for)}\n\n{lines}"


def _route(block: model.Route, level: int) -> str:
    if block.compact:  # one line: the situation, then each contact's name and number
        who = " · ".join(f"{md(c.name)} {_link(w.href, w.shown)}" for c in block.contacts for w in c.shown_ways()[:1])
        colon = "" if block.situation.rstrip().endswith((".", "!", "?", ":")) else ":"
        return f"**{md(block.situation)}{colon}** {who}"
    who = "\n".join(f"- {md(c.name)}: {'; '.join(contact_lines(c))}"
                    + (f"  \n  {md(c.what_for)}" if not c.brief and c.what_for else "") for c in block.contacts)
    donts = "".join(f"\n- ✗ **{md(line)}**" for line in block.dont)
    situation = f"**{md(block.situation)}**\n\n" if block.situation else ""  # none: the caller shows it
    return f"{situation}{who}{donts}"


def _control(block: model.ControlStep, level: int) -> str:
    if block.same:  # set up and set as for the child the paragraph before names
        return f"- ☐ {md(block.name)}"
    if block.brief:
        return f"**{md(block.name)}**\n\n- **Where:** {md(block.where)}\n- **At this age:** {md(block.setting)}"
    note = f"\n- {md(block.note)}" if block.note else ""
    return (
        f"**{md(block.name)}**\n\n" + (f"- **Feature:** {md(block.feature)}\n" if block.feature else "")
        + f"- **Where:** {md(block.where)}"
        f"\n- **At this age:** {md(block.setting)}{note}"
        f"\n- Official help: {_link(block.url, model.site_of(block.url))} (last checked {format_date(block.last_checked)})"
    )


def _signatures(block: model.Signatures, level: int) -> str:
    lines = "\n".join(f"- {md(name)}: signed ______________ date ________" for name in block.names)
    return f"**{md(block.title)}**\n\n{lines}"


def _sources(block: model.SourceList) -> str:
    return "\n".join(f"- **Checked {format_date(day)}:** " + source_sites(sites, _link, md)
                     for day, sites in block.by_date())


# One renderer per block type (tests/test_renderers.py checks every renderer covers every type).
RENDERERS = {
    model.Paragraph: lambda block, level: md(block.text),
    model.Subsection: _subsection,
    model.Bullets: _bullets,
    model.Callout: lambda block, level: f"**{'⚠️ ' if block.kind == 'warning' else ''}{md(block.text)}**",
    model.ContactCard: _contact,
    model.Route: _route,
    model.ControlStep: _control,
    model.Checklist: lambda block, level: "\n".join(
        f"- ☐ {md(item)}" + (f" [{md(see.text)}](#{see.section})" if see else "")
        for item, see in zip(block.items, block.pointers())),
    model.Signatures: _signatures,
    model.SourceList: lambda block, level: _sources(block),
}
