"""espeak-ng renders real Dutch audio (CI installs it; skipped with the reason elsewhere)."""

from __future__ import annotations

import io
import shutil
import wave

import pytest

from ivr.audio.engines import EspeakEngine, SynthesisError
from tests.support.spoken import KEYS_SHORT

pytestmark = pytest.mark.skipif(
    shutil.which("espeak-ng") is None,
    reason="espeak-ng is not installed (apt-get install espeak-ng; .ci/run does this)",
)


def _seconds(audio: bytes) -> float:
    with wave.open(io.BytesIO(audio)) as wav:
        assert (wav.getnchannels(), wav.getsampwidth()) == (1, 2)
        return wav.getnframes() / wav.getframerate()


def test_espeak_renders_dutch_wav() -> None:
    audio = EspeakEngine().synthesise("Bel nul twee nul, acht acht zes, acht acht, nul nul.")
    assert audio[:4] == b"RIFF"
    assert audio[8:12] == b"WAVE"
    assert 2.0 < _seconds(audio) < 10.0


def test_slow_espeak_is_slower_and_another_voice() -> None:
    text = KEYS_SHORT
    normal, slow = EspeakEngine(), EspeakEngine(slow=True)
    assert normal.voice == "espeak-ng voice=nl speed=160"
    assert slow.voice == "espeak-ng voice=nl speed=130"
    assert _seconds(slow.synthesise(text)) > _seconds(normal.synthesise(text))


def test_missing_binary_says_how_to_install() -> None:
    with pytest.raises(SynthesisError, match="apt-get install espeak-ng") as caught:
        EspeakEngine(binary="espeak-ng-not-here").synthesise("Hallo.")
    assert caught.value.transient is False
