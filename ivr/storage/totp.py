"""The staff's second factor: a code from an authenticator app (TOTP, RFC 6238), in the database.

An account has no app (``totp_secret`` NULL), one being set up (a secret but no step yet: the
browser it was shown to sees it again until a first code from the app confirms it; any other
browser gets a new secret, which replaces it), or one in use (the secret,
and in ``totp_last_step`` the 30-second step of the last code accepted). A code is accepted for
its own step, the one before or the one after (a phone's clock a little off), and only once: a
code is accepted only for a step later than the last one, in one UPDATE, so two requests with
the same code at the same moment cannot both pass. A code typed at login counts as a login try
in the accounts' throttle (``ivr.storage.login_tries``), so codes cannot be guessed either;
and after ``FAILURE_LIMIT`` wrong codes in a row the app accepts none until it is removed
(``ivr staff totp-reset``): the throttle's pauses end, so over weeks they alone would let a
guesser who knows the password through (NIST SP 800-63B: at most 100 failures in a row).
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime
from enum import Enum

import pyotp
from sqlalchemy import Connection, select, update
from sqlalchemy.exc import SQLAlchemyError

from ivr.storage.accounts import Accounts
from ivr.storage.database import storage_error
from ivr.storage.tables import staff_accounts

ISSUER = "Mantelzorglijn"  # the name the app shows above the codes
DIGITS = 6
# A code of the step before or after the current one is accepted too.
DRIFT = 1
# Wrong codes in a row after which the app accepts no code: 100 guesses of 3 steps each find a
# code with a chance of 0.03 %.
FAILURE_LIMIT = 100


class AppState(Enum):
    NONE = "none"
    SETTING_UP = "setting up"  # a secret shown to the worker, not yet confirmed by a code
    ON = "on"


@dataclass(frozen=True)
class CodeCheck:
    """The answer to a code at login: right (``ok``), or a pause in seconds, or neither."""

    ok: bool = False
    wait: int = 0
    blocked: bool = False  # FAILURE_LIMIT wrong codes in a row: no code is accepted any more


def clean_code(typed: str) -> str | None:
    """Six digits, whatever spaces the worker typed between them; None for anything else."""
    code = "".join(typed.split())
    return code if len(code) == DIGITS and code.isascii() and code.isdigit() else None


def setup_mark(secret: str) -> str:
    """What a browser keeps of the secret it was shown while setting the app up: a hash, never
    the secret (``Totp.secret_to_set_up`` shows that browser the same secret again)."""
    return hashlib.sha256(secret.encode("ascii")).hexdigest()[:32]


def setup_link(username: str, secret: str) -> str:
    """The ``otpauth://`` link the QR code holds (the app reads the secret and names from it)."""
    return pyotp.TOTP(secret, digits=DIGITS).provisioning_uri(name=username, issuer_name=ISSUER)


