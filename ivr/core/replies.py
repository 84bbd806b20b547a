"""What the caller did at a question: a key, a spoken word, or nothing. Pure."""

from __future__ import annotations

import enum
import re


class Reply(enum.Enum):
    YES = "ja"
    NO = "nee"
    HELP = "weet ik niet"
    REPEAT = "herhalen"
    BACK = "terug"
    OPERATOR = "medewerker"
    SILENCE = "stilte"
    UNKNOWN = "onbekend"


KEYS = {
    "1": Reply.YES,
    "2": Reply.NO,
    "3": Reply.HELP,
    "9": Reply.REPEAT,
    "*": Reply.BACK,
    "0": Reply.OPERATOR,
}

# Spoken phrases, matched on whole words after lower-casing; first match wins, and a reply
# that matches both yes and no (``ja, nee``) is not understood.
_PHRASES: tuple[tuple[Reply, tuple[str, ...]], ...] = (
    (Reply.HELP, ("weet ik niet", "weet niet", "geen idee", "uitleg", "wat betekent")),
    (Reply.OPERATOR, ("medewerker", "iemand spreken", "mens", "doorverbinden", "operator")),
    (Reply.REPEAT, ("herhaal", "herhalen", "nog een keer", "nog eens", "opnieuw horen")),
    (Reply.BACK, ("terug", "vorige")),
)
_YES = {"ja", "jawel", "jazeker", "zeker", "klopt", "graag", "yes", "jep", "ok", "oké", "goed"}
_STRONG_YES = {"ja", "jawel", "jazeker"}
_STRONG_NO = {"nee", "neen"}
_NO = {"nee", "neen", "nein", "no", "niet", "nooit", "geen"}


def classify(digits: str | None, speech: str | None) -> Reply:
    """Turn Twilio's ``Digits`` / ``SpeechResult`` into a reply."""
    digits = (digits or "").strip()
    if digits:
        return KEYS.get(digits, Reply.UNKNOWN) if len(digits) == 1 else Reply.UNKNOWN
    said = " ".join(re.findall(r"[a-zà-ÿ]+", (speech or "").lower()))
    if not said:
        return Reply.SILENCE
    words = said.split()
    if "weet" in words and ("niet" in words or "geen" in words):
        return Reply.HELP
    padded = f" {said} "
    for reply, phrases in _PHRASES:
        if any(f" {phrase} " in padded for phrase in phrases):
            return reply
    found = set(words)
    if found & _STRONG_YES and found & _STRONG_NO:
        return Reply.UNKNOWN  # "ja, nee": not an answer
    yes, no = bool(found & _YES), bool(found & _NO)
    if yes != no:
        return Reply.YES if yes else Reply.NO
    if yes and words[0] in _YES | _NO:
        # "nee, goed zo" / "ja hoor, niet meer": the first word carries the answer
        return Reply.YES if words[0] in _YES else Reply.NO
    return Reply.UNKNOWN
