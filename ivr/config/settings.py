"""Typed settings read from environment variables; a bad value fails with the key's name."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from ivr.config.deployment import RENAMED, checked_base_url, checked_token, refuse_unsafe
from ivr.config.language_settings import language_by_number, listed_languages
from ivr.config.locations import ContentLocations, content_locations, instance_path
from ivr.config.voices import DEFAULT_VOICE, say_voice
from ivr.core.errors import ConfigError
from ivr.core.language import Language
from ivr.core.languages import DUTCH

_E164 = re.compile(r"\+[1-9][0-9]{7,14}")
# How long callback requests are kept (AVG: no longer than needed); `ivr purge` deletes older.
DEFAULT_RETENTION_DAYS = 30
SQLITE_FILE = "ivr.sqlite3"  # in the instance folder, unless IVR_SQLITE_PATH names a file
T = TypeVar("T")


@dataclass(frozen=True)
class Settings:
    auth_token: str | None = field(repr=False)
    public_base_url: str | None
    trusted_proxies: int
    tree_path: Path
    prompts_path: Path
    shared_dir: Path | None  # seeds and notes; None: ``source:`` fields are not checked
    gather_timeout: int
    dial_timeout: int
    audio_dir: Path = field(default_factory=lambda: content_locations().audio_dir)
    caller_id: str | None = None
    database_url: str = field(default="sqlite://", repr=False)  # may hold a password
    retention_days: int = DEFAULT_RETENTION_DAYS
    # Raw call events are kept this long, then folded into daily counts (ivr purge).
    call_event_days: int = DEFAULT_RETENTION_DAYS
    call_figures: bool = True  # CALL_FIGURES=0: no figures are kept at all
    account_sid: str | None = None
    sms_from: str | None = None
    say_voice: str = DEFAULT_VOICE  # the Dutch Twilio voice of every <Say> (SAY_VOICE)
    # LANGUAGES: the languages the line may offer, Dutch first (ivr.config.language_settings);
    # which of them it offers is decided when their texts are read (ivr.config.languages).
    languages: tuple[Language, ...] = (DUTCH,)
    # The voice of each listed language but Dutch, by its code (SAY_VOICE_<CODE>; "": recorded).
    say_voices: Mapping[str, str] = field(default_factory=dict)
    # LANGUAGE_BY_NUMBER: the language of a call by the E.164 number it is made to (Twilio's To).
    language_by_number: Mapping[str, str] = field(default_factory=dict)
    callback_promise_days: int = 0  # workdays within which callbacks are promised; 0: none
    # The environment itself: per-service settings are named after the tree's service ids
    # (``ivr.config.services``). Not shown in repr: it holds the auth token.
    env: Mapping[str, str] = field(default_factory=dict, repr=False, compare=False)
    # Flask's instance folder: writable state such as the default SQLite file
    instance_path: Path = field(default_factory=lambda: instance_path({}))
    dev_mode: bool = False  # IVR_DEV_MODE=1: no token, no SECRET_KEY, an implicit SQLite file

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
        dev = _flag(env, "IVR_DEV_MODE")
        token = checked_token(env, dev)
        if token is None and not dev:
            raise ConfigError(
                "TWILIO_AUTH_TOKEN",
                "is not set. Set it to the Twilio auth token, or set IVR_DEV_MODE=1 to run "
                "without signature checks on your own machine (never in production)",
            )
        base = checked_base_url(env)
        listed = listed_languages(env)
        refuse_unsafe(env, dev, base)  # ivr.config.deployment: durable storage, no open line
        return cls(
            auth_token=token,
            public_base_url=base,
            trusted_proxies=env_int(env, "TRUSTED_PROXIES", 0, 0, 5),
            tree_path=paths.get("IVR_TREE", lambda found: found.tree),
            prompts_path=paths.get("IVR_PROMPTS", lambda found: found.prompts),
            shared_dir=paths.shared_dir(),
            gather_timeout=env_int(env, "GATHER_TIMEOUT", 8, 3, 30),
            dial_timeout=env_int(env, "DIAL_TIMEOUT", 25, 5, 120),
            audio_dir=paths.get("IVR_AUDIO_DIR", lambda found: found.audio_dir),
            caller_id=env_e164(env, "DIAL_CALLER_ID"),
            database_url=database_url(env, instance),
            retention_days=env_int(env, "CALLBACK_RETENTION_DAYS", DEFAULT_RETENTION_DAYS, 1, 730),
            call_event_days=renamed(
                env,
                "CALL_EVENT_DAYS",
                lambda key: env_int(env, key, DEFAULT_RETENTION_DAYS, 1, 365),
            ),
            call_figures=renamed(env, "CALL_FIGURES", lambda key: _flag(env, key, default=True)),
            account_sid=_account_sid(env),
            sms_from=env_e164(env, "SMS_FROM"),
            say_voice=say_voice(env),
            languages=listed,
            say_voices={language.code: say_voice(env, language) for language in listed[1:]},
            language_by_number=language_by_number(env, listed),
            callback_promise_days=env_int(env, "CALLBACK_PROMISE_DAYS", 0, 0, 10),
            instance_path=instance,
            env=dict(env),
            dev_mode=dev,
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


def renamed(env: Mapping[str, str], key: str, read: Callable[[str], T]) -> T:
    """A renamed setting (``RENAMED``): read under its name ``key``, else under its old name (a
    warning at start names the new one). Set under both names with different values: refused."""
    old = RENAMED[key]
    if not env.get(old):
        return read(key)
    if not env.get(key):
        return read(old)
    value = read(key)
    if read(old) != value:
        raise ConfigError(
            key,
            f"{env[key]!r} disagrees with {old}={env[old]!r}; {old} is this setting's old "
            f"name: remove {old} and keep {key}",
        )
    return value


def _flag(env: Mapping[str, str], key: str, default: bool = False) -> bool:
    raw = (env.get(key) or "").strip().lower()
    if not raw:
        return default
    if raw in ("0", "false", "no"):
        return False
    if raw in ("1", "true", "yes"):
        return True
    raise ConfigError(key, f"{raw!r} is not a yes/no value: use 1 or 0")


def env_int(env: Mapping[str, str], key: str, default: int, low: int, high: int) -> int:
    raw = env.get(key)
    if not raw:
        return default
    if not (raw.strip().isascii() and raw.strip().isdigit()) or not low <= int(raw) <= high:
        raise ConfigError(key, f"{raw!r} is not a whole number from {low} to {high}")
    return int(raw)


def env_list(raw: str) -> list[str]:
    return [item.strip().lower() for item in raw.split(",") if item.strip()]


def env_e164(env: Mapping[str, str], key: str) -> str | None:
    value = env.get(key) or None
    if value is not None and not _E164.fullmatch(value):
        raise ConfigError(key, f"{value!r} is not an E.164 number like +31208868800")
    return value


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
