"""Serving rendered audio to Twilio, and choosing ``<Play>`` or ``<Say>`` for each text.

``GET /audio/<name>`` serves only files named in the manifest, with a year-long immutable cache
(a file's name changes when its sound does), an ETag and conditional GET, so Twilio's media cache
fetches each file once. Not signature-checked: Twilio fetches media with a plain GET.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

from flask import Blueprint, Flask, Response, abort, current_app, send_file

from ivr.audio.manifest import CONTENT_TYPES, MANIFEST, Manifest, read_manifest
from ivr.core.errors import AudioError
from ivr.core.normalise import normalise

log = logging.getLogger(__name__)
AUDIO_PREFIX = "/audio"
ONE_YEAR = 365 * 24 * 3600
RECHECK_SECONDS = 10.0  # how often the files and the manifest are checked again
Stamp = tuple[int, int, int]  # the manifest file's mtime (ns), size and inode
bp = Blueprint("audio", __name__, url_prefix=AUDIO_PREFIX)


class AudioLibrary:
    """The audio that may be played: manifest entries whose file speaks the current text.

    Files are checked when the library is made and again every ``RECHECK_SECONDS`` (the
    manifest re-read when it changed), never per request: ``audio_for`` is a lookup.
    ``generation()`` counts the changes, so TwiML kept with ``<Play>`` is dropped when a file
    is lost or the manifest changes.
    """

    def __init__(
        self,
        audio_dir: Path,
        manifest: Manifest,
        base_url: str | None,
        spoken_form: Callable[[str], str] = normalise,
        stamp: Stamp | None = None,
    ) -> None:
        self.audio_dir = audio_dir
        self.base_url = base_url or ""
        self._spoken_form = spoken_form
        self._stamp = stamp  # the manifest file's, when it was read from one
        self._use(manifest)
        self._missing: set[str] = set()
        self._urls = self._playable()
        self._generation = 0
        self._lock = threading.Lock()
        self._next_check = time.monotonic() + RECHECK_SECONDS

    @classmethod
    def load(cls, audio_dir: Path, base_url: str | None) -> AudioLibrary:
        """The library in ``audio_dir``; an unusable manifest means no audio, not a dead line."""
        stamp = _stamp(audio_dir / MANIFEST)
        return cls(audio_dir, _read(audio_dir), base_url, stamp=stamp)

    def _use(self, manifest: Manifest) -> None:
        self._files = manifest.files()
        self._current = {
            text: entry.file
            for text, entry in manifest.entries.items()
            if entry.is_current(self._spoken_form(text))
        }

    def _playable(self) -> dict[str, str]:
        """URL per text whose file is there to play; a missing file is logged once."""
        urls = {}
        for text, name in self._current.items():
            path = self.audio_dir / name
            if path.is_file() and os.access(path, os.R_OK):
                urls[text] = f"{self.base_url}{AUDIO_PREFIX}/{name}"
                self._missing.discard(name)
            elif name not in self._missing:
                self._missing.add(name)
                log.warning("audio file %s is missing or unreadable; speaking with <Say>", name)
        return urls

    def generation(self) -> int:
        """Changes so far to what is played; checks the folder when ``RECHECK_SECONDS`` passed."""
        now = time.monotonic()
        if now >= self._next_check and self._lock.acquire(blocking=False):
            try:
                self._next_check = now + RECHECK_SECONDS
                self.recheck()
            finally:
                self._lock.release()
        return self._generation

    def recheck(self) -> None:
        """Re-read the manifest if it changed and check every file again."""
        stamp = _stamp(self.audio_dir / MANIFEST)
        if stamp != self._stamp:
            self._stamp = stamp
            self._use(_read(self.audio_dir))
        urls = self._playable()
        if urls != self._urls:
            self._urls = urls
            self._generation += 1

    def audio_for(self, text: str) -> str | None:
        """An absolute URL to ``<Play>`` for ``text``, or None for ``<Say>``."""
        return self._urls.get(text)

    def text_of(self, url: str) -> str:
        """What a ``<Play>`` URL of this line says (as spoken), or "" for any other URL."""
        for text, name in self._current.items():
            if url == f"{self.base_url}{AUDIO_PREFIX}/{name}":
                return self._spoken_form(text)
        return ""

    def path(self, name: str) -> Path | None:
        """The file for a name in the manifest; None for anything else."""
        return self.audio_dir / name if name in self._files else None

    def init_app(self, app: Flask) -> None:
        app.extensions["ivr_audio"] = self
        app.register_blueprint(bp)


def _stamp(path: Path) -> Stamp | None:
    try:
        found = path.stat()
    except OSError:
        return None
    return found.st_mtime_ns, found.st_size, found.st_ino


def _read(audio_dir: Path) -> Manifest:
    try:
        return read_manifest(audio_dir)
    except AudioError as exc:
        log.error("no pre-rendered audio, every prompt uses <Say>: %s", exc)
        return Manifest()


@bp.get("/<name>")
def audio_file(name: str) -> Response:
    library: AudioLibrary = current_app.extensions["ivr_audio"]
    path = library.path(name)
    if path is None or not path.is_file():
        abort(404)
    stem, extension = name.rsplit(".", 1)
    response = send_file(
        path,
        mimetype=CONTENT_TYPES[extension],
        conditional=True,
        etag=stem,  # the content hash: the same on every server, unlike mtime
        max_age=ONE_YEAR,
    )
    response.cache_control.public = True
    response.cache_control.immutable = True
    return response
