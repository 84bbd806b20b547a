"""Triage on the worklist (issue 22, item 5): requests after the crisis advice marked and first,
then the longest waiting; why each caller asked, how long they wait, the attempts, whether the
number was typed; one item per number, whose buttons act on all its open requests; the filter
by waiting time."""

from __future__ import annotations

import csv
import html
import io
import logging
import re
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta

import pytest
from flask import Flask

from ivr.core.callback_request import CallbackRequest
from ivr.core.callback_status import AskedAt
from ivr.core.hours import AMSTERDAM
from ivr.core.tree_model import Tree
from ivr.core.triage import Reasons, triage
from ivr.core.worklist import WorkItem
from ivr.web.staff.wording import waited
from tests.support.calls import ask_callback
from tests.support.clock import CLOSED_TIME
from tests.support.staff import COLLEAGUE, STAFF, Staff, add_account

CRISIS = "Hulp in een crisis"
QUESTION = "Kan uw naaste thuis zorg ontvangen?"
ITEM = re.compile(r'<article class="([^"]*)" id="verzoek-(\d+)">(.*?)</article>', re.S)


def text(page: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def items(page: str) -> list[tuple[int, str, str]]:
    """Each item of the worklist in order: its id, its classes, its text."""
    return [(int(nr), classes, text(body)) for classes, nr, body in ITEM.findall(page)]


def flashes(page: str) -> list[str]:
    return re.findall(r'<p class="flash \w+" role="status">(.*?)</p>', page)


def add(
    app: Flask,
    n: int,
    ago: timedelta,
    phone: str,
    reached: str = QUESTION,
    typed: bool | None = False,
    language: str = "nl",
) -> int:
    request = CallbackRequest(
        f"key-{n}",
        phone,
        reached,
        "Antwoorden.",
        "markant",
        CLOSED_TIME - ago,
        number_typed=typed,
        language=language,
    )
    rid: int = app.extensions["ivr_store"].add(request)
    return rid


def test_the_shipped_tree_marks_the_crisis_advice_urgent(shipped_tree: Tree) -> None:
    reasons = Reasons.of(shipped_tree)
    assert reasons.urgent == frozenset({CRISIS})
    assert CRISIS in reasons.advice and QUESTION not in reasons.advice


def test_a_crisis_request_is_marked_and_first_among_ordinary_ones(
    console: Flask, staff: Staff
) -> None:
    """25 ordinary requests, older ones first; the crisis request, made last, comes first."""
    for n in range(1, 25):
        add(console, n, timedelta(hours=30 - n), f"+3161000{n:04d}")
    ask_callback(console, "CA" + "c" * 32, "+31699999999", path="j")  # after the crisis advice
    add(console, 26, timedelta(days=3), "+31620000000")  # the oldest of all
    found = items(staff.page())
    assert [(nr, classes) for nr, classes, _ in found[:3]] == [
        (25, "item urgent"),
        (26, "item"),
        (1, "item"),
    ]
    assert len(found) == 26
    assert [nr for nr, _, _ in found[3:]] == list(range(2, 25))
    assert found[0][2] == (
        "Spoed — na het advies “Hulp in een crisis” Bel 06 99 99 99 99 net gevraagd "
        "Nog niemand belt Verzoek 25 gevraagd zo 22 nov 22:00 "
        "Vroeg om terugbellen na het advies “Hulp in een crisis” "
        "Wilde praten met De helpdesk van Markant "
        "Nummer het nummer waarmee de beller belde Pogingen nog niet gebeld "
        "Antwoorden Heeft uw naaste vandaag nog hulp nodig om veilig te zijn? Ja. "
        "Ik bel Notitie Opslaan"
    )
    assert "Spoed" not in "".join(body for _, _, body in found[1:])


def test_each_request_says_why_since_when_and_where_its_number_came_from(
    console: Flask, staff: Staff
) -> None:
    ago = timedelta(days=1, hours=5, minutes=55)  # yesterday 16:05
    for n, typed in enumerate((True, False, None), 1):  # None: stored before schema 7
        add(console, n, ago - timedelta(minutes=n), f"+3161111111{n}", typed=typed)
    found = items(staff.page())
    assert [body for _, _, body in found] == [
        f"Bel 06 11 11 11 1{n} wacht sinds gisteren 16:0{5 + n} Nog niemand belt "
        f"Verzoek {n} gevraagd za 21 nov 16:0{5 + n} "
        "Vroeg om terugbellen bij de vraag “Kan uw naaste thuis zorg ontvangen?” "
        f"Wilde praten met De helpdesk van Markant Nummer {said} Pogingen nog niet gebeld "
        "Antwoorden Antwoorden. Ik bel Notitie Opslaan"
        for n, said in (
            (1, "door de beller ingetoetst"),
            (2, "het nummer waarmee de beller belde"),
            (3, "onbekend"),
        )
    ]


def test_the_callers_language_shows_under_the_number_nothing_for_dutch(
    console: Flask, staff: Staff
) -> None:
    """What the helpdesk needs before calling back: in which language the caller asked."""
    add(console, 1, timedelta(hours=5), "+31611111111", language="en")
    add(console, 2, timedelta(hours=4), "+31622222222")
    add(console, 3, timedelta(hours=3), "+31611111111")  # the same caller again, in Dutch
    add(console, 4, timedelta(hours=2), "+31633333333", language="tr")
    add(console, 5, timedelta(hours=1), "+31633333333", language="ary")  # one number, two
    found = [(n, body.split(" wacht ")[0]) for n, _, body in items(staff.page())]
    assert found == [
        (1, "Bel 06 11 11 11 11 De beller koos Engels"),
        (2, "Bel 06 22 22 22 22"),
        (4, "Bel 06 33 33 33 33 De beller koos Turks en Marokkaans-Arabisch"),
    ]
    history = staff.client.get("/staff/callbacks.csv").get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(history.removeprefix("\ufeff")), delimiter=";"))
    assert [row[7] for row in rows] == ["language", "en", "nl", "nl", "tr", "ary"]


