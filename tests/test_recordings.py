"""Moroccan Arabic, a recorded language (issue 24 item 5): the pieces it needs, which recordings
are missing, stale or current, ``ivr audio recordings``, offered only when complete, and a call
in it played from recordings alone (keys only, numbers from the digits)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from ivr.audio.catalog import CURRENT, MISSING, STALE
from ivr.audio.recordings import (
    Recording,
    RecordingFolder,
    absent_recordings,
    recordings_root,
)
from ivr.cli import cli
from ivr.cli.translations import translation_report
from ivr.config.content import Content, load_content
from ivr.config.language_check import check_language
from ivr.config.languages import line_language, offer_languages
from ivr.config.settings import Settings
from ivr.core.hours import OpeningHours, parse_hours, spoken_moment
from ivr.core.languages import find
from ivr.core.prompts import Prompts
from ivr.core.recorded import RecordedSpeech
from ivr.core.speech import Speech
from ivr.core.translated import LineLanguage
from tests.support.recordings import record

ARY = find("ary")
PIECES = 176  # what Moroccan Arabic records, as its texts are today
BASE = "https://ivr.example"
SETTINGS = Settings.for_commands({"LANGUAGES": "nl,ary"})


@pytest.fixture(scope="module")
def content() -> Content:
    return load_content(SETTINGS.tree_path, SETTINGS.prompts_path, SETTINGS.shared_dir)


@pytest.fixture(scope="module")
def made(content: Content) -> LineLanguage:
    """Moroccan Arabic as the line speaks it, from the checkout's texts."""
    return line_language(check_language(ARY, content, SETTINGS), content, "")


@pytest.fixture(scope="module")
def speech(made: LineLanguage) -> RecordedSpeech:
    return RecordedSpeech(made)


def _ids(speech: RecordedSpeech, text: str) -> list[str] | None:
    found = speech.pieces_of(text)
    return None if found is None else [piece.id for piece in found]


def test_the_pieces_moroccan_arabic_records(speech: RecordedSpeech) -> None:
    texts = {piece.id: piece.text for piece in speech.pieces}
    assert len(speech.pieces) == len(texts) == PIECES
    assert [piece.stem for piece in speech.pieces[:2]] == [
        "choice.92e366e950e2",
        "welcome.f2e71c2c70bc",
    ]
    # A prompt with placeholders is recorded in the parts between them.
    assert (texts["contact_call.1"], texts["contact_call.2"]) == ("عيّط على", "نعاود:")
    assert texts["closed_until.1"] == "مسدود دابا. تقدر تعيّط"
    # The words the line composes numbers, hours and moments from.
    assert [texts[f"numbers.{n}"] for n in (0, 5, 12)] == ["صفر", "خمسة", "طناش"]
    assert (texts["weekdays.monday"], texts["months.december"]) == ("التنين", "دجنبر")
    assert (texts["clock.half.1"], texts["calendar.workdays"]) == ("و نص", "من التنين حتى للجمعة")
    # Nothing only the helpdesk hears or only an SMS says; a text said twice is one piece.
    assert not [i for i in texts if i.startswith(("whisper", "sms_contact", "sms_web"))]
    assert not [i for i in texts if i.endswith(".sms")]
    assert "nodes.dagbesteding_kind.question" in texts
    assert "nodes.jonger.question" not in texts  # the same question, the same recording


def _hours(language_made: LineLanguage) -> Speech:
    hours = parse_hours("ma-vr 09:00-16:30; za 10:15-12:00")
    opening = {sid: OpeningHours(hours, language=ARY) for sid in language_made.tree.services}
    return Speech(language_made.tree, language_made.prompts, opening, ARY)


HELPDESK_DIGITS = [f"numbers.{d}" for d in "0208868800"]


@pytest.mark.parametrize(
    ("compose", "expected"),
    [
        pytest.param(
            lambda say: say.call_later("markant", hours=False)[0].text,
            ["contact_call.1", "services.markant.name", "call_later.2", *HELPDESK_DIGITS,
             "contact_call.2", *HELPDESK_DIGITS],
            id="a-number-digit-by-digit",
        ),
        pytest.param(
            lambda say: say.call_later("markant")[1].text,
            ["services.markant.name", "contact_hours.1", "calendar.workdays", "calendar.days.1",
             "numbers.9", "calendar.days.2", "numbers.4", "clock.half.1", "clock.minutes.1",
             "calendar.one_day.1", "weekdays.saturday", "calendar.days.1", "numbers.10",
             "clock.quarter_past.1", "calendar.days.2", "clock.o_clock.1", "numbers.12"],
            id="opening-hours",
        ),
        pytest.param(
            lambda say: say.prompts(
                "closed_until",
                service=say.tree.services["markant"].name,
                when=spoken_moment(
                    datetime(2027, 1, 25, 8, tzinfo=UTC), datetime(2027, 1, 4, tzinfo=UTC), ARY
                ),
            ),
            ["services.markant.name", "closed_until.1", "calendar.one_day.1", "numbers.2",
             "numbers.5", "months.january", "calendar.this_week.2", "clock.o_clock.1",
             "numbers.9"],  # "نهار 25 يناير مع الساعة تسعة": "مع" is this_week's too
            id="a-date-in-digits",
        ),
        pytest.param(
            lambda say: say.offering(say.tree.nodes["crisis"])[0].text,
            ["nodes.crisis.offering"],
            id="an-offering-s-title",
        ),
        pytest.param(lambda say: "Welkom.", None, id="not-the-language-s"),
    ],
)  # fmt: skip
def test_a_text_is_said_by_its_pieces_in_order(
    made: LineLanguage,
    speech: RecordedSpeech,
    compose: Callable[[Speech], str],
    expected: list[str] | None,
) -> None:
    assert _ids(speech, compose(_hours(made))) == expected


