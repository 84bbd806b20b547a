"""An editor's change as a draft: the posted fields written into the published files and
checked (``ivr.core.content_findings`` per field, then the content's own check and the advice's
SMS), and the tree's boxes a draft changes, for its map."""

from __future__ import annotations

from dataclasses import dataclass

from ivr.core.content_edit import edited
from ivr.core.content_fields import (
    OFFERING,
    PROMPT,
    REPLACED,
    SERVICE,
    Field,
    Item,
    caller_order,
    value_for_yaml,
)
from ivr.core.content_files import TREE, ContentFiles
from ivr.core.content_findings import (
    Finding,
    changed,
    check_fields,
    check_source,
    sms_too_long,
    tree_problems,
)
from ivr.core.sms_text import advice_text
from ivr.core.speech import Speech
from ivr.core.tree_model import Offering, Tree
from ivr.web.staff.editor import Checked, check, editor, overrides, sources


@dataclass(frozen=True)
class Draft:
    files: ContentFiles
    findings: list[Finding]
    changed: list[Field]

    @property
    def blocked(self) -> bool:
        return any(f.blocks for f in self.findings)


def draft(
    content: Checked, item: Item, posted: dict[str, str], source: str, needs_source: bool
) -> Draft:
    """The published files with the posted fields written in, and what the checks found
    (``needs_source``: publishing, which a change without a source may not)."""
    server = {name for name in overrides(item) if name in REPLACED}
    wanted = {k: v for k, v in posted.items() if k not in server}
    fields = changed(item, wanted)
    findings = check_fields(item, wanted) + check_source(item, wanted, source, needs_source)
    files = dict(content.files)
    if any(f.blocks for f in findings):
        return Draft(files, findings, fields)
    for field in fields:
        files[field.file] = edited(files[field.file], field.path, _yaml_value(field, wanted))
    if source in sources(content) and fields and item.kind != PROMPT:
        files[TREE] = _with_source(files[TREE], item, source)
    found = check(files)
    return Draft(
        files, findings + tree_problems(found.problems) + sms_findings(found, item), fields
    )


def sms_findings(content: Checked, item: Item) -> list[Finding]:
    """An advice's SMS (as the line sends it, with the server's opening hours) that takes more
    segments than it may, said next to its ``sms`` field."""
    if item.kind != OFFERING or content.tree is None or content.prompts is None:
        return []
    offering = content.tree.nodes.get(item.id)
    if not isinstance(offering, Offering):
        return []
    speech = Speech(content.tree, content.prompts, editor().hours(content.tree))
    return sms_too_long(advice_text(speech, offering))


def _yaml_value(field: Field, posted: dict[str, str]) -> str | list[str] | None:
    value = value_for_yaml(field, posted[field.name])
    if field.kind == "hours" and not value:
        return None  # no hours from a source: the assumption holds
    return value


def _with_source(tree_text: str, item: Item, source: str) -> str:
    """A chosen seed file or note joins the item's ``source:`` (when it is not there yet)."""
    named = [part.strip() for part in item.source.split(",") if part.strip()]
    if source in named:
        return tree_text
    where = ("services" if item.kind == SERVICE else "nodes", item.id, "source")
    return edited(tree_text, where, ", ".join([*named, source]))


def changed_boxes(before: Tree, after: Tree) -> frozenset[str]:
    """The tree's boxes a draft changes: a node whose texts or contacts differ, and every
    advice that names a changed service."""
    services = {
        sid for sid, service in after.services.items() if before.services.get(sid) != service
    }
    found = set()
    for node_id in caller_order(after):
        node = after.nodes[node_id]
        names_one = isinstance(node, Offering) and (
            node.transfer in services or any(c.service in services for c in node.contacts)
        )
        if before.nodes.get(node_id) != node or names_one:
            found.add(node_id)
    return frozenset(found)
