"""The answers format: every rule in README's "Answers file", including hostile YAML."""
from __future__ import annotations

import pytest
import yaml

from plan import answers as answers_module
from plan import AnswersError, load_answers, parse_answers, parse_answers_text
from plan.answers import MAX_DEPTH, MAX_LINES, MAX_TOKENS
from plan.text import excerpt, visible

READERS = [yaml.SafeLoader] + ([yaml.CSafeLoader] if hasattr(yaml, "CSafeLoader") else [])

GOOD = """\
version: 1
situation: something-happened
home: [smart-tv, broadband]
children:
  - name: Sam
    age: 12
    devices: [xbox, iphone]
    apps: [youtube, roblox]
    concerns: [bullying, grooming]
  - age: 6
"""


def refused(data) -> str:
    with pytest.raises(AnswersError) as info:
        parse_answers(data) if not isinstance(data, (str, bytes)) else parse_answers_text(data)
    message = str(info.value)
    assert "\n" not in message
    return message


def test_good_answers_are_read_and_put_in_vocabulary_order():
    answers = parse_answers_text(GOOD)
    assert answers.situation == "something-happened"
    assert answers.home == ("broadband", "smart-tv")
    sam, young = answers.children
    assert (sam.name, sam.age, sam.devices, sam.apps) == ("Sam", 12, ("iphone", "xbox"), ("youtube", "roblox"))
    assert sam.concerns == ("grooming", "bullying")
    assert (young.name, young.age, young.devices, young.concerns) == (None, 6, (), ())


def test_defaults():
    answers = parse_answers({"children": [{"age": 0}]})
    assert (answers.version, answers.situation, answers.home) == (1, "planning", ())


def test_round_trip_through_file_form():
    answers = parse_answers_text(GOOD)
    assert parse_answers(answers.to_data()) == answers


@pytest.mark.parametrize("age, shown", [(9.5, "9.5"), (18, "18"), (-1, "-1"), ("12", "'12'"), (True, "True"), (None, "None")])
def test_age_must_be_whole_years_0_to_17(age, shown):
    message = refused({"children": [{"age": 3}, {"age": age}]})
    assert message == f"children[1].age: must be a whole number from 0 to 17 (got {shown})"


def test_age_is_required():
    assert refused({"children": [{"name": "Sam"}]}).startswith("children[0].age: is required")


@pytest.mark.parametrize("field, bad, noun", [
    ("devices", "nokia", "device"), ("apps", "myspace", "app"), ("concerns", "aliens", "concern"),
])
def test_unknown_ids_name_the_field_and_list_the_choices(field, bad, noun):
    message = refused({"children": [{"age": 9, field: [bad]}]})
    article = "an" if noun[0] in "aeiou" else "a"
    assert message.startswith(f"children[0].{field}: '{bad}' is not {article} known {noun}; choose from: ")
    assert "iphone" in message if field == "devices" else True


def test_unknown_home_id():
    assert refused({"home": ["fridge"], "children": [{"age": 9}]}).startswith(
        "home: 'fridge' is not a known home technology; choose from: broadband, smart-tv, smart-speaker")


def test_region_is_optional_and_must_be_known():
    assert parse_answers({"children": [{"age": 9}]}).region is None
    assert parse_answers({"region": "hampshire", "children": [{"age": 9}]}).region == "hampshire"
    assert refused({"region": "narnia", "children": [{"age": 9}]}).startswith(
        "region: 'narnia' is not a known region; choose from: england, scotland, wales, northern-ireland, hampshire")


def test_duplicates_are_refused():
    assert refused({"children": [{"age": 9, "apps": ["tiktok", "tiktok"]}]}) == "children[0].apps: 'tiktok' is listed twice"


