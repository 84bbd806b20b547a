"""One language's translation files read and checked against today's Dutch (``LanguageCheck``).

A language's files lie beside the Dutch ones: ``prompts/<code>.yaml`` beside ``prompts/nl.yaml``
and ``tree/translations/<code>.yaml`` beside the tree (``IVR_PROMPTS`` and ``IVR_TREE`` move
them too), or are a content version's files. Each text is checked (``ivr.core.translation``), a
prompt's placeholders against the Dutch; what makes a file unusable is a problem. Whether the
language is then offered is ``ivr.config.languages``'s.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ivr.config.content import Content
from ivr.config.settings import Settings
from ivr.core.content_files import ContentFiles, translation_file
from ivr.core.content_files import prompts_file as prompts_file_name
from ivr.core.language import Language
from ivr.core.languages import DUTCH
from ivr.core.prompts import DUTCH_ONLY_PREFIX, REQUIRED, placeholders
from ivr.core.translated import dutch_texts, read_entries
from ivr.core.translation import Checked, Entry, State, check_all

TREE_TRANSLATIONS = "translations"  # the folder beside the tree


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
