"""The staff console in Flask's test client: login, the worklist, its actions, the export."""

from __future__ import annotations

import csv
import io
import logging
import re
from collections.abc import Callable

import pytest
from flask import Flask
from sqlalchemy import insert
from werkzeug.security import generate_password_hash

from ivr.core.errors import ConfigError, StorageError
from ivr.core.login_throttle import Scope
from ivr.storage.tables import staff_accounts
from ivr.storage.worklist import Worklist
from tests.support.calls import ask_callback
from tests.support.clock import CLOSED_TIME, Clock
from tests.support.staff import COLLEAGUE, STAFF, Staff, add_account
from tests.support.threads import at_once

STAFF_URLS = [
    pytest.param("GET", "/staff/", id="home"),
    pytest.param("GET", "/staff/callbacks", id="worklist"),
    pytest.param("GET", "/staff/callbacks/history", id="history"),
    pytest.param("GET", "/staff/callbacks.csv", id="export"),
    pytest.param("POST", "/staff/callbacks/1/claim", id="claim"),
    pytest.param("POST", "/staff/callbacks/1/done", id="done"),
    pytest.param("POST", "/staff/callbacks/1/note", id="note"),
    pytest.param("POST", "/staff/callbacks/1/take_over", id="take-over"),
    pytest.param("POST", "/staff/callbacks/1/release", id="release"),
    pytest.param("POST", "/staff/callbacks/1/not_reached", id="not-reached"),
    pytest.param("POST", "/staff/callbacks/1/reopen", id="reopen"),
    pytest.param("HEAD", "/staff/callbacks", id="head"),
    pytest.param("POST", "/staff/logout", id="logout"),
]


def title(html: str) -> str:
    found = re.search(r"<title>(.*?)</title>", html)
    assert found
    return found.group(1)


def flashes(html: str) -> list[str]:
    return re.findall(r'<p class="flash \w+" role="status">(.*?)</p>', html)


@pytest.mark.parametrize(("method", "url"), STAFF_URLS)
def test_every_staff_url_needs_a_login(console: Flask, method: str, url: str) -> None:
    ask_callback(console)
    member = Staff(console.test_client())
    token = member.csrf()  # a valid token does not replace a login
    response = member.client.open(url, method=method, data={"csrf_token": token})
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/staff/login?next=")
    assert "+316" not in response.get_data(as_text=True)


def test_the_login_page_has_the_two_fields_and_a_csrf_token(console: Flask) -> None:
    html = Staff(console.test_client()).page("/staff/login")
    assert 'name="username"' in html and 'name="password"' in html
    assert re.search(r'name="csrf_token" value="[^"]{20,}"', html)
    assert title(html) == "Inloggen — Mantelzorglijn"


def test_login_opens_the_worklist_and_logout_ends_it(console: Flask) -> None:
    member = Staff(console.test_client())
    response = member.log_in()
    assert (response.status_code, response.headers["Location"]) == (302, "/staff/callbacks")
    assert "Ingelogd als <strong>anna</strong>" in member.page()
    token = member.csrf("/staff/callbacks")
    out = member.client.post("/staff/logout", data={"csrf_token": token})
    assert out.headers["Location"] == "/staff/login?out=1"
    assert member.client.get("/staff/callbacks").status_code == 302


def test_after_login_the_page_asked_for_opens(console: Flask) -> None:
    member = Staff(console.test_client())
    first = member.client.get("/staff/callbacks/history")
    assert first.headers["Location"] == "/staff/login?next=/staff/callbacks/history"
    token = member.csrf(first.headers["Location"])
    done = member.client.post(
        first.headers["Location"],
        data={"username": STAFF[0], "password": STAFF[1], "csrf_token": token},
    )
    assert done.headers["Location"] == "/staff/callbacks/history"


@pytest.mark.parametrize(
    "wanted",
    ["https://evil.example/", "//evil.example/staff/", "/staff//evil.example", "/voice"],
    ids=["other-site", "scheme-relative", "double-slash", "not-the-console"],
)
def test_after_login_never_another_site(console: Flask, wanted: str) -> None:
    done = Staff(console.test_client()).log_in(next_page=wanted)
    assert done.headers["Location"] == "/staff/callbacks"


