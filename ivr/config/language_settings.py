"""The languages the line may offer, from the environment: ``LANGUAGES`` and
``LANGUAGE_BY_NUMBER`` (each language's voice is ``ivr.config.voices``).

``LANGUAGES`` lists languages by code (``nl,en,tr``); Dutch, the source, is always offered, and
first. Whether a listed language is offered is decided when its texts are read
(``ivr.config.languages``): one with missing texts or recordings is not.
``LANGUAGE_BY_NUMBER`` binds a number the line is called on (Twilio's ``To``) to a language:
a call to it is in that language from its first word, and no choice is asked.
"""

from __future__ import annotations

from collections.abc import Mapping

from ivr.core import languages
from ivr.core.errors import ConfigError, PhoneNumberError
from ivr.core.language import SOURCE, Language
from ivr.core.phone import parse_dutch_number

LANGUAGES = "LANGUAGES"
BY_NUMBER = "LANGUAGE_BY_NUMBER"


def listed_languages(env: Mapping[str, str]) -> tuple[Language, ...]:
    """``LANGUAGES``: Dutch first, then each listed language once, in the order listed."""
    found: dict[str, Language] = {SOURCE: languages.DUTCH}
    for code in _items(env.get(LANGUAGES) or ""):
        code = code.lower()
        if code in found:
            continue
        if code not in languages.codes():
            known = ", ".join(languages.codes())
            raise ConfigError(LANGUAGES, f"{code!r} is not a language of the line: it has {known}")
        found[code] = languages.find(code)
    return tuple(found.values())


def language_by_number(env: Mapping[str, str], listed: tuple[Language, ...]) -> dict[str, str]:
    """``LANGUAGE_BY_NUMBER``: the language's code by the E.164 number a call is made to.
    Each number a Dutch number written in E.164, each language one that ``LANGUAGES`` lists."""
    codes = [language.code for language in listed]
    bound: dict[str, str] = {}
    for item in _items(env.get(BY_NUMBER) or ""):
        number, sep, code = (part.strip() for part in item.partition("="))
        if not sep or not number or not code:
            raise ConfigError(
                BY_NUMBER, f"{item!r} is not a number and a language, like +31201234567=en"
            )
        if number.startswith("+") and not number.startswith("+31"):
            raise ConfigError(BY_NUMBER, f"{number!r} is not a Dutch number (+31…)")
        try:
            e164 = parse_dutch_number(number).e164
        except PhoneNumberError as exc:
            raise ConfigError(BY_NUMBER, str(exc)) from None
        if e164 != number:
            raise ConfigError(BY_NUMBER, f"{number!r} is not written in E.164: write {e164}")
        code = code.lower()
        if code not in codes:
            raise ConfigError(
                BY_NUMBER,
                f"{number} is bound to {code!r}, which LANGUAGES does not list (it lists "
                f"{', '.join(codes)}): add it to LANGUAGES",
            )
        if bound.get(number, code) != code:
            raise ConfigError(BY_NUMBER, f"{number} is bound to {bound[number]} and to {code}")
        bound[number] = code
    return bound


def _items(raw: str) -> list[str]:
    return [item.strip() for item in raw.split(",") if item.strip()]
