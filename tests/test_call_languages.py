"""Whole calls in the language a caller chose (issue 24 items 3 and 4), with the shipped English
and Turkish texts: the welcome's choice by key and by name, a number bound to a language, every
offering in each language (its voice, its ``<Say>`` language, numbers read in its digits, every
URL carrying the language), the callback, the SMS and the hours in it, and the whisper, which
stays Dutch and names the language.

The line answers its webhooks directly (``Line.greet``, ``Line.answer``: tests/support/
line_calls.py); the signed webhooks through the app are one test of the choice and one of a
language the line does not offer.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import pytest
from flask import Flask

from ivr.core.call_events import CallEvent, EventKind
from ivr.core.call_state import Route, Step, url_maker
from ivr.core.errors import CallStateError
from ivr.core.flow import CallFlow
from ivr.core.language import InLanguage
from ivr.core.languages import DUTCH, find
from ivr.core.replies import Reply
from ivr.core.sms_text import sms_segments
from ivr.core.translated import translate_tree
from ivr.core.translation import Entry, State, check, text_hash
from ivr.core.tree_model import Offering
from ivr.web.app import create_app
from ivr.web.line import Line
from ivr.web.twiml import TwimlWriter
from tests.support.calls import Caller
from tests.support.clock import CLOSED_TIME, OPEN_TIME, Clock
from tests.support.database import upgrade
from tests.support.line_calls import next_url, post, said, urls
from tests.support.signing import BASE, SECRET, TOKEN
from tests.support.sms import SMS_ENV, FakeTwilioHttp

BOUND = "+31208000001"  # LANGUAGE_BY_NUMBER binds it to Turkish
ENGLISH = find("en")
VOICES = {
    "nl": ("nl-NL", "Polly.Lotte"),
    "en": ("en-GB", "Polly.Amy"),
    "tr": ("tr-TR", "Polly.Filiz"),
}
KEYS_EN = (
    "You can also say yes or no. If you don't know, press three. Press nine to repeat. "
    "Press star to go back. Press zero for a staff member."
)
KEYS_TR = (
    "Evet veya hayır da diyebilirsiniz. Bilmiyorsanız 3'e basın. Tekrar dinlemek için 9'a "
    "basın. Geri gitmek için yıldız tuşuna basın. Bir çalışanla konuşmak için 0'a basın."
)
FIRST = {
    "en": ["Does the person you care for need help today to be safe?", KEYS_EN],
    "tr": ["Yakınınızın güvende olması için bugün yardıma ihtiyacı var mı?", KEYS_TR],
}
LOKET = {
    "en": "zero two zero, two five five, two nine, one six",
    "tr": "sıfır iki sıfır, iki beş beş, iki dokuz, bir altı",
}
WMO = {"en": "zero eight zero zero, zero six four three", "tr": "sıfır sekiz sıfır sıfır, sıfır altı dört üç"}  # fmt: skip
# The advice 'dagbesteding' (nnjjjnn), exactly as a caller hears it, and the SMS question.
DAGBESTEDING = {
    "en": [
        "Day activities for the person you care for.",
        "This is called dagbesteding. The person you care for does activities in the daytime, "
        "with support. Then you have some time for yourself. The city council arranges this, "
        "through the W M O. That is the law for help from the city council. You pay nothing for "
        "it, and nothing for the transport either. Register the person you care for with the "
        "Buurtteam (neighbourhood team) or the city council.",
        "Get a pen and paper.",
        f"Call the Sociaal loket, on weekdays from nine to four o'clock. The number is "
        f"{LOKET['en']}. I repeat: {LOKET['en']}.",
        f"Call the W M O Helpdesk for free, on weekdays from eight to six o'clock. The number is "
        f"{WMO['en']}. I repeat: {WMO['en']}.",
        "Do you also want this advice by text message? Press one for yes, or two for no.",
    ],
    "tr": [
        "Yakınınız için gündüz bakımı.",
        "Gündüz bakımında yakınınız gün içinde, rehberlik eşliğinde etkinliklere katılır. "
        "Böylece kendinize biraz zaman ayırırsınız. Bunu belediye, W M O üzerinden düzenler. "
        "W M O, belediyenin yardımlarını düzenleyen yasadır. Bunun için bir şey ödemezsiniz, "
        "ulaşım da ücretsizdir. Yakınınızı Buurtteam'e veya belediyeye kaydettirin.",
        "Kâğıt kalem hazırlayın.",
        f"Arayın: Sociaal loket, hafta içi, saat dokuz ile dört arasında. Telefon numarası: "
        f"{LOKET['tr']}. Tekrar ediyorum: {LOKET['tr']}.",
        f"Ücretsiz arayın: W M O Helpdesk, hafta içi, saat sekiz ile altı arasında. Telefon "
        f"numarası: {WMO['tr']}. Tekrar ediyorum: {WMO['tr']}.",
        "Bu tavsiyeyi SMS ile de almak ister misiniz? Evet için 1'e, hayır için 2'ye basın.",
    ],
}


@dataclass
class Events:
    """The call events the line hands on, kept."""

    kept: list[CallEvent] = field(default_factory=list)

    def add(self, call_key: str, at: datetime, event: CallEvent) -> None:
        self.kept.append(event)


@dataclass
class LanguagesLine:
    app: Flask
    line: Line
    clock: Clock
    sms: FakeTwilioHttp
    events: Events


@pytest.fixture(scope="module")
def offered(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LanguagesLine]:
    """One line offering English and Turkish (Dutch first), with SMS; a Monday morning."""
    folder: Path = tmp_path_factory.mktemp("languages")
    database = f"sqlite:///{folder / 'ivr.sqlite3'}"
    upgrade(database)
    env = {
        "TWILIO_AUTH_TOKEN": TOKEN,
        "SECRET_KEY": SECRET,
        "PUBLIC_BASE_URL": BASE,
        "IVR_AUDIO_DIR": str(folder / "audio"),
        "IVR_SQLITE_PATH": str(folder / "ivr.sqlite3"),
        "LANGUAGES": "en,tr",
        "LANGUAGE_BY_NUMBER": f"{BOUND}=tr",
        **SMS_ENV,
    }
    clock, sms = Clock(), FakeTwilioHttp()
    app = create_app(env, clock=clock, sms_http=sms)
    line: Line = app.extensions["ivr_line"]
    queue, events = line.events, Events()
    line.events = events
    yield LanguagesLine(app, line, clock, sms, events)
    app.extensions["ivr_event_queue"].close()
    app.extensions["ivr_database"].dispose()
    assert queue is app.extensions["ivr_event_queue"]


@pytest.fixture
def line(offered: LanguagesLine) -> Iterator[Line]:
    offered.events.kept.clear()
    offered.clock.now = OPEN_TIME
    yield offered.line
    offered.clock.now = OPEN_TIME


def _choose(line: Line, code: str) -> str:
    """Choose a language at the welcome by its key: the first question's URL."""
    return next_url(post(line, "/voice/welcome?p=", Digits=find(code).choice_key))


