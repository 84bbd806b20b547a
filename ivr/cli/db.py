"""The database from the command line: ``ivr db upgrade``, and the staff commands' database.

``ivr db upgrade`` creates or upgrades the schema, once per deploy. The web workers only check
the schema at start (and say to run this when it is missing or old), so simultaneous starts
never race to create tables. On Heroku the Procfile's ``release`` line runs it; ``ivr serve``
runs it before starting the development server. Staff commands only check, never create.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

import click

from ivr.config.deployment import renamed_warnings
from ivr.config.settings import Settings
from ivr.storage.database import Database
from ivr.storage.schema import SchemaChange


def upgrade_database(url: str) -> SchemaChange:
    """Create or upgrade the schema of the database at ``url``; StorageError when it cannot."""
    database = Database(url)
    try:
        return database.upgrade()
    finally:
        database.dispose()


@contextmanager
def checked_database() -> Iterator[tuple[Settings, Database]]:
    """The configured database for staff commands, closed at the end; StorageError when it or
    its tables do not exist yet (an empty new database would falsely say there are no open
    requests)."""
    settings = Settings.for_commands(os.environ)
    for warning in renamed_warnings(os.environ):  # ivr purge and ivr stats read them too
        click.echo(f"Warning: {warning}", err=True)
    database = Database(settings.database_url)
    try:
        database.check_schema()
        yield settings, database
    finally:
        database.dispose()


@click.group("db")
def db() -> None:
    """The database of callback requests and sent text messages."""


@db.command("upgrade")
def upgrade() -> None:
    """Create the tables, or bring them up to this code's version (safe to run concurrently)."""
    change = upgrade_database(Settings.for_commands(os.environ).database_url)
    click.echo(f"database schema: {change}")