@pytest.mark.parametrize(
    "user",
    [("anna", "wrong-password-123"), ("nobody", "anna-haar-wachtwoord")],
    ids=["wrong-password", "unknown-user"],
)
def test_a_failed_login_never_says_whether_the_user_exists(
    console: Flask, user: tuple[str, str], caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO):
        response = Staff(console.test_client()).log_in(user)
    html = response.get_data(as_text=True)
    assert response.status_code == 401
    assert "De gebruikersnaam of het wachtwoord klopt niet. Probeer het opnieuw." in html
    assert user[1] not in caplog.text
    shown = "'anna'" if user[0] == "anna" else "an unknown name"
    assert f"staff login failed (account {shown})" in caplog.text


def test_repeated_failures_pause_that_account_from_that_address(
    console: Flask, clock: Clock
) -> None:
    member = Staff(console.test_client())
    for _ in range(Scope.PAIR.limit):
        assert member.log_in((STAFF[0], "not-the-password")).status_code == 401
    paused = member.log_in(STAFF)  # even the right password waits
    assert paused.status_code == 429
    assert (
        "Te veel mislukte pogingen. Wacht 5 minuten en probeer het dan opnieuw."
        in paused.get_data(as_text=True)
    )
    assert member.log_in(COLLEAGUE).status_code == 302  # a colleague at the same desk
    clock.now = CLOSED_TIME.replace(minute=6)
    assert Staff(console.test_client()).log_in(STAFF).status_code == 302


def test_nobody_locks_a_colleague_out_from_elsewhere(console: Flask) -> None:
    """A guesser spread over many addresses: slowed down, but anna's own desk keeps working."""
    anna = Staff(console.test_client())
    assert anna.log_in(address="192.0.2.10").status_code == 302
    guesser = Staff(console.test_client())
    answers = [
        guesser.log_in((STAFF[0], f"guess-number-{n}"), address=f"198.51.100.{n}").status_code
        for n in range(Scope.ACCOUNT.limit + 1)
    ]
    assert answers == [401] * Scope.ACCOUNT.limit + [429]
    assert Staff(console.test_client()).log_in(address="192.0.2.10").status_code == 302
    assert Staff(console.test_client()).log_in(address="203.0.113.5").status_code == 429


def test_colleagues_behind_one_office_address_do_not_lock_each_other_out(
    console: Flask,
) -> None:
    colleagues = [(f"collega{n}", f"{n}-groene-kopjes-thee") for n in range(6)]
    for user in colleagues:
        add_account(console, user)
    for name, password in colleagues:
        desk = Staff(console.test_client())
        assert desk.log_in((name, password + "x")).status_code == 401  # a typo
        assert desk.log_in((name, password)).status_code == 302


def test_one_address_trying_many_accounts_pauses(console: Flask) -> None:
    member = Staff(console.test_client())
    for n in range(Scope.ADDRESS.limit):
        assert member.log_in((f"guess{n}", "not-the-password")).status_code == 401
    assert member.log_in(COLLEAGUE).status_code == 429
    assert member.log_in(COLLEAGUE, address="198.51.100.7").status_code == 302


def test_a_flood_of_made_up_names_leaves_a_known_colleague_working(console: Flask) -> None:
    """Someone on the office network tries made-up names, again and again: a colleague who
    logged in from that address before still gets in; a new login from there waits."""
    assert Staff(console.test_client()).log_in(COLLEAGUE).status_code == 302
    flood = Staff(console.test_client())
    answers = [
        flood.log_in((f"verzonnen{n}", "niet-het-wachtwoord")).status_code
        for n in range(2 * Scope.ADDRESS.limit)
    ]
    assert answers == [401] * Scope.ADDRESS.limit + [429] * Scope.ADDRESS.limit
    assert Staff(console.test_client()).log_in(COLLEAGUE).status_code == 302
    assert Staff(console.test_client()).log_in().status_code == 429  # anna: never from here


def test_simultaneous_wrong_passwords_cannot_pass_the_limit(console: Flask) -> None:
    members = [Staff(console.test_client()) for _ in range(12)]
    tokens = [member.csrf() for member in members]

    def guess(n: int) -> int:
        return (
            members[n]
            .client.post(
                "/staff/login",
                data={"username": "anna", "password": f"guess-{n}", "csrf_token": tokens[n]},
                environ_base={"REMOTE_ADDR": "198.51.100.1"},
            )
            .status_code
        )

    answers = at_once([lambda n=n: guess(n) for n in range(12)])
    assert sorted(answers) == [401] * Scope.PAIR.limit + [429] * (12 - Scope.PAIR.limit)


