"""File names by hash, the manifest on disk, and what counts as current, stale or missing."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from ivr.audio.catalog import CURRENT, MISSING, STALE, Catalog
from ivr.audio.manifest import (
    Entry,
    Manifest,
    audio_name,
    read_manifest,
    write_atomic,
    write_manifest,
)
from ivr.core.errors import AudioError

VOICE = "gtts lang=nl tld=com slow=no"


def test_name_is_a_hash_of_text_voice_and_extension() -> None:
    name = audio_name("Welkom.", VOICE, "mp3")
    assert name == audio_name("Welkom.", VOICE, "mp3")
    assert len(name) == len("0123456789abcdef0123.mp3")
    assert name.endswith(".mp3")
    others = {
        audio_name("Welkom!", VOICE, "mp3"),
        audio_name("Welkom.", "gtts lang=nl tld=com slow=yes", "mp3"),
        audio_name("Welkom.", "espeak-ng voice=nl speed=160", "mp3"),
    }
    assert name not in others
    assert len(others) == 3
    assert audio_name("Welkom.", VOICE, "wav")[:20] == name[:20]


def _entry(spoken: str, voice: str = VOICE) -> Entry:
    return Entry(audio_name(spoken, voice, "mp3"), spoken, voice)


def _catalog(tmp_path: Path, entries: dict[str, Entry], texts: tuple[str, ...]) -> Catalog:
    for entry in entries.values():
        (tmp_path / entry.file).write_bytes(b"ID3")
    return Catalog(tmp_path, Manifest(entries), texts)


def test_states(tmp_path: Path) -> None:
    entries = {
        "Welkom.": _entry("Welkom."),
        # rendered before the normaliser spelled acronyms out: stale
        "De Wmo.": _entry("De Wmo."),
        "Met espeak.": _entry("Met espeak.", "espeak-ng voice=nl speed=160"),
        "Weg.": _entry("Weg."),
    }
    catalog = _catalog(tmp_path, entries, ("Welkom.", "De Wmo.", "Met espeak.", "Weg.", "Nieuw."))
    (tmp_path / entries["Weg."].file).unlink()
    assert [catalog.state(t) for t in catalog.texts] == [CURRENT, STALE, CURRENT, MISSING, MISSING]
    assert catalog.state("Met espeak.", VOICE) == STALE
    assert catalog.todo(VOICE) == ["De Wmo.", "Met espeak.", "Weg.", "Nieuw."]
    assert catalog.coverage() == (
        "audio: 2 of 5 spoken texts have current audio (1 stale, 2 missing: they are spoken "
        "with <Say>; run 'ivr audio render' on a machine with internet and commit audio/)"
    )


def test_orphans_and_loose_files(tmp_path: Path) -> None:
    catalog = _catalog(tmp_path, {"Oud.": _entry("Oud.")}, ("Nieuw.",))
    (tmp_path / "0123456789abcdef0123.wav").write_bytes(b"RIFF")
    (tmp_path / ".x.mp3.abc.tmp").write_bytes(b"half")
    (tmp_path / "README.md").write_text("not audio")
    assert catalog.orphans() == ["Oud."]
    assert catalog.loose_files() == [".x.mp3.abc.tmp", "0123456789abcdef0123.wav"]


def test_manifest_round_trip_is_sorted_json(tmp_path: Path) -> None:
    manifest = Manifest({"Zo.": _entry("Zo."), "Als één.": _entry("Als één.")})
    write_manifest(tmp_path, manifest)
    assert read_manifest(tmp_path) == manifest
    raw = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    assert raw["format"] == 1
    assert list(raw["prompts"]) == ["Als één.", "Zo."]
    assert "één" in (tmp_path / "manifest.json").read_text(encoding="utf-8")


def test_no_manifest_is_empty(tmp_path: Path) -> None:
    assert read_manifest(tmp_path / "nowhere") == Manifest()


@pytest.mark.parametrize(
    "content",
    ["{", '{"format": 2, "prompts": {}}', '{"format": 1}', '{"format": 1, "prompts": {"a": 1}}'],
    ids=["not-json", "wrong-format", "no-prompts", "bad-entry"],
)
def test_broken_manifest_says_what_to_do(tmp_path: Path, content: str) -> None:
    (tmp_path / "manifest.json").write_text(content)
    with pytest.raises(AudioError, match="delete it and run 'ivr audio render'"):
        read_manifest(tmp_path)


def test_manifest_refuses_file_names_outside_the_folder(tmp_path: Path) -> None:
    bad = {"format": 1, "prompts": {"a": {"file": "../x.mp3", "spoken": "a", "voice": "v"}}}
    (tmp_path / "manifest.json").write_text(json.dumps(bad))
    with pytest.raises(AudioError, match=re.escape("'../x.mp3' is not an audio file name")):
        read_manifest(tmp_path)


def test_atomic_write_leaves_old_file_when_interrupted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "a.mp3"
    write_atomic(target, b"old")

    def crash(src: str, dst: str) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(target, b"new")
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.mp3"]
