"""The worklist's triage in a real browser (Debian's Chromium, driven by Playwright), at laptop
and phone width: the crisis request first among ordinary ones, one number's requests as one
item, nothing wider than the screen. One page load per width. The screenshots
(docs/worklist-triage.png, docs/worklist-triage-phone.png) go to a temporary folder, or to the
folder in IVR_SCREENSHOTS (``IVR_SCREENSHOTS=docs .venv/bin/pytest tests/test_worklist_browser.py``).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from flask import Flask

from ivr.core.call_summary import summarise
from ivr.core.callback_request import CallbackRequest
from ivr.core.tree_model import Tree
from tests.support.browser import screenshot_folder, skip_without_chromium
from tests.support.clock import CLOSED_TIME
from tests.support.staff import Staff

pytestmark = pytest.mark.browser  # Debian's Chromium: run by .ci/run after the README's command

SIZES = {"": (1280, 800), "-phone": (390, 844)}
PHONE_SHOT = {"x": 0, "y": 0, "width": 390, "height": 1700}

skip_without_chromium()


def ask(app: Flask, n: int, at: datetime, phone: str, node: str, typed: bool) -> int:
    """A request as a call stores it: from the caller at ``node`` (an advice or a question)."""
    tree: Tree = app.extensions["ivr_line"].flow.tree
    said = summarise(tree, path_to(tree, node), tree.helpdesk)
    request = CallbackRequest(
        f"key-{n}", phone, said.reached, said.answers, said.service, at, number_typed=typed
    )
    rid: int = app.extensions["ivr_store"].add(request)
    return rid


def path_to(tree: Tree, node: str) -> str:
    """The answers that lead to ``node`` (a question or an advice)."""
    prefixes = sorted({end[:n] for end in tree.paths() for n in range(len(end) + 1)})
    return next(path for path in prefixes if getattr(tree.node_at(path), "id", None) == node)


def test_the_crisis_request_comes_first_on_laptop_and_phone(
    console: Flask, console_url: str, browser: object, tmp_path: Path
) -> None:
    day = timedelta(days=1)
    family = ask(
        console,
        1,
        CLOSED_TIME - 2 * day - timedelta(hours=4, minutes=20),
        "+31611111111",
        "dagbesteding",
        False,
    )
    ask(
        console,
        2,
        CLOSED_TIME - day - timedelta(hours=12, minutes=45),
        "+31611111111",
        "thuis",
        True,
    )
    loge = ask(
        console,
        3,
        CLOSED_TIME - day - timedelta(hours=5, minutes=55),
        "+31633333333",
        "logeeropvang_wmo",
        True,
    )
    ask(console, 4, CLOSED_TIME - timedelta(hours=3), "+31644444444", "respijt", False)
    crisis = ask(console, 5, CLOSED_TIME - timedelta(minutes=40), "+31622222222", "crisis", False)
    worklist = console.extensions["ivr_staff"].worklist
    worklist.not_reached(loge, "ben", CLOSED_TIME - timedelta(hours=2))
    worklist.note(loge, "ben", CLOSED_TIME - timedelta(hours=2), "voicemail ingesproken")
    member = Staff(console.test_client())
    member.log_in()
    cookie = member.client.get_cookie("ivr_staff")
    assert cookie is not None
    shots = screenshot_folder(tmp_path)
    for suffix, (width, height) in SIZES.items():
        context = browser.new_context(viewport={"width": width, "height": height})  # type: ignore[attr-defined]
        context.add_cookies([{"name": "ivr_staff", "value": cookie.value, "url": console_url}])
        page = context.new_page()
        page.goto(f"{console_url}/staff/callbacks")
        assert page.title() == "(5) Terugbelverzoeken — Mantelzorglijn"
        order = page.eval_on_selector_all(".item", "items => items.map(i => i.id)")
        assert order == [f"verzoek-{crisis}", f"verzoek-{family}", f"verzoek-{loge}", "verzoek-4"]
        first = page.locator(".item").first
        assert first.locator(".urgent-label").inner_text() == (
            "Spoed — na het advies “Hulp in een crisis”"
        )
        assert page.locator(".urgent-label").count() == 1
        waits = page.eval_on_selector_all(".wait", "found => found.map(w => w.innerText)")
        assert waits == [
            "wacht 40 minuten",
            "wacht 2 dagen, sinds vr 20 nov 17:40",
            "wacht sinds gisteren 16:05",
            "wacht 3 uur",
        ]
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        shot = shots / f"worklist-triage{suffix}.png"
        if suffix:  # a phone: its first screens (the whole list is very long)
            page.screenshot(path=str(shot), full_page=True, clip=PHONE_SHOT)
        else:
            page.screenshot(path=str(shot), full_page=True)
        context.close()
