"""The advice by text message: the message text, and sending it with Twilio's REST client.

Only to Dutch mobiles (+316…), only when TWILIO_ACCOUNT_SID, the auth token and SMS_FROM are set.
Twilio's error messages can contain the number, so only error codes are logged.
"""

from __future__ import annotations

import logging

from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.http import HttpClient
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client

from ivr.config.settings import Settings
from ivr.core.errors import SmsError

log = logging.getLogger(__name__)
# The send happens inside a webhook, which must answer within about 5 seconds: connect and
# each read wait this long at most (ivr.web.deadlines bounds the whole call, DNS included).
REST_TIMEOUT = 3.0


class SmsSender:
    """Sends one text message through the Twilio REST API."""

    def __init__(self, settings: Settings, http_client: HttpClient | None = None) -> None:
        if not settings.sms_enabled:
            raise SmsError(
                "SMS is not configured: set TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and SMS_FROM"
            )
        self.sender = settings.sms_from
        self.client = Client(
            settings.account_sid,
            settings.auth_token,
            http_client=http_client or TwilioHttpClient(timeout=REST_TIMEOUT),
        )

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
        log.info("SMS sent for call %s", call_key)
        return str(message.sid)
