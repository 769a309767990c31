"""The answers: the one validated input, shared by the app, the CLI and the API.

File form (YAML, at most 64 KB), documented in README.md:

    version: 1                  # optional; only 1 exists
    situation: planning         # optional: planning (default) | something-happened
    what_happened: sextortion   # optional: what happened (content/situations.yaml ids); implies something-happened
    region: scotland            # optional: a nation or area (default: UK-wide)
    home: [broadband, smart-tv] # optional
    children:                   # 1 to 10
      - name: Sam               # optional, 1-40 characters
        age: 12                 # required, whole years 0-17
        birth_month: 3          # optional, 1-12: places age milestones in the calendar
        devices: [iphone, xbox]
        apps: [roblox, youtube]
        concerns: [grooming, bullying]
    agreement:                  # optional: the family agreement
      leave_out: [screens-out-of-bedrooms]   # suggested rules the family unticked
      own: ["We charge phones in the kitchen"]  # up to 10 of their own, 1-200 characters

Anything else is refused with `AnswersError`, whose message is one line naming the field
path and what is allowed, e.g. `children[1].age: must be a whole number from 0 to 17 (got 9.5)`.
"""
from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict

from plan.ages import MAX_AGE, MIN_AGE
from plan.vocabulary import Vocabulary
from plan.text import excerpt, hidden_problem

# libyaml's reader when installed (the same YAML, read about fifty times faster), else PyYAML's
# own. Both are "safe" loaders: they make only plain values (text, numbers, lists, mappings).
_LOADER: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

MAX_ANSWERS_BYTES = 64 * 1024
# Bounds on the shape of the file, checked before and while the YAML is read, so that no input
# up to the size limit keeps the server busy: deeply nested lists cost the YAML reader time in
# proportion to the square of their depth. Real answers nest 4 deep (the answers, children,
# a child, its apps) and run to about 500 lines when every list is written one item a line.
MAX_DEPTH = 6
MAX_LINES = 5000
MAX_TOKENS = 20_000  # keys, values, list items and brackets together; real answers use under 2,000
_LINE_BREAKS = re.compile("\r\n|[\n\r\x85\u2028\u2029]")  # what YAML counts as a new line
MAX_CHILDREN = 10
MAX_NAME_LENGTH = 40
VERSIONS = (1,)
SITUATIONS = ("planning", "something-happened")
TOP_FIELDS = ("version", "situation", "what_happened", "region", "home", "children", "agreement")
CHILD_FIELDS = ("name", "age", "birth_month", "devices", "apps", "concerns")
AGREEMENT_FIELDS = ("leave_out", "own")
MAX_OWN_RULES = 10
MAX_RULE_LENGTH = 200
CHILD_LISTS = {"devices": "device", "apps": "app", "concerns": "concern"}


class AnswersError(ValueError):
    """Answers that cannot be used. `str(error)` is one line for the person who gave them."""


class Child(BaseModel):
    model_config = ConfigDict(frozen=True)

    age: int
    name: str | None = None
    birth_month: int | None = None
    devices: tuple[str, ...] = ()
    apps: tuple[str, ...] = ()
    concerns: tuple[str, ...] = ()


class Answers(BaseModel):
    model_config = ConfigDict(frozen=True)

    children: tuple[Child, ...]
    version: int = 1
    situation: str = "planning"
    what_happened: str | None = None  # a "what happened" id; only with situation something-happened
    region: str | None = None  # None: UK-wide
    home: tuple[str, ...] = ()
    leave_out: tuple[str, ...] = ()  # agreement rule topics the family unticked
    own_rules: tuple[str, ...] = ()  # agreement rules in the family's own words

    def to_data(self) -> dict[str, Any]:
        """The answers in their file form (plain values), ready for `yaml.safe_dump`."""
        data: dict[str, Any] = {"version": self.version, "situation": self.situation}
        if self.what_happened:
            data["what_happened"] = self.what_happened
        if self.region:
            data["region"] = self.region
        if self.home:
            data["home"] = list(self.home)
        data["children"] = [
            {k: v for k, v in (
                ("name", c.name), ("age", c.age), ("birth_month", c.birth_month), ("devices", list(c.devices)),
                ("apps", list(c.apps)), ("concerns", list(c.concerns)),
            ) if v is not None}
            for c in self.children
        ]
        if self.leave_out or self.own_rules:
            data["agreement"] = {"leave_out": list(self.leave_out), "own": list(self.own_rules)}
        return data


