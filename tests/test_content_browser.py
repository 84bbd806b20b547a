"""An editor at Markant in a real browser (Debian's Chromium, driven by Playwright).

She changes an advice's phone number (first wrongly: the page says why, next to the field) and
a question's text, hears the draft in the web phone, publishes, a new call hears the change,
and she rolls it back. Screenshots of the content list, the wrong number and the versions go to
a temporary folder, or to IVR_SCREENSHOTS (``IVR_SCREENSHOTS=docs .venv/bin/pytest
tests/test_content_browser.py``).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from tests.support.browser import screenshot_folder, skip_without_chromium
from tests.support.calls import Caller
from tests.support.content_editor import EDITOR, versions_of

pytestmark = pytest.mark.browser  # Debian's Chromium: run by .ci/run after the README's command

skip_without_chromium()

LAPTOP = {"width": 1280, "height": 860}
SAY = "[data-role=transcript] [data-kind=say]"
NEW_NUMBER = "020 255 29 17"  # the Wmo Helpdesk's, as a call to 'opschaling' reads it
NEW_QUESTION = "Is uw naaste vandaag in gevaar?"


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    return screenshot_folder(tmp_path)


def _log_in(page: Any, url: str) -> None:
    page.goto(f"{url}/staff/content")
    page.fill("#username", EDITOR[0])
    page.fill("#password", EDITOR[1])
    page.click("button[type=submit]")
    page.wait_for_url(f"{url}/staff/content")


def _said(page: Any) -> str:
    return " ".join(page.locator(SAY).all_inner_texts())


def _call(page: Any) -> None:
    """A web phone call from where the page was opened (the draft's node, or the start)."""
    page.uncheck("[data-role=speak]")  # no audio device in CI; the text is what is checked
    page.click("[data-action=call]")
    page.locator("[data-role=transcript][data-turns='1']").wait_for()


def test_an_editor_changes_hears_publishes_and_rolls_back(
    content_console: Flask,
    console_url: str,
    browser: Any,
    shots: Path,
    make_app: Callable[..., Flask],
) -> None:
    page = browser.new_page(viewport=LAPTOP)
    _log_in(page, console_url)
    assert page.title() == "Teksten en nummers — Mantelzorglijn"
    page.screenshot(path=str(shots / "editor-content.png"))

    # an advice's number, first mistyped: refused next to the field, nothing saved
    page.click("#item-opschaling >> text=Aanpassen")
    page.fill("#veld-contacts-0-phone", "0800 06")
    page.select_option("#source", "anders")
    page.fill("#source_other", "telefoontje met de Wmo Helpdesk, 3 dec")
    page.fill("#note", "De Wmo Helpdesk heeft een nieuw nummer")
    page.click("button[value=preview]")
    finding = page.locator(".finding.error")
    assert finding.inner_text() == (
        "Fout: “0800 06” is geen geldig Nederlands telefoonnummer. Schrijf 10 cijfers die met 0 "
        "beginnen (zoals 020 886 88 00), een 0800- of 0900-nummer, of 112."
    )
    finding.scroll_into_view_if_needed()
    page.screenshot(path=str(shots / "editor-wrong-number.png"))
    assert versions_of(content_console).latest().number == 1  # type: ignore[union-attr]

    # the right number: a draft, heard in the web phone at the advice
    page.fill("#veld-contacts-0-phone", NEW_NUMBER)
    page.click("button[value=preview]")
    assert page.locator(".concept h2").inner_text().endswith(": nog niet gepubliceerd")
    page.click("[data-action=listen]")
    assert page.inner_text("[data-role=draft]") == (
        "U hoort het concept uit Teksten en nummers: bellers horen het nog niet."
    )
    _call(page)
    assert "nul twee nul, twee vijf vijf, twee negen, één zeven" in _said(page)
    page.go_back()

    page.click("button[value=publish]")
    assert page.inner_text(".flash") == (
        "Gepubliceerd als versie 2. Nieuwe gesprekken horen het binnen 10 seconden."
    )

    # a question's text, published the same way
    page.goto(f"{console_url}/staff/content/acuut")
    page.fill("#veld-question", NEW_QUESTION)
    page.select_option("#source", "notes/domain.md")
    page.click("button[value=publish]")
    assert page.inner_text(".flash").startswith("Gepubliceerd als versie 3.")

    # a new call hears it, on another worker of the line (the same database; a worker that
    # runs already looks for a new version every few seconds: tests/test_content_lines.py)
    other_worker = make_app()
    assert NEW_QUESTION in " ".join(Caller(other_worker.test_client()).post("/voice").spoken())

    page.goto(f"{console_url}/staff/content/versions")
    page.screenshot(path=str(shots / "editor-versions.png"), full_page=True)
    page.click("#versie-1 button[value=rollback]")
    assert page.inner_text(".flash") == (
        "Versie 1 is teruggezet als versie 4. Nieuwe gesprekken horen het binnen 10 seconden."
    )
    assert "Heeft uw naaste vandaag nog hulp nodig om veilig te zijn?" in " ".join(
        Caller(make_app().test_client()).post("/voice").spoken()
    )
    newest = versions_of(content_console).latest()
    assert newest is not None and newest.files == versions_of(content_console).numbered(1).files  # type: ignore[union-attr]
    page.close()
