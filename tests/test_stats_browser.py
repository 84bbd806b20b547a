"""The figures page in a real browser (Debian's Chromium, driven by Playwright), after two
weeks of known calls; a call answered by a second worker shows at the very next view. Screenshots go to a temporary folder, or to IVR_SCREENSHOTS
(``IVR_SCREENSHOTS=/tmp/shots .venv/bin/pytest tests/test_stats_browser.py``)."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask

from tests.support.browser import screenshot_folder, skip_without_chromium
from tests.support.calls import Call
from tests.support.clock import CLOSED_TIME, Clock
from tests.support.staff import STAFF

pytestmark = pytest.mark.browser  # Debian's Chromium: run by .ci/run after the README's command

SIZES = {"laptop": (1280, 800), "tablet": (820, 1180), "phone": (390, 844)}
# The rendered size in CSS pixels of the smallest text in each chart and the funnel: its font
# size scaled as the SVG is drawn on the screen.
SMALLEST_TEXT = """() => {
  const found = {};
  for (const text of document.querySelectorAll('section.figure svg text')) {
    if (!text.textContent.trim() || !text.getClientRects().length) continue;  // hidden
    const px = text.getScreenCTM().a * parseFloat(getComputedStyle(text).fontSize);
    const id = text.closest('section').id;
    found[id] = Math.min(found[id] ?? 99, Math.round(px * 10) / 10);
  }
  return found;
}"""
FIRST_QUESTION_IN_VIEW = """() => {
  const box = document.querySelector('.funnel').getBoundingClientRect();
  const node = document.querySelector('.funnel g.node').getBoundingClientRect();
  const x = node.left + node.width / 2, y = node.top + node.height / 2;
  return x > box.left && x < box.right && y > box.top && y < box.bottom;
}"""
WLZ_RESPITE = ("2", "1", "2", "1")
DAY_CARE = ("2", "2", "1", "1", "1", "2", "2")

skip_without_chromium()

# Calls whose turns do not depend on the opening hours, and calls made while the services are open.
ANY_TIME: list[Callable[[Call], object]] = [
    lambda call: call.press("2", "3", "").hang_up(35),  # help, then silence at question two
    lambda call: call.hang_up(6),  # hung up during the welcome
    lambda call: call.say("nee").say("ja").say("nee").say("ja").hang_up(70),  # by voice
    lambda call: call.press("1").hang_up(50),  # acute: the crisis advice
    lambda call: call.press("2", "1", "9", "2", "3", "").hang_up(90),  # repeat, help, silence
]
OPEN_TIME: list[Callable[[Call], object]] = [
    lambda call: call.press(*WLZ_RESPITE, "1").dialed("completed").hang_up(240),
    lambda call: call.press(*WLZ_RESPITE, "1").dialed("no-answer").press("1", "1").hang_up(150),
    lambda call: call.press(*DAY_CARE, "1").dialed("completed").hang_up(200),
    lambda call: call.press("7", "7", "7").dialed("busy").press("2").hang_up(80),  # gave up
]


@pytest.fixture
def two_weeks(console: Flask, clock: Clock) -> int:
    """Known calls on the 14 days before Sunday evening; returns how many."""
    made = 0
    for days in range(1, 15):
        day = CLOSED_TIME - timedelta(days=days)
        hours = (9, 13, 19, 21) + ((10, 11, 14, 15) if day.weekday() < 5 else ())
        for i, hour in enumerate(hours):
            clock.now = day.replace(hour=hour, minute=5 + i)
            scenarios = OPEN_TIME if hour in (10, 11, 14, 15) else ANY_TIME
            scenarios[(days + i) % len(scenarios)](Call(console, f"CA{days:02d}{i:02d}"))
            made += 1
    clock.now = CLOSED_TIME
    console.extensions["ivr_event_queue"].flush()
    return made


@pytest.mark.parametrize("size", list(SIZES), ids=str)
def test_the_figures_at_a_glance(
    two_weeks: int,
    console_url: str,
    browser: object,
    make_app: Callable[..., Flask],
    tmp_path: Path,
    size: str,
) -> None:
    width, height = SIZES[size]
    page = browser.new_page(viewport={"width": width, "height": height})  # type: ignore[attr-defined]
    page.goto(f"{console_url}/staff/stats")
    page.fill("#username", STAFF[0])
    page.fill("#password", STAFF[1])
    page.click("button[type=submit]")
    page.wait_for_url(f"{console_url}/staff/stats")
    assert page.title() == "Cijfers — Mantelzorglijn"
    assert page.inner_text("[data-figure=calls]") == str(two_weeks)
    assert page.locator("svg.chart").count() == 6
    assert page.locator("#trechter svg g.node").count() > 10  # the tree map, with its counts
    assert re.search(r"\d+ bellers", page.inner_text("#trechter"))
    # Nothing wider than the screen but the funnel (which scrolls inside its own box).
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    smallest = page.evaluate(SMALLEST_TEXT)
    assert set(smallest) == {
        "per-dag",
        "per-uur",
        "per-taal",
        "trechter",
        "uitkomst",
        "doorverbinden",
        "vragen",
    }
    assert min(smallest.values()) >= 12, smallest
    # The funnel's box opens on the tree's first question, whatever the screen's width.
    assert page.evaluate(FIRST_QUESTION_IN_VIEW), "the funnel opens on an empty area"
    page.screenshot(
        path=str(screenshot_folder(tmp_path) / f"staff-stats-{size}.png"), full_page=True
    )

    if os.environ.get("IVR_SCREENSHOTS"):  # one per chart, to look at closely (seconds)
        sections = ("per-dag", "per-uur", "per-taal", "trechter", "uitkomst", "doorverbinden")
        for section in (*sections, "vragen"):
            shot = screenshot_folder(tmp_path) / f"staff-stats-{size}-{section}.png"
            page.locator(f"#{section}").screenshot(path=str(shot))
    if size == "laptop":  # a call answered by another worker shows at the very next view
        other = make_app()  # the second worker: its own process, the same database
        Call(other, "CA9901").press("1").hang_up(50)
        other.extensions["ivr_event_queue"].flush()
        page.reload()
        assert page.inner_text("[data-figure=calls]") == str(two_weeks + 1)
    page.click("text=7 dagen")
    assert page.inner_text("[data-figure=calls]") not in (str(two_weeks), str(two_weeks + 1))
    with page.expect_download() as download:
        page.locator("#per-dag a.download").click()
    assert download.value.suggested_filename == "gesprekken-per-dag-2026-11-16-2026-11-22.csv"