NOW = datetime(2026, 11, 23, 10, 0, tzinfo=AMSTERDAM)  # a Monday morning


@pytest.mark.parametrize(
    ("asked", "said"),
    [
        pytest.param(NOW - timedelta(seconds=30), "net gevraagd", id="just-now"),
        pytest.param(NOW - timedelta(minutes=1), "wacht 1 minuut", id="a-minute"),
        pytest.param(NOW - timedelta(minutes=59), "wacht 59 minuten", id="minutes"),
        pytest.param(NOW - timedelta(hours=3, minutes=59), "wacht 3 uur", id="hours-today"),
        pytest.param(
            NOW - timedelta(minutes=15 * 60 + 55), "wacht sinds gisteren 18:05", id="yesterday"
        ),
        pytest.param(NOW - timedelta(days=3), "wacht 3 dagen, sinds vr 20 nov 10:00", id="days"),
    ],
)
def test_how_long_a_caller_waits_in_plain_dutch(asked: datetime, said: str) -> None:
    assert waited(asked, NOW) == said


def test_one_number_is_one_item_and_its_buttons_act_on_all_its_requests(
    console: Flask, staff: Staff, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    first = add(console, 1, timedelta(hours=5), "+31611111111")
    other = add(console, 2, timedelta(hours=4), "+31622222222")
    staff.act(first, "note", note="voicemail ingesproken")
    add(console, 3, timedelta(hours=2), "+31611111111", reached=CRISIS, typed=True)
    add(console, 4, timedelta(minutes=10), "+31611111111")
    found = items(staff.page())
    assert [(nr, classes) for nr, classes, _ in found] == [(first, "item urgent"), (other, "item")]
    assert found[0][2] == (
        "Spoed — na het advies “Hulp in een crisis” (verzoek 3) Bel 06 11 11 11 11 "
        "wacht 5 uur Nog niemand belt "
        "3 open verzoeken van dit nummer, het oudste eerst. Wat u hieronder klikt, geldt voor "
        "alle 3. "
        "Verzoek 1 gevraagd zo 22 nov 17:00 Vroeg om terugbellen bij de vraag “Kan uw naaste "
        "thuis zorg ontvangen?” Wilde praten met De helpdesk van Markant "
        "Nummer het nummer waarmee de beller belde Pogingen nog niet gebeld Antwoorden Antwoorden. "
        "Verzoek 3 gevraagd zo 22 nov 20:00 Vroeg om terugbellen na het advies “Hulp in een "
        "crisis” Wilde praten met De helpdesk van Markant Nummer door de beller ingetoetst "
        "Pogingen nog niet gebeld Antwoorden Antwoorden. "
        "Verzoek 4 gevraagd zo 22 nov 21:50 Vroeg om terugbellen bij de vraag “Kan uw naaste "
        "thuis zorg ontvangen?” Wilde praten met De helpdesk van Markant "
        "Nummer het nummer waarmee de beller belde Pogingen nog niet gebeld Antwoorden Antwoorden. "
        "zo 22 nov 22:00 anna : notitie — “voicemail ingesproken” (verzoek 1) "
        "Ik bel Notitie Opslaan"
    )

    claimed = staff.act(first, "claim").get_data(as_text=True)
    assert flashes(claimed) == ["Verzoeken 1, 3 en 4 staan op uw naam. U belt."]
    assert '<p class="state mine">U belt dit nummer</p>' in claimed
    assert "zo 22 nov 22:00 anna : ging bellen Gebeld" in items(claimed)[0][2]  # once, for all
    attempt = staff.act(first, "not_reached").get_data(as_text=True)
    assert flashes(attempt) == [
        "Niet bereikt genoteerd bij verzoeken 1, 3 en 4 (verzoek 1: poging 1 van 3, blijft open; "
        "verzoek 3: poging 1 van 3, blijft open; verzoek 4: poging 1 van 3, blijft open)."
    ]
    staff.act(first, "claim")
    done = staff.act(first, "done").get_data(as_text=True)
    assert flashes(done) == ["Verzoeken 1, 3 en 4 zijn afgehandeld. Dank u wel."]
    assert [nr for nr, _, _ in items(done)] == [other]
    assert [nr for nr, _, _ in items(staff.page("/staff/callbacks/history"))] == [4, 3, 1]

    export = staff.client.get("/staff/callbacks.csv").get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(export.removeprefix("\ufeff")), delimiter=";"))
    assert [(row[0], row[1]) for row in rows[1:]] == [
        ("1", "done"),
        ("2", "open"),
        ("3", "done"),
        ("4", "done"),
    ]
    assert [row[-1] for row in rows[1:]] == [
        "zo 22 nov 22:00 anna: voicemail ingesproken",
        "",
        "",
        "",
    ]
    assert "611111111" not in caplog.text  # the number: on the page only, never in a log


