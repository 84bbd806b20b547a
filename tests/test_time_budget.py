"""Every webhook answers within its budget when an outside party hangs (ivr.web.deadlines).

The outside parties are real sockets on 127.0.0.1 that accept and then never answer (as a
frozen PostgreSQL server or a hung API do), reached through the real drivers: psycopg, and
Twilio's own ``TwilioHttpClient``.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask
from hung_server import HungServer
from twilio.http.http_client import TwilioHttpClient
from twilio.http.response import Response as TwilioResponse

from ivr.outbound.sms import REST_TIMEOUT
from ivr.storage.callbacks import CallbackStore
from ivr.web import deadlines
from ivr.web.deadlines import DATABASE_SECONDS, SMS_SECONDS
from tests.support.calls import CALL_SID, Caller
from tests.support.clock import CLOSED_TIME, Clock
from tests.support.sms import SMS_ENV, FakeTwilioHttp

FAILED_SMS = "Sorry, het versturen van de sms is niet gelukt. Schrijf de nummers zelf op."
SENT = "De sms is verstuurd. U krijgt hem binnen een paar minuten."
MARKANT = "nul twee nul, acht acht zes, acht acht, nul nul"
NOT_STORED = (
    "Sorry, het is niet gelukt om uw verzoek op te slaan. Wij bellen u dus niet terug. "
    f"Bel de helpdesk van Markant: {MARKANT}. Ik herhaal: {MARKANT}."
)
SLACK = 1.0  # scheduling and the rest of the webhook, on a busy CI machine


@pytest.fixture
def hung() -> Iterator[Callable[..., HungServer]]:
    made: list[HungServer] = []

    def make(trickle: bool = False) -> HungServer:
        made.append(HungServer(trickle))
        return made[-1]

    yield make
    for server in made:
        server.close()


class LocalTwilio(TwilioHttpClient):
    """Twilio's real HTTP client, sent to a local server instead of api.twilio.com."""

    def __init__(self, port: int) -> None:
        super().__init__(timeout=REST_TIMEOUT)
        self.base = f"http://127.0.0.1:{port}"

    def request(self, method: str, uri: str, *args: Any, **kwargs: Any) -> TwilioResponse:  # type: ignore[override]
        local = uri.replace("https://api.twilio.com", self.base)
        return super().request(method, local, *args, **kwargs)


def timed(post: Callable[[], Any]) -> tuple[Any, float]:
    start = time.monotonic()
    reply = post()
    return reply, time.monotonic() - start


@pytest.mark.parametrize("trickle", [False, True], ids=["silent", "trickling"])
def test_a_hung_sms_api_is_told_within_the_budget(
    make_app: Callable[..., Flask], hung: Callable[..., HungServer], trickle: bool
) -> None:
    server = hung(trickle)
    phone = Caller(make_app(sms_http=LocalTwilio(server.port), **SMS_ENV).test_client())
    reply, took = timed(lambda: phone.post("/voice/sms?p=njnj&s=offer", Digits="1"))
    assert reply.spoken()[0] == FAILED_SMS
    assert took < SMS_SECONDS + SLACK


def test_after_a_failed_sms_a_second_yes_tries_again(
    make_app: Callable[..., Flask], twilio_http: FakeTwilioHttp
) -> None:
    phone = Caller(make_app(sms_http=twilio_http, **SMS_ENV).test_client())
    twilio_http.status = 0  # api.twilio.com unreachable
    assert phone.post("/voice/sms?p=njnj&s=offer", Digits="1").spoken()[0] == FAILED_SMS
    twilio_http.status = 201
    assert phone.post("/voice/sms?p=njnj&s=offer", Digits="1").spoken()[0] == SENT
    assert len(twilio_http.sent) == 2


def test_a_frozen_database_is_told_within_the_budget(
    make_app: Callable[..., Flask], hung: Callable[..., HungServer], clock: Clock
) -> None:
    clock.now = CLOSED_TIME
    server = hung()
    app = make_app(DATABASE_URL=f"postgresql://ivr@127.0.0.1:{server.port}/ivr")
    phone = Caller(app.test_client())
    reply, took = timed(lambda: phone.post("/voice/callback?p=&s=own", Digits="1"))
    assert reply.spoken()[0] == NOT_STORED
    assert took < DATABASE_SECONDS + SLACK
    welcome, took = timed(lambda: phone.post("/voice"))  # needs no database at all
    assert welcome.status == 200 and took < 0.5


def test_a_request_stored_too_late_stays_open_for_the_staff(
    make_app: Callable[..., Flask],
    clock: Clock,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    clock.now = CLOSED_TIME
    app = make_app()
    store: CallbackStore = app.extensions["ivr_store"]
    stored = threading.Event()
    real_add = store.add

    def slow_add(request: Any) -> int:
        time.sleep(DATABASE_SECONDS + 0.5)  # a database that answers, but too late
        found = real_add(request)
        stored.set()
        return found

    monkeypatch.setattr(store, "add", slow_add)
    reply = Caller(app.test_client()).post("/voice/callback?p=&s=own", Digits="1")
    assert reply.spoken()[0] == NOT_STORED
    # A WARNING, not an ERROR (one Sentry event per call while the database is down): the
    # operator hears of it by the storage alert.
    assert [
        (r.levelname, r.getMessage()) for r in caplog.records if r.name == deadlines.__name__
    ] == [("WARNING", "the database did not answer within 2 s (left to finish in the background)")]
    assert stored.wait(5)
    key = app.extensions["ivr_line"].callback_key(CALL_SID)  # stored under the call's pseudonym
    assert [r.call_key for r in store.open_requests()] == [key]
