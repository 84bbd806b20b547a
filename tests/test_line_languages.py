"""Which listed languages the line offers, read from their translation files at start: a missing
text keeps a language out, a wrong number makes the line say that text in Dutch, drafts and
stale texts are offered with a warning, a recorded language needs every recording."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from ivr.config.content import Content, load_content
from ivr.config.languages import (
    MissingRecordings,
    check_language,
    offer_languages,
    translated_prompts,
)
from ivr.config.settings import Settings
from ivr.core.language import InLanguage
from ivr.core.languages import DUTCH
from ivr.core.translated import LineLanguage, dutch_texts
from ivr.core.translation import State
from tests.support.checkout import SHIPPED_PROMPTS, SHIPPED_TREE
from tests.support.languages import made_up
from tests.support.translations import translated, write

XX = made_up("xx")
RECORDED = made_up("xy", recorded=True)
Entries = dict[str, dict[str, Any]]
Change = Callable[[Entries, Entries], None]


@pytest.fixture(scope="module")
def content() -> Content:
    return load_content(SHIPPED_TREE, SHIPPED_PROMPTS, None)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings whose tree and prompts lie in tmp_path: the translations are looked for there."""
    made = Settings.for_commands(
        {
            "IVR_TREE": str(tmp_path / "tree" / "markant.yaml"),
            "IVR_PROMPTS": str(tmp_path / "prompts" / "nl.yaml"),
            "IVR_AUDIO_DIR": str(tmp_path / "audio"),
        }
    )
    voices = {"nl": "Polly.Lotte", "xx": "Polly.Brian", "xy": ""}
    return replace(made, languages=(DUTCH, XX, RECORDED), say_voices=voices)


def _write(
    settings: Settings, content: Content, code: str, change: Change, reviewed: bool = True
) -> None:
    prompts = translated(translated_prompts(content), reviewed)
    tree = translated(dutch_texts(content.tree), reviewed)
    change(prompts, tree)
    write(settings.prompts_path.parent / f"{code}.yaml", prompts)
    write(settings.tree_path.parent / "translations" / f"{code}.yaml", tree)


def _unchanged(prompts: Entries, tree: Entries) -> None:
    pass


def _no_recordings_missing(language: LineLanguage) -> Sequence[str]:
    return []


def _offer(
    settings: Settings, content: Content, recordings: MissingRecordings | None = None
) -> tuple[Content, list[str]]:
    return offer_languages(content, replace(settings, languages=(DUTCH, XX)), recordings)


def _count(content: Content) -> int:
    return len(translated_prompts(content)) + len(dutch_texts(content.tree))


def test_a_complete_reviewed_language_is_offered_after_dutch_without_a_warning(
    settings: Settings, content: Content
) -> None:
    _write(settings, content, "xx", _unchanged)
    offered, warnings = _offer(settings, content)
    assert (list(offered.languages), warnings) == (["nl", "xx"], [])
    dutch, testish = offered.languages["nl"], offered.languages["xx"]
    assert (dutch.language, dutch.voice, dutch.tree, dutch.prompts) == (
        DUTCH,
        "Polly.Lotte",
        content.tree,
        content.prompts,
    )
    assert (testish.language, testish.voice) == (XX, "Polly.Brian")
    assert testish.tree.nodes["crisis"].sms == "XX " + content.tree.nodes["crisis"].sms
    assert testish.prompts("welcome") == "XX " + content.prompts("welcome")
    # the whisper is for the helpdesk: Dutch, said by the Dutch voice
    assert testish.prompts("whisper_intro") == InLanguage(content.prompts("whisper_intro"), "nl")
    assert offered.tree is content.tree and offered.prompts is content.prompts


def test_dutch_alone_by_default(settings: Settings, content: Content) -> None:
    offered, warnings = offer_languages(content, replace(settings, languages=(DUTCH,)), None)
    assert (list(offered.languages), warnings) == (["nl"], [])
    assert content.languages["nl"] == LineLanguage(
        DUTCH, content.tree, content.prompts, "Polly.Lotte", {}
    )


def _stale(prompts: Entries, tree: Entries) -> None:
    prompts["keys"]["nl"] = "0123456789ab"
    tree["nodes.acuut.question"]["nl"] = "0123456789ab"


def _wrong_number(prompts: Entries, tree: Entries) -> None:
    tree["nodes.crisis.sms"]["text"] = tree["nodes.crisis.sms"]["text"].replace("112", "911")


def _draft(prompts: Entries, tree: Entries) -> None:
    tree["nodes.acuut.help"]["reviewed"] = False


@pytest.mark.parametrize(
    ("change", "warning"),
    [
        pytest.param(_stale, "2 texts translate an older Dutch text (the line says it as "
                     "translated): keys, nodes.acuut.question", id="stale"),
        pytest.param(_wrong_number, "1 text says other numbers than the Dutch, so the line "
                     "says the Dutch: nodes.crisis.sms (the Dutch says 112, the translation 911)",
                     id="wrong-number"),
        pytest.param(_draft, "1 text is a draft no person has reviewed", id="unreviewed"),
    ],
)  # fmt: skip
def test_a_language_with_texts_to_look_at_is_offered_with_a_warning(
    settings: Settings, content: Content, change: Change, warning: str
) -> None:
    _write(settings, content, "xx", change)
    offered, warnings = _offer(settings, content)
    assert (list(offered.languages), warnings) == (
        ["nl", "xx"],
        [f"LANGUAGES: Testish (xx) is offered; {warning}"],
    )


