"""ivr.storage.content_versions: drafts, numbered versions, rollbacks (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from ivr.core.content_files import DUTCH_PROMPTS, TREE, files_hash, version_number
from ivr.core.errors import UsageError
from ivr.storage.content_versions import ContentVersions, Outdated
from ivr.storage.database import Database
from tests.support.clock import OPEN_TIME, Clock
from tests.support.threads import at_once

TREE_TEXT = "nodes:\n  acuut:\n    question: Acuut?\n    source: 003.txt\n"
FILES = {TREE: TREE_TEXT, DUTCH_PROMPTS: "welcome: Welkom.\n"}
CHANGED = {**FILES, DUTCH_PROMPTS: "welcome: Hallo.\n"}


@pytest.fixture
def versions(database: Database) -> ContentVersions:
    return ContentVersions(database, Clock(OPEN_TIME))


def test_the_repository_is_version_one_once(versions: ContentVersions) -> None:
    assert versions.latest() is None
    first = versions.publish_repository(FILES)
    assert first is not None
    assert (first.number, first.by, first.origin, first.files) == (1, "ivr", "repository", FILES)
    assert versions.publish_repository(CHANGED) is None
    assert versions.latest() == first == versions.last_imported()
    assert first.files_hash == files_hash(FILES)


def test_publishing_numbers_versions_and_a_rollback_names_the_one_it_repeats(
    versions: ContentVersions,
) -> None:
    versions.publish_repository(FILES)
    draft = versions.save_draft(CHANGED, "anna", "korter welkom", {"welcome": "Markant, 3 dec"})
    assert versions.latest_id() == 1  # a draft is not heard
    found = versions.get(draft)
    assert found is not None
    assert (found.draft, found.number, found.files, found.sources) == (
        True, None, CHANGED, {"welcome": "Markant, 3 dec"}
    )  # fmt: skip
    versions.clock.now += timedelta(minutes=5)  # type: ignore[attr-defined]
    second = versions.publish(draft, "anna", "korter welkom")
    assert (second.number, second.files, second.at) == (
        2,
        CHANGED,
        OPEN_TIME + timedelta(minutes=5),
    )
    third = versions.rollback(1, "bert")
    assert (third.number, third.files, third.rollback_of, third.origin, third.note) == (
        3, FILES, 1, "rollback", "Terug naar versie 1"
    )  # fmt: skip
    assert [v.number for v in versions.published()] == [3, 2, 1]
    assert versions.latest() == third
    assert versions.last_imported() == versions.numbered(1)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        pytest.param(
            lambda v: v.rollback(7, "anna"), "there is no published version 7", id="rollback"
        ),
        pytest.param(
            lambda v: v.publish(99, "anna"), "there is no content version 99", id="publish"
        ),
    ],
)
def test_a_version_that_is_not_there_is_refused(
    versions: ContentVersions, call: object, message: str
) -> None:
    with pytest.raises(UsageError) as refused:
        call(versions)  # type: ignore[operator]
    assert str(refused.value) == message


def test_a_source_goes_into_the_tree_beside_source(versions: ContentVersions) -> None:
    sources = {"nodes.acuut.question": "telefoontje met het Sociaal loket, 3 dec"}
    published = versions.publish(FILES, "anna", "bron", sources)
    assert published.files[TREE] == TREE_TEXT + (
        "    source_note: telefoontje met het Sociaal loket, 3 dec\n"
    )
    again = versions.publish(published.files, "anna", "", {"nodes.acuut.question": "mail, 4 dec"})
    assert again.files[TREE].splitlines()[-1] == (
        "    source_note: telefoontje met het Sociaal loket, 3 dec; mail, 4 dec"
    )
    assert again.sources == {"nodes.acuut.question": "mail, 4 dec"}


def test_files_made_from_a_version_that_is_no_longer_the_newest_are_refused(
    versions: ContentVersions,
) -> None:
    versions.publish_repository(FILES)
    versions.publish(CHANGED, "bert", base=1)  # a colleague, made from version 1 too
    with pytest.raises(Outdated) as refused:
        versions.publish({**FILES, TREE: TREE_TEXT + "# anna\n"}, "anna", base=1)
    assert (refused.value.base, refused.value.newest) == (1, 2)
    assert [(v.number, v.by) for v in versions.published()] == [(2, "bert"), (1, "ivr")]
    assert versions.publish(FILES, "anna", base=2).number == 3


def test_old_drafts_are_deleted_and_published_versions_never(versions: ContentVersions) -> None:
    versions.publish_repository(FILES)
    old = versions.save_draft(CHANGED, "anna")
    versions.publish(old, "anna")
    versions.clock.now += timedelta(days=30)  # type: ignore[attr-defined]
    recent = versions.save_draft(FILES, "anna")
    assert versions.forget_drafts(versions.clock.now - timedelta(days=1)) == 1  # type: ignore[attr-defined]
    assert (versions.get(old), versions.get(recent) is not None) == (None, True)
    assert [v.number for v in versions.published()] == [2, 1]


@pytest.mark.parametrize(
    ("text", "number"),
    [("7", 7), ("000000012", 12), ("999999999", 999999999), ("1234567890", None), ("", None),
     ("²", None), ("-1", None), ("1 ", None)],
    ids=["one-digit", "leading-zeros", "nine-digits", "ten-digits", "empty", "superscript",
         "negative", "space"],
)  # fmt: skip
def test_a_version_number_in_a_url_or_form_has_at_most_nine_digits(
    text: str, number: int | None
) -> None:
    assert version_number(text) == number


def test_simultaneous_publishers_get_numbers_of_their_own(database: Database) -> None:
    url = database.engine.url.render_as_string(hide_password=False)
    publishers = [ContentVersions(Database(url), Clock(OPEN_TIME)) for _ in range(4)]
    numbers = at_once([lambda p=p: p.publish(FILES, "anna").number for p in publishers])
    for publisher in publishers:
        publisher.database.dispose()
    assert sorted(numbers) == [1, 2, 3, 4]


def test_a_start_names_the_repository_files_changed_since_their_last_import(
    versions: ContentVersions,
) -> None:
    first, differing = versions.at_start(FILES)
    assert (first.number, first.origin, differing) == (1, "repository", [])
    versions.publish(CHANGED, "anna", "korter welkom")
    assert [(v.number, d) for v, d in [versions.at_start(FILES)]] == [(2, [])]  # edits stay
    newer = {**FILES, TREE: TREE_TEXT + "# een commit\n"}
    assert [(v.number, d) for v, d in [versions.at_start(newer)]] == [(2, [TREE])]
    assert versions.at_start(CHANGED)[1] == []  # the published version, exported and committed
    versions.publish({**CHANGED, DUTCH_PROMPTS: "welcome: Dag.\n"}, "anna")
    assert versions.at_start(CHANGED)[1] == []  # an export of version 2 committed: no warning
    imported = versions.publish(newer, "ivr content import", origin="import")
    assert versions.at_start(newer) == (imported, [])
