"""The operator's alert e-mails from the running line: one through a real SMTP server
(aiosmtpd), the others kept as the line sends them (``alert_outbox``); each kind of trouble,
the limit across workers kept in the database, and SMTP failing."""

from __future__ import annotations

import logging
import smtplib
import time
from collections.abc import Callable
from datetime import timedelta
from email.message import EmailMessage, Message

import pytest
from flask import Flask

from ivr.config.staff import MailSettings
from ivr.outbound import alert_mail
from tests.support.alerts import settle
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


def alert_env(port: int | None = None, **more: str) -> dict[str, str]:
    """ALERT_TO and the SMTP settings: to ``port``, or where nobody listens."""
    return {
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": str(free_port() if port is None else port),
        "SMTP_STARTTLS": "0",
        "SMTP_FROM": "lijn@example.org",
        "SMTP_TO": "helpdesk@example.org",
        "ALERT_TO": ALERTS,
        **more,
    }


def subject(message: Message) -> str:
    """The subject as a mail client shows it (a long one is folded onto a second line)."""
    return " ".join(str(message["Subject"]).split())


def subjects(messages: list[EmailMessage]) -> list[str]:
    return [subject(message) for message in messages]


def fail_transfers(line: Flask, times: int, status: str = "busy") -> None:
    """``times`` transfers that reach nobody, then what they alerted is sent."""
    phone = Caller(line.test_client())
    for _ in range(times):
        assert phone.post(DIALED, DialCallStatus=status).status == 200
    settle()


def test_transfers_that_fail_three_times_in_a_row_alert_the_operator_once(
    make_app: Callable[..., Flask], smtp: tuple[Inbox, int]
) -> None:
    """The whole way, through a real SMTP server."""
    inbox, port = smtp
    line = make_app(**alert_env(port))
    fail_transfers(line, 2)
    assert inbox.messages == []
    fail_transfers(line, 3)  # the third starts the alert; the next two are within the hour
    [message] = inbox.messages  # one, though two more failed
    assert inbox.envelopes == [("lijn@example.org", [ALERTS])]
    assert subject(message) == (
        "Storing op de Mantelzorglijn: doorverbinden naar het Sociaal loket mislukt"
    )
    assert message["To"] == ALERTS and message["Message-ID"].endswith("@example.org>")
    assert body(message) == TRANSFER_ALERT


def test_a_person_reached_ends_the_run(
    make_app: Callable[..., Flask], alert_outbox: list[EmailMessage]
) -> None:
    line = make_app(**alert_env())
    fail_transfers(line, 2, "no-answer")
    fail_transfers(line, 1, "completed")
    fail_transfers(line, 2, "no-answer")
    assert alert_outbox == []


def test_two_workers_sharing_a_database_send_one_alert(
    make_app: Callable[..., Flask],
    alert_outbox: list[EmailMessage],
    upgraded_url: str,
    clock: Clock,
) -> None:
    first, second = (make_app(**alert_env(DATABASE_URL=upgraded_url)) for _ in range(2))
    fail_transfers(first, 3)
    assert subjects(alert_outbox) == [
        "Storing op de Mantelzorglijn: doorverbinden naar het Sociaal loket mislukt"
    ]
    fail_transfers(second, 3)  # its own three in a row: the database says it was sent
    assert len(alert_outbox) == 1
    clock.now += timedelta(minutes=61)
    fail_transfers(second, 1)  # an hour later, still failing: the next alert, with the count
    [_, later] = alert_outbox
    assert body(later).startswith(
        "Doorverbinden naar het Sociaal loket is 4 keer op rij mislukt, sinds 2026-11-23 10:00"
    )


def test_sms_that_keeps_failing_alerts_the_operator(
    make_app: Callable[..., Flask],
    alert_outbox: list[EmailMessage],
    twilio_http: FakeTwilioHttp,
) -> None:
    line = make_app(sms_http=twilio_http, **SMS_ENV, **alert_env())
    twilio_http.status = 0  # api.twilio.com unreachable
    phone = Caller(line.test_client())
    for _ in range(3):
        phone.post("/voice/sms?p=njnj&s=offer", Digits="1")
    settle()
    [message] = alert_outbox
    assert subject(message) == "Storing op de Mantelzorglijn: sms versturen mislukt"
    assert body(message).splitlines()[:2] == [
        "Het advies per sms is 3 keer op rij niet verstuurd, sinds 2026-11-23 10:00 "
        "(Nederlandse tijd).",
        "Laatste fout: the SMS could not be sent (ConnectionError).",
    ]


