"""The operator's alerts (``ivr.core.alerts``) as e-mail to ALERT_TO, at most one of a kind per
interval across all workers.

``raise_alert`` only queues (a webhook never waits); one background thread takes the right to
send from the database (``claim``: ``ivr.storage.alert_log``, within its deadline), then sends
with the helpdesk e-mail's SMTP code and deadlines. When the database does not answer, this
process's own limit holds. When SMTP fails, or ALERT_TO is not set, the alert is logged at
ERROR (and so reaches Sentry, when SENTRY_DSN is set). An alert names what failed, how often and
since when, and what to check: never a phone number or a CallSid. In Dutch, as the helpdesk's
e-mail.
"""

from __future__ import annotations

import logging
import smtplib
import threading
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from email.message import EmailMessage

from ivr.config.alerts import AlertSettings
from ivr.config.staff import MailSettings
from ivr.core.alerts import Alert, Trouble
from ivr.core.errors import StorageError
from ivr.core.hours import AMSTERDAM
from ivr.outbound.mail import email, send_smtp

log = logging.getLogger(__name__)
Claim = Callable[[str, datetime, timedelta], datetime | None]  # AlertLog.claim
THREAD_NAME = "operator-alerts"  # the thread that sends them
OUTCOMES = {  # ivr.core.call_events.dial_outcome's words
    "no-answer": "niet opgenomen",
    "busy": "in gesprek",
    "failed": "mislukt: nummer of verbinding",
    "declined": "niet aangenomen: geen 1 gedrukt na het fluisteren",
}


