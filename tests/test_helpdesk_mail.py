"""The e-mail to the helpdesk, through a real SMTP server on 127.0.0.1 (aiosmtpd)."""

from __future__ import annotations

import logging
import smtplib
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from email.message import EmailMessage

import pytest
from click.testing import CliRunner
from flask import Flask

from ivr.cli import cli
from ivr.config.staff import MailSettings
from ivr.core.alerts import Alert, FailureRuns, Trouble
from ivr.core.errors import MailError
from ivr.outbound.mail import Notifier
from tests.support.calls import ask_callback
from tests.support.clock import CLOSED_TIME, Clock
from tests.support.smtp import Inbox, body, free_port
from tests.support.staff import STAFF, Staff, add_account

PUBLIC = "https://lijn.example.org"


def mail_env(port: int) -> dict[str, str]:
    return {
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": str(port),
        "SMTP_STARTTLS": "0",
        "SMTP_FROM": "lijn@example.org",
        "SMTP_TO": "helpdesk@example.org, teamleider@example.org",
        "PUBLIC_BASE_URL": PUBLIC,
    }


@pytest.fixture
def mailing_line(make_app: Callable[..., Flask], clock: Clock, smtp: tuple[Inbox, int]) -> Flask:
    clock.now = CLOSED_TIME
    return make_app(**mail_env(smtp[1]))


def test_a_new_request_is_mailed_without_personal_data(
    mailing_line: Flask, smtp: tuple[Inbox, int]
) -> None:
    inbox, _ = smtp
    ask_callback(mailing_line, base=PUBLIC)
    [message] = inbox.wait(1)
    assert inbox.envelopes == [
        ("lijn@example.org", ["helpdesk@example.org", "teamleider@example.org"])
    ]
    assert message["Subject"] == "Terugbelverzoek op de Mantelzorglijn (1 open)"
    assert message["Date"] and message["Message-ID"].endswith("@example.org>")
    assert body(message) == (
        "Er wacht een nieuw terugbelverzoek van een mantelzorger.\n"
        "Open verzoeken op de werklijst: 1.\n\n"
        "Bekijk de werklijst en bel terug: https://lijn.example.org/staff/callbacks\n\n"
        "Deze e-mail bevat geen telefoonnummer en geen antwoorden.\n"
        "Die staan alleen op de werklijst, na inloggen.\n"
    )
    raw = message.as_string()
    assert "612345678" not in raw and "zorgvrager" not in raw


def test_each_request_is_mailed_once(mailing_line: Flask, smtp: tuple[Inbox, int]) -> None:
    inbox, _ = smtp
    ask_callback(mailing_line, base=PUBLIC)
    inbox.wait(1)
    ask_callback(
        mailing_line, base=PUBLIC
    )  # the same call again (a retried webhook): no second e-mail
    ask_callback(mailing_line, "CA" + "7" * 32, "+31677777777", PUBLIC)
    messages = inbox.wait(2)
    time.sleep(0.2)
    assert [m["Subject"] for m in messages] == [
        "Terugbelverzoek op de Mantelzorglijn (1 open)",
        "Terugbelverzoek op de Mantelzorglijn (2 open)",
    ]


