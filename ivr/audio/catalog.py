"""What the audio folder holds for the line's texts: current, stale or missing. Reads only."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ivr.audio.manifest import AUDIO_NAME, Manifest, read_manifest
from ivr.core.normalise import normalise

CURRENT, STALE, MISSING = "current", "stale", "missing"
# Left behind when a render was killed between writing and renaming (see write_atomic).
TEMPORARY = re.compile(r"\..+\.tmp")


@dataclass(frozen=True)
class Catalog:
    audio_dir: Path
    manifest: Manifest
    texts: tuple[str, ...]  # every text the line speaks (ivr.core.spoken_texts)
    spoken_form: Callable[[str], str] = normalise

    @classmethod
    def load(cls, audio_dir: Path, texts: tuple[str, ...]) -> Catalog:
        return cls(audio_dir, read_manifest(audio_dir), texts)

    def state(self, text: str, voice: str | None = None) -> str:
        """``current``: a file speaks this text (with ``voice``, when given); ``stale``: the
        file speaks an older form of it or another voice; ``missing``: no file."""
        entry = self.manifest.entries.get(text)
        if entry is None or not (self.audio_dir / entry.file).is_file():
            return MISSING
        if not entry.is_current(self.spoken_form(text)):
            return STALE
        if voice is not None and entry.voice != voice:
            return STALE
        return CURRENT

    def count(self, voice: str | None = None) -> Counter[str]:
        return Counter(self.state(text, voice) for text in self.texts)

    def todo(self, voice: str) -> list[str]:
        """The texts to render for ``voice``, in the line's order."""
        return [t for t in self.texts if self.state(t, voice) != CURRENT]

    def orphans(self) -> list[str]:
        """Manifest entries for texts the line no longer speaks (an edited or removed prompt)."""
        spoken = set(self.texts)
        return sorted(t for t in self.manifest.entries if t not in spoken)

    def loose_files(self) -> list[str]:
        """Audio files (and leftover temporary files) that no manifest entry refers to."""
        if not self.audio_dir.is_dir():
            return []
        used = self.manifest.files()
        return sorted(
            p.name
            for p in self.audio_dir.iterdir()
            if p.is_file()
            and (AUDIO_NAME.fullmatch(p.name) or TEMPORARY.fullmatch(p.name))
            and p.name not in used
        )

    def coverage(self) -> str:
        """One line for ``ivr validate``: how many spoken texts have current audio."""
        counts = self.count()
        line = f"audio: {counts[CURRENT]} of {len(self.texts)} spoken texts have current audio"
        if counts[CURRENT] == len(self.texts):
            return line
        return (
            f"{line} ({counts[STALE]} stale, {counts[MISSING]} missing: they are spoken with "
            "<Say>; run 'ivr audio render' on a machine with internet and commit audio/)"
        )
