"""What changed between two versions of the content, field by field, in Dutch. Pure.

A version is its files' texts (``ivr.core.content_files``). Each file is read as YAML and
compared field by field: a question's or an advice's fields, a service's, a prompt's, a
translated text's. Each difference reads as an editor says it:
``Vraag \u2018acuut\u2019, uitleg (toets 3): oud \u201c…\u201d, nieuw \u201c…\u201d`` (Dutch
quotes, written here as escapes).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import yaml

from ivr.core.content_files import YAML_LOADER, ContentFiles, FileKind, file_order, kind_of

# The fields' names in the files, in the words of the editor's pages.
LABELS = {
    "question": "vraag",
    "help": "uitleg (toets 3)",
    "kort": "korte omschrijving (voor de helpdesk)",
    "ja": "bij ja naar",
    "nee": "bij nee naar",
    "offering": "titel",
    "text": "tekst",
    "sms": "sms",
    "contacts": "contacten",
    "transfer": "doorverbinden met",
    "urgent": "urgent",
    "web": "website",
    "source": "bron",
    "source_note": "bron (notitie)",
    "name": "naam",
    "phone": "telefoonnummer",
    "hours": "openingstijden",
    "assumed_hours": "aangenomen openingstijden",
    "hours_said": "gezegd in plaats van de tijden",
    "closed_dates": "dicht op",
    "open_holidays": "open op feestdagen",
    "screening": "doorverbinden met fluistertekst",
    "service": "dienst",
    "nl": "vertaalt de Nederlandse tekst",
    "reviewed": "nagekeken",
    "by": "door",
    "on": "op",
    "True": "op",  # YAML 1.1 (PyYAML) reads the key ``on`` as true
    "start": "eerste vraag",
    "helpdesk": "helpdesk",
}
# libyaml's safe loader where PyYAML has it: the versions page compares many files
NODE_TEXT = {"question": "vraag", "help": "uitleg (toets 3)", "offering": "titel", "text": "advies"}


@dataclass(frozen=True)
class Change:
    """One field that differs; ``old`` or ``new`` is None where the field is not there."""

    file: str
    where: str  # Vraag 'acuut', Dienst 'markant', Tekst 'welcome' (en), in Dutch quotes
    field: str  # "uitleg (toets 3)", "contact 1: telefoonnummer"; "" for a whole item
    old: str | None
    new: str | None

    def __str__(self) -> str:
        head = f"{self.where}, {self.field}" if self.field else self.where
        if self.old is None:
            return f"{head}: nieuw {_quoted(self.new)}" if self.field else f"{head}: nieuw"
        if self.new is None:
            return f"{head}: weg (was {_quoted(self.old)})" if self.field else f"{head}: weg"
        return f"{head}: oud {_quoted(self.old)}, nieuw {_quoted(self.new)}"


def _named(key: str) -> str:
    return f"\u2018{key}\u2019"


def _quoted(text: str | None) -> str:
    return f"\u201c{text}\u201d"


def differences(old: ContentFiles, new: ContentFiles) -> list[Change]:
    """Every changed field from ``old`` to ``new``: files in the reader's order, fields in
    the new file's order (removed ones after)."""
    found: list[Change] = []
    for name in sorted(old.keys() | new.keys(), key=file_order):
        if old.get(name) == new.get(name):
            continue
        if name not in old or name not in new:
            old_text, new_text = ("", None) if name not in new else (None, "")
            found.append(Change(name, f"Bestand {name}", "", old_text, new_text))
            continue
        found.extend(_file_changes(name, _load(old[name]), _load(new[name])))
    return found


def _load(text: str) -> dict[str, Any]:
    try:
        loaded = yaml.load(text, Loader=YAML_LOADER)
    except yaml.YAMLError:
        return {"(geen geldige YAML)": text}
    return loaded if isinstance(loaded, dict) else {}


def _file_changes(name: str, old: dict[str, Any], new: dict[str, Any]) -> Iterator[Change]:
    kind, code = kind_of(name) or (FileKind.TREE, "nl")
    old_items, new_items = _items(kind, old), _items(kind, new)
    for key in [*new_items, *(k for k in old_items if k not in new_items)]:
        before, after = old_items.get(key), new_items.get(key)
        if before == after:
            continue
        where = _where(kind, code, key, after if after is not None else before)
        leaf = "text" if kind is FileKind.PROMPTS else key[-1]  # the item is one text
        fields_old, fields_new = _leaves(before), _leaves(after)
        for field in [*fields_new, *(f for f in fields_old if f not in fields_new)]:
            if fields_old.get(field) != fields_new.get(field):
                yield Change(name, where, _label(field or leaf), fields_old.get(field),
                             fields_new.get(field))  # fmt: skip


def _items(kind: FileKind, doc: dict[str, Any]) -> dict[tuple[str, ...], Any]:
    """The file's items by key: a tree's nodes and services, a prompt, a translated text."""
    found: dict[tuple[str, ...], Any] = {}
    for top, value in doc.items():
        deeper = kind is not FileKind.PROMPTS and top in ("nodes", "services", "contacts")
        if deeper and isinstance(value, dict):
            for sub, item in value.items():
                if kind is FileKind.TRANSLATION and top != "contacts" and isinstance(item, dict):
                    for field, text in item.items():
                        found[(str(top), str(sub), str(field))] = text
                else:
                    found[(str(top), str(sub))] = item
        else:
            found[(str(top),)] = value
    return found


def _where(kind: FileKind, code: str, key: tuple[str, ...], item: Any) -> str:
    language = "" if code == "nl" else f" ({code})"
    if kind is FileKind.PROMPTS:
        return f"Tekst {_named(key[0])}{language}"
    if len(key) == 1:
        return "Boom" if kind is FileKind.TREE else f"Vertaling{language}"
    if key[0] == "services":
        what = f"Dienst {_named(key[1])}"
    elif key[0] == "contacts":
        what = f"Contact {_named(key[1])}"
    elif kind is FileKind.TREE:
        what = "Vraag" if isinstance(item, dict) and "question" in item else "Advies"
        what = f"{what} {_named(key[1])}"
    else:
        what = _named(key[1])
    if kind is FileKind.TRANSLATION and len(key) == 3:
        return f"{what}, {NODE_TEXT.get(key[2], LABELS.get(key[2], key[2]))}{language}"
    return f"{what}{language}"


def _leaves(item: Any, prefix: str = "") -> dict[str, str]:
    """Each field of an item as text, nested fields by dotted names ("contacts.0.phone")."""
    if isinstance(item, dict):
        found: dict[str, str] = {}
        for key, value in item.items():
            found.update(_leaves(value, f"{prefix}{key}."))
        return found
    if isinstance(item, list) and any(isinstance(value, dict) for value in item):
        found = {}
        for n, value in enumerate(item):
            found.update(_leaves(value, f"{prefix}{n}."))
        return found
    shown = _shown(item)
    return {prefix.rstrip("."): shown} if shown is not None else {}


def _shown(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_shown(v)}" for k, v in value.items())
    return " ".join(str(value).split())


def _label(field: str) -> str:
    """``contacts.0.phone`` → ``contact 1: telefoonnummer``; ``reviewed.by`` → ``nagekeken,
    door``."""
    parts = field.split(".")
    label, i = "", 0
    while i < len(parts):
        if parts[i] == "contacts" and i + 1 < len(parts) and parts[i + 1].isdigit():
            word, i = f"contact {int(parts[i + 1]) + 1}", i + 2
        else:
            word, i = LABELS.get(parts[i], parts[i]), i + 1
        label += word if not label else (": " if label.startswith("contact ") else ", ") + word
    return label
