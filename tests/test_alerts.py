"""The operator's alerts: failures in a row (ivr.core.alerts), the settings, the e-mail's text and
the sender's limits, without a network (the end-to-end tests are in test_alert_mail.py)."""

from __future__ import annotations

import logging
import re
import smtplib
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from email.message import EmailMessage

import pytest

from ivr.config.alerts import AlertSettings, alert_settings
from ivr.config.settings import Settings
from ivr.config.staff import MailSettings
from ivr.core.alerts import THRESHOLDS, Alert, Trouble, Watch
from ivr.core.errors import ConfigError, StorageError
from ivr.core.hours import AMSTERDAM
from ivr.outbound.alert_mail import AlertSender, alert_text
from tests.support.checkout import CHECKOUT
from tests.support.clock import OPEN_TIME, Clock
from tests.support.signing import BASE, SECRET, TOKEN

MAIL = MailSettings("127.0.0.1", 25, False, "lijn@example.org", ("ops@example.org",))
HOUR = timedelta(hours=1)
NAMES = {"markant": "de helpdesk van Markant"}


def watched(clock: Clock) -> tuple[Watch, list[Alert]]:
    raised: list[Alert] = []
    return Watch(clock, raised.append), raised


@pytest.mark.parametrize("trouble", list(Trouble), ids=str)
def test_an_alert_is_raised_at_the_threshold_and_at_every_failure_after(
    clock: Clock, trouble: Trouble
) -> None:
    watch, raised = watched(clock)
    first = clock.now
    for n in range(THRESHOLDS[trouble] + 1):
        clock.now = first + timedelta(minutes=n)
        watch.failed(trouble, f"cause {n}", "x")
    assert raised == [
        Alert(trouble, "x", 3, first, "cause 2"),
        Alert(trouble, "x", 4, first, "cause 3"),
    ]


def test_a_success_ends_the_run(clock: Clock) -> None:
    watch, raised = watched(clock)
    watch.failed(Trouble.SMS, "a")
    watch.failed(Trouble.SMS, "b")
    watch.succeeded(Trouble.SMS)
    watch.failed(Trouble.SMS, "c")
    watch.failed(Trouble.SMS, "d")
    assert raised == []


@pytest.mark.parametrize(
    ("outcomes", "alerts"),
    [
        pytest.param(["no-answer", "busy", "declined"], [("markant", 3, "declined")], id="three"),
        pytest.param(
            ["no-answer", "canceled", "failed", "busy"],
            [("markant", 3, "busy")],
            id="a-caller-hanging-up-counts-for-nothing",
        ),
        pytest.param(["no-answer", "no-answer", "connected", "busy"], [], id="reached-ends-run"),
    ],
)
def test_transfers_are_counted_per_service(
    clock: Clock, outcomes: list[str], alerts: list[tuple[str, int, str]]
) -> None:
    watch, raised = watched(clock)
    for outcome in outcomes:
        watch.transfer("markant", outcome)
        watch.transfer("sociaal_loket", "connected")
    watch.transfer("sociaal_loket", "no-answer")  # another service: a run of its own
    assert [(a.subject, a.failures, a.cause) for a in raised] == alerts
    assert [a.key for a in raised] == ["transfer:markant"] * len(alerts)


def settings(**env: str) -> Settings:
    base = {"TWILIO_AUTH_TOKEN": TOKEN, "SECRET_KEY": SECRET, "PUBLIC_BASE_URL": BASE}
    return Settings.from_env({**base, "IVR_SQLITE_PATH": "/never/opened.sqlite3", **env})


SMTP = {"SMTP_HOST": "mail.example.org", "SMTP_FROM": "lijn@example.org",
        "SMTP_TO": "helpdesk@example.org"}  # fmt: skip


def test_alert_to_is_sent_with_the_smtp_settings() -> None:
    found = alert_settings(settings(ALERT_TO="ops@example.org, beheer@example.org", **SMTP))
    assert found.mail is not None
    assert (found.mail.host, found.mail.to) == (
        "mail.example.org",
        ("ops@example.org", "beheer@example.org"),
    )
    assert (found.interval, found.sentry_dsn) == (HOUR, None)


@pytest.mark.parametrize(
    ("env", "message"),
    [
        pytest.param({"ALERT_TO": "ops", **SMTP},
                     "ALERT_TO: must be one or more e-mail addresses, separated by commas",
                     id="not-an-address"),
        pytest.param({"ALERT_TO": "ops@example.org"},
                     "ALERT_TO: is set but SMTP_HOST is not: alerts are sent with the SMTP_* "
                     "settings", id="no-smtp"),
        pytest.param({"ALERT_INTERVAL_MINUTES": "1"},
                     "ALERT_INTERVAL_MINUTES: '1' is not a whole number from 5 to 1440",
                     id="interval-too-short"),
        pytest.param({"SENTRY_DSN": "https://sentry.example.org/1"},
                     "SENTRY_DSN: is not a Sentry DSN (https://<key>@<host>/<project id>)",
                     id="dsn-without-key"),
    ],
)  # fmt: skip
def test_bad_alert_settings_are_refused(env: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigError) as refused:
        alert_settings(settings(**env))
    assert str(refused.value) == message


