"""A language's tree and prompts, made from the Dutch and its translations. Pure.

``dutch_texts`` lists every Dutch text a language translates, by key; ``read_entries`` reads a
translation file (``ivr.core.translation`` describes the format); ``translate_tree`` and
``translate_prompts`` put the spoken translations in place and keep the Dutch, as
``InLanguage(…, "nl")``, where a translation may not be spoken.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date

import yaml

from ivr.core.content_files import YAML_LOADER
from ivr.core.language import SOURCE, InLanguage, Language
from ivr.core.prompts import Prompts
from ivr.core.translation import Checked, Entry, Review
from ivr.core.tree_model import Offering, Question, Tree

# The tree's field names (as in its YAML and in the translation file) and the model's.
_QUESTION = {"question": "text", "help": "help"}
_OFFERING = {"offering": "title", "text": "text", "sms": "sms"}
_SERVICE = {"name": "name", "hours_said": "hours_said"}


@dataclass(frozen=True)
class LineLanguage:
    """Everything the line needs to speak one language: its words, its tree and prompts (the
    Dutch where a translation may not be spoken), its ``<Say>`` voice ("" for a recorded
    language), and each text's translation checked against the Dutch, by key (empty for Dutch).
    """

    language: Language
    tree: Tree
    prompts: Prompts
    voice: str
    checked: Mapping[str, Checked]


def dutch_texts(tree: Tree) -> dict[str, str]:
    """Every Dutch text of the tree a language translates, keyed as in its translation file,
    in the order a caller meets them (services first, then the nodes, then contact names)."""
    found: dict[str, str] = {}
    for service in tree.services.values():
        for field, attr in _SERVICE.items():
            if getattr(service, attr):
                found[f"services.{service.id}.{field}"] = getattr(service, attr)
    for node in tree.nodes.values():
        for field, attr in _fields(node).items():
            if getattr(node, attr):
                found[f"nodes.{node.id}.{field}"] = getattr(node, attr)
    for node in tree.nodes.values():
        if isinstance(node, Offering):
            for contact in node.contacts:
                if contact.service is None:
                    found.setdefault(f"contacts.{contact.name}", contact.name)
    return found


def _fields(node: Question | Offering) -> dict[str, str]:
    return _QUESTION if isinstance(node, Question) else _OFFERING


# libyaml's safe loader where PyYAML has it (its wheels do): a language's two files are read in
# 4 ms instead of 35 ms, at every start of the line.


def read_entries(text: str, filename: str) -> tuple[dict[str, Entry], list[str]]:
    """A translation file's texts by key (nested keys joined by dots), or its problems."""
    try:
        raw = yaml.load(text, Loader=YAML_LOADER)
    except yaml.YAMLError as exc:
        return {}, [f"{filename}: not valid YAML: {exc}"]
    if raw is None:
        return {}, []
    if not isinstance(raw, dict):
        return {}, [f"{filename}: a translation file maps keys to texts"]
    entries: dict[str, Entry] = {}
    problems: list[str] = []
    _walk(raw, "", filename, entries, problems)
    return entries, problems


def _walk(
    raw: Mapping[object, object],
    prefix: str,
    filename: str,
    entries: dict[str, Entry],
    problems: list[str],
) -> None:
    for name, value in raw.items():
        key = f"{prefix}{name}"
        if not isinstance(value, dict):
            problems.append(f"{filename}: {key}: a mapping with text, nl and reviewed")
        elif "text" in value and not isinstance(value["text"], dict):
            # (an offering's own "text" field is a mapping: a text of its own, walked on)
            entry, problem = _entry(value)
            if problem:
                problems.append(f"{filename}: {key}: {problem}")
            else:
                entries[key] = entry
        else:
            _walk(value, f"{key}.", filename, entries, problems)


def _entry(value: Mapping[str, object]) -> tuple[Entry, str]:
    text, dutch, reviewed = value.get("text"), value.get("nl"), value.get("reviewed", False)
    empty = Entry("", "")
    if not isinstance(text, str):
        return empty, "text is not a text"
    if isinstance(dutch, int) and not isinstance(dutch, bool):
        return empty, f'nl: write the hash in quotes ("{dutch}"): YAML reads digits as a number'
    if not isinstance(dutch, str) or not dutch:
        return empty, "nl: the hash of the Dutch text it translates is missing"
    if reviewed is False or reviewed is None:
        return Entry(" ".join(text.split()), dutch), ""
    if not isinstance(reviewed, dict):
        return empty, "reviewed is false or {by: a name, on: a date}"
    by, on = reviewed.get("by"), reviewed.get("on")
    if not isinstance(by, str) or not by.strip() or not isinstance(on, date):
        return empty, "reviewed needs by (a name) and on (a date, 2026-12-06)"
    return Entry(" ".join(text.split()), dutch, Review(by.strip(), on)), ""


def _said(checked: Checked) -> str:
    """What the line says for a text: the translation, else the Dutch in Dutch."""
    if checked.spoken and checked.entry is not None:
        return checked.entry.text
    return InLanguage(checked.dutch, SOURCE)


def translate_tree(tree: Tree, checked: Mapping[str, Checked]) -> Tree:
    """The tree with each text in the language (its ``checked`` translations, by key)."""

    def said(key: str, dutch: str) -> str:
        found = checked.get(key)
        return _said(found) if found is not None else dutch

    services = {
        sid: replace(
            service,
            **{
                attr: said(f"services.{sid}.{field}", getattr(service, attr))
                for field, attr in _SERVICE.items()
                if getattr(service, attr)
            },
        )
        for sid, service in tree.services.items()
    }
    nodes: dict[str, Question | Offering] = {}
    for nid, node in tree.nodes.items():
        texts = {
            attr: said(f"nodes.{nid}.{field}", getattr(node, attr))
            for field, attr in _fields(node).items()
            if getattr(node, attr)
        }
        if isinstance(node, Offering):
            contacts = tuple(
                replace(c, name=services[c.service].name)  # its service's name, translated
                if c.service
                else replace(c, name=said(f"contacts.{c.name}", c.name))
                for c in node.contacts
            )
            nodes[nid] = replace(node, contacts=contacts, **texts)
        else:
            nodes[nid] = replace(node, **texts)
    return replace(tree, nodes=nodes, services=services)


def translate_prompts(prompts: Prompts, checked: Mapping[str, Checked]) -> Prompts:
    """The prompts in the language; a prompt that may not be spoken stays Dutch."""
    texts = {}
    dutch = set()
    for key, text in prompts.texts.items():
        found = checked.get(key)
        if found is not None and found.spoken and found.entry is not None:
            texts[key] = found.entry.text
        else:
            texts[key] = text
            dutch.add(key)
    return Prompts(texts, in_source=frozenset(dutch))
