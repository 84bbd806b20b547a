"""``ivr audio render|status|prune`` and the coverage line of ``ivr validate``."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import requests
from click.testing import CliRunner

from ivr.cli import cli
from tests.support.audio_fakes import google_reply
from tests.support.spoken import TEXTS

needs_espeak = pytest.mark.skipif(
    shutil.which("espeak-ng") is None,
    reason="espeak-ng is not installed (apt-get install espeak-ng; .ci/run does this)",
)


def _run(audio_dir: Path, *args: str) -> Any:
    env = {"IVR_AUDIO_DIR": str(audio_dir), "IVR_DEV_MODE": "1"}
    return CliRunner().invoke(cli, list(args), env=env)


def test_status_of_an_empty_folder(tmp_path: Path) -> None:
    result = _run(tmp_path, "audio", "status")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0] == (
        f"{tmp_path} (gtts lang=nl tld=com slow=no): 0 current, 0 stale, {TEXTS} missing, "
        f"of {TEXTS} spoken texts"
    )
    assert (
        lines[1]
        == "  missing: Welkom bij de Mantelzorglijn. Bij direct gevaar: bel één één twee. To…"
    )
    assert lines[-1] == "Run 'ivr audio render' to render what is stale or missing."


def test_render_without_internet_fails_clearly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        requests.Session, "send", lambda s, request, **kw: google_reply(request, 403)
    )
    result = _run(tmp_path, "audio", "render")
    assert result.exit_code == 69
    assert (
        f"rendered 0, reused 0, already current 0, failed 3, not tried {TEXTS - 3}" in result.output
    )
    assert (
        f"Error: Stopped after 3 failures in a row (is there internet?). {TEXTS} text(s) have no "
        "audio and stay spoken with <Say>; the rendered ones are saved." in result.output
    )


@needs_espeak
def test_render_status_prune_validate_with_espeak(tmp_path: Path) -> None:
    rendered = _run(tmp_path, "audio", "render", "--engine", "espeak-ng")
    assert rendered.exit_code == 0, rendered.output
    assert (
        f"{tmp_path}: rendered {TEXTS}, reused 0, already current 0, failed 0, not tried 0"
        in rendered.output
    )
    manifest = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    assert len(manifest["prompts"]) == TEXTS
    assert len(list(tmp_path.glob("*.wav"))) == TEXTS

    status = _run(tmp_path, "audio", "status", "--engine", "espeak-ng")
    assert status.output == (
        f"{tmp_path} (espeak-ng voice=nl speed=160): {TEXTS} current, 0 stale, 0 missing, "
        f"of {TEXTS} spoken texts\n"
    )
    validate = _run(tmp_path, "validate")
    assert validate.exit_code == 0
    assert (
        validate.output.splitlines()[-1]
        == f"audio: {TEXTS} of {TEXTS} spoken texts have current audio"
    )

    (tmp_path / "0123456789abcdef0123.wav").write_bytes(b"RIFF")
    pruned = _run(tmp_path, "audio", "prune")
    assert pruned.output == (
        "removed 0 manifest entries and 1 files\n  deleted 0123456789abcdef0123.wav\n"
    )
    assert len(list(tmp_path.glob("*.wav"))) == TEXTS


def test_validate_reports_missing_audio(tmp_path: Path) -> None:
    result = _run(tmp_path, "validate")
    assert result.exit_code == 0
    assert result.output.splitlines()[-1] == (
        f"audio: 0 of {TEXTS} spoken texts have current audio (0 stale, {TEXTS} missing: they are spoken "
        "with <Say>; run 'ivr audio render' on a machine with internet and commit audio/)"
    )