@pytest.mark.parametrize(
    "form",
    [{}, {"csrf_token": "forged"}],
    ids=["missing-token", "wrong-token"],
)
@pytest.mark.parametrize(
    "url", ["/staff/login", "/staff/callbacks/1/claim", "/staff/logout"], ids=str
)
def test_forms_without_the_csrf_token_are_refused(
    console: Flask, staff: Staff, url: str, form: dict[str, str]
) -> None:
    ask_callback(console)
    response = staff.client.post(url, data={"username": "anna", "password": "x", **form})
    assert response.status_code == 400
    assert "Dit formulier is verlopen" in response.get_data(as_text=True)
    assert "U belt" not in staff.page()  # nothing was claimed


def test_session_cookie_flags(console: Flask) -> None:
    response = Staff(console.test_client()).log_in()
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("ivr_staff=")
    assert "; Secure" in cookie and "; HttpOnly" in cookie and "; SameSite=Lax" in cookie
    assert "Expires=" in cookie  # a working day of inactivity, then it ends
    assert console.permanent_session_lifetime.total_seconds() == 10 * 3600


def test_development_mode_cookies_work_over_plain_http(make_app: Callable[..., Flask]) -> None:
    dev = make_app(IVR_DEV_MODE="1", SECRET_KEY="")
    add_account(dev, STAFF)
    response = Staff(dev.test_client()).log_in()
    assert "; Secure" not in response.headers["Set-Cookie"]
    assert "Ontwikkelmodus" in Staff(dev.test_client()).page("/staff/login")


@pytest.mark.parametrize(
    ("secret", "problem"),
    [
        pytest.param("", "SECRET_KEY: is not set.", id="missing"),
        pytest.param("short", "SECRET_KEY: is too short", id="short"),
    ],
)
def test_the_line_refuses_to_start_without_a_good_secret_key(
    make_app: Callable[..., Flask], secret: str, problem: str
) -> None:
    with pytest.raises(ConfigError, match=f"^{problem}"):
        make_app(SECRET_KEY=secret)


def test_a_new_password_or_a_removed_account_ends_the_session(console: Flask, staff: Staff) -> None:
    add_account(console, (STAFF[0], "een-heel-nieuw-wachtwoord"))
    assert staff.client.get("/staff/callbacks").status_code == 302
    again = Staff(console.test_client())
    again.log_in(COLLEAGUE)
    console.extensions["ivr_staff"].accounts.remove(COLLEAGUE[0])
    assert again.client.get("/staff/callbacks").status_code == 302


def test_a_request_made_by_a_call_appears_with_number_and_summary(
    console: Flask, staff: Staff
) -> None:
    assert title(staff.page()) == "(0) Terugbelverzoeken — Mantelzorglijn"
    ask_callback(console)
    html = staff.page()
    assert title(html) == "(1) Terugbelverzoeken — Mantelzorglijn"
    assert '<a href="tel:+31612345678">06 12 34 56 78</a>' in html
    assert "<dd>De helpdesk van Markant</dd>" in html
    assert '<dd class="reason">bij de vraag “Kan uw naaste thuis zorg ontvangen?”</dd>' in html
    assert (
        "<dd>Heeft uw naaste vandaag nog hulp nodig om veilig te zijn? Nee. "
        "Valt u als mantelzorger weg, bijvoorbeeld door ziekte of een opname? Ja.</dd>"
    ) in html
    assert "gevraagd zo 22 nov 22:00" in html
    assert "Nog niemand belt" in html


def test_requests_are_listed_oldest_first(console: Flask, staff: Staff, clock: Clock) -> None:
    ask_callback(console, "CA" + "2" * 32, "+31622222222")
    clock.now = CLOSED_TIME.replace(hour=21)  # asked earlier, stored later
    ask_callback(console, "CA" + "1" * 32, "+31611111111")
    html = staff.page()
    assert html.index("06 11 11 11 11") < html.index("06 22 22 22 22")


def test_claim_done_and_the_history(console: Flask, staff: Staff) -> None:
    ask_callback(console)
    claimed = staff.act(1, "claim").get_data(as_text=True)
    assert flashes(claimed) == ["Verzoek 1 staat op uw naam. U belt."]
    assert "U belt dit verzoek" in claimed
    done = staff.act(1, "done").get_data(as_text=True)
    assert flashes(done) == ["Verzoek 1 is afgehandeld. Dank u wel."]
    assert title(done) == "(0) Terugbelverzoeken — Mantelzorglijn"
    history = staff.page("/staff/callbacks/history")
    assert "Gebeld — geholpen, door anna (zo 22 nov 22:00)" in history
    assert "<strong>anna</strong>: ging bellen" in history
    assert "<strong>anna</strong>: gebeld — geholpen" in history


