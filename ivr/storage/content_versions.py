"""The versions of the line's content kept: drafts saved, versions published and rolled back,
old drafts forgotten (SQLAlchemy Core, in the line's ``Database``). A version as stored, and
finding one: ``ivr.storage.content_lookup``.

A version holds every file the line speaks from by its name (``ivr.core.content_files``:
``tree/markant.yaml``, ``prompts/nl.yaml``, a language's ``prompts/<code>.yaml`` and
``tree/translations/<code>.yaml``). A draft (no number) is for the web phone's preview; a
published version has the next number, 1, 2, 3 …, and the newest published one is what every
worker of the line answers from (``ivr.web.content_lines``). The repository's files are
version 1, published at the first start (``publish_repository``).

The API of the editor's pages:

- ``save_draft(files, by, note, sources) -> int``: a draft's id (``v=<id>`` in the web phone);
- ``publish(draft id or files, by, note, sources, base=N) -> ContentVersion``: the next number,
  refused (``Outdated``) when version ``base``, the files' origin, is no longer the newest;
- ``rollback(number, by) -> ContentVersion``: that version's files published again, as a new
  number that names the one it repeats (``rollback_of``);
- ``latest()``: the newest published version; ``get(id)``; ``published()``: newest first
  (``ContentLookup``, which ``ContentVersions`` extends);
- ``forget_drafts(before) -> int``: deletes drafts saved before then (``ivr purge``).

``sources`` maps a changed field, dotted as its path in the file (``nodes.acuut.help``,
``services.markant.phone``, ``welcome``), to its free-text source ("telefoontje met het Sociaal
loket, 3 dec"); a node's or service's also goes into the tree beside its ``source:``, as
``source_note:`` (``ivr.core.content_edit.with_source_notes``), so an export carries it. The
store does not check the files: callers check them first (``ivr.config.content.check_files``).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from datetime import datetime

from sqlalchemy import delete, func, insert, select
from sqlalchemy.exc import SQLAlchemyError

from ivr.core.content_edit import with_source_notes
from ivr.core.content_files import TREE, ContentFiles, files_hash
from ivr.core.errors import UsageError
from ivr.storage.content_lookup import EDITOR, REPOSITORY, ROLLBACK, ContentLookup, ContentVersion
from ivr.storage.database import Database, storage_error, utc
from ivr.storage.schema import exclusive
from ivr.storage.tables import content_versions

# pg_advisory_xact_lock key for numbering versions ("ivrc"): one publisher at a time.
PUBLISH_LOCK_KEY = 0x69767263


class Outdated(UsageError):
    """Files made from a version that is no longer the newest: a colleague published since."""

    def __init__(self, base: int, newest: int | None) -> None:
        super().__init__(f"version {newest} was published after version {base}, which these "
                         "files were made from: nothing published")  # fmt: skip
        self.base = base
        self.newest = newest


class ContentVersions(ContentLookup):
    def __init__(self, database: Database, clock: Callable[[], datetime]) -> None:
        self.database = database
        self.clock = clock

    def save_draft(
        self, files: ContentFiles, by: str, note: str = "", sources: Mapping[str, str] | None = None
    ) -> int:
        """Keep files as a draft (not heard by callers); its id."""
        row = _row(files, by, note, sources or {}, EDITOR, self.clock())
        self.database.ready()
        try:
            with self.database.engine.begin() as conn:
                return int(
                    conn.execute(insert(content_versions).values(**row)).inserted_primary_key[0]
                )
        except SQLAlchemyError as exc:
            raise storage_error("save the draft", exc) from exc

    def publish(
        self,
        draft_or_files: int | ContentFiles,
        by: str,
        note: str = "",
        sources: Mapping[str, str] | None = None,
        origin: str = EDITOR,
        base: int | None = None,
    ) -> ContentVersion:
        """Publish files (or a draft's, by its id) as the next number; the draft stays.
        ``base``: the number of the version the files were made from, which must still be the
        newest (checked under the publishing lock: else ``Outdated``, and nothing is published)."""
        if isinstance(draft_or_files, int):
            draft = self.get(draft_or_files)
            if draft is None:
                raise UsageError(f"there is no content version {draft_or_files}")
            draft_or_files = draft.files
        row = _row(draft_or_files, by, note, sources or {}, origin, self.clock())
        found = self._published(row, base=base)
        assert found is not None  # only the first start's publishing may find one there
        return found

    def rollback(self, number: int, by: str) -> ContentVersion:
        """Publish version ``number``'s files again, as a new number."""
        old = self.numbered(number)
        if old is None:
            raise UsageError(f"there is no published version {number}")
        row = _row(old.files, by, f"Terug naar versie {number}", {}, ROLLBACK, self.clock())
        found = self._published({**row, "rollback_of": number})
        assert found is not None
        return found

    def publish_repository(self, files: ContentFiles) -> ContentVersion | None:
        """The repository's files as version 1 when nothing is published yet (the first
        start; simultaneous starts publish it once); None when a version exists."""
        row = _row(files, "ivr", "De bestanden in de repository", {}, REPOSITORY, self.clock())
        return self._published(row, only_first=True)

    def at_start(self, repository: ContentFiles) -> tuple[ContentVersion, list[str]]:
        """The version a starting line answers from: the newest published one (the
        repository's files, as version 1, when there is none yet); and the names of the
        repository's files that differ from the version they were last imported from, unless
        they are a published version's (an export committed): ``ivr content import`` is the
        step that publishes them."""
        latest = self.latest()
        if latest is None:
            latest = self.publish_repository(repository) or self.latest()
        assert latest is not None  # published just now, by this start or another's
        c = content_versions.c
        exported = select(c.id).where(c.number.is_not(None), c.files_hash == files_hash(repository))
        if self._scalar(exported.limit(1), "read the content versions") is not None:
            return latest, []
        imported = self.last_imported() or latest
        names = sorted(imported.files.keys() | repository.keys())
        return latest, [n for n in names if imported.files.get(n) != repository.get(n)]

    def _published(
        self, row: dict[str, object], only_first: bool = False, base: int | None = None
    ) -> ContentVersion | None:
        self.database.ready()
        c = content_versions.c
        try:
            with exclusive(self.database.engine, PUBLISH_LOCK_KEY) as conn:
                last = conn.execute(select(func.max(c.number))).scalar()  # drafts: NULL
                if only_first and last is not None:
                    return None
                if base is not None and last != base:
                    raise Outdated(base, last)
                row = {**row, "number": (last or 0) + 1}
                made = conn.execute(insert(content_versions).values(**row)).inserted_primary_key
        except SQLAlchemyError as exc:
            raise storage_error("publish the content", exc) from exc
        return self.get(int(made[0]))

    def forget_drafts(self, before: datetime) -> int:
        """Delete the drafts saved before ``before`` (each holds every file); how many.
        Published versions are never deleted."""
        c = content_versions.c
        self.database.ready()
        try:
            with self.database.engine.begin() as conn:
                gone = conn.execute(
                    delete(content_versions).where(c.number.is_(None), c.at < utc(before))
                )
        except SQLAlchemyError as exc:
            raise storage_error("delete old drafts", exc) from exc
        return int(gone.rowcount)


def _row(
    files: ContentFiles,
    by: str,
    note: str,
    sources: Mapping[str, str],
    origin: str,
    now: datetime,
) -> dict[str, object]:
    kept = dict(files)
    if TREE in kept and sources:
        kept[TREE] = with_source_notes(kept[TREE], dict(sources))
    return {
        "at": utc(now),
        "author": by,
        "note": note,
        "sources": json.dumps(dict(sources), ensure_ascii=False),
        "files": json.dumps(kept, ensure_ascii=False),
        "files_hash": files_hash(kept),
        "origin": origin,
    }
