"""Which content version a starting line answers from, and which one the editor shows.

The line answers from the newest published version (``ivr.storage.content_versions``). A
deploy's code may refuse a version published before it (a new required prompt that version
lacks). Then, at start:

1. when the newest version fails only because it lacks what the repository's files have (a
   prompt or translation key, a language's file), it is completed from them
   (``ivr.core.content_completion``) and published as a new version by "bij de start", with a
   note that says what was added (logged at WARNING). Workers that start at once publish it
   once (``base``: the others find it published).
2. when it still fails, every worker answers from the same content: the newest of the last
   ``LOOKED_AT`` published versions that passes today's checks, else the repository's files
   (``usable``), and the editor's list page says what is wrong and how to repair it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ivr.config.content import Content, check_files
from ivr.core.content_completion import completed
from ivr.core.content_files import ContentFiles, files_hash
from ivr.core.errors import IvrError
from ivr.storage.content_lookup import ContentVersion
from ivr.storage.content_versions import ContentVersions, Outdated
from ivr.web.content_lines import FIRST, LOOKED_AT

log = logging.getLogger(__name__)
COMPLETED_BY = "bij de start"

# Today's problems of a version's files (none: the line can answer from them).
Problems = Callable[[ContentFiles], list[str]]


@dataclass(frozen=True)
class Usable:
    """The version the line answers from (None: the repository's files), the newest
    published one, and the newest one's problems when it is not the one answering."""

    version: ContentVersion | None
    newest: ContentVersion | None
    problems: list[str] = field(default_factory=list)


def usable(versions: ContentVersions, problems_of: Problems) -> Usable:
    """The newest published version when it passes today's checks; else the newest of the
    last ``LOOKED_AT`` that does (else None: the repository's files). The same on every
    worker: it depends on the versions and the code alone."""
    newest = versions.latest()
    if newest is None:
        return Usable(None, None)
    problems = problems_of(newest.files)
    if not problems:
        return Usable(newest, newest)
    for older in versions.published(LOOKED_AT):
        if older.id != newest.id and not problems_of(older.files):
            return Usable(older, newest, problems)
    return Usable(None, newest, problems)


def version_at_start(
    versions: ContentVersions,
    repository: ContentFiles,
    paths: Mapping[str, str],
    shared_dir: Path | None,
    reads_only: bool,
    repository_content: Content | None = None,
) -> tuple[ContentVersion | None, int | None, Content | None]:
    """The version a starting line answers from (``usable``; the repository's files become
    version 1 when none is published, and complete the newest when it lacks what they have),
    version 1's id (the version of URLs without ``v``), and the version's content, checked.
    A start whose repository files changed since they were last imported warns, and answers
    from the published version all the same: ``ivr content import`` is the explicit step
    that publishes them. ``reads_only``: a simulated line (the web phone's) reads the
    versions and publishes nothing. (None, None, None) when the database cannot say (the
    line then answers from the repository's files). ``repository_content``: the repository's
    files checked already."""
    checked: dict[str, tuple[Content | None, list[str]]] = {}
    if repository_content is not None:
        checked[files_hash(repository)] = (repository_content, [])

    def problems_of(files: ContentFiles) -> list[str]:
        key = files_hash(files)
        if key not in checked:
            checked[key] = check_files(files, shared_dir)
        return checked[key][1]

    changed: list[str] = []
    try:
        if not reads_only:
            changed = versions.at_start(repository)[1]
            _complete(versions, repository, problems_of)
        found = usable(versions, problems_of)
        version = found.version
        first = versions.id_of(FIRST) if version and version.number != FIRST else None
    except IvrError as exc:
        log.error("content versions not read at start (%s): the repository's files answer", exc)
        return None, None, None
    if found.problems and found.newest is not None:
        log.error(
            "CONTENT: published version %s does not pass this deploy's checks (%s); every "
            "worker answers from %s. Repair: 'ivr content export DIR', correct the files, "
            "'ivr content import' them (the editor's list page says the same).",
            found.newest.number,
            "; ".join(found.problems),
            f"version {version.number}" if version else "the repository's files",
        )
    if changed and version is not None:
        files = " ".join(paths.get(name, name) for name in changed)
        log.warning(
            "CONTENT: the repository's %s changed since version %s was imported; the line "
            "answers from published version %s (edits at /staff/content are kept). Publish "
            "the repository's files with 'ivr content import %s' ('ivr content export DIR' "
            "writes the published version to compare).",
            ", ".join(changed),
            (versions.last_imported() or version).number,
            version.number,
            files,
        )
    first = version.id if version and version.number == FIRST else first
    return version, first, checked[version.files_hash][0] if version else None


def _complete(versions: ContentVersions, repository: ContentFiles, problems_of: Problems) -> None:
    """The newest version completed from the repository's files and published, when that is
    all it lacks to pass."""
    newest = versions.latest()
    if newest is None or not problems_of(newest.files):
        return
    files, added = completed(newest.files, repository)
    if not added or problems_of(files):
        return
    note = "Aangevuld uit de bestanden van de repository (de nieuwe software vraagt ze): "
    try:
        made = versions.publish(files, COMPLETED_BY, note + "; ".join(added), base=newest.number)
    except Outdated:
        return  # another worker's start (or an editor) published first: usable() reads it
    log.warning(
        "CONTENT: published version %s lacked what this deploy needs; version %s adds it from "
        "the repository's files: %s",
        newest.number,
        made.number,
        "; ".join(added),
    )