def alert_text(alert: Alert, names: Mapping[str, str], interval: timedelta) -> tuple[str, str]:
    """The alert's subject and text."""
    since = f"{alert.since.astimezone(AMSTERDAM):%Y-%m-%d %H:%M} (Nederlandse tijd)"
    times = f"{alert.failures} keer op rij"
    match alert.trouble:
        case Trouble.TRANSFER:
            name, prefix = names.get(alert.subject, alert.subject), alert.subject.upper()
            what = f"doorverbinden naar {name} mislukt"
            text = (
                f"Doorverbinden naar {name} is {times} mislukt, sinds {since}.\n"
                f"Laatste uitkomst: {OUTCOMES.get(alert.cause, alert.cause)}.\n"
                "Bellers horen dat er niemand opneemt en krijgen terugbellen aangeboden.\n\n"
                "Controleer:\n"
                f"- of {name} opneemt en, bij doorverbinden met fluisteren, 1 drukt;\n"
                f"- het nummer waarheen de lijn doorverbindt ({prefix}_DIAL_NUMBER of de boom)\n"
                f"  en hoe lang het overgaat ({prefix}_RING_TIMEOUT);\n"
                f"- de openingstijden ({prefix}_HOURS): verbindt de lijn door als {name}\n"
                "  gesloten is?\n"
                "- de Call Logs in Twilio's console (Monitor) voor fouten bij het doorverbinden.\n"
            )
        case Trouble.SMS:
            what = "sms versturen mislukt"
            text = (
                f"Het advies per sms is {times} niet verstuurd, sinds {since}.\n"
                f"Laatste fout: {alert.cause}.\n"
                "Bellers horen dat de sms niet lukte.\n\n"
                "Controleer:\n"
                "- TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN en SMS_FROM;\n"
                "- het saldo van het Twilio-account en de sms-rechten voor Nederland\n"
                "  (Messaging, Geo permissions);\n"
                "- de Messaging Logs in Twilio's console (Monitor) voor de foutcode.\n"
            )
        case Trouble.HELPDESK_MAIL:
            what = "e-mail aan de helpdesk mislukt"
            text = (
                "De e-mail die de helpdesk over nieuwe terugbelverzoeken inlicht, is "
                f"{times} niet verstuurd, sinds {since}.\n"
                f"Laatste fout: {alert.cause}.\n"
                "De verzoeken staan wel op de werklijst.\n\n"
                "Controleer:\n"
                "- SMTP_HOST, SMTP_PORT, SMTP_USER en SMTP_PASSWORD, en of de mailserver\n"
                "  bereikbaar is;\n"
                "- of SMTP_FROM mag versturen en de adressen in SMTP_TO bestaan;\n"
                "- daarna verstuurt 'ivr callbacks notify' wat nog wacht.\n"
            )
        case Trouble.STORAGE:
            what = "database onbereikbaar"
            text = (
                f"De database antwoordde {times} niet of met een fout, sinds {since}.\n"
                f"Laatste fout: {alert.cause}.\n"
                "Bellers die om terugbellen of een sms vragen, horen een excuus met het nummer\n"
                "van de helpdesk; de werklijst en de cijfers werken niet.\n\n"
                "Controleer:\n"
                "- of PostgreSQL draait en bereikbaar is (DATABASE_URL; Heroku: heroku pg:info);\n"
                "- /healthz/storage: 200 als de database antwoordt, 503 als niet;\n"
                "- of 'ivr db upgrade' na de laatste deploy gedraaid heeft.\n"
            )
    minutes = int(interval.total_seconds() // 60)
    return f"Storing op de Mantelzorglijn: {what}", (
        f"{text}\n"
        f"Een volgende melding hierover komt op zijn vroegst over {minutes} minuten.\n"
        "Deze e-mail bevat geen telefoonnummers en geen gegevens van bellers.\n"
    )


class AlertSender:
    """Queues alerts from any thread and sends them from one background thread."""

    def __init__(
        self,
        settings: AlertSettings,
        claim: Claim,
        names: Mapping[str, str],
        clock: Callable[[], datetime],
        send: Callable[[MailSettings, EmailMessage], None] | None = None,
    ) -> None:
        """``send``: how an e-mail goes out; None: by SMTP (``send_smtp``, looked up as the
        sender is made, so a test of the whole line can put its own in this module)."""
        self.mail = settings.mail
        self.interval = settings.interval
        self.claim = claim
        self.names = names
        self.clock = clock
        self.send = send_smtp if send is None else send
        self._not_before: dict[str, datetime] = {}  # this process's own limit, per alert key
        self._waiting: dict[str, Alert] = {}
        self._lock = threading.Lock()
        self._busy = threading.Lock()

    def raise_alert(self, alert: Alert) -> None:
        """Queue the alert unless this process sent (or was refused) one like it lately."""
        now = self.clock()
        with self._lock:
            if now < self._not_before.get(alert.key, now):
                return
            self._not_before[alert.key] = now + self.interval
            self._waiting[alert.key] = alert
        self._kick()

    def _run(self) -> None:
        try:
            while True:
                with self._lock:
                    if not self._waiting:
                        return
                    _, alert = self._waiting.popitem()
                try:
                    self.deliver(alert)
                except Exception:  # the thread must not die silently
                    log.exception("alert not delivered")
        finally:
            self._busy.release()
            if self._waiting:  # queued between the last look and the release
                self._kick()

    def _kick(self) -> None:
        """One sending thread at a time."""
        if self._busy.acquire(blocking=False):
            threading.Thread(target=self._run, name=THREAD_NAME, daemon=True).start()

    def deliver(self, alert: Alert) -> bool:
        """Send the alert if no worker sent one like it within the interval; whether it went
        out (by e-mail, or to the log when there is no ALERT_TO or SMTP failed)."""
        now = self.clock()
        try:
            last = self.claim(alert.key, now, self.interval)
        except StorageError as exc:
            log.warning("alert %s: limited by this process only (%s)", alert.key, exc)
            last = None
        if last is not None:  # another worker sent it
            with self._lock:
                self._not_before[alert.key] = last + self.interval
            return False
        subject, text = alert_text(alert, self.names, self.interval)
        summary = text.partition("\n")[0]
        if self.mail is None:
            log.error("ALERT (no ALERT_TO set): %s: %s", subject, summary)
            return True
        try:
            self.send(self.mail, email(self.mail, subject, text))
        except (OSError, smtplib.SMTPException) as exc:
            log.error("ALERT not e-mailed (%s): %s: %s", type(exc).__name__, subject, summary)
            return True
        log.info("alert e-mailed to the operator: %s", subject)
        return True
