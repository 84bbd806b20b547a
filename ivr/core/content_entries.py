"""A whole entry added to a YAML mapping, or taken out, everything else kept as written. Pure.

A contact's translations are known by its Dutch name (``contacts.<name>`` in a language's
tree translations): a new name needs its entry under the new key, and the old one taken out
when nothing names it any more. ``with_entry`` writes the entry as its neighbour is written
(indentation, its key's quotes, each field in the style of the same field there, through
``ivr.core.content_edit``'s renderings); ``without_entry`` takes an entry's lines out. The
comments around stay; every result is read back. ``with_lines_after`` is where any entry is
added (also ``ivr.core.content_completion``'s, copied as the repository writes it).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

import yaml

from ivr.core.content_edit import (
    EditError,
    FieldPath,
    Value,
    dotted,
    node_at,
    plain_or,
    quoted,
    renderings,
    value_span,
)
from ivr.core.content_files import YAML_LOADER

# libyaml's safe loader where PyYAML has it (as ivr.core.content_edit)


def with_entry(
    text: str, path: FieldPath, key: str, value: Mapping[str, Value], after: str | None = None
) -> str:
    """``text`` with a new entry ``key`` (a mapping of fields, e.g. a translation's ``text``,
    ``nl``, ``reviewed``) in the mapping at ``path``, after the entry ``after`` (else after the
    last), written as that entry is: its indentation, its key's quotes, each field in the style
    of the same field there; comments kept, the result read back."""
    parent = (
        node_at(yaml.compose(text, Loader=YAML_LOADER), path)
        if path
        else yaml.compose(text, Loader=YAML_LOADER)
    )
    if not isinstance(parent, yaml.MappingNode) or parent.flow_style or not parent.value:
        raise EditError(f"{dotted(path)}: not a mapping written one entry a line")
    if any(k.value == key for k, _v in parent.value):
        raise EditError(f"{dotted([*path, key])}: already in the file")
    if not value:
        raise EditError(f"{dotted([*path, key])}: an entry needs a field")
    model_key, model = next(((k, v) for k, v in parent.value if k.value == after), parent.value[-1])
    fields = dict(model.value) if isinstance(model, yaml.MappingNode) else {}
    inner = next(iter(fields), None)
    indent = " " * model_key.start_mark.column
    field_indent = " " * (inner.start_mark.column if inner else model_key.start_mark.column + 2)
    lines = [indent + _line_key(key, plain_or(model_key.style)) + ":"]
    for name, said in value.items():
        like = next((v for k, v in fields.items() if k.value == name), None)
        style = plain_or(like.style) if isinstance(like, yaml.ScalarNode) else None
        written = [
            f"{field_indent}{name}: {rendered}"
            for rendered in renderings(text, like, said, style)
            if _loaded(f"{name}: {rendered}") == {name: _plain(said)}
        ]
        if not written:
            raise EditError(f"{dotted([*path, key, name])}: the value cannot be written")
        lines.append(written[0])
    result = with_lines_after(text, model, lines)
    expected = yaml.load(text, Loader=YAML_LOADER)
    _at(expected, path)[key] = _plain(value)
    if _loaded(result) != expected:
        raise EditError(f"{dotted([*path, key])}: the entry cannot be written")
    return result


def without_entry(text: str, path: FieldPath) -> str:
    """``text`` without the entry at ``path`` (its key's line to its last field's), the
    comments around it kept; the result read back."""
    if not path:
        raise EditError("an entry needs a path")
    parent = (
        node_at(yaml.compose(text, Loader=YAML_LOADER), path[:-1])
        if path[:-1]
        else yaml.compose(text, Loader=YAML_LOADER)
    )
    pair = None
    if isinstance(parent, yaml.MappingNode) and not parent.flow_style:
        pair = next(((k, v) for k, v in parent.value if k.value == path[-1]), None)
    if pair is None:
        raise EditError(f"{dotted(path)}: not an entry of a mapping written one a line")
    start = text.rfind("\n", 0, pair[0].start_mark.index) + 1
    if text[start : pair[0].start_mark.index].strip():
        raise EditError(f"{dotted(path)}: not on a line of its own")
    result = text[:start] + text[entry_end(text, pair[1]) + 1 :]
    expected = yaml.load(text, Loader=YAML_LOADER)
    del _at(expected, path[:-1])[path[-1]]
    if _loaded(result) != expected:
        raise EditError(f"{dotted(path)}: the entry cannot be taken out")
    return result


def with_lines_after(text: str, node: yaml.Node, lines: Sequence[str]) -> str:
    """``text`` with ``lines`` written after the entry whose value is ``node`` (``entry_end``):
    how an entry is added, by ``with_entry`` and by ``ivr.core.content_completion``."""
    where = entry_end(text, node)
    return text[:where] + "\n" + "\n".join(lines) + text[where:]


def entry_end(text: str, node: yaml.Node) -> int:
    """Where the line of an entry's last character ends (``node``: its value); the comments
    after it belong to what follows."""
    return _line_end(text, _end(text, node))


def _line_key(key: str, style: str | None) -> str:
    """A mapping key quoted as its neighbour's is (plain when it reads back as itself)."""
    if style == "'":
        return "'" + key.replace("'", "''") + "'"
    if style is None and key and _loaded(f"{key}: x") == {key: "x"}:
        return key
    return quoted(key)


def _end(text: str, node: yaml.Node) -> int:
    """Where a value's last character is written: a block mapping's or list's marks run on
    over the comments after it, which belong to what follows (a flow one's end at its bracket)."""
    if (
        isinstance(node, yaml.MappingNode | yaml.SequenceNode)
        and node.value
        and not node.flow_style
    ):
        last = node.value[-1]
        return _end(text, last[1] if isinstance(node, yaml.MappingNode) else last)
    return value_span(text, node)[1]


def _line_end(text: str, index: int) -> int:
    found = text.find("\n", index)
    return len(text) if found < 0 else found


def _plain(value: Value) -> Any:
    """A value as YAML reads it back (mappings as dicts, lists as lists)."""
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}  # type: ignore[arg-type]
    if isinstance(value, str | bool | date) or value is None:
        return value
    return list(value)


def _at(doc: Any, path: FieldPath) -> Any:
    for part in path:
        doc = doc[part]
    return doc


def _loaded(text: str) -> Any:
    try:
        return yaml.load(text, Loader=YAML_LOADER)
    except yaml.YAMLError:
        return None
