"""The tree's words (issue 23, items 3 and 4): facts as the seeds give them, in plain words and
short sentences, with the exact Dutch a caller hears and reads."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask

from ivr.core.tree_model import Offering, Question, Tree
from tests.support.calls import Caller
from tests.support.sms import SMS_ENV, FakeTwilioHttp
from tests.support.spoken import MARKANT, sentences

CLIENTENBELANG = "nul twee nul, zeven vijf twee, vijf één, nul nul"
MEE = "nul twee nul, vijf één twee, zeven twee, zeven twee"
OKT = "nul twee nul, vijf vijf vijf, vijf negen, zes één"


def _sms(
    make_app: Callable[..., Flask], twilio_http: FakeTwilioHttp, offering_id: str
) -> list[str]:
    """The advice's SMS, line by line (a line that sends SMS, to Twilio's fake HTTP layer)."""
    flow = make_app(sms_http=twilio_http, **SMS_ENV).extensions["ivr_line"].flow
    return flow.sms.text_for(flow.tree.nodes[offering_id]).splitlines()


def test_the_begeleiding_question_asks_what_is_needed(caller: Caller) -> None:
    """Seed 000: "meer begeleiding nodig dan hij of zij krijgt bij activiteiten in de buurt"; without
    "nodig" a carer whose naaste gets no help yet answered nee and was sent to activities."""
    reply = caller.post("/voice/answer?p=nnj", Digits="1")  # one day of respite
    assert reply.spoken()[0] == (
        "Heeft uw naaste meer begeleiding nodig dan bij activiteiten in de buurt?"
    )


def test_free_independent_advice_is_read_with_its_numbers(caller: Caller) -> None:
    """Seed 000: Cliëntenbelang Amsterdam 020 - 7525100, MEE Dichtbij 020 - 5127272, read as
    every number is (contacts, not digits in the text)."""
    reply = caller.post("/voice/answer?p=nnn", Digits="2")
    said = reply.spoken()
    assert said[:2] == [
        "Ondersteuning voor de mantelzorger zelf.",
        "Zorg ook goed voor uzelf. Markant geeft trainingen, en coaching voor jonge "
        "mantelzorgers. Markant weet ook welke groepen er in uw buurt zijn. Daar ontmoet u "
        "andere mantelzorgers. Iedereen mag meedoen, zonder aanvraag. Gratis onafhankelijk "
        "advies krijgt u bij Cliëntenbelang Amsterdam of MEE Dichtbij.",
    ]
    assert f"Bel Cliëntenbelang Amsterdam: {CLIENTENBELANG}. Ik herhaal: {CLIENTENBELANG}." in said
    assert f"Bel MEE Dichtbij: {MEE}. Ik herhaal: {MEE}." in said


def test_the_crisis_advice_says_when_the_huisarts_can_ask_for_a_crisis_admission(
    caller: Caller,
) -> None:
    """Seed 003: a Wlz crisis admission needs a Wlz-indicatie (or one expected within two weeks)
    and an acute change, and lasts at most two weeks."""
    reply = caller.post("/voice/answer?p=", Digits="1")
    assert reply.spoken()[:3] == [
        "Hulp in een crisis.",
        "Geen direct gevaar? Bel dan vandaag de huisarts van uw naaste. 's Avonds en in het "
        "weekend belt u de huisartsenpost. De huisarts kan een crisisopname van hoogstens twee "
        "weken aanvragen. Dat kan als de situatie plotseling is veranderd. En als uw naaste een "
        "W L Z indicatie heeft, voor langdurige zorg. Of die binnen twee weken krijgt. Is er "
        "direct gevaar? Bel dan meteen het alarmnummer.",
        "Bel het alarmnummer: één één twee. Ik herhaal: één één twee.",
    ]


def test_the_wlz_sms_gives_the_156_etmalen_for_zorg_in_natura(
    make_app: Callable[..., Flask], twilio_http: FakeTwilioHttp
) -> None:
    """Seed 000: "maximaal 156 etmalen per jaar logeren bij zorg in natura"; a pgb "kan ook"."""
    assert _sms(make_app, twilio_http, "logeeropvang_wlz")[1] == (
        "Vraag het aan bij het zorgkantoor, of soms direct bij de zorgaanbieder. Bij zorg in "
        "natura regelt het zorgkantoor de zorg: tot 156 etmalen per jaar. Met een pgb kan "
        "logeren ook."
    )


def test_more_care_with_a_wlz_indicatie_goes_to_the_zorgkantoor_and_the_ciz(
    make_app: Callable[..., Flask], twilio_http: FakeTwilioHttp, caller: Caller
) -> None:
    """Seed 000: with a Wlz-indicatie "neem je contact op met het zorgkantoor"; the aanvraag is
    made "bij het CIZ"."""
    reply = caller.post("/voice/answer?p=njjj", Digits="1")
    assert reply.spoken()[:2] == [
        "Meer zorg of hulp voor uw naaste.",
        "Meer hulp in huis of begeleiding? Vraag het aan bij het Buurtteam. Meer verzorging of "
        "verpleging? Bel de wijkverpleegkundige. Heeft uw naaste een W L Z indicatie, dus recht "
        "op langdurige zorg? Bel dan het zorgkantoor. De aanvraag doet u bij het C I Z. De W M O "
        "is de wet voor hulp van de gemeente.",
    ]
    assert _sms(make_app, twilio_http, "opschaling")[1] == (
        "Hulp in huis: Buurtteam. Verzorging: wijkverpleegkundige. Wlz-indicatie: bel het "
        "zorgkantoor, de aanvraag doet u bij het CIZ."
    )


def test_kortdurend_verblijf_reads_markants_number_before_offering_markant(
    make_app: Callable[..., Flask], twilio_http: FakeTwilioHttp, caller: Caller
) -> None:
    reply = caller.post("/voice/answer?p=njnnn", Digits="1")
    said = reply.spoken()
    assert said[1].endswith(
        "U vraagt het aan bij het Ouder- en Kindteam in uw buurt. Met vragen kunt u ook Markant "
        "bellen."
    )
    okt = f"Bel het Ouder- en Kindteam, op werkdagen van negen tot vijf uur. Het nummer is {OKT}. Ik herhaal: {OKT}."
    markant = f"Bel de helpdesk van Markant, tijdens kantooruren. Het nummer is {MARKANT}. Ik herhaal: {MARKANT}."
    assert said.index(okt) + 1 == said.index(markant)
    assert _sms(make_app, twilio_http, "kortdurend_verblijf_jeugdwet")[1] == (
        "Vraag het aan bij het Ouder- en Kindteam in uw buurt. Met vragen kunt u ook de helpdesk "
        "van Markant bellen."
    )


WMO_HELPDESK = "Bel de Wmo Helpdesk: 0800 0643, op werkdagen van acht tot zes uur."
LOKET = "Bel het Sociaal loket: 020 255 29 16, op werkdagen van negen tot vier uur."
OUDER_EN_KIND = "Bel het Ouder- en Kindteam: 020 555 59 61, op werkdagen van negen tot vijf uur."
BY_MARKANT = "Bel de helpdesk van Markant: 020 886 88 00, tijdens kantooruren."


@pytest.mark.parametrize(
    ("offering_id", "contacts"),
    [
        pytest.param("logeeropvang_wmo", [WMO_HELPDESK, LOKET], id="logeeropvang-wmo-loket"),
        pytest.param("opschaling", [WMO_HELPDESK, LOKET], id="opschaling-loket"),
        pytest.param(
            "mantelzorger_zelf",
            [
                BY_MARKANT,
                "Bel Clientenbelang Amsterdam: 020 752 51 00.",
                "Bel MEE Dichtbij: 020 512 72 72.",
            ],
            id="mantelzorger-zelf-clientenbelang-mee",
        ),
        pytest.param("aanvragen", [WMO_HELPDESK, OUDER_EN_KIND], id="aanvragen-okt"),
        pytest.param(
            "kortdurend_verblijf_jeugdwet", [OUDER_EN_KIND, BY_MARKANT], id="kortdurend-markant"
        ),
    ],
)
def test_the_sms_holds_every_number_the_advice_reads(
    make_app: Callable[..., Flask],
    twilio_http: FakeTwilioHttp,
    offering_id: str,
    contacts: list[str],
) -> None:
    """Issue 23: "In de sms staan de namen en telefoonnummers uit het advies"."""
    assert [
        line for line in _sms(make_app, twilio_http, offering_id) if line.startswith("Bel ")
    ] == contacts


TITLES = {
    "crisis": "Hulp in een crisis",
    "opschaling": "Meer zorg of hulp voor uw naaste",
    "aanvragen": "Zorg of hulp aanvragen voor uw naaste",
    "dagbesteding": "Dagbesteding voor uw naaste",
    "dagbesteding_jeugdwet": "Dagbesteding via de Jeugdwet",
    "dagbesteding_wlz": "Dagbesteding via de Wlz",
    "activiteit": "Activiteiten voor uw naaste",
    "logeeropvang_wlz": "Logeeropvang via de Wlz",
    "elv": "Een korte opname voor uw naaste",
    "kortdurend_verblijf_jeugdwet": "Kortdurend verblijf via de Jeugdwet",
    "logeeropvang_wmo": "Logeeropvang via de Wmo",
    "praktische_ondersteuning": "Praktische ondersteuning in en om het huis",
    "mantelzorger_zelf": "Ondersteuning voor de mantelzorger zelf",
}


def test_titles_say_uw_naaste_in_plain_words(shipped_tree: Tree) -> None:
    titles = {n.id: n.title for n in shipped_tree.nodes.values() if isinstance(n, Offering)}
    assert titles == TITLES


def _spoken_texts(node: Question | Offering) -> list[str]:
    if isinstance(node, Question):
        return [node.text, node.help]
    return [f"{node.title}.", node.text]


@pytest.mark.parametrize(
    "word", ["zorgvrager", "opschaling", "eigen bijdrage", "modulair", "niet-planbare"]
)
def test_replaced_words_are_never_spoken_unexplained(shipped_tree: Tree, word: str) -> None:
    """Replaced by plain words; "modulair" only in a help text, in the sentence that says it is
    Wlz-zorg thuis."""
    explained = "Wlz-zorg thuis heet ook een volledig of modulair pakket thuis."
    for node in shipped_tree.nodes.values():
        for text in _spoken_texts(node):
            assert word not in text.lower().replace(explained.lower(), ""), node.id


def test_every_sentence_has_at_most_15_words(shipped_tree: Tree) -> None:
    long = [
        (node.id, sentence)
        for node in shipped_tree.nodes.values()
        for text in _spoken_texts(node)
        for sentence in sentences(text)
        if len(sentence.split()) > 15
    ]
    assert long == []


def test_each_question_asks_one_thing_without_a_negative(shipped_tree: Tree) -> None:
    for node in shipped_tree.nodes.values():
        if isinstance(node, Question):
            asked = sentences(node.text)
            assert [s for s in asked if s.endswith("?")] == asked[-1:], node.id
            assert not {"niet", "geen"} & set(asked[-1].lower().strip("?").split()), node.id


# The sentence that explains a term where a path first speaks it (that sentence or the next one).
EXPLAINED = {
    "W M O": {
        "De W M O is de wet voor hulp van de gemeente.",
        "Dat is de wet voor hulp van de gemeente.",
    },
    "indicatie": {
        "Een W L Z indicatie geeft recht op langdurige zorg.",
        "Heeft uw naaste een W L Z indicatie, dus recht op langdurige zorg?",
        "En als uw naaste een W L Z indicatie heeft, voor langdurige zorg.",
    },
    "eerstelijnsverblijf": {
        "Dit heet een eerstelijnsverblijf: uw naaste verblijft kort in een zorginstelling."
    },
}


def _heard(app: Flask, path: str) -> list[str]:
    """The sentences a caller hears on a path: its questions, the advice and whom to call."""
    flow = app.extensions["ivr_line"].flow
    texts = [flow.tree.node_at(path[:i]).text for i in range(len(path))]
    texts += [say.text for say in flow.say.offering(flow.tree.node_at(path))]
    return [sentence for text in texts for sentence in sentences(text)]


@pytest.mark.parametrize("term", list(EXPLAINED))
def test_a_term_is_explained_where_a_path_first_speaks_it(app: Flask, term: str) -> None:
    tree = app.extensions["ivr_line"].flow.tree
    for path in tree.paths():
        heard = _heard(app, path)
        first = next((i for i, s in enumerate(heard) if term in s.lower() or term in s), None)
        if first is not None:
            assert EXPLAINED[term] & set(heard[first : first + 2]), (path, heard[first])
