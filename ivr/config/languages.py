"""The languages the line offers: each listed language's translations read, checked against
today's Dutch, and offered or not (the I/O edge of ``ivr.core.translated``).

A language's files lie beside the Dutch ones: ``prompts/<code>.yaml`` beside ``prompts/nl.yaml``
and ``tree/translations/<code>.yaml`` beside the tree (``IVR_PROMPTS`` and ``IVR_TREE`` move
them too). A language is offered unless a file cannot be used, a text is missing, or, for a
recorded language, a recording is missing or stale; what was found is said at start, in
warnings that name the language, how many texts and the first keys.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from ivr.config.content import Content
from ivr.config.settings import Settings
from ivr.core.content_files import ContentFiles, translation_file
from ivr.core.content_files import prompts_file as prompts_file_name
from ivr.core.language import SOURCE, Language
from ivr.core.languages import DUTCH
from ivr.core.prompts import DUTCH_ONLY_PREFIX, REQUIRED, placeholders
from ivr.core.translated import (
    LineLanguage,
    dutch_texts,
    read_entries,
    translate_prompts,
    translate_tree,
)
from ivr.core.translation import Checked, Entry, State, check_all

TREE_TRANSLATIONS = "translations"  # the folder beside the tree
# The recordings of a recorded language that are missing or stale, named (ivr.audio.recordings).
MissingRecordings = Callable[[LineLanguage], Sequence[object]]
SHOWN = 5  # keys a warning names


@dataclass(frozen=True)
class LanguageCheck:
    """One language's translation files checked against today's Dutch."""

    language: Language
    prompts_file: Path
    tree_file: Path
    prompts: Mapping[str, Checked]  # by the prompt's key, in the order of prompts/nl.yaml
    tree: Mapping[str, Checked]  # by "nodes.<id>.<field>", "services.…", "contacts.…"
    problems: tuple[str, ...]  # what makes a file unusable: not YAML, a malformed text …
    unused: tuple[str, ...]  # translated keys no Dutch text has (a removed node's, a typo)

    @property
    def checked(self) -> dict[str, Checked]:
        return {**self.prompts, **self.tree}

    def files(self) -> tuple[tuple[Path, Mapping[str, Checked]], ...]:
        return ((self.prompts_file, self.prompts), (self.tree_file, self.tree))

    def in_state(self, state: State) -> list[Checked]:
        return [found for found in self.checked.values() if found.state == state]

    def unreviewed(self) -> list[Checked]:
        return [c for c in self.checked.values() if c.entry is not None and not c.reviewed]


def translation_files(language: Language, settings: Settings) -> tuple[Path, Path]:
    """A language's prompts file and tree translations, beside the Dutch ones."""
    return (
        settings.prompts_path.parent / language.prompts_file,
        settings.tree_path.parent / TREE_TRANSLATIONS / f"{language.code}.yaml",
    )


def translated_prompts(content: Content) -> dict[str, str]:
    """The Dutch prompts a language translates: all but those only the helpdesk hears."""
    return {k: v for k, v in content.prompts.texts.items() if not k.startswith(DUTCH_ONLY_PREFIX)}


def check_language(
    language: Language, content: Content, settings: Settings, files: ContentFiles | None = None
) -> LanguageCheck:
    """Read a language's two files and check every text against the Dutch of ``content``.
    ``files``: a content version's files (``ivr.core.content_files``), read instead of the
    ones on disk."""
    prompts_file, tree_file = translation_files(language, settings)
    dutch_prompts, dutch_tree = translated_prompts(content), dutch_texts(content.tree)
    problems: list[str] = []
    named = (prompts_file_name(language.code), translation_file(language.code))
    prompt_entries = _entries(prompts_file, problems, files, named[0])
    tree_entries = _entries(tree_file, problems, files, named[1])
    for key, entry in prompt_entries.items():
        if key in dutch_prompts:
            problems.extend(_placeholder_problem(prompts_file, key, dutch_prompts[key], entry))
    unused = [k for k in prompt_entries if k not in dutch_prompts]
    unused += [k for k in tree_entries if k not in dutch_tree]
    return LanguageCheck(
        language,
        prompts_file,
        tree_file,
        check_all(dutch_prompts, prompt_entries, language, DUTCH),
        check_all(dutch_tree, tree_entries, language, DUTCH),
        tuple(problems),
        tuple(unused),
    )


def _entries(
    path: Path, problems: list[str], files: ContentFiles | None = None, name: str = ""
) -> dict[str, Entry]:
    if files is not None:  # a version's: the file by its name there
        return _read_entries(files.get(name), path, problems)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}  # every text of it is missing
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(f"{path}: cannot be read ({exc})")
        return {}
    return _read_entries(text, path, problems)


def _read_entries(text: str | None, path: Path, problems: list[str]) -> dict[str, Entry]:
    if text is None:
        return {}  # every text of it is missing
    entries, found = read_entries(text, str(path))
    problems.extend(found)
    return entries


def _placeholder_problem(path: Path, key: str, dutch: str, entry: Entry) -> list[str]:
    """A translated prompt fills in what its Dutch fills in ({service}, {number}), and nothing
    the flow does not fill in: it may keep one the Dutch no longer says (an editor took it out
    of the Dutch; the translation is then stale, and still spoken)."""
    try:
        said = placeholders(entry.text)
    except ValueError as exc:
        return [f"{path}: {key}: {exc}"]
    wanted = placeholders(dutch)
    if wanted <= said <= REQUIRED.get(key, wanted):
        return []
    return [f"{path}: {key}: fills in {_braced(said)}, the Dutch {_braced(wanted)}"]


def _braced(names: set[str]) -> str:
    return ", ".join(f"{{{name}}}" for name in sorted(names)) or "nothing"


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
