"""Each language's translation beside the Dutch an editor changes, with its state. Pure.

For an item's field (``ivr.core.content_fields``) the translation files of a version
(``ivr.core.content_files``) hold a text per language: ``nodes.<id>.<field>`` and
``contacts.<Dutch name>`` in ``tree/translations/<code>.yaml``, a prompt's key in
``prompts/<code>.yaml``. Its state against the Dutch (``ivr.core.translation``): current,
stale (the Dutch changed since; still spoken), wrong numbers (the Dutch is spoken instead),
missing; and whether a person reviewed it. A Dutch change never waits for its translations.
``written`` puts an editor's translation in its file; ``renamed`` moves a contact's
translations to its new Dutch name.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import yaml

from ivr.core.content_edit import Value, edited
from ivr.core.content_entries import with_entry, without_entry
from ivr.core.content_fields import OFFERING, PROMPT, QUESTION, Field, Item
from ivr.core.content_files import (
    YAML_LOADER,
    ContentFiles,
    FileKind,
    kind_of,
    prompts_file,
    translation_file,
)
from ivr.core.errors import LanguageError
from ivr.core.languages import DUTCH, find
from ivr.core.translated import read_entries
from ivr.core.translation import Review, State, check, text_hash

STATES = {
    State.CURRENT: "actueel",
    State.STALE: "verouderd: het Nederlands is veranderd",
    State.WRONG_NUMBERS: "andere nummers dan het Nederlands: de lijn zegt hier het Nederlands",
    State.MISSING: "ontbreekt: de lijn zegt hier het Nederlands",
}


@dataclass(frozen=True)
class Translation:
    code: str
    language: str  # its Dutch name ("Engels")
    key: str  # "nodes.acuut.question", "contacts.de Wmo Helpdesk", "welcome"
    file: str  # the translation file's name
    text: str
    state: State
    said: str  # the state in the editor's Dutch
    review: Review | None
    dutch_hash: str = ""  # the hash of the Dutch it translates ("" when missing)
    stored: bool = True  # its file holds it (perhaps empty): the editor can write it there
    recorded: bool = False  # people record it: a changed text needs a new recording


def languages_in(files: ContentFiles) -> list[str]:
    """The codes of the languages a version has translation files for (Dutch left out)."""
    found = {kind[1] for name in files if (kind := kind_of(name)) and kind[1] != DUTCH.code}
    return sorted(found)


# libyaml's safe loader where PyYAML has it (as ivr.core.translated)
CONTACTS = "contacts"  # a translation file's contacts that are not services, by Dutch name


def _where(item: Item, field: Field, dutch: str) -> tuple[str, str] | None:
    """The translation file (by its kind) and key of a field whose Dutch is now ``dutch``; None
    for what is not translated."""
    if item.kind == PROMPT:
        return FileKind.PROMPTS.value, item.id
    if item.kind in (QUESTION, OFFERING):
        if not field.name.startswith("contacts."):
            return FileKind.TRANSLATION.value, f"nodes.{item.id}.{field.name}"
        if field.name.endswith(".name"):  # a contact's name, by its Dutch name
            return FileKind.TRANSLATION.value, f"{CONTACTS}.{dutch}"
    return None


def beside(item: Item, values: dict[str, str], files: ContentFiles) -> dict[str, list[Translation]]:
    """Per field name, each language's translation checked against the Dutch in ``values``."""
    found: dict[str, list[Translation]] = {}
    for code in languages_in(files):
        try:
            language = find(code)
        except LanguageError:
            continue
        entries = {}
        for kind, name in ((FileKind.PROMPTS, prompts_file(code)),
                           (FileKind.TRANSLATION, translation_file(code))):  # fmt: skip
            if name in files:
                read, _problems = read_entries(files[name], name)
                entries[kind.value] = (name, read)
        for field in item.fields:
            dutch = values.get(field.name, field.value)
            where = _where(item, field, dutch)
            if where is None or where[0] not in entries:
                continue
            name, read = entries[where[0]]
            if where[1] not in read:  # a contact renamed: its translations move on publishing
                where = _where(item, field, field.value) or where
            checked = check(where[1], dutch, read.get(where[1]), language, DUTCH)
            entry = checked.entry
            found.setdefault(field.name, []).append(
                Translation(
                    code=code,
                    language=language.dutch_name,
                    key=where[1],
                    file=name,
                    text=entry.text if entry else "",
                    state=checked.state,
                    said=STATES[checked.state],
                    review=entry.review if entry else None,
                    dutch_hash=entry.dutch_hash if entry else "",
                    stored=where[1] in read,
                    recorded=language.recorded,
                )
            )
    return found


def written(file_text: str, translation: Translation, text: str, dutch: str,
            review: Review | None) -> str:  # fmt: skip
    """The translation file with the translation's text, the hash of the Dutch it translates
    now (``nl:``) and who reviewed it (``reviewed:``; false: nobody yet), comments kept."""
    where = _split(translation.key)
    said: Value = {"by": review.by, "on": review.on} if review else False
    file_text = edited(file_text, (*where, "reviewed"), said)
    file_text = edited(file_text, (*where, "nl"), text_hash(dutch))
    return edited(file_text, (*where, "text"), text)


def renamed(
    files: ContentFiles, found: list[Translation], new: str, kept: bool
) -> tuple[ContentFiles, list[Translation]]:
    """A contact's translations (``found``, under its old Dutch name) moved to its new Dutch
    name: each language's entry as it was, its text, its review and the hash of the Dutch it
    translated (stale now: still spoken while its numbers match, and shown as stale until a
    person looks at it); the old entry is taken out unless ``kept`` (another advice still names
    a contact so). A language that has the new name already keeps that entry; a language that
    lacks the old one has nothing to move. Files and translations under the new name."""
    files = dict(files)
    moved: list[Translation] = []
    key = f"{CONTACTS}.{new}"
    for t in found:
        old = t.key.removeprefix(f"{CONTACTS}.")
        read, _problems = read_entries(files[t.file], t.file)
        if t.key in read and key not in read:
            raw = yaml.load(files[t.file], Loader=YAML_LOADER)[CONTACTS][old]
            files[t.file] = with_entry(files[t.file], (CONTACTS,), new, raw, after=old)
            read[key] = read[t.key]
        if t.key in read and not kept:
            files[t.file] = without_entry(files[t.file], (CONTACTS, old))
        entry = read.get(key)
        moved.append(
            replace(t, key=key, stored=entry is not None, text=entry.text if entry else "",
                    review=entry.review if entry else None,
                    dutch_hash=entry.dutch_hash if entry else "")
        )  # fmt: skip
    return files, moved


def _split(key: str) -> tuple[str, ...]:
    """ "nodes.acuut.question" -> ("nodes", "acuut", "question"); a contact's Dutch name may
    hold dots, so "contacts.<name>" splits once."""
    if key.startswith("contacts."):
        return ("contacts", key.removeprefix("contacts."))
    if key.startswith(("nodes.", "services.")):
        return tuple(key.split(".", 2))
    return (key,)
