"""Translation files made up from the Dutch, for the tests of how languages are checked.

Every text is the Dutch with a mark before it ("XX Welkom bij …"), so its numbers match and a
test changes only the texts it is about (``Change``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from ivr.config.content import Content, load_content
from ivr.config.language_check import translated_prompts
from ivr.config.settings import Settings
from ivr.core.language import Language
from ivr.core.languages import DUTCH
from ivr.core.translated import dutch_texts
from ivr.core.translation import text_hash
from tests.support.checkout import SHIPPED_PROMPTS, SHIPPED_TREE

REVIEW = {"by": "Ayse Demir", "on": date(2026, 12, 6)}
Entries = dict[str, dict[str, Any]]
Change = Callable[[Entries, Entries], None]  # changes the prompts' and the tree's texts


@cache
def shipped_content() -> Content:
    """The Dutch tree and prompts of the checkout (read once; never changed)."""
    return load_content(SHIPPED_TREE, SHIPPED_PROMPTS, None)


def settings_in(folder: Path, *listed: Language) -> Settings:
    """Settings whose tree and prompts lie in ``folder`` (the translations are looked for
    there), listing Dutch and ``listed``, each in its first voice."""
    made = Settings.for_commands(
        {
            "IVR_TREE": str(folder / "tree" / "markant.yaml"),
            "IVR_PROMPTS": str(folder / "prompts" / "nl.yaml"),
            "IVR_AUDIO_DIR": str(folder / "audio"),
        }
    )
    voices = {language.code: language.voices[0] if language.voices else "" for language in listed}
    return replace(made, languages=(DUTCH, *listed), say_voices=voices)


def translated(dutch: Mapping[str, str], reviewed: bool = True) -> Entries:
    """A complete translation of every text, by key, in the file format."""
    return {
        key: {
            "text": f"XX {text}",
            "nl": text_hash(text),
            "reviewed": REVIEW if reviewed else False,
        }
        for key, text in dutch.items()
    }


def write(path: Path, entries: Mapping[str, Mapping[str, Any]]) -> Path:
    """A translation file with these texts (keys joined by dots, as the reader joins them)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(dict(entries), allow_unicode=True, sort_keys=False), "utf-8")
    return path


def unchanged(prompts: Entries, tree: Entries) -> None:
    """No change: a complete translation."""


def write_language(
    settings: Settings, code: str, change: Change = unchanged, reviewed: bool = True
) -> tuple[Path, Path]:
    """A language's two files beside the settings' Dutch ones: every text translated, then
    ``change``d. Returns the prompts file and the tree's translations."""
    content = shipped_content()
    prompts = translated(translated_prompts(content), reviewed)
    tree = translated(dutch_texts(content.tree), reviewed)
    change(prompts, tree)
    return (
        write(settings.prompts_path.parent / f"{code}.yaml", prompts),
        write(settings.tree_path.parent / "translations" / f"{code}.yaml", tree),
    )


def text_count() -> int:
    """How many texts a language translates."""
    content = shipped_content()
    return len(translated_prompts(content)) + len(dutch_texts(content.tree))


# Changes made to a complete translation, each about one state.
def stale(prompts: Entries, tree: Entries) -> None:
    prompts["keys"]["nl"] = "0123456789ab"
    tree["nodes.acuut.question"]["nl"] = "0123456789ab"


def wrong_number(prompts: Entries, tree: Entries) -> None:
    tree["nodes.crisis.sms"]["text"] = tree["nodes.crisis.sms"]["text"].replace("112", "911")


def draft(prompts: Entries, tree: Entries) -> None:
    tree["nodes.acuut.help"]["reviewed"] = False


def missing(prompts: Entries, tree: Entries) -> None:
    for key in ("welcome", "keys", "keys_short", "keys_full", "noinput_1", "noinput_2"):
        del prompts[key]
    tree["nodes.acuut.help"]["text"] = " "
