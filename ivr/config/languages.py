"""The languages the line offers: each listed language's translations read and checked against
today's Dutch (``ivr.config.language_check``), and offered or not (the I/O edge of
``ivr.core.translated``).

A language is offered unless a file cannot be used, a text is missing, or, for a recorded
language, a recording is missing or stale; what was found is said at start, in warnings that
name the language, how many texts and the first keys.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace

from ivr.config.content import Content
from ivr.config.language_check import LanguageCheck, check_language
from ivr.config.settings import Settings
from ivr.core.content_files import ContentFiles
from ivr.core.language import SOURCE, Language
from ivr.core.languages import DUTCH
from ivr.core.translated import LineLanguage, translate_prompts, translate_tree
from ivr.core.translation import Checked, State

# The recordings of a recorded language that are missing or stale, named (ivr.audio.recordings).
MissingRecordings = Callable[[LineLanguage], Sequence[object]]
SHOWN = 5  # keys a warning names


def line_language(found: LanguageCheck, content: Content, voice: str) -> LineLanguage:
    """The language as the line speaks it: its translations, the Dutch where one may not be."""
    checked = found.checked
    return LineLanguage(
        found.language,
        translate_tree(content.tree, checked),
        translate_prompts(content.prompts, checked),
        voice,
        checked,
    )


def offer_languages(
    content: Content,
    settings: Settings,
    recordings: MissingRecordings | None,
    files: ContentFiles | None = None,
) -> tuple[Content, list[str]]:
    """The content with the languages the line offers (Dutch first, in its voice), and the
    warnings to log at start. ``recordings``: lists a recorded language's missing or stale
    recordings (None: they cannot be checked, and no recorded language is offered); ``files``:
    a content version's files, read instead of the ones on disk."""
    dutch = LineLanguage(DUTCH, content.tree, content.prompts, settings.say_voice, {})
    offered = {SOURCE: dutch}
    warnings: list[str] = []
    for language in settings.languages:
        if language.code == SOURCE:
            continue
        found = check_language(language, content, settings, files)
        made = line_language(found, content, settings.say_voices.get(language.code, ""))
        refusal = _refusal(found, made, recordings)
        if refusal:
            warnings.append(f"{_named(language)} is not offered: {refusal}")
            continue
        offered[language.code] = made
        warnings.extend(f"{_named(language)} is offered; {said}" for said in _caveats(found))
    warnings.extend(_unbound(settings, offered))
    return replace(content, languages=offered), warnings


def _unbound(settings: Settings, offered: Mapping[str, LineLanguage]) -> list[str]:
    """LANGUAGE_BY_NUMBER's bindings to a language not offered: a call to such a number gets
    the Dutch welcome and its choice (the numbers are not named: no number goes in a log)."""
    bound = list(settings.language_by_number.values())
    return [
        f"LANGUAGE_BY_NUMBER: {_counted(bound.count(lang.code), 'number is', 'numbers are')} "
        f"bound to {lang.name} ({lang.code}), which is not offered: a call to it hears the "
        "Dutch welcome and its choice"
        for lang in settings.languages
        if lang.code in bound and lang.code not in offered
    ]


def _refusal(found: LanguageCheck, made: LineLanguage, recordings: MissingRecordings | None) -> str:
    """Why a language is not offered, or ""."""
    if found.problems:
        count = _counted(len(found.problems), "problem", "problems")
        return f"{count} in its files: {'; '.join(found.problems[:SHOWN])}"
    missing = found.in_state(State.MISSING)
    if missing:
        files = _files_of(found, State.MISSING)
        count = _counted(len(missing), "text is", "texts are")
        return f"{count} not translated ({files}): {_keys(missing)}"
    if found.language.recorded:
        if recordings is None:
            return "its recordings cannot be checked by this line"
        absent = [str(name) for name in recordings(made)]
        if absent:
            count = _counted(len(absent), "recording is", "recordings are")
            return f"{count} missing or stale: {_listed(absent)}"
    return ""


def _caveats(found: LanguageCheck) -> list[str]:
    """What an operator should know of an offered language."""
    said = []
    wrong = found.in_state(State.WRONG_NUMBERS)
    if wrong:
        count = _counted(len(wrong), "text says", "texts say")
        where = _listed([f"{c.key} ({c.detail})" for c in wrong])
        said.append(f"{count} other numbers than the Dutch, so the line says the Dutch: {where}")
    stale = found.in_state(State.STALE)
    if stale:
        count = _counted(len(stale), "text translates", "texts translate")
        said.append(f"{count} an older Dutch text (the line says it as translated): {_keys(stale)}")
    drafts = found.unreviewed()
    if drafts:
        count = _counted(len(drafts), "text is a draft", "texts are drafts")
        said.append(f"{count} no person has reviewed")
    return said


def _named(language: Language) -> str:
    return f"LANGUAGES: {language.name} ({language.code})"


def _counted(count: int, one: str, more: str) -> str:
    return f"{count} {one if count == 1 else more}"


def _files_of(found: LanguageCheck, state: State) -> str:
    return ", ".join(
        str(path)
        for path, checked in found.files()
        if any(c.state == state for c in checked.values())
    )


def _keys(found: Sequence[Checked]) -> str:
    return _listed([c.key for c in found])


def _listed(items: Sequence[str], shown: int = SHOWN) -> str:
    more = f" and {len(items) - shown} more" if len(items) > shown else ""
    return ", ".join(items[:shown]) + more
