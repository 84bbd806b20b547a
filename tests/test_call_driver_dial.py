"""The call driver's Dial: the whisper fetched on the answering person's leg, every outcome
posted to the Dial's action as Twilio posts it, and a call's state as plain data."""

from __future__ import annotations

import pytest
from flask import Flask

from ivr.core.call_summary import whisper
from ivr.web.tools.call_driver import CallDriver
from ivr.web.tools.emulated_call import CALLERS, CallState
from tests.support.driver import texts, waiting
from tests.support.signing import TOKEN


@pytest.fixture
def driver(app: Flask) -> CallDriver:
    return CallDriver(app, TOKEN)


def transfer(driver: CallDriver, path: str = "j") -> CallState:
    """Put through from an offering: the crisis offering's is to Markant, which screens."""
    offering = driver.start(CALLERS["mobiel"], path=path)
    return waiting(driver.press(waiting(offering), "1"))


def test_dial_fetches_the_whisper_of_the_answering_leg(app: Flask, driver: CallDriver) -> None:
    flow = app.extensions["ivr_line"].flow
    state = transfer(driver)
    wait = state.wait
    assert wait is not None
    assert (wait.kind, wait.action, wait.service, wait.number, wait.timeout) == (
        "dial", "/voice/dialed?p=j&s=markant", "markant", "+31208868800", 25,
    )  # fmt: skip
    assert wait.whisper == whisper(flow.tree, flow.say.prompts, "j")
    assert wait.whisper_url == "/voice/whisper?p=j&s=markant"
    assert wait.accept_url == "/voice/accept?p=j&s=markant"
    assert wait.leg_sid != state.sid


def test_a_completed_transfer_is_accepted_on_the_whisper_then_ends(
    app: Flask, driver: CallDriver
) -> None:
    p = app.extensions["ivr_line"].flow.say.prompts
    progress = driver.dial_outcome(transfer(driver), "completed")
    assert [url for url, _ in progress.twiml] == [
        "/voice/accept?p=j&s=markant",
        "/voice/dialed?p=j&s=markant",
    ]
    assert texts(progress) == [p("goodbye")]
    assert (progress.state, progress.ended) == (None, "hangup")


def test_a_plain_dial_has_no_whisper_and_completes_without_an_accept(
    app: Flask, driver: CallDriver
) -> None:
    """The Sociaal loket is a public line (screening: plain): a bare <Dial><Number>."""
    p = app.extensions["ivr_line"].flow.say.prompts
    state = transfer(driver, "nnjjjnn")
    wait = state.wait
    assert wait is not None
    assert (wait.kind, wait.action, wait.service, wait.number) == (
        "dial", "/voice/dialed?p=nnjjjnn&s=sociaal_loket", "sociaal_loket", "+31202552916",
    )  # fmt: skip
    assert (wait.whisper, wait.whisper_url, wait.accept_url, wait.leg_sid) == ((), "", "", "")
    progress = driver.dial_outcome(state, "completed")
    assert [url for url, _ in progress.twiml] == ["/voice/dialed?p=nnjjjnn&s=sociaal_loket"]
    assert texts(progress) == [p("goodbye")]
    assert (progress.state, progress.ended) == (None, "hangup")


@pytest.mark.parametrize(
    ("outcome", "said"),
    [
        ("declined", "no_answer"),
        ("busy", "transfer_busy"),
        ("no-answer", "no_answer"),
        ("failed", "transfer_failed"),
    ],
    ids=["declined", "busy", "no-answer", "failed"],
)
def test_a_transfer_that_did_not_happen(
    app: Flask, driver: CallDriver, outcome: str, said: str
) -> None:
    """Twilio posts DialBridged=false with each: the status says why (issue 23)."""
    p = app.extensions["ivr_line"].flow.say.prompts
    progress = driver.dial_outcome(transfer(driver), outcome)
    assert texts(progress)[0] == p(said)
    assert waiting(progress).wait is not None


def test_the_state_survives_a_round_trip_as_plain_data(driver: CallDriver) -> None:
    state = transfer(driver)
    assert CallState.from_dict(state.to_dict()) == state
