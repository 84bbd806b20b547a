"""Render the texts that have no current audio; prune what the line no longer uses.

gTTS is throttled (a pause between texts) and transient failures (429, 5xx, no connection) are
retried with exponential backoff. A text that still fails is reported; every text that succeeded
is already in the manifest, which is written after each file.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, field

from ivr.audio.catalog import CURRENT, Catalog
from ivr.audio.engines import Engine, SynthesisError
from ivr.audio.manifest import Entry, audio_name, write_atomic, write_manifest

Progress = Callable[[list[str]], AbstractContextManager[Iterable[str]]]


@dataclass(frozen=True)
class Failure:
    text: str
    reason: str


@dataclass
class RenderReport:
    rendered: list[str] = field(default_factory=list)  # synthesised now
    reused: list[str] = field(default_factory=list)  # same sound as a file already there
    current: int = 0  # already up to date, not touched
    failures: list[Failure] = field(default_factory=list)
    not_tried: list[str] = field(default_factory=list)  # after too many failures in a row


@contextlib.contextmanager
def _no_progress(items: list[str]) -> Iterator[Iterable[str]]:
    yield items


class Renderer:
    def __init__(
        self,
        catalog: Catalog,
        engine: Engine,
        sleep: Callable[[float], None] = time.sleep,
        attempts: int = 5,
        backoff: float = 2.0,
        give_up_after: int = 3,
    ) -> None:
        self.catalog = catalog
        self.engine = engine
        self.sleep = sleep
        self.attempts = attempts
        self.backoff = backoff
        self.give_up_after = give_up_after  # failed texts in a row (no internet, no binary)

    def render(self, progress: Progress = _no_progress) -> RenderReport:
        catalog, engine = self.catalog, self.engine
        todo = catalog.todo(engine.voice)
        report = RenderReport(current=len(catalog.texts) - len(todo))
        manifest = catalog.manifest
        synthesised = failed_in_a_row = 0
        with progress(todo) as texts:
            for text in texts:
                if failed_in_a_row >= self.give_up_after:
                    report.not_tried.append(text)
                    continue
                spoken = catalog.spoken_form(text)
                name = audio_name(spoken, engine.voice, engine.extension)
                path = catalog.audio_dir / name
                if path.is_file():
                    report.reused.append(text)
                else:
                    if synthesised and engine.min_interval:
                        self.sleep(engine.min_interval)
                    synthesised += 1
                    try:
                        write_atomic(path, self._synthesise(spoken))
                    except SynthesisError as exc:
                        report.failures.append(Failure(text, exc.message))
                        failed_in_a_row += 1
                        continue
                    report.rendered.append(text)
                    failed_in_a_row = 0
                manifest = manifest.with_entry(text, Entry(name, spoken, engine.voice))
                write_manifest(catalog.audio_dir, manifest)
        return report

    def _synthesise(self, spoken: str) -> bytes:
        for attempt in range(self.attempts):
            try:
                return self.engine.synthesise(spoken)
            except SynthesisError as exc:
                if not exc.transient:
                    raise
                if attempt == self.attempts - 1:
                    tries = f"{exc.message} (gave up after {self.attempts} tries)"
                    raise SynthesisError(tries, transient=True) from exc
                self.sleep(self.backoff * 2**attempt)
        raise AssertionError("unreachable")  # pragma: no cover


@dataclass(frozen=True)
class PruneReport:
    entries: list[str]  # texts dropped from the manifest
    files: list[str]  # files deleted


def prune(catalog: Catalog) -> PruneReport:
    """Drop manifest entries the line cannot use, then delete files nothing refers to."""
    keep = {t for t in catalog.texts if catalog.state(t) == CURRENT}
    dropped = sorted(set(catalog.manifest.entries) - keep)
    manifest = catalog.manifest.only(keep)
    if dropped:
        write_manifest(catalog.audio_dir, manifest)
    after = Catalog(catalog.audio_dir, manifest, catalog.texts, catalog.spoken_form)
    files = after.loose_files()
    for name in files:
        (catalog.audio_dir / name).unlink(missing_ok=True)
    return PruneReport(dropped, files)
