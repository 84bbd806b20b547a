"""The content editor's part of the console: who may edit, and the published content checked
(a draft of it: ``ivr.web.staff.drafts``).

An editor changes one item at a time (a question, an advice, a prompt, a service): the posted
fields are written into the newest published files (``ivr.core.content_edit``: comments kept),
and the result is checked by the same checks as at start (``ivr.core.content_findings`` per
field in plain Dutch, then the tree's and the prompts' own check) before it is kept as a draft
or published (``ivr.storage.content_versions``).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from functools import wraps
from pathlib import Path
from typing import Any

from flask import Flask, Response, current_app, g, url_for

from ivr.config.content import check_files, known_sources
from ivr.core.content_fields import (
    OFFERING,
    PROMPT,
    QUESTION,
    Item,
    items,
)
from ivr.core.content_files import DUTCH_PROMPTS, TREE, ContentFiles, files_hash
from ivr.core.errors import StorageError
from ivr.core.hours import ServiceHours
from ivr.core.prompts import Prompts
from ivr.core.tree_model import Tree
from ivr.storage.content_versions import ContentVersions
from ivr.web.content_start import usable
from ivr.web.staff import bp, console, wording


@bp.context_processor
def _is_editor() -> dict[str, object]:
    """Whether the menu offers the editor's pages (not while the database fails: the page that
    says so must still show)."""
    staff = g.get("staff")
    try:
        return {"is_editor": staff is not None and console().accounts.is_editor(staff)}
    except StorageError:
        return {"is_editor": False}


def editors_only(view: Callable[..., Response]) -> Callable[..., Response]:
    """A view for editors only (``refused``)."""

    @wraps(view)
    def guarded(*args: Any, **kwargs: Any) -> Response:
        return refused() or view(*args, **kwargs)

    return guarded


def item_url(item: Item, **args: Any) -> str:
    """The page that edits ``item``."""
    if item.kind in (QUESTION, OFFERING):
        return url_for("staff.edit_node", node_id=item.id, **args)
    if item.kind == PROMPT:
        return url_for("staff.edit_prompt", key=item.id, **args)
    return url_for("staff.edit_service", service_id=item.id, **args)


@dataclass(frozen=True)
class Editor:
    versions: ContentVersions
    env: Mapping[str, str]  # the settings that win over the content (MARKANT_HOURS …)
    shared_dir: Path | None  # seeds and notes: the sources an editor may choose
    repository: ContentFiles  # the repository's files: when no published version passes
    hours: Callable[[Tree], Mapping[str, ServiceHours]]  # each service's, as the line has them


def editor() -> Editor:
    found: Editor = current_app.extensions["ivr_content_editor"]
    return found


def refused() -> Response | None:
    """None for an editor; a helpdesk worker gets a page that says why not (403)."""
    if console().accounts.is_editor(g.staff):
        return None
    return wording.page("staff/not_editor.html", 403, view="content")


@dataclass(frozen=True)
class Checked:
    """Content files read and checked: the tree and prompts when usable, the problems, and
    what an editor can change in them (``items``, in the order a caller meets them)."""

    files: ContentFiles
    tree: Tree | None
    prompts: Prompts | None
    problems: list[str]
    items: tuple[Item, ...] = ()
    # published(): the newest version's number (a publish's base); when it fails today's
    # checks, its problems and the number of the version these files are (None: the
    # repository's files), the one the line answers from (ivr.web.content_start)
    newest: int | None = None
    newest_problems: tuple[str, ...] = ()
    answering: int | None = None


# Files checked, by their hash: a version's files never change, and every page of the editor
# reads the newest version (the tree's check takes some 100 ms).
_CHECKED: OrderedDict[str, Checked] = OrderedDict()
_KEPT = 8
_lock = threading.Lock()


def check(files: ContentFiles) -> Checked:
    """The files checked as the line checks them at start (``check_files``)."""
    key = f"{files_hash(files)} {editor().shared_dir}"
    with _lock:
        found = _CHECKED.get(key)
        if found is not None:
            _CHECKED.move_to_end(key)
            return found
    content, problems = check_files(files, editor().shared_dir)
    if content is None:
        found = Checked(files, None, None, problems)
    else:
        listed = items(content.tree, files[TREE], files[DUTCH_PROMPTS])
        found = Checked(files, content.tree, content.prompts, problems, tuple(listed))
    with _lock:
        _CHECKED[key] = found
        while len(_CHECKED) > _KEPT:
            _CHECKED.popitem(last=False)
    return found


def published() -> Checked:
    """The newest published version, checked (the line published the repository's files as
    version 1 at its first start); when it fails today's checks, the version the line answers
    from (``usable``), with the newest one's problems: an edit of it publishes content that
    passes again."""
    found = usable(editor().versions, lambda files: check(files).problems)
    if found.newest is None:
        raise StorageError("no content version is published yet: start the line once")
    if not found.problems:
        return replace(check(found.newest.files), newest=found.newest.number)
    files = found.version.files if found.version else editor().repository
    return replace(
        check(files),
        newest=found.newest.number,
        newest_problems=tuple(found.problems),
        answering=found.version.number if found.version else None,
    )


def all_items(content: Checked) -> list[Item]:
    return list(content.items)


def item_in(content: Checked, kind: str, key: str) -> Item | None:
    return next((i for i in content.items if (i.kind, i.id) == (kind, key)), None)


def sources(content: Checked) -> list[str]:
    """The sources an editor may choose: the seed files and notes, and every source the
    content names already (a deployed line has no seed folder)."""
    named = {
        part.strip()
        for item in all_items(content)
        for part in item.source.split(",")
        if part.strip()
    }
    return sorted(named | known_sources(editor().shared_dir))


def overrides(item: Item) -> dict[str, str]:
    """The item's fields an environment setting overrides: field name -> the setting's name."""
    env = editor().env
    return {f.name: f.setting for f in item.fields if f.setting and env.get(f.setting)}


def init_app(
    app: Flask,
    versions: ContentVersions,
    env: Mapping[str, str],
    shared_dir: Path | None,
    repository: ContentFiles,
    hours: Callable[[Tree], Mapping[str, ServiceHours]],
) -> None:
    """The editor's pages on ``app`` (after ``ivr.web.staff.init_app``)."""
    app.extensions["ivr_content_editor"] = Editor(versions, env, shared_dir, repository, hours)
