"""The fact register (content/facts.yaml) and the content held to it. Everything here is inside
the repository: a fresh clone runs these tests with nothing beside it."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from plan import facts as f
from plan.fields import ContentError, parse_uk_number

from .conftest import ROOT


@pytest.fixture(scope="module")
def register() -> f.Facts:
    return f.load_facts()


def test_every_registered_number_is_a_valid_uk_number(register):
    assert len(register.numbers) >= 15
    for entry in register.numbers:
        parse_uk_number(entry.number)
        assert entry.source.startswith("https://")


def test_every_contact_number_is_written_as_the_register_writes_it(content, register):
    numbers = [(k.id, n) for k in content.contacts for n in (k.phone, k.sms_number) if n]
    assert len(numbers) >= 10
    for contact_id, number in numbers:
        assert register.number(number) is not None, f"{contact_id}: {number} is not in content/facts.yaml"


def test_no_other_phone_number_hides_in_any_wording(content, register):
    assert [p for p in f.register_problems(content, register) if "the number" in p] == []


def test_every_web_address_is_https_and_on_a_registered_domain(content, register):
    assert [p for p in f.register_problems(content, register) if "the number" not in p] == []
    urls = {u for _, item in content.all_items() for u in item.sources}
    urls |= {k.url for k in content.contacts if k.url} | {k.url for k in content.controls}
    assert len(urls) > 50
    for url in urls:
        assert url.startswith("https://"), url
        assert register.domain_for(url) is not None, url


def test_secondary_sites_are_never_links_for_families(content, register):
    for url in [k.url for k in content.contacts if k.url] + [k.url for k in content.controls]:
        assert not register.domain_for(url).secondary, url


def test_a_number_not_in_the_register_is_caught(content, register):
    contact = content.contact("nspcc").model_copy(update={"what_for": "Call 0808 800 5001 any time."})
    changed = content.model_copy(update={"contacts": [contact, *content.contacts[1:]]})
    assert any("0808 800 5001" in p for p in f.register_problems(changed, register))


def test_a_link_to_an_unregistered_domain_is_caught(content, register):
    contact = content.contact("nspcc").model_copy(update={"url": "https://www.example.com/help"})
    changed = content.model_copy(update={"contacts": [contact, *content.contacts[1:]]})
    assert any("example.com" in p for p in f.register_problems(changed, register))


def test_every_register_entry_is_used(content, register):
    """A number or domain nobody uses is a fact nobody checks: take it out."""
    text = " ".join(s for _, item in content.all_items() for s in f.strings(item.model_dump(mode="json")))
    digits = re.sub(r"\D", "", text)
    for entry in register.numbers:
        assert re.sub(r"\D", "", entry.number) in digits, entry.number
    for entry in register.domains:
        assert entry.domain in text, entry.domain


def test_bad_register_is_refused_with_a_line_naming_the_field(tmp_path: Path):
    path = tmp_path / "facts.yaml"
    path.write_text("numbers:\n  - number: '0808 800 500'\n    owner: x\n    source: https://a.org\n"
                    "    last_checked: 2026-01-01\ndomains:\n  - domain: a.org\n    owner: x\n"
                    "    source: https://a.org\n    last_checked: 2026-01-01\n", encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        f.load_facts(path)
    assert caught.value.problems == [
        "content/facts.yaml: numbers.0.number: is not a valid UK phone number (got '0808 800 500')"]


def test_nothing_reads_outside_the_repository():
    """No test, script or module reaches beside the repository (../shared was the team's
    fact sheet: its facts now live in content/facts.yaml with their official sources)."""
    patterns = re.compile(r"\.\./shared|ROOT\.parent\b|parent\.parent\.parent|/work/shared")
    offenders = []
    for path in ROOT.rglob("*"):
        if path.suffix not in {".py", ".sh", ".toml", ".ini", ".cfg", ".yaml", ".yml"} and path.name != "Makefile":
            continue
        if {".venv", ".git", "node_modules"} & set(path.relative_to(ROOT).parts) or path.name == "test_facts.py":
            continue
        if patterns.search(path.read_text(encoding="utf-8", errors="ignore")):
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []
