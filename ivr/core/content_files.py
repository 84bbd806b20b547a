"""The content files by name: what a content version holds, one text per file. Pure.

A version of the line's content is every file the line speaks from, by its name in the
repository: the tree (``tree/markant.yaml``), the Dutch prompts (``prompts/nl.yaml``), and per
translated language its prompts (``prompts/<code>.yaml``) and its tree's texts
(``tree/translations/<code>.yaml``). The same names are the files ``ivr content export`` writes.
"""

from __future__ import annotations

import enum
import hashlib
import json
import re
from collections.abc import Mapping

import yaml

TREE = "tree/markant.yaml"
DUTCH_PROMPTS = "prompts/nl.yaml"
_PROMPTS = re.compile(r"prompts/([a-z]{2,3})\.yaml")
_TRANSLATION = re.compile(r"tree/translations/([a-z]{2,3})\.yaml")

# Every file of a version by its name: its whole text.
ContentFiles = Mapping[str, str]

# libyaml's safe loader where PyYAML has it (ten times faster), else PyYAML's own: the same
# documents and the same marks, by which an edit finds where a value is written
# (ivr.core.content_edit). Every content file is read with it.
YAML_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class FileKind(enum.Enum):
    TREE = "tree"
    PROMPTS = "prompts"
    TRANSLATION = "translation"  # a language's texts of the tree


def prompts_file(code: str) -> str:
    return f"prompts/{code}.yaml"


def translation_file(code: str) -> str:
    return f"tree/translations/{code}.yaml"


def kind_of(name: str) -> tuple[FileKind, str] | None:
    """The kind of a content file and its language's code ("nl" for the tree); None when
    the name is no content file's."""
    if name == TREE:
        return FileKind.TREE, "nl"
    for kind, pattern in ((FileKind.PROMPTS, _PROMPTS), (FileKind.TRANSLATION, _TRANSLATION)):
        found = pattern.fullmatch(name)
        if found:
            return kind, found[1]
    return None


def file_order(name: str) -> tuple[int, str, str]:
    """Sorts names as a reader meets them: the tree, the Dutch prompts, then per language."""
    found = kind_of(name)
    if found is None:
        return (3, "", name)
    kind, code = found
    if kind is FileKind.TREE:
        return (0, "", name)
    return (1 if code == "nl" else 2, code, name)


# A version's number or id as a URL or a form gives it: a database integer (PostgreSQL's int4,
# up to 2 147 483 647) holds every number of at most 9 digits.
MOST_DIGITS = 9


def version_number(text: str) -> int | None:
    """A content version's number or id written in a URL or a form (``v=``, ``concept``,
    ``versie``, ``version``): ASCII digits, at most ``MOST_DIGITS``; None for anything else
    (a longer number exists in no table, and the database refuses to look it up)."""
    if not (text.isascii() and text.isdigit() and len(text) <= MOST_DIGITS):
        return None  # ASCII digits only: "²".isdigit() is True
    return int(text)


def files_hash(files: ContentFiles) -> str:
    """The SHA-256 of a version's files (names and texts): equal files, equal hash."""
    canonical = json.dumps(dict(sorted(files.items())), ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
