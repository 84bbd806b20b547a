"""Every worker answers new calls from the newest published content version within seconds,
without a restart; a call in progress keeps its version; a draft plays by ``v=`` (the web
phone's preview); a start whose repository files changed warns and keeps the published one."""

from __future__ import annotations

import logging
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from flask import Flask

from ivr.core.content_edit import edited
from ivr.core.content_files import TREE
from ivr.core.errors import StorageError
from ivr.storage.content_versions import ContentVersions
from ivr.web.content_lines import CHECK_SECONDS, ContentLines
from ivr.web.tools.call_driver import CallDriver
from tests.support.calls import Caller
from tests.support.checkout import SHIPPED_PROMPTS, SHIPPED_TREE
from tests.support.explorer import MOBILE
from tests.support.signing import TOKEN

OLD = "Heeft uw naaste vandaag nog hulp nodig om veilig te zijn?"
NEW = "Is uw naaste vandaag in gevaar?"


@dataclass
class Seconds:
    """A monotonic clock the test moves, from the real one's reading."""

    now: float = field(default_factory=time.monotonic)

    def __call__(self) -> float:
        return self.now


def _lines(app: Flask, seconds: Seconds) -> ContentLines:
    lines: ContentLines = app.extensions["ivr_lines"]
    lines.monotonic = seconds
    return lines


def _versions(app: Flask) -> ContentVersions:
    found: ContentVersions = app.extensions["ivr_content_versions"]
    return found


def _with_new_question(app: Flask) -> dict[str, str]:
    latest = _versions(app).latest()
    assert latest is not None
    return {**latest.files, TREE: edited(latest.files[TREE], ("nodes", "acuut", "question"), NEW)}


def _first_question(reply_spoken: list[str]) -> str:
    return next(text for text in reply_spoken if text.startswith(("Heeft", "Is uw")))


def test_a_second_worker_answers_new_calls_from_a_new_version_and_old_calls_keep_theirs(
    make_app: Callable[..., Flask], upgraded_url: str
) -> None:
    editor_worker = make_app(DATABASE_URL=upgraded_url)
    other_worker = make_app(DATABASE_URL=upgraded_url)
    seconds = Seconds()
    lines = _lines(other_worker, seconds)
    caller = Caller(other_worker.test_client())
    before = caller.post("/voice")
    assert (_first_question(before.spoken()), before.next_url()) == (OLD, "/voice/answer?p=")
    published = _versions(editor_worker).publish(_with_new_question(editor_worker), "anna")
    seconds.now += 1  # not looked up yet: new calls hear the version they had
    assert _first_question(caller.post("/voice").spoken()) == OLD
    seconds.now += CHECK_SECONDS
    after = caller.post("/voice")
    assert CHECK_SECONDS + 1 < 10
    assert (_first_question(after.spoken()), after.next_url()) == (
        NEW, f"/voice/answer?p=&v={published.id}"
    )  # fmt: skip
    assert lines.newest_version == published.id
    again = caller.post(before.next_url(), Digits="9")  # the call that started before: repeat
    assert _first_question(again.spoken()) == OLD
    assert _first_question(caller.post(after.next_url(), Digits="9").spoken()) == NEW


def test_a_draft_plays_by_its_version_in_the_web_phone_alone(
    make_app: Callable[..., Flask],
) -> None:
    """The web phone's line (simulated) plays a draft; the real line never does, not even to a
    signed URL that names one: it answers from the newest published version."""
    line = make_app()
    seconds = Seconds()
    _lines(line, seconds)
    draft = _versions(line).save_draft(_with_new_question(line), "anna", "preview")
    phone = make_app(simulated=True)
    preview = Caller(phone.test_client()).post(f"/voice?v={draft}")
    assert (_first_question(preview.spoken()), preview.next_url()) == (
        NEW, f"/voice/answer?p=&v={draft}"
    )  # fmt: skip
    caller = Caller(line.test_client())
    assert _first_question(caller.post(f"/voice?v={draft}").spoken()) == OLD
    assert _first_question(caller.post(f"/voice/answer?p=&v={draft}", Digits="9").spoken()) == OLD
    seconds.now += CHECK_SECONDS
    assert _first_question(caller.post("/voice").spoken()) == OLD


