"""Only Twilio may drive the line: ``X-Twilio-Signature`` on every webhook.

Behind a TLS-terminating proxy Flask sees ``http://`` while Twilio signed ``https://``; the
public URL is rebuilt from PUBLIC_BASE_URL, or from trusted ``X-Forwarded-*`` headers (ProxyFix).
"""

from __future__ import annotations

import logging

from flask import Flask, Request, abort, request
from twilio.request_validator import RequestValidator
from werkzeug.middleware.proxy_fix import ProxyFix

from ivr.settings import Settings

log = logging.getLogger(__name__)


def public_url(req: Request, base_url: str | None) -> str:
    """The URL Twilio requested, query string included."""
    if base_url:
        query = req.query_string.decode("latin-1")
        return f"{base_url}{req.path}" + (f"?{query}" if query else "")
    return req.url


class SignatureCheck:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.validator = RequestValidator(settings.auth_token) if settings.auth_token else None

    def init_app(self, app: Flask) -> None:
        if self.settings.trusted_proxies:
            n = self.settings.trusted_proxies
            app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n, x_port=n)  # type: ignore[method-assign]
        if self.validator is None:
            log.warning(
                "DEVELOPMENT MODE: IVR_DEV_MODE=1 and no TWILIO_AUTH_TOKEN, so webhook "
                "signatures are NOT checked. Anyone can drive this line. Never run this in "
                "production."
            )
        app.extensions["ivr_signature"] = self

    def is_valid(self, req: Request) -> bool:
        if self.validator is None:
            return True
        signature = req.headers.get("X-Twilio-Signature", "")
        if not signature:
            return False
        params = req.form.to_dict() if req.method == "POST" else {}
        url = public_url(req, self.settings.public_base_url)
        return bool(self.validator.validate(url, params, signature))

    def require(self) -> None:
        """Abort with 403 unless the current request is signed by Twilio."""
        if not self.is_valid(request):
            log.warning("refused a webhook with a missing or wrong X-Twilio-Signature")
            abort(403)
