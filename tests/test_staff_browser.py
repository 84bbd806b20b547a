"""The staff console in a real browser: Debian's Chromium, driven by Playwright.

Log in, see a request that a signed call made, claim it, mark it done, log out: a copy of the
session cookie in another browser ends with the logout. Screenshots of
the login page and the worklist (laptop and tablet) go to a temporary folder, or to the folder
in IVR_SCREENSHOTS (``IVR_SCREENSHOTS=docs .venv/bin/pytest tests/test_staff_browser.py``).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask

from tests.support.browser import screenshot_folder, skip_without_chromium
from tests.support.calls import ask_callback
from tests.support.staff import STAFF

pytestmark = pytest.mark.browser  # Debian's Chromium: run by .ci/run after the README's command

SIZES = {"laptop": (1280, 800), "tablet": (820, 1180)}

skip_without_chromium()


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    return screenshot_folder(tmp_path)


@pytest.mark.parametrize("size", list(SIZES), ids=str)
def test_log_in_claim_done_log_out(
    console: Flask, console_url: str, browser: object, shots: Path, size: str
) -> None:
    ask_callback(console)
    width, height = SIZES[size]
    page = browser.new_page(viewport={"width": width, "height": height})  # type: ignore[attr-defined]
    page.goto(f"{console_url}/staff/")
    assert page.url == f"{console_url}/staff/login?next=/staff/"
    assert page.title() == "Inloggen — Mantelzorglijn"
    page.screenshot(path=str(shots / f"staff-login-{size}.png"))

    page.fill("#username", STAFF[0])
    page.fill("#password", "niet-het-wachtwoord")
    page.click("button[type=submit]")
    assert "De gebruikersnaam of het wachtwoord klopt niet." in page.inner_text("main")
    page.fill("#password", STAFF[1])
    page.click("button[type=submit]")
    page.wait_for_url(f"{console_url}/staff/callbacks")
    assert page.title() == "(1) Terugbelverzoeken — Mantelzorglijn"
    item = page.locator("#verzoek-1")
    assert item.locator(".phone").inner_text() == "Bel 06 12 34 56 78"
    assert "Kan uw naaste thuis zorg ontvangen?" in item.inner_text()
    page.screenshot(path=str(shots / f"staff-worklist-{size}.png"), full_page=True)

    item.locator("[data-action=claim]").click()
    assert page.inner_text(".flash") == "Verzoek 1 staat op uw naam. U belt."
    assert page.locator("#verzoek-1 .state").inner_text() == "U belt dit verzoek"
    if size == "laptop":
        page.screenshot(path=str(shots / "staff-claimed-laptop.png"), full_page=True)
    page.locator("#verzoek-1 [data-action=done]").click()
    assert page.inner_text(".flash") == "Verzoek 1 is afgehandeld. Dank u wel."
    assert page.title() == "(0) Terugbelverzoeken — Mantelzorglijn"
    assert page.locator(".item").count() == 0

    page.click("text=Afgehandeld")
    assert "Gebeld — geholpen, door anna" in page.inner_text("#verzoek-1")
    copy = browser.new_context()  # type: ignore[attr-defined]
    copy.add_cookies(page.context.cookies())  # another browser with a copy of the cookie
    copied = copy.new_page()
    copied.goto(f"{console_url}/staff/callbacks")
    assert copied.title() == "(0) Terugbelverzoeken — Mantelzorglijn"
    page.click("text=Uitloggen")
    assert page.inner_text(".flash") == "U bent uitgelogd."
    page.goto(f"{console_url}/staff/callbacks")
    assert page.title() == "Inloggen — Mantelzorglijn"
    copied.goto(f"{console_url}/staff/callbacks.csv")  # the copy ended with the logout
    assert (copied.url, copied.title()) == (
        f"{console_url}/staff/login?next=/staff/callbacks.csv",
        "Inloggen — Mantelzorglijn",
    )
    copy.close()
    page.close()


def test_buttons_are_large_enough_to_tap(console_url: str, browser: object) -> None:
    page = browser.new_page(viewport={"width": 820, "height": 1180})  # type: ignore[attr-defined]
    page.goto(f"{console_url}/staff/login")
    box = page.locator("button[type=submit]").bounding_box()
    field = page.locator("#username").bounding_box()
    assert box is not None and field is not None
    assert box["height"] >= 44 and field["height"] >= 44  # WCAG 2.5.5 target size
    page.close()
