"""``ivr simulate``: a whole call in the terminal through the real, signed webhooks."""

from __future__ import annotations

import io
from pathlib import Path

from click.testing import CliRunner

from ivr.cli import cli
from ivr.cli.simulate import run_simulation
from tests.conftest import OPEN_TIME, TOKEN, Clock


def test_a_simulated_call_reaches_an_offering_and_ends_with_a_goodbye(tmp_path: Path) -> None:
    spoken: list[str] = []
    keys = io.StringIO("\n".join(["2", "2", "1", "ja", "1", "2", "2", "2", "2", ""]) + "\n")
    env = {"TWILIO_AUTH_TOKEN": TOKEN, "IVR_INSTANCE_PATH": str(tmp_path)}
    hops = run_simulation(keys, spoken.append, env, Clock(OPEN_TIME))
    assert "🔊 Dagbesteding voor de zorgvrager." in spoken
    assert spoken[-2:] == [
        "🔊 Bedankt voor het bellen. Veel sterkte met de zorg. Tot ziens.",
        "☎️  opgehangen",
    ]
    assert hops == 10


def test_silence_in_the_simulation_follows_the_redirect(tmp_path: Path) -> None:
    spoken: list[str] = []
    env = {"IVR_DEV_MODE": "1", "IVR_INSTANCE_PATH": str(tmp_path)}
    run_simulation(io.StringIO("\n"), spoken.append, env=env)
    assert "🔊 Ik hoorde niets." in spoken


def test_ivr_simulate_command_reads_keys_from_stdin(tmp_path: Path) -> None:
    env = {"IVR_DEV_MODE": "1", "IVR_INSTANCE_PATH": str(tmp_path)}
    result = CliRunner().invoke(cli, ["simulate"], input="1\n1\n", env=env)
    assert result.exit_code == 0, result.output
    assert "🔊 Hulp in een crisis." in result.output
