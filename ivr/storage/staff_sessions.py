"""The staff console's sessions, kept in the line's database.

Logging in starts a session: a random token goes into the (signed) cookie, and only the token's
SHA-256 is stored, so a copy of the database opens nothing. Every page looks the token up. Logging
out deletes the row, and a new password or removing the account deletes all of that account's
rows (``ivr.storage.accounts``): every copy of the cookie ends at once. A session also ends
``lifetime`` after its login however much it is used.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete, insert, select
from sqlalchemy.exc import SQLAlchemyError

from ivr.storage.database import Database, storage_error, utc
from ivr.storage.tables import staff_sessions

# However often it is used, a session ends this long after its login: a copied cookie does not
# stay valid by being used (the idle limit is the cookie's own: ivr.web.staff.IDLE_LIMIT).
WORKDAY = timedelta(hours=12)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class StaffSessions:
    def __init__(self, database: Database, lifetime: timedelta = WORKDAY) -> None:
        self.database = database
        self.lifetime = lifetime

    def begin(self, username: str, now: datetime) -> str:
        """A new session for a logged-in account; the token for the cookie."""
        token = secrets.token_urlsafe(32)
        self.database.ready()
        try:
            with self.database.engine.begin() as conn:
                conn.execute(
                    insert(staff_sessions).values(
                        token_hash=token_hash(token), username=username, started_at=utc(now)
                    )
                )
        except SQLAlchemyError as exc:
            raise storage_error("start the session", exc) from exc
        return token

    def holder(self, token: object, now: datetime) -> str | None:
        """Whose session this token opens; None when it ended, expired or never was."""
        if not isinstance(token, str) or not token:
            return None
        row = staff_sessions.c
        query = select(row.username).where(
            row.token_hash == token_hash(token), row.started_at >= utc(now - self.lifetime)
        )
        self.database.ready()
        try:
            with self.database.engine.connect() as conn:
                found = conn.execute(query).scalar()
        except SQLAlchemyError as exc:
            raise storage_error("read the session", exc) from exc
        return None if found is None else str(found)

    def end(self, token: object) -> None:
        """Log out: this session ends, in every copy of its cookie."""
        if not isinstance(token, str) or not token:
            return
        self.database.ready()
        try:
            with self.database.engine.begin() as conn:
                conn.execute(
                    delete(staff_sessions).where(staff_sessions.c.token_hash == token_hash(token))
                )
        except SQLAlchemyError as exc:
            raise storage_error("end the session", exc) from exc

    def forget_old(self, now: datetime) -> int:
        """Delete sessions past their lifetime (they open nothing any more)."""
        old = staff_sessions.c.started_at < utc(now - self.lifetime)
        self.database.ready()
        try:
            with self.database.engine.begin() as conn:
                return int(conn.execute(delete(staff_sessions).where(old)).rowcount)
        except SQLAlchemyError as exc:
            raise storage_error("delete old sessions", exc) from exc
