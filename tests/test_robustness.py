"""Garbage on every route never gives a 5xx: the caller hears an apology and a way on."""

from __future__ import annotations

import pytest

from tests.support.calls import Caller

APOLOGY = (
    "Sorry, er ging iets mis bij deze telefoonlijn. Bel de helpdesk van Markant: "
    "nul twee nul, acht acht zes, acht acht, nul nul. Ik herhaal: nul twee nul, acht acht zes, "
    "acht acht, nul nul."
)
ROUTES = ["/voice", "/voice/answer", "/voice/menu", "/voice/transfer", "/voice/dialed",
          "/voice/recover", "/voice/fallback", "/voice/unknown"]  # fmt: skip
GARBAGE = {
    "bad-path": "?p=zz",
    "too-deep": "?p=jjjjjjjjjjj",
    "huge-count": "?p=&ni=99",
    "negative-count": "?p=&nm=-1",
    "bad-stage": "?p=nnjjjnn&s=../../etc",
    "unknown-service": "?p=nn&s=nobody",
    "offering-as-question": "?p=j",
    "repeated-keys": "?p=nn&p=&ni=1&ni=x",
    "no-query": "",
}


@pytest.mark.parametrize("query", GARBAGE.values(), ids=GARBAGE.keys())
@pytest.mark.parametrize("route", ROUTES)
def test_garbage_parameters_still_answer_twiml(caller: Caller, route: str, query: str) -> None:
    reply = caller.post(route + query, Digits="1", DialCallStatus="busy")
    assert reply.status == 200
    assert reply.content_type.startswith("text/xml")
    assert reply.spoken(), reply.xml


@pytest.mark.parametrize(
    "extra",
    [
        {"Digits": "🙂"},
        {"Digits": "1" * 500},
        {"SpeechResult": "x" * 10_000},
        {"DialCallStatus": "<script>"},
        {"CallSid": ""},
    ],
    ids=["emoji", "long-digits", "long-speech", "markup", "no-callsid"],
)
@pytest.mark.parametrize("route", ["/voice/answer?p=nn", "/voice/menu?p=nnjjjnn&s=offer",
                                   "/voice/dialed?p=nn&s=markant", "/voice/recover"])  # fmt: skip
def test_garbage_form_values_never_fail(caller: Caller, route: str, extra: dict) -> None:
    reply = caller.post(route, **extra)
    assert reply.status == 200
    assert reply.spoken()


def test_unknown_node_gets_the_apology_with_a_way_on(caller: Caller) -> None:
    reply = caller.post("/voice/answer?p=zz", Digits="1")
    assert reply.verbs() == ["Say", "Gather", "Redirect"]
    assert reply.spoken() == [
        APOLOGY,
        "Toets één om opnieuw te beginnen. Toets nul om met een medewerker te praten. "
        "Toets twee om op te hangen.",
    ]
    assert reply.next_url() == "/voice/recover?p="


def test_an_internal_exception_still_answers_the_apology(app, caller: Caller, monkeypatch) -> None:
    def broken(*args: object) -> None:
        raise RuntimeError("simulated bug")

    monkeypatch.setattr(app.extensions["ivr_line"].flow, "answer", broken)
    reply = caller.post("/voice/answer?p=", Digits="1")
    assert reply.status == 200
    assert reply.spoken()[0] == APOLOGY


@pytest.mark.parametrize(
    ("key", "first"),
    [("1", "We beginnen opnieuw."), ("2", "Bedankt voor het bellen.")],
    ids=["restart", "goodbye"],
)
def test_recover_starts_over_or_says_goodbye(caller: Caller, key: str, first: str) -> None:
    reply = caller.post("/voice/recover?p=", Digits=key)
    assert reply.spoken()[0].startswith(first)


def test_recover_zero_reaches_the_helpdesk(caller: Caller) -> None:
    reply = caller.post("/voice/recover?p=", Digits="0")
    assert reply.root.find("Dial").findtext("Number") == "+31208868800"


def test_silence_after_the_apology_asks_again(caller: Caller) -> None:
    reply = caller.post("/voice/recover?p=")
    assert reply.spoken()[0] == "Ik hoorde niets."
    assert reply.next_url() == "/voice/recover?p=&ni=1&r=1"


@pytest.mark.parametrize("extra", [{}, {"Digits": "7"}], ids=["silence", "wrong-key"])
def test_third_failure_after_the_apology_says_goodbye(caller: Caller, extra) -> None:
    reply = caller.post("/voice/recover?p=&ni=2&nm=2", **extra)
    assert reply.verbs() == ["Say", "Hangup"]
    assert reply.spoken() == ["Bedankt voor het bellen. Veel sterkte met de zorg. Tot ziens."]


def test_fallback_apologises_gives_the_number_and_says_goodbye(caller: Caller) -> None:
    reply = caller.post("/voice/fallback", ErrorCode="11200", ErrorUrl="https://x/voice")
    assert reply.verbs() == ["Say", "Hangup"]
    number = "nul twee nul, acht acht zes, acht acht, nul nul"
    assert reply.spoken() == [
        f"Sorry, deze telefoonlijn werkt nu even niet. Bel de helpdesk van Markant: {number}. "
        f"Ik herhaal: {number}. Bedankt voor het bellen. Tot ziens."
    ]


def test_fallback_answers_without_the_tree(app, caller: Caller, monkeypatch) -> None:
    line = app.extensions["ivr_line"]
    monkeypatch.setattr(line, "flow", None)
    assert caller.post("/voice/fallback").spoken()[0].startswith("Sorry, deze telefoonlijn")


def test_a_failure_outside_the_webhook_body_still_answers_twiml(app, caller: Caller) -> None:
    app.config["PROPAGATE_EXCEPTIONS"] = False  # as in production (TESTING turns it on)

    @app.before_request
    def explode() -> None:
        raise RuntimeError("simulated failure before the view")

    reply = caller.post("/voice/answer?p=", Digits="1")
    assert reply.status == 200
    assert reply.spoken()[0] == APOLOGY


def test_other_paths_get_a_plain_404(client) -> None:
    response = client.get("/nothing-here")
    assert response.status_code == 404
    assert response.get_data(as_text=True) == "not found"
