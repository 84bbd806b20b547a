"""A renamed setting keeps working under its old name, said at start with its new name; set
under both names with different values it stops the start. Never silently ignored."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from ivr.config.deployment import RENAMED
from ivr.config.settings import Settings
from ivr.core.errors import ConfigError
from ivr.web.app import create_app
from ivr.web.event_queue import EventQueue, NoEventQueue
from tests.support.signing import SECRET, TOKEN

# Per renamed setting: a value other than its default, the same value written otherwise, the
# Settings field it fills and the value that field then holds.
CASES = [
    pytest.param("CALL_FIGURES", "0", "no", "call_figures", False, id="call-figures"),
    pytest.param("CALL_EVENT_DAYS", "7", " 7", "call_event_days", 7, id="call-event-days"),
]


def started(tmp_path: Path, caplog: pytest.LogCaptureFixture, **env: str) -> list[str]:
    """The warnings said when the line starts with ``env``; the app checked and closed."""
    base = {
        "TWILIO_AUTH_TOKEN": TOKEN,
        "SECRET_KEY": SECRET,
        "IVR_AUDIO_DIR": str(tmp_path / "audio"),
        "DATABASE_URL": f"sqlite:///{tmp_path}/ivr.sqlite3",
        "PUBLIC_BASE_URL": "https://line.example.org",
    }
    with caplog.at_level(logging.WARNING, logger="ivr.web.app"):
        app = create_app({**base, **env})
    queue = app.extensions["ivr_event_queue"]
    off = env.get("CALL_FIGURES", env.get("CALL_RECORDS")) == "0"
    assert isinstance(queue, NoEventQueue if off else EventQueue)
    queue.close()
    app.extensions["ivr_database"].dispose()
    return [r.getMessage() for r in caplog.records if r.getMessage().startswith("DEPLOYMENT: ")]


def settings(**env: str) -> Settings:
    return Settings.from_env({"IVR_DEV_MODE": "1", **env})


def said(new: str) -> str:
    old = RENAMED[new]
    return f"DEPLOYMENT: {old} is the old name of {new}: it still works, but rename it to {new}"


@pytest.mark.parametrize(("new", "value", "same", "field", "held"), CASES)
def test_the_old_name_still_works_and_the_start_names_the_new_one(
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    new: str,
    value: str,
    same: str,
    field: str,
    held: object,
) -> None:
    old = RENAMED[new]
    assert getattr(settings(**{old: value}), field) == held
    assert started(tmp_path, caplog, **{old: value}) == [said(new)]


@pytest.mark.parametrize(("new", "value", "same", "field", "held"), CASES)
def test_the_new_name_alone_is_said_nothing_of(
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    new: str,
    value: str,
    same: str,
    field: str,
    held: object,
) -> None:
    assert getattr(settings(**{new: value}), field) == held
    assert started(tmp_path, caplog, **{new: value}) == []


@pytest.mark.parametrize(("new", "value", "same", "field", "held"), CASES)
def test_both_names_with_one_value_work_and_the_old_one_is_said(
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    new: str,
    value: str,
    same: str,
    field: str,
    held: object,
) -> None:
    both = {new: value, RENAMED[new]: same}
    assert getattr(settings(**both), field) == held
    assert started(tmp_path, caplog, **both) == [said(new)]


@pytest.mark.parametrize(
    ("env", "message"),
    [
        pytest.param(
            {"CALL_FIGURES": "1", "CALL_RECORDS": "0"},
            "CALL_FIGURES: '1' disagrees with CALL_RECORDS='0'; CALL_RECORDS is this setting's "
            "old name: remove CALL_RECORDS and keep CALL_FIGURES",
            id="call-figures",
        ),
        pytest.param(
            {"CALL_EVENT_DAYS": "30", "CALL_RECORD_DAYS": "7"},
            "CALL_EVENT_DAYS: '30' disagrees with CALL_RECORD_DAYS='7'; CALL_RECORD_DAYS is this "
            "setting's old name: remove CALL_RECORD_DAYS and keep CALL_EVENT_DAYS",
            id="call-event-days",
        ),
    ],
)
def test_both_names_that_disagree_stop_the_start(env: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigError) as info:
        settings(**env)
    assert str(info.value) == message


def test_an_old_name_is_said_in_development_mode_too(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    assert started(tmp_path, caplog, IVR_DEV_MODE="1", CALL_RECORDS="0") == [said("CALL_FIGURES")]
