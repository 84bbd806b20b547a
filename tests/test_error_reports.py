"""Errors to Sentry (ivr.web.error_reports), kept by a local transport: phone numbers and
CallSids are scrubbed from every part of an event and its breadcrumbs before it leaves."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import sentry_sdk
from flask import Flask
from sentry_sdk.envelope import Envelope
from sentry_sdk.transport import Transport

from ivr.web.app import create_app
from ivr.web.error_reports import SHUTDOWN_SECONDS, scrub_text
from tests.support.calls import Caller
from tests.support.clock import Clock
from tests.support.database import upgrade
from tests.support.smtp import free_port

DSN = "https://public@sentry.example.org/1"
SID = "CA" + "0123456789abcdef" * 2
log = logging.getLogger("ivr.test")


class KeptEnvelopes(Transport):
    """A Sentry transport that keeps what it is given instead of sending it."""

    def __init__(self) -> None:
        super().__init__()
        self.envelopes: list[Envelope] = []

    def capture_envelope(self, envelope: Envelope) -> None:
        self.envelopes.append(envelope)

    def events(self) -> list[dict[str, Any]]:
        return [
            item.payload.json
            for envelope in self.envelopes
            for item in envelope.items
            if item.type == "event" and item.payload.json is not None
        ]


@pytest.mark.parametrize(
    ("text", "scrubbed"),
    [
        pytest.param("From +31612345678.", "From [phone number].", id="e164"),
        pytest.param("From=%2B31612345678&x=1", "From=[phone number]&x=1", id="e164-in-a-url"),
        pytest.param("bel +31 6 1234 5678", "bel [phone number]", id="e164-spaced"),
        pytest.param("bel 0031612345678", "bel [phone number]", id="international-00"),
        pytest.param("bel 06-12345678 of 06 12345678", "bel [phone number] of [phone number]",
                     id="mobile"),
        pytest.param("0612345678", "[phone number]", id="mobile-bare"),
        pytest.param("Markant: 020 886 8800.", "Markant: [phone number].", id="landline"),
        pytest.param("(020) 886 8800, 020-8868800", "[phone number], [phone number]",
                     id="landline-forms"),
        pytest.param("phone=31612345678", "phone=[phone number]", id="e164-without-plus"),
        pytest.param(f"call {SID} ended", "call [CallSid] ended", id="callsid"),
        pytest.param("SMS SM" + "a" * 32 + " sent", "SMS [MessageSid] sent", id="message-sid"),
        pytest.param("at 2026-12-06 14:02:03.123456, port 54329, epoch 1733500000",
                     "at 2026-12-06 14:02:03.123456, port 54329, epoch 1733500000",
                     id="times-and-counts-kept"),
        pytest.param("call 52788183e2c071b1f1664ab049ebafa5", "call 52788183e2c071b1f1664ab049ebafa5",
                     id="pseudonym-kept"),
    ],
)  # fmt: skip
def test_phone_numbers_and_sids_are_scrubbed(text: str, scrubbed: str) -> None:
    assert scrub_text(text) == scrubbed


def fails() -> str:
    """A view that fails with a caller's number and CallSid in its error."""
    log.info("SMS for 06-12345678 of call %s", SID)  # a breadcrumb
    raise ValueError(f"no callback for +31612345678 ({SID})")


@pytest.fixture
def reporting(
    env: dict[str, str], clock: Clock
) -> Iterator[Callable[..., tuple[Flask, KeptEnvelopes]]]:
    """Makes the line with SENTRY_DSN set (and more settings), its events kept."""
    upgrade(f"sqlite:///{env['IVR_SQLITE_PATH']}")
    made: list[Flask] = []

    def make(**more: str) -> tuple[Flask, KeptEnvelopes]:
        kept = KeptEnvelopes()
        app = create_app({**env, "SENTRY_DSN": DSN, **more}, clock=clock, error_transport=kept)
        made.append(app)
        return app, kept

    yield make
    sentry_sdk.get_client().close()
    sentry_sdk.get_global_scope().set_client(None)
    for app in made:
        app.extensions["ivr_event_queue"].close()
        app.extensions["ivr_database"].dispose()


