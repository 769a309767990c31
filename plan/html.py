"""Render a Plan as one accessible HTML file.

Open-source ReportLab cannot write tagged PDF, so this is the format for screen readers,
magnifiers and phones: real headings in order, landmarks, lists, links a phone can call, tick
boxes a family can tick, and text that reflows at 320 px. The file stands alone (inline style,
no scripts, no fonts or images fetched from anywhere) so it works offline and tells nobody
that it was opened. Every piece of plan text is escaped, and only https, tel, sms and mailto
addresses ever become links. The same plan always gives the same string.
"""
from __future__ import annotations

import base64
import re
from html import escape

from plan import model
from plan.model import DEFAULT_ACCENT, SectionKind, site_of
from plan.wording import format_date, source_sites

LINK_SCHEMES = ("https:", "tel:", "sms:", "mailto:")
BODY_SIZE = "1.125rem"
LARGE_PRINT_SIZE = "1.5rem"
_HEX_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")
_IMAGE_TYPES = ((b"\x89PNG\r\n\x1a\n", "image/png"), (b"\xff\xd8\xff", "image/jpeg"))
CALLOUT_LABELS = {"important": "Important:", "warning": "Warning:"}


class _Ids:
    """Hands out element ids that are unique within one page, in the order asked, so the
    same plan always gets the same ids and no label points at the wrong tick box."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def claim(self, base: str) -> str:
        candidate, n = base, 1
        while candidate in self.used:
            n += 1
            candidate = f"{base}-{n}"
        self.used.add(candidate)
        return candidate


def text(value: str) -> str:
    """Plain plan text made inert: a name such as `<b>Tom & Jerry</b>` shows as typed."""
    return escape(value, quote=True)


def attr(name: str, value: str) -> str:
    """One attribute, always double-quoted and escaped."""
    return f' {name}="{escape(value, quote=True)}"'


def link(href: str, shown: str) -> str:
    """A link when the address is one a family can safely follow or call; otherwise the
    words alone, so content can never smuggle in `javascript:` or a plain-http address."""
    if href.lower().startswith(LINK_SCHEMES):
        return f"<a{attr('href', href)}>{text(shown)}</a>"
    return text(shown)


def heading(level: int, content: str, element_id: str | None = None) -> str:
    """A heading at `level`; deeper than h6 becomes a bold paragraph rather than a wrong level."""
    id_attr = attr("id", element_id) if element_id else ""
    if level > 6:
        return f"<p{id_attr}><strong>{text(content)}</strong></p>"
    return f"<h{level}{id_attr}>{text(content)}</h{level}>"


def render_html(plan: model.Plan, large_print: bool = False) -> str:
    """The plan as a complete HTML page; `large_print` sets the body text at 1.5rem."""
    ids = _Ids()
    ids.claim("main")
    brand = plan.branding
    accent = brand.colour if brand and _HEX_COLOUR.fullmatch(brand.colour) else DEFAULT_ACCENT
    body = "\n".join([
        _header(brand),
        _main(plan, ids),
        _footer(plan),
    ])
    return "\n".join([
        "<!doctype html>",
        '<html lang="en-GB">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{text(plan.title)}</title>",
        f"<style>\n{stylesheet(accent, LARGE_PRINT_SIZE if large_print else BODY_SIZE)}</style>",
        "</head>",
        "<body>",
        body,
        "</body>",
        "</html>",
        "",
    ])


def _header(brand: model.Branding | None) -> str:
    """The skip link first (so keyboard users can jump past the logo), then the host's logo."""
    parts = ['<header>', '<a class="skip" href="#main">Skip to the plan</a>']
    logo = _logo(brand) if brand else ""
    if logo:
        parts.append(f'<p class="logo">{logo}</p>')
    parts.append("</header>")
    return "\n".join(parts)


def _logo(brand: model.Branding) -> str:
    """The host's logo inline as a data: address (nothing is fetched); empty when there is no
    logo or it is neither PNG nor JPEG."""
    if not brand.logo:
        return ""
    mime = next((kind for magic, kind in _IMAGE_TYPES if brand.logo.startswith(magic)), None)
    if mime is None:
        return ""
    data = base64.b64encode(brand.logo).decode("ascii")
    return f"<img{attr('src', f'data:{mime};base64,{data}')}{attr('alt', f'{brand.host} logo')}>"