@pytest.mark.parametrize("data, expected", [
    ({"children": [{"age": 9}], "colour": "red"}, "colour: unknown field; allowed: version, situation, what_happened, region, home, children, agreement"),
    ({"children": [{"age": 9, "school": "x"}]}, "children[0].school: unknown field; allowed: name, age, birth_month, devices, apps, concerns"),
    ({"children": []}, "children: must list 1 to 10 children (got 0)"),
    ({"children": [{"age": 5}] * 11}, "children: must list 1 to 10 children (got 11)"),
    ({}, "children: must be a list of 1 to 10 children (got nothing)"),
    ({"children": {"age": 5}}, "children: must be a list of 1 to 10 children (got a mapping)"),
    ({"children": ["Sam"]}, "children[0]: must be a mapping with name, age, birth_month, devices, apps, concerns (got text)"),
    ({"version": 2, "children": [{"age": 5}]}, "version: must be 1 (got 2)"),
    ({"situation": "panic", "children": [{"age": 5}]}, "situation: must be one of planning, something-happened (got 'panic')"),
    ({"children": [{"age": 5, "devices": "iphone"}]}, "children[0].devices: must be a list of ids (got text); choose from: "),
    ([1, 2], "answers: must be a mapping with version, situation, what_happened, region, home, children, agreement (got a list)"),
])
def test_structure_rules(data, expected):
    assert refused(data).startswith(expected)


@pytest.mark.parametrize("name, expected", [
    ("", "children[0].name: must be 1 to 40 characters (got 0)"),
    ("x" * 41, "children[0].name: must be 1 to 40 characters (got 41)"),
    ("Sam\nSmith", "children[0].name: must not contain control characters or line breaks"),
    (42, "children[0].name: must be text of 1 to 40 characters (got int)"),
    ("😀", "children[0].name: must contain at least one letter or number"),
])
def test_name_rules(name, expected):
    assert refused({"children": [{"age": 5, "name": name}]}) == expected


@pytest.mark.parametrize("name, found", [
    ("Sam\u202eevil", "U+202E"),  # right-to-left override: would show as "Samlive"
    ("Jo\u2066e", "U+2066"), ("Ava\u200bLee", "U+200B"), ("Zoë\u200f", "U+200F"), ("Tom\u2028Lee", "U+2028"),
    ("\u061cمحمد", "U+061C"), ("Li\ufeffly", "U+FEFF"),
])
def test_hidden_formatting_characters_are_refused(name, found):
    expected = f"children[0].name: must not contain hidden formatting characters (found {found})"
    assert refused({"children": [{"age": 5, "name": name}]}) == expected
    assert refused({"children": [{"age": 5}], "agreement": {"own": [name]}}) == expected.replace(
        "children[0].name", "agreement.own[0]")


@pytest.mark.parametrize("name", ["می\u200cخواهم", "👩\u200d👧\u200d👦 Mum", "Siân 🏴\U000e0067\U000e0062\U000e0077\U000e006c\U000e0073\U000e007f"])
def test_joiners_that_real_words_and_emoji_need_are_kept(name):
    assert parse_answers({"children": [{"age": 5, "name": name}]}).children[0].name == name


@pytest.mark.parametrize("value, shown", [
    pytest.param("[x](https://evil.example/pixel.png)" * 3, "'[x](https://evil.example/pixel.png)[...", id="link"),
    ("a\nb\rc\u202ed\x00e", "'a\\nb\\rc\\u202ed\\x00e'"),
    pytest.param(10 ** 5000, "a very large number", id="huge"),
    pytest.param([10 ** 5000], "a value too long to show", id="huge-in-list"),
    ({"k": "\u2028"}, "{'k': '\\u2028'}"),
])
def test_excerpts_are_short_on_one_line_and_show_hidden_characters_as_codes(value, shown):
    text = excerpt(value)
    assert text == shown and len(text) <= 40 and text.isprintable()


def test_text_being_typed_can_be_shown_without_what_is_hidden_in_it():
    assert visible("Sam\u202e\u2066live\nSmith\x00 \u200d😀") == "Samlive Smith \u200d😀"


def test_a_key_given_twice_is_quoted_short():
    key = "k" * 900
    assert refused(f"{key}: 1\n{key}: 2\n") == f"answers: '{'k' * 36}... is given twice (line 2)"


@pytest.mark.parametrize("name", ["Siân", "Łucja", "Zoë", "Дмитрий", "Αλέξης", "<b>Tom & Jerry</b>", "李小龙", "Ava 😀"])
def test_names_in_any_language_are_kept_as_given(name):
    assert parse_answers({"children": [{"age": 5, "name": name}]}).children[0].name == name


