"""Sessions that end, and nothing lost when they do (issue 22): logging out, a new password or
removing the account ends every copy of the session cookie at once; a session ends a working
day after its login however much it is used; a click on the worklist after the session ended is
never lost and never replayed by itself: the login page says it was not saved, and after
logging in the worklist shows what it was, with one button to save it after all."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import select

from ivr.core.callback_request import CallbackRequest
from ivr.storage.staff_sessions import WORKDAY, token_hash
from ivr.storage.tables import staff_sessions
from tests.support.clock import OPEN_TIME, Clock
from tests.support.staff import COLLEAGUE, STAFF, Staff, add_account

BANNER = re.compile(r'<section class="banner unsaved" role="alert">(.*?)</section>', re.S)
FORM = re.compile(
    r'<form method="post" action="([^"]+)">\s*<input type="hidden" name="csrf_token" value="([^"]+)">\s*<input type="hidden" name="note" value="([^"]*)">'
)


@pytest.fixture
def anna(console: Flask) -> Staff:
    request = CallbackRequest("k", "+31612345678", "Dagbesteding", "Ja.", "markant", OPEN_TIME)
    assert console.extensions["ivr_store"].add(request) == 1
    member = Staff(console.test_client())
    assert member.log_in().status_code == 302
    return member


def _text(page: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", page)).split())


@pytest.mark.parametrize(
    ("action", "note", "said", "saved"),
    [
        pytest.param(
            "note",
            "voicemail ingesproken",
            "U was uitgelogd. Daarom is dit niet opgeslagen: Notitie opslaan bij verzoek 1, met "
            "de notitie “voicemail ingesproken”. Alsnog opslaan Hoeft het niet meer? Dan hoeft "
            "u niets te doen.",
            "notitie — “voicemail ingesproken”",
            id="note",
        ),
        pytest.param(
            "claim",
            "",
            "U was uitgelogd. Daarom is dit niet opgeslagen: Ik bel bij verzoek 1. Alsnog "
            "opslaan Hoeft het niet meer? Dan hoeft u niets te doen.",
            "anna: ging bellen",
            id="claim",
        ),
    ],
)
def test_a_click_after_the_session_ended_is_shown_and_saved_with_one_click(
    anna: Staff, action: str, note: str, said: str, saved: str
) -> None:
    token = anna.csrf("/staff/callbacks")
    assert anna.client.post("/staff/logout", data={"csrf_token": token}).status_code == 302
    late = anna.client.post(
        f"/staff/callbacks/1/{action}", data={"csrf_token": token, "note": note}
    )
    assert late.status_code == 302
    assert late.headers["Location"] == "/staff/login?next=/staff/callbacks"
    assert "Uw laatste klik is nog niet opgeslagen. Log in, dan ziet u wat het was." in _text(
        anna.page("/staff/login")
    )

    assert anna.log_in().headers["Location"] == "/staff/callbacks"
    page = anna.page()
    [banner] = BANNER.findall(page)
    assert _text(banner) == said
    assert saved not in _text(page)  # not done by itself

    [(target, fresh, kept_note)] = FORM.findall(banner)
    assert (target, html.unescape(kept_note)) == (f"/staff/callbacks/1/{action}", note)
    done = anna.client.post(
        target, data={"csrf_token": fresh, "note": html.unescape(kept_note)}, follow_redirects=True
    )
    assert saved in _text(done.get_data(as_text=True))
    assert not BANNER.findall(anna.page())  # said once


@pytest.mark.parametrize(
    "headers",
    [
        pytest.param({"Sec-Fetch-Site": "cross-site"}, id="cross-site"),
        pytest.param({"Sec-Fetch-Site": "same-site"}, id="same-site"),
        pytest.param({"Origin": "https://elders.example"}, id="origin-elsewhere"),
        pytest.param({"Origin": "null"}, id="origin-null"),
    ],
)
def test_a_form_on_another_site_leaves_no_click_and_logs_nobody_out(
    console: Flask, anna: Staff, headers: dict[str, str]
) -> None:  # anna: request 1 exists
    """The session cookie (SameSite=Lax) does not come with another site's form: the console
    cannot tell it from a click after the session ended, but the browser says where it came
    from."""
    stranger = console.test_client()  # the worker's browser, as the other site's form reaches it
    sent = stranger.post("/staff/callbacks/1/done", data={"note": "gebeld"}, headers=headers)
    assert (sent.status_code, sent.headers.getlist("Set-Cookie")) == (302, [])
    assert "Uw laatste klik" not in _text(Staff(stranger).page("/staff/login"))


def test_a_click_from_the_console_itself_is_kept(console: Flask, anna: Staff) -> None:
    token = anna.csrf("/staff/callbacks")
    anna.client.post("/staff/logout", data={"csrf_token": token})
    same = {"Sec-Fetch-Site": "same-origin", "Origin": "http://localhost"}
    anna.client.post("/staff/callbacks/1/claim", data={"csrf_token": token}, headers=same)
    anna.log_in()
    assert len(BANNER.findall(anna.page())) == 1


def test_an_unsaved_close_keeps_the_requests_its_page_showed(anna: Staff) -> None:
    """Saved after all, it is refused if the number asked again since (test_worklist_triage)."""
    token = anna.csrf("/staff/callbacks")
    anna.client.post("/staff/logout", data={"csrf_token": token})
    anna.client.post("/staff/callbacks/1/done", data={"csrf_token": token, "seen": "1 x 3"})
    anna.log_in()
    [banner] = BANNER.findall(anna.page())
    assert '<input type="hidden" name="seen" value="1 3">' in banner


def test_refreshing_lets_an_unsaved_click_go(anna: Staff) -> None:
    token = anna.csrf("/staff/callbacks")
    anna.client.post("/staff/logout", data={"csrf_token": token})
    anna.client.post("/staff/callbacks/1/claim", data={"csrf_token": token})
    anna.log_in()
    assert len(BANNER.findall(anna.page())) == 1
    page = anna.page()
    assert not BANNER.findall(page)
    assert "ging bellen" not in _text(page)


def test_a_session_ends_a_working_day_after_its_login_however_much_it_is_used(
    console: Flask, clock: Clock
) -> None:
    """A copied cookie does not stay valid by being used: 12 hours after the login, the next
    click goes to the login page."""
    member = Staff(console.test_client())
    assert member.log_in().status_code == 302
    login = clock.now
    for hours in (1, 6, 11, 12):
        clock.now = login + timedelta(hours=hours)
        assert member.client.get("/staff/callbacks").status_code == 200, hours
    clock.now = login + WORKDAY + timedelta(seconds=1)
    late = member.client.get("/staff/callbacks")
    assert (late.status_code, late.headers["Location"]) == (
        302,
        "/staff/login?next=/staff/callbacks",
    )
    assert member.log_in().status_code == 302  # a new login starts a new working day
    assert member.client.get("/staff/callbacks").status_code == 200


def _copy(member: Staff, console: Flask) -> Staff:
    """Another browser holding a copy of ``member``'s session cookie."""
    cookie = member.client.get_cookie("ivr_staff")
    assert cookie is not None
    thief = Staff(console.test_client())
    thief.client.set_cookie("ivr_staff", cookie.value)
    return thief


