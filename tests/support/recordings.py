"""Recordings of a recorded language for the tests, made in tmp_path only (never in the checkout).

espeak-ng's Arabic voice says the digits, which the line plays a phone number from; every other
piece is a copy of the recording of zero: the line names and serves files, it never listens.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Iterable
from pathlib import Path

import pytest

from ivr.core.recorded import Piece

needs_espeak = pytest.mark.skipif(
    shutil.which("espeak-ng") is None,
    reason="espeak-ng is not installed (apt-get install espeak-ng; .ci/run does this)",
)
DIGITS = frozenset(f"numbers.{n}" for n in range(10))


def espeak_arabic(text: str) -> bytes:
    """``text`` said by espeak-ng's Arabic voice, as WAV."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "said.wav"
        subprocess.run(["espeak-ng", "-v", "ar", "-w", str(out), text], check=True, timeout=30)
        return out.read_bytes()


def record(folder: Path, pieces: Iterable[Piece], made: dict[str, bytes] | None = None) -> None:
    """A recording of each piece under its name (``<id>.<hash>.wav``): ``made``'s sound for
    its id, else the same few bytes (a file the tests only name)."""
    folder.mkdir(parents=True, exist_ok=True)
    for piece in pieces:
        sound = (made or {}).get(piece.id, b"RIFF test")
        (folder / f"{piece.stem}.wav").write_bytes(sound)


def record_with_espeak(folder: Path, pieces: tuple[Piece, ...]) -> None:
    """Every piece: the digits by espeak-ng, the rest a copy of zero's recording."""
    digits = {piece.id: espeak_arabic(piece.text) for piece in pieces if piece.id in DIGITS}
    zero = digits["numbers.0"]
    record(folder, pieces, {piece.id: digits.get(piece.id, zero) for piece in pieces})
