"""The decision tree as immutable data: questions, offerings, contacts, services."""

from __future__ import annotations

from dataclasses import dataclass

from ivr.core.errors import CallStateError
from ivr.core.hours import Block
from ivr.core.phone import DutchNumber

YES, NO = "j", "n"


@dataclass(frozen=True)
class Contact:
    name: str
    phone: DutchNumber | None
    hours: tuple[Block, ...] | None = None
    service: str | None = None  # service id when the contact is a transfer target


@dataclass(frozen=True)
class Service:
    id: str
    name: str
    phone: DutchNumber
    hours: tuple[Block, ...] | None  # None: not in the seeds (see assumed_hours)
    web: str | None
    source: str
    # Where the seeds give no hours: an assumption, used until <ID>_HOURS states the real ones.
    assumed_hours: tuple[Block, ...] | None = None
    # Said instead of assumed hours (a source's words, like "tijdens kantooruren").
    hours_said: str | None = None
    closed_dates: tuple[str, ...] = ()  # MM-DD or YYYY-MM-DD, closed although a working day
    open_holidays: tuple[str, ...] = ()  # public holidays (Dutch name or date) it works anyway
    # True ("screening: whisper"): a service that agreed to hear a whisper and press 1 to accept.
    # False ("screening: plain"): a public line (a menu or a queue answers): a plain transfer.
    screened: bool = False


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    help: str
    yes: str
    no: str
    source: str
    short: str = ""  # a few plain words for staff (the whisper): "respijtzorg", "acuut"


@dataclass(frozen=True)
class Offering:
    id: str
    title: str
    text: str
    contacts: tuple[Contact, ...]
    transfer: str
    web: str | None
    source: str
    sms: str = ""  # the SMS's action: what to do, whom to call, when (B1; SMS <= 3 segments)
    # "urgent: true": a callback asked for after this advice comes first on the worklist
    urgent: bool = False


Node = Question | Offering


@dataclass(frozen=True)
class Tree:
    start: str
    nodes: dict[str, Node]
    services: dict[str, Service]
    helpdesk: str  # the service behind key 0, the last resort and every callback

    def node_at(self, path: str) -> Node | None:
        """The node reached from the start by a path of answers (``"jn"``: ja, then nee)."""
        node: Node | None = self.nodes.get(self.start)
        for answer in path:
            if not isinstance(node, Question) or answer not in (YES, NO):
                return None
            node = self.nodes.get(node.yes if answer == YES else node.no)
        return node

    def reached(self, path: str) -> Node:
        """The node at ``path``; CallStateError when the path leads nowhere (a URL's call state
        that does not fit this tree)."""
        node = self.node_at(path)
        if node is None:
            raise CallStateError(f"path {path!r} leads nowhere in the tree")
        return node

    def trail(self, path: str) -> list[tuple[Question, bool]]:
        """The questions asked along ``path`` with the answer given to each."""
        steps: list[tuple[Question, bool]] = []
        for i, answer in enumerate(path):
            node = self.node_at(path[:i])
            if isinstance(node, Question):
                steps.append((node, answer == YES))
        return steps

    def paths(self) -> dict[str, str]:
        """Every answer path that ends on an offering, mapped to that offering's id."""
        found: dict[str, str] = {}

        def walk(node_id: str, path: str) -> None:
            node = self.nodes[node_id]
            if isinstance(node, Offering):
                found[path] = node.id
                return
            walk(node.yes, path + YES)
            walk(node.no, path + NO)

        walk(self.start, "")
        return found