@pytest.mark.parametrize(
    ("method", "path"),
    [
        pytest.param("GET", "/staff/callbacks", id="worklist"),
        pytest.param("GET", "/staff/callbacks.csv", id="csv-with-every-number"),
        pytest.param("GET", "/staff/stats", id="figures"),
        pytest.param("POST", "/staff/callbacks/1/note", id="note"),
    ],
)
def test_logging_out_ends_every_copy_of_the_session(
    console: Flask, anna: Staff, method: str, path: str
) -> None:
    thief = _copy(anna, console)
    token = thief.csrf("/staff/callbacks")  # the copy works while the session lasts
    form = {"csrf_token": token, "note": "overgenomen"} if method == "POST" else None
    out = anna.client.post("/staff/logout", data={"csrf_token": anna.csrf("/staff/callbacks")})
    assert (out.status_code, out.headers["Location"]) == (302, "/staff/login?out=1")
    refused = thief.client.open(path, method=method, data=form)
    assert (refused.status_code, refused.headers["Location"].split("?")[0]) == (
        302,
        "/staff/login",
    )
    assert anna.log_in().status_code == 302
    assert "overgenomen" not in anna.page("/staff/callbacks")  # nothing saved


def test_logging_in_again_ends_the_session_the_browser_held(console: Flask, anna: Staff) -> None:
    thief = _copy(anna, console)
    again = anna.client.post(  # the login form posted again in the same browser (another tab)
        "/staff/login",
        data={
            "username": STAFF[0],
            "password": STAFF[1],
            "csrf_token": anna.csrf("/staff/callbacks"),
        },
    )
    assert again.status_code == 302
    assert [m.client.get("/staff/callbacks").status_code for m in (anna, thief)] == [200, 302]


