"""<Play> or <Say> through the real webhook; /audio serves manifest files for Twilio's cache."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from flask import Flask
from twilio.request_validator import RequestValidator

from ivr.audio import serving
from ivr.audio.catalog import Catalog
from ivr.audio.manifest import Entry, Manifest, audio_name
from ivr.audio.render import Renderer
from ivr.audio.serving import AudioLibrary
from tests.support.audio_fakes import FakeEngine
from tests.support.calls import Caller, Reply
from tests.support.checkout import CHECKOUT
from tests.support.signing import BASE, TOKEN

_PROMPTS = yaml.safe_load((CHECKOUT / "prompts" / "nl.yaml").read_text(encoding="utf-8"))
WELCOME = " ".join(_PROMPTS["welcome"].split())
KEYS = " ".join(_PROMPTS["keys"].split())
FIRST_QUESTION = "Heeft uw naaste vandaag nog hulp nodig om veilig te zijn?"


@pytest.fixture
def audio_dir(env: dict[str, str]) -> Path:
    return Path(env["IVR_AUDIO_DIR"])


def _first_heard(reply: Reply) -> str:
    """``Play`` or ``Say``: how the first text of a reply is spoken (inside a Gather too)."""
    return next(el.tag for el in reply.root.iter() if el.tag in ("Say", "Play"))


def _render(audio_dir: Path, *texts: str, extension: str = "mp3") -> dict[str, str]:
    """Fake audio for ``texts`` in the test's own audio folder; their file names."""
    engine = FakeEngine(extension=extension)
    Renderer(Catalog.load(audio_dir, texts), engine, sleep=lambda s: None).render()
    return {t: audio_name(t, engine.voice, extension) for t in texts}


def test_play_when_audio_is_current_else_say(
    audio_dir: Path, make_app: Callable[..., Flask]
) -> None:
    names = _render(audio_dir, WELCOME, FIRST_QUESTION)
    reply = Caller(make_app().test_client()).post("/voice")  # built after rendering, as deployed
    assert reply.verbs() == ["Gather", "Gather", "Redirect"]
    assert reply.spoken() == [
        f"{BASE}/audio/{names[WELCOME]}",
        f"{BASE}/audio/{names[FIRST_QUESTION]}",
        KEYS,
    ]
    welcome, question = reply.root.findall("Gather")
    assert [el.tag for el in welcome] == ["Play"]
    assert [el.tag for el in question] == ["Play", "Say"]
    assert question[1].attrib["language"] == "nl-NL"


def test_say_speaks_normalised_text(caller: Caller) -> None:
    reply = caller.post("/voice/answer?p=njnnn", Digits="2")
    assert reply.spoken()[:2] == [
        "Logeeropvang via de W M O.",
        "De W M O is de wet voor hulp van de gemeente. Uw naaste logeert even bij een "
        "zorgaanbieder of in een logeerhuis. Dat kan tot "
        "zesendertig keer per jaar. Uw naaste woont in Amsterdam en heeft geen W L Z indicatie. "
        "Vraag het aan bij het Sociaal loket of het Buurtteam.",
    ]


def test_absolute_url_on_public_base_url(audio_dir: Path, make_app: Callable[..., Flask]) -> None:
    names = _render(audio_dir, WELCOME)
    public = "https://lijn.example.nl"
    client = make_app(PUBLIC_BASE_URL=public).test_client()
    data = {"CallSid": "CA1", "From": "+31612345678"}
    signature = RequestValidator(TOKEN).compute_signature(f"{public}/voice", data)
    response = client.post("/voice", data=data, headers={"X-Twilio-Signature": signature})
    assert f"<Play>{public}/audio/{names[WELCOME]}</Play>" in response.get_data(as_text=True)


@pytest.fixture
def checked_every_request(monkeypatch: pytest.MonkeyPatch) -> None:
    """The folder checked again at every webhook instead of every RECHECK_SECONDS."""
    monkeypatch.setattr(serving, "RECHECK_SECONDS", 0.0)


def test_missing_file_at_run_time_falls_back_to_say(
    audio_dir: Path,
    make_app: Callable[..., Flask],
    caplog: pytest.LogCaptureFixture,
    checked_every_request: None,
) -> None:
    names = _render(audio_dir, WELCOME)
    caller = Caller(make_app().test_client())
    (audio_dir / names[WELCOME]).unlink()
    with caplog.at_level(logging.WARNING):
        reply = caller.post("/voice")
    assert reply.status == 200
    assert reply.spoken()[0] == WELCOME
    assert _first_heard(reply) == "Say"
    assert f"audio file {names[WELCOME]} is missing or unreadable" in caplog.text