def test_the_welcome_names_each_language_in_its_own_voice_and_hears_their_names(
    line: Line,
) -> None:
    root = post(line, "/voice")
    welcome = root.findall("Gather")[0]
    assert welcome.attrib == {
        "action": "/voice/welcome?p=",
        "finishOnKey": "",
        "hints": "engels, engelse, engelstalig, english, turkce, turkish, turks, turkse, türks, "
        "türkçe",
        "input": "dtmf speech",
        "language": "nl-NL",
        "method": "POST",
        "numDigits": "1",
        "speechTimeout": "2",
        "timeout": "1",
    }
    assert said(welcome) == [
        ("Welkom bij de Mantelzorglijn. Bij direct gevaar: bel één één twee. "
         "Toets één voor ja, twee voor nee.", "nl-NL", "Polly.Lotte"),
        ("For English, press 7.", "en-GB", "Polly.Amy"),
        ("Türkçe için 6'ya basın.", "tr-TR", "Polly.Filiz"),
    ]  # fmt: skip
    assert urls(root)[1:] == ["/voice/answer?p=", "/voice/answer?p="]


@pytest.mark.parametrize(
    ("form", "code"),
    [
        pytest.param({"Digits": "7"}, "en", id="key-7-english"),
        pytest.param({"Digits": "6"}, "tr", id="key-6-turkish"),
        pytest.param({"SpeechResult": "English"}, "en", id="said-english"),
        pytest.param({"SpeechResult": "Engels graag"}, "en", id="said-engels"),
        pytest.param({"SpeechResult": "Türkçe"}, "tr", id="said-turkce"),
        pytest.param({"SpeechResult": "Turks"}, "tr", id="said-turks"),
    ],
)
def test_a_choice_by_key_or_name_asks_the_first_question_in_that_language(
    line: Line, offered: LanguagesLine, form: dict[str, str], code: str
) -> None:
    root = post(line, "/voice/welcome?p=", **form)
    language, voice = VOICES[code]
    assert said(root) == [(text, language, voice) for text in FIRST[code]]
    assert urls(root) == [f"/voice/answer?p=&l={code}"] * 2
    gather = root.find("Gather")
    assert gather is not None
    hints = find(code).replies.hints
    assert (gather.attrib["language"], gather.attrib["hints"]) == (language, hints)
    assert [event.language for event in offered.events.kept] == [code]


