"""How long is the plan on a phone? Prints, for each golden family, how many screens the plan
page takes at 390 x 844 (the page's full height over the window's), in real Chromium against
the real app. Asserts nothing. Target: a two-child plan at most 12 screens.

Each family's answers file (tests/fixtures/answers/) is loaded as a parent would load saved
answers ("Coming back? Load your saved answers"), which opens the plan step.

    python -m benchmarks.plan_screens
"""
from __future__ import annotations

import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from plan import load_answers
from testkit.appserver import AppServer
from testkit.browser import CHROMIUM, CHROMIUM_ARGS, load_answers_file, opened, page_screens

ROOT = Path(__file__).resolve().parent.parent
ANSWERS = ROOT / "tests" / "fixtures" / "answers"
TWO_CHILD_TARGET = 12


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        server = AppServer(base / "home", base / "tmp", base / "app.log")
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                print(f"{'family':<24}{'children':>9}{'screens':>9}  target")
                for path in sorted(ANSWERS.glob("*.yaml")):
                    children = len(load_answers(path).children)
                    with opened(browser, server.url) as page:
                        load_answers_file(page, path)
                        count = page_screens(page)
                    target = f"<= {TWO_CHILD_TARGET}" if children == 2 else ""
                    flag = " over" if children == 2 and count > TWO_CHILD_TARGET else ""
                    print(f"{path.stem:<24}{children:>9}{count:>9.1f}  {target}{flag}")
                browser.close()
        finally:
            server.stop()


if __name__ == "__main__":
    main()
