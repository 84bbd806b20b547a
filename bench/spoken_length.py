"""How long a piece of the line takes to say: the rendered audio's duration, else an estimate.

Durations come from the audio folder the line plays from (``audio/`` unless ``IVR_AUDIO_DIR``):
its ``manifest.json`` (``{"format": 1, "prompts": {text: {"file", "spoken", "voice"}}}``, see
``ivr/audio/manifest.py``) names each text's file, and the file itself gives the length (WAV
from its header, MP3 from its size and bitrate: ``audio_duration.py``). A text without a
readable file is estimated from its words at 150 words a minute.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
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
    """Seconds per text (as written and as spoken) and per audio file name, from the files.

    Counts how each length was found; ``unreadable`` names the manifest's files that exist but
    whose length could not be read (their texts are estimated).
    """

    by_key: dict[str, float] = field(default_factory=dict)
    spoken_by_file: dict[str, str] = field(default_factory=dict)
    unreadable: list[str] = field(default_factory=list)
    rendered: int = 0
    estimated: int = 0
    estimate_only: bool = False  # every length estimated, played files from their text

    @classmethod
    def from_audio_dir(cls, audio_dir: Path, estimate_only: bool = False) -> SpokenLength:
        """Lengths of the rendered audio in ``audio_dir``; none when it has no manifest.
        ``estimate_only``: what the same texts take at 150 words a minute instead."""
        lengths = cls(estimate_only=estimate_only)
        for text, entry in read_manifest(audio_dir).entries.items():
            lengths.spoken_by_file[entry.file] = entry.spoken
            path = audio_dir / entry.file
            if not path.is_file():
                continue  # the line speaks this text with <Say>
            seconds = audio_seconds(path)
            if seconds is None:
                lengths.unreadable.append(entry.file)
                continue
            for key in (text, entry.spoken, entry.file):
                lengths.by_key[key] = seconds
        return lengths

    def of_text(self, text: str) -> float:
        if text in self.by_key and not self.estimate_only:
            self.rendered += 1
            return self.by_key[text]
        self.estimated += 1
        return estimate(text)

    def of_verb(self, verb: ET.Element) -> float:
        """A ``<Say>`` (its text; inside ``<prosody rate="85%">`` it takes 1/0.85 as long) or a
        ``<Play>`` (its audio file, named by the URL's end)."""
        text = "".join(verb.itertext()).strip()
        if verb.tag != "Play":
            prosody = verb.find("prosody")
            rate = prosody.get("rate", "100%") if prosody is not None else "100%"
            return self.of_text(text) * 100 / float(rate.rstrip("%"))
        name = text.rsplit("/", 1)[-1]
        if name in self.by_key and not self.estimate_only:
            self.rendered += 1
            return self.by_key[name]
        if name in self.spoken_by_file:  # a file whose length could not be read
            self.estimated += 1
            return estimate(self.spoken_by_file[name])
        raise KeyError(f"<Play> of {text!r}: the file is not in the audio manifest")

    def source(self) -> str:
        note = (
            f"; {len(self.unreadable)} audio files unreadable (not WAV or constant-bitrate MP3), "
            "their texts estimated"
            if self.unreadable
            else ""
        )
        if self.estimate_only:
            return f"all estimated at {WORDS_PER_MINUTE} words/min (played files from their text)"
        if not self.rendered:
            return f"all estimated at {WORDS_PER_MINUTE} words/min (no rendered audio){note}"
        return f"{self.rendered} from rendered audio, {self.estimated} estimated{note}"
