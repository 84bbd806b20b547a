"""Dutch phone numbers: validation, the written groups, digit-by-digit speech, E.164.

The number plan is the Netherlands'; the digits are said in any language (Dutch unless given).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ivr.core.errors import PhoneNumberError
from ivr.core.language import Language
from ivr.core.languages import DUTCH

# Area codes of three digits (including the 0); every other geographic code has four.
_THREE_DIGIT_AREAS = frozenset(
    "010 013 015 020 023 024 026 030 033 035 036 038 040 043 045 046 050 053 055 058 "
    "070 071 072 073 074 075 076 077 078 079 084 085 087 088 091".split()
)
_SERVICE_PREFIXES = ("0800", "0900", "0906", "0909")
_EMERGENCY = "112"


@dataclass(frozen=True)
class DutchNumber:
    """A validated Dutch phone number, kept as digits only."""

    digits: str

    @property
    def is_free(self) -> bool:
        return self.digits.startswith("0800")

    @property
    def groups(self) -> tuple[str, ...]:
        d = self.digits
        if d == _EMERGENCY:
            return (d,)
        if d.startswith(_SERVICE_PREFIXES):
            return (d[:4], d[4:])
        if d.startswith("06"):
            return (d[:2], d[2:4], d[4:6], d[6:8], d[8:])
        if d[:3] in _THREE_DIGIT_AREAS:
            return (d[:3], d[3:6], d[6:8], d[8:])
        return (d[:4], d[4:6], d[6:8], d[8:])

    @property
    def written(self) -> str:
        """The number as people write it: ``020 886 88 00``."""
        return " ".join(self.groups)

    @property
    def spoken(self) -> str:
        """Digit by digit in the written groups, in Dutch: ``nul twee nul, acht acht zes, ...``."""
        return self.spoken_in(DUTCH)

    def spoken_in(self, language: Language) -> str:
        """Digit by digit in the written groups, in ``language``'s words for the digits."""
        words = language.numbers
        return ", ".join(" ".join(words[int(c)] for c in group) for group in self.groups)

    @property
    def e164(self) -> str:
        if self.digits == _EMERGENCY:
            return _EMERGENCY
        return "+31" + self.digits[1:]


def parse_dutch_number(text: str) -> DutchNumber:
    """Parse a written Dutch number (``020 - 2552916``, ``+31 20 886 88 00``, ``0800-0643``)."""
    compact = re.sub(r"[\s\-().]", "", str(text))
    if compact.startswith("+31"):
        compact = "0" + compact[3:]
    elif compact.startswith("0031"):
        compact = "0" + compact[4:]
    if not (compact.isascii() and compact.isdigit()):  # "²".isdigit() is True
        raise PhoneNumberError(
            f"{text!r} is not a Dutch phone number: use digits only, like '020 886 88 00'"
        )
    if compact == _EMERGENCY:
        return DutchNumber(compact)
    if compact.startswith(_SERVICE_PREFIXES):
        if 8 <= len(compact) <= 11:
            return DutchNumber(compact)
        raise PhoneNumberError(
            f"{text!r}: a {compact[:4]} number has 4 to 7 digits after the prefix"
        )
    if len(compact) == 10 and compact[0] == "0" and compact[1] != "0":
        return DutchNumber(compact)
    raise PhoneNumberError(
        f"{text!r} is not a valid Dutch phone number: expected 10 digits starting with 0 "
        "(like 020 886 88 00), an 0800/0900 number, or 112"
    )


def is_dutch_mobile(e164: str) -> bool:
    """True for a caller ID such as ``+31612345678`` (a Dutch mobile that can take SMS)."""
    return bool(re.fullmatch(r"\+316[0-9]{8}", e164 or ""))
