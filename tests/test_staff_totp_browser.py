"""Setting up the authenticator app and logging in with its code, in Debian's Chromium (driven
by Playwright): the secret read from the page as a worker would type it into the app. The setup
page's screenshot goes to a temporary folder, or to IVR_SCREENSHOTS
(``IVR_SCREENSHOTS=docs .venv/bin/pytest tests/test_staff_totp_browser.py``: docs/totp-setup.png).
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pyotp
import pytest
from flask import Flask

from tests.support.browser import screenshot_folder, skip_without_chromium
from tests.support.clock import Clock
from tests.support.staff import STAFF

pytestmark = pytest.mark.browser  # Debian's Chromium: run by .ci/run after the README's command

skip_without_chromium()


def test_set_up_the_app_and_log_in_with_its_code(
    console: Flask, console_url: str, browser: object, clock: Clock, tmp_path: Path
) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 800})  # type: ignore[attr-defined]
    refused: list[str] = []
    page.on("console", lambda message: refused.append(message.text))

    def log_in() -> None:
        page.goto(f"{console_url}/staff/login")
        page.fill("#username", STAFF[0])
        page.fill("#password", STAFF[1])
        page.click("button[type=submit]")

    log_in()
    page.wait_for_url(f"{console_url}/staff/callbacks")
    page.click("text=Inloggen met een code van uw telefoon")
    page.wait_for_url(f"{console_url}/staff/app-code")  # the page loaded, not only asked for
    assert page.title() == "Inloggen met een code van uw telefoon — Mantelzorglijn"
    qr = page.locator(".qr-box svg").bounding_box()
    assert qr is not None and qr["width"] >= 200 and qr["height"] >= 200  # easy to scan
    secret = "".join(page.inner_text(".secret").split())
    assert len(secret) == 32
    page.screenshot(path=str(screenshot_folder(tmp_path) / "totp-setup.png"), full_page=True)

    page.fill("#code", pyotp.TOTP(secret).at(clock.now))
    page.click("text=Bevestigen")
    page.wait_for_url(f"{console_url}/staff/callbacks")
    assert page.inner_text(".flash") == (
        "Gelukt. Voortaan vraagt de werklijst na uw wachtwoord ook de code van uw telefoon."
    )
    page.click("text=Uitloggen")

    clock.now += timedelta(seconds=30)  # the app's next code
    log_in()
    page.wait_for_url(f"{console_url}/staff/login/code")
    assert page.title() == "Code van uw telefoon — Mantelzorglijn"
    page.fill("#code", pyotp.TOTP(secret).at(clock.now))
    page.click("button[type=submit]")
    page.wait_for_url(f"{console_url}/staff/callbacks")
    assert page.inner_text(".who") == "Ingelogd als anna"
    assert not [text for text in refused if "Content Security Policy" in text]
    page.close()