@pytest.mark.parametrize("text, expected", [
    ("", "answers: the file is empty"),
    ("   \n", "answers: the file is empty"),
    ("children: [age: 5", "answers: not valid YAML"),
    ("just some words", "answers: must be a mapping"),
    ("children:\n  - !!python/object:os.system {age: 5}\n", "answers: YAML tags are not allowed (line 2)"),
    ("children:\n  - age: !!int '5'\n", "answers: YAML tags are not allowed (line 2)"),
    ("kid: &k {age: 5}\nchildren: [*k]\n", "answers: YAML anchors and aliases are not allowed (line 1)"),
])
def test_file_level_rules(text, expected):
    assert refused(text).startswith(expected)


@pytest.mark.parametrize("reader", READERS, ids=lambda r: r.__name__)
@pytest.mark.parametrize("text, expected", [
    ("[" * 60_000, "answers: nested too deeply (line 1); answers need lists and mappings at most 6 deep"),
    ("children:\n  - age: 5\n    name: " + "[" * 30_000 + "]" * 30_000, "answers: nested too deeply (line 3)"),
    ("- " * 30_000, "answers: nested too deeply (line 1)"),
    ("".join(" " * depth + "a:\n" for depth in range(300)), "answers: nested too deeply (line 7)"),
    ("children: [{age: 5, apps: [[[[youtube]]]]}]", "answers: nested too deeply (line 1)"),
    ("children:\n" + "  - age: 5\n" * MAX_LINES, f"answers: the file has more than {MAX_LINES} lines"),
    ("\n" * MAX_LINES + "children: [{age: 5}]", f"answers: the file has more than {MAX_LINES} lines"),
    ("{" + ", ".join(f"k{i}: 1" for i in range(MAX_TOKENS // 5 + 1)) + "}", "answers: the file has too many values (line 1)"),
])
def test_files_shaped_to_be_slow_to_read_are_refused_at_once(monkeypatch, reader, text, expected):
    monkeypatch.setattr(answers_module, "_LOADER", reader)
    assert refused(text).startswith(expected)


@pytest.mark.parametrize("reader", READERS, ids=lambda r: r.__name__)
def test_the_deepest_real_answers_are_read_by_either_reader(monkeypatch, reader):
    monkeypatch.setattr(answers_module, "_LOADER", reader)
    flow = "{children: [{age: 5, apps: [youtube]}], agreement: {own: [Tea at six]}}"
    assert MAX_DEPTH >= 4
    answers = parse_answers_text(flow)
    assert answers.children[0].apps == ("youtube",) and answers.own_rules == ("Tea at six",)
    assert parse_answers_text(GOOD).children[0].name == "Sam"


@pytest.mark.parametrize("reader", READERS, ids=lambda r: r.__name__)
@pytest.mark.parametrize("text", [
    GOOD,
    "children: [age: 5",
    "children:\n  - !!python/object:os.system {age: 5}\n",
    "kid: &k {age: 5}\nchildren: [*k]\n",
    "region: wales\nregion: scotland\nchildren:\n  - age: 9\n",
    "children:\n  - age: 2020-13-45\n",
    "children:\n  - age: " + "9" * 5000 + "\n",
    "children:\n- age: 5\n  name: 'O''Brien'\n",
    "---\nchildren: [{age: 5}]\n...\n",
    "children: [{age: 5}]\n---\nchildren: [{age: 6}]\n",
])
def test_both_yaml_readers_give_the_same_answer(monkeypatch, reader, text):
    def outcome():
        try:
            return parse_answers_text(text)
        except AnswersError as exc:
            return str(exc)
    expected = outcome()
    monkeypatch.setattr(answers_module, "_LOADER", reader)
    assert outcome() == expected


def test_files_over_64_kb_are_refused(tmp_path):
    path = tmp_path / "big.yaml"
    path.write_text("children:\n  - age: 5\n" + "# padding\n" * 7000)
    with pytest.raises(AnswersError, match=r"^answers: the file is larger than 64 KB$"):
        load_answers(path)


def test_binary_and_missing_files(tmp_path):
    path = tmp_path / "a.yaml"
    path.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(AnswersError, match="not UTF-8"):
        load_answers(path)
    with pytest.raises(AnswersError, match="cannot read missing.yaml"):
        load_answers(tmp_path / "missing.yaml")


def test_alias_bomb_is_refused_without_being_expanded(monkeypatch):
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
        for i in range(8)
    )

    def never(*args, **kwargs):
        raise AssertionError("the document was parsed: the bomb could have been expanded")

    monkeypatch.setattr(answers_module._LOADER, "get_single_node", never)
    assert refused(bomb).startswith("answers: YAML anchors and aliases are not allowed")


@pytest.mark.parametrize("month, ok", [(1, True), (12, True), (0, False), (13, False), (3.5, False), ("May", False)])
def test_birth_month_is_optional_1_to_12(month, ok):
    data = {"children": [{"age": 9, "birth_month": month}]}
    if ok:
        assert parse_answers(data).children[0].birth_month == month
    else:
        assert refused(data).startswith("children[0].birth_month: must be a month number from 1 to 12")


def test_agreement_choices_round_trip():
    data = {"children": [{"age": 9}], "agreement": {"leave_out": ["ask-first"], "own": ["No phones at dinner", "Zoë's rule"]}}
    answers = parse_answers(data)
    assert answers.leave_out == ("ask-first",) and answers.own_rules == ("No phones at dinner", "Zoë's rule")
    assert parse_answers(answers.to_data()) == answers


@pytest.mark.parametrize("agreement, expected", [
    ({"own": ["x"] * 11}, "agreement.own: must be a list of at most 10 rules"),
    ({"own": ["y" * 201]}, "agreement.own[0]: must be 1 to 200 characters (got 201)"),
    ({"own": ["line\nbreak"]}, "agreement.own[0]: must not contain control characters or line breaks"),
    ({"leave_out": ["<b>"]}, "agreement.leave_out: must be a list of rule ids"),
    ({"sign": True}, "agreement.sign: unknown field; allowed: leave_out, own"),
    ("yes", "agreement: must be a mapping with leave_out, own (got text)"),
])
def test_agreement_rules(agreement, expected):
    assert refused({"children": [{"age": 9}], "agreement": agreement}).startswith(expected)


@pytest.mark.parametrize("text, expected", [
    ("region: wales\nregion: scotland\nchildren:\n  - age: 9\n", "answers: 'region' is given twice (line 2)"),
    ("children:\n  - name: Sam\n    age: 9\n    name: Ava\n", "answers: 'name' is given twice (line 4)"),
    ("agreement:\n  own: []\n  leave_out: []\n  own: [Tea at six]\nchildren:\n  - age: 9\n",
     "answers: 'own' is given twice (line 4)"),
])
def test_a_key_given_twice_is_refused_not_silently_overwritten(text, expected):
    assert refused(text) == expected


def test_the_same_key_in_two_children_is_fine():
    answers = parse_answers_text("children:\n  - name: Sam\n    age: 9\n  - name: Ava\n    age: 7\n")
    assert [c.name for c in answers.children] == ["Sam", "Ava"]


def test_what_happened_is_a_known_choice_and_means_something_happened():
    answers = parse_answers({"what_happened": "sextortion", "children": [{"age": 15}]})
    assert (answers.situation, answers.what_happened) == ("something-happened", "sextortion")
    assert parse_answers(answers.to_data()) == answers
    assert parse_answers({"children": [{"age": 9}]}).what_happened is None  # older files still load


@pytest.mark.parametrize("data, expected", [
    ({"what_happened": "aliens", "children": [{"age": 9}]}, "what_happened: 'aliens' is not a known choice; choose from: sextortion"),
    ({"what_happened": "scam", "situation": "planning", "children": [{"age": 9}]},
     "what_happened: only goes with situation: something-happened"),
])
def test_what_happened_refusals(data, expected):
    with pytest.raises(AnswersError) as caught:
        parse_answers(data)
    assert str(caught.value).startswith(expected)