@pytest.mark.parametrize(
    ("form", "first"),
    [
        pytest.param({"Digits": "1"}, "Heeft uw naaste vandaag", id="key-1-the-question"),
        pytest.param({"Digits": "5"}, "Heeft uw naaste vandaag", id="a-key-not-offered"),
        pytest.param({"SpeechResult": "ja"}, "Heeft uw naaste vandaag", id="said-ja"),
        pytest.param({"Digits": "0"}, "Een moment alstublieft.", id="key-0-a-person"),
    ],
)
def test_other_keys_at_the_welcome_keep_their_meaning_in_dutch(
    line: Line, offered: LanguagesLine, form: dict[str, str], first: str
) -> None:
    root = post(line, "/voice/welcome?p=", **form)
    assert said(root)[0][0].startswith(first)
    assert {(lang, voice) for _, lang, voice in said(root)} == {VOICES["nl"]}
    assert all("l=" not in url for url in urls(root))
    assert [event.language for event in offered.events.kept] == [""]


def test_a_number_bound_to_a_language_greets_in_it_and_offers_no_choice(
    line: Line, offered: LanguagesLine
) -> None:
    root = post(line, "/voice", To=BOUND)
    welcome = root.findall("Gather")[0]
    assert (welcome.attrib["input"], "hints" in welcome.attrib) == ("dtmf", False)
    assert [text for text, _, _ in said(welcome)] == [
        "Mantelzorglijn'e hoş geldiniz. Acil bir tehlike varsa bir bir iki'yi arayın. "
        "Evet için 1'e, hayır için 2'ye basın."
    ]
    assert {(lang, voice) for _, lang, voice in said(root)} == {VOICES["tr"]}
    assert urls(root) == [
        "/voice/welcome?p=&l=tr",
        "/voice/answer?p=&l=tr",
        "/voice/answer?p=&l=tr",
    ]
    assert offered.events.kept == [CallEvent(EventKind.START, node="acuut", language="tr")]
    # a key in the bound language's welcome: its first question, in it
    assert said(post(line, urls(root)[0], Digits="3"))[0][0] == FIRST["tr"][0]


def _offerings(line: Line) -> list[tuple[str, str]]:
    tree = line.flow.tree
    return [(path, tree.reached(path).id) for path in tree.paths()]


