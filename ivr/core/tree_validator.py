"""Check a tree document and build the model; every problem is reported as ``file:line: …``.

Pure: the caller hands in the text and the names of the known source documents.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from ivr.core.call_state import SERVICE_ID
from ivr.core.content_files import YAML_LOADER
from ivr.core.errors import PhoneNumberError
from ivr.core.hours import Block, HoursFormatError, is_closed_date, parse_hours
from ivr.core.phone import DutchNumber, parse_dutch_number
from ivr.core.tree_model import Contact, Node, Offering, Question, Service, Tree

# How a transfer reaches a service: ``whisper`` (who calls and why, then 1 to accept: only for a
# service that agreed to it) or ``plain`` (the default: a public line's menu or queue answers).
WHISPER, PLAIN = "whisper", "plain"
SCREENINGS = (WHISPER, PLAIN)

NODE_ID = re.compile(r"[a-z][a-z0-9_]{0,63}")
NODE_ID_RULE = "node {!r}: an id is lower-case letters, digits and '_' (at most 64)"


class _Mapping(dict[str, Any]):
    """A YAML mapping that remembers the line of each key (and of itself)."""

    line = 0
    lines: dict[str, int]


class _LineLoader(YAML_LOADER):  # type: ignore[misc,valid-type]
    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> _Mapping:  # type: ignore[override]
        mapping = _Mapping(super().construct_mapping(node, deep=True))
        mapping.line = node.start_mark.line + 1
        mapping.lines = {k.value: k.start_mark.line + 1 for k, _ in node.value}
        return mapping


_LineLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _LineLoader.construct_mapping
)


class _Checker:
    def __init__(self, filename: str, known_sources: frozenset[str]) -> None:
        self.filename = filename
        self.known_sources = known_sources
        self.problems: list[str] = []

    def report(self, where: _Mapping | None, key: str | None, message: str) -> None:
        line = (where.lines.get(key, where.line) if key else where.line) if where else 1
        self.problems.append(f"{self.filename}:{line}: {message}")

    def text(self, m: _Mapping, key: str, what: str) -> str:
        value = m.get(key)
        if not isinstance(value, str) or not value.strip():
            self.report(m, key, f"{what} needs a non-empty '{key}'")
            return ""
        return " ".join(value.split())

    def source(self, m: _Mapping, what: str) -> str:
        if "source_note" in m:  # an editor's free-text source (a call, a letter), kept as said
            self.text(m, "source_note", what)
        source = self.text(m, "source", what)
        for name in filter(None, (s.strip() for s in source.split(","))):
            if self.known_sources and name not in self.known_sources:
                self.report(m, "source", f"{what}: source {name!r} is not a seed or note file")
        return source

    def phone(self, m: _Mapping, what: str) -> DutchNumber | None:
        try:
            return parse_dutch_number(str(m["phone"]))
        except PhoneNumberError as exc:
            self.report(m, "phone", f"{what}: {exc}")
            return None

    def hours(self, m: _Mapping, what: str, key: str = "hours") -> tuple[Block, ...] | None:
        if m.get(key) is None:
            return None
        try:
            return parse_hours(str(m[key]))
        except HoursFormatError as exc:
            self.report(m, key, f"{what}: {exc}")
            return None

    def dates(self, m: _Mapping, what: str) -> tuple[str, ...]:
        found = tuple(str(day).strip() for day in m.get("closed_dates") or ())
        for day in found:
            if not is_closed_date(day):
                self.report(m, "closed_dates", f"{what}: {day!r}: use MM-DD or YYYY-MM-DD")
        return found


def check_tree(
    text: str, filename: str, known_sources: frozenset[str] = frozenset()
) -> tuple[Tree | None, list[str]]:
    """Validate a tree document. Returns the tree (None when unusable) and all problems."""
    c = _Checker(filename, known_sources)
    try:
        doc = yaml.load(text, Loader=_LineLoader)  # a safe loader that keeps line numbers
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        return None, [f"{filename}:{line}: not valid YAML: {exc}"]
    if not isinstance(doc, _Mapping) or not isinstance(doc.get("nodes"), _Mapping):
        return None, [f"{filename}:1: the tree needs 'start', 'services' and 'nodes' mappings"]
    services = _services(c, doc.get("services"))
    nodes: dict[str, Node] = {}
    for node_id, raw in doc["nodes"].items():
        if not NODE_ID.fullmatch(str(node_id)):
            # node ids are the keys of the call figures (ivr.core.call_counts)
            c.report(doc["nodes"], node_id, NODE_ID_RULE.format(node_id))
        if not isinstance(raw, _Mapping):
            c.report(doc["nodes"], node_id, f"node {node_id!r} must be a mapping")
        elif "question" in raw:
            nodes[node_id] = _question(c, node_id, raw)
        elif "offering" in raw:
            nodes[node_id] = _offering(c, node_id, raw, services)
        else:
            c.report(raw, None, f"node {node_id!r} needs 'question' or 'offering'")
    helpdesk = doc.get("helpdesk")
    if helpdesk not in services:
        known = ", ".join(services)
        c.report(doc, "helpdesk", f"'helpdesk' must name a service ({known}), not {helpdesk!r}")
    start = doc.get("start")
    if start not in nodes:
        c.report(doc, "start", f"start {start!r} is not a node")
        return None, c.problems
    _check_graph(c, doc["nodes"], nodes, str(start))
    if c.problems:
        return None, c.problems
    return Tree(str(start), nodes, services, str(helpdesk)), []


def _services(c: _Checker, raw: Any) -> dict[str, Service]:
    services: dict[str, Service] = {}
    if not isinstance(raw, _Mapping):
        c.problems.append(f"{c.filename}:1: 'services' must map ids to services")
        return services
    for sid, m in raw.items():
        what = f"service {sid!r}"
        if not isinstance(m, _Mapping):
            c.report(raw, sid, f"{what} must be a mapping")
            continue
        if not SERVICE_ID.fullmatch(str(sid)):
            # the id names its settings (<ID>_HOURS …) and travels in webhook URLs
            c.report(raw, sid, f"{what}: an id is lower-case letters and '_' (at most 32)")
        name, source = c.text(m, "name", what), c.source(m, what)
        phone, hours = c.phone(m, what), c.hours(m, what)
        assumed = c.hours(m, what, "assumed_hours")
        if hours is None and assumed is None:
            c.report(m, None, f"{what} needs 'hours' (from a source) or 'assumed_hours'")
        said = c.text(m, "hours_said", what) if hours is None and assumed else None
        closed = c.dates(m, what)
        works = tuple(str(day).strip().lower() for day in m.get("open_holidays") or ())
        screening = m.get("screening", PLAIN)
        if screening not in SCREENINGS:
            c.report(m, "screening", f"{what}: 'screening' is {' or '.join(SCREENINGS)}")
        if phone:
            web = m.get("web")
            services[sid] = Service(
                sid, name, phone, hours, web, source, assumed, said, closed, works,
                screening == WHISPER,
            )  # fmt: skip
    return services


def _question(c: _Checker, node_id: str, m: _Mapping) -> Question:
    what = f"question {node_id!r}"
    for branch in ("ja", "nee"):
        if not m.get(branch):
            c.report(m, None, f"{what} needs both branches: '{branch}' is missing")
    short = c.text(m, "kort", what) if "kort" in m else ""
    return Question(
        node_id, c.text(m, "question", what), c.text(m, "help", what),
        str(m.get("ja", "")), str(m.get("nee", "")), c.source(m, what), short,
    )  # fmt: skip


def _offering(c: _Checker, node_id: str, m: _Mapping, services: dict[str, Service]) -> Offering:
    what = f"offering {node_id!r}"
    contacts: list[Contact] = []
    for raw in m.get("contacts") or []:
        if isinstance(raw, _Mapping) and "service" in raw:
            svc = services.get(str(raw["service"]))
            if svc is None:
                c.report(raw, "service", f"{what}: unknown service {raw['service']!r}")
            else:
                contacts.append(Contact(svc.name, svc.phone, svc.hours, svc.id))
        elif isinstance(raw, _Mapping):
            name = c.text(raw, "name", f"{what} contact")
            phone = c.phone(raw, what) if "phone" in raw else None
            contacts.append(Contact(name, phone, c.hours(raw, what)))
        else:
            c.report(m, "contacts", f"{what}: each contact is a mapping")
    if not any(ct.phone for ct in contacts):
        c.report(m, "contacts" if "contacts" in m else None,
                 f"{what} needs at least one contact with a phone number")  # fmt: skip
    transfer = str(m.get("transfer", ""))
    if transfer not in services:
        c.report(m, "transfer" if "transfer" in m else None,
                 f"{what}: 'transfer' must name a service ({', '.join(services)})")  # fmt: skip
    sms = c.text(m, "sms", what) if "sms" in m else ""
    urgent = m.get("urgent", False)
    if not isinstance(urgent, bool):
        c.report(m, "urgent", f"{what}: 'urgent' is true or false")
    return Offering(
        node_id, c.text(m, "offering", what), c.text(m, "text", what), tuple(contacts),
        transfer, m.get("web"), c.source(m, what), sms, urgent is True,
    )  # fmt: skip


def _check_graph(c: _Checker, raw: _Mapping, nodes: dict[str, Node], start: str) -> None:
    for node in nodes.values():
        if isinstance(node, Question):
            for branch, target in (("ja", node.yes), ("nee", node.no)):
                if target and target not in nodes:
                    message = f"question {node.id!r}: unknown target {target!r}"
                    c.report(raw[node.id], branch, message)
    seen: set[str] = set()
    on_stack: list[str] = []

    def visit(node_id: str) -> None:
        if node_id in on_stack:
            cycle = " -> ".join([*on_stack[on_stack.index(node_id) :], node_id])
            c.report(raw[node_id], None, f"cycle: {cycle}")
            return
        if node_id in seen or node_id not in nodes:
            return
        seen.add(node_id)
        node = nodes[node_id]
        if isinstance(node, Question):
            on_stack.append(node_id)
            visit(node.yes)
            visit(node.no)
            on_stack.pop()

    visit(start)
    for node_id in nodes.keys() - seen:
        c.report(raw[node_id], None, f"node {node_id!r} is unreachable from start {start!r}")
