"""A deployment keeps its data: settings that would lose callbacks or open the line are refused,
risky ones are said at start; the Procfile upgrades in the release phase and runs the line's
web server (ivr.web.server)."""

from __future__ import annotations

import logging
import shlex
from pathlib import Path

import pytest

from ivr.config.settings import Settings
from ivr.core.errors import ConfigError
from ivr.storage.database import Database
from ivr.web.app import create_app
from tests.support.checkout import CHECKOUT
from tests.support.signing import SECRET, TOKEN

HTTPS = "https://line.example.org"


def refused(env: dict[str, str]) -> ConfigError:
    with pytest.raises(ConfigError) as info:
        Settings.from_env(env)
    return info.value


def test_an_implicit_sqlite_file_is_refused_outside_development_mode(tmp_path: Path) -> None:
    error = refused(
        {"TWILIO_AUTH_TOKEN": TOKEN, "PUBLIC_BASE_URL": HTTPS, "IVR_INSTANCE_PATH": str(tmp_path)}
    )
    assert error.key == "DATABASE_URL"
    assert str(error).startswith("DATABASE_URL: is not set. Outside development mode callback")
    assert "'heroku addons:create heroku-postgresql'" in str(error)
    assert "IVR_SQLITE_PATH" in str(error)


@pytest.mark.parametrize(
    ("extra", "url"),
    [
        pytest.param(
            {"DATABASE_URL": "postgres://u:pw@db.example.org/ivr"},
            "postgresql+psycopg://u:pw@db.example.org/ivr",
            id="postgresql",
        ),
        pytest.param(
            {"IVR_SQLITE_PATH": "/srv/ivr/ivr.sqlite3"},
            "sqlite:////srv/ivr/ivr.sqlite3",
            id="explicit-sqlite",
        ),
        pytest.param({"IVR_DEV_MODE": "1"}, "sqlite:///{instance}/ivr.sqlite3", id="dev-mode"),
    ],
)
def test_durable_or_explicit_storage_is_accepted(
    tmp_path: Path, extra: dict[str, str], url: str
) -> None:
    env = {
        "TWILIO_AUTH_TOKEN": TOKEN,
        "PUBLIC_BASE_URL": HTTPS,
        "IVR_INSTANCE_PATH": str(tmp_path),
        **extra,
    }
    assert Settings.from_env(env).database_url == url.format(instance=tmp_path)


def start_log(caplog: pytest.LogCaptureFixture, tmp_path: Path, **env: str) -> list[str]:
    base = {
        "TWILIO_AUTH_TOKEN": TOKEN,
        "SECRET_KEY": SECRET,
        "PUBLIC_BASE_URL": HTTPS,
        "IVR_AUDIO_DIR": str(tmp_path / "audio"),
    }
    with caplog.at_level(logging.WARNING, logger="ivr.web.app"):
        app = create_app({**base, **env})
    app.extensions["ivr_database"].dispose()
    return [r.getMessage() for r in caplog.records if r.getMessage().startswith("DEPLOYMENT: ")]


def test_an_explicit_sqlite_file_is_allowed_with_its_trade_off_said(
    caplog: pytest.LogCaptureFixture, tmp_path: Path
) -> None:
    file = tmp_path / "ivr.sqlite3"
    said = start_log(caplog, tmp_path, IVR_SQLITE_PATH=str(file), PUBLIC_BASE_URL=HTTPS)
    assert said == [
        f"DEPLOYMENT: callback requests are kept in the SQLite file {file} (IVR_SQLITE_PATH): "
        "only safe when that disk survives restarts and the web server, 'ivr callbacks' and "
        "'ivr purge' all run on this one machine. On Heroku or with several machines set "
        "DATABASE_URL (PostgreSQL), or requests will be lost"
    ]


def test_without_a_public_base_url_the_web_app_does_not_start(tmp_path: Path) -> None:
    error = refused({"TWILIO_AUTH_TOKEN": TOKEN, "IVR_SQLITE_PATH": str(tmp_path / "ivr.sqlite3")})
    assert str(error) == (
        "PUBLIC_BASE_URL: is not set. Every webhook's signature is checked against the URL "
        "Twilio called, and that URL must not come from a header the client chooses: set it "
        "to the address Twilio calls, scheme and host (Heroku: the https:// address 'heroku "
        "info' shows; on "
        "one machine e.g. http://127.0.0.1:5000)"
    )


