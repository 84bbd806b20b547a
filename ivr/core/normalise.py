"""Written Dutch to the Dutch a listener should hear. Pure, and idempotent.

One normaliser feeds both the audio renderer and the ``<Say>`` fallback, so a prompt sounds the
same with and without rendered audio. Rules, in order:

- phone numbers are read digit by digit in groups (``ivr.core.phone``), 0800 numbers with "gratis";
- day ranges (``ma-vr``) and times (``9.00 uur``, ``16.30``, ``09:00-17:00``) in spoken Dutch;
- abbreviations written out (``bijv.``, ``t/m``, ``o.a.`` …);
- acronyms spelled letter by letter (``ELV`` → ``E L V``, ``Wlz-indicatie`` → ``W L Z indicatie``).

Texts that are already spoken Dutch (the line's own numbers in words) pass through unchanged.
"""

from __future__ import annotations

import re
from datetime import time

from ivr.core.errors import PhoneNumberError
from ivr.core.hours import DAY_KEYS, DAY_WORDS, spoken_time
from ivr.core.phone import parse_dutch_number

# Digit groups that may be a phone number: "020 886 88 00", "+31 20 8868800", "0800-0643", "112".
_PHONE = re.compile(r"(?<![\w+.:/])(?:\+31[ \-]?|0031[ \-]?|0)\d+(?:[ \-]\d+)*(?![\w.:]\d)")
_EMERGENCY = re.compile(r"(?<![\w.:/])112(?![\w.:]\d)")
_SENTENCE_END = re.compile(r"[.?!](?:\s|$)")

_DAY = "|".join(DAY_KEYS)
_DAYS = re.compile(rf"\b({_DAY})\s*(?:-|\u2013|t/m)\s*({_DAY})\b")
_CLOCK = r"(\d{1,2})[.:](\d{2})"
_TIME_RANGE = re.compile(rf"(?<![\d.:]){_CLOCK}\s*(?:-|\u2013|tot)\s*{_CLOCK}(?!\d)(?:\s*uur\b)?")
_TIME = re.compile(rf"(?<![\d.:]){_CLOCK}(?![\d]|[.:]\d)(?:\s*uur\b)?")

# Written out in full. Matched case-insensitively; a capital at the start is kept.
ABBREVIATIONS: dict[str, str] = {
    "bijv.": "bijvoorbeeld",
    "bv.": "bijvoorbeeld",
    "o.a.": "onder andere",
    "t/m": "tot en met",
    "enz.": "enzovoort",
    "i.p.v.": "in plaats van",
    "z.s.m.": "zo snel mogelijk",
    "d.w.z.": "dat wil zeggen",
    "m.b.t.": "met betrekking tot",
    "incl.": "inclusief",
    "ca.": "ongeveer",
    "evt.": "eventueel",
    "max.": "maximaal",
    "tel.": "telefoonnummer",
    "nr.": "nummer",
}
# Spoken letter by letter, as Dutch callers know them ("wee el zet"). Matched case-sensitively.
SPELLED = ("ELV", "Wlz", "WLZ", "Wmo", "WMO", "GGD", "GGZ", "ggz", "CAK", "CIZ", "UWV", "SVB",
           "PGB", "pgb", "AOW")  # fmt: skip

_ABBREVIATION = re.compile(
    r"(?<![\w./])(" + "|".join(re.escape(a) for a in ABBREVIATIONS) + r")(?![\w/])",
    re.IGNORECASE,
)
_ACRONYM = re.compile(r"\b(" + "|".join(SPELLED) + r")\b(-(?=\w))?")


def spoken_number(written: str, before: str) -> str | None:
    """A written phone number read aloud, or None when it is not a Dutch number."""
    try:
        number = parse_dutch_number(written)
    except PhoneNumberError:
        return None
    if number.is_free and "gratis" not in _current_sentence(before).lower():
        return f"gratis nummer {number.spoken}"
    return number.spoken


def _current_sentence(before: str) -> str:
    ends = list(_SENTENCE_END.finditer(before))
    return before[ends[-1].end() :] if ends else before


def _phones(text: str) -> str:
    def replace(m: re.Match[str]) -> str:
        groups = re.split(r"(?<=\d)[ \-](?=\d)", m[0])
        # Longest first: "bel 020 886 88 00 18 keer" keeps the trailing "18".
        for n in range(len(groups), 0, -1):
            spoken = spoken_number(" ".join(groups[:n]), text[: m.start()])
            if spoken is not None:
                rest = m[0][len(" ".join(groups[:n])) :] if n < len(groups) else ""
                return spoken + rest
        return m[0]

    text = _PHONE.sub(replace, text)
    return _EMERGENCY.sub(lambda m: spoken_number(m[0], "") or m[0], text)


def _clock(hour: str, minute: str) -> time | None:
    h, m = int(hour), int(minute)
    if h > 24 or m > 59 or (h == 24 and m):
        return None
    return time(h % 24, m)


def _times(text: str) -> str:
    def one_range(m: re.Match[str]) -> str:
        start, end = _clock(m[1], m[2]), _clock(m[3], m[4])
        if start is None or end is None:
            return m[0]
        van = "" if m.string[: m.start()].endswith("van ") else "van "
        return f"{van}{spoken_time(start)} tot {spoken_time(end, 'uur')}"

    def one(m: re.Match[str]) -> str:
        at = _clock(m[1], m[2])
        return m[0] if at is None else spoken_time(at, "uur")

    text = _DAYS.sub(
        lambda m: f"{DAY_WORDS[DAY_KEYS.index(m[1])]} tot en met {DAY_WORDS[DAY_KEYS.index(m[2])]}",
        text,
    )
    return _TIME.sub(one, _TIME_RANGE.sub(one_range, text))


def _abbreviations(text: str) -> str:
    def replace(m: re.Match[str]) -> str:
        full = ABBREVIATIONS[m[1].lower()]
        if m[1][0].isupper():
            full = full[0].upper() + full[1:]
        # "… enz. Daarna": the abbreviation's period also ended the sentence.
        after = text[m.end() :]
        ends_sentence = m[1].endswith(".") and (not after.strip() or re.match(r"\s+[A-Z]", after))
        return full + "." if ends_sentence else full

    return _ABBREVIATION.sub(replace, text)


def _acronyms(text: str) -> str:
    return _ACRONYM.sub(lambda m: " ".join(m[1].upper()) + (" " if m[2] else ""), text)


def normalise(text: str) -> str:
    """The text as it should be spoken; ``normalise(normalise(t)) == normalise(t)``."""
    text = _phones(text)
    text = _times(text)
    text = _abbreviations(text)
    text = _acronyms(text)
    return " ".join(text.split())