def _main(plan: model.Plan, ids: _Ids) -> str:
    """The sections in order; the plan title is the page's one h1 (on the cover, or on its
    own when a plan has been cut down to fewer sections)."""
    parts = ['<main id="main" tabindex="-1">']
    cover_first = bool(plan.sections) and plan.sections[0].kind is SectionKind.COVER
    if not cover_first:  # a plan cut down, or one that opens with first steps
        parts.append(heading(1, plan.title))
    parts.extend(_section(section, ids, top_level=cover_first and index == 0)
                 for index, section in enumerate(plan.sections))
    parts.append("</main>")
    return "\n".join(parts)


def _footer(plan: model.Plan) -> str:
    lines = [f"<p>{text(plan.footer)}</p>"] if plan.footer else []
    if plan.branding:
        lines.append(f"<p>This service is provided by {text(plan.branding.host)}.</p>")
    return "\n".join(["<footer>", *lines, "</footer>"])


def _section(section: model.Section, ids: _Ids, top_level: bool = False) -> str:
    """A labelled region per section, so screen-reader users can jump between them. The cover
    is the page's h1 when it comes first; otherwise the plan's title is, and sections are h2."""
    level = 1 if top_level else 2
    section_id = ids.claim(section.id)
    heading_id = ids.claim(f"{section.id}-heading")
    inner = "\n".join(_block(block, level + 1, ids) for block in section.blocks)
    return (f"<section{attr('id', section_id)}{attr('aria-labelledby', heading_id)}>\n"
            f"{heading(level, section.title, heading_id)}\n{inner}\n</section>")


def _block(block: model.Block, level: int, ids: _Ids) -> str:
    """One block; `level` is the heading level any title inside it takes, one below its
    parent's, so heading levels never skip."""
    return RENDERERS[type(block)](block, level, ids)


def _subsection(block: model.Subsection, level: int, ids: _Ids) -> str:
    inner = "\n".join(_block(b, level + 1, ids) for b in block.blocks)
    return f'<div class="subsection">\n{heading(level, block.title)}\n{inner}\n</div>'


def _list(items: list[str], numbered: bool = False, css_class: str | None = None) -> str:
    """Items that are already HTML, as a real list (empty string when there are none)."""
    if not items:
        return ""
    tag = "ol" if numbered else "ul"
    class_attr = attr("class", css_class) if css_class else ""
    return f"<{tag}{class_attr}>\n" + "\n".join(f"<li>{item}</li>" for item in items) + f"\n</{tag}>"


def _bullets(block: model.Bullets, level: int) -> str:
    items = _list([text(item) for item in block.items], block.numbered)
    return f"{heading(level, block.title)}\n{items}" if block.title else items


def _callout(block: model.Callout) -> str:
    """A boxed note whose kind is said in words as well as shown by its colour."""
    kind = block.kind if block.kind in CALLOUT_LABELS else "important"
    return (f'<p class="callout {kind}"><strong>{CALLOUT_LABELS[kind]}</strong> '
            f"{text(block.text)}</p>")


def _way(way: model.Reach, brief: bool = False) -> str:
    """'Phone 0800 1111 (free, 24 hours)' with the number as a link a phone can call (without
    the note when `brief`: the plan gave it at the organisation's first mention)."""
    line = " ".join(filter(None, (text(way.before), link(way.href, way.shown))))
    return line + (f" ({text(way.note)})" if way.note and not brief else "")


def _contact(card: model.ContactCard, level: int) -> str:
    if card.brief:
        return f'<p class="contact-brief"><strong>{text(card.name)}</strong>: ' + \
            "; ".join(_way(way, brief=True) for way in card.shown_ways()) + "</p>"
    ways = _list([_way(way) for way in card.ways()])
    return "\n".join(filter(None, [
        '<div class="contact">',
        heading(level, card.name),
        f"<p>{text(card.what_for)}</p>",
        ways,
        "</div>",
    ]))


