"""ivr.core.content_edit: one field changed, every comment, quote and blank line kept."""

from __future__ import annotations

import difflib

import pytest

from ivr.core.content_edit import EditError, FieldPath, Value, edited
from tests.support.checkout import SHIPPED_PROMPTS, SHIPPED_TREE

TEXT = """\
# a comment that stays
services:
  markant:
    name: de helpdesk   # and one after a value
    phone: "020 886 88 00"
    hours: null
    closed_dates: ["05-05"]
    source: notes/domain.md

nodes:
  acuut:
    # about the question
    question: 'Is het acuut?'
    help: >-
      Dan is er een crisis.
      Zorg thuis is niet genoeg.
    source: 003.txt
"""


def _changed_lines(before: str, after: str) -> list[str]:
    return [
        line.rstrip("\n")
        for line in difflib.unified_diff(before.splitlines(True), after.splitlines(True), n=0)
        if line[:1] in "+-" and line[:3] not in ("+++", "---")
    ]


@pytest.mark.parametrize(
    ("path", "value", "after", "lines"),
    [
        pytest.param(
            ("services", "markant", "phone"), "020 123 45 67", None,
            ['-    phone: "020 886 88 00"', '+    phone: "020 123 45 67"'], id="quoted-stays-quoted",
        ),
        pytest.param(
            ("services", "markant", "name"), "Markant", None,
            ["-    name: de helpdesk   # and one after a value",
             "+    name: Markant   # and one after a value"], id="plain-keeps-its-comment",
        ),
        pytest.param(
            ("services", "markant", "name"), "Markant: helpdesk # 1", None,
            ["-    name: de helpdesk   # and one after a value",
             '+    name: "Markant: helpdesk # 1"   # and one after a value'],
            id="plain-quoted-when-it-must",
        ),
        pytest.param(
            ("services", "markant", "hours"), "ma-vr 09:00-17:00", None,
            ["-    hours: null", "+    hours: ma-vr 09:00-17:00"], id="null-to-hours",
        ),
        pytest.param(
            ("services", "markant", "closed_dates"), ["05-05", "12-24"], None,
            ['-    closed_dates: ["05-05"]', '+    closed_dates: ["05-05", "12-24"]'],
            id="list",
        ),
        pytest.param(
            ("nodes", "acuut", "question"), "Is het 's nachts acuut?", None,
            ["-    question: 'Is het acuut?'", "+    question: 'Is het ''s nachts acuut?'"],
            id="single-quoted",
        ),
        pytest.param(
            ("nodes", "acuut", "help"), "Een crisis. " * 9 + "Bel.", None,
            ["-      Dan is er een crisis.", "-      Zorg thuis is niet genoeg.",
             "+      " + "Een crisis. " * 7 + "Een",
             "+      crisis. Een crisis. Bel."], id="folded-block-wrapped",
        ),
        pytest.param(
            ("nodes", "acuut", "source_note"), "telefoontje met het Sociaal loket, 3 dec",
            "source", ["+    source_note: telefoontje met het Sociaal loket, 3 dec"],
            id="added-after-source",
        ),
        pytest.param(
            ("services", "markant", "source_note"), "belde: 3 dec", "source",
            ['+    source_note: "belde: 3 dec"'], id="added-quoted",
        ),
        pytest.param(
            ("services", "markant", "closed_dates"), False, None,
            ['-    closed_dates: ["05-05"]', "+    closed_dates: false"],
            id="false",  # (a translation's reviewed: false)
        ),
    ],
)  # fmt: skip
def test_one_field_changes_and_the_rest_stays(
    path: FieldPath, value: Value, after: str | None, lines: list[str]
) -> None:
    result = edited(TEXT, path, value, after)
    assert _changed_lines(TEXT, result) == lines


def test_an_added_field_sits_after_its_sibling() -> None:
    result = edited(TEXT, ("nodes", "acuut", "source_note"), "x", after="question")
    assert result.splitlines()[12:14] == ["    question: 'Is het acuut?'", "    source_note: x"]


@pytest.mark.parametrize(
    ("path", "message"),
    [
        pytest.param(("nodes", "weg", "help"), "nodes.weg: not in the file", id="no-parent"),
        pytest.param(
            ("services", "markant", "closed_dates", 3),
            "services.markant.closed_dates.3: there is no item 3",
            id="no-item",
        ),
        pytest.param(
            ("nodes", "acuut", "help", "x"),
            "nodes.acuut.help.x: not a field of a mapping",
            id="inside-a-text",
        ),
    ],
)
def test_a_field_that_cannot_be_there_is_refused(path: FieldPath, message: str) -> None:
    with pytest.raises(EditError) as refused:
        edited(TEXT, path, "x")
    assert str(refused.value) == message


def test_the_shipped_files_change_in_their_field_alone() -> None:
    tree = SHIPPED_TREE.read_text(encoding="utf-8")
    [old] = [
        line for line in tree.splitlines() if line.startswith('    text: "Geen direct gevaar?')
    ]
    assert _changed_lines(tree, edited(tree, ("nodes", "crisis", "text"), "Nieuw.")) == [
        f"-{old}",
        '+    text: "Nieuw."',
    ]
    prompts = SHIPPED_PROMPTS.read_text(encoding="utf-8")
    welcome = prompts.split("welcome: >-\n", 1)[1].splitlines()[:2]
    assert _changed_lines(prompts, edited(prompts, ("welcome",), "Nieuw.")) == [
        *(f"-{line}" for line in welcome),
        "+  Nieuw.",
    ]
