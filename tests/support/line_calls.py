"""Webhooks answered by the line itself (``Line.greet``, ``Line.answer``), without HTTP: the
form Twilio posts and the URL's query, as the voice routes hand them on."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

from ivr.core.call_state import VOICE_PREFIX
from ivr.web.line import Line
from ivr.web.twilio_request import Params, TwilioRequest
from tests.support.calls import CALL_SID

FORM = {"CallSid": CALL_SID, "From": "+31612345678", "To": "+31208000000"}


def request(query: str = "", **form: str) -> TwilioRequest:
    return TwilioRequest(Params({k: [v] for k, v in {**FORM, **form}.items()}), "", query, "")


def post(line: Line, url: str, **form: str) -> ET.Element:
    """The TwiML that answers ``url`` (``/voice`` is the welcome), parsed."""
    parts = urlsplit(url)
    call = request(parts.query, **form)
    if parts.path == VOICE_PREFIX:
        return ET.fromstring(line.greet(call))
    return ET.fromstring(line.answer(parts.path.removeprefix(f"{VOICE_PREFIX}/"), call))


def said(root: ET.Element) -> list[tuple[str, str, str]]:
    """Every ``<Say>`` in order: its text, language and voice."""
    return [
        ("".join(el.itertext()), el.attrib["language"], el.attrib["voice"])
        for el in root.iter("Say")
    ]


def urls(root: ET.Element) -> list[str]:
    """Every URL the TwiML sends Twilio to: Gather and Dial actions, redirects, whispers."""
    found = [el.attrib["action"] for el in root.iter() if "action" in el.attrib]
    found += [el.text or "" for el in root.iter("Redirect")]
    return found + [el.attrib["url"] for el in root.iter("Number") if "url" in el.attrib]


def next_url(root: ET.Element) -> str:
    """The last Gather's action: where the caller's answer goes."""
    gathers = root.findall("Gather")
    assert gathers, ET.tostring(root, encoding="unicode")
    return gathers[-1].attrib["action"]