@pytest.mark.parametrize(
    "end",
    [
        pytest.param(lambda c: add_account(c, ("anna", "een-heel-nieuw-wachtwoord")), id="new-pw"),
        pytest.param(lambda c: c.extensions["ivr_staff"].accounts.remove("anna"), id="removed"),
    ],
)
def test_a_new_password_or_removal_ends_every_copy(
    console: Flask, anna: Staff, end: Callable[[Flask], object]
) -> None:
    thief = _copy(anna, console)
    assert thief.client.get("/staff/callbacks").status_code == 200
    end(console)
    assert [m.client.get("/staff/callbacks").status_code for m in (anna, thief)] == [302, 302]


def test_only_a_hash_of_the_session_token_is_stored(console: Flask, anna: Staff) -> None:
    cookie = anna.client.get_cookie("ivr_staff")
    assert cookie is not None
    token = console.session_interface.get_signing_serializer(console).loads(cookie.value)["token"]
    with console.extensions["ivr_database"].engine.connect() as conn:
        rows = conn.execute(select(staff_sessions)).all()
    assert [(row.token_hash, row.username) for row in rows] == [(token_hash(token), "anna")]
    assert token not in token_hash(token)


def test_old_sessions_are_deleted(console: Flask, anna: Staff, clock: Clock) -> None:
    sessions = console.extensions["ivr_staff"].sessions
    assert sessions.forget_old(clock.now + WORKDAY) == 0  # still valid at the very end
    assert sessions.forget_old(clock.now + WORKDAY + timedelta(seconds=1)) == 1
    assert anna.client.get("/staff/callbacks").status_code == 302


def test_a_kept_click_goes_only_to_the_worker_who_made_it(console: Flask, anna: Staff) -> None:
    """On a shared computer: anna's click after her session ended is not shown to ben, who logs
    in next on that browser, so he cannot save it under his name."""
    token = anna.csrf("/staff/callbacks")
    assert anna.client.post("/staff/logout", data={"csrf_token": token}).status_code == 302
    late = anna.client.post("/staff/callbacks/1/note", data={"csrf_token": token, "note": "x"})
    assert late.headers["Location"] == "/staff/login?next=/staff/callbacks"
    assert anna.log_in(COLLEAGUE).headers["Location"] == "/staff/callbacks"
    assert not BANNER.findall(anna.page())
    token = anna.csrf("/staff/callbacks")
    assert anna.client.post("/staff/logout", data={"csrf_token": token}).status_code == 302
    assert anna.log_in().status_code == 302
    assert not BANNER.findall(anna.page())  # gone: it was dropped unseen, never replayed
