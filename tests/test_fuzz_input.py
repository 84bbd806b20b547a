"""Crafted input on every route and every parameter it reads never gives a 5xx.

Every rule of ``app.url_map`` is requested with each hostile value in turn in each of its path
arguments and in each parameter the route reads, the others kept sane; as an outsider
(unsigned, logged out) and as an insider (signed as Twilio signs, logged in as staff). A
webhook signed by Twilio always answers TwiML. Blueprints that touch storage run on SQLite with
every value, and on PostgreSQL with the values where the two databases differ (NUL, beyond 64
bits, invalid UTF-8, huge, line separators). Deterministic: an explicit list of hostile values,
no randomness.

A route this file does not know yet is fuzzed in every parameter any route reads; a blueprint
it does not know fails ``test_every_route_and_parameter_is_fuzzed``.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from werkzeug.routing import Rule

from ivr.core.call_state import Step
from ivr.core.callback_request import CallbackRequest
from ivr.core.routes import Route, Stage
from ivr.core.twilio_words import Param
from ivr.storage.accounts import Accounts, Role
from ivr.web.tools.emulated_call import CALLERS, OUTCOMES
from tests.support.calls import CALL_SID
from tests.support.clock import OPEN_TIME
from tests.support.fuzzing import CSRF, DATABASES_DIFFER, STATE, Reads, Visitor
from tests.support.staff import STAFF, Staff, add_account

UNREAD = "SomethingTwilioAddsLater"  # a parameter the line does not read: ignored
# The sane form of a Twilio webhook: each parameter the line reads.
TWILIO_FORM = {
    Param.CALL_SID: CALL_SID,
    Param.PARENT_CALL_SID: "",
    Param.FROM: "+31612345678",
    Param.TO: "+31208000000",
    Param.DIGITS: "1",
    Param.SPEECH: "ja",
    Param.DIAL_STATUS: "busy",
    Param.DIAL_BRIDGED: "true",
    Param.CALL_STATUS: "completed",
    Param.DURATION: "12",
    Param.ERROR_CODE: "11200",
    Param.ERROR_URL: "https://ivr.example.org/voice/answer?p=&l=en",
    UNREAD: "x",
}
# What each webhook reads of Twilio's form (Line.answer, the status callback, the fallback).
STEP_FORM = (Param.CALL_SID, Param.FROM, Param.DIGITS, Param.SPEECH, Param.DIAL_STATUS,
             Param.DIAL_BRIDGED)  # fmt: skip
STATUS_FORM = (Param.CALL_SID, Param.PARENT_CALL_SID, Param.CALL_STATUS, Param.DURATION)
FALLBACK_FORM = (Param.CALL_SID, Param.TO, Param.ERROR_CODE, Param.ERROR_URL)
# A sane call state for each route (the keys: every one a call state has).
STATES: dict[Route, dict[str, str]] = {
    Route.WELCOME: {"p": ""},
    Route.ANSWER: {"p": "n"},
    Route.MENU: {"p": "nnjjjnn", "s": Stage.OFFER},
    Route.TRANSFER: {"p": "nn", "s": "markant"},
    Route.DIALED: {"p": "nn", "s": "markant"},
    Route.RECOVER: {"p": ""},
    Route.CALLBACK: {"p": "", "s": Stage.OFFER},
    Route.NUMBER: {"p": ""},
    Route.WHISPER: {"p": "nn", "s": "markant"},
    Route.ACCEPT: {"p": "nn", "s": "markant"},
    Route.SMS: {"p": "nnjjjnn"},
    Route.MOBILE: {"p": "nnjjjnn", "s": Stage.OFFER},
    Route.MOBILE_CHECK: {"p": "nnjjjnn", "s": Stage.OFFER},
}
# routes whose answers read or write storage
STORED = {Route.CALLBACK, Route.NUMBER, Route.SMS, Route.MOBILE, Route.MOBILE_CHECK}
# and the call's language (ivr.core.call_state.LANGUAGE_ARG: "l", absent for Dutch)
STATE_KEYS = (*Step(Route.ANSWER, "n", 1, 1, Stage.OFFER, repeats=1).query(), "l")
STAFF_ACTIONS = ("claim", "take_over", "release", "done", "not_reached", "reopen", "note")
PERIOD = {"dagen": "7", "van": "2026-11-01", "tot": "2026-11-30"}
# An editor's form as posted (ivr.web.staff.content_saving): a question's fields, why and
# where from, the version the form showed, an English translation and its review box.
EDIT_FORM = {
    "question": "Is uw naaste vandaag in gevaar?",
    "help": "Dan is er een crisis.",
    "note": "korter",
    "source": "003_1e100be0055c7a36.txt",
    "source_other": "telefoontje, 3 dec",
    "versie": "1",
    "translation_en.question": "Is the person you care for in danger today?",
    "reviewed_en.question": "ja",
    "action": "preview",
    "csrf_token": CSRF,
}


def _voice(form: tuple[str, ...], route: Route | None = None, stored: bool = False) -> Reads:
    path = {"route": route.value} if route else {}
    query = {key: "" for key in STATE_KEYS} | STATES[route] if route else {}
    return Reads(path, query, {key: TWILIO_FORM[key] for key in form}, stored=stored)


def _phone_api(how: str) -> Reads:
    body = {"caller": next(iter(CALLERS)), "moment": "2026-11-23T10:00", "path": "",
            "language": "", "key": "1", "outcome": OUTCOMES[0], "state": STATE}  # fmt: skip
    return Reads({"how": how}, json=body, stored=True)


READS: dict[str, list[Reads]] = {
    "voice.incoming": [_voice((Param.CALL_SID, Param.TO, UNREAD))],
    "voice.status": [_voice(STATUS_FORM)],
    "voice.fallback": [_voice(FALLBACK_FORM)],
    "voice.step": [_voice(STEP_FORM, route, route in STORED) for route in Route],
    "staff.login": [Reads(query={"next": "/staff/stats", "out": "1"})],
    "staff.login_post": [
        Reads(
            query={"next": "/staff/stats"},
            form={"username": STAFF[0], "password": "wrong", "csrf_token": CSRF},
            stored=True,
        )
    ],
    "staff.logout": [Reads(form={"csrf_token": CSRF})],
    "staff.stats": [Reads(query=dict(PERIOD), stored=True)],
    "staff.stats_csv": [Reads({"name": "per-dag"}, dict(PERIOD), stored=True)],
    "staff.act": [
        Reads(
            {"request_id": "1", "action": action},
            form={"csrf_token": CSRF, "note": "gebeld", "from": "history", "seen": "1"},
            stored=True,
        )
        for action in STAFF_ACTIONS
    ],
    # The editor's pages (issue 25), refused to the fuzzing insider (a helpdesk worker) before
    # they read a field: their path; test_no_crafted_edit_gives_a_5xx crafts an editor's fields.
    "staff.content": [Reads(stored=True)],
    "staff.edit_node": [Reads({"node_id": "acuut"}, {"concept": "1"}, stored=True)],
    "staff.edit_prompt": [Reads({"key": "welcome"}, stored=True)],
    "staff.edit_service": [Reads({"service_id": "markant"}, stored=True)],
    "staff.save_node": [Reads({"node_id": "acuut"}, form={"csrf_token": CSRF}, stored=True)],
    "staff.save_prompt": [Reads({"key": "welcome"}, stored=True)],
    "staff.save_service": [Reads({"service_id": "markant"}, stored=True)],
    "staff.versions": [Reads(stored=True)],
    "staff.rollback": [Reads(form={"version": "1"}, stored=True)],
    "phone.page": [Reads(query={"p": "nn", "l": "en", "v": "1"})],
    "tree_map.page": [Reads(query={"taal": "en"})],
    "phone.api": [_phone_api(how) for how in ("start", "key", "silence", "dial")],
    # Routes that read no parameter: their path arguments, or one parameter they do not read.
    "home": [Reads()],
    "healthz": [Reads()],
    "staff.home": [Reads()],
    "staff.worklist": [Reads(stored=True)],
    "staff.history": [Reads(stored=True)],
    "staff.export": [Reads(stored=True)],
    "static": [Reads({"filename": "x.css"})],
    "staff.static": [Reads({"filename": "staff.css"})],
    "phone.static": [Reads({"filename": "phone.js"})],
    "tree_map.static": [Reads({"filename": "tree.css"})],
    "audio.audio_file": [Reads({"name": "a.mp3"})],
    "recordings.recording_file": [Reads({"code": "ary", "name": "a.0123456789ab.mp3"})],
}


def _reads(rule: Rule) -> list[Reads]:
    """What the route reads; for a route not in READS, every parameter any route reads."""
    known = READS.get(rule.endpoint)
    if known is not None:
        return known
    every = [r for found in READS.values() for r in found]
    query = {k: v for r in every for k, v in r.query.items()}
    form = {k: v for r in every for k, v in r.form.items()}
    return [Reads({arg: "x" for arg in rule.arguments}, query, form, stored=True)]


def _blueprint(endpoint: str) -> str:
    """The blueprint of an endpoint ("" for the app's own routes)."""
    return endpoint.rpartition(".")[0]


BLUEPRINTS = ("voice", "staff", "phone", "tree_map", "audio", "recordings", "")
STORED_BLUEPRINTS = {_blueprint(e) for e, found in READS.items() if any(r.stored for r in found)}
CASES = [
    pytest.param(blueprint, insider, db, id=f"{blueprint or 'app'}-{who}-{db}")
    for blueprint in BLUEPRINTS
    for insider, who in ((False, "outsider"), (True, "insider"))
    for db in ("sqlite", "postgresql")
    if db == "sqlite" or blueprint in STORED_BLUEPRINTS
]


def _visitor(app: Flask, insider: bool, only: frozenset[str] | None) -> Visitor:
    """An outsider: no signature, not logged in. An insider: signs webhooks, logged in as staff
    (with the session's CSRF token and a web phone call started). ``only``: the hostile values
    it sends (None: every one)."""
    visitor = Visitor(app.test_client(), insider, only)
    if insider:
        add_account(app, STAFF)
        request = CallbackRequest("k", "+31612345678", "Dagbesteding", "Ja.", "markant", OPEN_TIME)
        assert app.extensions["ivr_store"].add(request) == 1  # the request the actions act on
        staff = Staff(visitor.client)
        assert staff.log_in().status_code == 302
        visitor.csrf = staff.csrf("/staff/callbacks")
        started = visitor.client.post(
            "/phone/api/start", json={"caller": "mobiel"}, headers={"X-CSRFToken": visitor.csrf}
        )
        visitor.state = started.get_json()["state"]
    return visitor


@pytest.mark.parametrize(("blueprint", "insider", "db_url"), CASES, indirect=["db_url"])
def test_no_crafted_input_gives_a_5xx(
    make_app: Callable[..., Flask], upgraded_url: str, blueprint: str, insider: bool
) -> None:
    app = make_app(DATABASE_URL=upgraded_url)
    postgresql = upgraded_url.startswith("postgresql")
    visitor = _visitor(app, insider, DATABASES_DIFFER if postgresql else None)
    for rule in app.url_map.iter_rules():
        if _blueprint(rule.endpoint) != blueprint:
            continue
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            for reads in _reads(rule):
                if reads.stored or not postgresql:
                    visitor.fuzz(rule, method, reads)
    assert not visitor.failures, "\n".join(visitor.failures)
    assert visitor.sent > 0


TYPED = frozenset({"question", "note", "source_other", "versie", "translation_en.question",
                   "version"})  # fmt: skip
EDITOR_READS = {
    "staff.save_node": Reads({"node_id": "acuut"}, form=EDIT_FORM, stored=True, crafted=TYPED),
    "staff.rollback": Reads(
        form={"version": "1", "action": "rollback", "csrf_token": CSRF}, stored=True, crafted=TYPED
    ),
}


# On PostgreSQL, the stricter of the two (a NUL in a note was a 503 there).
@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
@pytest.mark.parametrize("endpoint", ["staff.save_node", "staff.rollback"])
def test_no_crafted_edit_gives_a_5xx(
    make_app: Callable[..., Flask], upgraded_url: str, endpoint: str
) -> None:
    """An editor's form with one field crafted (the values where storage and YAML differ
    most): refused or saved as a draft, never a 5xx."""
    app = make_app(DATABASE_URL=upgraded_url, LANGUAGES="nl,en")
    visitor = _visitor(app, True, DATABASES_DIFFER)
    Accounts(app.extensions["ivr_database"]).set_role(STAFF[0], Role.EDITOR)
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
    # what a person types (each saved as a draft when it passes) and the version numbers
    visitor.fuzz(rule, "POST", EDITOR_READS[endpoint])
    assert not visitor.failures, "\n".join(visitor.failures)
    assert visitor.sent > 0


def test_every_route_and_parameter_is_fuzzed(make_app: Callable[..., Flask]) -> None:
    """Every blueprint is fuzzed, every entry of READS is a route, every call state's route and
    every parameter of Twilio's the line reads has a sane value."""
    endpoints = {rule.endpoint for rule in make_app().url_map.iter_rules()}
    assert {_blueprint(endpoint) for endpoint in endpoints} == set(BLUEPRINTS)
    assert set(READS) <= endpoints
    assert set(STATES) == set(Route)
    read = {key for found in READS.values() for r in found for key in r.form}
    assert set(Param) <= read
