"""The editor's pages (``/staff/content``): every text, number and opening hour the line says,
in the order a caller meets them; an item's form checks a change, keeps it as a draft to
hear in the web phone, and publishes it. Editors only (a helpdesk worker is refused, 403).

The form posts its fields by the names the tree uses (``question``, ``help``; ``offering``,
``text``, ``sms``, ``contacts.0.phone``; ``phone``, ``hours``, ``closed_dates``; a prompt's
``text``), each language's text of them (``translation_en.question``, with its box
``reviewed_en.question``: ``ivr.web.staff.translation_views``), ``note`` (why), ``source`` (or
``source_other``), and ``action``: ``preview`` or ``publish``.
"""

from __future__ import annotations

from typing import Any

from flask import Response, abort, flash, g, redirect, request, url_for
from markupsafe import Markup

from ivr.core.content_fields import OFFERING, PROMPT, QUESTION, SERVICE, Item, assumed_hours
from ivr.core.content_files import TREE, version_number
from ivr.core.content_findings import (
    ERROR,
    SOURCE_FIELD,
    WARNING,
    Finding,
    check_fields,
    check_source,
)
from ivr.core.tree_model import Offering
from ivr.storage.content_lookup import ContentVersion
from ivr.storage.content_versions import Outdated
from ivr.web.staff import bp, wording
from ivr.web.staff.content_wording import KIND_NAMES, by_moment, moment_of
from ivr.web.staff.drafts import changed_boxes, draft, sms_findings
from ivr.web.staff.editor import (
    Checked,
    all_items,
    check,
    editor,
    editors_only,
    item_in,
    item_url,
    overrides,
    published,
    sources,
)
from ivr.web.staff.translation_views import (
    TICKED,
    posted_translations,
    review_name,
    text_name,
    translated,
    translations_beside,
)
from ivr.web.tree_drawing import NoGraphviz, tree_svg

OTHER_SOURCE = "anders"  # the source select's choice for a source written in the form
NOTE_LIMIT = 500


@bp.get("/content")
@editors_only
def content() -> Response:
    shown = published()
    found = all_items(shown)
    return wording.page(
        "staff/content.html",
        view="content",
        content=shown,
        all_nodes=[i for i in found if i.kind in (QUESTION, OFFERING)],
        prompt_groups=by_moment([i for i in found if i.kind == PROMPT]),
        services=[i for i in found if i.kind == SERVICE],
        kind_names=KIND_NAMES,
        version=editor().versions.latest(),
        item_url=item_url,
    )


@bp.get("/content/<node_id>")
@editors_only
def edit_node(node_id: str) -> Response:
    return _edit_page(_kind_of_node(node_id), node_id)


@bp.get("/content/prompt/<key>")
@editors_only
def edit_prompt(key: str) -> Response:
    return _edit_page(PROMPT, key)


@bp.get("/content/service/<service_id>")
@editors_only
def edit_service(service_id: str) -> Response:
    return _edit_page(SERVICE, service_id)


@bp.post("/content/<node_id>")
@editors_only
def save_node(node_id: str) -> Response:
    return _save(_kind_of_node(node_id), node_id)


@bp.post("/content/prompt/<key>")
@editors_only
def save_prompt(key: str) -> Response:
    return _save(PROMPT, key)


@bp.post("/content/service/<service_id>")
@editors_only
def save_service(service_id: str) -> Response:
    return _save(SERVICE, service_id)


def _kind_of_node(node_id: str) -> str:
    tree = published().tree
    node = tree.nodes.get(node_id) if tree else None
    if node is None:
        abort(404)
    return OFFERING if isinstance(node, Offering) else QUESTION


def _edit_page(kind: str, key: str) -> Response:
    content = published()
    item = item_in(content, kind, key)
    if item is None:
        abort(404)
    concept = request.args.get("concept", "")
    if concept:
        wanted = version_number(concept)
        found = editor().versions.get(wanted) if wanted is not None else None
        if found is None or not found.draft:
            flash("Dat concept bestaat niet (meer). U ziet de gepubliceerde tekst.", "warn")
            return redirect(item_url(item))  # type: ignore[return-value]
        shown = check(found.files)
        drafted = item_in(shown, kind, key) or item
        values = {f.name: f.value for f in drafted.fields}
        source = next(iter(found.sources.values()), "") or _added_source(item, drafted)
        # what the checks say of the draft, but for errors (a draft with errors is not kept)
        said = check_fields(item, values) + check_source(item, values, source, needed=False)
        values |= _drafted_translations(content, item, values, shown)
        said += translated(content, item, values, found.files, values, g.staff).findings
        said += sms_findings(shown, item)
        return _form(content, item, values, said, found.note, source, (found.id, shown))
    return _form(content, item, {f.name: f.value for f in item.fields})


