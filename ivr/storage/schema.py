"""The database tables (SQLAlchemy Core) and their versioned creation and upgrade at start.

Bump SCHEMA_VERSION when a table changes, and add to UPGRADES the statements that bring a
database from the previous version to it; ``ensure_schema`` applies them in order.
"""

from __future__ import annotations

import logging

from sqlalchemy import (
    Column,
    DateTime,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.engine import Engine

from ivr.core.errors import StorageError

log = logging.getLogger(__name__)
SCHEMA_VERSION = 1
UPGRADES: dict[int, tuple[str, ...]] = {}

metadata = MetaData()
schema_info = Table("ivr_schema", metadata, Column("version", Integer, nullable=False))
callbacks = Table(
    "callback_requests",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("call_sid", String(64), nullable=False, unique=True),
    Column("requested_at", DateTime(timezone=True), nullable=False),
    Column("phone", String(16), nullable=False),  # E.164: the only raw phone number kept
    Column("reached", String(300), nullable=False),
    Column("answers", Text, nullable=False),
    Column("service", String(32), nullable=False),
    Column("status", String(8), nullable=False, index=True),  # typed | open | done
    Column("done_at", DateTime(timezone=True)),
)
sms_sent = Table(
    "sms_sent",
    metadata,
    Column("call_sid", String(64), primary_key=True),
    Column("sent_at", DateTime(timezone=True), nullable=False),
)


def ensure_schema(engine: Engine) -> None:
    """Create missing tables and bring an older schema up to date; safe to repeat.

    Raises StorageError for a database written by a newer version of the line; SQLAlchemy's
    errors pass through to the caller.
    """
    metadata.create_all(engine)
    with engine.begin() as conn:
        found = conn.execute(select(func.max(schema_info.c.version))).scalar()
        if found is None:
            conn.execute(insert(schema_info).values(version=SCHEMA_VERSION))
        elif found > SCHEMA_VERSION:
            raise StorageError(
                f"the database has schema version {found}, newer than this code "
                f"({SCHEMA_VERSION}); deploy the newer version of the line"
            )
        elif found < SCHEMA_VERSION:
            for version in range(found + 1, SCHEMA_VERSION + 1):
                for statement in UPGRADES.get(version, ()):
                    conn.exec_driver_sql(statement)
            conn.execute(update(schema_info).values(version=SCHEMA_VERSION))
            log.info("database schema upgraded from %s to %s", found, SCHEMA_VERSION)
