"""Rendering: only what is missing or stale; gTTS throttled and retried; failures reported."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
import requests

from ivr.audio.catalog import Catalog
from ivr.audio.engines import GttsEngine, SynthesisError, make_engine
from ivr.audio.manifest import Manifest, audio_name, read_manifest
from ivr.audio.render import Renderer, prune
from ivr.core.errors import AudioError
from tests.support.audio_fakes import FakeEngine, google_reply, spoken_in

TEXTS = ("Eerste tekst.", "Tweede tekst.", "Derde tekst.")


def _render(tmp_path: Path, engine: Any, texts: tuple[str, ...] = TEXTS, **kw: Any) -> Any:
    sleeps: list[float] = []
    catalog = Catalog.load(tmp_path, texts)
    report = Renderer(catalog, engine, sleep=sleeps.append, **kw).render()
    return report, sleeps


def test_renders_missing_then_skips_current(tmp_path: Path) -> None:
    engine = FakeEngine()
    report, _ = _render(tmp_path, engine)
    assert report.rendered == list(TEXTS)
    manifest = read_manifest(tmp_path)
    assert set(manifest.entries) == set(TEXTS)
    name = audio_name("Eerste tekst.", "fake voice=a", "mp3")
    assert manifest.entries["Eerste tekst."].file == name
    assert (tmp_path / name).read_bytes() == b"ID3 fake audio: Eerste tekst."

    again, _ = _render(tmp_path, engine)
    assert (again.rendered, again.current) == ([], 3)
    assert engine.calls == list(TEXTS)


def test_edited_text_is_rendered_anew_and_old_file_pruned(tmp_path: Path) -> None:
    engine = FakeEngine()
    _render(tmp_path, engine)
    edited = ("Eerste tekst.", "Tweede tekst, nu anders.", "Derde tekst.")
    report, _ = _render(tmp_path, engine, edited)
    assert (report.rendered, report.current) == (["Tweede tekst, nu anders."], 2)

    old_file = audio_name("Tweede tekst.", "fake voice=a", "mp3")
    assert (tmp_path / old_file).is_file()
    pruned = prune(Catalog.load(tmp_path, edited))
    assert (pruned.entries, pruned.files) == (["Tweede tekst."], [old_file])
    assert not (tmp_path / old_file).exists()
    assert set(read_manifest(tmp_path).entries) == set(edited)


def test_other_voice_renders_again(tmp_path: Path) -> None:
    _render(tmp_path, FakeEngine())
    report, _ = _render(tmp_path, FakeEngine(voice="fake voice=b"))
    assert report.rendered == list(TEXTS)


def test_normalised_text_is_rendered_and_same_sound_reused(tmp_path: Path) -> None:
    engine = FakeEngine()
    report, _ = _render(tmp_path, engine, ("Via de Wmo.", "Via de WMO."))
    assert engine.calls == ["Via de W M O."]
    assert (report.rendered, report.reused) == (["Via de Wmo."], ["Via de WMO."])


def test_throttles_between_texts(tmp_path: Path) -> None:
    _, sleeps = _render(tmp_path, FakeEngine(min_interval=1.5))
    assert sleeps == [1.5, 1.5]


# -- gTTS, replaced at its network seam (requests.Session.send) ---------------------------------


class Google:
    """Answers gTTS's requests: a status per request in turn, or per text."""

    def __init__(
        self, statuses: list[int] | None = None, fail: dict[str, int] | None = None
    ) -> None:
        self.statuses = statuses or []
        self.fail = fail or {}
        self.asked: list[str] = []

    def send(self, request: requests.PreparedRequest, **kw: Any) -> requests.Response:
        said = spoken_in(request)
        self.asked.append(said)
        status = next((s for t, s in self.fail.items() if t in said), None)
        if status is None:
            status = self.statuses.pop(0) if self.statuses else 200
        return google_reply(request, status, audio=b"ID3 mp3 of " + said[-30:].encode())


@pytest.fixture
def google(monkeypatch: pytest.MonkeyPatch) -> Any:
    def install(**kw: Any) -> Google:
        fake = Google(**kw)
        monkeypatch.setattr(
            requests.Session, "send", lambda session, request, **kw: fake.send(request)
        )
        return fake

    return install


