"""An editor's change checked before anyone hears it, in plain Dutch, per field. Pure.

Errors block publishing (a number that is no Dutch phone number, hours or dates that do not
read, a placeholder that does not exist, a text left empty, a changed fact without its source);
warnings do not (a sentence of more than 15 words, a placeholder left out).
"""

from __future__ import annotations

import re
import string
import unicodedata
from collections.abc import Set
from dataclasses import dataclass

from ivr.core.content_fields import PROMPT, Field, Item
from ivr.core.errors import PhoneNumberError
from ivr.core.hours import HoursFormatError, is_closed_date, parse_hours
from ivr.core.normalise import normalise
from ivr.core.phone import parse_dutch_number
from ivr.core.prompts import REQUIRED
from ivr.core.sms_text import MAX_SEGMENTS, sms_segments

MOST_WORDS = 15  # B1: a caller keeps a sentence of at most 15 words (issue 23)
ERROR, WARNING = "fout", "let op"
SOURCE_FIELD = "source"
_SENTENCE = re.compile(r"(?<=[.?!؟])\s+")  # (؟: the Arabic question mark)
# Control characters, lone surrogates, unassigned code points: no YAML file or TwiML carries them.
_INVISIBLE = frozenset({"Cc", "Cs", "Cn"})
PLACEHOLDER_NAMES = {
    "service": "de naam van de dienst",
    "number": "het telefoonnummer",
    "hours": "de openingstijden",
    "when": "wanneer de dienst weer open is",
    "days": "het aantal werkdagen",
    "offering": "het advies",
    "question": "de vraag",
    "answers": "de antwoorden",
    "web": "het webadres",
}


@dataclass(frozen=True)
class Finding:
    field: str  # the form field it is about ("source": the source of the change; "": all)
    level: str  # ERROR or WARNING
    message: str  # plain Dutch

    @property
    def blocks(self) -> bool:
        return self.level == ERROR


def changed(item: Item, posted: dict[str, str]) -> list[Field]:
    """The item's fields whose posted value differs from today's (spaces folded)."""
    return [
        f for f in item.fields if f.name in posted and " ".join(posted[f.name].split()) != f.value
    ]


def check_fields(item: Item, posted: dict[str, str]) -> list[Finding]:
    """Every finding about the posted values of ``item``'s fields."""
    found: list[Finding] = []
    for field in item.fields:
        value = " ".join(posted.get(field.name, field.value).split())
        found += _one(item, field, value)
    return found


def check_source(item: Item, posted: dict[str, str], source: str, needed: bool) -> list[Finding]:
    """A changed fact asks where it comes from: publishing without a source is refused
    (``needed``); a draft to listen to may wait for it."""
    if not changed(item, posted) or source.strip():
        return []
    if needed:
        return [Finding(SOURCE_FIELD, ERROR, "Niet gepubliceerd: waar komt deze wijziging "
                        "vandaan? Kies een bron, of schrijf op wie het zei en wanneer "
                        "(bijvoorbeeld: telefoontje met het Sociaal loket, 3 dec).")]  # fmt: skip
    return [Finding(SOURCE_FIELD, WARNING, "Vul vóór het publiceren een bron in: waar komt "
                    "deze wijziging vandaan?")]  # fmt: skip


def _one(item: Item, field: Field, value: str) -> list[Finding]:
    if not value:
        if field.kind in ("dates",) or field.name == "hours":
            return []  # no closed dates; no hours: the assumption holds (the tree checks)
        return [Finding(field.name, ERROR, "Dit veld is leeg. Een lege tekst kan niet "
                        "gepubliceerd worden.")]  # fmt: skip
    if unsayable := invisible(field.name, value):
        return unsayable
    if field.kind == "phone":
        return _phone(field, value)
    if field.kind == "hours":
        return _hours(field, value)
    if field.kind == "dates":
        return _dates(field, value)
    found = _placeholders(item, field, value) if item.kind == PROMPT else []
    if field.kind == "text" and not any(f.blocks for f in found):
        found += long_sentences(field.name, value)
    return found


def _phone(field: Field, value: str) -> list[Finding]:
    try:
        parse_dutch_number(value)
    except PhoneNumberError:
        return [Finding(field.name, ERROR, f"“{value}” is geen geldig Nederlands "
                        "telefoonnummer. Schrijf 10 cijfers die met 0 beginnen (zoals "
                        "020 886 88 00), een 0800- of 0900-nummer, of 112.")]  # fmt: skip
    return []


