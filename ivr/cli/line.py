"""``ivr serve``, ``ivr validate`` and ``ivr simulate``: the line itself from the command line."""

from __future__ import annotations

import os
import sys
from datetime import datetime

import click

from ivr.cli.audio import line_catalog
from ivr.cli.translations import checkout_languages, translation_report
from ivr.config.content import check_content, sources_checked
from ivr.config.services import service_settings
from ivr.config.settings import Settings
from ivr.core.errors import TreeError
from ivr.core.hours import AMSTERDAM, spoken_hours


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=int, default=lambda: int(os.environ.get("PORT", "5000")))
def serve(host: str, port: int) -> None:
    """Run the development server (production uses waitress: ivr.web.server, the Procfile).

    Creates or upgrades the database first, as 'ivr db upgrade' does, so a first run just works.
    """
    import werkzeug.serving

    from ivr.cli.db import upgrade_database
    from ivr.web.app import create_app

    # Plain lines from the development server: its colour codes would be written escaped, as
    # every control character in a log line is (ivr.web.log_lines), and read as "\x1b[31m".
    werkzeug.serving._log_add_style = False
    settings = Settings.from_env(os.environ)  # a bad setting stops here, before any database
    click.echo(f"database schema: {upgrade_database(settings.database_url)}")
    create_app().run(host=host, port=port)


@click.command()
def validate() -> None:
    """Check the tree and the prompts; print every problem with file and line. Then every
    language's translations against the Dutch: missing texts and texts with other numbers
    fail, texts whose Dutch changed and unreviewed ones are listed."""
    settings = Settings.for_commands(os.environ)
    content, problems = check_content(
        settings.tree_path, settings.prompts_path, settings.shared_dir
    )
    if content is None:
        raise TreeError(problems)
    tree = content.tree
    paths = tree.paths()
    click.echo(
        f"{settings.tree_path}: ok — {len(tree.nodes)} nodes, "
        f"{len(set(paths.values()))} offerings, {len(paths)} paths"
    )
    if not sources_checked(settings.shared_dir):
        click.echo(
            "source files were not checked: no shared folder with the seeds and notes "
            "(set IVR_SHARED_DIR to check them)"
        )
    for sid, found in service_settings(settings, tree).items():
        if found.hours_assumed:
            click.echo(
                f"{sid}: the opening hours are an assumption "
                f"({spoken_hours(found.hours.blocks)}), not a source: the line says "
                f"'{found.hours.spoken()}'; set {sid.upper()}_HOURS to the real hours"
            )
    lines, failed = translation_report(settings, content, checkout_languages())
    for line in lines:
        click.echo(line)
    click.echo(line_catalog(settings, content).coverage())
    if failed:
        click.echo(
            f"translations to fix before a commit (missing texts or other numbers than the "
            f"Dutch): {', '.join(failed)}",
            err=True,
        )
        raise click.exceptions.Exit(TreeError.exit_code)


@click.command()
@click.option(
    "--caller",
    type=click.Choice(["mobiel", "vast", "anoniem"]),
    default="anoniem",
    show_default=True,
    help="The caller's number: a mobile (+316…), a landline (+3120…) or withheld.",
)
@click.option(
    "--at",
    "moment",
    type=click.DateTime(["%Y-%m-%d %H:%M"]),
    help='The moment of the call in Amsterdam, e.g. "2026-11-22 22:00" (default: now).',
)
@click.option(
    "--real-worklist",
    is_flag=True,
    help="Keep callback requests in the line's own database, where the helpdesk's worklist "
    "reads them (and e-mail the helpdesk when SMTP_HOST is set). Default: a throw-away "
    "database, deleted when the simulation ends.",
)
def simulate(caller: str, moment: datetime | None, real_worklist: bool) -> None:
    """A call in the terminal: prints what the line says, reads keys from stdin.

    Nothing reaches anyone: callback requests go to a throw-away database unless
    --real-worklist, and text messages are shown, never sent.
    """
    from ivr.cli.simulate import run_simulation
    from ivr.web.line import utc_now
    from ivr.web.tools.emulated_call import CALLERS

    at = moment.replace(tzinfo=AMSTERDAM) if moment else None
    run_simulation(
        sys.stdin,
        click.echo,
        clock=(lambda: at) if at else utc_now,
        caller=CALLERS[caller],
        real_worklist=real_worklist,
    )
