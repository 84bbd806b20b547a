"""The ``ivr`` command: one click group, and the one place an IvrError becomes an exit code.

Every command raises IvrError subclasses (``ConfigError``, ``TreeError``, ``StorageError`` …);
``IvrGroup`` turns each into its message on standard error and the error's own exit code.
"""

from __future__ import annotations

from typing import Any

import click

from ivr.core.errors import IvrError


class IvrCommandError(click.ClickException):
    """An IvrError as the ``ivr`` command shows it: the message, and the error's exit code."""

    def __init__(self, error: IvrError) -> None:
        super().__init__(str(error))
        self.exit_code = error.exit_code


class IvrGroup(click.Group):
    """A click group whose commands may raise IvrError: shown as a message, never a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except IvrError as exc:
            raise IvrCommandError(exc) from exc


@click.group(cls=IvrGroup)
def cli() -> None:
    """Mantelzorglijn: the Dutch phone line for carers in Amsterdam."""


def _add_commands() -> None:
    from ivr.cli.audio import audio
    from ivr.cli.callbacks import callbacks, purge
    from ivr.cli.content import content
    from ivr.cli.db import db
    from ivr.cli.line import serve, simulate, validate
    from ivr.cli.staff import staff
    from ivr.cli.stats import stats
    from ivr.cli.tree import tree

    for command in (
        serve, validate, simulate, tree, audio, callbacks, purge, db, staff, stats, content
    ):  # fmt: skip
        cli.add_command(command)


_add_commands()


def main() -> None:
    cli()
