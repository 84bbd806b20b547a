"""The reply classifier's own rules (ivr/core/replies.py): keys, and Dutch said by voice."""

from __future__ import annotations

import pytest

from ivr.core.replies import Reply, classify

KEYS = [
    pytest.param("1", Reply.YES, id="1-ja"),
    pytest.param("2", Reply.NO, id="2-nee"),
    pytest.param("3", Reply.HELP, id="3-weet-ik-niet"),
    pytest.param("9", Reply.REPEAT, id="9-herhalen"),
    pytest.param("*", Reply.BACK, id="star-terug"),
    pytest.param("0", Reply.OPERATOR, id="0-medewerker"),
    pytest.param(" 1 ", Reply.YES, id="key-with-spaces"),
    pytest.param("7", Reply.UNKNOWN, id="a-key-without-a-meaning"),
    pytest.param("#", Reply.UNKNOWN, id="hash"),
    pytest.param("12", Reply.UNKNOWN, id="two-keys"),
]


@pytest.mark.parametrize(("digits", "reply"), KEYS)
def test_keys(digits: str, reply: Reply) -> None:
    assert classify(digits, None) is reply


def test_a_key_wins_over_what_was_said() -> None:
    assert classify("1", "nee") is Reply.YES


@pytest.mark.parametrize(
    ("digits", "speech"),
    [
        pytest.param(None, None, id="nothing"),
        pytest.param("", "", id="empty"),
        pytest.param("  ", "  ", id="blanks"),
        pytest.param(None, "...?!", id="no-letters"),
    ],
)
def test_nothing_is_silence(digits: str | None, speech: str | None) -> None:
    assert classify(digits, speech) is Reply.SILENCE


SAID = [
    # yes and no, whatever the capitals and punctuation
    pytest.param("ja", Reply.YES, id="ja"),
    pytest.param("Ja.", Reply.YES, id="ja-capital-full-stop"),
    pytest.param("JA!", Reply.YES, id="ja-shouted"),
    pytest.param("ja hoor", Reply.YES, id="ja-hoor"),
    pytest.param("jazeker", Reply.YES, id="jazeker"),
    pytest.param("dat klopt", Reply.YES, id="dat-klopt"),
    pytest.param("oké", Reply.YES, id="oke-with-accent"),
    pytest.param("nee", Reply.NO, id="nee"),
    pytest.param("Nee, dank u.", Reply.NO, id="nee-dank-u"),
    pytest.param("neen", Reply.NO, id="neen"),
    pytest.param("nooit", Reply.NO, id="nooit"),
    # weet ik niet: the phrase, or "weet" with "niet" or "geen" anywhere
    pytest.param("weet ik niet", Reply.HELP, id="weet-ik-niet"),
    pytest.param("Ik weet het echt niet.", Reply.HELP, id="weet-het-echt-niet"),
    pytest.param("dat weet ik eigenlijk niet", Reply.HELP, id="weet-eigenlijk-niet"),
    pytest.param("weet geen antwoord", Reply.HELP, id="weet-geen"),
    pytest.param("geen idee", Reply.HELP, id="geen-idee"),
    pytest.param("wat betekent dat", Reply.HELP, id="wat-betekent"),
    pytest.param("uitleg graag", Reply.HELP, id="uitleg-before-graag"),
    # herhaal
    pytest.param("herhaal", Reply.REPEAT, id="herhaal"),
    pytest.param("kunt u dat herhalen", Reply.REPEAT, id="herhalen"),
    pytest.param("nog een keer", Reply.REPEAT, id="nog-een-keer"),
    pytest.param("zeg het nog eens", Reply.REPEAT, id="nog-eens"),
    pytest.param("opnieuw horen", Reply.REPEAT, id="opnieuw-horen"),
    # medewerker
    pytest.param("medewerker", Reply.OPERATOR, id="medewerker"),
    pytest.param("ik wil iemand spreken", Reply.OPERATOR, id="iemand-spreken"),
    pytest.param("een mens alstublieft", Reply.OPERATOR, id="mens"),
    pytest.param("doorverbinden", Reply.OPERATOR, id="doorverbinden"),
    pytest.param("operator", Reply.OPERATOR, id="operator"),
    # terug
    pytest.param("terug", Reply.BACK, id="terug"),
    pytest.param("de vorige vraag", Reply.BACK, id="vorige"),
    # a phrase wins over ja and nee, in the order help, medewerker, herhaal, terug
    pytest.param("nee, een medewerker", Reply.OPERATOR, id="medewerker-over-nee"),
    pytest.param("ja, terug", Reply.BACK, id="terug-over-ja"),
    pytest.param("weet ik niet, medewerker", Reply.HELP, id="help-over-medewerker"),
    pytest.param("medewerker, herhaal", Reply.OPERATOR, id="medewerker-over-herhaal"),
    pytest.param("herhaal de vorige", Reply.REPEAT, id="herhaal-over-vorige"),
    # whole words only
    pytest.param("menselijk", Reply.UNKNOWN, id="mens-inside-a-word"),
    pytest.param("terugbellen", Reply.UNKNOWN, id="terug-inside-a-word"),
    # ja and nee together
    pytest.param("ja, nee", Reply.UNKNOWN, id="ja-nee"),
    pytest.param("nee ja", Reply.UNKNOWN, id="nee-ja"),
    pytest.param("jawel, neen", Reply.UNKNOWN, id="jawel-neen"),
    # a yes-word and a no-word, but not a certain pair: the first word carries the answer
    pytest.param("ja hoor, niet meer", Reply.YES, id="first-word-ja"),
    pytest.param("nee, goed zo", Reply.NO, id="first-word-nee"),
    pytest.param("misschien ja, misschien niet", Reply.UNKNOWN, id="first-word-neither"),
    # nothing the line knows
    pytest.param("misschien", Reply.UNKNOWN, id="misschien"),
    pytest.param("hallo?", Reply.UNKNOWN, id="hallo"),
]


@pytest.mark.parametrize(("speech", "reply"), SAID)
def test_said_by_voice(speech: str, reply: Reply) -> None:
    assert classify(None, speech) is reply
