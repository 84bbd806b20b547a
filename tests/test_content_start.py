"""A deploy whose code refuses the newest published content version (ivr.web.content_start):
a version that lacks only what the repository's files have is completed and published at
start; one that still fails leaves every worker on the same last good version, and the
editor's list page says what is wrong and how to repair it."""

from __future__ import annotations

import logging
from collections.abc import Callable

import pytest
import yaml
from flask import Flask

from ivr.core.content_edit import edited
from ivr.core.content_files import DUTCH_PROMPTS, TREE
from ivr.storage.content_versions import ContentVersions
from tests.support.calls import Caller
from tests.support.content_editor import Editor, add_editor

NEW = "Is uw naaste vandaag in gevaar?"
START = "ivr.web.content_start"
WHISPER = 'whisper_language: "De beller koos {language}."\n'


def _versions(app: Flask) -> ContentVersions:
    found: ContentVersions = app.extensions["ivr_content_versions"]
    return found


def _first_question(app: Flask) -> str:
    spoken = Caller(app.test_client()).post("/voice").spoken()
    return next(text for text in spoken if text.startswith(("Heeft", "Is uw")))


def _edited(app: Flask) -> dict[str, str]:
    """Version 1's files with an editor's new question."""
    latest = _versions(app).latest()
    assert latest is not None
    return {**latest.files, TREE: edited(latest.files[TREE], ("nodes", "acuut", "question"), NEW)}


def test_a_version_that_lacks_a_new_prompt_is_completed_at_start(
    make_app: Callable[..., Flask], caplog: pytest.LogCaptureFixture
) -> None:
    first = make_app()
    old = _edited(first)  # published before the deploy that made whisper_language required
    _versions(first).publish({**old, DUTCH_PROMPTS: old[DUTCH_PROMPTS].replace(WHISPER, "")}, "eva")
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        later = make_app()
    latest = _versions(later).latest()
    assert latest is not None
    assert (latest.number, latest.by, latest.note, latest.files[TREE]) == (
        3,
        "bij de start",
        "Aangevuld uit de bestanden van de repository (de nieuwe software vraagt ze): "
        "prompts/nl.yaml: whisper_language",
        old[TREE],
    )
    assert latest.files[DUTCH_PROMPTS].endswith(f"\n{WHISPER}")  # added after the last prompt
    assert yaml.safe_load(latest.files[DUTCH_PROMPTS]) == yaml.safe_load(old[DUTCH_PROMPTS])
    assert [(r.levelname, r.getMessage()) for r in caplog.records if r.name == START] == [
        ("WARNING", "CONTENT: published version 2 lacked what this deploy needs; version 3 "
         "adds it from the repository's files: prompts/nl.yaml: whisper_language"),
    ]  # fmt: skip
    assert _first_question(later) == NEW
    assert [v.number for v in _versions(make_app()).published()] == [3, 2, 1]  # once


def test_a_version_that_still_fails_leaves_every_worker_on_the_last_good_one(
    make_app: Callable[..., Flask], caplog: pytest.LogCaptureFixture
) -> None:
    running = make_app()
    good = _versions(running).publish(_edited(running), "eva")
    broken = edited(good.files[TREE], ("services", "markant", "phone"), "12345")
    _versions(running).publish({**good.files, TREE: broken}, "eva")  # refused by today's checks
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        started = make_app()
    assert [r.levelname for r in caplog.records if r.name == START] == ["ERROR"]
    said = next(r.getMessage() for r in caplog.records if r.name == START)
    assert said.startswith("CONTENT: published version 3 does not pass this deploy's checks (")
    assert said.endswith(
        "); every worker answers from version 2. Repair: 'ivr content export DIR', correct the "
        "files, 'ivr content import' them (the editor's list page says the same)."
    )
    running.extensions["ivr_lines"].check_seconds = 0  # looks the newest up at the next call
    assert [_first_question(running), _first_question(started)] == [NEW, NEW]
    assert [v.number for v in _versions(started).published()] == [3, 2, 1]
    add_editor(started)
    editor = Editor(started.test_client())
    editor.log_in_as_editor()
    page = editor.client.get("/staff/content").get_data(as_text=True)
    assert "De nieuwste versie (3) past niet bij de software van de lijn" in page
    assert "ivr content export" in page and "ivr content import" in page
    assert editor.client.get("/staff/content/acuut").status_code == 200
