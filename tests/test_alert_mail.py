"""The operator's alert e-mails from the running line, through a real SMTP server (aiosmtpd):
each kind of trouble, the limit across workers kept in the database, and SMTP failing."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from email.message import Message

import pytest
from aiosmtpd.controller import Controller
from flask import Flask

from tests.support.calls import Caller
from tests.support.clock import CLOSED_TIME, Clock
from tests.support.sms import SMS_ENV, FakeTwilioHttp
from tests.support.smtp import Inbox, body, free_port

ALERTS = "ops@example.org"
DIALED = "/voice/dialed?p=nnjjjnn&s=sociaal_loket"
TRANSFER_ALERT = (
    "Doorverbinden naar het Sociaal loket is 3 keer op rij mislukt, sinds 2026-11-23 10:00 "
    "(Nederlandse tijd).\n"
    "Laatste uitkomst: in gesprek.\n"
    "Bellers horen dat er niemand opneemt en krijgen terugbellen aangeboden.\n\n"
    "Controleer:\n"
    "- of het Sociaal loket opneemt en, bij doorverbinden met fluisteren, 1 drukt;\n"
    "- het nummer waarheen de lijn doorverbindt (SOCIAAL_LOKET_DIAL_NUMBER of de boom)\n"
    "  en hoe lang het overgaat (SOCIAAL_LOKET_RING_TIMEOUT);\n"
    "- de openingstijden (SOCIAAL_LOKET_HOURS): verbindt de lijn door als het Sociaal loket\n"
    "  gesloten is?\n"
    "- de Call Logs in Twilio's console (Monitor) voor fouten bij het doorverbinden.\n\n"
    "Een volgende melding hierover komt op zijn vroegst over 60 minuten.\n"
    "Deze e-mail bevat geen telefoonnummers en geen gegevens van bellers.\n"
)


def alert_env(port: int, **more: str) -> dict[str, str]:
    return {
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": str(port),
        "SMTP_STARTTLS": "0",
        "SMTP_FROM": "lijn@example.org",
        "SMTP_TO": "helpdesk@example.org",
        "ALERT_TO": ALERTS,
        **more,
    }


def subject(message: Message) -> str:
    """The subject as a mail client shows it (a long one is folded onto a second line)."""
    return " ".join(str(message["Subject"]).split())


def subjects(messages: list[Message]) -> list[str]:
    return [subject(message) for message in messages]


def quiet(inbox: Inbox, count: int, seconds: float = 5.0) -> list[Message]:
    """The inbox once ``count`` messages came (or ``seconds`` passed: fewer are expected) and
    a moment passed without another."""
    inbox.wait(count, seconds)
    time.sleep(0.3)
    return inbox.messages


def fail_transfers(line: Flask, times: int, status: str = "busy") -> None:
    phone = Caller(line.test_client())
    for _ in range(times):
        assert phone.post(DIALED, DialCallStatus=status).status == 200


def test_transfers_that_fail_three_times_in_a_row_alert_the_operator_once(
    make_app: Callable[..., Flask], smtp: tuple[Inbox, int]
) -> None:
    inbox, port = smtp
    line = make_app(**alert_env(port))
    fail_transfers(line, 2)
    assert quiet(inbox, 1, seconds=0.5) == []
    fail_transfers(line, 3)  # the third starts the alert; the next two are within the hour
    [message] = quiet(inbox, 2, seconds=1.0)  # one, though two more failed
    assert inbox.envelopes == [("lijn@example.org", [ALERTS])]
    assert subject(message) == (
        "Storing op de Mantelzorglijn: doorverbinden naar het Sociaal loket mislukt"
    )
    assert message["To"] == ALERTS and message["Message-ID"].endswith("@example.org>")
    assert body(message) == TRANSFER_ALERT


def test_a_person_reached_ends_the_run(
    make_app: Callable[..., Flask], smtp: tuple[Inbox, int]
) -> None:
    inbox, port = smtp
    line = make_app(**alert_env(port))
    fail_transfers(line, 2, "no-answer")
    fail_transfers(line, 1, "completed")
    fail_transfers(line, 2, "no-answer")
    assert quiet(inbox, 1, seconds=0.5) == []


def test_two_workers_sharing_a_database_send_one_alert(
    make_app: Callable[..., Flask], smtp: tuple[Inbox, int], upgraded_url: str, clock: Clock
) -> None:
    inbox, port = smtp
    first, second = (make_app(**alert_env(port, DATABASE_URL=upgraded_url)) for _ in range(2))
    fail_transfers(first, 3)
    assert subjects(inbox.wait(1)) == [
        "Storing op de Mantelzorglijn: doorverbinden naar het Sociaal loket mislukt"
    ]
    fail_transfers(second, 3)  # its own three in a row: the database says it was sent
    assert len(quiet(inbox, 2, seconds=1.0)) == 1
    clock.now += timedelta(minutes=61)
    fail_transfers(second, 1)  # an hour later, still failing: the next alert, with the count
    [_, later] = quiet(inbox, 2)
    assert body(later).startswith(
        "Doorverbinden naar het Sociaal loket is 4 keer op rij mislukt, sinds 2026-11-23 10:00"
    )


def test_sms_that_keeps_failing_alerts_the_operator(
    make_app: Callable[..., Flask], smtp: tuple[Inbox, int], twilio_http: FakeTwilioHttp
) -> None:
    inbox, port = smtp
    line = make_app(sms_http=twilio_http, **SMS_ENV, **alert_env(port))
    twilio_http.status = 0  # api.twilio.com unreachable
    phone = Caller(line.test_client())
    for _ in range(3):
        phone.post("/voice/sms?p=njnj&s=offer", Digits="1")
    [message] = quiet(inbox, 1)
    assert subject(message) == "Storing op de Mantelzorglijn: sms versturen mislukt"
    assert body(message).splitlines()[:2] == [
        "Het advies per sms is 3 keer op rij niet verstuurd, sinds 2026-11-23 10:00 "
        "(Nederlandse tijd).",
        "Laatste fout: the SMS could not be sent (ConnectionError).",
    ]


class RefusingHelpdesk(Inbox):
    """A mail server that refuses the helpdesk's address (a bounce) but takes the operator's."""

    async def handle_RCPT(
        self, server: object, session: object, envelope: object, address: str, options: object
    ) -> str:
        if address.startswith("helpdesk@"):
            return "550 5.1.1 no such user"
        envelope.rcpt_tos.append(address)  # type: ignore[attr-defined]
        return "250 OK"


@pytest.fixture
def refusing() -> Iterator[tuple[Inbox, int]]:
    inbox = RefusingHelpdesk()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield inbox, controller.port
    controller.stop()


def test_helpdesk_email_that_keeps_failing_alerts_the_operator(
    make_app: Callable[..., Flask], refusing: tuple[Inbox, int], clock: Clock
) -> None:
    inbox, port = refusing
    clock.now = CLOSED_TIME
    line = make_app(**alert_env(port))
    line.extensions["ivr_staff"].notifier.delays = (0.0, 0.0)  # three tries at once
    phone = Caller(line.test_client())
    said = phone.post("/voice/callback?p=nj&s=own", Digits="1").spoken()
    assert said[0].startswith("Genoteerd.")
    [message] = quiet(inbox, 1)
    assert inbox.envelopes == [("lijn@example.org", [ALERTS])]
    assert body(message).splitlines()[:3] == [
        "De e-mail die de helpdesk over nieuwe terugbelverzoeken inlicht, is 3 keer op rij "
        "niet verstuurd, sinds 2026-11-22 22:00 (Nederlandse tijd).",
        "Laatste fout: SMTPRecipientsRefused.",
        "De verzoeken staan wel op de werklijst.",
    ]


def test_storage_that_does_not_answer_alerts_without_the_database(
    make_app: Callable[..., Flask], smtp: tuple[Inbox, int], tmp_path: object, clock: Clock
) -> None:
    """No tables: the callbacks fail, the health check says 503, and the alert's own limit
    falls back to this process (the database cannot keep it)."""
    inbox, port = smtp
    clock.now = CLOSED_TIME
    line = make_app(**alert_env(port, IVR_SQLITE_PATH=f"{tmp_path}/missing.sqlite3"))
    phone = Caller(line.test_client())
    for _ in range(2):
        said = phone.post("/voice/callback?p=nj&s=own", Digits="1").spoken()
        assert said[0].startswith("Sorry, het is niet gelukt om uw verzoek op te slaan.")
    assert line.test_client().get("/healthz/storage").status_code == 503
    assert line.test_client().get("/healthz/storage").status_code == 503  # within the hour
    [message] = quiet(inbox, 1)
    assert subject(message) == "Storing op de Mantelzorglijn: database onbereikbaar"
    assert body(message).splitlines()[:2] == [
        "De database antwoordde 3 keer op rij niet of met een fout, sinds 2026-11-22 22:00 "
        "(Nederlandse tijd).",
        f"Laatste fout: the SQLite database {tmp_path}/missing.sqlite3 does not exist; check "
        "IVR_SQLITE_PATH / DATABASE_URL, or run 'ivr db upgrade' to create it.",
    ]


def test_when_smtp_fails_the_alert_is_logged_at_error(
    make_app: Callable[..., Flask], caplog: pytest.LogCaptureFixture
) -> None:
    line = make_app(**alert_env(free_port()))  # nobody listens there
    with caplog.at_level(logging.INFO):
        fail_transfers(line, 3)
        deadline = time.monotonic() + 5
        while "ALERT not e-mailed" not in caplog.text and time.monotonic() < deadline:
            time.sleep(0.02)
    [record] = [r for r in caplog.records if r.getMessage().startswith("ALERT")]
    assert (record.levelname, record.getMessage()) == (
        "ERROR",
        "ALERT not e-mailed (ConnectionRefusedError): Storing op de Mantelzorglijn: "
        "doorverbinden naar het Sociaal loket mislukt: Doorverbinden naar het Sociaal loket is "
        "3 keer op rij mislukt, sinds 2026-11-23 10:00 (Nederlandse tijd).",
    )


def test_without_alert_to_the_alert_is_logged_at_error(
    make_app: Callable[..., Flask], caplog: pytest.LogCaptureFixture
) -> None:
    line = make_app()
    with caplog.at_level(logging.INFO):
        fail_transfers(line, 3)
        deadline = time.monotonic() + 5
        while "ALERT" not in caplog.text and time.monotonic() < deadline:
            time.sleep(0.02)
    assert [(r.levelname, r.getMessage()) for r in caplog.records if "ALERT" in r.getMessage()] == [
        (
            "ERROR",
            "ALERT (no ALERT_TO set): Storing op de Mantelzorglijn: doorverbinden naar het "
            "Sociaal loket mislukt: Doorverbinden naar het Sociaal loket is 3 keer op rij "
            "mislukt, sinds 2026-11-23 10:00 (Nederlandse tijd).",
        )
    ]
