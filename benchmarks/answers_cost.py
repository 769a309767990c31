"""How long does an answers file take to accept or refuse? Prints the time for each crafted
input up to the size limit and the worst; asserts nothing (machines are shared and noisy).
Target on a 2-core machine: every input is accepted or refused in under 0.5 s.

    python benchmarks/answers_cost.py [--pure] [--only NAME] [--repeat N]

--pure times the pure-Python YAML reader, as on a machine without libyaml.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import yaml  # noqa: E402

from plan import answers as answers_module  # noqa: E402
from plan.answers import MAX_ANSWERS_BYTES, AnswersError, parse_answers_text  # noqa: E402

MAX_LINES = getattr(answers_module, "MAX_LINES", 5000)
MAX_TOKENS = getattr(answers_module, "MAX_TOKENS", 20_000)

TARGET_SECONDS = 0.5
CHILD = "children:\n  - age: 5\n"


def fill(head: str, unit: str, tail: str = "", limit: int = MAX_ANSWERS_BYTES) -> str:
    """head + as many units as fit + tail, at most `limit` bytes of UTF-8."""
    room = limit - len((head + tail).encode("utf-8"))
    return head + unit * (room // len(unit.encode("utf-8"))) + tail


def nested(opening: str, closing: str, head: str = "", limit: int = MAX_ANSWERS_BYTES) -> str:
    depth = (limit - len(head.encode("utf-8"))) // len((opening + closing).encode("utf-8"))
    return head + opening * depth + closing * depth


def staircase(step: str, limit: int = MAX_ANSWERS_BYTES) -> str:
    """Block nesting by indentation: each line one column deeper than the last."""
    lines, size, depth = [], 0, 0
    while True:
        line = " " * depth + step + "\n"
        if size + len(line) > limit:
            return "".join(lines)
        lines.append(line)
        size += len(line)
        depth += 1


def valid_large() -> str:
    from plan import default_content
    vocab = default_content().vocabulary
    data = {
        "version": 1, "situation": "something-happened", "region": "scotland", "home": list(vocab.ids("home")),
        "children": [{"name": f"Łucja 李 😀 {i}", "age": i + 7, "birth_month": i + 1, "devices": list(vocab.ids("devices")),
                      "apps": list(vocab.ids("apps")), "concerns": list(vocab.ids("concerns"))} for i in range(10)],
        "agreement": {"leave_out": ["screens-out-of-bedrooms"], "own": ["We charge phones in the kitchen " + "é" * 100] * 10},
    }
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, default_flow_style=False)


def cases() -> dict[str, str]:
    return {
        "deep flow lists": nested("[", "]"),
        "deep flow lists, never closed": fill("", "["),
        "deep flow mappings": nested("{a: ", "}"),
        "deep flow, one per line": nested("[\n", "]\n"),
        "deep flow under a name": nested("[", "]", head=CHILD + "    name: "),
        "deep flow of pairs": nested("[a: ", "]"),
        "deep block lists on one line": fill("", "- ", "x\n"),
        "deep block lists, staircase": staircase("-"),
        "deep block mappings, staircase": staircase("a:"),
        "deep complex keys": fill("", "? ", "x\n"),
        "many keys": "".join(f"k{i}: {i}\n" for i in range(20_000))[:MAX_ANSWERS_BYTES - 100],
        "many repeated keys": fill("", "a: 1\n"),
        "lines just under the limit": "".join(f"k{i}: 1\n" for i in range(MAX_LINES - 1)),
        "values just under the limit": "{" + ", ".join(f"k{i}: {i}" for i in range(MAX_TOKENS // 5 - 2)) + "}\n",
        "ids in many children": fill("children:\n", f"  - apps: [{', '.join(['roblox'] * 100)}]\n"),
        "many keys in a flow mapping": fill("{", "a: 1, ", "}"),
        "many children": fill("children:\n", "  - age: 5\n"),
        "many ids": fill(CHILD + "    apps: [", "roblox, ", "]\n"),
        "many small lists": fill("x: [", "[a], ", "]\n"),
        "many small mappings": fill("x: [", "{a: 1}, ", "]\n"),
        "many documents": fill(CHILD, "---\n"),
        "many blank lines": fill(CHILD, "\n"),
        "many comment lines": fill(CHILD, "#\n"),
        "huge plain name": fill(CHILD + "    name: ", "a", "\n"),
        "huge quoted name": fill(CHILD + '    name: "', "\\u00e9", '"\n'),
        "huge single-quoted name": fill(CHILD + "    name: '", "''", "'\n"),
        "huge folded name": fill(CHILD + "    name: >\n", "      aaaaaaa\n"),
        "huge key": fill("", "a", ": 1\n"),
        "long comment line": fill("children: [{age: 5}]\n#", "x"),
        "many anchors": fill("", "&a "),
        "many aliases": fill("children: [", "*a, ", "]\n"),
        "many tags": fill("", "!t "),
        "anchor-like text in quotes": fill(CHILD + "    name: '", "&a *b !c ", "'\n"),
        "emoji name": fill(CHILD + "    name: ", "😀", "\n"),
        "bidi and joiners": fill(CHILD + "    name: ", "a\u202e\u200d", "\n"),
        "many unicode lines": fill(CHILD, "# Łucja 李小龙 محمد\n"),
        "tabs": fill(CHILD, "\t"),
        "largest valid file": valid_large(),
    }


def measure(text: str, repeat: int) -> tuple[float, str]:
    best, outcome = float("inf"), ""
    for _ in range(repeat):
        started = time.perf_counter()
        try:
            parse_answers_text(text)
            outcome = "accepted"
        except AnswersError as exc:
            outcome = f"refused: {exc}"
        best = min(best, time.perf_counter() - started)
    return best, outcome


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pure", action="store_true", help="use the pure-Python YAML reader")
    parser.add_argument("--only", help="run only the cases whose name contains this")
    parser.add_argument("--repeat", type=int, default=1, help="runs per case; the fastest is printed")
    args = parser.parse_args()
    if args.pure and hasattr(answers_module, "_LOADER"):
        answers_module._LOADER = yaml.SafeLoader
    loader = getattr(answers_module, "_LOADER", yaml.SafeLoader).__name__
    print(f"YAML reader: {loader}; size limit {MAX_ANSWERS_BYTES} bytes; target {TARGET_SECONDS} s")
    worst = (0.0, "")
    for name, text in cases().items():
        if args.only and args.only not in name:
            continue
        seconds, outcome = measure(text, args.repeat)
        print(f"{seconds:8.3f} s  {len(text.encode('utf-8')):6d} B  {name:32s} {outcome[:70]}", flush=True)
        worst = max(worst, (seconds, name))
    print(f"worst: {worst[0]:.3f} s ({worst[1]})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
