"""Serving rendered audio to Twilio, and choosing ``<Play>`` or ``<Say>`` for each text.

``GET /audio/<name>`` serves only files named in the manifest, with a year-long immutable cache
(a file's name changes when its sound does), an ETag and conditional GET, so Twilio's media cache
fetches each file once. Not signature-checked: Twilio fetches media with a plain GET.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from pathlib import Path

from flask import Blueprint, Flask, Response, abort, current_app, send_file

from ivr.audio.manifest import CONTENT_TYPES, Manifest, read_manifest
from ivr.core.errors import AudioError
from ivr.core.normalise import normalise

log = logging.getLogger(__name__)
AUDIO_PREFIX = "/audio"
ONE_YEAR = 365 * 24 * 3600
bp = Blueprint("audio", __name__, url_prefix=AUDIO_PREFIX)


class AudioLibrary:
    """The audio that may be played: manifest entries whose file speaks the current text."""

    def __init__(
        self,
        audio_dir: Path,
        manifest: Manifest,
        base_url: str | None,
        spoken_form: Callable[[str], str] = normalise,
    ) -> None:
        self.audio_dir = audio_dir
        self.base_url = base_url or ""
        self._spoken_form = spoken_form
        self._files = manifest.files()
        self._current = {
            text: entry.file
            for text, entry in manifest.entries.items()
            if entry.is_current(spoken_form(text))
        }

    @classmethod
    def load(cls, audio_dir: Path, base_url: str | None) -> AudioLibrary:
        """The library in ``audio_dir``; an unusable manifest means no audio, not a dead line."""
        try:
            manifest = read_manifest(audio_dir)
        except AudioError as exc:
            log.error("no pre-rendered audio, every prompt uses <Say>: %s", exc)
            manifest = Manifest()
        return cls(audio_dir, manifest, base_url)

    def audio_for(self, text: str) -> str | None:
        """An absolute URL to ``<Play>`` for ``text``, or None for ``<Say>``."""
        name = self._current.get(text)
        if name is None:
            return None
        path = self.audio_dir / name
        if not (path.is_file() and os.access(path, os.R_OK)):
            log.warning("audio file %s is missing or unreadable; speaking with <Say>", name)
            return None
        return f"{self.base_url}{AUDIO_PREFIX}/{name}"

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
