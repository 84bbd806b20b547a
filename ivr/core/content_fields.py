"""What an editor can change, in the order a caller meets it. Pure.

The tree's questions and advice (from its start, depth first, ja before nee), then the prompts
(in their file's order), then the services: each an ``Item`` with its ``Field``s, named as the
YAML names them (``question``, ``help``; ``offering``, ``text``, ``sms``, a contact's
``contacts.0.phone``; a service's ``phone``, ``hours``, ``closed_dates``; a prompt's ``text``),
each with its value as the YAML holds it and where in which file it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml

from ivr.core.content_files import DUTCH_PROMPTS, TREE, YAML_LOADER
from ivr.core.tree_model import NO, YES, Offering, Question, Tree

QUESTION, OFFERING, PROMPT, SERVICE = "vraag", "advies", "tekst", "dienst"
# Fields that hold a list in the YAML: written one per comma in the form.
LISTS = frozenset({"closed_dates"})
# The environment setting that wins over a service's field (ivr.config.services).
SETTINGS = {"hours": "{}_HOURS", "closed_dates": "{}_CLOSED_DATES", "phone": "{}_DIAL_NUMBER"}
# libyaml's safe loader where PyYAML has it (as ivr.core.translated): the tree in 4 ms, not 60.
# Of those, the settings that replace the field (the dial number only changes whom a transfer
# calls: callers still hear and get the tree's number).
REPLACED = frozenset({"hours", "closed_dates"})


@dataclass(frozen=True)
class Field:
    name: str  # the form's name, as the YAML names it: "question", "contacts.0.phone"
    label: str  # Dutch, for the editor
    value: str  # as the YAML holds it (a list joined by ", ")
    file: str  # the content file it is in (ivr.core.content_files: TREE, DUTCH_PROMPTS)
    path: tuple[str | int, ...]  # where in the file: ("nodes", "acuut", "question")
    kind: str = "text"  # "text" (spoken), "sms" (read), "phone", "hours", "dates", "name"
    setting: str = ""  # the environment setting that overrides it, if any

    @property
    def long(self) -> bool:
        return self.kind in ("text", "sms")


@dataclass(frozen=True)
class Item:
    kind: str  # QUESTION, OFFERING, PROMPT or SERVICE
    id: str  # a node id, a prompt key or a service id
    title: str
    fields: tuple[Field, ...]
    source: str = ""  # the tree's ``source:`` of a node or a service
    path: str = ""  # a node's answer path from the start (where the web phone starts)
    # An advice's contacts that are services: their numbers are edited at the service.
    services: tuple[str, ...] = ()

    def field(self, name: str) -> Field | None:
        return next((f for f in self.fields if f.name == name), None)


def shown(value: Any) -> str:
    """A YAML value as the form shows it."""
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return " ".join(str(value).split())


def caller_order(tree: Tree) -> dict[str, str]:
    """Every node reached from the start, depth first (ja before nee), with its first path."""
    found: dict[str, str] = {}

    def walk(node_id: str, path: str) -> None:
        if node_id in found or node_id not in tree.nodes:
            return
        found[node_id] = path
        node = tree.nodes[node_id]
        if isinstance(node, Question):
            walk(node.yes, path + YES)
            walk(node.no, path + NO)

    walk(tree.start, "")
    return found


def items(tree: Tree, tree_text: str, prompts_text: str) -> list[Item]:
    """Every item, in the order a caller meets it; values from the YAML texts."""
    raw_tree = yaml.load(tree_text, Loader=YAML_LOADER) or {}
    raw_prompts = yaml.load(prompts_text, Loader=YAML_LOADER) or {}
    found = [_node(tree, node_id, path, raw_tree) for node_id, path in caller_order(tree).items()]
    for key, value in raw_prompts.items():
        field = Field("text", "Tekst", shown(value), DUTCH_PROMPTS, (key,))
        found.append(Item(PROMPT, str(key), str(key), (field,)))
    for sid, service in tree.services.items():
        found.append(_service(sid, service.name, raw_tree["services"][sid]))
    return found


def _node(tree: Tree, node_id: str, path: str, raw_tree: dict[str, Any]) -> Item:
    node = tree.nodes[node_id]
    raw = raw_tree["nodes"][node_id]
    where: tuple[str | int, ...] = ("nodes", node_id)
    if isinstance(node, Question):
        fields = (
            Field("question", "Vraag", shown(raw.get("question")), TREE, (*where, "question")),
            Field("help", "Uitleg (toets 3)", shown(raw.get("help")), TREE, (*where, "help")),
        )
        return Item(QUESTION, node_id, node.text, fields, node.source, path)
    assert isinstance(node, Offering)
    fields_list = [
        Field("offering", "Titel", shown(raw.get("offering")), TREE, (*where, "offering"), "name"),
        Field("text", "Advies", shown(raw.get("text")), TREE, (*where, "text")),
    ]
    if "sms" in raw:
        fields_list.append(Field("sms", "Sms", shown(raw.get("sms")), TREE, (*where, "sms"), "sms"))
    services = []
    for n, contact in enumerate(raw.get("contacts") or []):
        if "service" in contact:
            services.append(str(contact["service"]))
            continue
        at = (*where, "contacts", n)
        called = shown(contact.get("name")) or f"contact {n + 1}"
        for key, label, kind in (
            ("name", f"Naam van contact {n + 1}", "name"),
            ("phone", f"Telefoonnummer van {called}", "phone"),
            ("hours", f"Openingstijden van {called}", "hours"),
        ):
            if key in contact:
                value = shown(contact[key])
                name = label
                fields_list.append(
                    Field(f"contacts.{n}.{key}", name, value, TREE, (*at, key), kind)
                )
    return Item(OFFERING, node_id, node.title, tuple(fields_list), node.source, path,
                tuple(services))  # fmt: skip


def _service(sid: str, name: str, raw: dict[str, Any]) -> Item:
    where: tuple[str | int, ...] = ("services", sid)
    prefix = sid.upper()
    fields = (
        Field("phone", "Telefoonnummer", shown(raw.get("phone")), TREE, (*where, "phone"),
              "phone", SETTINGS["phone"].format(prefix)),
        Field("hours", "Openingstijden", shown(raw.get("hours")), TREE, (*where, "hours"),
              "hours", SETTINGS["hours"].format(prefix)),
        Field("closed_dates", "Dicht op (naast de feestdagen)", shown(raw.get("closed_dates")),
              TREE, (*where, "closed_dates"), "dates", SETTINGS["closed_dates"].format(prefix)),
    )  # fmt: skip
    return Item(SERVICE, sid, name, fields, shown(raw.get("source")))


def assumed_hours(tree_text: str, sid: str) -> tuple[str, str]:
    """A service's assumed hours and what the line says instead, when its hours are not known."""
    raw = (yaml.load(tree_text, Loader=YAML_LOADER) or {}).get("services", {}).get(sid, {})
    return shown(raw.get("assumed_hours")), shown(raw.get("hours_said"))


def value_for_yaml(field: Field, posted: str) -> str | list[str]:
    """What a posted value becomes in the YAML: a list for ``closed_dates``, else the text."""
    text = " ".join(posted.split())
    if field.name in LISTS or field.kind == "dates":
        return [part.strip() for part in text.split(",") if part.strip()]
    return text
