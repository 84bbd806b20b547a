"""An editor's translation checked before anyone hears it, in plain Dutch. Pure.

The same rules as the line's check of a language at start (``ivr.config.languages``), said
next to the translation's field: a text left empty blocks (the language would miss a text and
not be offered), so do numbers other than the Dutch's (the line would say the Dutch there
instead) and a prompt that fills in other things than its Dutch ({service}, {number}: the
language's file would be refused). A sentence of more than 15 words warns; so does a changed
text of a recorded language, whose recording is then stale (``ivr.core.recorded``).
"""

from __future__ import annotations

import string
from collections import Counter

from ivr.core.content_findings import (
    ERROR,
    WARNING,
    Finding,
    formatted,
    invisible,
    long_sentences,
)
from ivr.core.language import Language
from ivr.core.languages import DUTCH
from ivr.core.translation import numbers_in


def check_translation(
    name: str, text: str, dutch: str, language: Language, changed: bool
) -> list[Finding]:
    """Every finding about the translation ``text`` (posted as ``name``) of ``dutch``;
    ``changed``: its text differs from the published one."""
    if not text.strip():
        return [Finding(name, ERROR, f"De vertaling is leeg. Zonder deze tekst biedt de lijn "
                        f"het {language.dutch_name} niet aan. Schrijf de vertaling, of laat "
                        "de tekst staan die er stond.")]  # fmt: skip
    if unsayable := invisible(name, text):
        return unsayable
    found = _numbers(name, text, dutch, language) + _placeholders(name, text, dutch)
    if not any(f.blocks for f in found):
        found += long_sentences(name, text, dutch=False)
    if changed and language.recorded:
        found.append(Finding(name, WARNING, f"Deze tekst moet opnieuw worden ingesproken. Het "
                             f"{language.dutch_name} speelt de lijn af van opnames door "
                             "vrijwilligers; tot de nieuwe opname er is, biedt de lijn het "
                             f"{language.dutch_name} niet aan."))  # fmt: skip
    return found


def _numbers(name: str, text: str, dutch: str, language: Language) -> list[Finding]:
    said, wanted = numbers_in(text, language), numbers_in(dutch, DUTCH)
    if said == wanted:
        return []
    only_dutch, only_translation = _listed(wanted - said), _listed(said - wanted)
    if only_dutch and only_translation:
        differ = f"De Nederlandse tekst noemt {only_dutch}, de vertaling noemt {only_translation}."
    elif only_dutch:
        differ = f"De Nederlandse tekst noemt {only_dutch}, de vertaling niet."
    else:
        differ = f"De vertaling noemt {only_translation}, de Nederlandse tekst niet."
    return [Finding(name, ERROR, f"{differ} Zet dezelfde nummers in de vertaling: met andere "
                    "nummers zegt de lijn hier de Nederlandse tekst.")]  # fmt: skip


def _listed(numbers: Counter[str]) -> str:
    found = sorted(numbers.elements())
    return ", ".join(found[:-1]) + " en " + found[-1] if len(found) > 1 else "".join(found)


def _placeholders(name: str, text: str, dutch: str) -> list[Finding]:
    try:
        parsed = list(string.Formatter().parse(text))
    except ValueError:
        return [Finding(name, ERROR, "Een accolade { of } staat los. Gebruik ze alleen om een "
                        "invulplek, zoals {service}.")]  # fmt: skip
    said = {n for _, n, _, _ in parsed if n is not None}
    wanted = {n for _, n, _, _ in string.Formatter().parse(dutch) if n is not None}
    if refused := formatted(name, parsed, wanted):
        return refused
    found = []
    for missing in sorted(wanted - said):
        found.append(Finding(name, ERROR, f"{{{missing}}} ontbreekt: de Nederlandse tekst vult "
                             "het hier in. Zet het ook in de vertaling."))  # fmt: skip
    for extra in sorted(said - wanted):
        found.append(Finding(name, ERROR, f"{{{extra}}} staat niet in de Nederlandse tekst: "
                             "de lijn kan het hier niet invullen."))  # fmt: skip
    return found
