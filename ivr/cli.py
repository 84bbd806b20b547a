"""The ``ivr`` command: serve, validate, simulate."""

from __future__ import annotations

import os
import sys

import click

from ivr.audio.commands import audio, line_catalog
from ivr.errors import CliError, IvrError
from ivr.settings import Settings
from ivr.tree_loader import check_content


@click.group()
def cli() -> None:
    """Mantelzorglijn: the Dutch phone line for carers in Amsterdam."""


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=int, default=lambda: int(os.environ.get("PORT", "5000")))
def serve(host: str, port: int) -> None:
    """Run the development server (production uses gunicorn, see the Procfile)."""
    from ivr.app import create_app

    try:
        app = create_app()
    except IvrError as exc:
        raise CliError(exc) from exc
    app.run(host=host, port=port)


@cli.command()
def validate() -> None:
    """Check the tree and the prompts; print every problem with file and line."""
    try:
        settings = Settings.for_commands(os.environ)
    except IvrError as exc:
        raise CliError(exc) from exc
    content, problems = check_content(
        settings.tree_path, settings.prompts_path, settings.shared_dir
    )
    if content is None:
        for problem in problems:
            click.echo(problem, err=True)
        raise click.exceptions.Exit(65)
    tree = content.tree
    paths = tree.paths()
    click.echo(
        f"{settings.tree_path}: ok — {len(tree.nodes)} nodes, "
        f"{len(set(paths.values()))} offerings, {len(paths)} paths"
    )
    try:
        click.echo(line_catalog(settings, content).coverage())
    except IvrError as exc:
        raise CliError(exc) from exc


@cli.command()
def simulate() -> None:
    """A call in the terminal: prints what the line says, reads keys from stdin."""
    from ivr.simulate import run_simulation

    try:
        run_simulation(sys.stdin, click.echo)
    except IvrError as exc:
        raise CliError(exc) from exc


cli.add_command(audio)


def _add_staff_commands() -> None:
    from ivr.callback_cli import callbacks, purge

    cli.add_command(callbacks)
    cli.add_command(purge)


_add_staff_commands()


def main() -> None:
    cli()
