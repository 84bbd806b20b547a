"""The tree is data all the way: the helpdesk and every service's settings come from the YAML."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask import Flask

from ivr.cli import cli
from ivr.core.errors import ConfigError
from tests.support.calls import Caller
from tests.support.checkout import SHIPPED_TREE
from tests.support.clock import CLOSED_TIME, Clock

BUURTTEAM = """\
  buurtteam:
    name: het Buurtteam
    phone: "020 123 45 67"
    hours: "ma-vr 09:00-17:00"
    source: 000_6dc779a77bc48c72.txt
"""


def renamed_helpdesk(tmp_path: Path) -> Path:
    """A copy of the shipped tree whose helpdesk is called ``hulplijn`` instead of ``markant``."""
    text = SHIPPED_TREE.read_text(encoding="utf-8")
    for old, new in (
        ("helpdesk: markant", "helpdesk: hulplijn"),
        ("\n  markant:\n", "\n  hulplijn:\n"),
        ("service: markant", "service: hulplijn"),
        ("transfer: markant", "transfer: hulplijn"),
    ):
        assert old in text
        text = text.replace(old, new)
    assert "markant\n" not in text
    copy = tmp_path / "hulplijn.yaml"
    copy.write_text(text, encoding="utf-8")
    return copy


def with_third_service(tmp_path: Path) -> Path:
    """The shipped tree with a third service, the Buurtteam, as the Wmo offerings' transfer."""
    text = SHIPPED_TREE.read_text(encoding="utf-8")
    text = text.replace("\nnodes:\n", f"{BUURTTEAM}\nnodes:\n", 1)
    text = text.replace("transfer: sociaal_loket", "transfer: buurtteam")
    copy = tmp_path / "buurtteam.yaml"
    copy.write_text(text, encoding="utf-8")
    return copy


def test_a_renamed_helpdesk_validates(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["validate"], env={"IVR_TREE": str(renamed_helpdesk(tmp_path))}
    )
    assert result.exit_code == 0, result.output
    assert ": ok — 28 nodes, 13 offerings, 21 paths" in result.output


def test_a_renamed_helpdesk_answers_key_0_with_its_own_settings(
    make_app: Callable[..., Flask], tmp_path: Path
) -> None:
    app = make_app(
        IVR_TREE=str(renamed_helpdesk(tmp_path)),
        HULPLIJN_DIAL_NUMBER="+31201112233",
        HULPLIJN_RING_TIMEOUT="30",
    )
    reply = Caller(app.test_client()).post("/voice/answer?p=", Digits="0")
    dial = reply.root.find("Dial")
    assert dial is not None, reply.xml
    assert dial.attrib["action"] == "/voice/dialed?p=&s=hulplijn"
    assert dial.attrib["timeout"] == "30"
    assert dial.findtext("Number") == "+31201112233"


def test_a_renamed_helpdesks_hours_are_its_own_setting(
    make_app: Callable[..., Flask], tmp_path: Path, clock: Clock
) -> None:
    clock.now = CLOSED_TIME.replace(hour=7)  # a Sunday morning
    app = make_app(IVR_TREE=str(renamed_helpdesk(tmp_path)), HULPLIJN_HOURS="zo 06:00-08:00")
    reply = Caller(app.test_client()).post("/voice/answer?p=", Digits="0")
    assert reply.verbs() == ["Say", "Dial"], reply.xml


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        pytest.param(
            "HULPLIJN_HOURS", "weekdays", "HULPLIJN_HOURS: 'weekdays': write hours", id="hours"
        ),
        pytest.param(
            "HULPLIJN_DIAL_NUMBER", "020", "HULPLIJN_DIAL_NUMBER: '020' is not an E.164", id="dial"
        ),
        pytest.param(
            "HULPLIJN_CLOSED_DATES",
            "5 mei",
            "HULPLIJN_CLOSED_DATES: '5 mei': use MM-DD",
            id="closed",
        ),
    ],
)
def test_a_renamed_helpdesks_bad_settings_name_their_key(
    make_app: Callable[..., Flask], tmp_path: Path, key: str, value: str, message: str
) -> None:
    with pytest.raises(ConfigError) as raised:
        make_app(IVR_TREE=str(renamed_helpdesk(tmp_path)), **{key: value})
    assert str(raised.value).startswith(message)
    assert raised.value.key == key


def test_a_third_service_is_configurable_without_code(
    make_app: Callable[..., Flask], tmp_path: Path
) -> None:
    app = make_app(IVR_TREE=str(with_third_service(tmp_path)), BUURTTEAM_DIAL_NUMBER="+31209998877")
    reply = Caller(app.test_client()).post("/voice/menu?p=nnjjjnn&s=offer", Digits="1")
    assert reply.spoken() == ["Een moment alstublieft. Ik verbind u door met het Buurtteam."]
    dial = reply.root.find("Dial")
    assert dial is not None, reply.xml
    assert dial.findtext("Number") == "+31209998877"
    assert dial.attrib["action"] == "/voice/dialed?p=nnjjjnn&s=buurtteam"
