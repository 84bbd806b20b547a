"""What the line needs to speak one language, beside its prompts: a language bundle. Pure.

A ``Language`` holds the words the core's modules build spoken text from (numbers, times, days,
the words a caller may say), the phrases they fill in (``{placeholders}``, like the prompts),
and what Twilio needs (``<Say>`` voices, the language of ``<Say>`` and of speech recognition).
Each language is one module, ``ivr/core/languages/<code>.py``, and one prompts file,
``prompts/<code>.yaml``; ``ivr.core.languages.find`` finds it by its code. Dutch is the source.

A language is checked when it is made: every list has its length, every phrase exactly its
placeholders, so an incomplete language cannot be imported.
"""

from __future__ import annotations

import string
from dataclasses import dataclass, fields

from ivr.core.errors import LanguageError


@dataclass(frozen=True)
class ClockWords:
    """A time of day: each phrase may name ``{hour}`` or ``{next}`` (the hour after it) in
    words; ``minutes`` also ``{minutes}``, in digits. ``o_clock`` is a full hour that ends a
    phrase ("tot vier uur"); inside a phrase a full hour is its word alone ("van negen tot")."""

    o_clock: str
    half: str  # Dutch names the next hour: "half {next}" ("half vijf" is 4:30)
    quarter_past: str
    quarter_to: str
    minutes: str  # any other time: "{hour} uur {minutes}"


@dataclass(frozen=True)
class CalendarWords:
    """Days, months, and the phrases that say opening hours and a moment."""

    weekdays: tuple[str, ...]  # Monday first
    weekday_abbreviations: tuple[str, ...]  # as written ("ma", "di"), Monday first
    months: tuple[str, ...]  # January first
    workdays: str  # Monday to Friday
    one_day: str  # "op {day}"
    days: str  # "van {first} tot en met {last}"
    opening: str  # "{days} van {start} tot {end}": one block of opening hours
    openings_joined_by: str  # between two blocks: ", en "
    today: str  # "vandaag om {time}"
    tomorrow: str
    this_week: str  # "op {weekday} om {time}": within six days
    later: str  # "op {day} {month} om {time}": a week or more ahead ({day} in digits)


@dataclass(frozen=True)
class ReplyWords:
    """What a caller may say at a question (``ivr.core.replies``), matched on whole words after
    lower-casing; and the words Twilio's speech recognition is told to expect (``hints``)."""

    letters: str  # a regular-expression class of the letters words are made of: "a-zà-ÿ"
    yes: frozenset[str]
    no: frozenset[str]
    # Words that are only ever yes or no: a reply with one of each ("ja, nee") is no answer.
    certain_yes: frozenset[str]
    certain_no: frozenset[str]
    help: tuple[str, ...]  # phrases, matched in this order: help, operator, repeat, back
    operator: tuple[str, ...]
    repeat: tuple[str, ...]
    back: tuple[str, ...]
    help_together: tuple[frozenset[str], ...]  # words that ask for help when all are said
    hints: str


@dataclass(frozen=True)
class WrittenWords:
    """How the language is written where it must be said otherwise (``ivr.core.normalise``)."""

    abbreviations: tuple[tuple[str, str], ...]  # ("bijv.", "bijvoorbeeld"), any case
    spelled: tuple[str, ...]  # acronyms said letter by letter, as written ("ELV", "Wlz")
    day_range_marks: tuple[str, ...]  # between two days, beside "-": ("t/m",)
    time_range_marks: tuple[str, ...]  # between two times, beside "-": ("tot",)
    o_clock_mark: str  # may follow a time: "uur"
    days: str  # two days said: "{first} tot en met {last}"
    times: str  # two times said: "van {start} tot {end}"
    times_after: str  # the same after a text that says the first word already: "{start} tot {end}"
    times_after_word: str  # that word: "van"
    free_number: str  # a free phone number: "gratis nummer {number}"
    free_word: str  # a sentence with this word says so already: "gratis"


def words(text: str) -> tuple[str, ...]:
    """A language's list of words, written as one text ("nul één twee …")."""
    return tuple(text.split())


class InLanguage(str):
    """A text spoken in another language than the call's, by that language's voice: a language
    named in its own words at the welcome, or the Dutch text where a translation may not be
    spoken (``ivr.core.translation``). Equal only to the same text in the same language."""

    language: str  # the code of the language it is in

    def __new__(cls, text: str, language: str) -> InLanguage:
        made = super().__new__(cls, text)
        made.language = language
        return made

    def __eq__(self, other: object) -> bool:
        return str.__eq__(self, other) is True and getattr(other, "language", None) == self.language

    def __ne__(self, other: object) -> bool:
        return not self == other

    def __hash__(self) -> int:
        return hash((str(self), self.language))

    def __repr__(self) -> str:
        return f"InLanguage({str(self)!r}, {self.language!r})"


