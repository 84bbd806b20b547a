"""A published content version completed from the repository's files after a deploy. Pure.

A deploy's code may need content a version published before it does not have: a new prompt
(``whisper_language``), a new translation key, a new language's file. Such a version fails the
start's check although nothing in it is wrong. ``completed`` adds what it lacks from the
repository's files and changes nothing it has: a file it does not have, and in a language's
prompts or tree translations every key it does not have (copied as the repository writes it,
comments of the files kept, added as ``ivr.core.content_entries`` adds an entry: after its
parent's last one, above the comments that follow). The tree itself is never completed: a
node or a service is the editors' to add.
"""

from __future__ import annotations

from collections.abc import Sequence

import yaml

from ivr.core.content_entries import entry_end, with_lines_after
from ivr.core.content_files import YAML_LOADER, ContentFiles, FileKind, file_order, kind_of

# Where a key is: the mapping keys from the top (("nodes", "acuut", "question")).
KeyPath = tuple[str, ...]
_COMPLETED_KINDS = (FileKind.PROMPTS, FileKind.TRANSLATION)


def completed(files: ContentFiles, repository: ContentFiles) -> tuple[dict[str, str], list[str]]:
    """``files`` with what they lack from ``repository``, and what was added, one entry a
    file or key (``prompts/nl.yaml: whisper_language``, ``prompts/tr.yaml (nieuw bestand)``).
    A file whose missing keys cannot be written in its layout is left as it is."""
    result = dict(files)
    added: list[str] = []
    for name in sorted(repository, key=file_order):
        if name not in files:
            result[name] = repository[name]
            added.append(f"{name} (nieuw bestand)")
            continue
        found = kind_of(name)
        if found is None or found[0] not in _COMPLETED_KINDS:
            continue
        made = _with_missing_keys(files[name], repository[name])
        if made is not None and made[1]:
            result[name] = made[0]
            added += [f"{name}: {'.'.join(path)}" for path in made[1]]
    return result, added


def _with_missing_keys(text: str, source: str) -> tuple[str, list[KeyPath]] | None:
    """``text`` with every key of ``source`` it lacks (the outermost one of a missing part);
    None when the texts do not read as mappings or a key cannot be written."""
    try:
        missing = _missing(
            yaml.compose(text, Loader=YAML_LOADER), yaml.compose(source, Loader=YAML_LOADER)
        )
        result = text
        for path in missing:
            result = _inserted(result, source, path)
        wanted, made = yaml.load(source, Loader=YAML_LOADER), yaml.load(result, Loader=YAML_LOADER)
    except (yaml.YAMLError, LookupError, TypeError):
        return None
    if any(_value(made, path) != _value(wanted, path) for path in missing):
        return None
    return result, missing


def _missing(node: yaml.Node | None, source: yaml.Node | None, at: KeyPath = ()) -> list[KeyPath]:
    if not isinstance(node, yaml.MappingNode) or not isinstance(source, yaml.MappingNode):
        return []
    have = {key.value: value for key, value in node.value}
    found: list[KeyPath] = []
    for key, value in source.value:
        if key.value not in have:
            found.append((*at, key.value))
        else:
            found += _missing(have[key.value], value, (*at, key.value))
    return found


def _pair(root: yaml.Node | None, path: Sequence[str]) -> tuple[yaml.Node, yaml.Node]:
    """The key and value nodes at ``path`` (LookupError when it is not there)."""
    node = root
    pair = None
    for part in path:
        if not isinstance(node, yaml.MappingNode):
            raise LookupError(part)
        pair = next(((k, v) for k, v in node.value if k.value == part), None)
        if pair is None:
            raise LookupError(part)
        node = pair[1]
    if pair is None:
        raise LookupError("no key")
    return pair


def _inserted(text: str, source: str, path: KeyPath) -> str:
    """``text`` with the key at ``path`` written after its siblings, as ``source`` writes it."""
    key, value = _pair(yaml.compose(source, Loader=YAML_LOADER), path)
    start = source.rfind("\n", 0, key.start_mark.index) + 1
    block = source[start : entry_end(source, value)].splitlines()
    root = yaml.compose(text, Loader=YAML_LOADER)
    parent = _pair(root, path[:-1])[1] if len(path) > 1 else root
    if not isinstance(parent, yaml.MappingNode) or parent.flow_style or not parent.value:
        raise LookupError(".".join(path[:-1]))
    shift = parent.value[-1][0].start_mark.column - key.start_mark.column
    moved = [(" " * shift + line) if shift >= 0 else line[-shift:] for line in block]
    return with_lines_after(text, parent.value[-1][1], moved)


def _value(data: object, path: KeyPath) -> object:
    for part in path:
        data = data[part]  # type: ignore[index]
    return data
