"""ivr.core.content_translations.renamed: a contact's translations, known by its Dutch name,
moved to its new one (the editor's part is in tests/test_content_translation_editor.py)."""

from __future__ import annotations

import difflib

import pytest

from ivr.core.content_fields import OFFERING, Field, Item
from ivr.core.content_files import TREE, translation_file
from ivr.core.content_translations import beside, renamed
from ivr.core.translation import State
from tests.support.checkout import CHECKOUT

CODES = ("ary", "en", "tr")
GONE = ["-    nl: a331477d1ac3", "-    reviewed: false"]
# 'crisis' alone names het alarmnummer (a contact that is no service)
CRISIS = Item(OFFERING, "crisis", "Crisis", (
    Field("contacts.0.name", "Naam van contact 1", "het alarmnummer", TREE,
          ("nodes", "crisis", "contacts", 0, "name"), "name"),
))  # fmt: skip


def _files() -> dict[str, str]:
    return {
        translation_file(code): (CHECKOUT / translation_file(code)).read_text(encoding="utf-8")
        for code in CODES
    }


def _changed_lines(before: str, after: str) -> list[str]:
    return [
        line.rstrip("\n")
        for line in difflib.unified_diff(before.splitlines(True), after.splitlines(True), n=0)
        if line[:1] in "+-" and line[:3] not in ("+++", "---")
    ]


@pytest.mark.parametrize(
    ("new", "lines", "text"),
    [
        pytest.param(
            "de alarmcentrale",
            {"en": ['-  "het alarmnummer":', '+  "de alarmcentrale":'],
             "tr": ['-  "het alarmnummer":', '+  "de alarmcentrale":'],
             "ary": ["-  het alarmnummer:", "+  de alarmcentrale:"]},
            "the emergency number", id="a-new-name",
        ),
        pytest.param(
            "MEE Dichtbij",  # its own translation stays; the old name's goes
            {"en": ['-  "het alarmnummer":', "-    text: the emergency number", *GONE],
             "tr": ['-  "het alarmnummer":', '-    text: "acil yardım numarası"', *GONE],
             "ary": ["-  het alarmnummer:", "-    text: نمرة الطوارئ", *GONE]},
            "MEE Dichtbij", id="a-name-translated-already",
        ),
    ],
)  # fmt: skip
def test_a_contact_no_other_advice_names_leaves_its_old_name_behind(
    new: str, lines: dict[str, list[str]], text: str
) -> None:
    files = _files()
    found = beside(CRISIS, {}, files)["contacts.0.name"]
    moved_files, moved = renamed(files, found, new, kept=False)
    for code in CODES:
        name = translation_file(code)
        assert _changed_lines(files[name], moved_files[name]) == lines[code]
    assert [(t.code, t.key, t.stored) for t in moved] == [
        (code, f"contacts.{new}", True) for code in CODES
    ]
    english = next(t for t in moved if t.code == "en")
    assert english.text == text
    now = beside(CRISIS, {"contacts.0.name": new}, moved_files)["contacts.0.name"]
    wanted = State.STALE if new == "de alarmcentrale" else State.CURRENT
    assert [(t.key, t.state) for t in now] == [(f"contacts.{new}", wanted)] * 3
