"""The audio folder's manifest (``audio/manifest.json``): which file speaks which text.

A file is named by a hash of what it sounds like: the normalised text, the engine and its voice
settings. An edited prompt therefore gets a new file (and URL); an unchanged one keeps its file.
Every write is atomic (temporary file, then ``os.replace``): no half files after a crash or ^C.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ivr.core.errors import AudioError

MANIFEST = "manifest.json"
FORMAT = 1
# What a rendered file is called; nothing else in the folder is ever served or pruned.
AUDIO_NAME = re.compile(r"[0-9a-f]{20}\.(mp3|wav)")
CONTENT_TYPES = {"mp3": "audio/mpeg", "wav": "audio/wav"}


def audio_name(spoken: str, voice: str, extension: str) -> str:
    """The file name for ``spoken`` text rendered with ``voice``: 20 hex digits and extension."""
    digest = hashlib.sha256(f"{voice}\n{spoken}".encode()).hexdigest()
    return f"{digest[:20]}.{extension}"


@dataclass(frozen=True)
class Entry:
    file: str
    spoken: str  # the normalised text the file was rendered from
    voice: str  # engine and voice settings, e.g. "gtts lang=nl tld=com slow=no"

    def is_current(self, spoken: str) -> bool:
        """True when this entry's file speaks ``spoken`` (its name matches the hash)."""
        extension = self.file.rsplit(".", 1)[-1]
        return self.spoken == spoken and self.file == audio_name(spoken, self.voice, extension)


@dataclass(frozen=True)
class Manifest:
    entries: dict[str, Entry] = field(default_factory=dict)  # prompt text → its audio

    def with_entry(self, text: str, entry: Entry) -> Manifest:
        return Manifest({**self.entries, text: entry})

    def only(self, texts: set[str]) -> Manifest:
        return Manifest({t: e for t, e in self.entries.items() if t in texts})

    def files(self) -> set[str]:
        return {e.file for e in self.entries.values()}

    def to_json(self) -> str:
        prompts = {
            text: {"file": e.file, "spoken": e.spoken, "voice": e.voice}
            for text, e in sorted(self.entries.items())
        }
        body = {"format": FORMAT, "prompts": prompts}
        return json.dumps(body, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def parse_manifest(text: str, where: str) -> Manifest:
    try:
        raw = json.loads(text)
        if raw.get("format") != FORMAT:
            raise ValueError(f"format {raw.get('format')!r} is not {FORMAT}")
        entries = {
            str(t): Entry(str(e["file"]), str(e["spoken"]), str(e["voice"]))
            for t, e in raw["prompts"].items()
        }
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise AudioError(
            f"{where}: not a usable audio manifest ({exc}); delete it and run 'ivr audio render'"
        ) from exc
    for entry in entries.values():
        if not AUDIO_NAME.fullmatch(entry.file):
            raise AudioError(f"{where}: {entry.file!r} is not an audio file name; render again")
    return Manifest(entries)


def read_manifest(audio_dir: Path) -> Manifest:
    """The manifest in ``audio_dir``; empty when there is none yet."""
    path = audio_dir / MANIFEST
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Manifest()
    except OSError as exc:
        raise AudioError(f"{path}: cannot read the audio manifest ({exc.strerror})") from exc
    except UnicodeDecodeError as exc:
        raise AudioError(
            f"{path}: not a usable audio manifest (not UTF-8); delete it and run 'ivr audio render'"
        ) from exc
    return parse_manifest(text, str(path))


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that readers see the old file or the new one, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_manifest(audio_dir: Path, manifest: Manifest) -> None:
    write_atomic(audio_dir / MANIFEST, manifest.to_json().encode("utf-8"))
