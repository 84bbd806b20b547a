"""The editor's form posted (``/staff/content/...``, ``action``: ``preview`` or ``publish``):
the change checked, kept as a draft to hear in the web phone or published as the next version,
or the form shown again with what the checks say (422), or with a colleague's version published
since it was read (409). The form's page itself: ``ivr.web.staff.content_views``.

The form posts its fields by the names the tree uses (``question``, ``help``; ``offering``,
``text``, ``sms``, ``contacts.0.phone``; ``phone``, ``hours``, ``closed_dates``; a prompt's
``text``), each language's text of them (``translation_en.question``, with its box
``reviewed_en.question``: ``ivr.web.staff.translation_views``), ``note`` (why), ``source`` (or
``source_other``), and ``action``: ``preview`` or ``publish``.
"""

from __future__ import annotations

from flask import Response, abort, flash, g, redirect, request

from ivr.core.content_fields import PROMPT, SERVICE, Item
from ivr.core.content_files import version_number
from ivr.core.content_findings import ERROR, Finding, invisible
from ivr.storage.content_lookup import ContentVersion
from ivr.storage.content_versions import Outdated
from ivr.web.staff import bp
from ivr.web.staff.content_views import edit_form, kind_of_node
from ivr.web.staff.drafts import draft
from ivr.web.staff.editor import check, editor, editors_only, item_in, item_url, published, sources
from ivr.web.staff.translation_views import posted_translations, translated, translations_beside

OTHER_SOURCE = "anders"  # the source select's choice for a source written in the form
NOTE_LIMIT = 500


@bp.post("/content/<node_id>")
@editors_only
def save_node(node_id: str) -> Response:
    return _save(kind_of_node(node_id), node_id)


@bp.post("/content/prompt/<key>")
@editors_only
def save_prompt(key: str) -> Response:
    return _save(PROMPT, key)


@bp.post("/content/service/<service_id>")
@editors_only
def save_service(service_id: str) -> Response:
    return _save(SERVICE, service_id)


def _save(kind: str, key: str) -> Response:
    content = published()
    item = item_in(content, kind, key)
    if item is None:
        abort(404)
    action = request.form.get("action", "")
    if action not in ("preview", "publish"):
        abort(400)
    posted = {f.name: request.form[f.name] for f in item.fields if f.name in request.form}
    note = " ".join(request.form.get("note", "").split())[:NOTE_LIMIT]
    source = _posted_source()
    made = draft(content, item, posted, source, needs_source=action == "publish")
    asked = posted_translations(item, content, request.form)
    done = translated(content, item, posted, made.files, asked, g.staff)
    values, findings = {**posted, **asked}, made.findings + done.findings
    # why and where from are stored with the version: no character a database cannot hold
    findings += invisible("note", note) + invisible("source", source)
    crossed = _crossed(item)
    if crossed:
        return edit_form(content, item, values, [crossed], note, source, status=409)
    blocked = any(f.blocks for f in findings)
    if not made.changed and not done.changed and not blocked:
        flash("Er is niets veranderd, dus er is niets opgeslagen.", "warn")
        return redirect(item_url(item))  # type: ignore[return-value]
    if blocked:
        return edit_form(content, item, values, findings, note, source, status=422)
    versions = editor().versions
    # a seed file or note joins the item's source: (editor.draft); any other is kept with the
    # version, per changed field (and beside source: as source_note:), as is a prompt's and a
    # translation's (by its file and key)
    listed = item.kind != PROMPT and source in sources(content)
    said = (
        {".".join(map(str, f.path)): source for f in made.changed} if source and not listed else {}
    )
    said |= {f"{t.file}:{t.key}": source for t in done.changed if source}
    if action == "preview":
        concept = versions.save_draft(done.files, g.staff, note, said)
        return redirect(item_url(item, concept=concept))  # type: ignore[return-value]
    try:
        number = versions.publish(done.files, g.staff, note, said, base=content.newest).number
    except Outdated:  # a colleague published in the meantime (the form was read before)
        newest = versions.latest()
        assert newest is not None
        return edit_form(content, item, values, [_colleague(newest)], note, source, status=409)
    flash(f"Gepubliceerd als versie {number}. Nieuwe gesprekken horen het binnen 10 seconden.",
          "ok")  # fmt: skip
    return redirect(item_url(item))  # type: ignore[return-value]


def _crossed(item: Item) -> Finding | None:
    """A colleague published a change to this item (or one of its translations) after the form
    was opened (its hidden ``versie``): said once, with the editor's text kept in the form,
    which now names the newest version (a second click publishes it over the colleague's)."""
    shown = version_number(request.form.get("versie", ""))
    newest = editor().versions.latest()
    if shown is None or newest is None or shown == newest.number:
        return None
    before = editor().versions.numbered(shown)
    checked = check(before.files) if before else None
    then = item_in(checked, item.kind, item.id) if checked else None
    if (
        checked is not None
        and then is not None
        and then.fields == item.fields
        and translations_beside(item, {}, checked) == translations_beside(item, {}, published())
    ):
        return None
    return _colleague(newest)


def _colleague(newest: ContentVersion) -> Finding:
    """A colleague's version published after the editor's form was read: nothing saved."""
    return Finding("", ERROR, f"Niet opgeslagen: {newest.by} publiceerde intussen versie "
                   f"{newest.number}, met een andere tekst hier. Hieronder staat nog uw tekst. "
                   "Vergelijk hem met de nieuwe (in Versies) en kies dan opnieuw.")  # fmt: skip


def _posted_source() -> str:
    chosen = " ".join(request.form.get("source", "").split())
    if chosen in ("", OTHER_SOURCE):
        chosen = " ".join(request.form.get("source_other", "").split())
    return chosen[:NOTE_LIMIT]
