"""File problems end in the documented message and exit code, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from ivr.cli import cli

NOT_UTF8 = b"\xff\xfe id: markant\n"


@pytest.mark.parametrize(
    ("key", "command", "code", "message"),
    [
        pytest.param("IVR_TREE", ["validate"], 65, "{path}: the tree is not UTF-8 text (byte 0)",
                     id="tree-validate"),
        pytest.param("IVR_PROMPTS", ["validate"], 65,
                     "{path}: the prompts is not UTF-8 text (byte 0)", id="prompts-validate"),
        pytest.param("IVR_TREE", ["audio", "status"], 65,
                     "{path}: the tree is not UTF-8 text (byte 0)", id="tree-audio"),
    ],
)  # fmt: skip
def test_a_content_file_that_is_not_utf8_is_named(
    tmp_path: Path, key: str, command: list[str], code: int, message: str
) -> None:
    path = tmp_path / "broken.yaml"
    path.write_bytes(NOT_UTF8)
    env = {key: str(path), "IVR_AUDIO_DIR": str(tmp_path / "audio")}
    result = CliRunner().invoke(cli, command, env=env)
    assert result.exit_code == code, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert message.format(path=path) in result.output


@pytest.mark.parametrize(
    ("make", "said"),
    [
        pytest.param(lambda d: (d / "manifest.json").write_bytes(b"\xff{}"),
                     "{dir}/manifest.json: not a usable audio manifest (not UTF-8); delete it "
                     "and run 'ivr audio render'", id="not-utf8"),
        pytest.param(lambda d: (d / "manifest.json").mkdir(),
                     "{dir}/manifest.json: cannot read the audio manifest (Is a directory)",
                     id="a-folder"),
    ],
)  # fmt: skip
def test_an_unusable_audio_manifest_is_named(tmp_path: Path, make, said: str) -> None:
    audio = tmp_path / "audio"
    audio.mkdir()
    make(audio)
    result = CliRunner().invoke(cli, ["audio", "status"], env={"IVR_AUDIO_DIR": str(audio)})
    assert result.exit_code == 69, result.output
    assert isinstance(result.exception, SystemExit)
    assert f"Error: {said.format(dir=audio)}" in result.output
