"""``ivr simulate``: a whole call in the terminal through the real, signed webhooks."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import sentry_sdk
from click.testing import CliRunner

from ivr.cli import cli
from ivr.cli.db import upgrade_database
from ivr.cli.simulate import REAL_WORKLIST, THROW_AWAY, run_simulation
from ivr.storage.callbacks import CallbackStore
from ivr.storage.database import Database
from tests.support.clock import CLOSED_TIME, OPEN_TIME, Clock
from tests.support.signing import TOKEN


def test_a_simulated_call_reaches_an_offering_and_ends_with_a_goodbye(tmp_path: Path) -> None:
    spoken: list[str] = []
    # silence at the welcome, then the answers (a key during the welcome would skip it)
    # (the simulated caller's number is withheld: after the advice, 2 declines its SMS)
    keys = io.StringIO(
        "\n".join(["", "2", "2", "1", "ja", "1", "2", "2", "2", "2", "2", ""]) + "\n"
    )
    env = {"TWILIO_AUTH_TOKEN": TOKEN, "IVR_INSTANCE_PATH": str(tmp_path)}
    hops = run_simulation(keys, spoken.append, env, Clock(OPEN_TIME))
    assert "🔊 Dagbesteding voor uw naaste." in spoken
    assert spoken[-2:] == [
        "🔊 Bedankt voor het bellen. Veel sterkte met de zorg. Tot ziens.",
        "☎️  opgehangen",
    ]
    assert hops == 11  # the welcome's silence needs no webhook: the question follows it


def test_silence_in_the_simulation_follows_the_redirect(tmp_path: Path) -> None:
    spoken: list[str] = []
    env = {"IVR_DEV_MODE": "1", "IVR_INSTANCE_PATH": str(tmp_path)}
    run_simulation(io.StringIO("\n\n"), spoken.append, env=env)  # the welcome, the question
    assert "🔊 Ik hoorde niets." in spoken


def test_ivr_simulate_command_reads_keys_from_stdin(tmp_path: Path) -> None:
    env = {"IVR_DEV_MODE": "1", "IVR_INSTANCE_PATH": str(tmp_path)}
    result = CliRunner().invoke(cli, ["simulate"], input="\n1\n1\n", env=env)
    assert result.exit_code == 0, result.output
    assert "🔊 Hulp in een crisis." in result.output


def test_a_transfer_in_the_simulation_shows_the_whisper_and_asks_the_outcome(
    tmp_path: Path,
) -> None:
    spoken: list[str] = []
    # crisis, no SMS, to Markant
    keys = io.StringIO("\n".join(["", "1", "2", "1", "busy", ""]) + "\n")
    env = {"TWILIO_AUTH_TOKEN": TOKEN, "IVR_INSTANCE_PATH": str(tmp_path)}
    run_simulation(keys, spoken.append, env, Clock(OPEN_TIME))
    dialled = spoken.index("📞 doorverbinden met +31208868800")
    assert spoken[dialled + 1 : dialled + 3] == [
        "👂 Beller van de Mantelzorglijn.",
        "👂 Advies: Hulp in een crisis.",
    ]
    assert spoken[dialled + 5] == "uitkomst (completed/declined/busy/no-answer/failed)> "
    assert spoken[dialled + 6] == "🔊 Het lukt nu niet om u door te verbinden. De lijn is bezet."


def test_ivr_simulate_takes_the_callers_number_and_the_moment(tmp_path: Path) -> None:
    env = {"IVR_DEV_MODE": "1", "IVR_INSTANCE_PATH": str(tmp_path)}
    args = ["simulate", "--caller", "mobiel", "--at", "2026-11-22 22:00"]
    result = CliRunner().invoke(cli, args, input="\n1\n1\n1\n", env=env)
    assert result.exit_code == 0, result.output
    assert "🔊 De helpdesk van Markant is nu gesloten." in result.output
    assert "🔊 Wij bellen u op dit nummer: nul zes, één twee, drie vier" in result.output


def _env(tmp_path: Path) -> dict[str, str]:
    sqlite = tmp_path / "ivr.sqlite3"
    upgrade_database(f"sqlite:///{sqlite}")
    return {"IVR_DEV_MODE": "1", "IVR_INSTANCE_PATH": str(tmp_path), "IVR_SQLITE_PATH": str(sqlite)}


def _open_requests(env: dict[str, str]) -> int:
    """How many callback requests wait in the line's own database (the worklist's)."""
    database = Database(f"sqlite:///{env['IVR_SQLITE_PATH']}")
    found = len(CallbackStore(database).open_requests())
    database.dispose()
    return found


def test_each_simulated_call_has_its_own_callsid_so_two_callbacks_are_stored(
    tmp_path: Path,
) -> None:
    env = _env(tmp_path)
    for _ in range(2):
        spoken: list[str] = []
        keys = io.StringIO("0\n1\n1\n")  # a person, after hours: a callback on my own number
        run_simulation(
            keys, spoken.append, env, Clock(CLOSED_TIME), "+31612345678", real_worklist=True
        )
        assert spoken[0] == REAL_WORKLIST
        assert "🔊 Wij bellen u op dit nummer: nul zes, één twee, drie vier, vijf zes, zeven " in (
            "\n".join(spoken)
        )
        assert "🔊 Genoteerd. De helpdesk van Markant belt u terug." in spoken
    database = Database(f"sqlite:///{env['IVR_SQLITE_PATH']}")
    requests = CallbackStore(database).open_requests()
    database.dispose()
    assert len(requests) == 2
    assert len({r.call_key for r in requests}) == 2


@pytest.mark.parametrize(
    ("typed", "heard"),
    [
        pytest.param("#", "🔊 Dat heb ik niet goed begrepen.", id="hash-is-a-wrong-key"),
        pytest.param("12", "🔊 Hulp in een crisis.", id="one-digit-per-question"),
    ],
)
def test_keys_reach_the_line_as_on_twilio(tmp_path: Path, typed: str, heard: str) -> None:
    spoken: list[str] = []
    keys = io.StringIO(f"\n{typed}\n")  # silence at the welcome, then the first question
    run_simulation(keys, spoken.append, _env(tmp_path), Clock(OPEN_TIME))
    assert heard in spoken


def test_a_simulation_reports_to_nobody(tmp_path: Path) -> None:
    """SENTRY_DSN and ALERT_TO in the environment: a simulated call sets up no Sentry and no
    alerts (ALERT_TO is not even read, so it needs no SMTP_HOST here)."""
    env = {
        **_env(tmp_path),
        "SENTRY_DSN": "https://public@sentry.example.org/1",
        "ALERT_TO": "ops@example.org",
    }
    spoken: list[str] = []
    keys = io.StringIO("\n1\n2\n1\nbusy\n")  # crisis, no SMS, to Markant, who is busy
    try:
        run_simulation(keys, spoken.append, env, Clock(OPEN_TIME))
        assert sentry_sdk.is_initialized() is False
    finally:
        sentry_sdk.get_global_scope().set_client(None)
    assert "🔊 Het lukt nu niet om u door te verbinden. De lijn is bezet." in spoken


def test_a_simulated_callback_request_goes_to_a_throw_away_database(tmp_path: Path) -> None:
    env = _env(tmp_path)
    spoken: list[str] = []
    keys = io.StringIO("0\n1\n1\n")  # a person, after hours: a callback on my own number
    run_simulation(keys, spoken.append, env, Clock(CLOSED_TIME), caller="+31612345678")
    assert spoken[0] == (
        "Terugbelverzoeken gaan naar een tijdelijke database, niet naar de werklijst "
        "(--real-worklist: wel)."
    )
    assert "🔊 Genoteerd. De helpdesk van Markant belt u terug." in spoken
    assert _open_requests(env) == 0


@pytest.mark.parametrize(
    ("args", "first", "stored"),
    [
        pytest.param([], THROW_AWAY, 0, id="throw-away"),
        pytest.param(["--real-worklist"], REAL_WORKLIST, 1, id="real-worklist"),
    ],
)
def test_ivr_simulate_stores_a_callback_in_the_worklist_only_when_told(
    tmp_path: Path, args: list[str], first: str, stored: int
) -> None:
    env = _env(tmp_path)
    command = ["simulate", "--caller", "mobiel", "--at", "2026-11-22 22:00", *args]
    result = CliRunner().invoke(cli, command, input="0\n1\n1\n", env=env)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == first
    assert "🔊 Genoteerd. De helpdesk van Markant belt u terug." in result.output
    assert _open_requests(env) == stored


def test_ivr_simulate_shows_the_advice_by_sms_and_sends_nothing(tmp_path: Path) -> None:
    """The quick start: development mode, no SMS settings. A mobile caller is offered the
    advice by SMS; its text is shown, marked as not sent."""
    env = _env(tmp_path)
    spoken: list[str] = []
    keys = io.StringIO("\n2\n2\n1\n1\n1\n2\n2\n1\n")  # to dagbesteding, then SMS: ja
    run_simulation(keys, spoken.append, env, Clock(OPEN_TIME), caller="+31612345678")
    offer = spoken.index(
        "🔊 Wilt u dit advies ook per sms ontvangen? Toets één voor ja, of twee voor nee."
    )
    assert spoken[offer - 1].startswith("🔊 Bel ")
    assert spoken[offer + 2] == "🔊 De sms is verstuurd. U krijgt hem binnen een paar minuten."
    (sms,) = [line for line in spoken if line.startswith("✉️")]
    assert spoken.index(sms) > offer
    assert sms.startswith("✉️  sms (niet verstuurd): Dagbesteding voor uw naaste.\n")
    assert sms.endswith("\nMantelzorglijn Amsterdam")
