"""What a real deployment must have: refusals for unsafe settings, warnings for risky ones.

Outside development mode every webhook's signature is checked against the URL Twilio called,
and that URL comes from ``PUBLIC_BASE_URL`` only: never from the ``Host`` or ``X-Forwarded-Host``
header, which the client chooses (a request signed for another app on the same Twilio account
would pass). So the web app refuses to start without it, and without a token that can be
Twilio's (``ivr.config.secret_strength``). Commands (``ivr db upgrade``, ``ivr callbacks``) need
neither: they run in development mode (``Settings.for_commands``).

Outside development mode a line that promises callbacks must keep them: an implicit SQLite file
in the instance folder (on Heroku: a dyno's ephemeral disk, wiped at least daily and invisible
to ``heroku run``) is refused. An explicit ``IVR_SQLITE_PATH`` stays allowed for one machine,
with a warning at start that names the trade-off (``start_warnings``). A renamed setting keeps
working under its old name, with a warning at start that names the new one.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from ivr.config.secret_strength import refuse_foreign_token
from ivr.core.errors import ConfigError

# PUBLIC_BASE_URL: scheme and host (and port) only. TwiML URLs are path-absolute ("/voice/…"),
# so a path here would be ignored by Twilio and break every signature: refused.
BASE_URL = re.compile(r"https?://[^/\s?#]+/?")
# An address of this machine only: where the production server may run in development mode.
LOOPBACK = re.compile(r"http://(127\.0\.0\.1|localhost)(:[0-9]+)?")
# Settings renamed, new name: old name. The old name still works (``ivr.config.settings.renamed``).
RENAMED = {
    "CALL_FIGURES": "CALL_RECORDS",  # issue 20: "records" read as recordings of calls
    "CALL_EVENT_DAYS": "CALL_RECORD_DAYS",
}


def checked_token(env: Mapping[str, str], dev: bool) -> str | None:
    """TWILIO_AUTH_TOKEN, or None when unset; refused when blank or padded with spaces, and
    outside development mode when it cannot be Twilio's."""
    raw = env.get("TWILIO_AUTH_TOKEN")
    if not raw:
        return None
    if not raw.strip():
        raise ConfigError("TWILIO_AUTH_TOKEN", "is only white space; set the Twilio auth token")
    if raw != raw.strip():
        raise ConfigError(
            "TWILIO_AUTH_TOKEN", "has spaces or line breaks around it; remove them (copy error?)"
        )
    if not dev:
        refuse_foreign_token(raw)
    return raw


def checked_base_url(env: Mapping[str, str]) -> str | None:
    base = env.get("PUBLIC_BASE_URL") or None
    if base is None:
        return None
    if not BASE_URL.fullmatch(base):
        raise ConfigError(
            "PUBLIC_BASE_URL",
            f"{base!r} is not a URL like https://host (scheme and host only: the webhooks "
            "live at /voice on that host, a path is not supported)",
        )
    return base.rstrip("/")


def refuse_unsafe(env: Mapping[str, str], dev: bool, base: str | None) -> None:
    """ConfigError for settings that would lose callbacks or open the line to anyone."""
    if dev:
        # The production server (ivr.web.server, on every address) names itself here. It takes
        # development mode, which checks no signatures, only at an address of this machine.
        under_waitress = env.get("SERVER_SOFTWARE", "").startswith("waitress")
        if under_waitress and not (base and LOOPBACK.fullmatch(base)):
            where = f"with PUBLIC_BASE_URL={base}" if base else "without PUBLIC_BASE_URL"
            raise ConfigError(
                "IVR_DEV_MODE",
                f"is 1 under waitress {where}: development mode checks no signatures, so the "
                "production server takes it only at an address of this machine "
                "(PUBLIC_BASE_URL=http://127.0.0.1:<port>). Unset IVR_DEV_MODE and set "
                "TWILIO_AUTH_TOKEN (and DATABASE_URL)",
            )
        return
    if base is None:
        raise ConfigError(
            "PUBLIC_BASE_URL",
            "is not set. Every webhook's signature is checked against the URL Twilio called, "
            "and that URL must not come from a header the client chooses: set it to the "
            "address Twilio calls, scheme and host (Heroku: the https:// address 'heroku info' "
            "shows; on "
            "one machine e.g. http://127.0.0.1:5000)",
        )
    if not (env.get("DATABASE_URL") or "").strip() and not env.get("IVR_SQLITE_PATH"):
        raise ConfigError(
            "DATABASE_URL",
            "is not set. Outside development mode callback requests must be kept in durable, "
            "shared storage: set DATABASE_URL to PostgreSQL (Heroku: 'heroku addons:create "
            "heroku-postgresql'), or set IVR_SQLITE_PATH to a SQLite file on a disk that "
            "survives restarts when everything runs on one machine",
        )


def renamed_warnings(env: Mapping[str, str]) -> list[str]:
    """Settings set under their old names (``RENAMED``): they work, and this says so."""
    return [
        f"{old} is the old name of {new}: it still works, but rename it to {new}"
        for new, old in RENAMED.items()
        if env.get(old)
    ]


def start_warnings(env: Mapping[str, str], dev: bool) -> list[str]:
    """Old names of renamed settings, and risky but allowed settings (outside development
    mode), said once at start."""
    found = renamed_warnings(env)
    if dev:
        return found
    if not (env.get("DATABASE_URL") or "").strip() and env.get("IVR_SQLITE_PATH"):
        found.append(
            f"callback requests are kept in the SQLite file {env['IVR_SQLITE_PATH']} "
            "(IVR_SQLITE_PATH): only safe when that disk survives restarts and the web server, "
            "'ivr callbacks' and 'ivr purge' all run on this one machine. On Heroku or with "
            "several machines set DATABASE_URL (PostgreSQL), or requests will be lost"
        )
    return found
