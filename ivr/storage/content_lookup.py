"""Finding the line's content versions as stored: a version (``ContentVersion``: its files,
who, when, why, from what sources, how it came), the newest published one, one by its id or
number, the published ones newest first, the last one imported from the repository's files.

``ContentLookup`` is what ``ivr.storage.content_versions.ContentVersions`` (drafts, publishing,
rollbacks) reads with; every caller uses ``ContentVersions``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.engine import Row
from sqlalchemy.exc import SQLAlchemyError

from ivr.core.content_files import ContentFiles
from ivr.storage.database import Database, storage_error, utc
from ivr.storage.tables import content_versions

# How a version came: the repository's files at the first start, ``ivr content import``, the
# editor's pages, a rollback.
REPOSITORY, IMPORT, EDITOR, ROLLBACK = "repository", "import", "editor", "rollback"
IMPORTED = (REPOSITORY, IMPORT)  # versions made from files, as the repository has them


@dataclass(frozen=True)
class ContentVersion:
    id: int
    number: int | None  # None: a draft
    at: datetime  # when it was saved (a draft) or published
    by: str
    note: str
    sources: Mapping[str, str]  # a changed field (dotted path) -> its free-text source
    files: ContentFiles
    files_hash: str
    origin: str  # REPOSITORY, IMPORT, EDITOR or ROLLBACK
    rollback_of: int | None = None  # the number a rollback published again

    @property
    def draft(self) -> bool:
        return self.number is None


class ContentLookup:
    """The reading side of the content versions (``ContentVersions`` extends it)."""

    database: Database

    def latest(self) -> ContentVersion | None:
        """The newest published version; None before the first start published any."""
        found = self.latest_id()
        return None if found is None else self.get(found)

    def latest_id(self) -> int | None:
        """The id of the newest published version: one small query (workers ask often)."""
        c = content_versions.c
        query = select(c.id).where(c.number.is_not(None)).order_by(c.number.desc()).limit(1)
        return self._scalar(query, "read the newest content version")

    def get(self, version_id: int) -> ContentVersion | None:
        """A version (a draft or a published one) by its id."""
        found = self._versions(select(content_versions).where(content_versions.c.id == version_id))
        return found[0] if found else None

    def numbered(self, number: int) -> ContentVersion | None:
        found = self.id_of(number)
        return None if found is None else self.get(found)

    def id_of(self, number: int) -> int | None:
        """The id of published version ``number``."""
        query = select(content_versions.c.id).where(content_versions.c.number == number)
        return self._scalar(query, "read a content version")

    def published(self, limit: int | None = None) -> list[ContentVersion]:
        """The published versions, newest first."""
        c = content_versions.c
        query = select(content_versions).where(c.number.is_not(None)).order_by(c.number.desc())
        return self._versions(query.limit(limit) if limit else query)

    def last_imported(self) -> ContentVersion | None:
        """The newest version made from the repository's files (its first start's, or
        ``ivr content import``'s)."""
        c = content_versions.c
        query = (
            select(content_versions)
            .where(c.number.is_not(None), c.origin.in_(IMPORTED))
            .order_by(c.number.desc())
            .limit(1)
        )
        found = self._versions(query)
        return found[0] if found else None

    def _scalar(self, query: object, what: str) -> int | None:
        self.database.ready()
        try:
            with self.database.engine.connect() as conn:
                found = conn.execute(query).scalar()  # type: ignore[call-overload]
        except SQLAlchemyError as exc:
            raise storage_error(what, exc) from exc
        return None if found is None else int(found)

    def _versions(self, query: object) -> list[ContentVersion]:
        self.database.ready()
        try:
            with self.database.engine.connect() as conn:
                return [_from_row(row) for row in conn.execute(query)]  # type: ignore[call-overload]
        except SQLAlchemyError as exc:
            raise storage_error("read the content versions", exc) from exc


def _from_row(row: Row[object]) -> ContentVersion:
    m = row._mapping
    return ContentVersion(
        id=int(m["id"]),
        number=m["number"],
        at=utc(m["at"]),
        by=m["author"],
        note=m["note"],
        sources=json.loads(m["sources"]),
        files=json.loads(m["files"]),
        files_hash=m["files_hash"],
        origin=m["origin"],
        rollback_of=m["rollback_of"],
    )