def test_a_text_with_a_wrong_number_is_said_in_dutch_a_stale_one_as_translated(
    settings: Settings, content: Content
) -> None:
    _write(settings, content, "xx", lambda p, t: (_stale(p, t), _wrong_number(p, t)))
    testish = _offer(settings, content)[0].languages["xx"]
    sms = content.tree.nodes["crisis"].sms
    assert testish.tree.nodes["crisis"].sms == InLanguage(sms, "nl")
    assert testish.tree.nodes["acuut"].text == "XX " + content.tree.nodes["acuut"].text
    assert testish.prompts("keys") == "XX " + content.prompts("keys")


def test_drafts_are_counted(settings: Settings, content: Content) -> None:
    _write(settings, content, "xx", _unchanged, reviewed=False)
    assert _offer(settings, content)[1] == [
        f"LANGUAGES: Testish (xx) is offered; {_count(content)} texts are drafts no person has "
        "reviewed"
    ]


def _missing(prompts: Entries, tree: Entries) -> None:
    for key in ("welcome", "keys", "keys_short", "keys_full", "noinput_1", "noinput_2"):
        del prompts[key]
    tree["nodes.acuut.help"]["text"] = " "


def _bad_placeholder(prompts: Entries, tree: Entries) -> None:
    prompts["connecting"]["text"] = "Connecting you to {dienst}."


def _not_a_mapping(prompts: Entries, tree: Entries) -> None:
    tree["nodes.acuut.question"] = "Is it urgent?"  # type: ignore[assignment]


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        pytest.param(_missing, "7 texts are not translated ({prompts}, {tree}): welcome, keys, "
                     "keys_short, keys_full, noinput_1 and 2 more", id="missing"),
        pytest.param(_bad_placeholder, "1 problem in its files: {prompts}: connecting: fills "
                     "in {{dienst}}, the Dutch {{service}}", id="placeholder"),
        pytest.param(_not_a_mapping, "1 problem in its files: {tree}: nodes.acuut.question: a "
                     "mapping with text, nl and reviewed", id="not-a-mapping"),
    ],
)  # fmt: skip
def test_a_language_with_missing_or_unusable_texts_is_not_offered(
    settings: Settings, content: Content, change: Change, reason: str
) -> None:
    _write(settings, content, "xx", change)
    offered, warnings = _offer(settings, content)
    prompts = settings.prompts_path.parent / "xx.yaml"
    tree = settings.tree_path.parent / "translations" / "xx.yaml"
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
            f"LANGUAGES: Testish (xx) is not offered: {_count(content)} texts are not "
            f"translated ({prompts}, {tree}): welcome, keys, keys_short, keys_full, noinput_1 "
            f"and {_count(content) - 5} more"
        ],
    )


@pytest.mark.parametrize(
    ("recordings", "offered", "warnings"),
    [
        pytest.param(_no_recordings_missing, ["nl", "xy"], [], id="complete"),
        pytest.param(lambda language: ["welcome", "keys"], ["nl"],
                     ["LANGUAGES: Testish (xy) is not offered: 2 recordings are missing or "
                      "stale: welcome, keys"], id="two-missing"),
        pytest.param(None, ["nl"], ["LANGUAGES: Testish (xy) is not offered: its recordings "
                                    "cannot be checked by this line"], id="not-checked"),
    ],
)  # fmt: skip
def test_a_recorded_language_is_offered_only_when_its_recordings_are_complete(
    settings: Settings,
    content: Content,
    recordings: MissingRecordings | None,
    offered: list[str],
    warnings: list[str],
) -> None:
    _write(settings, content, "xy", _unchanged)
    asked: list[LineLanguage] = []

    def listed(language: LineLanguage) -> Sequence[object]:
        asked.append(language)
        assert recordings is not None
        return recordings(language)

    made, said = offer_languages(
        content, replace(settings, languages=(DUTCH, RECORDED)), listed if recordings else None
    )
    assert (list(made.languages), said) == (offered, warnings)
    assert [(language.language, language.voice) for language in asked] == (
        [(RECORDED, "")] if recordings else []
    )


def _removed_node(prompts: Entries, tree: Entries) -> None:
    tree["nodes.gone.question"] = dict(tree["nodes.acuut.question"])


def test_a_check_names_each_text_by_its_file(settings: Settings, content: Content) -> None:
    _write(
        settings, content, "xx", lambda p, t: (_stale(p, t), _missing(p, t), _removed_node(p, t))
    )
    found = check_language(XX, content, settings)
    assert [
        (path, [(c.key, c.state) for c in checked.values() if c.state != State.CURRENT])
        for path, checked in found.files()
    ] == [
        (
            settings.prompts_path.parent / "xx.yaml",
            [(key, State.MISSING) for key in ("welcome", "keys", "keys_short", "keys_full")]
            + [("noinput_1", State.MISSING), ("noinput_2", State.MISSING)],
        ),
        (
            settings.tree_path.parent / "translations" / "xx.yaml",
            [("nodes.acuut.question", State.STALE), ("nodes.acuut.help", State.MISSING)],
        ),
    ]
    assert (found.problems, found.unused) == ((), ("nodes.gone.question",))
