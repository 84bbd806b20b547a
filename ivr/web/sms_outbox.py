"""Text messages kept, never sent: the HTTP layer of Twilio's REST client for tried calls.

The web phone and ``ivr simulate`` give the line this instead of the network: the line sends
its SMS exactly as on a real call, Twilio's client gets the answer Twilio gives ("queued"),
and the text is kept so it can be shown.
"""

from __future__ import annotations

import json
from typing import Any

from twilio.http import HttpClient
from twilio.http.response import Response


class KeptSms(HttpClient):
    def __init__(self) -> None:
        super().__init__(logger=None, is_async=False)  # type: ignore[arg-type]
        self.texts: list[str] = []

    def request(self, method: str, uri: str, **kwargs: Any) -> Response:  # type: ignore[override]
        data = kwargs.get("data") or {}
        self.texts.append(str(data.get("Body", "")))
        sid = f"SM{len(self.texts):032d}"
        return Response(201, json.dumps({"sid": sid, "status": "queued", "to": data.get("To")}))