@pytest.mark.parametrize(
    "env",
    [
        pytest.param({"IVR_DEV_MODE": "1"}, id="development-mode"),
        pytest.param({"IVR_DEV_MODE": "1", "TWILIO_AUTH_TOKEN": "my-own-token"}, id="own-token"),
    ],
)
def test_development_mode_needs_no_public_base_url(tmp_path: Path, env: dict[str, str]) -> None:
    settings = Settings.from_env({"IVR_INSTANCE_PATH": str(tmp_path), **env})
    assert settings.public_base_url is None


@pytest.mark.parametrize(
    ("env", "key", "starts"),
    [
        pytest.param(
            {"TWILIO_AUTH_TOKEN": " "}, "TWILIO_AUTH_TOKEN", "is only white space", id="blank-token"
        ),
        pytest.param(
            {"TWILIO_AUTH_TOKEN": "\t \n"},
            "TWILIO_AUTH_TOKEN",
            "is only white space",
            id="tab-newline-token",
        ),
        pytest.param(
            {"TWILIO_AUTH_TOKEN": TOKEN + "\n"},
            "TWILIO_AUTH_TOKEN",
            "has spaces or line breaks around it",
            id="padded-token",
        ),
        pytest.param(
            {"TWILIO_AUTH_TOKEN": "test-auth-token"},
            "TWILIO_AUTH_TOKEN",
            "is not a Twilio auth token: those are 32 characters 0-9 and a-f, this one has 15 "
            "characters and others. Copy it again from the Twilio console",
            id="not-twilio-s-form",
        ),
        pytest.param(
            {"TWILIO_AUTH_TOKEN": "x"},
            "TWILIO_AUTH_TOKEN",
            "is not a Twilio auth token: those are 32 characters 0-9 and a-f, this one has 1 "
            "character. Copy",
            id="one-character",
        ),
        pytest.param(
            {"TWILIO_AUTH_TOKEN": TOKEN.upper()},
            "TWILIO_AUTH_TOKEN",
            "is not a Twilio auth token",
            id="upper-case",
        ),
        pytest.param(
            {"TWILIO_AUTH_TOKEN": TOKEN + "0"},
            "TWILIO_AUTH_TOKEN",
            "is not a Twilio auth token",
            id="33-characters",
        ),
        pytest.param(
            {"PUBLIC_BASE_URL": HTTPS + "/ivr"},
            "PUBLIC_BASE_URL",
            f"'{HTTPS}/ivr' is not a URL like https://host (scheme and host only",
            id="base-url-with-path",
        ),
        pytest.param(
            {"PUBLIC_BASE_URL": HTTPS + "?x=1"},
            "PUBLIC_BASE_URL",
            f"'{HTTPS}?x=1' is not a URL",
            id="base-url-with-query",
        ),
        pytest.param(
            {"IVR_DEV_MODE": "1", "PUBLIC_BASE_URL": HTTPS, "SERVER_SOFTWARE": "waitress/3.0.2"},
            "IVR_DEV_MODE",
            f"is 1 under waitress with PUBLIC_BASE_URL={HTTPS}: development mode checks no "
            "signatures, so the production server takes it only at an address of this machine "
            "(PUBLIC_BASE_URL=http://127.0.0.1:<port>). Unset IVR_DEV_MODE and set "
            "TWILIO_AUTH_TOKEN (and DATABASE_URL)",
            id="dev-mode-under-waitress-https",
        ),
        pytest.param(
            {
                "IVR_DEV_MODE": "1",
                "PUBLIC_BASE_URL": "http://line.example.org",
                "SERVER_SOFTWARE": "waitress/3.0.2",
            },
            "IVR_DEV_MODE",
            "is 1 under waitress with PUBLIC_BASE_URL=http://line.example.org: development",
            id="dev-mode-under-waitress-public-http",
        ),
        pytest.param(
            {"IVR_DEV_MODE": "1", "PUBLIC_BASE_URL": "", "SERVER_SOFTWARE": "waitress/3.0.2"},
            "IVR_DEV_MODE",
            "is 1 under waitress without PUBLIC_BASE_URL: development mode checks no signatures",
            id="dev-mode-under-waitress-no-base-url",
        ),
        pytest.param(
            {"GATHER_TIMEOUT": "1\u2070"},
            "GATHER_TIMEOUT",
            "'1\u2070' is not a whole",
            id="unicode-digit",
        ),
        pytest.param(
            {"DIAL_CALLER_ID": "+31\uff1208868800"},
            "DIAL_CALLER_ID",
            "'+31\uff1208868800' is not an E.164",
            id="fullwidth-digit",
        ),
    ],
)
def test_unsafe_settings_are_refused(
    tmp_path: Path, env: dict[str, str], key: str, starts: str
) -> None:
    base = {
        "TWILIO_AUTH_TOKEN": TOKEN,
        "PUBLIC_BASE_URL": HTTPS,
        "IVR_SQLITE_PATH": str(tmp_path / "ivr.sqlite3"),
    }
    error = refused({**base, **env})
    assert error.key == key
    assert str(error).startswith(f"{key}: {starts}")


