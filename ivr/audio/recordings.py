"""A recorded language's recordings: which exist, are stale or missing, and serving them.

People record a recorded language (``ivr.core.recorded`` lists the pieces it needs) in a folder
of its own beside ``audio/``: ``recordings/<code>/``. A recording is named by its piece's id and
the hash of the words it says, ``<id>.<hash>.mp3`` (or ``.wav``): when a text changes, its
recording's hash no longer matches and it is stale. ``GET /recordings/<code>/<name>`` serves the
current ones (Twilio's ``<Play>``), cached for a year like ``/audio`` (a new text, a new name).
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from flask import Blueprint, Flask, Response, abort, current_app, send_file

from ivr.audio.catalog import CURRENT, MISSING, STALE
from ivr.audio.manifest import CONTENT_TYPES
from ivr.audio.serving import ONE_YEAR
from ivr.core.recorded import Piece, RecordedSpeech
from ivr.core.translated import LineLanguage

log = logging.getLogger(__name__)
RECORDINGS = "recordings"  # the folder beside audio/, one folder per language inside
RECORDINGS_PREFIX = "/recordings"
EXTENSIONS = ("mp3", "wav")  # what Twilio's <Play> plays and volunteers can make
RECORDING_NAME = re.compile(
    rf"(?P<id>[A-Za-z0-9_.-]+)\.(?P<hash>[0-9a-f]{{12}})\.(?P<ext>{'|'.join(EXTENSIONS)})"
)
SAID_CACHED = 4096  # texts whose URLs are kept (a read-back number is a text of its own)
bp = Blueprint("recordings", __name__, url_prefix=RECORDINGS_PREFIX)


def recordings_root(audio_dir: Path) -> Path:
    """Where the recorded languages' folders are: ``recordings/`` beside ``audio/``."""
    return audio_dir.parent / RECORDINGS


@dataclass(frozen=True)
class Recording:
    """A piece a recorded language needs and its state: current, stale or missing."""

    piece: Piece
    state: str
    file: str = ""  # the current file's name; for a stale piece, its old file

    @property
    def to_make(self) -> str:
        """The file to record (or re-record): ``<id>.<hash>.mp3`` (``.wav`` does as well)."""
        return f"{self.piece.stem}.mp3"

    def __str__(self) -> str:
        return f"{self.to_make} ({self.state})"


class RecordingFolder:
    """One recorded language's folder against the pieces it needs."""

    def __init__(self, folder: Path, speech: RecordedSpeech) -> None:
        self.folder = folder
        self.speech = speech
        self._files = _recordings_in(folder)  # by id: the file names found

    @classmethod
    def of(cls, root: Path, made: LineLanguage) -> RecordingFolder:
        return cls(root / made.language.code, RecordedSpeech(made))

    def recordings(self) -> list[Recording]:
        """Every needed piece with its state, in the order of ``RecordedSpeech.pieces``."""
        return [self._state(piece) for piece in self.speech.pieces]

    def _state(self, piece: Piece) -> Recording:
        found = sorted(self._files.get(piece.id, ()))
        for name in found:
            if name.startswith(f"{piece.stem}."):
                return Recording(piece, CURRENT, name)
        if found:
            return Recording(piece, STALE, found[0])
        return Recording(piece, MISSING)

    def absent(self) -> list[Recording]:
        """The pieces without a current recording: missing, or stale (their text changed)."""
        return [found for found in self.recordings() if found.state != CURRENT]

    def coverage(self) -> str:
        """One line for ``ivr validate``: how many recordings are current, and what to do."""
        counts = Counter(found.state for found in self.recordings())
        language, total = self.speech.language, len(self.speech.pieces)
        line = f"recordings ({language.code}): {counts[CURRENT]} of {total} are current"
        if counts[CURRENT] == total:
            return line
        return (
            f"{line} ({counts[STALE]} stale, {counts[MISSING]} missing): {language.name} is "
            f"not offered until all are; 'ivr audio recordings {language.code}' lists the files"
        )

    def unused(self) -> list[str]:
        """Recordings no piece needs (a removed text's); a stale piece's old file is listed with
        the piece, not here."""
        needed = {piece.id for piece in self.speech.pieces}
        return sorted(n for i, names in self._files.items() if i not in needed for n in names)


