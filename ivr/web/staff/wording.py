"""What the staff console says: Dutch dates and times, outcomes of actions, the editor's names
for the kinds of items and when the line says each of its fixed sentences (the prompts, by the
start of their keys), page rendering."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from flask import Flask, Response, make_response, render_template

from ivr.core.content_fields import OFFERING, PROMPT, QUESTION, SERVICE, Item
from ivr.core.errors import IvrError
from ivr.core.hours import AMSTERDAM
from ivr.core.language import SOURCE
from ivr.core.languages import dutch_name
from ivr.core.phone import parse_dutch_number
from ivr.core.triage import Reasons
from ivr.core.worklist import Action, Outcome, Result, WorkItem

DAYS = ("ma", "di", "wo", "do", "vr", "za", "zo")
MONTHS = ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec")
ACTIONS = {
    Action.CLAIM: "ging bellen",
    Action.TAKE_OVER: "nam het over",
    Action.RELEASE: "liet het los",
    Action.ATTEMPT: "niet bereikt",
    Action.DONE: "gebeld — geholpen",
    Action.UNREACHED: "niet bereikt — gesloten",
    Action.NOTE: "notitie",
    Action.REOPEN: "heropend",
}


# The worklist's buttons, by the action's name in their URL (``staff.act``): what a worker
# clicked, said back when the click came after the session had ended.
BUTTONS = {
    "claim": "Ik bel",
    "take_over": "Overnemen",
    "release": "Loslaten",
    "done": "Gebeld — geholpen",
    "not_reached": "Niet bereikt",
    "reopen": "Heropenen",
    "note": "Notitie opslaan",
}


def moment(value: datetime | None) -> str:
    """``ma 23 nov 10:32`` in Amsterdam time."""
    if value is None:
        return "-"
    local = value.astimezone(AMSTERDAM)
    return f"{DAYS[local.weekday()]} {local.day} {MONTHS[local.month - 1]} {local:%H:%M}"


def waited(since: datetime, now: datetime) -> str:
    """How long a caller has waited, in plain Dutch: ``net gevraagd`` (under a minute),
    ``wacht 25 minuten``, ``wacht 3 uur``
    (today), ``wacht sinds gisteren 16:05``, ``wacht 3 dagen, sinds vr 20 nov 16:05``."""
    minutes = int((now - since).total_seconds() // 60)
    asked, today = since.astimezone(AMSTERDAM), now.astimezone(AMSTERDAM).date()
    if minutes < 1:
        return "net gevraagd"
    if minutes < 60:
        return f"wacht {minutes} {'minuut' if minutes == 1 else 'minuten'}"
    if asked.date() == today:
        return f"wacht {minutes // 60} uur"
    if asked.date() == today - timedelta(days=1):
        return f"wacht sinds gisteren {asked:%H:%M}"
    return f"wacht {(today - asked.date()).days} dagen, sinds {moment(since)}"


def reason(item: WorkItem, reasons: Reasons) -> str:
    """Where the caller asked for the callback: after which advice, or at which question."""
    if reasons.after_advice(item):
        return f"na het advies “{item.reached}”"
    return f"bij de vraag “{item.reached}”"


def number_source(typed: bool | None) -> str:
    if typed is None:
        return "onbekend"
    return "door de beller ingetoetst" if typed else "het nummer waarmee de beller belde"


def languages_named(items: Sequence[WorkItem]) -> str:
    """The languages the callers chose, other than Dutch, by their Dutch names ("Engels");
    "" when all spoke Dutch (the worklist then says nothing of it)."""
    codes = dict.fromkeys(item.language for item in items if item.language != SOURCE)
    return " en ".join(dutch_name(code) for code in codes)


def requests_named(ids: Sequence[int]) -> str:
    """``verzoek 3``, ``verzoeken 3 en 5``, ``verzoeken 3, 5 en 8``."""
    if len(ids) == 1:
        return f"verzoek {ids[0]}"
    return "verzoeken " + ", ".join(map(str, ids[:-1])) + f" en {ids[-1]}"


def written_number(e164: str) -> str:
    """``06 12 34 56 78``; anything unexpected is shown as stored."""
    try:
        return parse_dutch_number(e164).written
    except IvrError:
        return e164


def outcome(request_id: int, done: Outcome, max_attempts: int) -> tuple[str, str]:
    """The flash message (category, text) for what an action came to."""
    n = f"Verzoek {request_id}"
    if done.ok and len(done.ids) > 1:
        return "ok", _on_a_number(done, max_attempts)
    if done.result is Result.OK:
        return "ok", {
            Action.CLAIM: f"{n} staat op uw naam. U belt.",
            Action.TAKE_OVER: f"{n} staat nu op uw naam.",
            Action.RELEASE: f"{n} is weer vrij voor een collega.",
            Action.ATTEMPT: f"Poging {done.attempts} van {max_attempts} genoteerd. "
            f"{n} blijft open.",
            Action.UNREACHED: f"Poging {done.attempts} van {max_attempts}. "
            f"{n} is gesloten als niet bereikt.",
            Action.DONE: f"{n} is afgehandeld. Dank u wel.",
            Action.NOTE: f"Notitie bij verzoek {request_id} opgeslagen.",
            Action.REOPEN: f"{n} staat weer open, bij de open verzoeken.",
        }[done.action]
    return "warn", {
        Result.NOT_FOUND: f"{n} bestaat niet (meer).",
        Result.CLOSED: f"{n} is al gesloten door {done.by or 'een collega'}.",
        Result.CLAIMED_BY_OTHER: f"{n} wordt al gebeld door {done.by}. "
        "Neem het over als dat nodig is.",
        Result.CLAIMED_BY_YOU: f"U belt {n.lower()} al.",
        Result.NOT_CLAIMED: f"{n} stond niet op uw naam.",
        Result.EMPTY_NOTE: "De notitie was leeg. Er is niets opgeslagen.",
        Result.STILL_OPEN: f"{n} staat al open.",
        Result.NEW_REQUEST: "Niet opgeslagen: dit nummer vroeg intussen opnieuw om terugbellen. "
        "Lees het nieuwe verzoek hieronder en klik dan opnieuw.",
    }[done.result]


def _on_a_number(done: Outcome, max_attempts: int) -> str:
    """What an action on several requests from one number did."""
    named = requests_named(done.ids)
    if done.action in (Action.ATTEMPT, Action.UNREACHED):
        each = "; ".join(
            f"verzoek {change.id}: poging {change.attempts} van {max_attempts}, "
            + ("gesloten als niet bereikt" if change.event is Action.UNREACHED else "blijft open")
            for change in done.changes
        )
        return f"Niet bereikt genoteerd bij {named} ({each})."
    said = {
        Action.CLAIM: "staan op uw naam. U belt.",
        Action.TAKE_OVER: "staan nu op uw naam.",
        Action.RELEASE: "zijn weer vrij voor een collega.",
        Action.DONE: "zijn afgehandeld. Dank u wel.",
    }
    if done.action is Action.NOTE:
        return f"Notitie bij {named} opgeslagen."
    return f"{named.capitalize()} {said[done.action]}"


# What the editor's pages call the kinds of items.
KIND_NAMES = {QUESTION: "Vraag", OFFERING: "Advies", PROMPT: "Tekst van de lijn",
              SERVICE: "Dienst"}  # fmt: skip

# When the line says a prompt, for an editor: by the start of its key (the first that fits).
PROMPT_MOMENTS = (
    (("contact_", "offer_", "numbers_intro", "closed_", "menu_help", "restart_question"),
     "Bij het advies: nummers, openingstijden en het menu erna"),
    (("welcome", "keys"), "Het welkom en de toetsen"),
    (("connecting", "call_later", "no_answer", "transfer_"), "Doorverbinden"),
    (("callback_",), "Terugbellen"),
    (("sms_",), "De sms en wat de lijn erover zegt"),
    (("whisper_",), "Wat de helpdesk hoort als een beller wordt doorverbonden"),
)  # fmt: skip
OTHER_MOMENTS = "Als de beller niets of iets onverwachts toetst, terug wil of ophangt"


def by_moment(prompts: list[Item]) -> list[tuple[str, list[Item]]]:
    """The prompts by when the line says them, each group where its first prompt is."""
    groups: dict[str, list[Item]] = {}
    for item in prompts:
        groups.setdefault(moment_of(item.id), []).append(item)
    return list(groups.items())


def moment_of(key: str) -> str:
    """When the line says the prompt ``key``, in the editor's words."""
    return next((said for keys, said in PROMPT_MOMENTS if key.startswith(keys)), OTHER_MOMENTS)


def page(template: str, status: int = 200, **context: object) -> Response:
    response = make_response(render_template(template, **context), status)
    return response


def init_app(app: Flask, service_names: dict[str, str]) -> None:
    """Filters for the templates; ``service_names``: the tree's names by service id."""

    def service_name(service: str) -> str:
        name = service_names.get(service, service.replace("_", " "))
        return name[:1].upper() + name[1:]

    app.jinja_env.filters["moment"] = moment
    app.jinja_env.filters["written_number"] = written_number
    app.jinja_env.filters["service_name"] = service_name
    app.jinja_env.filters["number_source"] = number_source
    app.jinja_env.filters["requests_named"] = requests_named
    app.jinja_env.filters["languages_named"] = languages_named
    app.jinja_env.globals["waited"] = waited
    app.jinja_env.globals["reason"] = reason
    app.jinja_env.globals["action_label"] = lambda action: ACTIONS[action]
    app.jinja_env.globals["buttons"] = BUTTONS
