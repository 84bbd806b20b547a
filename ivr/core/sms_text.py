"""The text messages the line sends: how many segments a text takes, and the advice's SMS.
Pure.
"""

from __future__ import annotations

from ivr.core.speech import Speech
from ivr.core.tree_model import Offering

# GSM 03.38: the characters one SMS segment carries 160 of (153 each when split); any other
# character makes the whole message UCS-2 (70, split 67). The extension table counts twice.
_GSM = (
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
_GSM_EXTENDED = "^{}\\[~]|€"
MAX_SEGMENTS = 3  # Dutch advice in GSM-7: up to 3 x 153 characters


def sms_segments(text: str) -> int:
    """How many SMS segments ``text`` takes (GSM 03.38 when it can, else UCS-2)."""
    if all(ch in _GSM or ch in _GSM_EXTENDED for ch in text):
        length = sum(2 if ch in _GSM_EXTENDED else 1 for ch in text)
        return 1 if length <= 160 else -(-length // 153)
    length = len(text.encode("utf-16-le")) // 2
    return 1 if length <= 70 else -(-length // 67)


def advice_text(speech: Speech, offering: Offering) -> str:
    """The offering's name and what to do (its ``sms``), whom to call (every number the advice
    reads, with its hours), and the seed's web address if it fits in ``MAX_SEGMENTS``; in GSM
    characters (the language's letters outside them written plainly: Cliëntenbelang as
    Clientenbelang). The tree's texts are written to fit (tests/test_sms.py checks each)."""
    prompts = speech.prompts
    plain = str.maketrans(*speech.language.sms_plain_letters)
    lines = [f"{offering.title}.", *([offering.sms] if offering.sms else [])]
    for contact in offering.contacts:
        if contact.phone is None:
            continue
        hours = speech.contact_hours(contact)
        values = {"service": contact.name, "number": contact.phone.written}
        if hours:
            lines.append(prompts("sms_contact_hours", hours=hours, **values))
        else:
            lines.append(prompts("sms_contact", **values))
    signature = prompts("sms_signature")
    web = prompts("sms_web", web=offering.web) if offering.web else None
    if web and sms_segments("\n".join([*lines, web, signature]).translate(plain)) <= MAX_SEGMENTS:
        lines.append(web)  # the web address only where it fits
    return "\n".join([*lines, signature]).translate(plain)