def _recordings_in(folder: Path) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    if not folder.is_dir():
        return found
    for path in folder.iterdir():
        named = RECORDING_NAME.fullmatch(path.name)
        if named and path.is_file():
            found.setdefault(named["id"], set()).add(path.name)
    return found


def absent_recordings(root: Path) -> Callable[[LineLanguage], list[Recording]]:
    """For ``ivr.config.languages.offer_languages``: a recorded language's missing or stale
    recordings under ``root`` (``recordings_root``); it is offered only when there are none."""

    def absent(made: LineLanguage) -> list[Recording]:
        return RecordingFolder.of(root, made).absent()

    return absent


class RecordingLibrary:
    """The current recordings of the recorded languages the line offers (each a folder under
    ``root``), as URLs to play."""

    def __init__(self, root: Path, base_url: str | None) -> None:
        self.root = root
        self.base_url = base_url or ""
        self._speech: dict[str, RecordedSpeech] = {}
        self._files: dict[str, dict[str, str]] = {}  # by code: each piece's current file
        self._paths: dict[tuple[str, str], Path] = {}  # by code and file name
        # A call says the same texts again and again: each is split into its pieces once.
        self._said = lru_cache(maxsize=SAID_CACHED)(self._urls)

    def add(self, made: LineLanguage) -> Callable[[str], tuple[str, ...]]:
        """Play ``made``'s language: its ``recordings`` for the TwiML writer's ``Speaker``
        (``ivr.web.twiml``; ``build_line``'s ``recordings`` is this method)."""
        folder = RecordingFolder.of(self.root, made)
        code = made.language.code
        self._said.cache_clear()  # the language's texts or files may have changed
        self._speech[code] = folder.speech
        current = [found for found in folder.recordings() if found.state == CURRENT]
        self._files[code] = {found.piece.id: found.file for found in current}
        self._paths.update({(code, found.file): folder.folder / found.file for found in current})
        return lambda text: self.urls_for(code, text)

    def urls_for(self, code: str, text: str) -> tuple[str, ...]:
        """The URLs that say ``text`` in the language, in order; none when it cannot be said
        (logged: a text with no recording, or not made from the language's phrases)."""
        return self._said(code, str(text))

    def _urls(self, code: str, text: str) -> tuple[str, ...]:
        pieces = self._speech[code].pieces_of(text)
        files = self._files[code]
        if pieces is None or any(piece.id not in files for piece in pieces):
            log.error("%s: no recordings say a text of %d characters", code, len(text))
            return ()
        return tuple(self._url(code, files[piece.id]) for piece in pieces)

    def _url(self, code: str, name: str) -> str:
        return f"{self.base_url}{RECORDINGS_PREFIX}/{code}/{name}"

    def path(self, code: str, name: str) -> Path | None:
        """A current recording's file; None for anything else."""
        return self._paths.get((code, name))

    def init_app(self, app: Flask) -> None:
        app.extensions["ivr_recordings"] = self
        app.register_blueprint(bp)


@bp.get("/<code>/<name>")
def recording_file(code: str, name: str) -> Response:
    library: RecordingLibrary = current_app.extensions["ivr_recordings"]
    path = library.path(code, name)
    if path is None or not path.is_file():
        abort(404)
    stem, extension = name.rsplit(".", 1)
    response = send_file(
        path, mimetype=CONTENT_TYPES[extension], conditional=True, etag=stem, max_age=ONE_YEAR
    )
    response.cache_control.public = True
    response.cache_control.immutable = True
    return response
