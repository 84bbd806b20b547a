"""The web phone's page as the browser tests drive it: moves, the transcript, timings.

Each move is timed twice: from the click to the transcript showing the answer (Playwright's
clock), and the page's own time from sending the move to having the answer (``data-ms``);
``print_timings`` prints them when a test module closes its browser (``pytest -s``).
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import Any

from flask import Flask

from tests.support.clock import OPEN_TIME

LAPTOP = {"width": 1280, "height": 860}
# "first start": the first call of a fresh app also builds the line the phone calls. Each is
# measured twice: from the click to the transcript showing the answer (Playwright's clock), and
# the page's own time from sending the move to having the answer (``data-ms``).
TIMINGS: dict[str, list[float]] = {
    "first start": [], "start": [], "key": [], "first start (page)": [], "start (page)": [],
    "key (page)": [],
}  # fmt: skip
SAY = "[data-role=transcript] [data-kind=say]"


def print_timings() -> None:
    for what, found in TIMINGS.items():
        if found:
            print(
                f"\nweb phone, {what}: median {statistics.median(found) * 1000:.0f} ms, "
                f"max {max(found) * 1000:.0f} ms over {len(found)}"
            )


def line_of(app: Flask) -> Any:
    return app.extensions["ivr_line"]


def turns(page: Any) -> int:
    return int(page.get_attribute("[data-role=transcript]", "data-turns"))


def timed(page: Any, what: str, click: Callable[[], None]) -> None:
    """Click, then wait for the line's answer; the time it took is recorded."""
    before = 0 if what.endswith("start") else turns(page)  # a call starts a new transcript
    started = time.perf_counter()
    click()
    page.locator(f"[data-role=transcript][data-turns='{before + 1}']").wait_for()
    TIMINGS[what].append(time.perf_counter() - started)
    page_ms = page.get_attribute("[data-role=transcript]", "data-ms")
    TIMINGS[f"{what} (page)"].append(int(page_ms) / 1000)


# The browser's speech, stood in for (headless Chromium has no voices): a Dutch and a British
# English voice; every utterance is kept as (its language, its voice's name, its text), and
# each takes ``window.speechMs`` to say (long at the welcome: time to press a language's key).
SPEECH = """
window.spoken = [];
window.speechMs = 0;
const voices = [{ lang: "nl-NL", name: "Stem NL" }, { lang: "en-GB", name: "Voice GB" }];
window.SpeechSynthesisUtterance = class { constructor(text) { this.text = text; } };
Object.defineProperty(window, "speechSynthesis", { configurable: true, value: {
  getVoices: () => voices, cancel() {}, addEventListener() {},
  speak(said) {
    window.spoken.push([said.lang, said.voice.name, said.text]);
    setTimeout(() => said.onend && said.onend(), window.speechMs);
  },
} });
"""


def open_speaking_phone(browser: Any, url: str) -> Any:
    """The phone with reading aloud on, to the stand-in voices (``SPEECH``, ``spoken``)."""
    page = browser.new_page(viewport=LAPTOP)
    page.add_init_script(SPEECH)
    page.goto(url)
    return page


def spoken(page: Any) -> list[tuple[str, str, str]]:
    """What the page said aloud so far: (language, voice, text) each."""
    return [tuple(said) for said in page.evaluate("window.spoken")]


def open_phone(browser: Any, url: str) -> Any:
    page = browser.new_page(viewport=LAPTOP)
    page.goto(url)
    page.uncheck("[data-role=speak]")  # no audio device in CI; the text is what is checked
    return page


def call(page: Any, moment: str = "", what: str = "first start", welcome: bool = True) -> None:
    """Start a call; ``welcome``: it starts with the welcome (not at a box of the tree), whose
    Gather the caller lets run out (1 s) before the first question."""
    if moment:
        page.click(f"[data-moment='{moment}']")
    timed(page, what, lambda: page.click("[data-action=call]"))
    if welcome:
        page.locator("[data-role=transcript][data-turns='2']").wait_for(timeout=5000)


def press(page: Any, *keys: str) -> None:
    for key in keys:
        timed(page, "key", lambda key=key: page.click(f"[data-key='{key}']"))


def said(page: Any) -> list[str]:
    return page.locator(SAY).all_inner_texts()


def played_in_process(app: Flask, moves: list[tuple[str, str]], moment: Any = OPEN_TIME,
                      path: str = "") -> list[str]:  # fmt: skip
    """The same call through the call driver, in process: what the page must show (from the
    start, the welcome's Gather runs out first, as ``call`` lets it)."""
    try_line = app.extensions["ivr_try_line"]
    heard: list[str] = []
    with try_line.driver() as driver:
        progress = driver.start("+31612345678", moment, path)
        if not path:
            heard += [h.text for h in progress.heard]
            assert progress.state is not None
            progress = driver.silence(progress.state)
        for how, value in moves:
            heard += [h.text for h in progress.heard]
            assert progress.state is not None
            if how == "key":
                progress = driver.press(progress.state, value)
            else:
                progress = driver.dial_outcome(progress.state, value)
        heard += [h.text for h in progress.heard]
    assert progress.state is None  # the call ended
    return heard