def _step_of(secret: str, code: str, now: datetime) -> int | None:
    """The step ``code`` belongs to (the current one or next to it), or None."""
    totp = pyotp.TOTP(secret, digits=DIGITS)
    current = totp.timecode(now)
    for step in range(current - DRIFT, current + DRIFT + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


class Totp:
    """The authenticator apps of the staff accounts; ``accounts`` counts the code tries."""

    def __init__(self, accounts: Accounts) -> None:
        self.accounts = accounts
        self.database = accounts.database

    def state(self, username: str) -> AppState:
        self.database.ready()
        try:
            with self.database.engine.connect() as conn:
                secret, last_step = _read(conn, username)
        except SQLAlchemyError as exc:
            raise storage_error("read the account", exc) from exc
        if secret is None:
            return AppState.NONE
        return AppState.SETTING_UP if last_step is None else AppState.ON

    def secret_to_set_up(self, username: str, shown: str | None = None) -> str | None:
        """The secret to show while the app is set up. The browser it was shown to (``shown``:
        the ``setup_mark`` it kept) sees the same one until a code confirms it (a worker who
        scanned it and comes back finds it again); any other gets a new one, which replaces it,
        so whoever saw a secret elsewhere (someone who knew the password) cannot compute the
        codes of the app the worker then confirms. None when the app is on (its secret is never
        shown again) or the account is gone."""
        row = staff_accounts.c
        fresh = pyotp.random_base32()
        self.database.ready()
        try:
            with self.database.engine.begin() as conn:
                secret, last_step = _read(conn, username)
                kept = secret if last_step is None and shown else None  # being set up
                if kept is not None and hmac.compare_digest(setup_mark(kept), str(shown)):
                    return kept
                replaced = conn.execute(
                    update(staff_accounts)
                    .where(row.username == username, row.totp_last_step.is_(None))
                    .values(totp_secret=fresh)
                ).rowcount
        except SQLAlchemyError as exc:
            raise storage_error("set up the authenticator app", exc) from exc
        return fresh if replaced == 1 else None

    def confirm(self, username: str, typed: str, now: datetime) -> bool:
        """The app is on from now when ``typed`` is a right code of the secret being set up."""
        self.database.ready()
        try:
            with self.database.engine.begin() as conn:
                secret, last_step = _read(conn, username)
                if secret is None or last_step is not None:
                    return False
                return _accept(conn, username, secret, typed, now, confirming=True)
        except SQLAlchemyError as exc:
            raise storage_error("confirm the authenticator app", exc) from exc

    def check(self, username: str, typed: str, address: str, now: datetime) -> CodeCheck:
        """A code at login, after the right password: counted as a login try first (the
        throttle may say to wait instead), accepted once; a right code ends the login as a
        right password does for an account without the app (``Accounts.log_in``)."""
        self.database.ready()
        try:
            with self.database.engine.begin() as conn:
                wait = self.accounts.tries.count(conn, username, address, now)
                if wait:
                    return CodeCheck(wait=wait)
                secret, last_step = _read(conn, username)
                if secret is None or last_step is None:
                    return CodeCheck()
                row = staff_accounts.c
                failures = conn.execute(
                    select(row.totp_failures).where(row.username == username)
                ).scalar_one()
                if failures >= FAILURE_LIMIT:
                    return CodeCheck(blocked=True)
                right = _accept(conn, username, secret, typed, now, confirming=False)
                conn.execute(
                    update(staff_accounts)
                    .where(row.username == username)
                    .values(totp_failures=0 if right else row.totp_failures + 1)
                )
                if not right:
                    return CodeCheck(blocked=failures + 1 >= FAILURE_LIMIT)
                self.accounts.tries.forget(conn, username, address, now, logged_in=True)
        except SQLAlchemyError as exc:
            raise storage_error("check the code", exc) from exc
        return CodeCheck(ok=True)

    def remove(self, username: str) -> bool:
        """No app any more (for a worker who lost their phone: they set up a new one); False
        when the account had none or does not exist."""
        row = staff_accounts.c
        self.database.ready()
        try:
            with self.database.engine.begin() as conn:
                removed = conn.execute(
                    update(staff_accounts)
                    .where(row.username == username, row.totp_secret.is_not(None))
                    .values(totp_secret=None, totp_last_step=None, totp_failures=0)
                ).rowcount
        except SQLAlchemyError as exc:
            raise storage_error("remove the authenticator app", exc) from exc
        return removed == 1


def _read(conn: Connection, username: str) -> tuple[str | None, int | None]:
    """The account's secret and last step (both None: no app, or no such account)."""
    row = staff_accounts.c
    found = conn.execute(
        select(row.totp_secret, row.totp_last_step).where(row.username == username)
    ).first()
    return (None, None) if found is None else (found.totp_secret, found.totp_last_step)


def _accept(
    conn: Connection, username: str, secret: str, typed: str, now: datetime, confirming: bool
) -> bool:
    """Accept a right code once: its step is stored only if no code of that step or a later
    one was (while setting up: if none was), in one UPDATE that simultaneous requests cannot
    both pass."""
    code = clean_code(typed)
    step = None if code is None else _step_of(secret, code, now)
    if step is None:
        return False
    row = staff_accounts.c
    unused = row.totp_last_step.is_(None) if confirming else row.totp_last_step < step
    accepted = conn.execute(
        update(staff_accounts)
        .where(row.username == username, row.totp_secret == secret, unused)
        .values(totp_last_step=step)
    ).rowcount
    return accepted == 1