@pytest.fixture
def reported(
    reporting: Callable[..., tuple[Flask, KeptEnvelopes]],
) -> tuple[Flask, KeptEnvelopes]:
    """The line reporting to Sentry, with a view that fails with a number."""
    app, kept = reporting()
    app.add_url_rule("/fails", "fails", fails, methods=["POST"])
    return app, kept


def test_a_failing_request_reaches_sentry_scrubbed(
    reported: tuple[Flask, KeptEnvelopes], caplog: pytest.LogCaptureFixture
) -> None:
    app, kept = reported
    with caplog.at_level(logging.INFO):  # as the line logs (ivr.web.app)
        response = app.test_client().post(
            "/fails?From=%2B31612345678&CallSid=" + SID,
            data={"From": "+31612345678", "Called": "020 886 8800"},
            headers={"X-Caller": "06-12345678"},
        )
    assert response.status_code == 500
    [event] = kept.events()
    [error] = event["exception"]["values"]
    assert (error["type"], error["value"]) == (
        "ValueError",
        "no callback for [phone number] ([CallSid])",
    )
    request = event["request"]
    assert request["query_string"] == "From=[phone number]&CallSid=[CallSid]"
    assert request["data"] == {"From": "[phone number]", "Called": "[phone number]"}
    assert request["headers"]["X-Caller"] == "[phone number]"
    crumbs = [crumb["message"] for crumb in event["breadcrumbs"]["values"]]
    assert "SMS for [phone number] of call [CallSid]" in crumbs
    everything = str(kept.envelopes[0].serialize())
    assert "612345678" not in everything and SID not in everything
    assert "886 8800" not in everything


def test_an_error_log_line_reaches_sentry_scrubbed(
    reported: tuple[Flask, KeptEnvelopes],
) -> None:
    _, kept = reported
    log.error("no SMS for %s (call %s)", "+31612345678", SID)
    [event] = kept.events()
    assert event["logentry"]["message"] == "no SMS for %s (call %s)"
    assert event["logentry"]["params"] == ["[phone number]", "[CallSid]"]


def test_sentry_never_waits_long_at_exit_nor_sends_personal_data(
    reported: tuple[Flask, KeptEnvelopes],
) -> None:
    client = sentry_sdk.get_client()
    assert client.options["shutdown_timeout"] == SHUTDOWN_SECONDS
    assert client.should_send_default_pii() is False
    assert client.options["include_local_variables"] is False


def test_sentry_is_set_up_once_per_process(
    reporting: Callable[..., tuple[Flask, KeptEnvelopes]],
) -> None:
    """A second app (a test's, a bench's) keeps the first one's client and its transport."""
    reporting()
    client = sentry_sdk.get_client()
    _, second = reporting()
    assert sentry_sdk.get_client() is client
    log.error("after the second app")
    assert second.events() == []
    [event] = client.transport.events()  # type: ignore[union-attr]
    assert event["logentry"]["message"] == "after the second app"


def test_without_a_dsn_nothing_is_set_up(make_app: Callable[..., Flask]) -> None:
    make_app()
    assert sentry_sdk.get_client().is_active() is False


def test_an_alert_that_smtp_refuses_reaches_sentry(
    reporting: Callable[..., tuple[Flask, KeptEnvelopes]],
) -> None:
    line, kept = reporting(
        SMTP_HOST="127.0.0.1",
        SMTP_PORT=str(free_port()),  # nobody listens there
        SMTP_FROM="lijn@example.org",
        SMTP_TO="helpdesk@example.org",
        ALERT_TO="ops@example.org",
    )
    phone = Caller(line.test_client())
    for _ in range(3):
        phone.post("/voice/dialed?p=nnjjjnn&s=sociaal_loket", DialCallStatus="busy")
    deadline = time.monotonic() + 15  # left as soon as the event is there; a loaded machine
    while not kept.events() and time.monotonic() < deadline:
        time.sleep(0.02)
    messages = [(e["level"], e.get("logentry", {}).get("message")) for e in kept.events()]
    assert messages == [("error", "ALERT not e-mailed (%s): %s: %s")]
    [event] = kept.events()
    assert event["logentry"]["params"] == [
        "ConnectionRefusedError",
        "Storing op de Mantelzorglijn: doorverbinden naar het Sociaal loket mislukt",
        "Doorverbinden naar het Sociaal loket is 3 keer op rij mislukt, sinds 2026-11-23 10:00 "
        "(Nederlandse tijd).",
    ]
