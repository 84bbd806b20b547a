"""ivr.core.content_edit: one field changed, every comment, quote and blank line kept."""

from __future__ import annotations

import difflib
from collections.abc import Callable
from datetime import date

import pytest
import yaml

from ivr.core.content_edit import EditError, FieldPath, Value, edited
from ivr.core.content_entries import with_entry, without_entry
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


CONTACTS = """\
# Contacts without a service, by their Dutch name.
contacts:
  "het alarmnummer":
    text: "the emergency number"  # said as a name
    nl: a331477d1ac3
    reviewed: false
  # the helpdesk of the city
  "de Wmo Helpdesk":
    text: >-
      the Wmo Helpdesk
    nl: b1a2f2e419d6
    reviewed: {by: eva, on: 2026-12-01}

# the end
"""
DAY = date(2026, 12, 6)
ENTRY = {"text": "the Wmo desk", "nl": "123456789012", "reviewed": {"by": "eva", "on": DAY}}


@pytest.mark.parametrize(
    ("after", "lines"),
    [
        pytest.param(
            "het alarmnummer",
            ['+  "het Wmo-loket":', '+    text: "the Wmo desk"', '+    nl: "123456789012"',
             '+    reviewed: {"by": "eva", "on": 2026-12-06}'],
            id="after-a-one-line-text",
        ),
        pytest.param(
            None,
            ['+  "het Wmo-loket":', "+    text: >-", "+      the Wmo desk",
             '+    nl: "123456789012"', '+    reviewed: {"by": "eva", "on": 2026-12-06}'],
            id="after-the-last-a-folded-text",
        ),
    ],
)  # fmt: skip
def test_an_added_entry_is_written_as_its_neighbour_and_the_comments_stay(
    after: str | None, lines: list[str]
) -> None:
    result = with_entry(CONTACTS, ("contacts",), "het Wmo-loket", ENTRY, after)
    assert _changed_lines(CONTACTS, result) == lines
    where = result.splitlines().index(lines[0][1:])
    assert result.splitlines()[where - 1] == (
        "    reviewed: false" if after else "    reviewed: {by: eva, on: 2026-12-01}"
    )  # after its neighbour's last line: the comments after it stay where they were
    assert yaml.safe_load(result)["contacts"]["het Wmo-loket"] == ENTRY


def test_an_entry_is_taken_out_with_its_fields_and_the_comments_around_it_stay() -> None:
    result = without_entry(CONTACTS, ("contacts", "de Wmo Helpdesk"))
    assert _changed_lines(CONTACTS, result) == [
        '-  "de Wmo Helpdesk":', "-    text: >-", "-      the Wmo Helpdesk",
        "-    nl: b1a2f2e419d6", "-    reviewed: {by: eva, on: 2026-12-01}",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("change", "message"),
    [
        pytest.param(
            lambda: with_entry(CONTACTS, ("contacts",), "het alarmnummer", ENTRY),
            "contacts.het alarmnummer: already in the file", id="added-twice",
        ),
        pytest.param(
            lambda: without_entry(CONTACTS, ("contacts", "weg")),
            "contacts.weg: not an entry of a mapping written one a line", id="taken-out-twice",
        ),
    ],
)  # fmt: skip
def test_an_entry_that_cannot_change_so_is_refused(change: Callable[[], str], message: str) -> None:
    with pytest.raises(EditError) as refused:
        change()
    assert str(refused.value) == message
