"""``ivr audio render|status|prune``: the audio folder from the command line; ``ivr audio
recordings <code>``: what a recorded language's volunteers still have to record."""

from __future__ import annotations

import os
from collections import Counter

import click

from ivr.audio.catalog import CURRENT, MISSING, STALE, Catalog
from ivr.audio.engines import ENGINES, make_engine
from ivr.audio.recordings import RecordingFolder, recordings_root
from ivr.audio.render import Renderer, prune
from ivr.config.content import Content, load_content
from ivr.config.language_check import check_language
from ivr.config.languages import line_language
from ivr.config.settings import Settings
from ivr.core.errors import AudioError
from ivr.core.languages import find
from ivr.core.spoken_texts import spoken_texts
from ivr.core.translation import State
from ivr.web.line_assembly import call_flow

_ENGINE = click.option(
    "--engine",
    type=click.Choice(ENGINES),
    default="gtts",
    show_default=True,
    help="gtts needs internet; espeak-ng is offline, for development only.",
)
_SLOW = click.option("--slow", is_flag=True, help="Slower speech (a different voice setting).")


def line_catalog(settings: Settings, content: Content | None = None) -> Catalog:
    """The audio folder against every text the configured line speaks.

    ``content``: the tree and prompts when the caller has loaded them already.
    """
    if content is None:
        content = load_content(settings.tree_path, settings.prompts_path, settings.shared_dir)
    return Catalog.load(settings.audio_dir, spoken_texts(call_flow(settings, content)))


def _short(text: str, width: int = 70) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


@click.group()
def audio() -> None:
    """Pre-rendered audio for every spoken text (audio/, committed with the code)."""


@audio.command()
@_ENGINE
@_SLOW
def render(engine: str, slow: bool) -> None:
    """Render every spoken text without current audio, then list any that failed."""
    catalog = line_catalog(Settings.for_commands(os.environ))
    chosen = make_engine(engine, slow)
    report = Renderer(catalog, chosen).render(
        lambda todo: click.progressbar(todo, label=f"Rendering with {chosen.voice}")
    )
    click.echo(
        f"{catalog.audio_dir}: rendered {len(report.rendered)}, reused {len(report.reused)}, "
        f"already current {report.current}, failed {len(report.failures)}, "
        f"not tried {len(report.not_tried)}"
    )
    if report.failures:
        for failure in report.failures:
            click.echo(f"  failed: {_short(failure.text)!r}: {failure.reason}", err=True)
        stopped = (
            f"Stopped after {len(report.failures)} failures in a row (is there internet?). "
            if report.not_tried
            else ""
        )
        missing = len(report.failures) + len(report.not_tried)
        raise AudioError(
            f"{stopped}{missing} text(s) have no audio and stay spoken with <Say>; "
            "the rendered ones are saved. Run 'ivr audio render' again later."
        )
    click.echo("Commit audio/ (files and manifest.json) so the line plays them.")


@audio.command()
@_ENGINE
@_SLOW
def status(engine: str, slow: bool) -> None:
    """How many spoken texts are rendered with the chosen engine, stale or missing."""
    catalog = line_catalog(Settings.for_commands(os.environ))
    voice = make_engine(engine, slow).voice
    counts = catalog.count(voice)
    click.echo(
        f"{catalog.audio_dir} ({voice}): {counts[CURRENT]} current, {counts[STALE]} stale, "
        f"{counts[MISSING]} missing, of {len(catalog.texts)} spoken texts"
    )
    for text in catalog.texts:
        state = catalog.state(text, voice)
        if state != CURRENT:
            click.echo(f"  {state}: {_short(text)}")
    orphans, loose = catalog.orphans(), catalog.loose_files()
    if orphans or loose:
        click.echo(
            f"{len(orphans)} entries for texts no longer spoken, {len(loose)} unused files: "
            "'ivr audio prune' removes them"
        )
    if counts[CURRENT] < len(catalog.texts):
        click.echo("Run 'ivr audio render' to render what is stale or missing.")


@audio.command(name="prune")
def prune_command() -> None:
    """Remove manifest entries and files the line no longer uses."""
    report = prune(line_catalog(Settings.for_commands(os.environ)))
    click.echo(f"removed {len(report.entries)} manifest entries and {len(report.files)} files")
    for name in report.files:
        click.echo(f"  deleted {name}")


@audio.command()
@click.argument("code")
@click.option("--texts", is_flag=True, help="Each text whole, on the line after its file name.")
def recordings(code: str, texts: bool) -> None:
    """Which recordings of a recorded language (ary) are missing or stale: the files to make."""
    language = find(code)
    if not language.recorded:
        raise AudioError(
            f"{language.name} ({code}) is spoken by Twilio's voices: only a recorded language "
            "has recordings"
        )
    settings = Settings.for_commands(os.environ)
    content = load_content(settings.tree_path, settings.prompts_path, settings.shared_dir)
    translations = check_language(language, content, settings)
    made = line_language(translations, content, "")
    folder = RecordingFolder.of(recordings_root(settings.audio_dir), made)
    needed = folder.recordings()
    counts = Counter(found.state for found in needed)
    click.echo(
        f"{folder.folder} ({language.name}): {counts[CURRENT]} current, {counts[STALE]} stale, "
        f"{counts[MISSING]} missing, of {len(needed)} recordings"
    )
    for found in needed:
        if found.state != CURRENT:
            old = f" (replaces {found.file})" if found.file else ""
            said = f"\n      {found.piece.text}" if texts else f"  {_short(found.piece.text, 50)}"
            click.echo(f"  {found.state}: {found.to_make}{old}{said}")
    untranslated = [
        *translations.in_state(State.MISSING),
        *translations.in_state(State.WRONG_NUMBERS),
    ]
    if untranslated:
        click.echo(
            f"{len(untranslated)} texts are not translated or say other numbers than the Dutch "
            "('ivr validate'): their recordings are listed once they are"
        )
    unused = folder.unused()
    if unused:
        click.echo(f"{len(unused)} recordings no text needs: " + ", ".join(unused))
    if counts[CURRENT] < len(needed):
        click.echo(
            f"Record each file named above into {folder.folder} (its README.md says how); "
            f"{language.name} is offered only when none is missing or stale."
        )