@pytest.mark.parametrize("code", ["en", "tr"])
def test_a_whole_call_in_the_language_reaches_every_offering_in_it(
    line: Line, offered: LanguagesLine, code: str
) -> None:
    """Every path: each answer's TwiML in the language's voice and ``<Say>`` language, every
    URL carrying it, the advice's numbers read in its digits, every call event naming it."""
    language = find(code)
    tree = line.languages[code].flow.tree
    for path, offering_id in _offerings(line):
        url = _choose(line, code)
        for answer in path:
            root = post(line, url, Digits="1" if answer == "j" else "2", From="anonymous")
            assert {(lang, voice) for _, lang, voice in said(root)} == {VOICES[code]}, path
            assert all(u.endswith(f"&l={code}") for u in urls(root)), (path, urls(root))
            if urls(root):
                url = next_url(root)
        offering = tree.nodes[offering_id]
        assert isinstance(offering, Offering)
        texts = " ".join(text for text, _, _ in said(root))
        assert texts.startswith(f"{line.languages[code].writer.normalise(offering.title)}.")
        for contact in offering.contacts:
            if contact.phone is not None:
                assert contact.phone.spoken_in(language) in texts, (path, contact.name)
    assert {event.language for event in offered.events.kept} == {code}


@pytest.mark.parametrize("code", ["en", "tr"])
def test_an_advice_in_the_language_exactly(line: Line, code: str) -> None:
    root = post(line, f"/voice/answer?p=nnjjjn&l={code}", Digits="2")
    assert [text for text, _, _ in said(root)] == DAGBESTEDING[code]
    assert urls(root) == [f"/voice/sms?p=nnjjjnn&s=offer&l={code}"] * 2


def test_the_sms_is_the_advice_in_the_language(line: Line, offered: LanguagesLine) -> None:
    offered.sms.sent.clear()
    root = post(line, "/voice/sms?p=nnjjjnn&s=offer&l=tr", Digits="1", CallSid="CAsmstr")
    assert said(root)[0] == ("SMS gönderildi. Birkaç dakika içinde size ulaşır.", *VOICES["tr"])
    turkish = line.languages["tr"].flow
    offering = turkish.tree.nodes["dagbesteding"]
    assert isinstance(offering, Offering) and turkish.sms is not None
    body = offered.sms.sent[0]["data"]["Body"]
    assert body == turkish.sms.text_for(offering)
    assert body.splitlines()[0] == "Yakininiz icin gündüz bakimi."  # ı and ç written plainly (GSM)


def test_a_callback_in_the_language_reads_the_number_back_in_its_digits(
    line: Line, offered: LanguagesLine
) -> None:
    """A transfer nobody took, in English: the callback offer, the caller's own number read in
    English, and the request stored with its language and, for staff, its summary in Dutch."""
    root = post(line, "/voice/dialed?p=nnjjjnn&s=markant&l=en", DialCallStatus="no-answer")
    assert said(root)[-2:] == [
        ("Do you want the Markant helpdesk to call you back?", *VOICES["en"]),
        ("Press one for yes, or two for no.", *VOICES["en"]),
    ]
    own = "zero six, one two, three four, five six, seven eight"
    root = post(line, next_url(root), Digits="1", CallSid="CAcallbacken")
    assert said(root) == [
        (f"We will call you on this number: {own}. I repeat: {own}. Is that right? Press one "
         "for yes, or two for no.", *VOICES["en"]),
    ]  # fmt: skip
    root = post(line, next_url(root), Digits="1", CallSid="CAcallbacken")
    assert said(root)[0] == ("Noted. The Markant helpdesk will call you back.", *VOICES["en"])
    stored = [r for r in offered.app.extensions["ivr_store"].open_requests() if r.language == "en"]
    assert [(r.reached, r.answers.split("?")[0], r.service) for r in stored] == [
        ("Dagbesteding voor uw naaste", "Heeft uw naaste vandaag nog hulp nodig om veilig te zijn",
         "sociaal_loket"),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("code", "closed"),
    [
        pytest.param("en", "The Sociaal loket is closed now. You can call again tomorrow at "
                     "nine o'clock.", id="en"),
        pytest.param("tr", "Sociaal loket şu an kapalı. Tekrar arayabilirsiniz: yarın, saat "
                     "dokuz.",
                     id="tr"),
    ],
)  # fmt: skip
def test_when_a_service_opens_is_said_in_the_language(
    line: Line, offered: LanguagesLine, code: str, closed: str
) -> None:
    offered.clock.now = CLOSED_TIME  # a Sunday evening
    root = post(line, f"/voice/transfer?p=nnjjjnn&s=sociaal_loket&l={code}")
    assert said(root)[0] == (closed, *VOICES[code])