def _drafted_translations(
    content: Checked, item: Item, values: dict[str, str], shown: Checked
) -> dict[str, str]:
    """A draft's translations as its form shows them: their texts, and a box ticked where the
    draft records a review the published version does not have."""
    before = {
        (field, t.code): t.review for field, found in translations_beside(item, {}, content).items()
        for t in found
    }  # fmt: skip
    found: dict[str, str] = {}
    for field, drafted in translations_beside(item, values, shown).items():
        for t in drafted:
            found[text_name(t.code, field)] = t.text
            if t.review is not None and before.get((field, t.code)) != t.review:
                found[review_name(t.code, field)] = TICKED
    return found


def _added_source(item: Item, drafted: Item) -> str:
    """The seed file or note a draft added to the item's ``source:`` (the one chosen)."""
    before = {part.strip() for part in item.source.split(",")}
    added = [part.strip() for part in drafted.source.split(",") if part.strip() not in before]
    return added[0] if added else ""


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
    crossed = _crossed(item)
    if crossed:
        return _form(content, item, values, [crossed], note, source, status=409)
    blocked = any(f.blocks for f in findings)
    if not made.changed and not done.changed and not blocked:
        flash("Er is niets veranderd, dus er is niets opgeslagen.", "warn")
        return redirect(item_url(item))  # type: ignore[return-value]
    if blocked:
        return _form(content, item, values, findings, note, source, status=422)
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
        return _form(content, item, values, [_colleague(newest)], note, source, status=409)
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


def _form(
    content: Checked,
    item: Item,
    values: dict[str, str],
    findings: list[Finding] | None = None,
    note: str = "",
    source: str = "",
    concept: tuple[int, Checked] | None = None,
    status: int = 200,
) -> Response:
    by_field: dict[str, list[Finding]] = {}
    for finding in findings or []:
        by_field.setdefault(finding.field, []).append(finding)
    known = sources(content)
    env = editor().env
    set_by_server = {name: (key, env[key]) for name, key in overrides(item).items()}
    return wording.page(
        "staff/content_edit.html",
        status,
        view="content",
        version=editor().versions.latest(),
        item=item,
        kind_name=KIND_NAMES[item.kind],
        moment=moment_of(item.id) if item.kind == PROMPT else "",
        values=values,
        findings=by_field,
        blocked=any(f.blocks for f in findings or []),
        note=note,
        source=source,
        known_sources=known,
        other_source=source if source and source not in known else "",
        set_by_server=set_by_server,
        assumed=assumed_hours(content.files[TREE], item.id) if item.kind == SERVICE else None,
        services=[item_in(content, SERVICE, sid) for sid in item.services],
        concept=_concept(content, item, concept) if concept else None,
        translations=translations_beside(item, values, concept[1] if concept else content),
        text_name=text_name,
        review_name=review_name,
        ticked=TICKED,
        error=ERROR,
        warning=WARNING,
        source_field=SOURCE_FIELD,
        item_url=item_url,
    )


def _concept(content: Checked, item: Item, concept: tuple[int, Checked]) -> dict[str, Any]:
    """The draft's preview: where the web phone plays it, and its map with changed boxes."""
    version_id, shown = concept
    marked: frozenset[str] = frozenset()
    if content.tree is not None and shown.tree is not None:
        marked = changed_boxes(content.tree, shown.tree)
    try:
        drawing = Markup(tree_svg(shown.tree, marked=marked)) if shown.tree else None
    except NoGraphviz:
        drawing = None
    path = item.path if item.kind in (QUESTION, OFFERING) else ""
    return {
        "id": version_id,
        "here": url_for("phone.page", v=version_id, p=path) if path else None,
        "start": url_for("phone.page", v=version_id),
        "map": drawing,
        "marked": len(marked),
    }
