"""The configured database from the command line: ``ivr db upgrade``, and the staff commands' store.

``ivr db upgrade`` creates or upgrades the schema, once per deploy. The web workers only check
the schema at start (and say to run this when it is missing or old), so simultaneous starts
never race to create tables. On Heroku the Procfile's ``release`` line runs it; ``ivr serve``
runs it before starting the development server. Staff commands only check, never create.
"""

from __future__ import annotations

import os

import click

from ivr.config.settings import Settings
from ivr.storage.callbacks import CallbackStore
from ivr.storage.schema import SchemaChange


def upgrade_database(url: str) -> SchemaChange:
    """Create or upgrade the schema of the database at ``url``; StorageError when it cannot."""
    store = CallbackStore(url)
    try:
        return store.upgrade()
    finally:
        store.engine.dispose()


def checked_store() -> tuple[Settings, CallbackStore]:
    """The configured store for staff commands; StorageError when its database or tables do
    not exist yet (an empty new database would falsely say there are no open requests)."""
    settings = Settings.for_commands(os.environ)
    store = CallbackStore(settings.database_url)
    try:
        store.check_schema()
    except BaseException:
        store.engine.dispose()
        raise
    return settings, store


@click.group("db")
def db() -> None:
    """The database of callback requests and sent text messages."""


@db.command("upgrade")
def upgrade() -> None:
    """Create the tables, or bring them up to this code's version (safe to run concurrently)."""
    change = upgrade_database(Settings.for_commands(os.environ).database_url)
    click.echo(f"database schema: {change}")
