"""``ivr content export [DIR]`` and ``ivr content import FILE...``: git stays the record.

The line answers from the newest published content version (``ivr.storage.content_versions``),
which editors change at /staff/content. ``export`` writes that version as the same YAML files
the repository has (into the checkout, or into DIR), for review and a commit. ``import``
publishes files as a new version after the checks the line makes at start: the tree and the
prompts must pass (else nothing is published); a language whose translations are incomplete is
named, as at start. A file not given is the published version's.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import click

from ivr.audio.recordings import absent_recordings, recordings_root
from ivr.cli.db import checked_database
from ivr.config.content import check_files, file_path, repository_files
from ivr.config.languages import offer_languages
from ivr.config.settings import Settings
from ivr.core.content_diff import differences
from ivr.core.content_files import DUTCH_PROMPTS, TREE, file_order, files_hash, kind_of
from ivr.core.errors import TreeError, UsageError
from ivr.core.hours import AMSTERDAM
from ivr.storage.content_lookup import IMPORT
from ivr.storage.content_versions import ContentVersions

IMPORTED_BY = "ivr content import"


@click.group("content")
def content() -> None:
    """The line's content versions: the published one as files, files as a new version."""


@content.command("export")
@click.argument("folder", required=False, type=click.Path(file_okay=False, path_type=Path))
def export(folder: Path | None) -> None:
    """Write the published version's files: into the checkout (where the line reads its tree
    and prompts), or into FOLDER as tree/… and prompts/…."""
    with checked_database() as (settings, database):
        latest = ContentVersions(database, lambda: datetime.now(UTC)).latest()
    if latest is None:
        raise UsageError("no version is published yet: the line publishes its files at start")
    for name in sorted(latest.files, key=file_order):
        path = (
            folder / name if folder else file_path(name, settings.tree_path, settings.prompts_path)
        )
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(latest.files[name], encoding="utf-8")
        click.echo(f"{path}")
    click.echo(
        f"version {latest.number} ({latest.by}, "
        f"{latest.at.astimezone(AMSTERDAM):%Y-%m-%d %H:%M}): {len(latest.files)} files written"
    )


@content.command("import")
@click.argument(
    "files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option("--note", default="", help="Why: kept with the version.")
def import_files(files: tuple[Path, ...], note: str) -> None:
    """Publish FILES (tree/markant.yaml, prompts/<code>.yaml, tree/translations/<code>.yaml)
    as a new version, after the checks the line makes at start."""
    with checked_database() as (settings, database):
        given = {content_name(path, settings): _read(path) for path in files}
        shown = {content_name(path, settings): str(path) for path in files}
        versions = ContentVersions(database, lambda: datetime.now(UTC))
        latest = versions.latest()
        before = (
            latest.files
            if latest is not None
            else repository_files(settings.tree_path, settings.prompts_path)
        )
        merged = {**before, **given}
        checked, problems = check_files(merged, settings.shared_dir, shown)
        if checked is None:
            raise TreeError(problems)
        missing = absent_recordings(recordings_root(settings.audio_dir))
        for warning in offer_languages(checked, settings, missing, merged)[1]:
            click.echo(f"Warning: {warning}", err=True)
        if latest is not None and files_hash(merged) == latest.files_hash:
            click.echo(f"the files are published version {latest.number}: nothing to publish")
            return
        published = versions.publish(merged, IMPORTED_BY, note or IMPORTED_BY, origin=IMPORT)
    changes = differences(before, published.files)
    click.echo(f"version {published.number} published, {len(changes)} changes:")
    for change in changes:
        click.echo(f"  {change}")


def content_name(path: Path, settings: Settings) -> str:
    """A file's name in a version: by where it lies (``…/prompts/en.yaml``), or the tree and
    prompts files the line reads (IVR_TREE, IVR_PROMPTS)."""
    resolved = path.resolve()
    if resolved == settings.tree_path.resolve():
        return TREE
    if resolved == settings.prompts_path.resolve():
        return DUTCH_PROMPTS
    for parts in (3, 2):
        name = "/".join(resolved.parts[-parts:])
        if kind_of(name) is not None:
            return name
    raise UsageError(
        f"{path} is not a content file: give tree/markant.yaml, prompts/<code>.yaml or "
        "tree/translations/<code>.yaml, as 'ivr content export' writes them"
    )


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"{path}: cannot be read as UTF-8 text ({exc})") from exc