NEW_REQUEST = (
    "Niet opgeslagen: dit nummer vroeg intussen opnieuw om terugbellen. Lees het nieuwe verzoek "
    "hieronder en klik dan opnieuw."
)


@pytest.mark.parametrize(
    ("action", "then"),
    [
        pytest.param("done", "Verzoeken 1 en 2 zijn afgehandeld. Dank u wel.", id="helped"),
        pytest.param(
            "not_reached",
            "Niet bereikt genoteerd bij verzoeken 1 en 2 (verzoek 1: poging 1 van 1, gesloten "
            "als niet bereikt; verzoek 2: poging 1 van 1, gesloten als niet bereikt).",
            id="last-attempt",
        ),
    ],
)
def test_a_number_that_asked_again_meanwhile_is_not_closed_unseen(
    make_app: Callable[..., Flask], action: str, then: str
) -> None:
    """A crisis request from the number that came in after the page was drawn is not closed
    by a click on the older one ('Gebeld — geholpen', or 'Niet bereikt' at the last attempt):
    the worker reads it first, then the next click closes both."""
    console = make_app(CALLBACK_MAX_ATTEMPTS="1")
    add_account(console, STAFF)
    staff = Staff(console.test_client())
    staff.log_in()
    first = add(console, 1, timedelta(hours=5), "+31611111111")
    page = staff.act(first, "claim").get_data(as_text=True)
    assert re.findall(r'name="seen" value="([^"]*)"', page) == [str(first)] * 2
    token = staff.csrf("/staff/callbacks")
    crisis = add(console, 2, timedelta(0), "+31611111111", reached=CRISIS)
    form = {"csrf_token": token, "seen": str(first)}
    url = f"/staff/callbacks/{first}/{action}"
    page = staff.client.post(url, data=form, follow_redirects=True).get_data(as_text=True)
    assert flashes(page) == [NEW_REQUEST]
    assert [(nr, classes) for nr, classes, _ in items(page)] == [(first, "item urgent claimed")]
    seen = re.findall(r'name="seen" value="([^"]*)"', page)
    assert seen == [f"{first} {crisis}"] * 2
    done = staff.client.post(url, data=form | {"seen": seen[0]}, follow_redirects=True)
    assert flashes(done.get_data(as_text=True)) == [then]


def test_a_colleagues_claim_on_a_number_shows_and_refuses(console: Flask, staff: Staff) -> None:
    first = add(console, 1, timedelta(hours=5), "+31611111111")
    ben = Staff(console.test_client())
    ben.log_in(COLLEAGUE)
    ben.act(first, "claim")
    add(console, 2, timedelta(minutes=5), "+31611111111")  # asked again meanwhile
    page = staff.act(first, "claim").get_data(as_text=True)
    assert flashes(page) == ["Verzoek 1 wordt al gebeld door ben. Neem het over als dat nodig is."]
    assert '<p class="state other">ben belt (sinds zo 22 nov 22:00)</p>' in page
    assert 'data-action="take_over">Overnemen</button>' in page
    taken = staff.act(first, "take_over").get_data(as_text=True)
    assert flashes(taken) == ["Verzoeken 1 en 2 staan nu op uw naam."]