@dataclass(frozen=True)
class Language:
    code: str  # "nl": its module and its prompts file (prompts/nl.yaml)
    name: str  # "Dutch", in English: for messages to whoever sets the line up
    dutch_name: str  # "Nederlands": what the helpdesk hears in the whisper and reads on pages
    twilio_language: str  # "nl-NL": the language of <Say> and of speech recognition
    # Twilio's voices that speak it; the first is the default. Empty for a recorded language.
    voices: tuple[str, ...]
    numbers: tuple[str, ...]  # zero to twelve: digits, hours, counts of days
    clock: ClockWords
    calendar: CalendarWords
    replies: ReplyWords
    written: WrittenWords
    # Letters an SMS writes plainly, so the message stays in GSM characters: (from, to).
    sms_plain_letters: tuple[str, str]
    # How a caller chooses it in the Dutch welcome (not for Dutch, the source): its key, the
    # sentence in its own words that names the key ("For English, press 7."), and the words
    # that choose it when said (heard by Dutch speech recognition: "english", "engels").
    choice_key: str = ""
    choice: str = ""
    choice_words: frozenset[str] = frozenset()
    # Spoken by recordings people made (``recordings/<code>/``), not by a Twilio voice: keys
    # only, and every text it needs must be recorded before it is offered.
    recorded: bool = False
    # Number words that also mean "a" (Turkish "bir"): not counted when a translation's numbers
    # are compared with the Dutch (``ivr.core.translation``).
    ambiguous_numbers: frozenset[str] = frozenset()
    # Words for tens that join the number word after them into one number above twelve ("on
    # sekiz" is 18): not compared either, as the Dutch words above twelve are not.
    tens: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        problems = _problems(self)
        if problems:
            raise LanguageError(self.code, problems)

    @property
    def prompts_file(self) -> str:
        return f"{self.code}.yaml"

    @property
    def voice(self) -> str:
        """The default ``<Say>`` voice."""
        return self.voices[0]

    def speaks(self, voice: str) -> bool:
        return voice in self.voices


# A language may do without these (nothing to write out, no other way to write a range); the
# choice fields are checked apart: only Dutch, the source, has none.
OPTIONAL = frozenset(
    {
        "abbreviations",
        "spelled",
        "day_range_marks",
        "time_range_marks",
        "choice_key",
        "choice",
        "choice_words",
        "recorded",
        "ambiguous_numbers",
        "tens",
        "voices",  # checked with ``recorded``
    }
)
SOURCE = "nl"  # Dutch: every text is written in it first; the other languages translate it
CHOICE_KEYS = frozenset("4567")  # keys no question uses (ivr.core.replies.KEYS)
LENGTHS = {"numbers": 13, "weekdays": 7, "weekday_abbreviations": 7, "months": 12}
_HOURS = frozenset({"hour", "next"})  # a time may name its hour or the next ("half vijf")
# Every phrase of a language with the placeholders it may fill (as ``ivr.core.prompts`` checks).
PLACEHOLDERS: dict[str, frozenset[str]] = {
    "o_clock": _HOURS,
    "half": _HOURS,
    "quarter_past": _HOURS,
    "quarter_to": _HOURS,
    "minutes": _HOURS | {"minutes"},
    "one_day": frozenset({"day"}),
    "days": frozenset({"first", "last"}),
    "opening": frozenset({"days", "start", "end"}),
    "today": frozenset({"time"}),
    "tomorrow": frozenset({"time"}),
    "this_week": frozenset({"weekday", "time"}),
    "later": frozenset({"day", "month", "time"}),
    "times": frozenset({"start", "end"}),
    "times_after": frozenset({"start", "end"}),
    "free_number": frozenset({"number"}),
}


def _problems(language: Language) -> list[str]:
    found = []
    parts = (language, language.clock, language.calendar, language.replies, language.written)
    for part in parts:
        for field in fields(part):
            value = getattr(part, field.name)
            if not value and field.name not in OPTIONAL:
                found.append(f"{field.name} is empty")
            elif field.name in LENGTHS and len(value) != LENGTHS[field.name]:
                found.append(f"{field.name} has {len(value)} words, not {LENGTHS[field.name]}")
            elif field.name in PLACEHOLDERS:
                found.extend(_placeholder_problems(field.name, value))
    plain, written = language.sms_plain_letters
    if len(plain) != len(written):
        found.append("sms_plain_letters: each letter needs one plain letter")
    if language.recorded == bool(language.voices):
        found.append("voices: a recorded language has none, any other at least one")
    return found + _choice_problems(language)


def _choice_problems(language: Language) -> list[str]:
    """Every language but the source is chosen by a free key that its sentence names."""
    if language.code == SOURCE:
        return []
    found = []
    if language.choice_key not in CHOICE_KEYS:
        keys = ", ".join(sorted(CHOICE_KEYS))
        found.append(f"choice_key {language.choice_key!r} is not one of the free keys {keys}")
    elif language.choice_key not in language.choice:
        found.append(f"choice {language.choice!r} does not name its key {language.choice_key}")
    if not language.choice_words:
        found.append("choice_words is empty")
    return found


def _placeholder_problems(name: str, phrase: str) -> list[str]:
    try:
        found = {field for _, field, _, _ in string.Formatter().parse(phrase) if field}
    except ValueError as exc:
        return [f"{name} {phrase!r}: {exc}"]
    unknown = ", ".join(sorted(found - PLACEHOLDERS[name]))
    return [f"{name} {phrase!r} uses unknown placeholder(s) {unknown}"] if unknown else []
