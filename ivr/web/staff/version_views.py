"""The content's versions (``/staff/content/versions``): who published what, when and why,
with what changed from the version before; any earlier version can be published again.

Rolling back posts ``version`` (its number) and ``action=rollback``: that version's files are
published again as a new version (nothing is ever removed from the history).
"""

from __future__ import annotations

from flask import Response, flash, g, redirect, request, url_for

from ivr.core.content_diff import differences
from ivr.web.staff import bp, wording
from ivr.web.staff.editor import editor, editors_only

SHOWN = 50  # the newest versions listed


@bp.get("/content/versions")
@editors_only
def versions() -> Response:
    found = editor().versions.published()[::-1]  # oldest first
    listed = []
    for before, version in zip([None, *found], found, strict=False):
        changes = differences(before.files, version.files) if before is not None else []
        listed.append((version, [str(change) for change in changes]))
    listed.reverse()
    return wording.page(
        "staff/content_versions.html",
        view="content",
        listed=listed[:SHOWN],
        total=len(listed),
        newest=found[-1].number if found else None,
    )


@bp.post("/content/versions")
@editors_only
def rollback() -> Response:
    wanted = request.form.get("version", "")
    if request.form.get("action") != "rollback" or not (wanted.isascii() and wanted.isdigit()):
        flash("Kies de versie die u wilt terugzetten.", "warn")
        return redirect(url_for("staff.versions"))  # type: ignore[return-value]
    number = int(wanted)
    if editor().versions.numbered(number) is None:
        flash(f"Versie {number} bestaat niet.", "warn")
        return redirect(url_for("staff.versions"))  # type: ignore[return-value]
    made = editor().versions.rollback(number, g.staff).number
    flash(f"Versie {number} is teruggezet als versie {made}. Nieuwe gesprekken horen het binnen "
          "10 seconden.", "ok")  # fmt: skip
    return redirect(url_for("staff.versions"))  # type: ignore[return-value]