@pytest.mark.parametrize("version", ["999", "abc", "1" * 12], ids=["unknown", "no-number", "huge"])
def test_a_version_the_line_cannot_have_answers_from_the_newest(
    make_app: Callable[..., Flask], version: str
) -> None:
    reply = Caller(make_app().test_client()).post(f"/voice/answer?p=&v={version}", Digits="9")
    assert _first_question(reply.spoken()) == OLD


def test_a_database_that_fails_leaves_the_version_the_worker_has(
    make_app: Callable[..., Flask], caplog: pytest.LogCaptureFixture
) -> None:
    app = make_app()
    seconds = Seconds()
    lines = _lines(app, seconds)
    _versions(app).publish(_with_new_question(app), "anna")

    def failing() -> int:
        raise StorageError("cannot read the newest content version (OperationalError)")

    lines.versions = ContentVersions(_versions(app).database, _versions(app).clock)
    lines.versions.latest_id = failing  # type: ignore[method-assign]
    for _ in range(2):
        seconds.now += CHECK_SECONDS
        assert _first_question(Caller(app.test_client()).post("/voice").spoken()) == OLD
    assert [r.getMessage() for r in caplog.records if r.name == "ivr.web.content_lines"] == [
        "content versions: cannot read the newest content version (OperationalError); new "
        "calls keep the version they had"
    ]


def test_a_start_whose_repository_changed_warns_and_answers_from_the_published_version(
    make_app: Callable[..., Flask], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    tree = tmp_path / "content" / "tree" / "markant.yaml"
    prompts = tmp_path / "content" / "prompts" / "nl.yaml"
    for shipped, copy in ((SHIPPED_TREE, tree), (SHIPPED_PROMPTS, prompts)):
        copy.parent.mkdir(parents=True)
        shutil.copy(shipped, copy)
    paths = {"IVR_TREE": str(tree), "IVR_PROMPTS": str(prompts)}
    first = make_app(**paths)
    _versions(first).publish(_with_new_question(first), "anna", "korter")
    tree.write_text(tree.read_text(encoding="utf-8") + "# een commit\n", encoding="utf-8")
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        later = make_app(**paths)
    assert [r.getMessage() for r in caplog.records if r.name == "ivr.web.content_start"] == [
        "CONTENT: the repository's tree/markant.yaml changed since version 1 was imported; "
        "the line answers from published version 2 (edits at /staff/content are kept). "
        f"Publish the repository's files with 'ivr content import {tree}' ('ivr content "
        "export DIR' writes the published version to compare)."
    ]
    assert _first_question(Caller(later.test_client()).post("/voice").spoken()) == NEW


def test_the_web_phone_plays_a_draft_from_a_node_and_the_newest_without_one(
    make_app: Callable[..., Flask],
) -> None:
    make_app()  # the line: it publishes the repository's files as version 1
    app = make_app(simulated=True)  # the web phone's
    versions = _versions(app)
    latest = versions.latest()
    assert latest is not None
    question = ("nodes", "wegvallen", "question")
    draft = versions.save_draft(
        {**latest.files, TREE: edited(latest.files[TREE], question, "Valt u weg?")}, "anna"
    )
    driver = CallDriver(app, TOKEN)
    heard = [h.text for h in driver.start(MOBILE, path="n", version=draft).heard]
    published = versions.publish(_with_new_question(app), "anna")
    app.extensions["ivr_lines"].check_seconds = 0  # looked up at the next new call
    newest = driver.start(MOBILE, path="n")
    assert (heard[0], newest.twiml[0][0]) == ("Valt u weg?", f"/voice/answer?p=&v={published.id}")


def test_the_map_shows_the_newest_published_version(make_app: Callable[..., Flask]) -> None:
    """The console and the tools read the newest version's line, as new calls do."""
    app = make_app(IVR_DEV_MODE="1")
    seconds = Seconds()
    _lines(app, seconds)
    client = app.test_client()
    assert OLD in client.get("/tree").get_data(as_text=True)
    _versions(app).publish(_with_new_question(app), "anna")
    seconds.now += CHECK_SECONDS
    html = client.get("/tree").get_data(as_text=True)
    assert (NEW in html, OLD in html) == (True, False)
