"""The tree map's review state of a translated text, in Dutch (``ivr.web.tools.tree_map``)."""

from __future__ import annotations

from datetime import date

import pytest

from ivr.core.languages import DUTCH, find
from ivr.core.translation import Entry, Review, check, text_hash
from ivr.web.tools.tree_map.review import counted, review_state, reviews

ENGLISH = find("en")
DUTCH_TEXT = "Bel het Sociaal loket: 020 255 29 16."
REVIEWED = Review("Ayse Demir", date(2026, 12, 6))


@pytest.mark.parametrize(
    ("entry", "dutch", "expected"),
    [
        pytest.param(
            Entry("Call the Sociaal loket: 020 255 29 16.", text_hash(DUTCH_TEXT), REVIEWED),
            DUTCH_TEXT,
            ("reviewed", "Nagekeken door Ayse Demir op 06-12-2026."),
            id="reviewed",
        ),
        pytest.param(
            Entry("Call the Sociaal loket: 020 255 29 16.", text_hash(DUTCH_TEXT)),
            DUTCH_TEXT,
            ("draft", "Nog niet nagekeken."),
            id="draft",
        ),
        pytest.param(
            Entry("Call the Sociaal loket: 020 255 29 16.", text_hash("Bel het loket."), REVIEWED),
            DUTCH_TEXT,
            (
                "stale",
                "Verouderd: het Nederlands is veranderd sinds de vertaling. De lijn zegt de "
                "vertaling (nagekeken door Ayse Demir op 06-12-2026).",
            ),
            id="stale",
        ),
        pytest.param(
            Entry("Call the Sociaal loket: 020 255 29 61.", text_hash(DUTCH_TEXT)),
            DUTCH_TEXT,
            (
                "wrong-numbers",
                "Andere nummers dan het Nederlands (het Nederlands zegt 0202552916, de "
                "vertaling 0202552961): de lijn zegt hier het Nederlands.",
            ),
            id="wrong-numbers",
        ),
        pytest.param(
            None,
            DUTCH_TEXT,
            ("missing", "Niet vertaald: de lijn zegt hier het Nederlands."),
            id="missing",
        ),
    ],
)
def test_each_state_is_said_in_dutch(
    entry: Entry | None, dutch: str, expected: tuple[str, str]
) -> None:
    checked = check("nodes.x.text", dutch, entry, ENGLISH, DUTCH)
    assert review_state(checked, ENGLISH) == expected


def test_a_cards_reviews_in_the_order_of_its_fields_and_the_counts() -> None:
    entry = Entry("Call the Sociaal loket: 020 255 29 16.", text_hash(DUTCH_TEXT))
    checked = {
        "nodes.x.sms": check("nodes.x.sms", DUTCH_TEXT, None, ENGLISH, DUTCH),
        "nodes.x.offering": check("nodes.x.offering", DUTCH_TEXT, entry, ENGLISH, DUTCH),
        "nodes.y.question": check("nodes.y.question", DUTCH_TEXT, entry, ENGLISH, DUTCH),
        "welcome": check("welcome", DUTCH_TEXT, entry, ENGLISH, DUTCH),
    }
    found = [(r.field, r.state, r.dutch) for r in reviews("x", checked, ENGLISH)]
    assert found == [("Titel", "draft", DUTCH_TEXT), ("Sms", "missing", DUTCH_TEXT)]
    assert counted(checked) == {
        "reviewed": 0, "draft": 3, "stale": 0, "wrong-numbers": 0, "missing": 1
    }  # fmt: skip