def _route(route: model.Route, level: int) -> str:
    """'If this happens': the situation as a heading, who to contact as a list, then what
    not to do, each marked in words. A compact route is one line."""
    if route.compact:
        who = " · ".join(f"{text(c.name)} {link(w.href, w.shown)}" for c in route.contacts for w in c.shown_ways()[:1])
        colon = "" if route.situation.rstrip().endswith((".", "!", "?", ":")) else ":"
        return f'<p class="route-line"><strong>{text(route.situation)}{colon}</strong> {who}</p>'
    who = _list([f"<strong>{text(c.name)}</strong>: " + "; ".join(_way(w, c.brief) for w in c.shown_ways())
                 + (f'<br><span class="small">{text(c.what_for)}</span>' if not c.brief and c.what_for else "")
                 for c in route.contacts], css_class="who")
    dont = _list([f"<strong>{text(line)}</strong>" for line in route.dont], css_class="dont")
    return "\n".join(filter(None, ['<div class="route">', heading(level, route.situation), who, dont, "</div>"]))


def _control(step: model.ControlStep, level: int, ids: "_Ids") -> str:
    if step.same:  # set up and set as for the child the paragraph before names: a tick box and its name
        return _checklist(model.Checklist((step.name,), name="step-same"), ids)
    if step.brief:
        details = f"<dt>Where</dt>\n<dd>{text(step.where)}</dd>\n<dt>At this age</dt>\n<dd>{text(step.setting)}</dd>"
        return "\n".join(['<div class="control">', heading(level, step.name), f"<dl>\n{details}\n</dl>", "</div>"])
    rows = [("Feature", step.feature), ("Where", step.where), ("At this age", step.setting)]
    details = "\n".join(f"<dt>{term}</dt>\n<dd>{text(value)}</dd>" for term, value in rows if value)
    note = f"<p>{text(step.note)}</p>" if step.note else ""
    return "\n".join(filter(None, [
        '<div class="control">',
        heading(level, step.name),
        f"<dl>\n{details}\n</dl>",
        note,
        f'<p class="small">Official help: {link(step.url, site_of(step.url))} · last checked '
        f"{text(format_date(step.last_checked))}</p>",
        "</div>",
    ]))


def _checklist(block: model.Checklist, ids: _Ids) -> str:
    """Real tick boxes, each named by its label, so a family can tick them on screen."""
    items = []
    for number, (item, see) in enumerate(zip(block.items, block.pointers()), start=1):
        box_id = ids.claim(f"{block.name}-{number}")
        where = f' <a{attr("href", "#" + see.section)}>{text(see.text)}</a>' if see else ""
        items.append(f'<input type="checkbox"{attr("id", box_id)}> <label{attr("for", box_id)}>{text(item)}</label>'
                     f"{where}")
    return _list(items, css_class="checklist")


def _signatures(block: model.Signatures, level: int) -> str:
    """A line per person; the blanks are drawn by CSS so a screen reader hears 'Maya: signed,
    date' rather than a run of underscores."""
    blank = '<span class="blank" aria-hidden="true"></span>'
    lines = _list([f"{text(name)}: signed {blank} date {blank}" for name in block.names], css_class="signatures")
    return f"{heading(level, block.title)}\n{lines}"


def _sources(block: model.SourceList) -> str:
    """One line per day checked: each site's name linked to its page, or its pages numbered."""
    return _list([f"<strong>Checked {text(format_date(day))}:</strong> " + source_sites(sites, link, text)
                  for day, sites in block.by_date()], css_class="sources")


# One renderer per block type (tests/test_renderers.py checks every renderer covers every type).
RENDERERS = {
    model.Paragraph: lambda block, level, ids: f"<p>{text(block.text)}</p>",
    model.Subsection: _subsection,
    model.Bullets: lambda block, level, ids: _bullets(block, level),
    model.Callout: lambda block, level, ids: _callout(block),
    model.ContactCard: lambda block, level, ids: _contact(block, level),
    model.Route: lambda block, level, ids: _route(block, level),
    model.ControlStep: lambda block, level, ids: _control(block, level, ids),
    model.Checklist: lambda block, level, ids: _checklist(block, ids),
    model.Signatures: lambda block, level, ids: _signatures(block, level),
    model.SourceList: lambda block, level, ids: _sources(block),
}


