"""The editor's pages (``/staff/content``): every text, number and opening hour the line says,
in the order a caller meets them, and an item's form: its published text, or a draft's with
where the web phone plays it and its map (``?concept=``). Editors only (a helpdesk worker is
refused, 403). What the form does when posted: ``ivr.web.staff.content_saving``.
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
from ivr.web.staff import bp, wording
from ivr.web.staff.drafts import changed_boxes, sms_findings
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
    review_name,
    text_name,
    translated,
    translations_beside,
)
from ivr.web.tree_drawing import NoGraphviz, tree_svg


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
        prompt_groups=wording.by_moment([i for i in found if i.kind == PROMPT]),
        services=[i for i in found if i.kind == SERVICE],
        kind_names=wording.KIND_NAMES,
        version=editor().versions.latest(),
        item_url=item_url,
    )


@bp.get("/content/<node_id>")
@editors_only
def edit_node(node_id: str) -> Response:
    return _edit_page(kind_of_node(node_id), node_id)


@bp.get("/content/prompt/<key>")
@editors_only
def edit_prompt(key: str) -> Response:
    return _edit_page(PROMPT, key)


@bp.get("/content/service/<service_id>")
@editors_only
def edit_service(service_id: str) -> Response:
    return _edit_page(SERVICE, service_id)


def kind_of_node(node_id: str) -> str:
    """Whether the node ``node_id`` of the published tree is a question or an advice (404)."""
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
        return edit_form(content, item, values, said, found.note, source, (found.id, shown))
    return edit_form(content, item, {f.name: f.value for f in item.fields})


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


def edit_form(
    content: Checked,
    item: Item,
    values: dict[str, str],
    findings: list[Finding] | None = None,
    note: str = "",
    source: str = "",
    concept: tuple[int, Checked] | None = None,
    status: int = 200,
) -> Response:
    """An item's form with ``values``, what the checks said beside each field, and a draft's
    preview (``concept``: its id and files checked)."""
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
        kind_name=wording.KIND_NAMES[item.kind],
        moment=wording.moment_of(item.id) if item.kind == PROMPT else "",
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
