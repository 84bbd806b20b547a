"""How long a piece of the line takes to say: the rendered audio's duration, else an estimate.

Durations come from ``audio/manifest.json`` when it exists: entries with the spoken ``text``
and/or the audio's ``url``/``file``, and its length in ``seconds`` (or ``duration``). A text or
URL not in the manifest is estimated from its words at 150 words a minute.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

WORDS_PER_MINUTE = 150
MANIFEST = Path(__file__).resolve().parents[1] / "audio" / "manifest.json"
_WORD = re.compile(r"\w+")


def estimate(text: str) -> float:
    """Seconds to say ``text`` at 150 words a minute."""
    return len(_WORD.findall(text)) * 60 / WORDS_PER_MINUTE


@dataclass
class SpokenLength:
    """Seconds per text or audio URL from the manifest; counts how each length was found."""

    by_key: dict[str, float] = field(default_factory=dict)
    rendered: int = 0
    estimated: int = 0

    @classmethod
    def from_manifest(cls, path: Path = MANIFEST) -> SpokenLength:
        if not path.is_file():
            return cls()
        raw = json.loads(path.read_text(encoding="utf-8"))
        entries = raw.get("entries", raw) if isinstance(raw, dict) else raw
        if isinstance(entries, dict):  # {"<text or url>": {...} or seconds}
            entries = [
                {"text": key, **(value if isinstance(value, dict) else {"seconds": value})}
                for key, value in entries.items()
            ]
        by_key = {}
        for entry in entries:
            seconds = entry.get("seconds", entry.get("duration"))
            if not isinstance(seconds, int | float):
                continue
            for key in ("text", "url", "file"):
                if isinstance(entry.get(key), str):
                    by_key[entry[key]] = float(seconds)
        return cls(by_key)

    def of_text(self, text: str) -> float:
        if text in self.by_key:
            self.rendered += 1
            return self.by_key[text]
        self.estimated += 1
        return estimate(text)

    def of_verb(self, verb: ET.Element) -> float:
        """A ``<Say>`` (its text) or a ``<Play>`` (its audio URL, else its file name)."""
        text = (verb.text or "").strip()
        if verb.tag == "Play":
            name = text.rsplit("/", 1)[-1]
            for key in (text, name):
                if key in self.by_key:
                    self.rendered += 1
                    return self.by_key[key]
            raise KeyError(f"no duration for audio {text!r} in {MANIFEST}")
        return self.of_text(text)

    def source(self) -> str:
        if not self.rendered:
            return f"all estimated at {WORDS_PER_MINUTE} words/min (no rendered audio)"
        return f"{self.rendered} from rendered audio, {self.estimated} estimated"
