"""The advice by text message: the message text, and sending it with Twilio's REST client.

Only to Dutch mobiles (+316…), only when TWILIO_ACCOUNT_SID, the auth token and SMS_FROM are set.
Twilio's error messages can contain the number, so only error codes are logged.

In development mode without those settings (the quick start) the line still offers the SMS, and
sends it through a stand-in for the HTTP layer of Twilio's REST client that sends nothing
(``NotSent``; the web phone and ``ivr simulate`` pass ``KeptSms``, which shows the text), so a
newcomer hears and sees what a mobile caller gets. Never outside development mode.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.http import HttpClient
from twilio.http.http_client import TwilioHttpClient
from twilio.http.response import Response
from twilio.rest import Client

from ivr.config.settings import Settings
from ivr.core.errors import PhoneNumberError, SmsError
from ivr.core.phone import parse_dutch_number

log = logging.getLogger(__name__)
# The send happens inside a webhook, which must answer within about 5 seconds: connect and
# each read wait this long at most (ivr.web.deadlines bounds the whole call, DNS included).
REST_TIMEOUT = 3.0


# What the stand-in sends as: an account and a sender number no real message ever uses.
STAND_IN_ACCOUNT = "AC" + "0" * 32
STAND_IN_FROM = "+3197000000000"


def sms_sender(settings: Settings, http_client: HttpClient | None = None) -> SmsSender | None:
    """The line's sender of the advice by SMS, or None (no SMS offered).

    Configured: Twilio's REST API (through ``http_client`` when given: tests, the web phone). In
    development mode without SMS settings: the same sender over ``http_client``, else over
    ``NotSent``; it says so at start. Otherwise none.
    """
    if settings.sms_enabled:
        return SmsSender(settings.account_sid, settings.auth_token, settings.sms_from, http_client)
    if not settings.dev_mode:
        return None
    log.warning(
        "DEVELOPMENT: SMS is not configured (TWILIO_ACCOUNT_SID, SMS_FROM): the advice by SMS is "
        "offered to mobile callers but NEVER SENT; the web phone and 'ivr simulate' show its text"
    )
    return SmsSender(STAND_IN_ACCOUNT, "stand-in", STAND_IN_FROM, http_client or NotSent())


class NotSent(HttpClient):
    """The HTTP layer of Twilio's REST client, standing in for it: nothing leaves the machine.

    Each message is ``kept`` (here: its text logged, never its number) and answered as Twilio
    answers a message it accepted ("queued").
    """

    def __init__(self) -> None:
        super().__init__(logger=None, is_async=False)  # type: ignore[arg-type]
        self.count = 0

    def request(self, method: str, uri: str, **kwargs: Any) -> Response:  # type: ignore[override]
        data = kwargs.get("data") or {}
        self.keep(str(data.get("Body", "")), str(data.get("To", "")))
        self.count += 1
        sid = f"SM{self.count:032d}"
        return Response(201, json.dumps({"sid": sid, "status": "queued"}))

    def keep(self, text: str, to: str) -> None:
        """Log the text, but not the recipient's own number (a callback's confirmation
        repeats it): a caller's number is never logged."""
        try:
            own = parse_dutch_number(to).written
        except PhoneNumberError:
            own = ""
        shown = text.replace(own, "[het nummer van de beller]") if own else text
        log.warning("DEVELOPMENT: SMS not sent (no SMS settings); its text: %s", shown)


class SmsSender:
    """Sends one text message through the Twilio REST API."""

    def __init__(
        self,
        account_sid: str | None,
        auth_token: str | None,
        sender: str | None,
        http_client: HttpClient | None = None,
    ) -> None:
        if not (account_sid and auth_token and sender):
            raise SmsError(
                "SMS is not configured: set TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and SMS_FROM"
            )
        self.sender = sender
        http_client = http_client or TwilioHttpClient(timeout=REST_TIMEOUT)
        self.client = Client(account_sid, auth_token, http_client=http_client)
        self.stand_in = isinstance(http_client, NotSent)  # nothing leaves the machine

    def send(self, to: str, body: str, call_key: str) -> str:
        """Send ``body`` to ``to``; returns the message SID, raises SmsError on any failure."""
        # ``from None``: Twilio's messages and tracebacks can carry the phone number.
        try:
            message = self.client.messages.create(to=to, from_=self.sender, body=body)
        except TwilioRestException as exc:
            log.error("SMS for call %s refused by Twilio (HTTP %s, code %s)", call_key,
                      exc.status, exc.code)  # fmt: skip
            raise SmsError(f"Twilio refused the SMS (code {exc.code})") from None
        except (TwilioException, OSError) as exc:
            log.error("SMS for call %s not sent: %s", call_key, type(exc).__name__)
            raise SmsError(f"the SMS could not be sent ({type(exc).__name__})") from None
        # Not the message's SID: Twilio's message log links it to the caller's number.
        if self.stand_in:
            log.info("SMS for call %s not sent: a stand-in took it", call_key)
        else:
            log.info("SMS sent for call %s", call_key)
        return str(message.sid)
