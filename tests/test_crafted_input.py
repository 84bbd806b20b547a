"""Crafted values that gave a 5xx get a friendly answer: the page, a redirect or a Dutch message
(tests/test_fuzz_input.py looks for others on every route)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask

from ivr.storage.worklist import LARGEST_ID
from tests.support.calls import ask_callback
from tests.support.staff import STAFF, Staff, add_account

CRAFTED_NEXT = {
    "line-break": "/staff/stats\r\nSet-Cookie: a=b",
    "line-separator": "/staff/stats\u2028x",
    "non-ascii": "/staff/stats?é",
    "backslash": "/staff/\\evil.example",
}


@pytest.mark.parametrize("wanted", CRAFTED_NEXT.values(), ids=CRAFTED_NEXT.keys())
def test_a_crafted_login_link_opens_the_worklist(console: Flask, wanted: str) -> None:
    member = Staff(console.test_client())
    done = member.log_in(next_page=wanted)
    assert (done.status_code, done.headers["Location"]) == (302, "/staff/callbacks")
    again = member.client.get("/staff/login", query_string={"next": wanted})  # logged in
    assert (again.status_code, again.headers["Location"]) == (302, "/staff/callbacks")


@pytest.mark.parametrize(
    "days",
    ["²", "٣", "\uff11", "7²", "-1", "99999999999999999999"],
    ids=["superscript-two", "arabic-three", "fullwidth-one", "seven-squared", "minus-one", "huge"],
)
def test_a_crafted_period_shows_the_last_30_days(staff: Staff, days: str) -> None:
    page = staff.page(f"/staff/stats?dagen={days}&van=x")
    assert "Die periode klopt niet. U ziet nu de laatste 30 dagen." in page


def test_a_request_id_beyond_any_request_is_not_found(console: Flask, staff: Staff) -> None:
    token = staff.csrf("/staff/callbacks")
    beyond = staff.client.post(
        f"/staff/callbacks/{LARGEST_ID + 1}/claim", data={"csrf_token": token}
    )
    assert beyond.status_code == 404
    largest = staff.act(LARGEST_ID, "claim").get_data(as_text=True)
    assert f"Verzoek {LARGEST_ID} bestaat niet (meer)." in largest


def test_control_characters_in_a_note_and_a_name_are_refused_or_dropped(
    make_app: Callable[..., Flask], upgraded_url: str
) -> None:
    """On PostgreSQL, which cannot store NUL, as on SQLite."""
    app = make_app(DATABASE_URL=upgraded_url)
    add_account(app, STAFF)
    member = Staff(app.test_client())
    refused = member.log_in(("anna\x00", STAFF[1]))
    assert refused.status_code == 401
    assert "De gebruikersnaam of het wachtwoord klopt niet." in refused.get_data(as_text=True)
    assert member.log_in().status_code == 302
    ask_callback(app)
    html = member.act(1, "note", note="Voicemail\x00\x1b ingesproken").get_data(as_text=True)
    assert "Notitie bij verzoek 1 opgeslagen." in html
    assert "“Voicemail ingesproken”" in html


def test_a_web_phone_state_not_in_utf8_is_refused(staff: Staff) -> None:
    token = staff.csrf("/staff/callbacks")
    answer = staff.client.post(
        "/phone/api/key",
        data=b'{"state": "\\udcff", "key": "1"}',
        content_type="application/json",
        headers={"X-CSRFToken": token},
    )
    assert answer.status_code == 400
    assert answer.get_json() == {"error": "the call's state is missing or was changed"}