@pytest.mark.parametrize(
    "env",
    [
        pytest.param({"IVR_DEV_MODE": "1", "PUBLIC_BASE_URL": HTTPS}, id="dev-https-own-server"),
        pytest.param(
            {
                "IVR_DEV_MODE": "1",
                "PUBLIC_BASE_URL": "http://localhost:5000",
                "SERVER_SOFTWARE": "waitress/3.0.2",
            },
            id="dev-http-waitress",
        ),
        pytest.param(
            {
                "IVR_DEV_MODE": "1",
                "PUBLIC_BASE_URL": "http://127.0.0.1:8000",
                "SERVER_SOFTWARE": "waitress/3.0.2",
            },
            id="dev-loopback-waitress",
        ),
        pytest.param({"PUBLIC_BASE_URL": HTTPS + "/"}, id="trailing-slash"),
    ],
)
def test_development_mode_off_the_public_internet_is_accepted(
    tmp_path: Path, env: dict[str, str]
) -> None:
    settings = Settings.from_env(
        {
            "IVR_INSTANCE_PATH": str(tmp_path),
            "TWILIO_AUTH_TOKEN": TOKEN,
            "IVR_SQLITE_PATH": str(tmp_path / "x"),
            **env,
        }
    )
    assert settings.public_base_url == env["PUBLIC_BASE_URL"].rstrip("/")


def procfile() -> dict[str, list[str]]:
    lines = (CHECKOUT / "Procfile").read_text(encoding="utf-8").splitlines()
    return {name: shlex.split(command) for name, command in (line.split(": ", 1) for line in lines)}


def test_procfile_upgrades_in_the_release_phase() -> None:
    assert procfile()["release"] == ["ivr", "db", "upgrade"]


def test_procfile_runs_the_line_s_web_server() -> None:
    assert procfile()["web"] == ["python", "-m", "ivr.web.server"]  # tests/test_web_server.py


def test_the_sqlite_store_commits_with_synchronous_full_in_wal_mode(tmp_path: Path) -> None:
    database = Database(f"sqlite:///{tmp_path / 'ivr.sqlite3'}")
    try:
        database.upgrade()
        with database.engine.connect() as conn:
            found = [conn.exec_driver_sql(f"PRAGMA {name}").scalar_one()
                     for name in ("journal_mode", "synchronous")]  # fmt: skip
    finally:
        database.dispose()
    assert found == ["wal", 2]  # 2: FULL


def test_the_synchronous_bench_measures_both_levels(capsys: pytest.CaptureFixture[str]) -> None:
    import sqlite_sync

    found = sqlite_sync.main(["--requests", "4", "--rounds", "1"])
    assert {level: len(times) for level, times in found.items()} == {"FULL": 4, "NORMAL": 4}
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(":")[0] for line in lines] == ["synchronous=FULL", "synchronous=NORMAL"]
