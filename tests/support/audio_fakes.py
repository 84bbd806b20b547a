"""Test doubles for the audio tests: an engine that needs nothing, and gTTS's HTTP replies."""

from __future__ import annotations

import base64
import urllib.parse
from dataclasses import dataclass, field

import requests


@dataclass
class FakeEngine:
    """Renders "audio" instantly (bytes that name the text); only ever written under tmp_path."""

    name: str = "fake"
    extension: str = "mp3"
    min_interval: float = 0.0
    voice: str = "fake voice=a"
    calls: list[str] = field(default_factory=list)
    audio: bytes | None = None  # the bytes of every file (default: bytes that name the text)

    def synthesise(self, text: str) -> bytes:
        self.calls.append(text)
        return self.audio if self.audio is not None else f"ID3 fake audio: {text}".encode()


def google_reply(
    request: requests.PreparedRequest, status: int, audio: bytes = b""
) -> requests.Response:
    """What Google's batchexecute endpoint answers, as gTTS reads it."""
    response = requests.Response()
    response.status_code = status
    response.reason = {200: "OK", 403: "Forbidden", 429: "Too Many Requests"}.get(status, "")
    response.request = request
    response.url = request.url or ""
    encoded = base64.b64encode(audio).decode("ascii")
    body = f')]}}\'\n\n[["wrb.fr","jQ1olc","[\\"{encoded}\\"]",null,null,null,"generic"]]\n'
    response._content = body.encode() if status == 200 else b"error"
    response._content_consumed = True
    return response


def spoken_in(request: requests.PreparedRequest) -> str:
    """The text a gTTS request asks Google to speak."""
    body = request.body if isinstance(request.body, str) else (request.body or b"").decode()
    return urllib.parse.unquote(body)