def test_a_colleague_who_claims_second_is_told(console: Flask, staff: Staff) -> None:
    ask_callback(console)
    ben = Staff(console.test_client())
    ben.log_in(COLLEAGUE)
    staff.act(1, "claim")
    html = ben.act(1, "claim").get_data(as_text=True)
    assert flashes(html) == ["Verzoek 1 wordt al gebeld door anna. Neem het over als dat nodig is."]
    assert "anna belt (sinds zo 22 nov 22:00)" in html
    assert flashes(ben.act(1, "done").get_data(as_text=True)) == [
        "Verzoek 1 wordt al gebeld door anna. Neem het over als dat nodig is."
    ]
    assert flashes(ben.act(1, "take_over").get_data(as_text=True)) == [
        "Verzoek 1 staat nu op uw naam."
    ]


def test_attempts_close_the_request_as_unreached(console: Flask, staff: Staff) -> None:
    ask_callback(console)
    said = [flashes(staff.act(1, "not_reached").get_data(as_text=True)) for _ in range(3)]
    assert said == [
        ["Poging 1 van 3 genoteerd. Verzoek 1 blijft open."],
        ["Poging 2 van 3 genoteerd. Verzoek 1 blijft open."],
        ["Poging 3 van 3. Verzoek 1 is gesloten als niet bereikt."],
    ]
    history = staff.page("/staff/callbacks/history")
    assert "Niet bereikt na 3 pogingen — gesloten door anna" in history


def test_max_attempts_is_configurable(make_app: Callable[..., Flask], clock: Clock) -> None:
    clock.now = CLOSED_TIME
    app = make_app(CALLBACK_MAX_ATTEMPTS="1")
    add_account(app, STAFF)
    member = Staff(app.test_client())
    member.log_in()
    ask_callback(app)
    assert flashes(member.act(1, "not_reached").get_data(as_text=True)) == [
        "Poging 1 van 1. Verzoek 1 is gesloten als niet bereikt."
    ]


def test_a_note_is_kept_with_who_wrote_it(console: Flask, staff: Staff) -> None:
    ask_callback(console)
    html = staff.act(1, "note", note="  Voicemail\ningesproken  ").get_data(as_text=True)
    assert flashes(html) == ["Notitie bij verzoek 1 opgeslagen."]
    assert "<strong>anna</strong>: notitie — “Voicemail ingesproken”" in html
    assert flashes(staff.act(1, "note", note="   ").get_data(as_text=True)) == [
        "De notitie was leeg. Er is niets opgeslagen."
    ]


def test_unknown_requests_and_actions(console: Flask, staff: Staff) -> None:
    assert flashes(staff.act(99, "claim").get_data(as_text=True)) == [
        "Verzoek 99 bestaat niet (meer)."
    ]
    assert staff.act(1, "explode").status_code == 404


def test_the_csv_export_neutralises_formulas(console: Flask, staff: Staff) -> None:
    ask_callback(console)
    staff.act(1, "note", note='=HYPERLINK("http://evil")')
    staff.act(1, "claim")
    response = staff.client.get("/staff/callbacks.csv")
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="terugbelverzoeken-2026-11-22.csv"'
    )
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeffid;status;")  # Dutch Excel: a BOM, and ; between cells
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))
    assert rows[0] == [
        "id",
        "status",
        "requested_at",
        "phone",
        "service",
        "reached",
        "answers",
        "language",
        "attempts",
        "claimed_by",
        "closed_by",
        "closed_at",
        "notes",
    ]
    assert rows[1][:5] == ["1", "open", "2026-11-22T22:00:00+01:00", "'+31612345678", "markant"]
    assert rows[1][7] == "nl"  # language: the test call spoke Dutch
    assert rows[1][9] == "anna"  # claimed_by
    assert rows[1][-1] == 'zo 22 nov 22:00 anna: =HYPERLINK("http://evil")'
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


def test_staff_pages_are_not_cached_or_framed(staff: Staff) -> None:
    response = staff.client.get("/staff/callbacks")
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


