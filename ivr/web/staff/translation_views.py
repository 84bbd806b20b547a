"""Each language's text beside the Dutch on an item's page, and a person marking a
translation reviewed (``POST /staff/content/review``: ``kind``, ``item``, ``field``,
``language``, ``action=review``), which publishes a new version at once. A Dutch change never
waits for its translations: they show as stale until someone looks at them.
"""

from __future__ import annotations

from typing import Any

from flask import Response, abort, flash, g, redirect, request

from ivr.config.languages import DUTCH_ONLY_PREFIX
from ivr.core.content_edit import edited
from ivr.core.content_fields import PROMPT, Item
from ivr.core.content_translations import beside, hash_path, review_path
from ivr.core.hours import AMSTERDAM
from ivr.core.translation import text_hash
from ivr.web.staff import bp, console
from ivr.web.staff.content_wording import KIND_NAMES
from ivr.web.staff.editor import (
    Checked,
    editor,
    editors_only,
    item_in,
    item_url,
    published,
)


def translations_beside(item: Item, values: dict[str, str], shown: Checked) -> dict[str, Any]:
    """Each language's text beside the Dutch (none for the whisper: the helpdesk hears Dutch)."""
    if item.kind == PROMPT and item.id.startswith(DUTCH_ONLY_PREFIX):
        return {}
    return beside(item, values, shown.files)


@bp.post("/content/review")
@editors_only
def review() -> Response:
    """A person confirms a translation for today's Dutch: its ``reviewed:`` names them and
    today, its ``nl:`` today's Dutch; published as a new version at once."""
    content = published()
    form = request.form
    kind = form.get("kind", "")
    item = item_in(content, kind, form.get("item", "")) if kind in KIND_NAMES else None
    if item is None or form.get("action") != "review":
        abort(404)
    found = [
        t for t in translations_beside(item, {}, content).get(form.get("field", ""), [])
        if t.code == form.get("language")
    ]  # fmt: skip
    field = item.field(form.get("field", ""))
    if not found or field is None or not found[0].reviewable:
        flash("Deze vertaling kan niet als nagekeken worden gemarkeerd: er staat geen vertaling "
              "met dezelfde nummers als het Nederlands.", "warn")  # fmt: skip
        return redirect(item_url(item))  # type: ignore[return-value]
    translation = found[0]
    today = console().clock().astimezone(AMSTERDAM).date()
    files = dict(content.files)
    text = edited(files[translation.file], review_path(translation), {"by": g.staff, "on": today})
    files[translation.file] = edited(text, hash_path(translation), text_hash(field.value))
    note = f"Vertaling nagekeken: {translation.language}, {item.title} ({field.label.lower()})"
    number = editor().versions.publish(files, g.staff, note).number
    flash(f"De vertaling ({translation.language}) staat als nagekeken op uw naam. "
          f"Gepubliceerd als versie {number}.", "ok")  # fmt: skip
    return redirect(item_url(item))  # type: ignore[return-value]