# ---- reading files ---------------------------------------------------------------------------


def load_answers(path: str | Path, vocabulary: Vocabulary) -> Answers:
    """Read and validate an answers file. Raises AnswersError (one line) on any problem."""
    path = Path(path)
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_ANSWERS_BYTES + 1)
    except OSError as exc:
        raise AnswersError(f"answers: cannot read {path.name} ({exc.strerror or 'unreadable'})") from None
    return parse_answers_text(raw, vocabulary)


def parse_answers_text(raw: bytes | str, vocabulary: Vocabulary) -> Answers:
    """Validate answers given as YAML text or bytes (the app's "load saved answers" uses this)."""
    if isinstance(raw, str):
        raw = raw.encode("utf-8")
    if len(raw) > MAX_ANSWERS_BYTES:
        raise AnswersError(f"answers: the file is larger than {MAX_ANSWERS_BYTES // 1024} KB")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise AnswersError("answers: the file is not UTF-8 text") from None
    if not text.strip():
        raise AnswersError("answers: the file is empty")
    _refuse_too_many_lines(text)
    _refuse_odd_tokens(text)
    loader = None
    try:
        loader = _LOADER(text)
        tree = loader.get_single_node()
        data = None if tree is None else loader.construct_document(tree)
    except yaml.YAMLError as exc:
        raise AnswersError(f"answers: not valid YAML{_yaml_where(exc, text)}") from None
    except (ValueError, OverflowError, RecursionError):  # e.g. 2020-13-45, a 5,000-digit number
        raise AnswersError("answers: not valid YAML (a value could not be read)") from None
    finally:
        if loader is not None:
            loader.dispose()
    _refuse_repeated_keys(tree)
    return parse_answers(data, vocabulary)


def _refuse_too_many_lines(text: str) -> None:
    """A first look, before any YAML is read: one pass over the text."""
    lines = len(_LINE_BREAKS.findall(text)) + 1
    if lines > MAX_LINES:
        raise AnswersError(f"answers: the file has more than {MAX_LINES} lines")


def _refuse_odd_tokens(text: str) -> None:
    """Read the file's tokens (keys, values, brackets) one by one, and stop at the first that
    answers never need: a tag, an anchor or alias, nesting deeper than MAX_DEPTH, or more than
    MAX_TOKENS of them. Stopping early bounds the time: the reader looks at most a line (or
    1,024 characters) ahead, and a crafted file is refused within its first few lines. Refusing
    aliases also makes 'billion laughs' alias bombs cost nothing."""
    loader = None
    depth = count = 0
    try:
        loader = _LOADER(text)  # PyYAML's own reader refuses control characters here
        while loader.check_token():
            token = loader.get_token()
            count += 1
            if isinstance(token, _OPENING):
                depth += 1
                if depth > MAX_DEPTH:
                    raise AnswersError(f"answers: nested too deeply{_mark(token.start_mark)}; "
                                       f"answers need lists and mappings at most {MAX_DEPTH} deep")
            elif isinstance(token, _CLOSING):
                depth -= 1
            elif isinstance(token, yaml.TagToken):
                raise AnswersError(f"answers: YAML tags are not allowed{_mark(token.start_mark)}")
            elif isinstance(token, (yaml.AnchorToken, yaml.AliasToken)):
                raise AnswersError(f"answers: YAML anchors and aliases are not allowed{_mark(token.start_mark)}")
            if count > MAX_TOKENS:
                raise AnswersError(f"answers: the file has too many values{_mark(token.start_mark)}; "
                                   "answers need far fewer")
    except yaml.YAMLError as exc:
        raise AnswersError(f"answers: not valid YAML{_yaml_where(exc, text)}") from None
    finally:
        if loader is not None:
            loader.dispose()


_OPENING = (yaml.BlockSequenceStartToken, yaml.BlockMappingStartToken,
            yaml.FlowSequenceStartToken, yaml.FlowMappingStartToken)
