"""ivr.core.content_diff: the difference between two versions, field by field, in Dutch."""

from __future__ import annotations

import pytest

from ivr.core.content_diff import differences
from ivr.core.content_edit import FieldPath, Value, edited
from ivr.core.content_files import DUTCH_PROMPTS, TREE
from tests.support.checkout import SHIPPED_PROMPTS, SHIPPED_TREE

SHIPPED = {
    TREE: SHIPPED_TREE.read_text(encoding="utf-8"),
    DUTCH_PROMPTS: SHIPPED_PROMPTS.read_text(encoding="utf-8"),
}
ACUUT_HELP = (
    "Dan is er een crisis. Uw naaste loopt gevaar, of de zorg kan niet tot morgen wachten. "
    "Zorg thuis is dan niet genoeg."
)


@pytest.mark.parametrize(
    ("file", "path", "value", "said"),
    [
        pytest.param(
            TREE, ("nodes", "acuut", "help"), "Nieuw.",
            f"Vraag ‘acuut’, uitleg (toets 3): oud “{ACUUT_HELP}”, nieuw “Nieuw.”", id="question",
        ),
        pytest.param(
            TREE, ("nodes", "acuut", "source_note"), "telefoontje met het Sociaal loket, 3 dec",
            "Vraag ‘acuut’, bron (notitie): nieuw “telefoontje met het Sociaal loket, 3 dec”",
            id="source-note",
        ),
        pytest.param(
            TREE, ("nodes", "crisis", "offering"), "Crisis",
            "Advies ‘crisis’, titel: oud “Hulp in een crisis”, nieuw “Crisis”", id="offering",
        ),
        pytest.param(
            TREE, ("services", "sociaal_loket", "closed_dates"), ["05-05", "12-24"],
            "Dienst ‘sociaal_loket’, dicht op: oud “05-05”, nieuw “05-05, 12-24”", id="dates",
        ),
        pytest.param(
            TREE, ("services", "markant", "hours"), "ma-vr 09:00-16:00",
            "Dienst ‘markant’, openingstijden: nieuw “ma-vr 09:00-16:00”", id="hours",
        ),
        pytest.param(
            DUTCH_PROMPTS, ("keys_short",), "Toets één.",
            "Tekst ‘keys_short’, tekst: oud “Toets één voor ja, of twee voor nee.”, "
            "nieuw “Toets één.”", id="prompt",
        ),
    ],
)  # fmt: skip
def test_one_changed_field_reads_as_an_editor_says_it(
    file: str, path: FieldPath, value: Value, said: str
) -> None:
    changed = {**SHIPPED, file: edited(SHIPPED[file], path, value, after="source")}
    assert [str(change) for change in differences(SHIPPED, changed)] == [said]


def test_a_contact_a_translation_and_a_new_file() -> None:
    translation = "nodes:\n  acuut:\n    question:\n      text: Urgent?\n      reviewed: false\n"
    old = {**SHIPPED, "tree/translations/en.yaml": translation}
    new = {
        TREE: edited(
            SHIPPED[TREE], ("nodes", "aanvragen", "contacts", 1, "phone"), "020 555 59 62"
        ),
        DUTCH_PROMPTS: SHIPPED[DUTCH_PROMPTS],
        "tree/translations/en.yaml": translation.replace("false", "{by: Ayse, on: 2026-12-06}"),
        "prompts/en.yaml": "welcome: {text: Hi, nl: abc, reviewed: false}\n",
    }
    assert [str(change) for change in differences(old, new)] == [
        "Advies ‘aanvragen’, contact 2: telefoonnummer: oud “020 555 59 61”, nieuw “020 555 59 62”",
        "Bestand prompts/en.yaml: nieuw",
        "‘acuut’, vraag (en), nagekeken, door: nieuw “Ayse”",
        "‘acuut’, vraag (en), nagekeken, op: nieuw “2026-12-06”",
        "‘acuut’, vraag (en), nagekeken: weg (was “nee”)",
    ]


def test_the_same_files_differ_in_nothing() -> None:
    assert differences(SHIPPED, dict(SHIPPED)) == []
