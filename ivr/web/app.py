"""``create_app()``: the Flask application factory."""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping

from flask import Flask
from sentry_sdk.transport import Transport
from twilio.http import HttpClient

from ivr.audio.serving import AudioLibrary
from ivr.config.alerts import alert_settings
from ivr.config.content import load_content
from ivr.config.deployment import start_warnings
from ivr.config.languages import offer_languages
from ivr.config.settings import Settings
from ivr.config.staff import ADDRESS_KEY_PURPOSE, call_key_secret, derived_key, staff_settings
from ivr.core.alerts import Alert, FailureRuns
from ivr.core.errors import StorageError
from ivr.outbound.mail import Notifier
from ivr.outbound.sms import sms_sender
from ivr.storage.accounts import Accounts
from ivr.storage.call_figures import FiguresStore
from ivr.storage.callbacks import CallbackStore
from ivr.storage.database import Database
from ivr.storage.notices import NoticeOutbox
from ivr.storage.worklist import Worklist
from ivr.web import error_reports, monitoring, staff, voice_routes
from ivr.web.deadlines import TimedStore
from ivr.web.event_queue import EventQueue, NoEventQueue
from ivr.web.line import Audio, Clock, build_line, utc_now
from ivr.web.log_lines import escape_log_lines
from ivr.web.signature import SignatureCheck
from ivr.web.tools import phone, tree_map
from ivr.web.twilio_request import MAX_BODY


def create_app(
    env: Mapping[str, str] | None = None,
    clock: Clock = utc_now,
    sms_http: HttpClient | None = None,
    simulated: bool = False,
    error_transport: Transport | None = None,
) -> Flask:
    """Build the line from the environment; refuses to start on bad settings or a bad tree.

    ``sms_http``: the HTTP layer of Twilio's REST client (tests replace it). ``simulated``: a
    line no real caller calls (the one the web phone calls, ``ivr simulate``'s): no web phone
    or tree map of its own, no Sentry, and no operator alerts (its failures are counted apart
    from the real line's and never sent, logged or claimed in the database).
    ``error_transport``: where Sentry's events go (tests keep them; SENTRY_DSN must be set).
    """
    env = os.environ if env is None else env
    settings = Settings.from_env(env)
    console = staff_settings(settings)
    content = load_content(settings.tree_path, settings.prompts_path, settings.shared_dir)
    # "ivr": Flask's default instance folder is the package's (see ivr.config.locations)
    app = Flask("ivr", instance_path=str(settings.instance_path))
    # A Twilio webhook body is a few KB: anything larger is refused (413) before it is read.
    app.config["MAX_CONTENT_LENGTH"] = MAX_BODY
    alerts = None if simulated else alert_settings(settings)
    if alerts is not None:  # once per process: a second app shares it (ivr.web.error_reports)
        error_reports.init_app(app, alerts.sentry_dsn, error_transport)
    escape_log_lines()  # before anything is logged: no client can forge a log line
    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    for warning in start_warnings(settings.env, settings.dev_mode):
        logging.getLogger(__name__).warning("DEPLOYMENT: %s", warning)
    # LANGUAGES: the listed languages' translations checked, the complete ones offered. No
    # recorded language yet: its recordings check (ivr.audio.recordings) is not wired in.
    content, language_warnings = offer_languages(content, settings, None)
    for warning in language_warnings:
        logging.getLogger(__name__).warning("%s", warning)
    check = SignatureCheck(settings)
    check.init_app(app)
    audio = AudioLibrary.load(settings.audio_dir, settings.public_base_url)
    audio.init_app(app)
    database = open_database(settings)
    app.extensions["ivr_database"] = database
    services = {sid: service.name for sid, service in content.tree.services.items()}
    # The operator's alerts: the edges report how transfers, SMS, e-mail and storage go.
    if alerts is None:  # a simulated line: its failures are its own, no operator hears of them
        failure_runs = FailureRuns(clock, _no_alert)
    else:
        failure_runs = monitoring.count_failures(alerts, database, services, clock)
    store = CallbackStore(database)
    app.extensions["ivr_store"] = store
    # The call figures: call events queued per webhook, written in batches (ivr.web.event_queue).
    figures = FiguresStore(database)
    events = EventQueue(figures) if settings.call_figures else NoEventQueue()
    app.extensions["ivr_event_queue"] = events
    app.extensions["ivr_figures"] = figures
    notifier = None
    if console.mail is not None:
        notifier = Notifier(
            NoticeOutbox(database),
            console.mail,
            console.public_base_url,
            clock,
            failure_runs=failure_runs,
        )
    line = build_line(
        settings,
        content,
        clock,
        Audio(audio.audio_for, audio.generation),
        events,
        call_key_secret(settings, console),
        # ivr.web.deadlines: each call within its budget
        store=TimedStore(store, failure_runs=failure_runs),
        sms=sms_sender(settings, sms_http),
        announce=notifier.kick if notifier else None,
        failure_runs=failure_runs,
    )
    voice_routes.init_app(app, line)
    staff.init_app(
        app,
        console,
        Accounts(database, derived_key(console.secret_key, ADDRESS_KEY_PURPOSE)),
        Worklist(database, console.max_attempts),
        notifier,
        clock,
        settings.dev_mode,
        services,
    )

    if not simulated:
        phone.init_app(app, env, clock, lambda e, c, h: create_app(e, c, h, simulated=True))
        tree_map.init_app(app, settings, content)

    monitoring.init_app(app, database, failure_runs)  # /healthz, /healthz/storage
    check.trust_proxies(app)  # last: outermost, so every layer sees the URL Twilio signed
    return app


def _no_alert(_alert: Alert) -> None:
    """Where a simulated line's alerts go: nowhere."""


def open_database(settings: Settings) -> Database:
    """The line's database, its schema checked (never created) at start.

    Workers do not create or upgrade tables ('ivr db upgrade' does, once per deploy). A database
    that is down, missing or at another schema version does not stop the line: the error says
    what to run, the check repeats before each write until it passes, and until then a caller
    who asks for a callback is told it failed.
    """
    database = Database(settings.database_url)
    try:
        database.check_schema()
    except StorageError as exc:
        logging.getLogger(__name__).error("callback storage not ready at start: %s", exc)
    return database
