"""The e-mail that tells the helpdesk a callback request waits: no phone number, no answers.

Sent from a background thread after the request is stored, so the caller never waits for it
and a failed send never touches the call. A failure is logged and tried again after a while;
what still fails stays in the outbox for the next request or ``ivr callbacks notify``.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
import threading
import time
from collections.abc import Callable, Sequence
from datetime import datetime
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Protocol

from ivr.config.staff import MailSettings
from ivr.core.alerts import FailureRuns, Trouble
from ivr.core.errors import MailError, StorageError

log = logging.getLogger(__name__)
SMTP_TIMEOUT = 10.0  # seconds per connection and per command
# Seconds to wait before each try after the first: then the outbox waits for the next trigger.
RETRY_DELAYS: tuple[float, ...] = (30.0, 120.0, 600.0)
WORKLIST_PATH = "/staff/callbacks"


class Outbox(Protocol):
    def take(self, now: datetime) -> tuple[list[int], int]: ...
    def sent(self, ids: list[int], now: datetime) -> None: ...
    def give_back(self, ids: list[int], taken_at: datetime) -> None: ...


def notice(mail: MailSettings, open_count: int, base_url: str | None) -> EmailMessage:
    """The message: that requests wait, how many are open, and where the worklist is."""
    where = (
        f"{base_url}{WORKLIST_PATH}" if base_url else f"{WORKLIST_PATH} op het adres van de lijn"
    )
    return email(
        mail,
        f"Terugbelverzoek op de Mantelzorglijn ({open_count} open)",
        "Er wacht een nieuw terugbelverzoek van een mantelzorger.\n"
        f"Open verzoeken op de werklijst: {open_count}.\n\n"
        f"Bekijk de werklijst en bel terug: {where}\n\n"
        "Deze e-mail bevat geen telefoonnummer en geen antwoorden.\n"
        "Die staan alleen op de werklijst, na inloggen.\n",
    )


def email(mail: MailSettings, subject: str, text: str) -> EmailMessage:
    """A plain-text e-mail from SMTP_FROM to ``mail.to`` (the helpdesk, or the operator)."""
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = mail.sender
    message["To"] = ", ".join(mail.to)
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain=mail.sender.rpartition("@")[2])
    message.set_content(text)
    return message


def send_smtp(mail: MailSettings, message: EmailMessage) -> None:
    """Send with a deadline on every step; raises OSError / smtplib.SMTPException."""
    context = ssl.create_default_context()
    if mail.port == 465:
        client: smtplib.SMTP = smtplib.SMTP_SSL(
            mail.host, mail.port, timeout=SMTP_TIMEOUT, context=context
        )
    else:
        client = smtplib.SMTP(mail.host, mail.port, timeout=SMTP_TIMEOUT)
    with client:
        if mail.starttls and mail.port != 465:
            client.starttls(context=context)
        if mail.user and mail.password:
            client.login(mail.user, mail.password)
        client.send_message(message)


class Notifier:
    """Sends the notice for every request in the outbox, retrying a failed send."""

    def __init__(
        self,
        outbox: Outbox,
        mail: MailSettings,
        base_url: str | None,
        clock: Callable[[], datetime],
        send: Callable[[MailSettings, EmailMessage], None] = send_smtp,
        delays: Sequence[float] = RETRY_DELAYS,
        failure_runs: FailureRuns | None = None,
    ) -> None:
        """``failure_runs``: told of every try's outcome (the operator's alerts)."""
        self.outbox = outbox
        self.mail = mail
        self.base_url = base_url
        self.clock = clock
        self.send = send
        self.delays = tuple(delays)
        self.failure_runs = failure_runs
        self._busy = threading.Lock()
        self._wanted = threading.Event()

    def send_waiting(self) -> int:
        """One try: e-mail about the waiting requests; how many it was about (0: none)."""
        now = self.clock()
        ids, open_count = self.outbox.take(now)
        if not ids:
            return 0
        try:
            self.send(self.mail, notice(self.mail, open_count, self.base_url))
        except (OSError, smtplib.SMTPException) as exc:
            self.outbox.give_back(ids, now)
            raise MailError(type(exc).__name__) from exc
        self.outbox.sent(ids, self.clock())
        log.info("e-mailed the helpdesk about %d new callback request(s)", len(ids))
        return len(ids)

    def kick(self) -> None:
        """Send in the background (never blocks a webhook); one sending thread at a time."""
        self._wanted.set()
        if self._busy.acquire(blocking=False):
            threading.Thread(target=self._run, name="helpdesk-mail", daemon=True).start()

    def _run(self) -> None:
        try:
            while self._wanted.is_set():  # a request stored while sending: once more
                self._wanted.clear()
                self._try_with_retries()
        finally:
            self._busy.release()
        if self._wanted.is_set():  # kicked between the last check and the release
            self.kick()

    def _try_with_retries(self) -> None:
        for attempt, delay in enumerate((0.0, *self.delays), start=1):
            time.sleep(delay)
            try:
                self.send_waiting()
            except MailError as exc:
                log.warning("e-mail to the helpdesk failed (try %d): %s", attempt, exc)
                self._failed(Trouble.HELPDESK_MAIL, _cause_name(exc))
            except Exception as exc:  # the database, most likely: the thread must not die silently
                log.exception("e-mail to the helpdesk failed (try %d)", attempt)
                if isinstance(exc, StorageError):
                    self._failed(Trouble.STORAGE, str(exc))
            else:
                if self.failure_runs is not None:
                    self.failure_runs.succeeded(Trouble.HELPDESK_MAIL)
                return
        log.error(
            "e-mail to the helpdesk still failing; the requests are on the worklist and "
            "'ivr callbacks notify' tries again"
        )

    def _failed(self, trouble: Trouble, cause: str) -> None:
        if self.failure_runs is not None:
            self.failure_runs.failed(trouble, cause)


def _cause_name(error: MailError) -> str:
    """What made the send fail, for the alert: the SMTP or socket error's class name (the
    message may quote an address), or the MailError's own when it has no cause."""
    cause = error.__cause__
    return type(cause if cause is not None else error).__name__