def test_the_console_says_when_no_email_is_sent(staff: Staff) -> None:
    assert (
        "De lijn stuurt geen e-mail bij een nieuw verzoek. Kijk dus zelf regelmatig op deze pagina."
        in staff.page()
    )


def test_the_style_sheet_is_served_by_the_app(console: Flask) -> None:
    response = console.test_client().get("/staff/static/staff.css")
    try:
        assert response.status_code == 200
        assert response.content_type.startswith("text/css")
    finally:
        response.close()


def test_a_database_failure_shows_a_calm_page(
    staff: Staff, monkeypatch: pytest.MonkeyPatch
) -> None:
    def down(*_args: object) -> None:
        raise StorageError("cannot read the worklist (OperationalError); check DATABASE_URL")

    monkeypatch.setattr(Worklist, "open_items", down)
    response = staff.client.get("/staff/callbacks")
    assert response.status_code == 503
    html = response.get_data(as_text=True)
    assert "De werklijst is even niet bereikbaar" in html
    assert "OperationalError" not in html


def test_the_phone_number_is_never_logged(
    console: Flask, staff: Staff, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG):
        ask_callback(console)
        staff.page()
        staff.act(1, "claim")
        staff.client.get("/staff/callbacks.csv")
    assert "612345678" not in caplog.text


def test_a_click_after_the_session_ended_goes_to_the_login_page(
    console: Flask, staff: Staff
) -> None:
    ask_callback(console)
    token = staff.csrf("/staff/callbacks")
    staff.client.delete_cookie("ivr_staff")  # ten hours later, or the line restarted
    response = staff.client.post("/staff/callbacks/1/claim", data={"csrf_token": token})
    assert (response.status_code, response.headers["Location"]) == (
        302,
        "/staff/login?next=/staff/callbacks",
    )


def test_after_a_failed_action_try_again_leads_back_to_the_worklist(
    staff: Staff, monkeypatch: pytest.MonkeyPatch
) -> None:
    def down(*_args: object) -> None:
        raise StorageError("cannot record the action (OperationalError)")

    token = staff.csrf("/staff/callbacks")
    monkeypatch.setattr(Worklist, "claim", down)
    response = staff.client.post("/staff/callbacks/1/claim", data={"csrf_token": token})
    assert response.status_code == 503
    assert 'href="/staff/callbacks">Opnieuw proberen' in response.get_data(as_text=True)


def test_secure_deployments_send_hsts(staff: Staff) -> None:
    response = staff.client.get("/staff/callbacks")
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000"


def test_a_request_closed_by_mistake_is_reopened(console: Flask, staff: Staff) -> None:
    ask_callback(console)
    staff.act(1, "claim")
    assert "Niet bereikt</button>" in staff.page()
    staff.act(1, "not_reached")
    staff.act(1, "claim")
    staff.act(1, "not_reached")
    staff.act(1, "claim")
    assert "Niet bereikt — laatste poging, sluit het verzoek</button>" in staff.page()
    staff.act(1, "not_reached")
    html = staff.act(1, "reopen", **{"from": "history"}).get_data(as_text=True)
    assert flashes(html) == ["Verzoek 1 staat weer open, bij de open verzoeken."]
    assert "<strong>anna</strong>: heropend" in staff.page()
    assert flashes(staff.act(1, "reopen").get_data(as_text=True)) == ["Verzoek 1 staat al open."]


@pytest.mark.parametrize(
    ("password", "banner"),
    [
        pytest.param("1234567890", 1, id="set-before-the-rule-and-weak"),
        pytest.param("anna-haar-wachtwoord", 0, id="strong"),
    ],
)
def test_a_weak_password_still_logs_in_and_each_page_asks_for_a_new_one(
    console: Flask, password: str, banner: int
) -> None:
    with console.extensions["ivr_database"].engine.begin() as conn:  # as set before schema 7
        conn.execute(
            insert(staff_accounts).values(
                username="dora",
                password_hash=generate_password_hash(password),
                changed_at=CLOSED_TIME,
            )
        )
    member = Staff(console.test_client())
    assert member.log_in(("dora", password)).headers["Location"] == "/staff/callbacks"
    said = (
        '<p class="banner weak" role="note">Uw wachtwoord is te kort of te makkelijk te raden. '
        "Vraag de beheerder om een nieuw wachtwoord.</p>"
    )
    for page in ("/staff/callbacks", "/staff/callbacks/history", "/staff/stats"):
        assert member.page(page).count(said) == banner, page
