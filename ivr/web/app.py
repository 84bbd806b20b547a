"""``create_app()``: the Flask application factory."""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping

from flask import Flask
from sentry_sdk.transport import Transport
from twilio.http import HttpClient

from ivr.audio.recordings import RecordingLibrary, absent_recordings, recordings_root
from ivr.audio.serving import AudioLibrary
from ivr.config.alerts import alert_settings
from ivr.config.content import Content, file_path, load_files, repository_files
from ivr.config.deployment import start_warnings
from ivr.config.languages import offer_languages
from ivr.config.services import service_settings
from ivr.config.settings import Settings
from ivr.config.staff import ADDRESS_KEY_PURPOSE, call_key_secret, derived_key, staff_settings
from ivr.core.alerts import Alert, FailureRuns
from ivr.core.content_files import ContentFiles
from ivr.core.errors import StorageError
from ivr.outbound.mail import Notifier
from ivr.outbound.sms import sms_sender
from ivr.storage.accounts import Accounts
from ivr.storage.call_figures import FiguresStore
from ivr.storage.callbacks import CallbackStore
from ivr.storage.content_lookup import ContentVersion
from ivr.storage.content_versions import ContentVersions
from ivr.storage.database import Database
from ivr.storage.notices import NoticeOutbox
from ivr.storage.worklist import Worklist
from ivr.web import error_reports, monitoring, staff, voice_routes
from ivr.web.content_lines import ContentLines, url_version
from ivr.web.content_start import version_at_start
from ivr.web.deadlines import TimedStore
from ivr.web.event_queue import EventQueue, NoEventQueue
from ivr.web.line import Clock, Line, utc_now
from ivr.web.line_assembly import Audio, build_line
from ivr.web.log_lines import escape_log_lines
from ivr.web.signature import SignatureCheck
from ivr.web.staff import editor
from ivr.web.tools import phone, tree_map
from ivr.web.twilio_request import MAX_BODY


def create_app(
    env: Mapping[str, str] | None = None,
    clock: Clock = utc_now,
    sms_http: HttpClient | None = None,
    simulated: bool = False,
    error_transport: Transport | None = None,
    content_versions: ContentVersions | None = None,
) -> Flask:
    """Build the line from the environment; refuses to start on bad settings or a bad tree.

    ``sms_http``: the HTTP layer of Twilio's REST client (tests replace it). ``simulated``: a
    line no real caller calls (the one the web phone calls, ``ivr simulate``'s): no web phone
    or tree map of its own, no Sentry, and no operator alerts (its failures are counted apart
    from the real line's and never sent, logged or claimed in the database).
    ``error_transport``: where Sentry's events go (tests keep them; SENTRY_DSN must be set).
    ``content_versions``: the real line's versions, which a simulated line reads (the web
    phone plays the newest published version, or a draft); else the line's own database's.
    """
    env = os.environ if env is None else env
    settings = Settings.from_env(env)
    console = staff_settings(settings)
    # The repository's content must pass as ever; the line answers from the newest published
    # version of it (ivr.storage.content_versions), which is these files until an edit.
    repository = repository_files(settings.tree_path, settings.prompts_path)
    paths = {n: str(file_path(n, settings.tree_path, settings.prompts_path)) for n in repository}
    content = load_files(repository, settings.shared_dir, paths)
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
    database = open_database(settings)
    app.extensions["ivr_database"] = database
    versions = content_versions or ContentVersions(database, clock)
    app.extensions["ivr_content_versions"] = versions
    version, first = (None, None)  # a database not ready at start: the repository's files
    files: ContentFiles = repository
    if content_versions is not None or database.checked:
        version, first, published = version_at_start(
            versions, repository, paths, settings.shared_dir, simulated, content
        )
        if version is not None and published is not None:  # ivr.web.content_start
            content, files = published, version.files
    content, language_warnings = _offered(content, files, settings)
    for warning in language_warnings:
        logging.getLogger(__name__).warning("%s", warning)
    check = SignatureCheck(settings)
    check.init_app(app)
    audio = AudioLibrary.load(settings.audio_dir, settings.public_base_url)
    audio.init_app(app)
    # A recorded language's recordings (recordings/<code>/ beside audio/), served and played.
    recorded = RecordingLibrary(recordings_root(settings.audio_dir), settings.public_base_url)
    recorded.init_app(app)
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
    timed_store = TimedStore(store, failure_runs=failure_runs)  # ivr.web.deadlines
    sender = sms_sender(settings, sms_http)

    def assemble(made: Content, version_id: int | None) -> Line:
        """The line of one content version: everything else is the same for every version."""
        return build_line(
            settings,
            made,
            clock,
            Audio(audio.audio_for, audio.generation),
            events,
            call_key_secret(settings, console),
            store=timed_store,
            sms=sender,
            announce=notifier.kick if notifier else None,
            failure_runs=failure_runs,
            recordings=recorded.add,
            version=version_id,
        )

    def version_line(found: ContentVersion) -> Line:
        made = load_files(found.files, settings.shared_dir)
        return assemble(_offered(made, found.files, settings)[0], url_version(found))

    line = assemble(content, url_version(version) if version else None)
    at_start = version.id if version else None
    # a draft plays in the web phone's line alone (simulated), never to a caller
    lines = ContentLines(line, at_start, version_line, versions, first_id=first, drafts=simulated)
    voice_routes.init_app(app, line, lines)
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
    # the editor's pages (/staff/content): the versions, and the settings that win over them
    editor.init_app(
        app,
        versions,
        settings.env,
        settings.shared_dir,
        repository,
        lambda tree: {sid: found.hours for sid, found in service_settings(settings, tree).items()},
    )

    if not simulated:
        phone.init_app(
            app,
            env,
            clock,
            lambda e, c, h: create_app(e, c, h, simulated=True, content_versions=versions),
        )
        tree_map.init_app(app, settings, content)

    monitoring.init_app(app, database, failure_runs)  # /healthz, /healthz/storage
    check.trust_proxies(app)  # last: outermost, so every layer sees the URL Twilio signed
    return app


def _offered(
    content: Content, files: ContentFiles, settings: Settings
) -> tuple[Content, list[str]]:
    """A version's content in the languages the line offers, and what to warn of (the one place
    a line's languages are chosen, at start and for each later version)."""
    # LANGUAGES: the listed languages' translations checked, the complete ones offered; a
    # recorded language only with all its recordings (ivr.audio.recordings).
    missing = absent_recordings(recordings_root(settings.audio_dir))
    return offer_languages(content, settings, missing, files)


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
