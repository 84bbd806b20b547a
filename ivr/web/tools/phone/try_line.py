"""The line the web phone calls: the same settings and content as the real line, built apart.

Three things differ, so that trying the line touches nothing real: its clock shows the moment
the tester chose, its text messages are kept (``KeptSms``), and its callback requests go to a
throw-away SQLite file, never to the helpdesk's worklist (and no e-mail about them). Webhooks
are signed and checked with a token of its own, as on a real call. One thing is added: a
made-up number bound to each language the line lists (``LANGUAGE_BY_NUMBER``), so a tester can
call as a caller who dials a number of that language. What fails in it raises no
operator alert and reaches no Sentry (``create_app``'s ``simulated``). Built when the phone's page
is first opened (in the background) or at the first call, whichever comes first.
"""

from __future__ import annotations

import atexit
import logging
import secrets
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from flask import Flask
from twilio.http import HttpClient

from ivr.config.language_settings import BY_NUMBER, listed_languages
from ivr.core.callback_request import CallbackRequest
from ivr.core.language import SOURCE
from ivr.storage.callbacks import CallbackStore
from ivr.storage.database import Database
from ivr.web.line import Clock
from ivr.web.tools.call_driver import CallDriver
from ivr.web.tools.stand_ins import KeptSms, Moment

log = logging.getLogger(__name__)
AppFactory = Callable[[Mapping[str, str], Clock, HttpClient], Flask]
# Settings of the real line the tried line must not have: mail to the helpdesk, its database.
NOT_FOR_TRYING = ("SMTP_HOST", "DATABASE_URL", "IVR_SQLITE_PATH")
# The made-up numbers the tried line binds to its listed languages, one each (085 000 0001 …).
LANGUAGE_NUMBERS = "+3185000000"


def bound_numbers(env: Mapping[str, str]) -> dict[str, str]:
    """A made-up number for each language ``LANGUAGES`` lists but Dutch, by its code."""
    codes = [language.code for language in listed_languages(env) if language.code != SOURCE]
    return {code: f"{LANGUAGE_NUMBERS}{n}" for n, code in enumerate(codes[:9], 1)}


class TryLine:
    def __init__(self, env: Mapping[str, str], clock: Clock, build: AppFactory) -> None:
        self.env = {k: v for k, v in env.items() if k not in NOT_FOR_TRYING}
        self.numbers = bound_numbers(self.env)  # by language code
        bindings = [self.env.get(BY_NUMBER, "")]
        bindings += [f"{number}={code}" for code, number in self.numbers.items()]
        self.env[BY_NUMBER] = ",".join(found for found in bindings if found)
        self.moment = Moment(clock)
        self.build = build
        self.token = secrets.token_hex(16)
        self.sms = KeptSms()
        self._app: Flask | None = None
        self._lock = threading.Lock()

    def _made(self) -> Flask:
        if self._app is None:
            folder = Path(tempfile.mkdtemp(prefix="ivr-phone-"))
            atexit.register(shutil.rmtree, folder, ignore_errors=True)
            url = f"sqlite:///{folder / 'tried-calls.sqlite3'}"
            database = Database(url)
            database.upgrade()
            database.dispose()
            env = {**self.env, "TWILIO_AUTH_TOKEN": self.token, "DATABASE_URL": url}
            self._app = self.build(env, self.moment, self.sms)
        return self._app

    def warm(self) -> None:
        """Build the line in the background (the page is open: a call is coming)."""
        if self._app is None:
            threading.Thread(target=self._warmed, name="ivr-phone-warm", daemon=True).start()

    def _warmed(self) -> None:
        try:
            with self._lock:
                self._made()
        except Exception:  # the first call builds it again and answers with the reason
            log.exception("the web phone's line could not be built")

    @contextmanager
    def driver(self) -> Iterator[CallDriver]:
        """The call driver, one webhook exchange at a time (kept texts belong to that call)."""
        with self._lock:
            yield CallDriver(self._made(), self.token, self.moment, self.sms.texts)

    def callback_of(self, call_sid: str) -> CallbackRequest | None:
        """The callback request a tried call left (in the phone's own database), if any."""
        with self._lock:
            app = self._made()
            store: CallbackStore = app.extensions["ivr_store"]
            # stored under its pseudonym (one key for every version's line)
            key = app.extensions["ivr_lines"].newest().callback_key(call_sid)
            found = [r for r in store.open_requests() if r.call_key == key]
        return found[0] if found else None

    def service_names(self) -> dict[str, str]:
        with self._lock:
            tree = self._made().extensions["ivr_lines"].newest().flow.tree
        return {sid: service.name for sid, service in tree.services.items()}
