"""Composes what the line says: questions with their hints, offerings with their numbers.

In one language: its prompts, and its words for numbers and hours (``ivr.core.language``).
Pure, and built once at start so a webhook only looks texts up.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from ivr.core.actions import Say
from ivr.core.call_state import Route, Stage, Step
from ivr.core.errors import CallStateError
from ivr.core.hours import ServiceHours, spoken_hours
from ivr.core.language import InLanguage, Language
from ivr.core.languages import DUTCH
from ivr.core.phone import DutchNumber
from ivr.core.prompts import Prompts
from ivr.core.tree_model import Contact, Offering, Question, Tree


class Speech:
    def __init__(
        self,
        tree: Tree,
        prompts: Prompts,
        opening_hours: Mapping[str, ServiceHours],
        language: Language = DUTCH,
    ) -> None:
        """``prompts`` and each service's ``opening_hours`` (said in words) in ``language``."""
        self.tree = tree
        self.prompts = prompts
        self.opening_hours = opening_hours
        self.language = language
        offerings = [node for node in tree.nodes.values() if isinstance(node, Offering)]
        self._numbers = {node.id: self._compose_numbers(node) for node in offerings}
        self._offerings = {node.id: self._compose_offering(node) for node in offerings}

    def number(self, service_id: str) -> str:
        return self.digits(self.tree.services[service_id].phone)

    def digits(self, number: DutchNumber) -> str:
        """A phone number digit by digit, in the written groups."""
        return number.spoken_in(self.language)

    def hours(self, service_id: str) -> str:
        return self.opening_hours[service_id].spoken()

    def prompt_for(self, step: Step) -> tuple[str, ...]:
        """What is asked at a step of the tree (a question, the menu after an offering) or
        after an apology; ``ivr.core.dialogue`` adds the hint after a miss."""
        p = self.prompts
        node = self.tree.node_at(step.path)
        if step.route is Route.ANSWER and isinstance(node, Question):
            return (node.text,)
        if step.route is Route.MENU and isinstance(node, Offering):
            if step.stage is Stage.OFFER:
                name = self.tree.services[node.transfer].name
                return (p("offer_transfer", service=name), p("offer_repeat"), p("offer_numbers"))
            return (p("restart_question"), p("offer_repeat"), p("offer_numbers"))
        if step.route is Route.RECOVER:
            return (p("recover_menu"),)
        raise CallStateError(f"nothing is asked at {step.route.value} {step.path!r}")

    def offering(self, offering: Offering) -> tuple[Say, ...]:
        return self._offerings[offering.id]

    def numbers(self, offering: Offering) -> tuple[Say, ...]:
        """Only the phone numbers of the offering's advice, as the advice says them (key 8, and
        after an SMS that failed)."""
        return self._numbers[offering.id]

    def closed(self, service_id: str, now: datetime) -> tuple[Say, ...]:
        """Closed, said once: when it opens again (holidays included), else its hours."""
        name = self.tree.services[service_id].name
        when = self.opening_hours[service_id].reopens(now)
        if when:
            return (Say(self.prompts("closed_until", service=name, when=when)),)
        return (Say(self.prompts("closed_now", service=name, hours=self.hours(service_id))),)

    def call_later(self, service_id: str, hours: bool = True) -> tuple[Say, ...]:
        """Call the service later yourself: its number, and its hours (``hours``: not while it
        is open: a busy line)."""
        service = self.tree.services[service_id]
        number = self.digits(service.phone)
        later = Say(self.prompts("call_later", service=service.name, number=number))
        if not hours:
            return (later,)
        said = self.prompts("contact_hours", service=service.name, hours=self.hours(service_id))
        return (later, Say(said))

    def _compose_offering(self, offering: Offering) -> tuple[Say, ...]:
        title = _in_language_of(offering.title, f"{offering.title}.")
        return (Say(title), Say(offering.text), *self._numbers[offering.id])

    def _compose_numbers(self, offering: Offering) -> tuple[Say, ...]:
        """Each contact's number, read twice; "pak pen en papier" first, unless the only numbers
        are short ones nobody writes down (112)."""
        said = tuple(said for contact in offering.contacts for said in self._contact(contact))
        phones = [contact.phone for contact in offering.contacts if contact.phone]
        if any(len(phone.digits) > 3 for phone in phones):
            return (Say(self.prompts("numbers_intro")), *said)
        return said

    def contact_hours(self, contact: Contact) -> str | None:
        """When a contact is open, in words: its service's hours, else its own, if known."""
        if contact.service:
            return self.hours(contact.service)
        return spoken_hours(contact.hours, self.language) if contact.hours else None

    def _contact(self, contact: Contact) -> list[Say]:
        if contact.phone is None:
            return []
        hours = self.contact_hours(contact)
        key = "contact_call_free" if contact.phone.is_free else "contact_call"
        values = {"service": contact.name, "number": self.digits(contact.phone)}
        if hours:
            key, values["hours"] = f"{key}_hours", hours
        return [Say(self.prompts(key, **values))]


def _in_language_of(text: str, made: str) -> str:
    """``made`` from ``text``, in the language ``text`` is in (an ``InLanguage`` stays one)."""
    return InLanguage(made, text.language) if isinstance(text, InLanguage) else made
