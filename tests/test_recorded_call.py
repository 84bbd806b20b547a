"""A call in Moroccan Arabic, a recorded language, with every recording made (espeak-ng's Arabic
voice says the digits, in tmp_path): the caller hears recordings only, in <Play>, and answers
with keys only; a phone number is played from the digits' recordings; the recordings are served.
"""

from __future__ import annotations

from datetime import UTC, datetime
from xml.etree import ElementTree

import pytest
from flask import Flask

from ivr.audio.recordings import RecordingLibrary
from ivr.config.content import Content, load_content
from ivr.config.language_check import check_language
from ivr.config.languages import line_language
from ivr.config.settings import Settings
from ivr.core.actions import Keys
from ivr.core.call_state import Route, Step
from ivr.core.callback_request import Caller
from ivr.core.flow import CallFlow
from ivr.core.language import InLanguage
from ivr.core.languages import find
from ivr.core.recorded import RecordedSpeech
from ivr.core.translated import LineLanguage
from ivr.web.line_assembly import call_flow
from ivr.web.twiml import Dialling, Speaker, TwimlWriter
from tests.support.recordings import WorkingWorld, caller_turns, needs_espeak, record_with_espeak

pytestmark = needs_espeak
ARY = find("ary")
BASE = "https://ivr.example"
SETTINGS = Settings.for_commands({"LANGUAGES": "nl,ary"})
NOW = datetime(2026, 12, 7, 20, tzinfo=UTC)  # a Monday evening: every service closed


@pytest.fixture(scope="module")
def content() -> Content:
    return load_content(SETTINGS.tree_path, SETTINGS.prompts_path, SETTINGS.shared_dir)


@pytest.fixture(scope="module")
def made(content: Content) -> LineLanguage:
    return line_language(check_language(ARY, content, SETTINGS), content, "")


@pytest.fixture(scope="module")
def recorded(tmp_path_factory: pytest.TempPathFactory, made: LineLanguage) -> RecordingLibrary:
    """Every recording Moroccan Arabic needs, in a temporary folder."""
    root = tmp_path_factory.mktemp("recordings")
    record_with_espeak(root / "ary", RecordedSpeech(made).pieces)
    return RecordingLibrary(root, BASE)


def _writer(library: RecordingLibrary, made: LineLanguage, language: str = "ary") -> TwimlWriter:
    speakers = {"ary": Speaker(ARY, recordings=library.add(made))}
    dialling = {sid: Dialling("+31201234567", 20) for sid in made.tree.services}
    chosen = ARY if language == "ary" else find(language)
    return TwimlWriter(lambda step: f"{BASE}/voice", dialling, language=chosen, speakers=speakers)


def _flow(content: Content, made: LineLanguage) -> CallFlow:
    hours = call_flow(SETTINGS, content, language=made).opening_hours
    world = WorkingWorld()
    return CallFlow(made.tree, made.prompts, hours, world, 2, world, world, ARY, content.tree)


def test_a_whole_call_plays_recordings_and_hears_keys_only(
    content: Content, made: LineLanguage, recorded: RecordingLibrary
) -> None:
    writer = _writer(recorded, made)
    turns = caller_turns(_flow(content, made), Caller("CAary", "+31612345678"), NOW)
    played: set[str] = set()
    for turn in turns:
        root = ElementTree.fromstring(writer.render(turn))
        assert root.findall(".//Say") == []
        assert {g.attrib["input"] for g in root.iter("Gather")} <= {"dtmf"}
        played.update(play.text or "" for play in root.iter("Play"))
    assert all(url.startswith(f"{BASE}/recordings/ary/") for url in played)
    # Every recording is played in some turn, but the choice (said in the Dutch welcome).
    # Every question, explanation and advice of the tree is heard, from its recording.
    pieces = RecordedSpeech(made).pieces
    nodes = {f"{BASE}/recordings/ary/{p.stem}.wav" for p in pieces if p.id.startswith("nodes.")}
    assert len(nodes) == 54
    assert nodes <= played


def test_a_number_is_played_from_the_digits_recordings(
    content: Content, made: LineLanguage, recorded: RecordingLibrary
) -> None:
    flow = _flow(content, made)
    (later,) = flow.say.call_later("markant", hours=False)
    root = ElementTree.fromstring(_writer(recorded, made).render((later,)))
    texts = {piece.id: piece for piece in RecordedSpeech(made).pieces}
    digits = [texts[f"numbers.{d}"].stem for d in "0208868800"]
    named = ["contact_call.1", "services.markant.name", "call_later.2"]
    expected = [texts[i].stem for i in named] + digits + [texts["contact_call.2"].stem] + digits
    assert [play.text for play in root.iter("Play")] == [
        f"{BASE}/recordings/ary/{stem}.wav" for stem in expected
    ]


def test_the_dutch_welcome_plays_the_choice(made: LineLanguage, recorded: RecordingLibrary) -> None:
    choice = Keys(("Welkom.", InLanguage(ARY.choice, "ary")), Step(Route.WELCOME), digits=1)
    root = ElementTree.fromstring(_writer(recorded, made, "nl").render((choice,)))
    stem = RecordedSpeech(made).pieces[0].stem
    assert [(e.tag, e.text) for e in root.iter() if e.tag in ("Say", "Play")] == [
        ("Say", "Welkom."),
        ("Play", f"{BASE}/recordings/ary/{stem}.wav"),
    ]


def test_recordings_are_served_as_twilio_fetches_them(
    made: LineLanguage, recorded: RecordingLibrary
) -> None:
    recorded.add(made)
    app = Flask(__name__)
    recorded.init_app(app)
    zero = next(p for p in RecordedSpeech(made).pieces if p.id == "numbers.0")
    client = app.test_client()
    with client.get(f"/recordings/ary/{zero.stem}.wav") as found:
        assert (found.status_code, found.mimetype) == (200, "audio/wav")
        assert found.data[:4] == b"RIFF" and found.data[8:12] == b"WAVE"  # espeak-ng's
        assert found.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    for missing in (f"numbers.0.{'0' * 12}.wav", "README.md", f"{zero.stem}.mp3"):
        assert client.get(f"/recordings/ary/{missing}").status_code == 404
    assert client.get(f"/recordings/en/{zero.stem}.wav").status_code == 404
