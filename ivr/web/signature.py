"""Only Twilio may drive the line: ``X-Twilio-Signature`` on every webhook.

The URL a signature is checked against is PUBLIC_BASE_URL and the request's path, never the
``Host`` or ``X-Forwarded-Host`` header: the client chooses those, and a request Twilio signed
for another app on the same account would pass. Outside development mode the line does not
start without PUBLIC_BASE_URL (``ivr.config.deployment``). Trusted proxies (TRUSTED_PROXIES)
give only the client's address (``X-Forwarded-For``, for the staff login's throttle) and the
scheme it used.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
from collections.abc import Mapping
from typing import NoReturn
from urllib.parse import urlsplit

from flask import Flask, Request, abort
from twilio.request_validator import RequestValidator
from werkzeug.datastructures import MultiDict
from werkzeug.middleware.proxy_fix import ProxyFix

from ivr.config.settings import Settings
from ivr.web.twilio_request import TwilioRequest, signature_of

log = logging.getLogger(__name__)


class SignatureCheck:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.validator = RequestValidator(settings.auth_token) if settings.auth_token else None
        self._key = (settings.auth_token or "").encode("utf-8")

    def init_app(self, app: Flask) -> None:
        if self.validator is None:
            log.warning(
                "DEVELOPMENT MODE: IVR_DEV_MODE=1 and no TWILIO_AUTH_TOKEN, so webhook "
                "signatures are NOT checked. Anyone can drive this line. Never run this in "
                "production."
            )
        app.extensions["ivr_signature"] = self

    def trust_proxies(self, app: Flask) -> None:
        """The client's address and scheme from trusted ``X-Forwarded-For``/``-Proto`` headers
        (TRUSTED_PROXIES), never the host: installed last, outermost, so every layer sees them."""
        if self.settings.trusted_proxies:
            n = self.settings.trusted_proxies
            app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=0, x_port=0)  # type: ignore[method-assign]

    def read(self, req: Request) -> TwilioRequest:
        """The webhook Twilio sent, read once; 403 unless Twilio signed it. A request without
        a signature is refused before its body is read."""
        if self.validator is not None and not signature_of(req):
            self._refuse(None)
        call = TwilioRequest.read(req, self.settings.public_base_url)
        if not self.is_valid(call):
            self._refuse(call)
        return call

    def is_valid(self, call: TwilioRequest) -> bool:
        """Twilio signed this URL and form (always true in development mode): one HMAC for the
        URL as rebuilt, then Twilio's own validator, which also tries the URL with and without
        the default port."""
        if self.validator is None:
            return True
        if not call.signature:
            return False
        if self._signed(call.url, call.form, call.signature):
            return True
        return bool(self.validator.validate(call.url, MultiDict(call.form), call.signature))

    def _signed(self, url: str, values: dict[str, list[str]], signature: str) -> bool:
        """Whether ``signature`` is Twilio's for exactly this URL and form."""
        # bytes: compare_digest refuses str with non-ASCII characters (a junk header)
        given = signature.strip().encode("utf-8", errors="replace")
        return hmac.compare_digest(twilio_signature(self._key, url, values), given)

    def _refuse(self, call: TwilioRequest | None) -> NoReturn:
        log.warning("refused a webhook with a missing or wrong X-Twilio-Signature")
        if call is not None:
            self.explain(call)
        abort(403)

    def explain(self, call: TwilioRequest) -> None:
        """When the signature would match over https, say which setting is missing."""
        if not (call.url.startswith("http://") and call.signature):
            return
        https = "https://" + call.url.removeprefix("http://")
        if self._signed(https, call.form, call.signature):
            parts = urlsplit(https)
            host = parts.netloc
            log.error(
                "the signature matches https://%s%s: Twilio called over https (a proxy in front "
                "ended TLS). Set PUBLIC_BASE_URL=https://%s",
                host,
                parts.path,
                host,
            )


def twilio_signature(key: bytes, url: str, values: Mapping[str, list[str]]) -> bytes:
    """``X-Twilio-Signature`` for ``url`` and the form ``values``: the same construction as
    ``RequestValidator.compute_signature`` (base64 of HMAC-SHA1 over the URL and every name and
    value, sorted), without its per-call URL parsing."""
    signed = url + "".join(
        name + found[0] if len(found) == 1 else "".join(name + v for v in sorted(set(found)))
        for name, found in sorted(values.items())
    )
    return base64.b64encode(hmac.new(key, signed.encode("utf-8"), hashlib.sha1).digest())
