"""Change one field of a YAML text and keep everything else as it was written. Pure.

The editor changes a text, a number or a list of dates in the content files, which are written
and reviewed by people: their comments, blank lines, order and quoting must stay. So a file is
never dumped again: ``yaml.compose`` finds where the field's value is written (its marks), and
only that span is replaced, in the same style (quoted, plain or a folded block) where the new
value allows it. A field that is not there yet is added on a line of its own, after a sibling
(``source_note:`` after ``source:``). Every result is read back, and must hold the new value.
A whole entry is added or taken out by ``ivr.core.content_entries``, with the same writing.
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

import yaml

from ivr.core.content_files import YAML_LOADER

# Where a field is: mapping keys and list positions from the top (("nodes", "acuut", "help")).
FieldPath = Sequence[str | int]
# A text, a list of texts, a small mapping of them (a translation's ``reviewed: {by, on}``),
# or true/false (a translation's ``reviewed: false``).
Value = str | bool | Sequence[str] | Mapping[str, str | date] | None
WIDTH = 100  # a folded text's lines, as the files are written
# libyaml's safe loader where PyYAML has it, to read a result back (the tree: 4 ms, not 60)


class EditError(ValueError):
    """The field cannot be changed this way (its parent is missing, or it is not a value)."""


def edited(text: str, path: FieldPath, value: Value, after: str | None = None) -> str:
    """``text`` with the field at ``path`` set to ``value``; a missing field is added after
    the key ``after`` (else after the mapping's last one-line field)."""
    if not path:
        raise EditError("a field needs a path")
    root = yaml.compose(text, Loader=YAML_LOADER)
    parent = node_at(root, path[:-1])
    last = path[-1]
    if isinstance(parent, yaml.SequenceNode) and isinstance(last, int):
        if not 0 <= last < len(parent.value):
            raise EditError(f"{dotted(path)}: there is no item {last}")
        return _replaced(text, path, parent.value[last], value)
    if not isinstance(parent, yaml.MappingNode) or not isinstance(last, str):
        raise EditError(f"{dotted(path)}: not a field of a mapping")
    for key, node in parent.value:
        if key.value == last:
            return _replaced(text, path, node, value)
    return _added(text, path, parent, value, after)


def node_at(root: yaml.Node | None, path: FieldPath) -> yaml.Node:
    node = root
    for i, part in enumerate(path):
        found = None
        if isinstance(node, yaml.MappingNode) and isinstance(part, str):
            found = next((v for k, v in node.value if k.value == part), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            found = node.value[part] if 0 <= part < len(node.value) else None
        if found is None:
            raise EditError(f"{dotted(path[: i + 1])}: not in the file")
        node = found
    if node is None:
        raise EditError("the file is empty")
    return node


def dotted(path: FieldPath) -> str:
    return ".".join(str(part) for part in path)


def value_span(text: str, node: yaml.Node) -> tuple[int, int]:
    """Where a value is written, without the line breaks a block scalar's marks include."""
    start, end = node.start_mark.index, node.end_mark.index
    while end > start and text[end - 1] in " \t\r\n":
        end -= 1
    return start, end


def _replaced(text: str, path: FieldPath, node: yaml.Node, value: Value) -> str:
    start, end = value_span(text, node)
    style = plain_or(node.style) if isinstance(node, yaml.ScalarNode) else None
    expected = _expected(text, path, value)
    for rendered in renderings(text, node, value, style):
        result = text[:start] + rendered + text[end:]
        if _read(result, path) == expected:
            return result
    raise EditError(f"{dotted(path)}: the value cannot be written")


def _added(
    text: str, path: FieldPath, parent: yaml.MappingNode, value: Value, after: str | None
) -> str:
    if parent.flow_style or not parent.value:
        raise EditError(f"{dotted(path[:-1])}: not a mapping written one field a line")
    one_line = [(k, v) for k, v in parent.value if _on_one_line(text, k, v)]
    anchor = next((pair for pair in one_line if pair[0].value == after), None)
    if anchor is None and one_line:
        anchor = one_line[-1]
    if anchor is None:
        raise EditError(f"{dotted(path[:-1])}: no field to add {path[-1]!r} after")
    key, node = anchor
    line_end = text.find("\n", value_span(text, node)[1])
    line_end = len(text) if line_end < 0 else line_end
    indent = " " * key.start_mark.column
    expected = _expected(text, path, value)
    for rendered in renderings(text, None, value, None):
        result = f"{text[:line_end]}\n{indent}{path[-1]}: {rendered}{text[line_end:]}"
        if _read(result, path) == expected:
            return result
    raise EditError(f"{dotted(path)}: the value cannot be written")


def _on_one_line(text: str, key: yaml.Node, node: yaml.Node) -> bool:
    end = value_span(text, node)[1]
    return isinstance(node, yaml.ScalarNode) and "\n" not in text[key.start_mark.index : end]


def plain_or(style: str | None) -> str | None:
    """A scalar's style, None for plain: libyaml says "" where PyYAML's own loader says None."""
    return style or None


def renderings(text: str, node: yaml.Node | None, value: Value, style: str | None) -> list[str]:
    """Ways to write ``value``, the original style first; the first that reads back is used."""
    if value is None:
        return ["null"]
    if isinstance(value, bool):
        return ["true" if value else "false"]
    if isinstance(value, Mapping):
        # keys quoted: YAML 1.1 reads a plain "on" as true
        return ["{" + ", ".join(f"{quoted(k)}: {_flow_scalar(v)}" for k, v in value.items()) + "}"]
    if not isinstance(value, str):
        return ["[" + ", ".join(quoted(item) for item in value) + "]"]
    found = []
    if style in (">", "|") and node is not None:
        found.append(_block(text, node, value, style))
    elif style == "'":
        found.append("'" + value.replace("'", "''") + "'")
    elif style is None and value and "\n" not in value:
        found.append(value)
    found.append(quoted(value))
    return found


def _flow_scalar(value: str | date) -> str:
    """A date plainly (YAML reads it back as a date), a text quoted."""
    return value.isoformat() if isinstance(value, date) else quoted(value)


def quoted(value: str) -> str:
    """A double-quoted YAML scalar (JSON's escapes are YAML's too)."""
    return json.dumps(value, ensure_ascii=False)


def _block(text: str, node: yaml.Node, value: str, style: str) -> str:
    """A folded (or literal) block scalar with its header and indentation as written."""
    start = node.start_mark.index
    header_end = text.index("\n", start)
    header = text[start:header_end].rstrip()
    rest = text[header_end + 1 :]
    content_line = next((line for line in rest.splitlines() if line.strip()), "")
    indent = " " * (len(content_line) - len(content_line.lstrip(" ")))
    if style == "|" or not value:
        lines = [value]
    else:
        lines = textwrap.wrap(
            value, WIDTH - len(indent), break_long_words=False, break_on_hyphens=False
        )
    return header + "".join(f"\n{indent}{line}" for line in lines)


def _expected(text: str, path: FieldPath, value: Value) -> Any:
    """The whole document as it must read after the edit."""
    doc = yaml.load(text, Loader=YAML_LOADER)
    parent: Any = doc
    for part in path[:-1]:
        parent = parent[part]
    if isinstance(value, Mapping):
        parent[path[-1]] = dict(value)
    elif value is None or isinstance(value, str | bool):
        parent[path[-1]] = value
    else:
        parent[path[-1]] = list(value)
    return doc


def _read(text: str, path: FieldPath) -> Any:
    """The whole document, the edited text without a block scalar's final line break; None
    when it is no YAML (a rendering that did not work)."""
    try:
        doc = yaml.load(text, Loader=YAML_LOADER)
        parent: Any = doc
        for part in path[:-1]:
            parent = parent[part]
        if isinstance(parent[path[-1]], str):
            parent[path[-1]] = parent[path[-1]].rstrip("\n")
    except (yaml.YAMLError, KeyError, IndexError, TypeError):
        return None
    return doc


SOURCE_NOTE = "source_note"  # beside ``source:``: the free-text sources of edited facts


def with_source_notes(tree_text: str, sources: dict[str, str]) -> str:
    """The tree with each free-text source (by its field, ``nodes.<id>.<field>`` or
    ``services.<id>.<field>``) in its node's or service's ``source_note:``, after ``source:``;
    a note already there is kept, the new one added after "; ". Other fields' sources (a
    prompt's) are kept with the version alone."""
    notes: dict[tuple[str, str], list[str]] = {}
    for field, said in sources.items():
        parts = field.split(".")
        text = " ".join(said.split())
        if len(parts) >= 3 and parts[0] in ("nodes", "services") and text:
            notes.setdefault((parts[0], parts[1]), []).append(text)
    if not notes:
        return tree_text
    doc = yaml.load(tree_text, Loader=YAML_LOADER)
    for (group, item_id), said in notes.items():
        item = (doc.get(group) or {}).get(item_id) if isinstance(doc, dict) else None
        if not isinstance(item, dict):
            continue  # no such node or service: the source stays with the version alone
        old = str(item.get(SOURCE_NOTE) or "")
        kept = [part for part in old.split("; ") if part]
        kept += [text for text in dict.fromkeys(said) if text not in kept]
        tree_text = edited(tree_text, (group, item_id, SOURCE_NOTE), "; ".join(kept), "source")
    return tree_text
