"""Text-to-speech engines behind one small interface: gTTS (default) and espeak-ng (offline).

An engine turns normalised Dutch text into the bytes of one audio file. Its ``voice`` names the
settings that shape the sound; it is part of every file's hash, so changing it renders anew.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Protocol

from gtts import gTTS, gTTSError
from gtts.tokenizer import pre_processors

from ivr.core.errors import AudioError

ENGINES = ("gtts", "espeak-ng")
# gTTS: seconds to connect, and to wait for each answer, per request (a text is 1 to 3
# requests). Without it a hung network took 543 s to give up; now at most about 10 s a try.
REQUEST_TIMEOUT = (5.0, 10.0)


class SynthesisError(AudioError):
    """One text could not be rendered. ``transient``: worth trying again after a pause."""

    def __init__(self, message: str, transient: bool) -> None:
        super().__init__(message)
        self.transient = transient


class Engine(Protocol):
    name: str
    extension: str  # "mp3" or "wav"
    min_interval: float  # seconds to wait between two texts (throttling)

    @property
    def voice(self) -> str: ...

    def synthesise(self, text: str) -> bytes: ...


class GttsEngine:
    """Google Translate's voice via gTTS (``lang="nl"``). Needs internet; MP3 out.

    gTTS splits text into requests of about 100 characters itself. Google answers 429 when
    pushed, so the renderer waits ``min_interval`` between texts and retries transient failures.
    """

    name = "gtts"
    extension = "mp3"

    def __init__(
        self,
        slow: bool = False,
        tld: str = "com",
        min_interval: float = 1.0,
        timeout: tuple[float, float] = REQUEST_TIMEOUT,
    ) -> None:
        self.slow = slow
        self.tld = tld
        self.min_interval = min_interval
        self.timeout = timeout

    @property
    def voice(self) -> str:
        return f"gtts lang=nl tld={self.tld} slow={'yes' if self.slow else 'no'}"

    def synthesise(self, text: str) -> bytes:
        # The normaliser has written abbreviations out; gTTS's English word substitutions
        # and abbreviation rules must not touch Dutch text.
        tts = gTTS(
            text,
            lang="nl",
            tld=self.tld,
            slow=self.slow,
            lang_check=False,
            pre_processor_funcs=[pre_processors.tone_marks, pre_processors.end_of_line],
            timeout=self.timeout,
        )
        buffer = io.BytesIO()
        try:
            tts.write_to_fp(buffer)
        except gTTSError as exc:
            status = exc.rsp.status_code if exc.rsp is not None else None
            transient = status is None or status == 429 or status >= 500
            raise SynthesisError(f"gTTS: {exc}", transient=transient) from exc
        if not buffer.getvalue():
            raise SynthesisError("gTTS returned no audio", transient=True)
        return buffer.getvalue()


class EspeakEngine:
    """espeak-ng's Dutch voice (``apt-get install espeak-ng``): offline, robotic, WAV out.

    For development and tests on machines without internet; never the default.
    """

    name = "espeak-ng"
    extension = "wav"
    min_interval = 0.0

    def __init__(self, slow: bool = False, binary: str = "espeak-ng") -> None:
        self.slow = slow
        self.binary = binary

    @property
    def voice(self) -> str:
        return f"espeak-ng voice=nl speed={self._speed}"

    @property
    def _speed(self) -> int:
        return 130 if self.slow else 160

    def synthesise(self, text: str) -> bytes:
        if shutil.which(self.binary) is None:
            raise SynthesisError(
                f"{self.binary} is not installed: run 'apt-get install espeak-ng', "
                "or render with --engine gtts on a machine with internet",
                transient=False,
            )
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "speech.wav"
            command = [self.binary, "-v", "nl", "-s", str(self._speed), "-w", str(out), text]
            result = subprocess.run(command, capture_output=True, text=True, timeout=60)
            if result.returncode != 0 or not out.is_file():
                raise SynthesisError(
                    f"{self.binary} failed ({result.returncode}): {result.stderr.strip()}",
                    transient=False,
                )
            return out.read_bytes()


def make_engine(name: str, slow: bool = False) -> Engine:
    """The engine called ``name`` (``gtts`` or ``espeak-ng``)."""
    if name == "gtts":
        return GttsEngine(slow=slow)
    if name == "espeak-ng":
        return EspeakEngine(slow=slow)
    raise AudioError(f"unknown audio engine {name!r}: choose one of {', '.join(ENGINES)}")
