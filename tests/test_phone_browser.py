"""The web phone and the tree map in a real browser (Debian's Chromium, driven by Playwright).

Three whole calls by clicking keys (to an offering, a transfer and a callback), a silence that
times out as on a phone, and the map's "play from here". What the page shows must be exactly
what the line says: each call is also played in process with the same call driver, and the
page's transcript must match it line for line. The time to start a call and to answer a key
press is measured and printed (``-s`` shows it); IVR_SCREENSHOTS=docs writes the screenshots
for the README.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from tests.support.browser import chromium, screenshot_folder, serving, skip_without_chromium

skip_without_chromium()

# One browser for the module (its fixture): its tests stay on one xdist worker.
pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("phone_browser")]

from tests.support.clock import CLOSED_TIME  # noqa: E402
from tests.support.phone_page import (  # noqa: E402
    LAPTOP,
    call,
    line_of,
    open_phone,
    open_speaking_phone,
    played_in_process,
    press,
    print_timings,
    said,
    spoken,
    timed,
)
from tests.support.sms import SMS_ENV  # noqa: E402
from tests.support.spoken import KEYS_SHORT  # noqa: E402


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as launched:
        yield launched
    print_timings()


def test_a_call_to_an_offering_and_goodbye(phone_app: Flask, phone_url: str, browser: Any) -> None:
    page = open_phone(browser, phone_url)
    assert page.url == f"{phone_url}/phone"
    assert page.title() == "Probeer de lijn — Mantelzorglijn"
    call(page)
    p = line_of(phone_app).flow.say.prompts
    assert said(page)[0] == p("welcome")
    press(page, "2", "2", "1", "1", "1", "2", "2")
    title = line_of(phone_app).flow.tree.nodes["dagbesteding"].title
    assert f"{title}." in said(page)
    # a mobile caller, so the SMS is offered (development mode: never sent); no, thanks
    assert said(page)[-1] == f"Wilt u dit advies ook per sms ontvangen? {KEYS_SHORT}"
    press(page, "2", "2")
    timed(page, "key", lambda: page.keyboard.press("2"))  # the keyboard works as the keypad
    assert page.locator("[data-kind=you]").last.inner_text() == "U toetst 2"
    expected = played_in_process(phone_app, [("key", k) for k in "2211122222"])
    assert said(page) == expected
    assert said(page)[-1] == "Bedankt voor het bellen. Veel sterkte met de zorg. Tot ziens."
    assert page.locator("[data-role=transcript] [data-kind=note]").last.inner_text() == (
        "De lijn hangt op."
    )
    assert page.is_disabled("[data-key='1']")
    for _ in range(3):  # calling again: the page starts afresh
        call(page, what="start")
        assert said(page) == expected[:3]
        page.click("[data-action=hangup]")
        assert page.locator("[data-kind=note]").last.inner_text() == "U hangt op."
    page.close()


def test_a_call_put_through_shows_the_whisper_and_each_outcome(
    phone_app: Flask, phone_url: str, browser: Any, tmp_path: Path
) -> None:
    page = open_phone(browser, phone_url)
    call(page)
    press(page, "1", "2", "1")  # the crisis offering, no SMS, put through to Markant (screens)
    transfer = page.locator("[data-role=transfer]")
    assert transfer.is_visible()
    assert not page.locator("[data-role=countdown]").is_visible()  # no Gather: no timeout
    assert page.inner_text("[data-role=service]") == "de helpdesk van Markant"
    assert page.inner_text("[data-role=dialled]") == "Nummer: +31208868800"
    assert not page.locator("[data-role=plain]").is_visible()
    assert page.inner_text("[data-role=whisper]") == (
        "Beller van de Mantelzorglijn. Advies: Hulp in een crisis. Ja op: crisis. "
        "Toets één om het gesprek aan te nemen."
    )
    assert page.locator("[data-outcome]").all_inner_texts() == [
        "Neemt op en toetst 1", "Neemt op, toetst niets", "In gesprek", "Neemt niet op",
        "Lukt niet",
    ]  # fmt: skip
    page.screenshot(path=str(screenshot_folder(tmp_path) / "phone-transfer.png"), full_page=True)
    timed(page, "key", lambda: page.click("[data-outcome=completed]"))
    assert not transfer.is_visible()
    expected = played_in_process(phone_app, [*[("key", k) for k in "121"], ("dial", "completed")])
    assert said(page) == expected
    assert said(page)[-2:] == [
        "Een moment alstublieft. Ik verbind u door met de helpdesk van Markant.",
        "Bedankt voor het bellen. Veel sterkte met de zorg. Tot ziens.",
    ]
    page.close()


def test_a_plain_transfer_shows_no_whisper(phone_app: Flask, phone_url: str, browser: Any) -> None:
    """The Sociaal loket is a public line: a bare <Dial><Number>, nothing to hear or decline."""
    page = open_phone(browser, phone_url)
    call(page)
    press(page, "2", "2", "1", "1", "1", "2", "2", "2", "1")  # dagbesteding, no SMS, put through
    assert page.locator("[data-role=transfer]").is_visible()
    assert page.inner_text("[data-role=service]") == "het Sociaal loket"
    assert page.inner_text("[data-role=dialled]") == "Nummer: +31202552916"
    assert not page.locator("[data-role=screened]").is_visible()
    assert page.inner_text("[data-role=plain]") == (
        "Zonder fluistertekst: wie opneemt, spreekt meteen met de beller."
    )
    shown = page.locator("[data-outcome]:visible")
    assert shown.all_inner_texts() == ["Neemt op", "In gesprek", "Neemt niet op", "Lukt niet"]
    timed(page, "key", lambda: page.click("[data-outcome=completed]"))  # wait for the answer
    keys = [("key", k) for k in "221112221"]
    assert said(page) == played_in_process(phone_app, [*keys, ("dial", "completed")])
    assert page.locator("[data-kind=you]").last.inner_text() == "Doorverbinden: Neemt op"
    page.close()


def test_a_call_after_hours_ends_with_a_callback_on_the_callers_number(
    phone_app: Flask, phone_url: str, browser: Any, tmp_path: Path
) -> None:
    page = open_phone(browser, phone_url)
    page.select_option("#caller", "mobiel")
    call(page, moment="2026-11-29T22:00")
    press(page, "1")
    page.screenshot(path=str(screenshot_folder(tmp_path) / "phone-mid-call.png"), full_page=True)
    press(page, "2", "1")  # no SMS; a callback
    assert said(page)[-1] == (
        "Wij bellen u op dit nummer: nul zes, één twee, drie vier, vijf zes, zeven acht. "
        f"Ik herhaal: nul zes, één twee, drie vier, vijf zes, zeven acht. Klopt dat? {KEYS_SHORT}"
    )
    press(page, "1")
    expected = played_in_process(
        phone_app, [("key", k) for k in "1211"], moment=CLOSED_TIME.replace(day=29)
    )
    assert said(page) == expected
    assert said(page)[-3].startswith("Genoteerd. De helpdesk van Markant belt u")
    assert said(page)[-2] == "U krijgt hierover ook een sms."  # the request confirmed by SMS
    assert page.inner_text("[data-kind=callback]") == (
        "Terugbelverzoek genoteerd: 06 12 34 56 78, bij Hulp in een crisis. "
        "(Alleen hier: het komt niet op de werklijst van de helpdesk.)"
    )
    page.close()


def test_silence_counts_down_and_follows_the_redirect(
    make_app: Callable[..., Flask], browser: Any
) -> None:
    app = make_app(IVR_DEV_MODE="1", GATHER_TIMEOUT="3")
    with serving(app) as url:
        page = open_phone(browser, url)
        call(page)
        countdown = page.locator("[data-role=seconds]")
        countdown.wait_for()
        assert countdown.inner_text() == "Stilte: nog 3 seconden"
        page.locator("[data-role=transcript][data-turns='3']").wait_for(timeout=6000)
        p = line_of(app).flow.say.prompts
        assert said(page)[-3:] == [
            p("noinput_1"),
            line_of(app).flow.tree.nodes["acuut"].text,
            p("keys_short"),
        ]
        assert "(stilte)" in page.locator("[data-kind=you]").all_inner_texts()
        timed(page, "key", lambda: page.click("[data-action=skip]"))  # a tester's shortcut
        assert said(page)[-3] == p("noinput_2")
        assert not page.locator("[data-kind=twiml]").first.is_visible()
        page.check("[data-role=show-twiml]")
        first = page.locator("[data-kind=twiml]").first
        assert first.is_visible()
        assert first.inner_text().startswith('/voice\n<?xml version="1.0" encoding="UTF-8"?>')
        page.close()


@pytest.mark.parametrize(
    "settings",
    [pytest.param(SMS_ENV, id="sms-settings"), pytest.param({}, id="quick-start-no-sms-settings")],
)
def test_the_advice_by_sms_is_shown_not_sent(
    make_app: Callable[..., Flask], browser: Any, settings: dict[str, str]
) -> None:
    app = make_app(IVR_DEV_MODE="1", **settings)
    tree = line_of(app).flow.tree
    with serving(app) as url:
        page = open_phone(browser, f"{url}/phone?p=nnjjjnn")
        call(page, welcome=False)
        press(page, "1")
        sms = page.locator("[data-role=transcript] [data-kind=sms]")
        assert sms.count() == 1
        assert sms.inner_text().startswith(
            f"Sms (niet verstuurd): {tree.nodes['dagbesteding'].title}.\n"
        )
        page.close()


def test_in_english_the_map_and_the_phone(
    make_app: Callable[..., Flask], browser: Any, tmp_path: Path
) -> None:
    """The map in English with each text's review state, played from a box in English; a call
    that chooses English by its key in the Dutch welcome, each <Say> read aloud in its own
    language; and a call to the number bound to English."""
    app = make_app(IVR_DEV_MODE="1", LANGUAGES="en")
    english = line_of(app).languages["en"].flow
    dutch = line_of(app).flow
    title = english.tree.nodes["dagbesteding"].title
    with serving(app) as url:
        page = browser.new_page(viewport=LAPTOP)
        page.goto(f"{url}/tree?taal=en")
        assert page.locator("#taal option:checked").inner_text() == "Engels"
        page.click("#node_dagbesteding")
        card = page.locator("[data-node=dagbesteding]")
        assert card.locator("h2").inner_text() == title
        assert card.locator("dt").all_inner_texts() == ["Titel", "Advies", "Sms"]
        assert card.locator("[data-state]").all_inner_texts() == ["Nog niet nagekeken."] * 3
        card.locator(".reviews").scroll_into_view_if_needed()  # the review states in view
        page.screenshot(path=str(screenshot_folder(tmp_path) / "tree-map-english.png"))
        card.locator("[data-action=play-from-here]").click()
        page.wait_for_url(f"{url}/phone?p=nnjjjnn&l=en")
        assert page.locator("#language option:checked").inner_text() == (
            "Engels: belt het nummer voor het Engels"
        )
        page.uncheck("[data-role=speak]")
        call(page, welcome=False)
        assert said(page)[0] == f"{title}."
        page.close()

        page = open_speaking_phone(browser, f"{url}/phone")
        page.evaluate("window.speechMs = 700")  # the welcome: time to press 7 while it speaks
        call(page, welcome=False)
        assert said(page) == [dutch.say.prompts("welcome"), "For English, press 7."]
        page.wait_for_function("() => window.spoken.length === 2")  # the choice is being said
        page.evaluate("window.speechMs = 0")
        press(page, "7")
        first = english.tree.nodes[english.tree.start].text
        assert said(page)[2] == first
        page.screenshot(path=str(screenshot_folder(tmp_path) / "phone-english.png"), full_page=True)
        press(page, "2", "2", "1", "1", "1", "2", "2")  # to day care, as in Dutch
        assert f"{title}." in said(page)
        shown = page.locator("[data-role=transcript] [data-kind=say]")
        languages = [item.get_attribute("lang") for item in shown.all()]
        assert languages == ["nl-NL"] + ["en-GB"] * (len(languages) - 1)
        heard = spoken(page)
        assert heard[:3] == [
            ("nl-NL", "Stem NL", dutch.say.prompts("welcome")),
            ("en-GB", "Voice GB", "For English, press 7."),
            ("en-GB", "Voice GB", first),
        ]
        assert {(lang, voice) for lang, voice, _ in heard[2:]} == {("en-GB", "Voice GB")}
        page.click("[data-action=hangup]")

        page.select_option("#language", "en")  # as a caller who dials the English number
        call(page, what="start", welcome=False)
        assert page.locator("[data-kind=you]").first.inner_text() == (
            "U belt het nummer voor het Engels."
        )
        assert said(page) == [english.say.prompts("welcome")]  # no choice asked
        page.close()