_CLOSING = (yaml.BlockEndToken, yaml.FlowSequenceEndToken, yaml.FlowMappingEndToken)


def _refuse_repeated_keys(node: Any) -> None:
    """A key given twice would silently keep only its last value: refuse it instead."""
    stack = [node] if node is not None else []
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.MappingNode):
            seen: set[str] = set()
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode):
                    if key.value in seen:
                        raise AnswersError(f"answers: {excerpt(key.value)} is given twice{_mark(key.start_mark)}")
                    seen.add(key.value)
                stack.extend((key, value))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)


def _mark(mark: Any) -> str:
    return f" (line {mark.line + 1})" if mark is not None else ""


def _yaml_where(exc: yaml.YAMLError, text: str) -> str:
    """The line of a YAML error. At the very end of a file libyaml counts one line past the
    last; both readers name the last line."""
    mark = getattr(exc, "problem_mark", None)
    if mark is None:
        return ""
    return f" (line {min(mark.line + 1, len(_LINE_BREAKS.findall(text)) + 1)})"


# ---- validating values ----------------------------------------------------------------------


def parse_answers(data: Any, vocabulary: Vocabulary) -> Answers:
    """Validate answers given as plain values (a dict as `yaml.safe_load` returns it)."""
    vocab = vocabulary
    if not isinstance(data, dict):
        raise AnswersError(f"answers: must be a mapping with {', '.join(TOP_FIELDS)} (got {_kind(data)})")
    _no_unknown_keys(data, TOP_FIELDS, "")

    version = data.get("version", 1)
    if isinstance(version, bool) or version not in VERSIONS:
        raise AnswersError(f"version: must be 1 (got {_show(version)})")
    what_happened = data.get("what_happened")
    if what_happened is not None and what_happened not in vocab.ids("what_happened"):
        raise AnswersError(f"what_happened: {_show(what_happened)} is not a known choice; "
                           f"choose from: {', '.join(vocab.ids('what_happened'))}")
    situation = data.get("situation")
    if situation is None:
        situation = "something-happened" if what_happened else "planning"
    if situation not in SITUATIONS:
        raise AnswersError(f"situation: must be one of {', '.join(SITUATIONS)} (got {_show(situation)})")
    if what_happened and situation != "something-happened":
        raise AnswersError("what_happened: only goes with situation: something-happened")
    home = _id_list(data.get("home"), "home", "home technology", vocab.ids("home"))
    region = data.get("region")
    if region is not None and region not in vocab.ids("regions"):
        raise AnswersError(f"region: {_show(region)} is not a known region; choose from: {', '.join(vocab.ids('regions'))}")

    children = data.get("children")
    if not isinstance(children, list):
        raise AnswersError(f"children: must be a list of 1 to {MAX_CHILDREN} children (got {_kind(children)})")
    if not 1 <= len(children) <= MAX_CHILDREN:
        raise AnswersError(f"children: must list 1 to {MAX_CHILDREN} children (got {len(children)})")
    leave_out, own = _agreement(data.get("agreement"))
    return Answers(
        version=version,
        situation=situation,
        what_happened=what_happened,
        region=region,
        home=home,
        children=tuple(_child(raw, f"children[{i}]", vocab) for i, raw in enumerate(children)),
        leave_out=leave_out,
        own_rules=own,
    )


