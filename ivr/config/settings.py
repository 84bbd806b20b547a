"""Typed settings read from environment variables; a bad value fails with the key's name."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ivr.config.locations import ContentLocations, content_locations, instance_path
from ivr.core.errors import ConfigError
from ivr.core.hours import HolidayRule, HoursFormatError, OpeningHours, parse_hours
from ivr.core.tree_model import Service

# Not in the seeds: Markant's site says only "tijdens kantooruren". This default is an
# assumption to confirm with Markant; set MARKANT_HOURS to the real hours.
DEFAULT_MARKANT_HOURS = "ma-vr 09:00-17:00"
# notes/domain.md: the gemeente closes on 5 mei every year and works on Goede Vrijdag.
DEFAULT_HOLIDAY_RULES = {"sociaal_loket": ("05-05", "goede vrijdag")}
_E164 = re.compile(r"\+[1-9]\d{7,14}")
DIAL_SERVICES = ("markant", "sociaal_loket")
# How long callback requests are kept (AVG: no longer than needed); `ivr purge` deletes older.
DEFAULT_RETENTION_DAYS = 30
SQLITE_FILE = "ivr.sqlite3"  # in the instance folder, unless IVR_SQLITE_PATH names a file


@dataclass(frozen=True)
class Settings:
    auth_token: str | None
    dev_mode: bool
    public_base_url: str | None
    trusted_proxies: int
    tree_path: Path
    prompts_path: Path
    shared_dir: Path | None  # seeds and notes; None: ``source:`` fields are not checked
    gather_timeout: int
    dial_timeout: int
    markant_hours: str
    holiday_rules: dict[str, HolidayRule] = field(default_factory=dict)
    dial_numbers: dict[str, str] = field(default_factory=dict)
    audio_dir: Path = field(default_factory=lambda: content_locations().audio_dir)
    ring_timeouts: dict[str, int] = field(default_factory=dict)
    caller_id: str | None = None
    database_url: str = "sqlite://"
    retention_days: int = DEFAULT_RETENTION_DAYS
    account_sid: str | None = None
    sms_from: str | None = None
    # Flask's instance folder: writable state such as the default SQLite file
    instance_path: Path = field(default_factory=lambda: instance_path({}))

    @property
    def sms_enabled(self) -> bool:
        """SMS needs the account SID, the auth token and a sender number."""
        return bool(self.account_sid and self.auth_token and self.sms_from)

    @classmethod
    def for_commands(cls, env: Mapping[str, str]) -> Settings:
        """Settings for commands that never answer Twilio (validate, audio, staff lists):
        they need no auth token, so development mode is the default there."""
        return cls.from_env({"IVR_DEV_MODE": "1", **env})

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> Settings:
        paths = _ContentPaths(env)
        instance = instance_path(env)
        token = env.get("TWILIO_AUTH_TOKEN") or None
        dev = _flag(env, "IVR_DEV_MODE")
        if token is None and not dev:
            raise ConfigError(
                "TWILIO_AUTH_TOKEN",
                "is not set. Set it to the Twilio auth token, or set IVR_DEV_MODE=1 to run "
                "without signature checks on your own machine (never in production)",
            )
        base = env.get("PUBLIC_BASE_URL") or None
        if base and not re.fullmatch(r"https?://[^/\s?#]+(/[^\s?#]*)?", base):
            raise ConfigError("PUBLIC_BASE_URL", f"{base!r} is not a URL like https://host")
        markant_hours = env.get("MARKANT_HOURS") or DEFAULT_MARKANT_HOURS
        try:
            parse_hours(markant_hours)
        except HoursFormatError as exc:
            raise ConfigError("MARKANT_HOURS", str(exc)) from exc
        dial_timeout = _int(env, "DIAL_TIMEOUT", 25, 5, 120)
        return cls(
            auth_token=token,
            dev_mode=dev,
            public_base_url=base.rstrip("/") if base else None,
            trusted_proxies=_int(env, "TRUSTED_PROXIES", 0, 0, 5),
            tree_path=paths.get("IVR_TREE", lambda found: found.tree),
            prompts_path=paths.get("IVR_PROMPTS", lambda found: found.prompts),
            shared_dir=paths.shared_dir(),
            gather_timeout=_int(env, "GATHER_TIMEOUT", 8, 3, 30),
            dial_timeout=dial_timeout,
            markant_hours=markant_hours,
            holiday_rules={sid: _holidays(env, sid) for sid in DIAL_SERVICES},
            dial_numbers=_dial_numbers(env),
            audio_dir=paths.get("IVR_AUDIO_DIR", lambda found: found.audio_dir),
            ring_timeouts={
                sid: _int(env, f"{sid.upper()}_RING_TIMEOUT", dial_timeout, 5, 120)
                for sid in DIAL_SERVICES
            },
            caller_id=_e164(env, "DIAL_CALLER_ID"),
            database_url=database_url(env, instance),
            retention_days=_int(env, "CALLBACK_RETENTION_DAYS", DEFAULT_RETENTION_DAYS, 1, 730),
            account_sid=_account_sid(env),
            sms_from=_e164(env, "SMS_FROM"),
            instance_path=instance,
        )

    def opening_hours(self, service: Service) -> OpeningHours:
        """A service's hours: from the tree (seed facts), else from configuration."""
        rule = self.holiday_rules.get(service.id, HolidayRule())
        if service.hours is not None:
            return OpeningHours(service.hours, rule)
        if service.id == "markant":
            return OpeningHours(parse_hours(self.markant_hours), rule)
        raise ConfigError(
            f"{service.id.upper()}_HOURS",
            f"service {service.id!r} has no hours in the tree; add 'hours' there",
        )