@pytest.mark.parametrize(
    ("code", "named"),
    [
        pytest.param("", [], id="dutch-caller"),
        pytest.param("en", ["De beller koos Engels."], id="english-caller"),
        pytest.param("tr", ["De beller koos Turks."], id="turkish-caller"),
    ],
)
def test_the_whisper_is_dutch_and_names_the_caller_s_language(
    line: Line, offered: LanguagesLine, code: str, named: list[str]
) -> None:
    language = f"&l={code}" if code else ""
    root = post(line, f"/voice/whisper?p=nnjjjnn&s=markant{language}")
    assert said(root) == [
        (text, *VOICES["nl"])
        for text in [
            "Beller van de Mantelzorglijn.",
            *named,
            "Advies: Dagbesteding voor uw naaste.",
            "Ja op: respijtzorg, één dag, meer begeleiding nodig.",
            "Nee op: crisis, mantelzorger valt weg, W L Z, kind.",
            "Toets één om het gesprek aan te nemen.",
        ]
    ]
    assert urls(root) == ["/voice/accept?p=nnjjjnn&s=markant"]
    assert offered.events.kept == []  # the helpdesk's leg is not the caller's call


def test_a_dutch_text_is_kept_where_a_translation_says_other_numbers(line: Line) -> None:
    """An English text of the crisis advice that says "three weeks" where the Dutch says
    "twee weken": the line says the Dutch there, in the Dutch voice, and the rest in English."""
    english = line.languages["en"]
    dutch = line.flow.tree.nodes["crisis"]
    assert isinstance(dutch, Offering)
    wrong = Entry(
        "No immediate danger? Call the GP today. A crisis admission lasts at most three weeks.",
        text_hash(dutch.text),
    )
    checked = check("nodes.crisis.text", dutch.text, wrong, ENGLISH, DUTCH)
    assert checked.state is State.WRONG_NUMBERS
    tree = translate_tree(english.flow.tree, {"nodes.crisis.text": checked})
    flow = CallFlow(tree, english.flow.say.prompts, english.flow.opening_hours, language=ENGLISH)
    writer = TwimlWriter(url_maker("en"), {}, language=ENGLISH, speakers=english.writer.speakers)
    turn = flow.answer(Step(Route.ANSWER), Reply.YES, OPEN_TIME)
    spoken = said(ET.fromstring(writer.render(turn)))
    assert tree.nodes["crisis"].text == InLanguage(dutch.text, "nl")  # type: ignore[union-attr]
    assert spoken[:2] == [
        ("Help in a crisis.", *VOICES["en"]),
        (english.writer.speakers["nl"].normalise(dutch.text), *VOICES["nl"]),
    ]
    assert {(lang, voice) for _, lang, voice in spoken[2:]} == {VOICES["en"]}


def test_a_url_in_a_language_the_line_does_not_offer_is_refused(line: Line) -> None:
    with pytest.raises(CallStateError) as raised:
        post(line, "/voice/answer?p=&l=xx", Digits="1")
    assert str(raised.value) == "l='xx' is not a language this line offers"


