"""Flask's signed-cookie sessions, at no cost to requests that carry no session cookie.

Twilio's webhooks never send a cookie. Flask's own interface builds a signing serializer on
every request all the same; this one builds it only when there is a cookie to read, or a
session to write.
"""

from __future__ import annotations

from flask import Flask, Request
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface


class CookieSessions(SecureCookieSessionInterface):
    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        if "HTTP_COOKIE" not in request.environ or self.get_cookie_name(app) not in request.cookies:
            return self.session_class()  # empty: save_session writes it only when filled
        return super().open_session(app, request)
