"""Who may use the web phone and the tree map, their CSRF check, and the map's content."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from email.message import EmailMessage
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient

from ivr.cli import cli
from ivr.config.content import check_content
from ivr.core.tree_model import Question
from ivr.web.tools.tree_map import NO_DRAWING
from ivr.web.tree_drawing import NO_DOT
from tests.support.alerts import settle
from tests.support.calls import Caller
from tests.support.checkout import CHECKOUT, SHIPPED_TREE
from tests.support.clock import CLOSED_TIME, Clock
from tests.support.staff import Staff

# The operator's alerts on: e-mailed to ALERT_TO (kept by ``alert_outbox``, never sent).
ALERTS = {"SMTP_HOST": "127.0.0.1", "SMTP_FROM": "lijn@example.org",
          "SMTP_TO": "helpdesk@example.org", "ALERT_TO": "ops@example.org"}  # fmt: skip
_TOKEN = re.compile(r'<meta name="csrf-token" content="([^"]+)">')


def csrf(client: FlaskClient) -> str:
    found = _TOKEN.search(client.get("/phone").get_data(as_text=True))
    assert found, "no CSRF token on /phone"
    return found.group(1)


@pytest.fixture
def dev_client(make_app: Callable[..., Flask]) -> FlaskClient:
    return make_app(IVR_DEV_MODE="1").test_client()


@pytest.mark.parametrize("page", ["/phone", "/tree"], ids=str)
def test_development_mode_opens_the_pages(dev_client: FlaskClient, page: str) -> None:
    response = dev_client.get(page)
    assert response.status_code == 200
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]


def test_development_mode_makes_the_phone_the_home_page(dev_client: FlaskClient) -> None:
    response = dev_client.get("/")
    assert (response.status_code, response.headers["Location"]) == (302, "/phone")


@pytest.mark.parametrize("page", ["/phone", "/tree"], ids=str)
def test_outside_development_mode_staff_log_in_first(console: Flask, page: str) -> None:
    response = console.test_client().get(page)
    assert (response.status_code, response.headers["Location"]) == (
        302, f"/staff/login?next={page}",
    )  # fmt: skip


def test_no_home_page_outside_development_mode(console: Flask) -> None:
    assert console.test_client().get("/").status_code == 404


def test_logging_in_comes_back_to_the_phone(console: Flask) -> None:
    member = Staff(console.test_client())
    token = member.csrf("/staff/login?next=/phone")
    response = member.client.post(
        "/staff/login?next=/phone",
        data={"username": "anna", "password": "anna-haar-wachtwoord", "csrf_token": token},
    )
    assert (response.status_code, response.headers["Location"]) == (302, "/phone")


@pytest.mark.parametrize("page", ["/phone", "/tree"], ids=str)
def test_staff_see_the_pages(staff: Staff, page: str) -> None:
    assert "Terugbelverzoeken" in staff.page(page)


def test_a_move_without_the_csrf_token_is_refused(dev_client: FlaskClient) -> None:
    response = dev_client.post("/phone/api/start", json={"caller": "mobiel"})
    assert response.status_code == 400
    assert response.get_json() == {"error": "csrf", "detail": "The CSRF token is missing."}


def test_a_move_with_the_token_plays_the_call(dev_client: FlaskClient) -> None:
    headers = {"X-CSRFToken": csrf(dev_client)}
    started = dev_client.post("/phone/api/start", json={"caller": "vast"}, headers=headers)
    assert started.status_code == 200
    body = started.get_json()
    assert body["wait"]["kind"] == "gather" and body["ended"] == ""
    pressed = dev_client.post(
        "/phone/api/key", json={"state": body["state"], "key": "1"}, headers=headers
    )
    assert pressed.status_code == 200
    # a key during the welcome goes to the welcome's own Gather
    assert [t["url"] for t in pressed.get_json()["twiml"]] == ["/voice/welcome?p="]


@pytest.mark.parametrize(
    ("how", "body", "error"),
    [
        pytest.param(
            "start", {"caller": "buurman"}, "choose a caller: mobiel, vast, anoniem", id="caller"
        ),
        pytest.param(
            "start",
            {"caller": "mobiel", "moment": "gisteren"},
            "'gisteren' is not a moment like 2026-11-23T10:00",
            id="moment",
        ),
        pytest.param(
            "key",
            {"state": "x", "key": "1"},
            "the call's state is missing or was changed",
            id="forged-state",
        ),
    ],
)
def test_moves_that_make_no_sense_are_refused(
    dev_client: FlaskClient, how: str, body: dict[str, str], error: str
) -> None:
    response = dev_client.post(
        f"/phone/api/{how}", json=body, headers={"X-CSRFToken": csrf(dev_client)}
    )
    assert (response.status_code, response.get_json()) == (400, {"error": error})


def test_play_from_here_starts_at_the_path(dev_client: FlaskClient) -> None:
    assert 'data-path="nnjjjnn"' in dev_client.get("/phone?p=nnjjjnn").get_data(as_text=True)
    assert 'data-path=""' in dev_client.get("/phone?p=zzz").get_data(as_text=True)


def test_the_map_has_a_box_and_a_card_per_node(dev_client: FlaskClient, app: Flask) -> None:
    html = dev_client.get("/tree").get_data(as_text=True)
    tree = app.extensions["ivr_line"].flow.tree
    assert sorted(re.findall(r'<g id="node_([a-z_]+)" class="node">', html)) == sorted(tree.nodes)
    assert sorted(re.findall(r'data-node="([a-z_]+)"', html)) == sorted(tree.nodes)
    assert 'href="/phone?p=nnjjjnn"' in html  # dagbesteding's "play from here"
    questions = [n for n in tree.nodes.values() if isinstance(n, Question)]
    assert html.count("> ja </text>") == len(questions)
    assert html.count("> nee </text>") == len(questions)


def test_the_map_shows_problems_of_the_tree_file(
    make_app: Callable[..., Flask], tmp_path: Path
) -> None:
    tree_file = tmp_path / "markant.yaml"
    shutil.copy(SHIPPED_TREE, tree_file)
    client = make_app(IVR_DEV_MODE="1", IVR_TREE=str(tree_file)).test_client()
    tree_file.write_text(
        SHIPPED_TREE.read_text(encoding="utf-8").replace("ja: crisis", "ja: bestaat_niet"),
        encoding="utf-8",
    )
    _, problems = check_content(tree_file, CHECKOUT / "prompts" / "nl.yaml", None)
    assert problems
    html = client.get("/tree").get_data(as_text=True)
    assert f"markant.yaml heeft {len(problems)} " in html
    for problem in problems:
        assert f"<li>{problem}</li>".replace("'", "&#39;").replace('"', "&#34;") in html


def test_ivr_tree_writes_the_drawing(tmp_path: Path) -> None:
    out = tmp_path / "boom.svg"
    result = CliRunner().invoke(cli, ["tree", "--svg", str(out)], env={"IVR_DEV_MODE": "1"})
    assert result.exit_code == 0, result.output
    svg = out.read_text(encoding="utf-8")
    assert svg.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<svg ')
    assert 'id="node_wegvallen"' in svg
    boxes = svg.count('class="node"')
    assert result.output == f"{out}: {boxes} boxes\n"


def test_a_tried_callback_never_reaches_the_helpdesks_worklist(
    make_app: Callable[..., Flask], clock: Clock
) -> None:
    clock.now = CLOSED_TIME
    app = make_app(IVR_DEV_MODE="1")
    client = app.test_client()
    headers = {"X-CSRFToken": csrf(client)}
    body = {"caller": "mobiel", "path": "j"}
    for key in ("", "2", "1", "1"):  # no SMS; a callback on the caller's own number
        if key:
            body = {"state": body["state"], "key": key}
        reply = client.post(f"/phone/api/{'key' if key else 'start'}", json=body, headers=headers)
        body = reply.get_json()
    assert body["callback"] == {"phone": "06 12 34 56 78", "reached": "Hulp in een crisis"}
    assert body["ended"] == "hangup"
    assert app.extensions["ivr_store"].open_requests() == []


def test_tried_transfers_never_alert_the_operator_nor_count_for_the_line(
    make_app: Callable[..., Flask],
    alert_outbox: list[EmailMessage],
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The web phone's line raises no alerts (none e-mailed, none logged); the real line
    counts its own failures only."""
    app = make_app(IVR_DEV_MODE="1", **ALERTS)
    client = app.test_client()
    headers = {"X-CSRFToken": csrf(client)}
    for _ in range(3):  # crisis, no SMS (a landline), to Markant, who is busy
        started = client.post("/phone/api/start", json={"caller": "vast", "path": "j"},
                              headers=headers)  # fmt: skip
        no_sms = client.post(
            "/phone/api/key", json={"state": started.get_json()["state"], "key": "2"},
            headers=headers,
        )  # fmt: skip
        pressed = client.post(
            "/phone/api/key", json={"state": no_sms.get_json()["state"], "key": "1"},
            headers=headers,
        )  # fmt: skip
        assert pressed.get_json()["wait"]["kind"] == "dial"
        dialed = client.post(
            "/phone/api/dial", json={"state": pressed.get_json()["state"], "outcome": "busy"},
            headers=headers,
        )  # fmt: skip
        assert dialed.status_code == 200
    phone = Caller(app.test_client())
    for _ in range(2):  # the real line's own first two
        phone.post("/voice/dialed?p=j&s=markant", DialCallStatus="busy")
    settle()
    assert alert_outbox == []
    assert [r.getMessage() for r in caplog.records if "ALERT" in r.getMessage()] == []
    phone.post("/voice/dialed?p=j&s=markant", DialCallStatus="busy")  # its third
    settle()
    assert [m["Subject"] for m in alert_outbox] == [
        "Storing op de Mantelzorglijn: doorverbinden naar de helpdesk van Markant mislukt"
    ]


def test_without_graphviz_the_map_says_what_to_install(
    dev_client: FlaskClient, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no 'dot' here
    html = dev_client.get("/tree").get_data(as_text=True)
    assert NO_DRAWING in html
    assert 'data-node="wegvallen"' in html  # the cards are still there
    result = CliRunner().invoke(
        cli, ["tree", "--svg", str(tmp_path / "boom.svg")], env={"IVR_DEV_MODE": "1"}
    )
    assert (result.exit_code, result.output) == (1, f"Error: {NO_DOT}\n")