def test_each_recording_is_current_stale_or_missing(tmp_path: Path, made: LineLanguage) -> None:
    folder = tmp_path / "ary"
    pieces = RecordedSpeech(made).pieces
    record(folder, pieces[:1])  # choice, current
    (folder / "welcome.000000000000.mp3").write_bytes(b"an older welcome")
    (folder / "nodes.gone.question.0123456789ab.mp3").write_bytes(b"a removed question")
    (folder / "notes.txt").write_text("not a recording")
    found = RecordingFolder.of(tmp_path, made)
    assert found.recordings()[:3] == [
        Recording(pieces[0], CURRENT, "choice.92e366e950e2.wav"),
        Recording(pieces[1], STALE, "welcome.000000000000.mp3"),
        Recording(pieces[2], MISSING),
    ]
    assert len(found.absent()) == PIECES - 1
    assert str(found.absent()[0]) == "welcome.f2e71c2c70bc.mp3 (stale)"
    assert found.unused() == ["nodes.gone.question.0123456789ab.mp3"]
    assert found.coverage() == (
        f"recordings (ary): 1 of {PIECES} are current (1 stale, {PIECES - 2} missing): Moroccan "
        "Arabic is not offered until all are; 'ivr audio recordings ary' lists the files"
    )


def test_a_changed_text_makes_its_recording_stale(tmp_path: Path, made: LineLanguage) -> None:
    record(tmp_path / "ary", RecordedSpeech(made).pieces)
    assert absent_recordings(tmp_path)(made) == []
    assert (
        RecordingFolder.of(tmp_path, made).coverage()
        == f"recordings (ary): {PIECES} of {PIECES} are current"
    )
    texts = {**made.prompts.texts, "noinput_1": "ما سمعت حتى حاجة."}
    changed = replace(made, prompts=Prompts(texts, in_source=made.prompts.in_source))
    (stale,) = absent_recordings(tmp_path)(changed)
    assert (stale.piece.id, stale.state, stale.file) == (
        "noinput_1",
        STALE,
        "noinput_1.ac46fad15768.wav",
    )
    assert stale.to_make == f"noinput_1.{stale.piece.hash}.mp3"


def _run(tmp_path: Path, *args: str) -> Any:
    env = {"IVR_AUDIO_DIR": str(tmp_path / "audio"), "IVR_DEV_MODE": "1"}
    return CliRunner().invoke(cli, ["audio", *args], env=env)


def test_ivr_audio_recordings_lists_the_files_to_make(tmp_path: Path, made: LineLanguage) -> None:
    folder = recordings_root(tmp_path / "audio") / "ary"
    record(folder, RecordedSpeech(made).pieces[:1])
    (folder / "welcome.000000000000.mp3").write_bytes(b"an older welcome")
    result = _run(tmp_path, "recordings", "ary")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[:4] == [
        f"{folder} (Moroccan Arabic): 1 current, 1 stale, {PIECES - 2} missing, "
        f"of {PIECES} recordings",
        "  stale: welcome.f2e71c2c70bc.mp3 (replaces welcome.000000000000.mp3)  "
        "مرحبا بيك ف Mantelzorglijn. إلا كان خطر دابا، عيّ…",
        "  missing: keys.9020e52203d6.mp3  ما عرفتيش؟ ضغط 3. ضغط 9 باش تعاود تسمع. ضغط النجم…",
        "  missing: keys_short.d7d0154bd5d1.mp3  ضغط 1 إلا كان الجواب إيه، ولا 2 إلا كان لا.",
    ]
    assert lines[-1] == (
        f"Record each file named above into {folder} (its README.md says how); "
        "Moroccan Arabic is offered only when none is missing or stale."
    )
    assert len(lines) == PIECES + 1
    english = _run(tmp_path, "recordings", "en")
    assert (english.exit_code, english.output) == (
        69,
        "Error: English (en) is spoken by Twilio's voices: only a recorded language has "
        "recordings\n",
    )


def test_a_recorded_language_is_offered_only_when_complete(
    tmp_path: Path, content: Content, made: LineLanguage
) -> None:
    absent = absent_recordings(tmp_path)
    offered, warnings = offer_languages(content, SETTINGS, absent)
    assert list(offered.languages) == ["nl"]
    assert warnings == [
        f"LANGUAGES: Moroccan Arabic (ary) is not offered: {PIECES} recordings are missing or "
        "stale: choice.92e366e950e2.mp3 (missing), welcome.f2e71c2c70bc.mp3 (missing), "
        "keys.9020e52203d6.mp3 (missing), keys_short.d7d0154bd5d1.mp3 (missing), "
        f"keys_full.69ff30610e63.mp3 (missing) and {PIECES - 5} more"
    ]
    record(tmp_path / "ary", RecordedSpeech(made).pieces)
    offered, warnings = offer_languages(content, SETTINGS, absent)
    assert list(offered.languages) == ["nl", "ary"]
    assert [w for w in warnings if "not offered" in w] == []


def test_ivr_validate_reports_a_recorded_language_s_recordings(
    tmp_path: Path, content: Content
) -> None:
    settings = Settings.for_commands({"IVR_AUDIO_DIR": str(tmp_path / "audio")})
    lines, failed = translation_report(settings, content, [ARY])
    assert lines[-1] == (
        f"  recordings (ary): 0 of {PIECES} are current (0 stale, {PIECES} missing): Moroccan "
        "Arabic is not offered until all are; 'ivr audio recordings ary' lists the files"
    )
    assert failed == []  # the texts are complete: recordings wait for the volunteers