def _hours(field: Field, value: str) -> list[Finding]:
    try:
        parse_hours(value)
    except HoursFormatError:
        return [Finding(field.name, ERROR, f"“{value}” kan de lijn niet lezen. Schrijf de "
                        "tijden zoals ma-vr 09:00-16:00. Meer blokken scheidt u met een "
                        "puntkomma: ma-do 09:00-17:00; vr 09:00-12:00. De dagen en tijden "
                        "lopen vooruit.")]  # fmt: skip
    return []


def _dates(field: Field, value: str) -> list[Finding]:
    wrong = [
        day.strip() for day in value.split(",") if day.strip() and not is_closed_date(day.strip())
    ]
    if wrong:
        listed = ", ".join(f"“{day}”" for day in wrong)
        return [Finding(field.name, ERROR, f"{listed}: schrijf een datum als 05-05 (elk jaar) "
                        "of 2026-12-24 (één keer), gescheiden door komma's.")]  # fmt: skip
    return []


def _placeholders(item: Item, field: Field, value: str) -> list[Finding]:
    try:
        parsed = list(string.Formatter().parse(value))
    except ValueError:
        return [Finding(field.name, ERROR, "Een accolade { of } staat los. Gebruik ze alleen "
                        "om een invulplek, zoals {service}.")]  # fmt: skip
    used = {name for _, name, _, _ in parsed if name is not None}
    allowed = REQUIRED.get(item.id, frozenset())
    if refused := formatted(field.name, parsed, allowed):
        return refused
    found = []
    if "" in used:
        found.append(Finding(field.name, ERROR, "Er staat een lege invulplek {} in de tekst."))
    for name in sorted(used - allowed - {""}):
        may = ", ".join(f"{{{n}}}" for n in sorted(allowed)) or "geen"
        found.append(Finding(field.name, ERROR, f"{{{name}}} bestaat niet in deze tekst. Hier "
                             f"kan de lijn invullen: {may}."))  # fmt: skip
    for name in sorted(allowed - used):
        what = PLACEHOLDER_NAMES.get(name, name)
        found.append(Finding(field.name, WARNING, f"{{{name}}} staat er niet meer in: de beller "
                             f"hoort dan {what} niet."))  # fmt: skip
    return found


def invisible(name: str, value: str) -> list[Finding]:
    """A character no content file or TwiML can carry (a control character, pasted along)."""
    if not any(unicodedata.category(ch) in _INVISIBLE for ch in value):
        return []
    return [Finding(name, ERROR, "Er staat een onzichtbaar teken in deze tekst (vaak "
                    "meegekopieerd uit een ander programma). Typ het stuk waar het staat "
                    "opnieuw.")]  # fmt: skip


def formatted(
    name: str, parsed: list[tuple[str, str | None, str | None, str | None]], allowed: Set[str]
) -> list[Finding]:
    """A placeholder with a format or conversion ({service:d}): filling it in fails in a call."""
    if not any(spec or conversion for _, n, spec, conversion in parsed if n is not None):
        return []
    example = next(iter(sorted(allowed)), "service")
    return [Finding(name, ERROR, "Schrijf een invulplek zonder : of ! erin, zoals "
                    f"{{{example}}}.")]  # fmt: skip


def long_sentences(name: str, value: str, dutch: bool = True) -> list[Finding]:
    """A warning for each sentence of more than ``MOST_WORDS`` words, as the caller hears it
    (a Dutch text's numbers and abbreviations said in words; a translation writes them so)."""
    found = []
    for sentence in _SENTENCE.split(value):
        words = len((normalise(sentence) if dutch else sentence).split())
        if words > MOST_WORDS:
            found.append(Finding(name, WARNING, f"Deze zin heeft {words} woorden, meer "
                                 f"dan {MOST_WORDS}: “{sentence}” Een kortere zin onthoudt de "
                                 "beller beter."))  # fmt: skip
    return found


def sms_too_long(text: str) -> list[Finding]:
    """A warning next to the ``sms`` field when the advice's SMS (``ivr.core.sms_text``: its
    name, the ``sms`` text, whom to call, the signature) takes more than ``MAX_SEGMENTS``."""
    segments = sms_segments(text)
    if segments <= MAX_SEGMENTS:
        return []
    return [Finding("sms", WARNING, f"De sms bij dit advies wordt {len(text)} tekens: "
                    f"{segments} berichten, meer dan {MAX_SEGMENTS}. Sommige telefoons tonen "
                    "hem dan in stukken. Maak deze tekst korter (de naam van het advies, de "
                    "nummers en de openingstijden komen er vanzelf bij).")]  # fmt: skip


def tree_problems(problems: list[str]) -> list[Finding]:
    """What the tree's or the prompts' own check still found in the draft (rare: the fields
    are checked first), said as the check says it, after a Dutch lead."""
    return [
        Finding("", ERROR, f"De controle van de inhoud vond nog een probleem: {problem}")
        for problem in problems
    ]
