"""Logins and sessions in a real browser (Debian's Chromium, driven by Playwright), issue 22: a
known colleague logs in while someone on the same office address floods made-up names, and a
note typed after the session ended is shown after logging in again and saved with one click."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from flask import Flask

from ivr.storage.staff_sessions import WORKDAY
from tests.support.browser import skip_without_chromium
from tests.support.calls import ask_callback
from tests.support.clock import Clock
from tests.support.staff import COLLEAGUE, STAFF, Staff

pytestmark = pytest.mark.browser  # Debian's Chromium: run by .ci/run after the README's command

OFFICE = "127.0.0.1"  # the browser's address, as the console sees it
PAUSED = "Te veel mislukte pogingen. Wacht 5 minuten en probeer het dan opnieuw."

skip_without_chromium()


def _log_in(page: Any, user: tuple[str, str]) -> None:
    page.fill("#username", user[0])
    page.fill("#password", user[1])
    page.click("button[type=submit]")


def test_a_known_colleague_logs_in_while_the_office_floods_made_up_names(
    console: Flask, console_url: str, browser: Any
) -> None:
    page = browser.new_page()
    page.goto(f"{console_url}/staff/login")
    _log_in(page, STAFF)  # anna worked from this office before
    page.wait_for_url(f"{console_url}/staff/callbacks")
    page.click("text=Uitloggen")
    flood = Staff(console.test_client())  # someone else on the office network
    answers = {flood.log_in((f"verzonnen{n}", "een-wachtwoord-1"), OFFICE).status_code
               for n in range(40)}  # fmt: skip
    assert answers == {401, 429}

    _log_in(page, STAFF)
    page.wait_for_url(f"{console_url}/staff/callbacks")
    assert page.title().endswith("Terugbelverzoeken — Mantelzorglijn")
    page.click("text=Uitloggen")
    _log_in(page, COLLEAGUE)  # ben never logged in from here: new logins from it wait
    assert page.inner_text("p.flash.warn") == PAUSED
    page.close()


def test_a_note_typed_after_the_session_ended_is_saved_with_one_click(
    console: Flask, console_url: str, browser: Any, clock: Clock
) -> None:
    ask_callback(console)
    page = browser.new_page()
    page.goto(f"{console_url}/staff/callbacks")
    _log_in(page, STAFF)
    page.wait_for_url(f"{console_url}/staff/callbacks")
    page.fill("#note-1", "voicemail ingesproken")
    clock.now += WORKDAY + timedelta(seconds=1)  # the session ended while the page was open
    page.click("#verzoek-1 [data-action=note]")
    page.wait_for_url(f"{console_url}/staff/login?next=/staff/callbacks")
    assert "Uw laatste klik is nog niet opgeslagen." in page.inner_text("main")

    _log_in(page, STAFF)
    page.wait_for_url(f"{console_url}/staff/callbacks")
    banner = page.inner_text(".banner.unsaved")
    assert banner.startswith(
        "U was uitgelogd. Daarom is dit niet opgeslagen: Notitie opslaan bij verzoek 1, met de "
        "notitie “voicemail ingesproken”."
    )
    assert "voicemail ingesproken" not in page.inner_text("#verzoek-1")  # not by itself
    page.click("[data-action=save-unsaved]")
    assert "notitie — “voicemail ingesproken”" in page.inner_text("#verzoek-1")
    assert page.locator(".banner.unsaved").count() == 0
    page.close()
