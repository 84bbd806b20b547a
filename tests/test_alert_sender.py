"""The alert sender's limits (ivr.outbound.alert_mail.AlertSender), without a network: the
database says whether another worker sent an alert, this process limits alone without it, and
an alert SMTP refuses goes to the log (the end-to-end tests are in test_alert_mail.py)."""

from __future__ import annotations

import logging
import smtplib
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from email.message import EmailMessage

import pytest

from ivr.config.alerts import AlertSettings
from ivr.config.staff import MailSettings
from ivr.core.alerts import Trouble
from ivr.core.errors import StorageError
from ivr.outbound.alert_mail import AlertSender
from tests.support.alerts import HOUR, NAMES, alert
from tests.support.clock import Clock

MAIL = MailSettings("127.0.0.1", 25, False, "lijn@example.org", ("ops@example.org",))


class Claims:
    """The database's answer to each claim: None (send), a time (sent elsewhere), or an error."""

    def __init__(self, *answers: datetime | StorageError | None) -> None:
        self.answers = list(answers)
        self.asked: list[str] = []

    def __call__(self, key: str, now: datetime, interval: timedelta) -> datetime | None:
        self.asked.append(key)
        answer = self.answers.pop(0)
        if isinstance(answer, StorageError):
            raise answer
        return answer


def sender(clock: Clock, claims: Claims, outbox: list[EmailMessage]) -> AlertSender:
    return AlertSender(
        AlertSettings(MAIL, HOUR), claims, NAMES, clock, lambda _mail, m: outbox.append(m)
    )


def test_the_database_says_whether_another_worker_sent_it(clock: Clock) -> None:
    outbox: list[EmailMessage] = []
    claims = Claims(clock.now - timedelta(minutes=10), None)
    send = sender(clock, claims, outbox)
    assert send.deliver(alert(Trouble.STORAGE)) is False  # sent 10 minutes ago elsewhere
    send.raise_alert(alert(Trouble.STORAGE))  # this process now waits until that hour is up
    clock.now += timedelta(minutes=49)
    send.raise_alert(alert(Trouble.STORAGE))
    assert (claims.asked, outbox) == (["storage"], [])
    clock.now += timedelta(minutes=1)
    assert send.deliver(alert(Trouble.STORAGE)) is True
    assert [m["To"] for m in outbox] == ["ops@example.org"]


def test_without_the_database_this_process_limits_alone(
    clock: Clock, caplog: pytest.LogCaptureFixture
) -> None:
    outbox: list[EmailMessage] = []
    claims = Claims(StorageError("the database did not answer within 2 s"))
    send = sender(clock, claims, outbox)
    send.raise_alert(alert(Trouble.STORAGE))
    send.raise_alert(alert(Trouble.STORAGE))  # queued once: the second is within the hour
    wait_for(lambda: len(outbox) == 1)
    assert claims.asked == ["storage"]
    assert "alert storage: limited by this process only" in caplog.text


def test_when_smtp_fails_the_alert_goes_to_the_log_at_error(
    clock: Clock, caplog: pytest.LogCaptureFixture
) -> None:
    def refuse(_mail: MailSettings, _message: EmailMessage) -> None:
        raise smtplib.SMTPAuthenticationError(535, b"no")

    send = AlertSender(AlertSettings(MAIL, HOUR), Claims(None), NAMES, clock, refuse)
    with caplog.at_level(logging.ERROR, "ivr.outbound.alert_mail"):
        assert send.deliver(alert(Trouble.SMS, cause="Twilio refused the SMS (code 30003)"))
    assert [(r.levelname, r.getMessage()) for r in caplog.records] == [
        (
            "ERROR",
            "ALERT not e-mailed (SMTPAuthenticationError): Storing op de Mantelzorglijn: sms "
            "versturen mislukt: Het advies per sms is 4 keer op rij niet verstuurd, sinds "
            "2026-11-23 09:02 (Nederlandse tijd).",
        )
    ]


def wait_for(done: Callable[[], bool], seconds: float = 5.0) -> None:
    deadline = time.monotonic() + seconds
    while not done() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert done()