def test_a_failed_send_never_fails_the_call_and_is_tried_again(
    make_app: Callable[..., Flask],
    clock: Clock,
    smtp: tuple[Inbox, int],
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    inbox, port = smtp
    clock.now = CLOSED_TIME
    line = make_app(**mail_env(free_port()))  # nobody listens there
    notifier: Notifier = line.extensions["ivr_staff"].notifier
    notifier.delays = (0.05, 0.05)
    with caplog.at_level(logging.WARNING):
        ask_callback(line, base=PUBLIC)  # the caller hears "Genoteerd" all the same
        deadline = time.monotonic() + 5
        while "still failing" not in caplog.text and time.monotonic() < deadline:
            time.sleep(0.02)
    assert (
        "e-mail to the helpdesk failed (try 1): the e-mail to the helpdesk could not be sent (ConnectionRefusedError)"
        in caplog.text
    )
    assert "e-mail to the helpdesk failed (try 3)" in caplog.text
    assert "612345678" not in caplog.text
    # The outbox kept it: the scheduler's command sends it once SMTP is back.
    runner = CliRunner(
        env={
            "DATABASE_URL": f"sqlite:///{line.extensions['ivr_database'].sqlite_file}",
            **mail_env(port),
        }
    )
    result = runner.invoke(cli, ["callbacks", "notify"])
    assert (result.exit_code, result.output) == (0, "E-mail verstuurd over 1 verzoek(en).\n")
    assert [m["Subject"] for m in inbox.wait(1)] == [
        "Terugbelverzoek op de Mantelzorglijn (1 open)"
    ]
    again = runner.invoke(cli, ["callbacks", "notify"])
    assert (again.exit_code, again.output) == (0, "Niets te versturen.\n")


def test_notify_without_smtp_names_the_setting(upgraded_url: str) -> None:
    runner = CliRunner(env={"DATABASE_URL": upgraded_url, "SMTP_HOST": ""})
    result = runner.invoke(cli, ["callbacks", "notify"])
    assert (result.exit_code, result.output) == (
        78,
        "Error: SMTP_HOST: is not set: no e-mail can be sent\n",
    )


@pytest.mark.parametrize(
    ("key", "value", "problem"),
    [
        ("SMTP_FROM", "geen-adres", "SMTP_FROM: 'geen-adres' is not an e-mail address"),
        ("SMTP_TO", "", "SMTP_TO: must be one or more e-mail addresses"),
        ("SMTP_PORT", "99999", "SMTP_PORT: '99999' is not a whole number from 1 to 65535"),
        ("SMTP_STARTTLS", "misschien", "SMTP_STARTTLS: 'misschien' is not a yes/no value"),
        ("SMTP_USER", "lijn", "SMTP_PASSWORD: set SMTP_USER and SMTP_PASSWORD together"),
    ],
    ids=["from", "to", "port", "starttls", "user-without-password"],
)
def test_bad_mail_settings_are_refused_at_start(
    make_app: Callable[..., Flask], key: str, value: str, problem: str
) -> None:
    from ivr.core.errors import ConfigError

    with pytest.raises(ConfigError, match=f"^{problem}"):
        make_app(**{**mail_env(25), key: value})


def test_the_worklist_says_when_the_email_keeps_failing(
    make_app: Callable[..., Flask], clock: Clock
) -> None:
    clock.now = CLOSED_TIME
    line = make_app(**mail_env(free_port()))  # nobody listens there
    line.extensions["ivr_staff"].notifier.delays = ()
    add_account(line, STAFF)
    member = Staff(line.test_client())
    member.log_in()
    ask_callback(line, base=PUBLIC)
    assert "De e-mail naar de helpdesk lukt op dit moment niet." not in member.page()
    clock.now = CLOSED_TIME + timedelta(minutes=16)
    assert "De e-mail naar de helpdesk lukt op dit moment niet." in member.page()


class OneRequest:
    """An outbox with one request, waiting until an e-mail about it is sent."""

    def __init__(self) -> None:
        self.waiting = [1]

    def take(self, now: datetime) -> tuple[list[int], int]:
        return list(self.waiting), len(self.waiting)

    def sent(self, ids: list[int], now: datetime) -> None:
        self.waiting = []

    def give_back(self, ids: list[int], taken_at: datetime) -> None:
        pass


@pytest.mark.parametrize(
    ("error", "cause"),
    [
        pytest.param(smtplib.SMTPAuthenticationError(535, b"no"), "SMTPAuthenticationError",
                     id="smtp-error"),
        pytest.param(MailError("the relay refused"), "MailError", id="mail-error-without-cause"),
    ],
)  # fmt: skip
def test_the_alert_names_what_made_the_email_fail(
    clock: Clock, error: Exception, cause: str
) -> None:
    def fail(_mail: MailSettings, _message: EmailMessage) -> None:
        raise error

    raised: list[Alert] = []
    mail = MailSettings("127.0.0.1", 25, False, "lijn@example.org", ("helpdesk@example.org",))
    notifier = Notifier(
        OneRequest(),
        mail,
        PUBLIC,
        clock,
        fail,
        (0.0, 0.0),
        failure_runs=FailureRuns(clock, raised.append),
    )
    notifier.kick()
    deadline = time.monotonic() + 5
    while not raised and time.monotonic() < deadline:
        time.sleep(0.01)
    assert raised == [Alert(Trouble.HELPDESK_MAIL, "", 3, clock.now, cause)]
