"""The steps that upgrade an older database, one per schema version (``UPGRADES``): each brings
a database from the version before it to its own, under the upgrade's lock (``ivr.storage.schema``
runs them in order after ``create_all``, which has made any new table, so a step for new tables
alone is empty). Each step's docstring says what an older worker still running does meanwhile.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import func, inspect, select
from sqlalchemy.engine import Connection

from ivr.core.errors import StorageError
from ivr.storage.tables import call_events, callbacks, sms_sent, staff_accounts


def _to_version_2(conn: Connection) -> None:
    """The staff worklist: claims, attempts, who closed a request, the e-mail notice."""
    if conn.dialect.name == "postgresql":  # SQLite does not enforce a VARCHAR's length
        conn.exec_driver_sql("ALTER TABLE callback_requests ALTER COLUMN status TYPE VARCHAR(16)")
    present = {column["name"] for column in inspect(conn).get_columns(callbacks.name)}
    for column in (
        "claimed_by VARCHAR(64)",
        "claimed_at TIMESTAMP WITH TIME ZONE",
        "attempts INTEGER NOT NULL DEFAULT 0",
        "last_attempt_at TIMESTAMP WITH TIME ZONE",
        "closed_by VARCHAR(64)",
        "notified_at TIMESTAMP WITH TIME ZONE",
        "notice_taken_at TIMESTAMP WITH TIME ZONE",
    ):
        if column.split()[0] not in present:
            conn.exec_driver_sql(f"ALTER TABLE callback_requests ADD COLUMN {column}")
    # Requests made before the console existed were never e-mailed: they are on the worklist.
    conn.exec_driver_sql(
        "UPDATE callback_requests SET notified_at = requested_at WHERE status <> 'typed'"
    )


def _to_version_3(conn: Connection) -> None:
    """The call figures' tables are new: ``create_all`` has made them."""


def _to_version_4(conn: Connection) -> None:
    """Names for what the tables hold: ``call_sid`` renamed ``call_key`` (the column holds the
    call's pseudonym, not its CallSid), and ``call_marks`` renamed ``call_events``.

    Unlike the steps before it, the old code cannot use the upgraded tables: a worker of
    schema 3 still running after the release step fails to store a callback request (the caller
    hears the apology with the helpdesk number), and the call events it queues are not written,
    until the new workers replace it.
    """
    for table in (callbacks, sms_sent):
        if "call_sid" in {column["name"] for column in inspect(conn).get_columns(table.name)}:
            conn.exec_driver_sql(f"ALTER TABLE {table.name} RENAME COLUMN call_sid TO call_key")
    if conn.dialect.name == "postgresql":  # its unique constraint, named as a new table names it
        unique = {found["name"] for found in inspect(conn).get_unique_constraints(callbacks.name)}
        if "callback_requests_call_sid_key" in unique:
            conn.exec_driver_sql(
                "ALTER TABLE callback_requests RENAME CONSTRAINT callback_requests_call_sid_key "
                "TO callback_requests_call_key_key"
            )
    if inspect(conn).has_table("call_marks"):
        _call_marks_to_call_events(conn)


def _call_marks_to_call_events(conn: Connection) -> None:
    """``call_marks`` becomes ``call_events`` (its column ``mark``: ``event``), rows and ids kept.

    ``create_all`` ran just before, under the same lock, and made an empty ``call_events`` (no
    code of schema 4 writes to a database at 3): it makes way. The indexes, and on PostgreSQL
    the primary key and the id sequence, are then named as a table made at version 4 names them.
    """
    if inspect(conn).has_table("call_events"):
        if conn.execute(select(func.count()).select_from(call_events)).scalar_one():
            raise StorageError("call_events already holds rows beside call_marks: nothing renamed")
        call_events.drop(conn)
    conn.exec_driver_sql("ALTER TABLE call_marks RENAME TO call_events")
    conn.exec_driver_sql("ALTER TABLE call_events RENAME COLUMN mark TO event")
    for column in ("call_key", "at"):
        conn.exec_driver_sql(f"DROP INDEX IF EXISTS ix_call_marks_{column}")
    for index in call_events.indexes:
        index.create(conn, checkfirst=True)
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql("ALTER INDEX IF EXISTS call_marks_pkey RENAME TO call_events_pkey")
        conn.exec_driver_sql(
            "ALTER SEQUENCE IF EXISTS call_marks_id_seq RENAME TO call_events_id_seq"
        )


def _to_version_5(conn: Connection) -> None:
    """The operator's alerts (``alerts_sent``) are new: ``create_all`` has made the table.
    A worker of schema 4 still running after the release step works on as before."""


def _to_version_6(conn: Connection) -> None:
    """The audit trail of CSV downloads (``csv_downloads``) is new: ``create_all`` has made the
    table. A worker of schema 5 still running after the release step serves the CSV unrecorded
    until the new workers replace it."""


def _to_version_7(conn: Connection) -> None:
    """Server-side staff sessions (``staff_sessions``, made by ``create_all``), the accounts'
    password rule and authenticator app, and whether a callback's number was typed.

    A worker of schema 6 still running after the release step keeps its own cookie sessions and
    stores callback requests without ``number_typed`` (NULL: not known) until it is replaced."""
    for table, columns in (
        (
            staff_accounts,
            (
                "password_strong BOOLEAN",
                "totp_secret VARCHAR(64)",
                "totp_last_step INTEGER",
                "totp_failures INTEGER NOT NULL DEFAULT 0",
            ),
        ),
        (callbacks, ("number_typed BOOLEAN", "asked_at VARCHAR(16)")),
    ):
        present = {column["name"] for column in inspect(conn).get_columns(table.name)}
        for column in columns:
            if column.split()[0] not in present:
                conn.exec_driver_sql(f"ALTER TABLE {table.name} ADD COLUMN {column}")


def _to_version_8(conn: Connection) -> None:
    """The language the caller chose, with each callback request ("nl" for the rows before);
    each staff account's role (the accounts before are helpdesk workers); the content's
    versions (``content_versions``, made by ``create_all``).

    A worker of schema 7 still running after the release step stores its requests as Dutch
    (the column's default) and answers from the repository's content until it is replaced."""
    for table, columns in (
        (callbacks, ("language VARCHAR(8) NOT NULL DEFAULT 'nl'",)),
        (staff_accounts, ("role VARCHAR(16) NOT NULL DEFAULT 'helpdesk'",)),
    ):
        present = {column["name"] for column in inspect(conn).get_columns(table.name)}
        for column in columns:
            if column.split()[0] not in present:
                conn.exec_driver_sql(f"ALTER TABLE {table.name} ADD COLUMN {column}")


UPGRADES: dict[int, Callable[[Connection], None]] = {
    2: _to_version_2,
    3: _to_version_3,
    4: _to_version_4,
    5: _to_version_5,
    6: _to_version_6,
    7: _to_version_7,
    8: _to_version_8,
}
