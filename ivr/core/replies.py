"""What the caller did at a question: a key, a spoken word, or nothing. Pure.

Spoken words are a language's (``ivr.core.language.ReplyWords``; Dutch unless given).
"""

from __future__ import annotations

import enum
import re

from ivr.core.language import ReplyWords
from ivr.core.languages import DUTCH


class Reply(enum.Enum):
    YES = "ja"
    NO = "nee"
    HELP = "weet ik niet"
    REPEAT = "herhalen"
    NUMBERS = "nummers"  # after an advice: only its phone numbers again
    BACK = "terug"
    OPERATOR = "medewerker"
    SILENCE = "stilte"
    UNKNOWN = "onbekend"


KEYS = {
    "1": Reply.YES,
    "2": Reply.NO,
    "3": Reply.HELP,
    "8": Reply.NUMBERS,
    "9": Reply.REPEAT,
    "*": Reply.BACK,
    "0": Reply.OPERATOR,
}


def classify(digits: str | None, speech: str | None, words: ReplyWords = DUTCH.replies) -> Reply:
    """Turn Twilio's ``Digits`` / ``SpeechResult`` into a reply.

    Spoken phrases are matched on whole words after lower-casing; first match wins (help,
    operator, repeat, back), and a reply that is both a certain yes and a certain no
    (``ja, nee``) is not understood.
    """
    digits = (digits or "").strip()
    if digits:
        return KEYS.get(digits, Reply.UNKNOWN) if len(digits) == 1 else Reply.UNKNOWN
    said = " ".join(re.findall(f"[{words.letters}]+", (speech or "").lower()))
    if not said:
        return Reply.SILENCE
    found = said.split()
    heard = set(found)
    if any(together <= heard for together in words.help_together):
        return Reply.HELP  # "ik weet het echt niet"
    padded = f" {said} "
    for reply, phrases in _phrases(words):
        if any(f" {phrase} " in padded for phrase in phrases):
            return reply
    if heard & words.certain_yes and heard & words.certain_no:
        return Reply.UNKNOWN  # "ja, nee": not an answer
    yes, no = bool(heard & words.yes), bool(heard & words.no)
    if yes != no:
        return Reply.YES if yes else Reply.NO
    if yes and found[0] in words.yes | words.no:
        # "nee, goed zo" / "ja hoor, niet meer": the first word carries the answer
        return Reply.YES if found[0] in words.yes else Reply.NO
    return Reply.UNKNOWN


def _phrases(words: ReplyWords) -> tuple[tuple[Reply, tuple[str, ...]], ...]:
    return (
        (Reply.HELP, words.help),
        (Reply.OPERATOR, words.operator),
        (Reply.REPEAT, words.repeat),
        (Reply.BACK, words.back),
    )
