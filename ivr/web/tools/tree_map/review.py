"""A translated text's review state as the tree map says it, in Dutch: who reviewed it and when,
a draft nobody reviewed, a translation of an older Dutch text, one whose numbers differ from
the Dutch (the line says the Dutch there), or none at all (the Dutch too).

The states are ``ivr.core.translation``'s, read from the running line's ``LineLanguage.checked``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ivr.core.language import Language
from ivr.core.languages import DUTCH
from ivr.core.translation import Checked, State, numbers_in

# The tree's fields a node's card reviews, as the translation file names them, in Dutch.
FIELD_NAMES = {
    "question": "Vraag",
    "help": "Uitleg (toets 3)",
    "offering": "Titel",
    "text": "Advies",
    "sms": "Sms",
}


@dataclass(frozen=True)
class Review:
    """One text of a card: its field, its state (a CSS class and what it means), its Dutch."""

    field: str  # "Vraag"
    state: str  # "reviewed", "draft", "stale", "wrong-numbers", "missing"
    said: str  # "Nagekeken door Ayse Demir op 06-12-2026"
    dutch: str  # the Dutch text it translates (today's)


def reviews(node_id: str, checked: Mapping[str, Checked], language: Language) -> list[Review]:
    """The review of each translated text of a node, in the order of its fields."""
    found = []
    for field, name in FIELD_NAMES.items():
        text = checked.get(f"nodes.{node_id}.{field}")
        if text is not None:
            state, said = review_state(text, language)
            found.append(Review(name, state, said, text.dutch))
    return found


def review_state(checked: Checked, language: Language) -> tuple[str, str]:
    """A text's state as a CSS class and a Dutch sentence for staff."""
    state = state_of(checked)
    if state == "missing" or checked.entry is None:
        return state, "Niet vertaald: de lijn zegt hier het Nederlands."
    if state == "wrong-numbers":
        dutch = _listed(numbers_in(checked.dutch, DUTCH))
        translated = _listed(numbers_in(checked.entry.text, language))
        return state, (
            f"Andere nummers dan het Nederlands (het Nederlands zegt {dutch}, de vertaling "
            f"{translated}): de lijn zegt hier het Nederlands."
        )
    review = checked.entry.review
    if review is None:
        reviewed = "nog niet nagekeken"
    else:
        reviewed = f"nagekeken door {review.by} op {review.on:%d-%m-%Y}"
    if state == "stale":
        return state, (
            "Verouderd: het Nederlands is veranderd sinds de vertaling. De lijn zegt de "
            f"vertaling ({reviewed})."
        )
    return state, f"{reviewed[:1].upper()}{reviewed[1:]}."


def state_of(checked: Checked) -> str:
    """The review state's name (a CSS class): reviewed, draft, stale, wrong-numbers, missing."""
    if checked.state is State.MISSING or checked.entry is None:
        return "missing"
    if checked.state is State.WRONG_NUMBERS:
        return "wrong-numbers"
    if checked.state is State.STALE:
        return "stale"
    return "draft" if checked.entry.review is None else "reviewed"


def counted(checked: Mapping[str, Checked]) -> dict[str, int]:
    """How many of a language's texts (the prompts too) are in each review state."""
    found = dict.fromkeys(("reviewed", "draft", "stale", "wrong-numbers", "missing"), 0)
    for text in checked.values():
        found[state_of(text)] += 1
    return found


def _listed(numbers: Mapping[str, int]) -> str:
    said = [number for number, times in sorted(numbers.items()) for _ in range(times)]
    return ", ".join(said) or "geen nummer"
