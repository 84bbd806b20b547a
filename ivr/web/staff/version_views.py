"""The content's versions (``/staff/content/versions``): who published what, when and why,
with what changed from the version before; any earlier version can be published again.

Rolling back posts ``version`` (its number) and ``action=rollback``: that version's files are
published again as a new version (nothing is ever removed from the history).
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from flask import Response, flash, g, redirect, request, url_for

from ivr.core.content_diff import differences
from ivr.core.content_files import version_number
from ivr.storage.content_lookup import ContentVersion
from ivr.web.staff import bp, wording
from ivr.web.staff.editor import editor, editors_only

SHOWN = 50  # the newest versions listed


@bp.get("/content/versions")
@editors_only
def versions() -> Response:
    found = editor().versions.published(SHOWN + 1)[::-1]  # oldest first
    listed = []
    for before, version in zip([None, *found], found, strict=False):
        listed.append((version, _changes(before, version) if before is not None else []))
    listed.reverse()
    if len(listed) > SHOWN:  # the oldest shown is there to compare with
        listed.pop()
    return wording.page(
        "staff/content_versions.html",
        view="content",
        listed=listed[:SHOWN],
        total=found[-1].number if found else 0,  # numbered 1, 2, 3 …
        newest=found[-1].number if found else None,
    )


# What changed from one version to the next, by their ids: versions never change.
_CHANGES: OrderedDict[tuple[int, int], list[str]] = OrderedDict()
_lock = threading.Lock()


def _changes(before: ContentVersion, version: ContentVersion) -> list[str]:
    key = (before.id, version.id)
    with _lock:
        if key in _CHANGES:
            return _CHANGES[key]
    found = [str(change) for change in differences(before.files, version.files)]
    with _lock:
        _CHANGES[key] = found
        while len(_CHANGES) > 2 * SHOWN:
            _CHANGES.popitem(last=False)
    return found


@bp.post("/content/versions")
@editors_only
def rollback() -> Response:
    wanted = request.form.get("version", "")
    if request.form.get("action") != "rollback" or not (wanted.isascii() and wanted.isdigit()):
        flash("Kies de versie die u wilt terugzetten.", "warn")
        return redirect(url_for("staff.versions"))  # type: ignore[return-value]
    number = version_number(wanted)  # more digits than a version number has: none
    if number is None or editor().versions.numbered(number) is None:
        flash(f"Versie {int(wanted)} bestaat niet.", "warn")
        return redirect(url_for("staff.versions"))  # type: ignore[return-value]
    made = editor().versions.rollback(number, g.staff).number
    flash(f"Versie {number} is teruggezet als versie {made}. Nieuwe gesprekken horen het binnen "
          "10 seconden.", "ok")  # fmt: skip
    return redirect(url_for("staff.versions"))  # type: ignore[return-value]