def test_a_sentry_dsn_is_kept_but_never_shown() -> None:
    dsn = "https://abc123@o1.ingest.example.org/42"
    found = alert_settings(settings(SENTRY_DSN=dsn, ALERT_INTERVAL_MINUTES="15"))
    assert (found.sentry_dsn, found.interval) == (dsn, timedelta(minutes=15))
    assert "abc123" not in repr(found)


def alert(trouble: Trouble, subject: str = "", cause: str = "OperationalError") -> Alert:
    return Alert(trouble, subject, 4, datetime(2026, 11, 23, 9, 2, tzinfo=OPEN_TIME.tzinfo), cause)


@pytest.mark.parametrize(
    ("found", "subject", "first_lines"),
    [
        pytest.param(alert(Trouble.TRANSFER, "markant", "declined"),
                     "doorverbinden naar de helpdesk van Markant mislukt",
                     ["Doorverbinden naar de helpdesk van Markant is 4 keer op rij mislukt, "
                      "sinds 2026-11-23 09:02 (Nederlandse tijd).",
                      "Laatste uitkomst: niet aangenomen: geen 1 gedrukt na het fluisteren."],
                     id="transfer"),
        pytest.param(alert(Trouble.SMS, cause="Twilio refused the SMS (code 21610)"),
                     "sms versturen mislukt",
                     ["Het advies per sms is 4 keer op rij niet verstuurd, sinds 2026-11-23 "
                      "09:02 (Nederlandse tijd).",
                      "Laatste fout: Twilio refused the SMS (code 21610)."], id="sms"),
        pytest.param(alert(Trouble.HELPDESK_MAIL, cause="SMTPAuthenticationError"),
                     "e-mail aan de helpdesk mislukt",
                     ["De e-mail die de helpdesk over nieuwe terugbelverzoeken inlicht, is 4 keer "
                      "op rij niet verstuurd, sinds 2026-11-23 09:02 (Nederlandse tijd).",
                      "Laatste fout: SMTPAuthenticationError."], id="helpdesk-mail"),
        pytest.param(alert(Trouble.STORAGE, cause="the database did not answer within 2 s"),
                     "database onbereikbaar",
                     ["De database antwoordde 4 keer op rij niet of met een fout, sinds "
                      "2026-11-23 09:02 (Nederlandse tijd).",
                      "Laatste fout: the database did not answer within 2 s."], id="storage"),
    ],
)  # fmt: skip
def test_each_alert_says_what_failed_since_when_and_what_to_check(
    found: Alert, subject: str, first_lines: list[str]
) -> None:
    title, text = alert_text(found, NAMES, HOUR)
    lines = text.splitlines()
    assert title == f"Storing op de Mantelzorglijn: {subject}"
    assert lines[:2] == first_lines
    assert "Controleer:" in lines
    assert lines[-2:] == [
        "Een volgende melding hierover komt op zijn vroegst over 60 minuten.",
        "Deze e-mail bevat geen telefoonnummers en geen gegevens van bellers.",
    ]
    assert not re.search(r"\d{6,}|CA[0-9a-f]{32}", text)


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


DOCUMENTED = [  # the examples in docs/operators.md ("Monitoring")
    Alert(Trouble.TRANSFER, "markant", 3, datetime(2026, 12, 7, 9, 14, tzinfo=AMSTERDAM), "declined"),
    Alert(Trouble.SMS, "", 5, datetime(2026, 12, 7, 9, 14, tzinfo=AMSTERDAM),
          "Twilio refused the SMS (code 30003)"),
    Alert(Trouble.HELPDESK_MAIL, "", 3, datetime(2026, 12, 7, 9, 14, tzinfo=AMSTERDAM),
          "SMTPAuthenticationError"),
    Alert(Trouble.STORAGE, "", 12, datetime(2026, 12, 7, 9, 14, tzinfo=AMSTERDAM),
          "the database did not answer within 2 s"),
]  # fmt: skip


def test_the_operators_guide_shows_each_alert_as_sent() -> None:
    guide = (CHECKOUT / "docs" / "operators.md").read_text(encoding="utf-8")
    shown = re.findall(r"```text\n(Subject: Storing op de Mantelzorglijn.*?)```", guide, re.S)
    sent = []
    for documented in DOCUMENTED:
        title, text = alert_text(documented, NAMES, HOUR)
        sent.append(f"Subject: {title}\n\n{text}")
    assert shown == sent
    assert {documented.trouble for documented in DOCUMENTED} == set(Trouble)