def test_through_the_signed_webhooks_a_choice_holds_and_an_unknown_language_is_an_apology(
    offered: LanguagesLine, line: Line
) -> None:
    caller = Caller(offered.app.test_client())
    chose = caller.post("/voice/welcome?p=", Digits="7")
    assert chose.spoken() == FIRST["en"]
    assert chose.next_url() == "/voice/answer?p=&l=en"
    answered = caller.post(chose.next_url(), SpeechResult="yes")
    assert (
        answered.spoken()[0] == offered.line.languages["en"].flow.tree.nodes["crisis"].title + "."
    )
    unknown = caller.post("/voice/answer?p=&l=ary", Digits="1")
    assert unknown.xml.encode() == line.apology_twiml


@pytest.mark.parametrize(
    ("url", "code"),
    [
        pytest.param("/voice/answer?p=j&l=en", "en", id="english-offering-path"),
        pytest.param("/voice/answer?p=j&l=tr", "tr", id="turkish-offering-path"),
        pytest.param("/voice/nowhere?p=&l=en", "en", id="english-unknown-route"),
        pytest.param("/voice/answer?p=j", "nl", id="dutch"),
        pytest.param("/voice/answer?p=j&l=xx", "nl", id="a-language-not-offered"),
    ],
)
def test_a_failing_webhook_apologises_in_the_call_s_language_and_its_way_on_keeps_it(
    offered: LanguagesLine, line: Line, url: str, code: str
) -> None:
    """A caller in English whose webhook fails hears the apology in English, and the recovery
    that follows stays in English (its URL keeps l=en): not Dutch for the rest of the call."""
    failed = Caller(offered.app.test_client()).post(url, Digits="*")
    language, voice = VOICES[code]
    assert {(lang, v) for _, lang, v in said(failed.root)} == {(language, voice)}
    suffix = "" if code == "nl" else f"&l={code}"
    assert urls(failed.root) == [f"/voice/recover?p={suffix}"] * 2


@pytest.mark.parametrize(
    ("form", "code"),
    [
        pytest.param({"ErrorUrl": f"{BASE}/voice/answer?p=nj&l=en"}, "en", id="an-english-call"),
        pytest.param({"ErrorUrl": f"{BASE}/voice", "To": BOUND}, "tr", id="the-turkish-number"),
        pytest.param({"ErrorUrl": f"{BASE}/voice/answer?p=&l=xx"}, "nl", id="not-offered"),
        pytest.param({}, "nl", id="no-error-url"),
        pytest.param({"ErrorUrl": "https://[x/voice/answer?p=&l=en"}, "en", id="not-a-url"),
    ],
)
def test_twilio_s_fallback_apologises_in_the_call_s_language(
    offered: LanguagesLine, line: Line, form: dict[str, str], code: str
) -> None:
    """Twilio posts the URL that failed (ErrorUrl) to the fallback: its l=, else the language
    the called number is bound to, names the language of the last words the caller hears."""
    reply = Caller(offered.app.test_client()).post("/voice/fallback", ErrorCode="11200", **form)
    assert reply.verbs() == ["Say", "Hangup"]
    assert {(lang, voice) for _, lang, voice in said(reply.root)} == {VOICES[code]}


def test_a_failing_welcome_on_a_number_bound_to_a_language_apologises_in_it(line: Line) -> None:
    apology = ET.fromstring(line.apology("", BOUND))
    assert {(lang, voice) for _, lang, voice in said(apology)} == {VOICES["tr"]}
    assert urls(apology) == ["/voice/recover?p=&l=tr"] * 2


@pytest.mark.parametrize("code", ["en", "tr"])
def test_every_sms_in_the_language_fits_in_three_segments(line: Line, code: str) -> None:
    """As the Dutch (tests/test_sms.py): every advice's SMS in at most three GSM-7 segments
    (a UCS-2 letter would make each of these texts six or more)."""
    flow = line.languages[code].flow
    assert flow.sms is not None
    offerings = [node for node in flow.tree.nodes.values() if isinstance(node, Offering)]
    too_long = {
        o.id: sms_segments(t) for o in offerings if sms_segments(t := flow.sms.text_for(o)) > 3
    }
    assert too_long == {}
