"""A fake of Twilio's REST API for the SMS tests, and the settings that turn SMS on."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import requests
from twilio.http import HttpClient
from twilio.http.response import Response as TwilioResponse

SMS_ENV = {"TWILIO_ACCOUNT_SID": "AC" + "0" * 32, "SMS_FROM": "+3197010000000"}


@dataclass
class FakeTwilioHttp(HttpClient):
    """The HTTP layer of Twilio's REST client: records requests, answers ``status``/``body``.

    ``status`` 0 raises a connection error, as when api.twilio.com cannot be reached.
    """

    status: int = 201
    body: str = '{"sid": "SM00000000000000000000000000000001", "status": "queued"}'
    sent: list[dict[str, Any]] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(logger=None, is_async=False)  # type: ignore[arg-type]

    def request(self, method: str, uri: str, **kwargs: Any) -> TwilioResponse:  # type: ignore[override]
        self.sent.append({"method": method, "uri": uri, **kwargs})
        if self.status == 0:
            raise requests.exceptions.ConnectionError("api.twilio.com unreachable")
        return TwilioResponse(self.status, self.body)
