"""Settings of the operator's alerts and of Sentry: ALERT_TO, ALERT_INTERVAL_MINUTES, SENTRY_DSN.

Alerts go out over the helpdesk e-mail's SMTP settings (``SMTP_*``, ``ivr.config.staff``) to
ALERT_TO; without ALERT_TO they are only logged at ERROR (and so reach Sentry when it is set).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import timedelta

from sentry_sdk.utils import BadDsn, Dsn

from ivr.config.settings import Settings, env_int
from ivr.config.staff import EMAIL_ADDRESS, MailSettings, mail_settings
from ivr.core.errors import ConfigError

DEFAULT_INTERVAL_MINUTES = 60


@dataclass(frozen=True)
class AlertSettings:
    mail: MailSettings | None  # SMTP_* with ALERT_TO as the recipients; None: log only
    interval: timedelta  # at most one alert of a kind (and service) per interval
    sentry_dsn: str | None = field(default=None, repr=False)  # the DSN holds Sentry's key


def alert_settings(settings: Settings) -> AlertSettings:
    """ALERT_TO (one or more addresses, by commas; needs SMTP_HOST), ALERT_INTERVAL_MINUTES,
    SENTRY_DSN; ConfigError naming the setting for a bad value."""
    env = settings.env
    raw = (env.get("ALERT_TO") or "").strip()
    mail = None
    if raw:
        to = tuple(part.strip() for part in raw.split(",") if part.strip())
        if not to or not all(EMAIL_ADDRESS.fullmatch(address) for address in to):
            raise ConfigError(
                "ALERT_TO", "must be one or more e-mail addresses, separated by commas"
            )
        smtp = mail_settings(env)
        if smtp is None:
            raise ConfigError(
                "ALERT_TO",
                "is set but SMTP_HOST is not: alerts are sent with the SMTP_* settings",
            )
        mail = replace(smtp, to=to)
    minutes = env_int(env, "ALERT_INTERVAL_MINUTES", DEFAULT_INTERVAL_MINUTES, 5, 1440)
    return AlertSettings(mail, timedelta(minutes=minutes), sentry_dsn(env.get("SENTRY_DSN")))


def sentry_dsn(raw: str | None) -> str | None:
    """SENTRY_DSN as Sentry's client parses it; None when it is not set."""
    dsn = (raw or "").strip()
    if not dsn:
        return None
    try:
        Dsn(dsn)
    except BadDsn:
        raise ConfigError(
            "SENTRY_DSN", "is not a Sentry DSN (https://<key>@<host>/<project id>)"
        ) from None
    return dsn
