"""An editor at Markant using the content pages: an editor's account, its forms with CSRF."""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask import Flask
from werkzeug.test import TestResponse

from ivr.storage.accounts import Accounts, Role
from ivr.storage.content_versions import ContentVersions
from tests.support.clock import OPEN_TIME
from tests.support.staff import Staff

EDITOR = ("eva", "eva-haar-wachtwoord")
_FINDING = re.compile(r'<p class="finding (\w+)" id="finding-([\w-]+)-\d+" role="alert">(.*?)</p>')


def add_editor(app: Flask, user: tuple[str, str] = EDITOR) -> None:
    Accounts(app.extensions["ivr_database"]).set_password(*user, now=OPEN_TIME, role=Role.EDITOR)


def versions_of(app: Flask) -> ContentVersions:
    found: ContentVersions = app.extensions["ivr_content_editor"].versions
    return found


def findings(html: str) -> list[tuple[str, str, str]]:
    """Each finding a page shows: (error or warn, the field's id, the message as HTML)."""
    return _FINDING.findall(html)


@dataclass
class Editor(Staff):
    """An editor's browser: logs in as one and posts the content pages' forms."""

    def log_in_as_editor(self) -> None:
        assert self.log_in(EDITOR).status_code == 302

    def post(self, path: str, action: str, **form: str) -> TestResponse:
        token = self.csrf(path.split("?")[0])
        return self.client.post(path, data={"csrf_token": token, "action": action, **form})
