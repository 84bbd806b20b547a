"""``ivr validate``'s report of the translations: every language of the checkout (each module
in ``ivr/core/languages``, listed in LANGUAGES or not) against today's Dutch.

Counts per language, then the keys of what needs a person, per file. Missing texts, texts with
other numbers than the Dutch and unusable files must be fixed before a commit (``ivr validate``
fails); stale and unreviewed texts are drafts that wait for a person (a warning).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from ivr.audio.recordings import RecordingFolder, recordings_root
from ivr.config.content import Content
from ivr.config.language_check import TREE_TRANSLATIONS, LanguageCheck, check_language
from ivr.config.languages import line_language
from ivr.config.settings import Settings
from ivr.core import languages
from ivr.core.language import SOURCE, Language
from ivr.core.translation import Checked, State

SHOWN = 10  # keys listed per kind and file


def checkout_languages() -> list[Language]:
    """Every language of the checkout but Dutch, the source: a module each."""
    return [languages.find(code) for code in languages.codes() if code != SOURCE]


def translation_report(
    settings: Settings, content: Content, translated: Sequence[Language]
) -> tuple[list[str], list[str]]:
    """The report's lines, and the languages that must be fixed. A tree with no translations
    folder beside it (a tree of one's own, elsewhere) has none: only Dutch can be offered."""
    lines: list[str] = []
    failed: list[str] = []
    folder = settings.tree_path.parent / TREE_TRANSLATIONS
    if translated and not folder.is_dir():
        where = _path(settings.tree_path)
        return [f"translations: no {folder.name}/ beside {where}: only Dutch can be offered"], []
    for language in translated:
        found = check_language(language, content, settings)
        lines.extend(_language_lines(found))
        if language.recorded:  # offered only when every recording is current (not a failure)
            made = line_language(found, content, "")
            folder = RecordingFolder.of(recordings_root(settings.audio_dir), made)
            lines.append(f"  {folder.coverage()}")
        wrong = len(found.in_state(State.MISSING)) + len(found.in_state(State.WRONG_NUMBERS))
        if wrong or found.problems:
            failed.append(f"{language.name} ({language.code})")
    return lines, failed


def _language_lines(found: LanguageCheck) -> list[str]:
    missing = found.in_state(State.MISSING)
    wrong = found.in_state(State.WRONG_NUMBERS)
    stale = found.in_state(State.STALE)
    drafts = found.unreviewed()
    lines = [
        f"{found.language.name} ({found.language.code}): {len(found.checked)} texts: "
        f"{len(missing)} missing, {len(wrong)} with other numbers than the Dutch, "
        f"{len(stale)} whose Dutch changed since translation, {len(drafts)} unreviewed"
        + (f", {len(found.problems)} problems" if found.problems else "")
    ]
    lines.extend(f"  problem: {problem}" for problem in _first(list(found.problems)))
    lines.extend(_by_file(found, "missing", lambda c: c.state == State.MISSING, _key))
    lines.extend(_by_file(found, "other numbers", lambda c: c.state == State.WRONG_NUMBERS, _why))
    lines.extend(_by_file(found, "Dutch changed", lambda c: c.state == State.STALE, _key))
    if drafts and len(drafts) == len(found.checked) - len(missing):
        lines.append("  unreviewed: every translated text (drafts)")
    else:
        lines.extend(_by_file(found, "unreviewed", _unreviewed, _key))
    if found.unused:
        lines.append(
            f"  translate no Dutch text (removed?): {', '.join(_first(list(found.unused)))}"
        )
    return lines


def _by_file(
    found: LanguageCheck,
    kind: str,
    chosen: Callable[[Checked], bool],
    shown: Callable[[Checked], str],
) -> list[str]:
    lines = []
    for path, checked in found.files():
        keys = [shown(c) for c in checked.values() if chosen(c)]
        if keys:
            joined = "; " if shown is _why else ", "
            lines.append(f"  {kind} in {_path(path)}: {joined.join(_first(keys))}")
    return lines


def _unreviewed(checked: Checked) -> bool:
    return checked.entry is not None and not checked.reviewed


def _key(checked: Checked) -> str:
    return checked.key


def _why(checked: Checked) -> str:
    return f"{checked.key} ({checked.detail})"


def _first(items: Sequence[str]) -> list[str]:
    if len(items) <= SHOWN:
        return list(items)
    return [*items[:SHOWN], f"and {len(items) - SHOWN} more"]


def _path(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)