def stylesheet(accent: str, body_size: str) -> str:
    """Inline CSS. Text is #1f2933 on white (and light on near-black in dark mode), both well
    past WCAG AA; the host's colour is used only for borders, never for text, so any brand
    colour keeps the text readable. Long addresses wrap anywhere, so nothing scrolls sideways
    at 320 px."""
    return _CSS.replace("ACCENT", accent).replace("BODY_SIZE", body_size)


_CSS = """\
:root {
  color-scheme: light dark;
  --ink: #1f2933; --paper: #ffffff; --muted: #4a5560; --link: #0b4f8a;
  --accent: ACCENT; --calm: #e8f3f4; --warm: #fff4e0; --warn-edge: #b35c00; --rule: #8a96a3;
}
@media screen and (prefers-color-scheme: dark) {
  :root {
    --ink: #e6edf3; --paper: #111820; --muted: #c0cad3; --link: #9ccbff;
    --calm: #16303a; --warm: #3a2a12; --warn-edge: #f0a24a; --rule: #8a96a3;
  }
}
*, *::before, *::after { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body {
  margin: 0; background: var(--paper); color: var(--ink);
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", Arial, sans-serif;
  font-size: BODY_SIZE; line-height: 1.5; overflow-wrap: anywhere;
}
header, main, footer { max-width: 46rem; margin: 0 auto; padding: 0 1rem; }
main:focus { outline: none; }
a { color: var(--link); text-decoration: underline; text-underline-offset: 0.15em; }
a:focus-visible, input:focus-visible { outline: 3px solid var(--link); outline-offset: 2px; }
.skip {
  position: absolute; left: 0.5rem; top: 0.5rem; z-index: 1; padding: 0.5rem 1rem;
  background: var(--paper); transform: translateY(-200%);
}
.skip:focus { transform: none; }
.logo { margin: 1rem 0 0; }
.logo img { display: block; max-width: 100%; height: auto; max-height: 5rem; }
h1, h2, h3, h4, h5, h6 { color: var(--ink); line-height: 1.25; margin: 1.5em 0 0.5em; }
h1 { font-size: 2em; padding-bottom: 0.25em; border-bottom: 0.25rem solid var(--accent); }
h2 { font-size: 1.5em; padding-left: 0.5rem; border-left: 0.375rem solid var(--accent); }
h3 { font-size: 1.25em; }
h4 { font-size: 1.1em; }
h5, h6 { font-size: 1em; }
section { margin-bottom: 2.5rem; }
ul, ol { padding-left: 1.5rem; }
li + li { margin-top: 0.35em; }
.callout { background: var(--calm); border-left: 0.375rem solid var(--accent); padding: 0.75rem 1rem; }
.callout.warning { background: var(--warm); border-left-color: var(--warn-edge); }
.route, .contact, .control { margin: 1.5rem 0; padding-top: 0.25rem; border-top: 1px solid var(--rule); }
.route > :first-child, .contact > :first-child, .control > :first-child { margin-top: 0.75rem; }
.route > :first-child { font-size: 1.125em; background: var(--calm); padding: 0.5rem 0.75rem; }
.dont { list-style: none; padding-left: 0; }
.dont li::before { content: "\\2717\\00a0"; }
dl { margin: 0.5rem 0; }
dt { font-weight: bold; }
dd { margin: 0 0 0.5rem 0; }
.small { color: var(--muted); font-size: 0.95em; }
.checklist, .signatures, .sources { list-style: none; padding-left: 0; }
.checklist li { display: flex; align-items: flex-start; gap: 0.5rem; }
.checklist input { flex: none; width: 1.5rem; height: 1.5rem; margin: 0.05em 0 0; }
.signatures li { margin: 1.5rem 0; }
.blank { display: inline-block; width: 8rem; max-width: 100%; border-bottom: 1px solid var(--ink); }
footer { margin-top: 2rem; padding-top: 1rem; padding-bottom: 2rem; border-top: 1px solid var(--rule); color: var(--muted); }
@media print {
  .skip { display: none; }
  body { background: #ffffff; color: #000000; }
  a { color: #000000; }
  header, main, footer { max-width: none; padding: 0; }
  section { break-before: page; }
  section:first-of-type { break-before: auto; }
  h1, h2, h3, h4, h5, h6 { break-after: avoid; }
  .route, .contact, .control, .callout, .checklist li, .signatures li { break-inside: avoid; }
}
"""
