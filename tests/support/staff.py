"""The staff console as a member of staff uses it: accounts, logging in, forms with CSRF."""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from ivr.storage import accounts
from ivr.storage.accounts import Accounts
from tests.support.clock import OPEN_TIME

# The tests' scrypt cost (tests/conftest.py cheap_password_hashes), and the line's, read before
# any test replaces it.
TEST_PASSWORD_HASH = "scrypt:1024:8:1"
LINE_PASSWORD_HASH = accounts.PASSWORD_HASH
STAFF = ("anna", "anna-haar-wachtwoord")
COLLEAGUE = ("ben", "ben-zijn-wachtwoord")
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass
class Staff:
    """A staff member's browser: logs in and posts forms with the page's CSRF token."""

    client: FlaskClient

    def csrf(self, page: str = "/staff/login") -> str:
        found = _CSRF.search(self.client.get(page).get_data(as_text=True))
        assert found, f"no CSRF token on {page}"
        return found.group(1)

    def log_in(
        self, user: tuple[str, str] = STAFF, address: str = "192.0.2.10", next_page: str = ""
    ) -> TestResponse:
        """The login form posted; ``next_page``: the login link's ``next`` (where to go after)."""
        token = self.csrf()
        return self.client.post(
            "/staff/login",
            query_string={"next": next_page} if next_page else None,
            data={"username": user[0], "password": user[1], "csrf_token": token},
            environ_base={"REMOTE_ADDR": address},
        )

    def act(self, request_id: int, action: str, **form: str) -> TestResponse:
        token = self.csrf("/staff/callbacks")
        return self.client.post(
            f"/staff/callbacks/{request_id}/{action}",
            data={"csrf_token": token, **form},
            follow_redirects=True,
        )

    def page(self, path: str = "/staff/callbacks") -> str:
        response = self.client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        return response.get_data(as_text=True)


def add_account(app: Flask, user: tuple[str, str]) -> None:
    Accounts(app.extensions["ivr_database"]).set_password(*user, now=OPEN_TIME)
