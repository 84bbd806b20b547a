"""Only Twilio may drive the line: ``X-Twilio-Signature`` on every webhook.

Behind a TLS-terminating proxy Flask sees ``http://`` while Twilio signed ``https://``; the
public URL is rebuilt from PUBLIC_BASE_URL, or from trusted ``X-Forwarded-*`` headers (ProxyFix).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
from collections.abc import Mapping
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from flask import Flask, Request, abort, request
from twilio.request_validator import RequestValidator
from werkzeug.datastructures import MultiDict
from werkzeug.middleware.proxy_fix import ProxyFix

from ivr.config.settings import Settings
from ivr.web.twilio_request import Params, params, public_url

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIEnvironment

log = logging.getLogger(__name__)
# Set in a request's WSGI environ once its signature matched: only the server sets environ
# keys, and a header always arrives as HTTP_..., so a caller cannot set this one.
SIGNED_KEY = "ivr.twilio_signed"


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
        """Rebuild the public URL from trusted ``X-Forwarded-*`` headers (TRUSTED_PROXIES):
        installed last, outermost, so every layer of the app sees the URL Twilio signed."""
        if self.settings.trusted_proxies:
            n = self.settings.trusted_proxies
            app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n, x_port=n)  # type: ignore[method-assign]

    def is_valid(self, req: Request) -> bool:
        environ = req.environ
        if self.validator is None or environ.get(SIGNED_KEY):
            return True
        if not environ.get("HTTP_X_TWILIO_SIGNATURE"):
            return False  # refused before the body is read
        values = params()
        if self.matches(environ, values):
            return True
        # Twilio's own validator also tries the URL with and without the default port.
        url = public_url(environ, self.settings.public_base_url)
        signature = environ["HTTP_X_TWILIO_SIGNATURE"]
        return bool(self.validator.validate(url, MultiDict(values), signature))

    def matches(self, environ: WSGIEnvironment, values: Params) -> bool:
        """The common case in one HMAC: Twilio signed exactly the URL we rebuilt (true for any
        request in development mode). Noted in the environ, so it is checked once."""
        if self.validator is None:
            return True
        signature = environ.get("HTTP_X_TWILIO_SIGNATURE", "")
        url = public_url(environ, self.settings.public_base_url)
        if signature and self._signed(url, values, signature):
            environ[SIGNED_KEY] = True
            return True
        return False

    def _signed(self, url: str, values: dict[str, list[str]], signature: str) -> bool:
        """Whether ``signature`` is Twilio's for exactly this URL and form."""
        # bytes: compare_digest refuses str with non-ASCII characters (a junk header)
        given = signature.strip().encode("utf-8", errors="replace")
        return hmac.compare_digest(twilio_signature(self._key, url, values), given)

    def require(self) -> None:
        """Abort with 403 unless the current request is signed by Twilio."""
        req = request._get_current_object()  # one proxy lookup, not one per attribute
        if not self.is_valid(req):
            log.warning("refused a webhook with a missing or wrong X-Twilio-Signature")
            self.explain(req)
            abort(403)

    def explain(self, req: Request) -> None:
        """When the signature would match over https, say which setting is missing."""
        url = public_url(req.environ, self.settings.public_base_url)
        signature = req.headers.get("X-Twilio-Signature", "")
        if not (url.startswith("http://") and signature):
            return
        https = "https://" + url.removeprefix("http://")
        if self._signed(https, params(), signature):
            host = urlsplit(https).netloc
            log.error(
                "the signature matches https://%s%s: Twilio called over https and a proxy in "
                "front ended TLS. Set PUBLIC_BASE_URL=https://%s (or TRUSTED_PROXIES=1 when "
                "the proxy sends X-Forwarded-Proto, as Heroku's does)",
                host,
                req.path,
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