def test_gtts_429_then_success(tmp_path: Path, google: Any) -> None:
    fake = google(statuses=[429, 429, 200])
    report, sleeps = _render(tmp_path, GttsEngine(min_interval=0), ("Welkom.",), backoff=2.0)
    assert report.rendered == ["Welkom."]
    assert report.failures == []
    assert sleeps == [2.0, 4.0]
    assert len(fake.asked) == 3
    entry = read_manifest(tmp_path).entries["Welkom."]
    assert entry.voice == "gtts lang=nl tld=com slow=no"
    assert (tmp_path / entry.file).read_bytes().startswith(b"ID3 mp3 of ")


def test_gtts_permanent_failure_keeps_the_others(tmp_path: Path, google: Any) -> None:
    google()
    _render(tmp_path, GttsEngine(min_interval=0), ("Al eerder gemaakt.",))
    earlier = read_manifest(tmp_path).entries["Al eerder gemaakt."]
    earlier_audio = (tmp_path / earlier.file).read_bytes()
    google(fail={"Tweede": 403})
    texts = ("Al eerder gemaakt.", *TEXTS)
    report, sleeps = _render(tmp_path, GttsEngine(min_interval=0.5), texts)
    assert (report.rendered, report.current) == (["Eerste tekst.", "Derde tekst."], 1)
    assert [f.text for f in report.failures] == ["Tweede tekst."]
    assert report.failures[0].reason == (
        "gTTS: 403 (Forbidden) from TTS API. Probable cause: Bad token or upstream API changes"
    )
    assert sleeps == [0.5, 0.5]  # throttled; a 403 is not retried
    entries = read_manifest(tmp_path).entries
    assert set(entries) == {"Al eerder gemaakt.", "Eerste tekst.", "Derde tekst."}
    assert all((tmp_path / e.file).is_file() for e in entries.values())
    assert (tmp_path / earlier.file).read_bytes() == earlier_audio


def test_gtts_gives_up_after_retries_and_stops_when_nothing_works(
    tmp_path: Path, google: Any
) -> None:
    google(fail={"tekst": 429})
    texts = (*TEXTS, "Vierde tekst.")
    report, sleeps = _render(
        tmp_path, GttsEngine(min_interval=0), texts, attempts=3, give_up_after=2
    )
    assert [f.text for f in report.failures] == ["Eerste tekst.", "Tweede tekst."]
    assert report.failures[0].reason.endswith("(gave up after 3 tries)")
    assert report.not_tried == ["Derde tekst.", "Vierde tekst."]
    assert sleeps == [2.0, 4.0, 2.0, 4.0]
    assert read_manifest(tmp_path) == Manifest()


def test_gtts_sends_dutch_text_untouched_by_english_rules(tmp_path: Path, google: Any) -> None:
    fake = google()
    _render(tmp_path, GttsEngine(min_interval=0), ("Dr. Jansen, bijv. morgen.",))
    # gTTS's own English rules would have made this "Dr Jansen".
    assert '[\\"Dr. Jansen, bijvoorbeeld morgen.\\",\\"nl\\"' in fake.asked[0]


def test_unknown_engine() -> None:
    with pytest.raises(AudioError, match="choose one of gtts, espeak-ng"):
        make_engine("polly")


def test_gtts_on_a_hung_network_gives_up_within_its_request_timeout(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from hung_server import HungServer

    proxy = HungServer()  # gTTS goes through the environment's proxy, which never answers
    monkeypatch.setenv("HTTPS_PROXY", f"http://127.0.0.1:{proxy.port}")
    monkeypatch.setenv("https_proxy", f"http://127.0.0.1:{proxy.port}")
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    try:
        start = time.monotonic()
        with pytest.raises(SynthesisError) as info:
            GttsEngine(timeout=(0.5, 0.5)).synthesise("Welkom.")
        took = time.monotonic() - start
    finally:
        proxy.close()
    assert info.value.transient is True
    assert took < 2.0
