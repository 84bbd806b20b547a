"""The languages the line can speak, one module each, named by its code (``nl.py``).

A language module holds one ``LANGUAGE`` (``ivr.core.language.Language``); its prompts are
``prompts/<code>.yaml``. Adding a language is adding those two files: ``find`` needs no list.
"""

from __future__ import annotations

import importlib
import pkgutil
import re

from ivr.core.errors import LanguageError
from ivr.core.language import Language
from ivr.core.languages.nl import LANGUAGE as DUTCH

__all__ = ["DUTCH", "codes", "dutch_name", "find"]

_CODE = re.compile(r"[a-z]{2,3}")  # ISO 639: "nl", "en", "tr", "ary"


def codes() -> tuple[str, ...]:
    """The code of every language the line has (a module each), in alphabetical order."""
    return tuple(sorted(info.name for info in pkgutil.iter_modules(__path__)))


def find(code: str) -> Language:
    """The language with this code; LanguageError when the line has none."""
    if not _CODE.fullmatch(code):
        raise LanguageError(code, ["a language code is two or three small letters, like 'nl'"])
    try:
        module = importlib.import_module(f"{__name__}.{code}")
    except ModuleNotFoundError as exc:
        if exc.name != f"{__name__}.{code}":
            raise
        raise LanguageError(code, [f"the line has no such language ({__name__}.{code})"]) from None
    found: Language = module.LANGUAGE
    if found.code != code:
        raise LanguageError(code, [f"its module holds the language {found.code!r}"])
    return found


def dutch_name(code: str) -> str:
    """How staff pages name a language stored by its code ("Engels"): its Dutch name; the code
    itself for a language the line no longer has."""
    try:
        return find(code).dutch_name
    except LanguageError:
        return code
