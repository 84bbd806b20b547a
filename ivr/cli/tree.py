"""``ivr tree --svg FILE``: the drawing of the tree map (``/tree``), for documents."""

from __future__ import annotations

import os
from pathlib import Path

import click

from ivr.config.content import check_content
from ivr.config.settings import Settings
from ivr.core.errors import TreeError


@click.command("tree")
@click.option(
    "--svg",
    "svg_file",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    required=True,
    help="Write the flowchart of the tree to this SVG file.",
)
def tree(svg_file: Path) -> None:
    """Draw the tree as a flowchart: questions and offerings as boxes, ja/nee on the edges."""
    from ivr.web.tree_drawing import NoGraphviz, tree_svg

    settings = Settings.for_commands(os.environ)
    content, problems = check_content(
        settings.tree_path, settings.prompts_path, settings.shared_dir
    )
    if content is None:
        raise TreeError(problems)
    try:
        svg = tree_svg(content.tree)
    except NoGraphviz as exc:
        raise click.ClickException(str(exc)) from exc
    svg_file.write_text('<?xml version="1.0" encoding="UTF-8"?>\n' + svg, encoding="utf-8")
    click.echo(f"{svg_file}: {len(content.tree.nodes)} boxes")