def _agreement(raw: Any) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The family agreement's choices. Rule topics are checked against content when the
    plan is built (an unknown topic simply leaves nothing out)."""
    if raw is None:
        return (), ()
    if not isinstance(raw, dict):
        raise AnswersError(f"agreement: must be a mapping with {', '.join(AGREEMENT_FIELDS)} (got {_kind(raw)})")
    _no_unknown_keys(raw, AGREEMENT_FIELDS, "agreement.")
    leave_out = raw.get("leave_out") or []
    if not isinstance(leave_out, list) or not all(isinstance(t, str) and re.fullmatch(r"[a-z0-9-]{1,60}", t) for t in leave_out):
        raise AnswersError("agreement.leave_out: must be a list of rule ids (lowercase letters, digits and hyphens)")
    own = raw.get("own") or []
    if not isinstance(own, list) or len(own) > MAX_OWN_RULES:
        raise AnswersError(f"agreement.own: must be a list of at most {MAX_OWN_RULES} rules")
    rules = tuple(_text(rule, f"agreement.own[{i}]", MAX_RULE_LENGTH) for i, rule in enumerate(own))
    return tuple(dict.fromkeys(leave_out)), rules


def _child(raw: Any, path: str, vocab: Vocabulary) -> Child:
    if not isinstance(raw, dict):
        raise AnswersError(f"{path}: must be a mapping with {', '.join(CHILD_FIELDS)} (got {_kind(raw)})")
    _no_unknown_keys(raw, CHILD_FIELDS, f"{path}.")
    if "age" not in raw:
        raise AnswersError(f"{path}.age: is required: a whole number from {MIN_AGE} to {MAX_AGE}")
    age = raw["age"]
    if isinstance(age, bool) or not isinstance(age, int) or not MIN_AGE <= age <= MAX_AGE:
        raise AnswersError(f"{path}.age: must be a whole number from {MIN_AGE} to {MAX_AGE} (got {_show(age)})")
    lists = {
        field: _id_list(raw.get(field), f"{path}.{field}", noun, vocab.ids(field))
        for field, noun in CHILD_LISTS.items()
    }
    month = raw.get("birth_month")
    if month is not None and (isinstance(month, bool) or not isinstance(month, int) or not 1 <= month <= 12):
        raise AnswersError(f"{path}.birth_month: must be a month number from 1 to 12 (got {_show(month)})")
    return Child(name=_name(raw.get("name"), f"{path}.name"), age=age, birth_month=month, **lists)


def _name(value: Any, path: str) -> str | None:
    return None if value is None else _text(value, path, MAX_NAME_LENGTH)


def _text(value: Any, path: str, longest: int) -> str:
    """A family's own words (a name, a rule): one line of real text, any language."""
    if not isinstance(value, str):
        raise AnswersError(f"{path}: must be text of 1 to {longest} characters (got {_kind(value)})")
    text = unicodedata.normalize("NFC", value.strip())
    if any(unicodedata.category(ch) in ("Cc", "Cs", "Co", "Cn") for ch in text):
        raise AnswersError(f"{path}: must not contain control characters or line breaks")
    hidden = hidden_problem(text)  # right-to-left overrides and the like: see plan/text.py
    if hidden:
        raise AnswersError(f"{path}: {hidden}")
    if not 1 <= len(text) <= longest:
        raise AnswersError(f"{path}: must be 1 to {longest} characters (got {len(text)})")
    if not any(unicodedata.category(ch)[0] in "LN" for ch in text):
        raise AnswersError(f"{path}: must contain at least one letter or number")
    return text


def _id_list(value: Any, path: str, noun: str, allowed: tuple[str, ...]) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise AnswersError(f"{path}: must be a list of ids (got {_kind(value)}); choose from: {', '.join(allowed)}")
    seen: set[str] = set()
    for item in value:
        if not isinstance(item, str) or item not in allowed:
            article = "an" if noun[0] in "aeiou" else "a"
            raise AnswersError(f"{path}: {_show(item)} is not {article} known {noun}; choose from: {', '.join(allowed)}")
        if item in seen:
            raise AnswersError(f"{path}: {item!r} is listed twice")
        seen.add(item)
    return tuple(i for i in allowed if i in seen)  # the vocabulary's order: same answers, same plan


def _no_unknown_keys(data: dict, allowed: tuple[str, ...], prefix: str) -> None:
    for key in data:
        if key not in allowed:
            plain = isinstance(key, str) and re.fullmatch(r"[A-Za-z0-9_-]{1,40}", key)
            raise AnswersError(f"{prefix}{key if plain else _show(key)}: unknown field; allowed: {', '.join(allowed)}")


def _kind(value: Any) -> str:
    if value is None:
        return "nothing"
    return {dict: "a mapping", list: "a list", str: "text", bool: "true/false"}.get(type(value), type(value).__name__)


def _show(value: Any) -> str:
    """A value as the message shows it: short, one line, quoted when it is text."""
    return excerpt(value)
