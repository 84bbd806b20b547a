"""The advice by SMS: only to Dutch mobiles, only when configured, one per call, failures told.

Twilio's REST API is replaced at its HTTP layer (``FakeTwilioHttp``), not the code under test.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace

import pytest
from flask import Flask

from ivr.core.errors import ConfigError
from ivr.core.sms_text import advice_text, sms_segments
from ivr.core.tree_model import Offering
from tests.support.calls import CALL_KEY, Caller, ask_callback
from tests.support.clock import CLOSED_TIME, Clock
from tests.support.sms import SMS_ENV, FakeTwilioHttp
from tests.support.spoken import GOODBYE, KEYS_SHORT, SMS_FAILED

SMS_OFFER = f"Wilt u dit advies ook per sms ontvangen? {KEYS_SHORT}"
SENT = "De sms is verstuurd. U krijgt hem binnen een paar minuten."
MENU = [
    f"Wilt u nu met het Sociaal loket praten? {KEYS_SHORT}",
    "Toets negen om het advies nog eens te horen.",
    "Toets acht voor alleen de telefoonnummers.",
]
BODY = (
    "Dagbesteding voor uw naaste.\n"
    "Meld uw naaste aan bij het Buurtteam of de gemeente (Wmo). U betaalt niets, ook niet voor "
    "het vervoer.\n"
    "Bel het Sociaal loket: 020 255 29 16, op werkdagen van negen tot vier uur.\n"
    "Bel de Wmo Helpdesk: 0800 0643, op werkdagen van acht tot zes uur.\n"
    "Meer informatie: https://www.amsterdam.nl/zorg-en-ondersteuning/ondersteuning/dagbesteding/\n"
    "Mantelzorglijn Amsterdam"
)
LOKET = "nul twee nul, twee vijf vijf, twee negen, één zes"
WMO = "nul acht nul nul, nul zes vier drie"
# the advice's numbers, as the advice says them
NUMBERS = [
    "Pak pen en papier.",
    f"Bel het Sociaal loket, op werkdagen van negen tot vier uur. Het nummer is {LOKET}. Ik herhaal: {LOKET}.",
    f"Bel gratis de W M O Helpdesk, op werkdagen van acht tot zes uur. Het nummer is {WMO}. Ik herhaal: {WMO}.",
]
MESSAGES = (
    "https://api.twilio.com/2010-04-01/Accounts/AC00000000000000000000000000000000/Messages.json"
)


@pytest.fixture
def phone(make_app: Callable[..., Flask], twilio_http: FakeTwilioHttp) -> Caller:
    return Caller(make_app(sms_http=twilio_http, **SMS_ENV).test_client())


def test_mobile_caller_is_offered_the_advice_by_sms(phone: Caller) -> None:
    reply = phone.post("/voice/answer?p=nnjjjn", Digits="2")
    assert reply.spoken()[0] == "Dagbesteding voor uw naaste."
    assert reply.spoken()[-1] == SMS_OFFER
    assert reply.next_url() == "/voice/sms?p=nnjjjnn&s=offer"


def test_yes_sends_the_advice_then_the_menu(
    phone: Caller, twilio_http: FakeTwilioHttp, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, "ivr.outbound.sms"):
        reply = phone.post("/voice/sms?p=nnjjjnn&s=offer", Digits="1")
    assert reply.spoken() == [SENT, *MENU]
    assert reply.next_url() == "/voice/menu?p=nnjjjnn&s=offer"
    [sent] = twilio_http.sent
    assert (sent["method"], sent["uri"]) == ("POST", MESSAGES)
    assert sent["data"] == {"To": "+31612345678", "From": "+3197010000000", "Body": BODY}
    # The call's pseudonym, not the message's SID: Twilio's message log links it to the number.
    assert [r.getMessage() for r in caplog.records if r.name == "ivr.outbound.sms"] == [
        f"SMS sent for call {CALL_KEY}"
    ]


def test_no_goes_on_without_sending(phone: Caller, twilio_http: FakeTwilioHttp) -> None:
    reply = phone.post("/voice/sms?p=nnjjjnn&s=restart", Digits="2")
    assert reply.next_url() == "/voice/menu?p=nnjjjnn&s=restart"
    assert twilio_http.sent == []


def test_at_most_one_sms_per_call(phone: Caller, twilio_http: FakeTwilioHttp) -> None:
    phone.post("/voice/sms?p=nnjjjnn&s=offer", Digits="1")
    again = phone.post("/voice/sms?p=nnjjjnn&s=offer", Digits="1")
    assert again.spoken() == [
        "U heeft in dit gesprek al een sms gekregen. Wij sturen één sms per gesprek.",
        *MENU,
    ]
    assert len(twilio_http.sent) == 1


@pytest.mark.parametrize(
    ("status", "body"),
    [
        pytest.param(
            400,
            '{"code": 21211, "message": "The To number +31612345678 is not valid", "status": 400}',
            id="rest-error",
        ),
        pytest.param(500, '{"message": "oops", "status": 500}', id="server-error"),
        pytest.param(0, "", id="unreachable"),
    ],
)
def test_failed_send_is_told_and_the_number_not_logged(
    phone: Caller,
    twilio_http: FakeTwilioHttp,
    caplog: pytest.LogCaptureFixture,
    status: int,
    body: str,
) -> None:
    twilio_http.status, twilio_http.body = status, body
    reply = phone.post("/voice/sms?p=nnjjjnn&s=offer", Digits="1")
    assert reply.spoken() == [SMS_FAILED, *NUMBERS, *MENU]  # the numbers again, to write down
    assert "612345678" not in caplog.text
    assert f"no SMS for call {CALL_KEY}" in caplog.text  # the pseudonym, never the CallSid


@pytest.mark.parametrize(
    ("caller_id", "sms_env"),
    [
        pytest.param("+31612345678", {"SMS_FROM": "+3197010000000"}, id="no-account-sid"),
        pytest.param("+31612345678", {"TWILIO_ACCOUNT_SID": "AC" + "0" * 32}, id="no-sender"),
        pytest.param("+31612345678", {}, id="no-sms-settings"),
    ],
)
def test_not_offered(
    make_app: Callable[..., Flask],
    twilio_http: FakeTwilioHttp,
    caller_id: str,
    sms_env: dict[str, str],
) -> None:
    phone = Caller(make_app(sms_http=twilio_http, **sms_env).test_client())
    phone.params["From"] = caller_id
    reply = phone.post("/voice/answer?p=nnjjjn", Digits="2")
    assert SMS_OFFER not in reply.spoken()
    assert reply.next_url() == "/voice/menu?p=nnjjjnn&s=offer"


NOT_SENT = (
    "DEVELOPMENT: SMS is not configured (TWILIO_ACCOUNT_SID, SMS_FROM): the advice by SMS is "
    "offered to mobile callers but NEVER SENT; the web phone and 'ivr simulate' show its text"
)


def test_the_quick_start_offers_the_sms_and_sends_nothing(
    make_app: Callable[..., Flask], caplog: pytest.LogCaptureFixture
) -> None:
    """Development mode without SMS settings: the SMS is offered as on a configured line, and
    its text only logged (the web phone and 'ivr simulate' show it)."""
    with caplog.at_level(logging.INFO, "ivr.outbound.sms"):
        phone = Caller(make_app(IVR_DEV_MODE="1").test_client())
        assert [r.getMessage() for r in caplog.records if r.name == "ivr.outbound.sms"] == [
            NOT_SENT
        ]
        caplog.clear()
        offer = phone.post("/voice/answer?p=nnjjjn", Digits="2")
        assert offer.spoken()[-1] == SMS_OFFER
        assert offer.gather().attrib == {
            "action": "/voice/sms?p=nnjjjnn&s=offer",
            "method": "POST",
            "input": "dtmf speech",
            "language": "nl-NL",
            "hints": offer.gather().attrib["hints"],
            "numDigits": "1",
            "timeout": "8",
            "speechTimeout": "2",
            "finishOnKey": "",
        }
        reply = phone.post(offer.next_url(), Digits="1")
    assert reply.spoken() == [SENT, *MENU]
    one_line = BODY.replace("\n", "\\n")  # a log line is one line (ivr.web.log_lines)
    assert [(r.levelname, r.getMessage()) for r in caplog.records] == [
        ("WARNING", f"DEVELOPMENT: SMS not sent (no SMS settings); its text: {one_line}"),
        ("INFO", f"SMS for call {CALL_KEY} not sent: a stand-in took it"),
    ]
    assert "612345678" not in caplog.text


def test_the_quick_starts_log_of_a_callbacks_confirmation_leaves_out_the_callers_number(
    make_app: Callable[..., Flask], caplog: pytest.LogCaptureFixture
) -> None:
    """The confirmation of a callback request repeats the caller's number: the stand-in logs
    its text without it (a caller's number is never logged)."""
    app = make_app(IVR_DEV_MODE="1")
    with caplog.at_level(logging.INFO, "ivr.outbound.sms"):
        ask_callback(app)
    [logged] = [r.getMessage() for r in caplog.records if "SMS not sent (no SMS" in r.getMessage()]
    assert logged.startswith(
        "DEVELOPMENT: SMS not sent (no SMS settings); its text: Uw verzoek om terugbellen is "
        "genoteerd. De helpdesk van Markant belt u terug op [het nummer van de beller]."
    )
    assert "612345678" not in caplog.text and "06 12 34 56 78" not in caplog.text


def test_outside_development_mode_no_stand_in(
    make_app: Callable[..., Flask], caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, "ivr.outbound.sms"):
        phone = Caller(make_app().test_client())
    assert "NEVER SENT" not in caplog.text
    reply = phone.post("/voice/answer?p=nnjjjn", Digits="2")
    assert SMS_OFFER not in reply.spoken()
    assert reply.spoken()[-3:] == MENU
    assert reply.next_url() == "/voice/menu?p=nnjjjnn&s=offer"


def test_sms_route_without_sms_configured_apologises(caller: Caller) -> None:
    reply = caller.post("/voice/sms?p=nnjjjnn&s=offer", Digits="1")
    assert reply.spoken()[0].startswith("Sorry, er ging iets mis bij deze telefoonlijn.")


@pytest.mark.parametrize(
    ("key", "bad"),
    [
        pytest.param("TWILIO_ACCOUNT_SID", "AC123", id="short-sid"),
        pytest.param("SMS_FROM", "06 12345678", id="sender-not-e164"),
    ],
)
def test_sms_settings_are_checked_at_start(
    make_app: Callable[..., Flask], key: str, bad: str
) -> None:
    with pytest.raises(ConfigError, match=f"^{key}: "):
        make_app(**{**SMS_ENV, key: bad})


def test_after_hours_the_sms_is_followed_by_the_callback_offer(phone: Caller, clock: Clock) -> None:
    clock.now = CLOSED_TIME
    offer = phone.post("/voice/answer?p=nnjjjn", Digits="2")
    assert offer.next_url() == "/voice/sms?p=nnjjjnn&s=callback"
    reply = phone.post(offer.next_url(), Digits="1")
    assert reply.spoken() == [
        SENT,
        "Wilt u dat de helpdesk van Markant u terugbelt?",
        KEYS_SHORT,
    ]
    assert reply.next_url() == "/voice/callback?p=nnjjjnn&s=offer"


def _advice(app: Flask, offering_id: str) -> str:
    flow = app.extensions["ivr_line"].flow
    return advice_text(flow.say, flow.tree.nodes[offering_id])


@pytest.mark.parametrize(
    ("offering_id", "action"),
    [
        pytest.param(
            "crisis",
            "Direct gevaar? Bel meteen 112. Geen direct gevaar? Bel vandaag de huisarts. "
            "'s Avonds en in het weekend: de huisartsenpost.",
            id="crisis-huisarts-and-huisartsenpost",
        ),
        pytest.param(
            "elv",
            "Bel eerst de huisarts van uw naaste. De huisarts vraagt het eerstelijnsverblijf aan.",
            id="elv-first-the-huisarts",
        ),
        pytest.param(
            "logeeropvang_wlz",
            "Vraag het aan bij het zorgkantoor, of soms direct bij de zorgaanbieder. Bij zorg in "
            "natura regelt het zorgkantoor de zorg: tot 156 etmalen per jaar. Met een pgb kan "
            "logeren ook.",
            id="wlz-zorgkantoor",
        ),
        pytest.param(
            "mantelzorger_zelf",
            "Meld u direct aan. Markant weet welke groepen er in uw buurt zijn. Gratis "
            "onafhankelijk advies: Clientenbelang Amsterdam of MEE Dichtbij.",
            id="independent-advice-in-gsm-letters",
        ),
    ],
)
def test_the_sms_says_what_to_do(app: Flask, offering_id: str, action: str) -> None:
    assert _advice(app, offering_id).splitlines()[1] == action


def _offerings(app: Flask) -> list[Offering]:
    tree = app.extensions["ivr_line"].flow.tree
    return [node for node in tree.nodes.values() if isinstance(node, Offering)]


def test_every_sms_has_its_action_and_every_number_of_the_advice_within_three_segments(
    app: Flask,
) -> None:
    """Issue 23: every number the advice reads is in its SMS, in at most three GSM-7 segments
    (the tree's texts are written to fit)."""
    for node in _offerings(app):
        text = _advice(app, node.id)
        assert node.sms, node.id
        assert sms_segments(text) <= 3, (node.id, len(text))
        read = [contact.phone.written for contact in node.contacts if contact.phone]
        assert read, node.id
        assert [number for number in read if number not in text] == [], node.id
        assert text.splitlines()[2].startswith("Bel "), node.id
        assert "sigra.nl" not in text  # the ELV PDF is for professionals


def test_the_web_address_is_left_out_where_it_would_pass_three_segments(app: Flask) -> None:
    flow = app.extensions["ivr_line"].flow
    dagbesteding = flow.tree.nodes["dagbesteding"]
    assert isinstance(dagbesteding, Offering)
    long = replace(dagbesteding, sms="Lang. " * 35)  # 210 characters of action
    text = advice_text(flow.say, long)
    assert "Meer informatie" not in text
    assert "020 255 29 16" in text and "0800 0643" in text  # numbers are never left out
    assert sms_segments(text) == 3


@pytest.mark.parametrize(
    ("text", "segments"),
    [
        pytest.param("a" * 160, 1, id="gsm-160"),
        pytest.param("a" * 161, 2, id="gsm-161"),
        pytest.param("é" * 306, 2, id="gsm-e-acute-306"),
        pytest.param("€" * 80, 1, id="gsm-extension-counts-twice"),
        pytest.param("ë" * 70, 1, id="ucs2-70"),
        pytest.param("ë" * 71, 2, id="ucs2-71"),
    ],
)
def test_sms_segments(text: str, segments: int) -> None:
    assert sms_segments(text) == segments


# After a callback request to a mobile: an SMS that confirms it (issue 23), beside the advice's.
SAVED_SAID = [
    "Genoteerd. De helpdesk van Markant belt u terug.",
    "U krijgt hierover ook een sms.",
]
CONFIRMATION = (
    "Uw verzoek om terugbellen is genoteerd. De helpdesk van Markant belt u terug op "
    "06 12 34 56 78.\nMantelzorglijn Amsterdam"
)


def _ask_callback(phone: Caller) -> None:
    check = phone.post("/voice/callback?p=nnjjjnn&s=offer", Digits="1")
    assert check.next_url() == "/voice/callback?p=nnjjjnn&s=own"


def test_a_callback_request_is_confirmed_by_sms_beside_the_advice(
    phone: Caller, twilio_http: FakeTwilioHttp, clock: Clock
) -> None:
    clock.now = CLOSED_TIME
    phone.post("/voice/sms?p=nnjjjnn&s=callback", Digits="1")  # the advice's SMS
    _ask_callback(phone)
    saved = phone.post("/voice/callback?p=nnjjjnn&s=own", Digits="1")
    assert saved.spoken() == [*SAVED_SAID, GOODBYE]
    assert saved.verbs() == ["Say", "Say", "Say", "Hangup"]
    advice, confirmation = twilio_http.sent
    assert advice["data"]["Body"].startswith("Dagbesteding")
    assert confirmation["data"] == {
        "To": "+31612345678",
        "From": "+3197010000000",
        "Body": CONFIRMATION,
    }
    # a retried webhook stores the same request and sends no second confirmation
    again = phone.post("/voice/callback?p=nnjjjnn&s=own", Digits="1")
    assert again.spoken() == [SAVED_SAID[0], GOODBYE]
    assert len(twilio_http.sent) == 2


def test_the_confirmation_promises_only_the_configured_time(
    make_app: Callable[..., Flask], twilio_http: FakeTwilioHttp
) -> None:
    phone = Caller(
        make_app(sms_http=twilio_http, CALLBACK_PROMISE_DAYS="1", **SMS_ENV).test_client()
    )
    _ask_callback(phone)
    phone.post("/voice/callback?p=nnjjjnn&s=own", Digits="1")
    [confirmation] = twilio_http.sent
    assert confirmation["data"]["Body"] == CONFIRMATION.replace(
        "78.\n", "78. Dat gebeurt op de eerstvolgende werkdag.\n"
    )


def test_no_confirmation_to_a_landline(phone: Caller, twilio_http: FakeTwilioHttp) -> None:
    phone.params["From"] = "+31201234567"
    _ask_callback(phone)
    saved = phone.post("/voice/callback?p=nnjjjnn&s=own", Digits="1")
    assert saved.spoken() == [SAVED_SAID[0], GOODBYE]
    assert twilio_http.sent == []


def test_a_failed_confirmation_keeps_the_request_and_the_number_out_of_the_log(
    phone: Caller, twilio_http: FakeTwilioHttp, caplog: pytest.LogCaptureFixture
) -> None:
    twilio_http.status = 0
    _ask_callback(phone)
    saved = phone.post("/voice/callback?p=nnjjjnn&s=own", Digits="1")
    assert saved.spoken() == [SAVED_SAID[0], GOODBYE]  # stored and said; no SMS promised
    assert f"no confirmation SMS for call {CALL_KEY}" in caplog.text
    assert "612345678" not in caplog.text
    store = phone.client.application.extensions["ivr_store"]
    assert [r.phone for r in store.open_requests()] == ["+31612345678"]


# A caller without a mobile caller ID: the advice to a mobile number they type (issue 23).
TYPE_MOBILE = "Naar welk mobiel nummer sturen wij de sms? Toets het nummer. Toets daarna het hekje."
TYPED_MOBILE = "nul zes, één twee, drie vier, vijf zes, zeven acht"
CHECK = f"U toetste: {TYPED_MOBILE}. Ik herhaal: {TYPED_MOBILE}. Klopt dat? {KEYS_SHORT}"


@pytest.mark.parametrize(
    "caller_id",
    [
        pytest.param("+31201234567", id="landline"),
        pytest.param("anonymous", id="withheld"),
        pytest.param("+32470123456", id="foreign-mobile"),
    ],
)
def test_a_caller_without_a_mobile_types_one_and_it_is_read_back_before_sending(
    phone: Caller, twilio_http: FakeTwilioHttp, caplog: pytest.LogCaptureFixture, caller_id: str
) -> None:
    phone.params["From"] = caller_id
    offer = phone.post("/voice/answer?p=nnjjjn", Digits="2")
    assert offer.spoken()[-1] == SMS_OFFER
    ask = phone.post(offer.next_url(), Digits="1")
    assert ask.spoken() == [TYPE_MOBILE]
    assert ask.verbs() == ["Gather", "Redirect"]
    assert ask.gather().attrib["action"] == "/voice/mobile?p=nnjjjnn&s=offer"
    assert ask.gather().attrib["input"] == "dtmf"
    assert "numDigits" not in ask.gather().attrib  # the number ends with #
    check = phone.post(ask.next_url(), Digits="0612345678")
    assert check.spoken() == [CHECK]
    assert check.next_url() == "/voice/mobile_check?p=nnjjjnn&s=offer"
    assert twilio_http.sent == []  # nothing sent before the caller's "ja"
    sent = phone.post(check.next_url(), Digits="1")
    assert sent.spoken() == [SENT, *MENU]
    assert sent.next_url() == "/voice/menu?p=nnjjjnn&s=offer"
    [message] = twilio_http.sent
    assert message["data"] == {"To": "+31612345678", "From": "+3197010000000", "Body": BODY}
    assert "612345678" not in caplog.text


@pytest.mark.parametrize(
    ("digits", "said"),
    [
        pytest.param(
            "0201234567",
            "Dat nummer kan ik niet gebruiken. "
            "Een mobiel nummer heeft tien cijfers en begint met nul zes.",
            id="a-landline",
        ),
        pytest.param("", "Ik hoorde niets.", id="nothing"),
    ],
)
def test_a_typed_number_that_is_no_mobile_is_asked_again(
    phone: Caller, twilio_http: FakeTwilioHttp, digits: str, said: str
) -> None:
    phone.params["From"] = "+31201234567"
    reply = phone.post("/voice/mobile?p=nnjjjnn&s=offer", Digits=digits)
    assert reply.spoken() == [said, TYPE_MOBILE]
    assert reply.gather().attrib["action"].startswith("/voice/mobile?p=nnjjjnn&")
    assert twilio_http.sent == []


def test_two_at_the_read_back_types_the_number_again_and_the_third_miss_goes_on(
    phone: Caller, twilio_http: FakeTwilioHttp
) -> None:
    phone.params["From"] = "+31201234567"
    phone.post("/voice/mobile?p=nnjjjnn&s=offer", Digits="0612345678")
    again = phone.post("/voice/mobile_check?p=nnjjjnn&s=offer", Digits="2")
    assert again.spoken() == [TYPE_MOBILE]
    last = phone.post("/voice/mobile?p=nnjjjnn&ni=2&s=offer", Digits="")
    assert last.spoken() == [SMS_FAILED, *NUMBERS, *MENU]  # the numbers to write down instead
    assert twilio_http.sent == []
