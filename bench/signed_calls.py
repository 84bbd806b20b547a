"""Webhook requests signed the way Twilio signs them, over the real paths of the tree.

Every bench script drives the line with these, so signature validation is always on.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from urllib.parse import urlencode

from twilio.request_validator import RequestValidator

from ivr.config.content import Content, load_content
from ivr.config.locations import instance_path
from ivr.config.settings import SQLITE_FILE, Settings
from ivr.core.call_state import Step, step_url
from ivr.core.tree_model import YES

TOKEN = "be0c4a17be0c4a17be0c4a17be0c4a17"  # 32 hex characters, as Twilio's are
# The line rebuilds the signed URL from PUBLIC_BASE_URL, so one signature fits any port.
PUBLIC_BASE = "https://bench.example"
# What Twilio really posts to a voice webhook: about 30 parameters, ~900 bytes (its CallToken is
# a long URL-encoded JSON token). A Gather adds Digits (or SpeechResult and Confidence), msg and
# FinishedOnKey. The numbers are the bench's own.
_TOKEN_JSON = (
    '{"parentCallInfoToken":"eyJhbGciOiJFUzI1NiJ9.' + "x" * 180 + '",'
    '"identityHeaderTokens":["eyJhbGciOiJFUzI1NiIsInBwdCI6InNoYWtlbiJ9.' + "y" * 120 + '"]}'
)
CALL = {
    "AccountSid": "AC0000000000000000000000000000bench",
    "ApiVersion": "2010-04-01",
    "CallSid": "CA0000000000000000000000000000bench",
    "CallStatus": "in-progress",
    "CallToken": _TOKEN_JSON,
    "Called": "+31208000000",
    "CalledCity": "",
    "CalledCountry": "NL",
    "CalledState": "",
    "CalledZip": "",
    "Caller": "+31612345678",
    "CallerCity": "",
    "CallerCountry": "NL",
    "CallerState": "",
    "CallerZip": "",
    "Direction": "inbound",
    "From": "+31612345678",
    "FromCity": "",
    "FromCountry": "NL",
    "FromState": "",
    "FromZip": "",
    "StirVerstat": "TN-Validation-Passed-A",
    "To": "+31208000000",
    "ToCity": "",
    "ToCountry": "NL",
    "ToState": "",
    "ToZip": "",
}
GATHER = {"msg": "Gather End", "FinishedOnKey": ""}
_validator = RequestValidator(TOKEN)


@dataclass(frozen=True)
class SignedRequest:
    url: str  # path and query, e.g. /voice/answer?p=j
    body: str  # form-encoded parameters
    signature: str  # X-Twilio-Signature

    @property
    def route(self) -> str:
        """The webhook it hits: ``/voice`` or ``/voice/answer`` (query left off)."""
        return self.url.split("?", 1)[0]


# Where the line keeps its state and finds its audio is the caller's choice (the tests point
# them at temporary folders); every other IVR_ and TWILIO_ setting is the bench's own.
KEPT = ("IVR_INSTANCE_PATH", "IVR_SQLITE_PATH", "IVR_AUDIO_DIR")


def line_env(**extra: str) -> dict[str, str]:
    """Environment for the line under test: signatures on, checked against PUBLIC_BASE."""
    env = {
        k: v for k, v in os.environ.items() if k in KEPT or not k.startswith(("TWILIO_", "IVR_"))
    }
    if not env.get("DATABASE_URL") and not env.get("IVR_SQLITE_PATH"):
        # outside development mode the line needs an explicit database: the instance's file
        env["IVR_SQLITE_PATH"] = str(instance_path(env) / SQLITE_FILE)
    return {
        **env,
        "TWILIO_AUTH_TOKEN": TOKEN,
        "SECRET_KEY": "bench-secret-key-for-the-staff-console-000",
        "PUBLIC_BASE_URL": PUBLIC_BASE,
        **extra,
    }


def load_line_content() -> Content:
    settings = Settings.from_env(line_env())
    return load_content(settings.tree_path, settings.prompts_path, settings.shared_dir)


def sign(url: str, **extra: str) -> SignedRequest:
    params = {**CALL, **extra}
    signature = _validator.compute_signature(PUBLIC_BASE + url, params)
    return SignedRequest(url, urlencode(params), signature)


def welcome(**extra: str) -> SignedRequest:
    return sign("/voice", **{"CallStatus": "ringing", **extra})


def keyed(url: str, digit: str, **extra: str) -> SignedRequest:
    """A key pressed at a Gather whose action is ``url``, with the rest of Twilio's form."""
    return sign(url, Digits=digit, **GATHER, **extra)


def spoken(url: str, words: str, confidence: str = "0.91", **extra: str) -> SignedRequest:
    """Words said at a Gather whose action is ``url`` (Twilio's speech recognition)."""
    return sign(url, SpeechResult=words, Confidence=confidence, **GATHER, **extra)


def answer(path: str, reply: str) -> SignedRequest:
    """The caller's key ``1`` (ja) or ``2`` (nee) at the question reached by ``path``."""
    return keyed(step_url(Step("answer", path)), "1" if reply == YES else "2")


def tree_requests(content: Content) -> list[SignedRequest]:
    """The welcome and every answer along every path of the tree, in walking order."""
    requests = []
    for path in content.tree.paths():
        requests.append(welcome())
        requests.extend(answer(path[:i], path[i]) for i in range(len(path)))
    return requests
