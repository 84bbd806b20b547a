"""How long a text of the line takes to say: the rendered audio's duration, else an estimate.

Durations come from the audio folder the line plays from (``audio/`` unless ``IVR_AUDIO_DIR``):
its ``manifest.json`` (``{"format": 1, "prompts": {text: {"file", "spoken", "voice"}}}``, see
``ivr/audio/manifest.py``) names each text's file, and the file itself gives the length (WAV
from its header, MP3 from its size and bitrate: ``audio_duration.py``). A text without a
readable file is estimated from its words at 150 words a minute: 2.5 words a second, the rate
the line's texts are written for (``ivr.web.twiml``: "the voice's ~150 words a minute").
espeak-ng's Dutch voice, rendered offline, says the line's texts at 146 a minute.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from audio_duration import audio_seconds

from ivr.audio.manifest import read_manifest

WORDS_PER_MINUTE = 150
_WORD = re.compile(r"\w+")


def estimate(text: str) -> float:
    """Seconds to say ``text`` at 150 words a minute."""
    return len(_WORD.findall(text)) * 60 / WORDS_PER_MINUTE


@dataclass
class SpokenLength:
    """Seconds per text (as written and as spoken), from the files.

    Counts how each length was found; ``unreadable`` names the manifest's files that exist but
    whose length could not be read (their texts are estimated).
    """

    by_key: dict[str, float] = field(default_factory=dict)
    unreadable: list[str] = field(default_factory=list)
    rendered: int = 0
    estimated: int = 0

    @classmethod
    def from_audio_dir(cls, audio_dir: Path) -> SpokenLength:
        """Lengths of the rendered audio in ``audio_dir``; none when it has no manifest."""
        lengths = cls()
        for text, entry in read_manifest(audio_dir).entries.items():
            path = audio_dir / entry.file
            if not path.is_file():
                continue  # the line speaks this text with <Say>
            seconds = audio_seconds(path)
            if seconds is None:
                lengths.unreadable.append(entry.file)
                continue
            for key in (text, entry.spoken):
                lengths.by_key[key] = seconds
        return lengths

    def of_text(self, text: str) -> float:
        if text in self.by_key:
            self.rendered += 1
            return self.by_key[text]
        self.estimated += 1
        return estimate(text)

    def source(self) -> str:
        note = (
            f"; {len(self.unreadable)} audio files unreadable (not WAV or constant-bitrate MP3), "
            "their texts estimated"
            if self.unreadable
            else ""
        )
        if not self.rendered:
            return f"all estimated at {WORDS_PER_MINUTE} words/min (no rendered audio){note}"
        return f"{self.rendered} from rendered audio, {self.estimated} estimated{note}"