def test_broken_manifest_means_say_not_a_dead_line(
    audio_dir: Path, make_app: Callable[..., Flask], caplog: pytest.LogCaptureFixture
) -> None:
    audio_dir.mkdir(parents=True)
    (audio_dir / "manifest.json").write_text("{ half a file")
    with caplog.at_level(logging.ERROR):
        app = make_app()
    reply = Caller(app.test_client()).post("/voice")
    assert _first_heard(reply) == "Say"
    assert "no pre-rendered audio, every prompt uses <Say>" in caplog.text


def test_stale_entry_is_not_played(tmp_path: Path) -> None:
    voice = "fake voice=a"
    old = Entry(audio_name("De Wmo.", voice, "mp3"), "De Wmo.", voice)
    current = Entry(audio_name("De W M O.", voice, "mp3"), "De W M O.", voice)
    for entry in (old, current):
        (tmp_path / entry.file).write_bytes(b"ID3")
    library = AudioLibrary(tmp_path, Manifest({"De Wmo.": old, "Via de Wmo.": current}), None)
    assert library.audio_for("De Wmo.") is None
    assert library.audio_for("Via de Wmo.") is None  # a file for another text is not this one
    assert library.audio_for("Niet in het manifest.") is None


@pytest.mark.parametrize(("extension", "mimetype"), [("mp3", "audio/mpeg"), ("wav", "audio/wav")])
def test_audio_is_served_for_a_long_cache(
    audio_dir: Path, make_app: Callable[..., Flask], extension: str, mimetype: str
) -> None:
    name = _render(audio_dir, WELCOME, extension=extension)[WELCOME]
    client = make_app().test_client()
    response = client.get(f"/audio/{name}", base_url=BASE)  # a plain GET, no signature
    assert response.status_code == 200
    assert response.mimetype == mimetype
    assert response.data == f"ID3 fake audio: {WELCOME}".encode()
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response.headers["ETag"] == f'"{name.split(".")[0]}"'
    assert response.headers["Content-Length"] == str(len(response.data))
    response.close()

    again = client.get(f"/audio/{name}", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304
    assert again.data == b""
    assert again.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    again.close()


@pytest.mark.parametrize(
    "url",
    [
        "/audio/../pyproject.toml",
        "/audio/..%2Fpyproject.toml",
        "/audio/%2e%2e%2f%2e%2e%2fpyproject.toml",
        "/audio/manifest.json",
        "/audio/0123456789abcdef0123.mp3",
        "/audio/",
    ],
    ids=["dot-dot", "encoded-slash", "encoded-dots", "manifest", "not-in-manifest", "folder"],
)
def test_only_manifest_files_are_served(
    audio_dir: Path, make_app: Callable[..., Flask], url: str
) -> None:
    _render(audio_dir, WELCOME)
    (audio_dir / "0123456789abcdef0123.mp3").write_bytes(b"ID3 not in the manifest")
    response = make_app().test_client().get(url)
    assert response.status_code == 404
    assert b"ID3" not in response.data
    assert b"prompts" not in response.data


def test_audio_lost_after_the_first_call_falls_back_to_say(
    audio_dir: Path,
    make_app: Callable[..., Flask],
    caplog: pytest.LogCaptureFixture,
    checked_every_request: None,
) -> None:
    names = _render(audio_dir, WELCOME)
    caller = Caller(make_app().test_client())
    assert _first_heard(caller.post("/voice")) == "Play"  # rendered once, then kept
    (audio_dir / names[WELCOME]).unlink()
    with caplog.at_level(logging.WARNING):
        reply = caller.post("/voice")
    assert _first_heard(reply) == "Say"
    assert reply.spoken()[0] == WELCOME
    assert f"audio file {names[WELCOME]} is missing or unreadable" in caplog.text


def test_files_are_checked_at_start_not_per_webhook(
    audio_dir: Path, make_app: Callable[..., Flask], monkeypatch: pytest.MonkeyPatch
) -> None:
    names = _render(audio_dir, WELCOME, FIRST_QUESTION)
    caller = Caller(make_app().test_client())
    checked: list[Path] = []
    real_is_file = Path.is_file

    def is_file(path: Path) -> bool:
        checked.append(path)
        return real_is_file(path)

    monkeypatch.setattr(Path, "is_file", is_file)
    for _ in range(3):
        reply = caller.post("/voice")
        assert reply.spoken()[0] == f"{BASE}/audio/{names[WELCOME]}"
        assert _first_heard(reply) == "Play"
    assert checked == []


def test_a_new_manifest_is_played_after_the_next_check(
    audio_dir: Path, make_app: Callable[..., Flask], checked_every_request: None
) -> None:
    caller = Caller(make_app().test_client())
    assert _first_heard(caller.post("/voice")) == "Say"  # no audio yet: <Say> (its TwiML kept)
    names = _render(audio_dir, WELCOME)
    reply = caller.post("/voice")
    assert _first_heard(reply) == "Play"
    assert reply.spoken()[0] == f"{BASE}/audio/{names[WELCOME]}"