class _ContentPaths:
    """Content paths from the environment, else from the located content (found only when a
    variable is missing, so setting IVR_TREE, IVR_PROMPTS and IVR_AUDIO_DIR needs no search)."""

    def __init__(self, env: Mapping[str, str]) -> None:
        self.env = env

    def get(self, key: str, default: Callable[[ContentLocations], Path]) -> Path:
        raw = self.env.get(key)
        return Path(raw) if raw else default(content_locations())

    def shared_dir(self) -> Path | None:
        raw = self.env.get("IVR_SHARED_DIR")
        if raw:
            return Path(raw)
        try:
            return content_locations().shared_dir
        except ConfigError:
            return None  # tree and prompts come from the environment: nothing to name


def _flag(env: Mapping[str, str], key: str) -> bool:
    raw = (env.get(key) or "").strip().lower()
    if raw in ("", "0", "false", "no"):
        return False
    if raw in ("1", "true", "yes"):
        return True
    raise ConfigError(key, f"{raw!r} is not a yes/no value: use 1 or 0")


def _int(env: Mapping[str, str], key: str, default: int, low: int, high: int) -> int:
    raw = env.get(key)
    if not raw:
        return default
    if not raw.strip().isdigit() or not low <= int(raw) <= high:
        raise ConfigError(key, f"{raw!r} is not a whole number from {low} to {high}")
    return int(raw)


def _holidays(env: Mapping[str, str], service_id: str) -> HolidayRule:
    prefix = service_id.upper()
    closed_default, open_default = DEFAULT_HOLIDAY_RULES.get(service_id, ("", ""))
    closed_key, open_key = f"{prefix}_CLOSED_DATES", f"{prefix}_OPEN_HOLIDAYS"
    closed = _list(env.get(closed_key, closed_default))
    for item in closed:
        if not re.fullmatch(r"(\d{4}-)?\d{2}-\d{2}", item):
            raise ConfigError(closed_key, f"{item!r}: use MM-DD (every year) or YYYY-MM-DD")
    return HolidayRule(frozenset(closed), frozenset(_list(env.get(open_key, open_default))))


def _list(raw: str) -> list[str]:
    return [item.strip().lower() for item in raw.split(",") if item.strip()]


def _e164(env: Mapping[str, str], key: str) -> str | None:
    value = env.get(key) or None
    if value is not None and not _E164.fullmatch(value):
        raise ConfigError(key, f"{value!r} is not an E.164 number like +31208868800")
    return value


def _dial_numbers(env: Mapping[str, str]) -> dict[str, str]:
    numbers = {}
    for service_id in DIAL_SERVICES:
        if value := _e164(env, f"{service_id.upper()}_DIAL_NUMBER"):
            numbers[service_id] = value
    return numbers


def _account_sid(env: Mapping[str, str]) -> str | None:
    value = env.get("TWILIO_ACCOUNT_SID") or None
    if value is not None and not re.fullmatch(r"AC[0-9a-f]{32}", value):
        raise ConfigError(
            "TWILIO_ACCOUNT_SID", f"{value!r} is not an account SID: 'AC' and 32 hex characters"
        )
    return value


def database_url(env: Mapping[str, str], instance: Path | None = None) -> str:
    """SQLAlchemy URL: DATABASE_URL (PostgreSQL), else a SQLite file: IVR_SQLITE_PATH, else
    ``ivr.sqlite3`` in the instance folder (``instance``, else resolved from ``env``)."""
    raw = (env.get("DATABASE_URL") or "").strip()
    if not raw:
        sqlite = env.get("IVR_SQLITE_PATH")
        path = Path(sqlite) if sqlite else (instance or instance_path(env)) / SQLITE_FILE
        return f"sqlite:///{path}"
    scheme, sep, rest = raw.partition("://")
    if not sep:
        raise ConfigError("DATABASE_URL", "is not a URL like postgresql://user:pw@host/db")
    if scheme in ("postgres", "postgresql", "postgresql+psycopg"):
        return f"postgresql+psycopg://{rest}"  # Heroku gives postgres://
    if scheme == "sqlite":
        return raw
    raise ConfigError(
        "DATABASE_URL", f"scheme {scheme!r} is not supported: use postgresql:// or sqlite:///"
    )
