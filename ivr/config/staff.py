"""Settings of the staff console: the session key, callback attempts, the e-mail notice, whether
every login needs a code from an authenticator app."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field

from ivr.config.secret_strength import SECRET_HINT, refuse_weak_secret
from ivr.config.settings import Settings, _flag, env_int
from ivr.core.errors import ConfigError

DEFAULT_MAX_ATTEMPTS = 3
EMAIL_ADDRESS = re.compile(r"[^@\s,]+@[^@\s,]+\.[^@\s,]+")
# The purpose label of CALL_KEY_SECRET's default (``default_call_key_secret``). It is hashed into
# every pseudonym made without CALL_KEY_SECRET: changing it splits the calls in progress.
CALL_KEY_PURPOSE = b"mantelzorglijn/call-pseudonyms/v1"
# The purpose label of the key that hashes the addresses failed staff logins are counted by
# (``ivr.storage.login_tries``); changing it forgets which addresses accounts logged in from.
ADDRESS_KEY_PURPOSE = b"mantelzorglijn/login-addresses/v1"


@dataclass(frozen=True)
class MailSettings:
    host: str
    port: int
    starttls: bool
    sender: str
    to: tuple[str, ...]
    user: str | None = None
    password: str | None = field(default=None, repr=False)


@dataclass(frozen=True)
class StaffSettings:
    secret_key: str = field(repr=False)
    secret_is_temporary: bool  # development mode without SECRET_KEY: sessions end on restart
    secure_cookies: bool
    max_attempts: int
    mail: MailSettings | None  # None: no e-mail is sent
    # Where the worklist is, for the link in the e-mail (PUBLIC_BASE_URL + /staff/callbacks)
    public_base_url: str | None
    trusted_proxies: int = 0  # 0 behind a proxy: every login seems to come from the proxy
    retention_days: int = 30  # CALLBACK_RETENTION_DAYS: how long handled requests are kept
    # STAFF_REQUIRE_TOTP: every login needs a code from an authenticator app after the password
    require_totp: bool = False


def staff_settings(settings: Settings) -> StaffSettings:
    env = settings.env
    secret = env.get("SECRET_KEY") or ""
    temporary = False
    if not secret:
        if not settings.dev_mode:
            raise ConfigError(
                "SECRET_KEY",
                f"is not set. It signs the staff console's login cookies; {SECRET_HINT}",
            )
        secret, temporary = secrets.token_hex(32), True
    else:
        refuse_weak_secret("SECRET_KEY", secret, settings.dev_mode)
    return StaffSettings(
        secret_key=secret,
        secret_is_temporary=temporary,
        secure_cookies=not settings.dev_mode,
        max_attempts=max_attempts(settings),
        mail=mail_settings(env),
        public_base_url=settings.public_base_url,
        trusted_proxies=settings.trusted_proxies,
        retention_days=settings.retention_days,
        require_totp=_flag(env, "STAFF_REQUIRE_TOTP"),
    )


def call_key_secret(settings: Settings, console: StaffSettings) -> bytes:
    """The key of the calls' pseudonyms (``ivr.core.call_events.call_key``): CALL_KEY_SECRET,
    else a key derived from SECRET_KEY for this purpose alone (``default_call_key_secret``).
    Changing it splits the calls in progress at that moment in two."""
    own = (settings.env.get("CALL_KEY_SECRET") or "").strip()
    if own:
        refuse_weak_secret("CALL_KEY_SECRET", own, settings.dev_mode)
    return own.encode("utf-8") if own else default_call_key_secret(console.secret_key)


def default_call_key_secret(secret_key: str) -> bytes:
    """CALL_KEY_SECRET when it is not set: a key derived from SECRET_KEY for the pseudonyms
    alone. Whoever has SECRET_KEY can derive it (setting CALL_KEY_SECRET avoids that)."""
    return derived_key(secret_key, CALL_KEY_PURPOSE)


def derived_key(secret_key: str, purpose: bytes) -> bytes:
    """A key of SECRET_KEY's for one ``purpose``: HMAC-SHA256 of the purpose label under
    SECRET_KEY (HKDF-Expand's first block, RFC 5869), as 64 hex digits. The cookies' key and
    each derived key are never the same, and none can be turned back into SECRET_KEY."""
    return (
        hmac.new(secret_key.encode("utf-8"), purpose + b"\x01", hashlib.sha256)
        .hexdigest()
        .encode("ascii")
    )


def max_attempts(settings: Settings) -> int:
    """How many "niet bereikt" close a callback request (CALLBACK_MAX_ATTEMPTS)."""
    return env_int(settings.env, "CALLBACK_MAX_ATTEMPTS", DEFAULT_MAX_ATTEMPTS, 1, 10)


def mail_settings(env: Mapping[str, str]) -> MailSettings | None:
    """SMTP_* from the environment; None when SMTP_HOST is not set."""
    get = env.get
    host = (get("SMTP_HOST") or "").strip()
    if not host:
        return None
    sender = (get("SMTP_FROM") or "").strip()
    if not EMAIL_ADDRESS.fullmatch(sender):
        raise ConfigError("SMTP_FROM", f"{sender!r} is not an e-mail address (SMTP_HOST is set)")
    to = tuple(part.strip() for part in (get("SMTP_TO") or "").split(",") if part.strip())
    if not to or not all(EMAIL_ADDRESS.fullmatch(address) for address in to):
        raise ConfigError(
            "SMTP_TO",
            "must be one or more e-mail addresses, separated by commas (SMTP_HOST is set)",
        )
    user = get("SMTP_USER") or None
    password = get("SMTP_PASSWORD") or None
    if bool(user) != bool(password):
        raise ConfigError(
            "SMTP_PASSWORD" if user else "SMTP_USER", "set SMTP_USER and SMTP_PASSWORD together"
        )
    return MailSettings(
        host=host,
        port=env_int(env, "SMTP_PORT", 587, 1, 65535),
        starttls=_flag(env, "SMTP_STARTTLS") if get("SMTP_STARTTLS") else True,
        sender=sender,
        to=to,
        user=user,
        password=password,
    )
