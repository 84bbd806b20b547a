"""The settings of the operator's alerts and of Sentry (ivr.config.alerts)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from ivr.config.alerts import alert_settings
from ivr.config.settings import Settings
from ivr.core.errors import ConfigError
from tests.support.alerts import HOUR
from tests.support.signing import BASE, SECRET, TOKEN


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
