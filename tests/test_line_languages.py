"""Which listed languages the line offers, read from their translation files at start: a missing
text keeps a language out, a wrong number makes the line say that text in Dutch, drafts and
stale texts are offered with a warning, a recorded language needs every recording."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

import pytest
from flask import Flask

from ivr.audio.recordings import recordings_root
from ivr.config.content import Content
from ivr.config.language_check import check_language
from ivr.config.languages import MissingRecordings, line_language, offer_languages
from ivr.config.settings import Settings
from ivr.core.language import InLanguage
from ivr.core.languages import DUTCH, find
from ivr.core.recorded import RecordedSpeech
from ivr.core.translated import LineLanguage
from ivr.core.translation import State
from tests.support.calls import Caller
from tests.support.checkout import CHECKOUT, SHIPPED_PROMPTS, SHIPPED_TREE
from tests.support.languages import made_up
from tests.support.recordings import record
from tests.support.signing import BASE
from tests.support.translations import (
    Change,
    Entries,
    draft,
    missing,
    settings_in,
    shipped_content,
    stale,
    text_count,
    write_language,
    wrong_number,
)

XX = made_up("xx")
RECORDED = made_up("xy", recorded=True)


@pytest.fixture
def content() -> Content:
    return shipped_content()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return settings_in(tmp_path, XX)


def _offer(settings: Settings, content: Content) -> tuple[Content, list[str]]:
    return offer_languages(content, settings, None)


def test_a_complete_reviewed_language_is_offered_after_dutch_without_a_warning(
    settings: Settings, content: Content
) -> None:
    write_language(settings, "xx")
    offered, warnings = offer_languages(
        content, replace(settings, say_voice="Polly.Ruben", say_voices={"xx": "Polly.Brian"}), None
    )
    assert (list(offered.languages), warnings) == (["nl", "xx"], [])
    dutch, testish = offered.languages["nl"], offered.languages["xx"]
    assert dutch == LineLanguage(DUTCH, content.tree, content.prompts, "Polly.Ruben", {})
    assert (testish.language, testish.voice) == (XX, "Polly.Brian")
    assert testish.tree.nodes["crisis"].sms == "XX " + content.tree.nodes["crisis"].sms
    assert testish.prompts("welcome") == "XX " + content.prompts("welcome")
    # the whisper is for the helpdesk: Dutch, said by the Dutch voice
    assert testish.prompts("whisper_intro") == InLanguage(content.prompts("whisper_intro"), "nl")
    assert offered.tree is content.tree and offered.prompts is content.prompts


def test_dutch_alone_by_default(settings: Settings, content: Content) -> None:
    offered, warnings = offer_languages(content, replace(settings, languages=(DUTCH,)), None)
    assert (list(offered.languages), warnings) == (["nl"], [])
    assert content.languages == {
        "nl": LineLanguage(DUTCH, content.tree, content.prompts, "Polly.Lotte", {})
    }


@pytest.mark.parametrize(
    ("change", "warning"),
    [
        pytest.param(stale, "2 texts translate an older Dutch text (the line says it as "
                     "translated): keys, nodes.acuut.question", id="stale"),
        pytest.param(wrong_number, "1 text says other numbers than the Dutch, so the line "
                     "says the Dutch: nodes.crisis.sms (the Dutch says 112, the translation 911)",
                     id="wrong-number"),
        pytest.param(draft, "1 text is a draft no person has reviewed", id="unreviewed"),
    ],
)  # fmt: skip
def test_a_language_with_texts_to_look_at_is_offered_with_a_warning(
    settings: Settings, content: Content, change: Change, warning: str
) -> None:
    write_language(settings, "xx", change)
    offered, warnings = _offer(settings, content)
    assert (list(offered.languages), warnings) == (
        ["nl", "xx"],
        [f"LANGUAGES: Testish (xx) is offered; {warning}"],
    )


def test_a_text_with_a_wrong_number_is_said_in_dutch_a_stale_one_as_translated(
    settings: Settings, content: Content
) -> None:
    write_language(settings, "xx", lambda p, t: (stale(p, t), wrong_number(p, t)))
    testish = _offer(settings, content)[0].languages["xx"]
    sms = content.tree.nodes["crisis"].sms
    assert testish.tree.nodes["crisis"].sms == InLanguage(sms, "nl")
    assert testish.tree.nodes["acuut"].text == "XX " + content.tree.nodes["acuut"].text
    assert testish.prompts("keys") == "XX " + content.prompts("keys")


def test_drafts_are_counted(settings: Settings, content: Content) -> None:
    write_language(settings, "xx", reviewed=False)
    assert _offer(settings, content)[1] == [
        f"LANGUAGES: Testish (xx) is offered; {text_count()} texts are drafts no person has "
        "reviewed"
    ]


def _bad_placeholder(prompts: Entries, tree: Entries) -> None:
    prompts["connecting"]["text"] = "Connecting you to {dienst}."


def _formatted_placeholder(prompts: Entries, tree: Entries) -> None:
    prompts["connecting"]["text"] = "Connecting you to {service:d}."  # a call would fail on it


def _not_a_mapping(prompts: Entries, tree: Entries) -> None:
    tree["nodes.acuut.question"] = "Is it urgent?"  # type: ignore[assignment]


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        pytest.param(missing, "7 texts are not translated ({prompts}, {tree}): welcome, keys, "
                     "keys_short, keys_full, noinput_1 and 2 more", id="missing"),
        pytest.param(_bad_placeholder, "1 problem in its files: {prompts}: connecting: fills "
                     "in {{dienst}}, the Dutch {{service}}", id="placeholder"),
        pytest.param(_formatted_placeholder, "1 problem in its files: {prompts}: connecting: "
                     "placeholder {{service}} has a ':' or '!': write it as {{service}}",
                     id="formatted-placeholder"),
        pytest.param(_not_a_mapping, "1 problem in its files: {tree}: nodes.acuut.question: a "
                     "mapping with text, nl and reviewed", id="not-a-mapping"),
    ],
)  # fmt: skip
def test_a_language_with_missing_or_unusable_texts_is_not_offered(
    settings: Settings, content: Content, change: Change, reason: str
) -> None:
    prompts, tree = write_language(settings, "xx", change)
    offered, warnings = _offer(settings, content)
    assert (list(offered.languages), warnings) == (
        ["nl"],
        [f"LANGUAGES: Testish (xx) is not offered: {reason.format(prompts=prompts, tree=tree)}"],
    )


def test_a_language_without_files_is_not_offered(settings: Settings, content: Content) -> None:
    offered, warnings = _offer(settings, content)
    prompts = settings.prompts_path.parent / "xx.yaml"
    tree = settings.tree_path.parent / "translations" / "xx.yaml"
    assert (list(offered.languages), warnings) == (
        ["nl"],
        [
            f"LANGUAGES: Testish (xx) is not offered: {text_count()} texts are not "
            f"translated ({prompts}, {tree}): welcome, keys, keys_short, keys_full, noinput_1 "
            f"and {text_count() - 5} more"
        ],
    )


def _none_missing(language: LineLanguage) -> Sequence[str]:
    return []


def _two_missing(language: LineLanguage) -> Sequence[str]:
    return ["welcome", "keys"]


@pytest.mark.parametrize(
    ("recordings", "offered", "warnings"),
    [
        pytest.param(_none_missing, ["nl", "xy"], [], id="complete"),
        pytest.param(_two_missing, ["nl"], ["LANGUAGES: Testish (xy) is not offered: 2 "
                     "recordings are missing or stale: welcome, keys"], id="two-missing"),
        pytest.param(None, ["nl"], ["LANGUAGES: Testish (xy) is not offered: its recordings "
                                    "cannot be checked by this line"], id="not-checked"),
    ],
)  # fmt: skip
def test_a_recorded_language_is_offered_only_when_its_recordings_are_complete(
    tmp_path: Path,
    content: Content,
    recordings: MissingRecordings | None,
    offered: list[str],
    warnings: list[str],
) -> None:
    settings = settings_in(tmp_path, RECORDED)
    write_language(settings, "xy")
    asked: list[LineLanguage] = []

    def listed(language: LineLanguage) -> Sequence[object]:
        asked.append(language)
        assert recordings is not None
        return recordings(language)

    made, said = offer_languages(content, settings, listed if recordings else None)
    assert (list(made.languages), said) == (offered, warnings)
    assert [(language.language, language.voice) for language in asked] == (
        [(RECORDED, "")] if recordings else []
    )


def _removed_node(prompts: Entries, tree: Entries) -> None:
    tree["nodes.gone.question"] = dict(tree["nodes.acuut.question"])


def test_a_check_names_each_text_by_its_file(settings: Settings, content: Content) -> None:
    prompts, tree = write_language(
        settings, "xx", lambda p, t: (stale(p, t), missing(p, t), _removed_node(p, t))
    )
    found = check_language(XX, content, settings)
    assert [
        (path, [(c.key, c.state) for c in checked.values() if c.state != State.CURRENT])
        for path, checked in found.files()
    ] == [
        (
            prompts,
            [(key, State.MISSING) for key in ("welcome", "keys", "keys_short", "keys_full")]
            + [("noinput_1", State.MISSING), ("noinput_2", State.MISSING)],
        ),
        (tree, [("nodes.acuut.question", State.STALE), ("nodes.acuut.help", State.MISSING)]),
    ]
    assert (found.problems, found.unused) == ((), ("nodes.gone.question",))


def test_the_line_says_at_start_that_a_listed_language_without_texts_is_not_offered(
    make_app: Callable[..., Flask], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    settings = settings_in(tmp_path / "content")
    for copy, shipped in (
        (settings.tree_path, SHIPPED_TREE),
        (settings.prompts_path, SHIPPED_PROMPTS),
    ):
        copy.parent.mkdir(parents=True)
        copy.write_text(shipped.read_text(encoding="utf-8"), encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="ivr.web.app"):
        make_app(
            LANGUAGES="tr", IVR_TREE=str(settings.tree_path), IVR_PROMPTS=str(settings.prompts_path)
        )
    prompts = settings.prompts_path.parent / "tr.yaml"
    tree = settings.tree_path.parent / "translations" / "tr.yaml"
    assert [r.getMessage() for r in caplog.records if r.getMessage().startswith("LANGUAGES")] == [
        f"LANGUAGES: Turkish (tr) is not offered: {text_count()} texts are not translated "
        f"({prompts}, {tree}): welcome, keys, keys_short, keys_full, noinput_1 and "
        f"{text_count() - 5} more"
    ]


def test_a_number_bound_to_a_language_not_offered_is_said_at_start_without_the_number(
    settings: Settings, content: Content
) -> None:
    write_language(settings, "xx", missing)
    bound = {"+31201234567": "xx", "+31207654321": "xx", "+31201111111": "nl"}
    warnings = offer_languages(content, replace(settings, language_by_number=bound), None)[1]
    assert warnings[1:] == [
        "LANGUAGE_BY_NUMBER: 2 numbers are bound to Testish (xx), which is not offered: a call "
        "to it hears the Dutch welcome and its choice"
    ]
    write_language(settings, "xx")
    assert offer_languages(content, replace(settings, language_by_number=bound), None)[1] == []


@pytest.mark.parametrize("complete", [pytest.param(False, id="none-made"),
                                      pytest.param(True, id="every-one-made")])  # fmt: skip
def test_the_line_offers_moroccan_arabic_only_with_every_recording(
    make_app: Callable[..., Flask],
    env: dict[str, str],
    caplog: pytest.LogCaptureFixture,
    complete: bool,
) -> None:
    """The recordings lie beside the audio folder (here in tmp_path): recordings/ary/."""
    ary = find("ary")
    root = recordings_root(Path(env["IVR_AUDIO_DIR"]))
    made = line_language(
        check_language(ary, shipped_content(), settings_in(CHECKOUT)), shipped_content(), ""
    )
    pieces = RecordedSpeech(made).pieces
    if complete:
        record(root / "ary", pieces)
    with caplog.at_level(logging.WARNING, logger="ivr.web.app"):
        app = make_app(LANGUAGES="ary")
    said = [r.getMessage() for r in caplog.records if r.getMessage().startswith("LANGUAGES")]
    played = [e.text for e in Caller(app.test_client()).post("/voice").root.iter("Play")]
    if complete:
        assert [line for line in said if " is not offered" in line] == []
        assert played == [f"{BASE}/recordings/ary/{pieces[0].stem}.wav"]
    else:
        stems = ", ".join(f"{piece.stem}.mp3 (missing)" for piece in pieces[:5])
        assert said == [
            f"LANGUAGES: Moroccan Arabic (ary) is not offered: {len(pieces)} recordings are "
            f"missing or stale: {stems} and {len(pieces) - 5} more"
        ]
        assert played == []
