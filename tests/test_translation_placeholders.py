"""A translated prompt's placeholders against its Dutch: one the Dutch no longer fills in (an
editor took ``{service}`` out of the Dutch apology) is still filled in by the flow, so the
translation is spoken, as stale; one the flow does not fill in, or one the Dutch fills in and the
translation lacks, makes its file unusable."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from ivr.config.languages import offer_languages
from ivr.core.prompts import Prompts
from tests.support.languages import made_up
from tests.support.translations import (
    Change,
    Entries,
    settings_in,
    shipped_content,
    write_language,
)

XX = made_up("xx")
APOLOGY = "Sorry, er ging iets mis bij deze telefoonlijn. Bel {number}. Ik herhaal: {number}."


def _unfillable(prompts: Entries, tree: Entries) -> None:
    prompts["apology"]["text"] = "XX Sorry. Bel {service} ({hours}): {number}."


def _lacking(prompts: Entries, tree: Entries) -> None:
    prompts["apology"]["text"] = "XX Sorry. Bel {service}."


def test_a_placeholder_the_dutch_no_longer_fills_in_keeps_the_language(tmp_path: Path) -> None:
    settings = settings_in(tmp_path, XX)
    write_language(settings, "xx")  # its apology fills in {service} and {number}
    content = shipped_content()
    edited = replace(content, prompts=Prompts({**content.prompts.texts, "apology": APOLOGY}))
    offered, warnings = offer_languages(edited, settings, None)
    assert list(offered.languages) == ["nl", "xx"]
    assert warnings == [
        "LANGUAGES: Testish (xx) is offered; 1 text translates an older Dutch text (the line "
        "says it as translated): apology"
    ]
    said = offered.languages["xx"].prompts("apology", service="Markant", number="één")
    assert (
        said
        == "XX Sorry, er ging iets mis bij deze telefoonlijn. Bel Markant: één. Ik herhaal: één."
    )


@pytest.mark.parametrize(
    ("change", "fills"),
    [
        pytest.param(_unfillable, "{hours}, {number}, {service}", id="one-the-flow-does-not-fill"),
        pytest.param(_lacking, "{service}", id="lacking-one-of-the-dutch"),
    ],
)
def test_a_placeholder_the_flow_does_not_fill_or_the_dutch_needs_makes_the_file_unusable(
    tmp_path: Path, change: Change, fills: str
) -> None:
    settings = settings_in(tmp_path, XX)
    prompts_file, _ = write_language(settings, "xx", change)
    offered, warnings = offer_languages(shipped_content(), settings, None)
    assert list(offered.languages) == ["nl"]
    assert warnings == [
        f"LANGUAGES: Testish (xx) is not offered: 1 problem in its files: {prompts_file}: "
        f"apology: fills in {fills}, the Dutch {{number}}, {{service}}"
    ]
