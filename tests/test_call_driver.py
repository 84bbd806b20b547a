"""The call driver against the real app: every verb the line uses, followed as Twilio does.

Texts are read from the tree and the prompts, so the tests follow content edits; what they
check is the driving: which webhook is posted when, with what, and what the caller hears.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask

from ivr.audio.catalog import Catalog
from ivr.audio.manifest import audio_name
from ivr.audio.render import Renderer
from ivr.core.errors import CallStateError
from ivr.core.normalise import normalise
from ivr.web.tools.call_driver import CallDriver
from ivr.web.tools.emulated_call import CALLERS, CallState, Progress
from tests.support.audio_fakes import FakeEngine
from tests.support.clock import CLOSED_TIME, OPEN_TIME, Clock
from tests.support.driver import texts, waiting
from tests.support.signing import BASE, TOKEN
from tests.support.sms import SMS_ENV

MOBILE = CALLERS["mobiel"]


@pytest.fixture
def driver(app: Flask) -> CallDriver:
    return CallDriver(app, TOKEN)


def test_ringing_says_the_welcome_and_waits_at_its_one_key_gather(
    app: Flask, driver: CallDriver
) -> None:
    flow = app.extensions["ivr_line"].flow
    p = flow.say.prompts
    progress = driver.start(MOBILE)
    assert texts(progress) == [p("welcome")]
    assert [url for url, _ in progress.twiml] == ["/voice"]
    wait = waiting(progress).wait
    assert wait is not None
    assert (wait.kind, wait.action, wait.num_digits, wait.finish_on_key, wait.timeout) == (
        "gather", "/voice/welcome?p=", 1, "", 1,
    )  # fmt: skip
    assert wait.speech is False
    assert waiting(progress).rest.startswith('<Response><Gather action="/voice/answer?p="')


def test_after_the_welcome_the_first_question_waits_without_a_webhook(
    app: Flask, driver: CallDriver
) -> None:
    flow = app.extensions["ivr_line"].flow
    p = flow.say.prompts
    progress = driver.silence(waiting(driver.start(MOBILE)))
    assert texts(progress) == [flow.tree.nodes[flow.tree.start].text, p("keys")]
    assert (progress.twiml, driver.hops) == ([], 1)
    wait = waiting(progress).wait
    assert wait is not None
    assert (wait.kind, wait.action, wait.num_digits, wait.finish_on_key, wait.timeout) == (
        "gather", "/voice/answer?p=", 1, "", 8,
    )  # fmt: skip
    assert wait.speech is True
    assert (
        waiting(progress).rest
        == '<Response><Redirect method="POST">/voice/answer?p=</Redirect></Response>'
    )


def _first_question(driver: CallDriver) -> CallState:
    """A call that let the welcome run out: waiting at the first question."""
    return waiting(driver.silence(waiting(driver.start(MOBILE))))


def test_every_call_has_its_own_call_sid(driver: CallDriver) -> None:
    sids = {waiting(driver.start(MOBILE)).sid for _ in range(3)}
    assert len(sids) == 3
    assert all(re.fullmatch(r"CA[0-9a-f]{32}", sid) for sid in sids)


def test_the_gather_timeout_follows_the_redirect(app: Flask, driver: CallDriver) -> None:
    p = app.extensions["ivr_line"].flow.say.prompts
    progress = driver.silence(_first_question(driver))
    assert texts(progress)[0] == p("noinput_1")
    assert [url for url, _ in progress.twiml] == ["/voice/answer?p="]
    assert driver.hops == 2


@pytest.mark.parametrize(
    ("key", "first"),
    [
        pytest.param("#", "nomatch_1", id="hash-is-a-wrong-key"),
        pytest.param("7", "nomatch_1", id="seven-is-a-wrong-key"),
    ],
)
def test_a_wrong_key_at_a_question(app: Flask, driver: CallDriver, key: str, first: str) -> None:
    p = app.extensions["ivr_line"].flow.say.prompts
    progress = driver.press(_first_question(driver), key)
    assert texts(progress)[0] == p(first)


def test_a_key_goes_to_the_gathers_action_as_digits(app: Flask, driver: CallDriver) -> None:
    tree = app.extensions["ivr_line"].flow.tree
    progress = driver.press(_first_question(driver), "2")
    assert texts(progress) == [tree.node_at("n").text]  # type: ignore[union-attr]
    assert [url for url, _ in progress.twiml] == ["/voice/answer?p="]


def test_a_typed_number_is_kept_until_hash(make_app: Callable[..., Flask], clock: Clock) -> None:
    clock.now = CLOSED_TIME
    app = make_app()
    driver = CallDriver(app, TOKEN)
    p = app.extensions["ivr_line"].flow.say.prompts
    offer = driver.start(CALLERS["anoniem"], path="j")  # the crisis offering, after hours
    asked = driver.press(waiting(offer), "1")
    assert texts(asked) == [p("callback_withheld"), p("callback_type_number")]
    wait = waiting(asked).wait
    assert wait is not None and (wait.num_digits, wait.finish_on_key) == (None, "#")
    state, hops = waiting(asked), driver.hops
    for key in "0612345678":
        typed = driver.press(state, key)
        assert typed.heard == [] and typed.twiml == []
        state = waiting(typed)
    assert state.digits == "0612345678" and driver.hops == hops  # nothing posted yet
    read_back = driver.press(state, "#")
    assert texts(read_back)[0].startswith("U toetste: nul zes, één twee")
    assert driver.hops == hops + 1


def test_a_typed_number_is_sent_when_the_timeout_runs_out(
    make_app: Callable[..., Flask], clock: Clock
) -> None:
    clock.now = CLOSED_TIME
    driver = CallDriver(make_app(), TOKEN)
    asked = driver.press(waiting(driver.start(CALLERS["anoniem"], path="j")), "1")
    state = waiting(asked)
    for key in "0612345678":
        state = waiting(driver.press(state, key))
    assert texts(driver.silence(state))[0].startswith("U toetste: nul zes, één twee")


def test_play_is_heard_with_the_text_it_was_rendered_from(
    env: dict[str, str], make_app: Callable[..., Flask]
) -> None:
    flow_app = make_app()
    welcome = flow_app.extensions["ivr_line"].flow.say.prompts("welcome")
    engine = FakeEngine()
    Renderer(
        Catalog.load(Path(env["IVR_AUDIO_DIR"]), [welcome]), engine, sleep=lambda s: None
    ).render()
    driver = CallDriver(make_app(), TOKEN)  # built after rendering, as deployed
    heard = driver.start(MOBILE).heard[0]
    played = f"{BASE}/audio/{audio_name(welcome, engine.voice, 'mp3')}"
    assert (heard.kind, heard.url) == ("play", played)
    assert heard.text == normalise(welcome)


def test_the_moment_of_the_call_is_the_lines_time(app: Flask) -> None:
    """The web phone's line: a chosen moment after hours, else the line's own clock."""
    try_line = app.extensions["ivr_try_line"]
    with try_line.driver() as phone:
        open_now = phone.start(MOBILE, None, "j")  # the line's clock: a Monday morning
        closed = phone.start(MOBILE, CLOSED_TIME, "j")
    assert texts(open_now) == texts(CallDriver(app, TOKEN).start(MOBILE, path="j"))
    assert texts(closed)[-2].startswith("Wilt u dat de helpdesk van Markant u terugbelt?")
    assert texts(open_now)[-1] != texts(closed)[-1]


@pytest.mark.parametrize(
    "settings",
    [
        pytest.param(SMS_ENV, id="sms-settings"),
        pytest.param({"IVR_DEV_MODE": "1"}, id="quick-start-no-sms-settings"),
    ],
)
def test_text_messages_are_kept_and_shown(
    make_app: Callable[..., Flask], settings: dict[str, str]
) -> None:
    app = make_app(**settings)
    tree = app.extensions["ivr_line"].flow.tree
    with app.extensions["ivr_try_line"].driver() as phone:
        offering = phone.start(MOBILE, OPEN_TIME, "nnjjjnn")
        assert texts(offering)[-1] == (
            "Wilt u dit advies ook per sms ontvangen? Toets één voor ja, of twee voor nee."
        )
        progress = phone.press(waiting(offering), "1")
    assert texts(progress)[0] == "De sms is verstuurd. U krijgt hem binnen een paar minuten."
    assert len(progress.sms) == 1
    assert progress.sms[0].startswith(f"{tree.nodes['dagbesteding'].title}.\n")


def test_no_sms_is_offered_outside_development_mode_without_settings(
    make_app: Callable[..., Flask],
) -> None:
    app = make_app()
    with app.extensions["ivr_try_line"].driver() as phone:
        offering = phone.start(MOBILE, OPEN_TIME, "nnjjjnn")
    assert texts(offering)[-3:] == [
        "Wilt u nu met het Sociaal loket praten? Toets één voor ja, of twee voor nee.",
        "Toets negen om het advies nog eens te horen.",
        "Toets acht voor alleen de telefoonnummers.",
    ]


def test_a_webhook_signed_with_another_token_is_refused(app: Flask) -> None:
    with pytest.raises(CallStateError, match=r"^/voice answered HTTP 403$"):
        CallDriver(app, "not-the-token").start(MOBILE)


@pytest.mark.parametrize(
    ("move", "message"),
    [
        pytest.param(lambda d, s: d.press(s, "12"), "'12' is not a key of a phone", id="two-keys"),
        pytest.param(
            lambda d, s: d.dial_outcome(s, "busy"),
            "the call is not waiting for a dial",
            id="no-dial",
        ),
        pytest.param(
            lambda d, s: d.start(MOBILE, None, "jx"),
            "p='jx' is not a path of j/n answers",
            id="bad-path",
        ),
    ],
)
def test_moves_that_do_not_fit_the_call(
    driver: CallDriver, move: Callable[[CallDriver, CallState], Progress], message: str
) -> None:
    state = waiting(driver.start(MOBILE))
    with pytest.raises(CallStateError, match=re.escape(message)):
        move(driver, state)


def test_webhooks_are_signed_for_the_lines_public_url(make_app: Callable[..., Flask]) -> None:
    app = make_app(PUBLIC_BASE_URL="https://lijn.example.nl")
    progress = CallDriver(app, TOKEN).start(MOBILE)
    assert [url for url, _ in progress.twiml] == ["/voice"]
    with app.extensions["ivr_try_line"].driver() as phone:
        assert phone.start(MOBILE).state is not None


def test_hash_with_nothing_typed_is_no_input(make_app: Callable[..., Flask], clock: Clock) -> None:
    """Twilio posts no empty result (actionOnEmptyResult is off): the next verb runs."""
    clock.now = CLOSED_TIME
    app = make_app()
    driver = CallDriver(app, TOKEN)
    p = app.extensions["ivr_line"].flow.say.prompts
    asked = driver.press(waiting(driver.start(CALLERS["anoniem"], path="j")), "1")
    again = driver.press(waiting(asked), "#")
    assert [url for url, _ in again.twiml] == ["/voice/number?p=j"]
    assert texts(again)[-1] == p("callback_type_number")
