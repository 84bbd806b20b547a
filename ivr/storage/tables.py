"""The database tables (SQLAlchemy Core): what the line stores, column by column.

Their version is ``ivr.storage.schema``'s and the steps that upgrade an older database are
``ivr.storage.upgrade_steps``'; a table that changes needs a new version.

A call is known in ``callback_requests`` and ``sms_sent`` by ``call_key``: its pseudonym there
(``ivr.core.call_events.call_key`` with ``CALLBACKS``), never its CallSid. Rows stored by the line
before schema 3 hold Twilio's raw CallSid there (``CA`` and 32 hex digits) until ``ivr purge``
removes them with their request; the column was named ``call_sid`` until schema 4.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

metadata = MetaData()
# One row: the version of the tables. Only upgrade_schema writes it, under its lock.
schema_info = Table("ivr_schema", metadata, Column("version", Integer, nullable=False))
callbacks = Table(
    "callback_requests",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    # The call's pseudonym for callbacks (before schema 3: its raw CallSid); "call_sid" until 4
    Column("call_key", String(64), nullable=False, unique=True),
    Column("requested_at", DateTime(timezone=True), nullable=False),
    Column("phone", String(16), nullable=False),  # E.164: the only raw phone number kept
    Column("reached", String(300), nullable=False),
    Column("answers", Text, nullable=False),
    Column("service", String(32), nullable=False),
    # typed | open | done | unreached (closed after the last attempt that reached nobody)
    Column("status", String(16), nullable=False, index=True),
    Column("done_at", DateTime(timezone=True)),  # when it was closed (done or unreached)
    # Version 2: the staff worklist. A claim is "ik bel" by one staff member at a time.
    Column("claimed_by", String(64)),
    Column("claimed_at", DateTime(timezone=True)),
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("last_attempt_at", DateTime(timezone=True)),
    Column("closed_by", String(64)),
    # The e-mail to the helpdesk that a request waits: NULL until a notice was sent for it;
    # notice_taken_at: a worker is sending it (a lease: taken again when that worker died).
    Column("notified_at", DateTime(timezone=True)),
    Column("notice_taken_at", DateTime(timezone=True)),
    # Version 7: the caller typed the number (False: it came from caller ID; NULL: stored before).
    Column("number_typed", Boolean),
    # Version 7: ivr.core.callback_status.AskedAt (NULL: stored before; the worklist then
    # matches ``reached`` against the advice titles of today's tree).
    Column("asked_at", String(16)),
    # Version 8: the code of the language the caller chose ("nl", "en"; rows stored before: "nl").
    Column("language", String(8), nullable=False, server_default="nl"),
)
# Who did what to a request, and when (claims, attempts, notes): the worklist's audit trail.
callback_events = Table(
    "callback_events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column(
        "request_id",
        Integer,
        ForeignKey("callback_requests.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("staff", String(64), nullable=False),
    Column("action", String(16), nullable=False),
    Column("note", Text),
)
staff_accounts = Table(
    "staff_accounts",
    metadata,
    Column("username", String(64), primary_key=True),
    Column("password_hash", String(255), nullable=False),  # werkzeug scrypt: never the password
    Column("changed_at", DateTime(timezone=True), nullable=False),
    # Version 7. Whether the password meets today's rule (ivr.storage.credentials.check_password):
    # NULL for one set before the rule, checked at its next login.
    Column("password_strong", Boolean),
    # The base32 secret of the authenticator app (TOTP), NULL when none is set up; the last
    # 30-second step a code was used for, so a code works once.
    Column("totp_secret", String(64)),
    Column("totp_last_step", Integer),
    # Wrong codes in a row since the last right one: at TOTP_FAILURE_LIMIT the app stops
    # accepting codes until 'ivr staff totp-reset' (the pauses alone allow guessing over weeks).
    Column("totp_failures", Integer, nullable=False, server_default="0"),
    # Version 8: ivr.storage.accounts.Role: "helpdesk" works the callback list, "editor" also
    # edits the line's content (/staff/content).
    Column("role", String(16), nullable=False, server_default="helpdesk"),
)
# Version 7: the staff console's sessions, server-side. The cookie holds a random token; only its
# SHA-256 is kept here. Logging out, a new password or removing the account deletes the rows,
# which ends every copy of the cookie at once.
staff_sessions = Table(
    "staff_sessions",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("username", String(64), nullable=False, index=True),
    Column("started_at", DateTime(timezone=True), nullable=False),
)
# Failed logins per account and per (hashed) address: a pause after several in a row.
login_failures = Table(
    "login_failures",
    metadata,
    Column("key", String(96), primary_key=True),
    Column("failures", Integer, nullable=False),
    Column("last_at", DateTime(timezone=True), nullable=False),
)
sms_sent = Table(
    "sms_sent",
    metadata,
    Column("call_key", String(64), primary_key=True),  # as in callback_requests
    Column("sent_at", DateTime(timezone=True), nullable=False),
)
# Version 3: how callers fare (ivr.core.call_events); "call_marks" with a column "mark" until 4.
# A call is known only by its keyed hash; each event is the JSON of a ``CallEvent``: node ids,
# reply kinds, outcomes, never a phone number.
call_events = Table(
    "call_events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("call_key", String(32), nullable=False, index=True),
    Column("at", DateTime(timezone=True), nullable=False, index=True),
    Column("event", Text, nullable=False),
)
# Call events past their retention, folded into counts per Amsterdam day (ivr.core.call_counts).
call_days = Table(
    "call_days",
    metadata,
    Column("day", Date, primary_key=True),
    Column("metric", String(24), primary_key=True),
    Column("key", Text, primary_key=True),  # a node id, or two joined by "|" or ">"
    Column("count", Integer, nullable=False),
)
# Version 5: when each kind of alert last went to the operator (ivr.core.alerts): the limit of
# one alert per kind and interval holds across all workers. No caller's data.
alerts_sent = Table(
    "alerts_sent",
    metadata,
    Column("alert", String(64), primary_key=True),  # Alert.key: "storage", "transfer:markant" …
    Column("sent_at", DateTime(timezone=True), nullable=False),
)
# Version 6: who downloaded the worklist's CSV (every request kept, with its phone number), when,
# how many requests, and the period they covered (NULL when there were none). No caller's data.
csv_downloads = Table(
    "csv_downloads",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", DateTime(timezone=True), nullable=False, index=True),
    Column("staff", String(64), nullable=False),
    Column("requests", Integer, nullable=False),
    Column("first_requested_at", DateTime(timezone=True)),
    Column("last_requested_at", DateTime(timezone=True)),
)
# Version 8: the versions of the line's content (ivr.storage.content_versions): every content
# file's text, as JSON ({"tree/markant.yaml": "...", ...}). A draft has no number; published
# versions are numbered 1, 2, 3 … in order. No caller's data.
content_versions = Table(
    "content_versions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("number", Integer, unique=True),  # NULL: a draft (for the web phone's preview)
    Column("at", DateTime(timezone=True), nullable=False),  # saved, or published
    Column("author", String(64), nullable=False),  # a staff account, "ivr content import" …
    Column("note", Text, nullable=False),
    Column("sources", Text, nullable=False),  # JSON: a changed field's free-text source
    Column("files", Text, nullable=False),  # JSON: every content file's text, by its name
    Column("files_hash", String(64), nullable=False),  # SHA-256 of the files (ivr.core)
    # How it came: "repository" (the first start's), "import", "editor", "rollback"
    Column("origin", String(16), nullable=False),
    Column("rollback_of", Integer),  # the number a rollback published again
)