def test_helpdesk_email_that_keeps_failing_alerts_the_operator(
    make_app: Callable[..., Flask], alert_outbox: list[EmailMessage], clock: Clock
) -> None:
    def bounce(_mail: MailSettings, _message: EmailMessage) -> None:
        raise smtplib.SMTPRecipientsRefused({"helpdesk@example.org": (550, b"no such user")})

    clock.now = CLOSED_TIME
    line = make_app(**alert_env())
    notifier = line.extensions["ivr_staff"].notifier
    notifier.send, notifier.delays = bounce, (0.0, 0.0)  # three tries at once
    phone = Caller(line.test_client())
    said = phone.post("/voice/callback?p=nj&s=own", Digits="1").spoken()
    assert said[0].startswith("Genoteerd.")
    deadline = time.monotonic() + 5  # the tries run in the helpdesk e-mail's own thread
    while not alert_outbox and time.monotonic() < deadline:
        time.sleep(0.01)
    settle()
    [message] = alert_outbox
    assert message["To"] == ALERTS
    assert body(message).splitlines()[:3] == [
        "De e-mail die de helpdesk over nieuwe terugbelverzoeken inlicht, is 3 keer op rij "
        "niet verstuurd, sinds 2026-11-22 22:00 (Nederlandse tijd).",
        "Laatste fout: SMTPRecipientsRefused.",
        "De verzoeken staan wel op de werklijst.",
    ]


def test_storage_that_does_not_answer_alerts_without_the_database(
    make_app: Callable[..., Flask],
    alert_outbox: list[EmailMessage],
    tmp_path: object,
    clock: Clock,
) -> None:
    """No tables: the callbacks fail, the health check says 503, and the alert's own limit
    falls back to this process (the database cannot keep it)."""
    clock.now = CLOSED_TIME
    line = make_app(**alert_env(IVR_SQLITE_PATH=f"{tmp_path}/missing.sqlite3"))
    phone = Caller(line.test_client())
    for _ in range(2):
        said = phone.post("/voice/callback?p=nj&s=own", Digits="1").spoken()
        assert said[0].startswith("Sorry, het is niet gelukt om uw verzoek op te slaan.")
    assert line.test_client().get("/healthz/storage").status_code == 503
    assert line.test_client().get("/healthz/storage").status_code == 503  # within the hour
    settle()
    [message] = alert_outbox
    assert subject(message) == "Storing op de Mantelzorglijn: database onbereikbaar"
    assert body(message).splitlines()[:2] == [
        "De database antwoordde 3 keer op rij niet of met een fout, sinds 2026-11-22 22:00 "
        "(Nederlandse tijd).",
        f"Laatste fout: the SQLite database {tmp_path}/missing.sqlite3 does not exist; check "
        "IVR_SQLITE_PATH / DATABASE_URL, or run 'ivr db upgrade' to create it.",
    ]


def test_when_smtp_fails_the_alert_is_logged_at_error(
    make_app: Callable[..., Flask],
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def refuse(_mail: MailSettings, _message: EmailMessage) -> None:
        raise ConnectionRefusedError(111, "Connection refused")

    monkeypatch.setattr(alert_mail, "send_smtp", refuse)
    line = make_app(**alert_env())
    with caplog.at_level(logging.INFO):
        fail_transfers(line, 3)
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
    assert [(r.levelname, r.getMessage()) for r in caplog.records if "ALERT" in r.getMessage()] == [
        (
            "ERROR",
            "ALERT (no ALERT_TO set): Storing op de Mantelzorglijn: doorverbinden naar het "
            "Sociaal loket mislukt: Doorverbinden naar het Sociaal loket is 3 keer op rij "
            "mislukt, sinds 2026-11-23 10:00 (Nederlandse tijd).",
        )
    ]