FILTERS = [
    ("", [1, 2, 3, 4], None),
    ("1u", [1, 2, 3], "3 van 4 nummers wachten langer dan 1 uur."),
    ("4u", [1, 2], "2 van 4 nummers wachten langer dan 4 uur."),
    ("1d", [1], "1 van 4 nummer wacht langer dan 1 dag."),
    ("2d", [], "0 van 4 nummers wachten langer dan 2 dagen."),
    ("3j", [1, 2, 3, 4], None),  # not one of the choices: all
]


def test_the_filter_shows_the_numbers_that_wait_longer(console: Flask, staff: Staff) -> None:
    waits = (timedelta(days=1, hours=1), timedelta(hours=5), timedelta(hours=2), timedelta(0))
    for n, ago in enumerate(waits, 1):
        add(console, n, ago + timedelta(minutes=30), f"+3161111111{n}")
    for wait, shown, said in FILTERS:
        page = staff.page(f"/staff/callbacks?wacht={wait}")
        assert [nr for nr, _, _ in items(page)] == shown, wait
        status = re.findall(r'<p class="filtered" role="status">(.*?)</p>', page)
        expected = [f"{said} Toon alle open verzoeken"] if said else []
        assert [text(found) for found in status] == expected, wait
        selected = re.findall(r'<option value="(\w*)" selected>', page)
        assert selected == [wait if said else ""], wait
        assert "(4) Terugbelverzoeken" in page  # the tab counts every open request
    token = staff.csrf("/staff/callbacks")
    claimed = staff.client.post(
        "/staff/callbacks/1/claim", data={"csrf_token": token, "wacht": "4u"}
    )
    assert claimed.headers["Location"] == "/staff/callbacks?wacht=4u#verzoek-1"  # kept
    # every form of the two items shown: claimed (3 buttons and the note), free (1 and the note)
    assert staff.page("/staff/callbacks?wacht=4u").count('name="wacht" value="4u"') == 6


def work_item(n: int, phone: str, asked: datetime, reached: str = QUESTION) -> WorkItem:
    return WorkItem(n, asked, phone, "markant", reached, "Antwoorden.")


def test_urgent_numbers_are_ordered_by_their_first_urgent_request() -> None:
    """A number that asked long ago and reached the crisis advice only now waits behind one
    whose crisis request is older; the ordinary ones follow, the longest waiting first."""
    reasons = Reasons(frozenset({CRISIS}), frozenset({CRISIS}))
    hour = timedelta(hours=1)
    found = triage(
        [
            work_item(1, "+31611111111", NOW - 9 * hour),
            work_item(2, "+31622222222", NOW - 8 * hour),
            work_item(3, "+31611111111", NOW - 1 * hour, CRISIS),
            work_item(4, "+31633333333", NOW - 2 * hour, CRISIS),
            work_item(5, "+31644444444", NOW - 10 * hour),
        ],
        reasons,
        NOW,
    )
    assert [(w.ids, w.urgent) for w in found] == [
        ((4,), True),
        ((1, 3), True),
        ((5,), False),
        ((2,), False),
    ]
    assert [w.ids for w in triage([work_item(1, "+316", NOW - hour)], reasons, NOW, hour)] == []


@pytest.mark.parametrize(
    ("asked_at", "reached", "urgent", "after_advice"),
    [
        pytest.param(AskedAt.URGENT_ADVICE, "Een oude titel", True, True, id="urgent-renamed"),
        pytest.param(AskedAt.ADVICE, "Een oude titel", False, True, id="advice-renamed"),
        pytest.param(AskedAt.QUESTION, CRISIS, False, False, id="question-like-a-title"),
        pytest.param(None, CRISIS, True, True, id="before-schema-7-by-title"),
        pytest.param(None, "Een oude titel", False, False, id="before-schema-7-unknown"),
    ],
)
def test_why_a_caller_asked_is_kept_with_the_request_not_read_from_todays_titles(
    asked_at: AskedAt | None, reached: str, urgent: bool, after_advice: bool
) -> None:
    """An advice's title edited after the request was made: the request stays 'Spoed' and
    'na het advies'. Only requests stored before schema 7 are matched by today's titles."""
    reasons = Reasons(frozenset({CRISIS}), frozenset({CRISIS}))
    item = replace(work_item(1, "+31611111111", NOW), reached=reached, asked_at=asked_at)
    assert (reasons.urgent_item(item), reasons.after_advice(item)) == (urgent, after_advice)


@pytest.mark.parametrize(
    ("path", "asked_at"),
    [
        pytest.param("j", AskedAt.URGENT_ADVICE, id="crisis-advice"),
        pytest.param("nj", AskedAt.QUESTION, id="question"),
    ],
)
def test_a_call_keeps_where_the_caller_asked(
    console: Flask, staff: Staff, path: str, asked_at: AskedAt
) -> None:
    ask_callback(console, path=path)
    [kept] = console.extensions["ivr_staff"].worklist.open_items()
    assert kept.asked_at is asked_at
