"""The line's callback book, with the helpdesk told by e-mail once a request is stored.

The request is committed first (``CallbackStore.add``); only then is the e-mail started, in the
background. Nothing about the e-mail can fail or slow the caller's call.
"""

from __future__ import annotations

import logging

from ivr.core.callback_flow import CallbackBook, CallbackRequest
from ivr.outbound.mail import Notifier

log = logging.getLogger(__name__)


class NotifyingBook:
    """A ``CallbackBook``: the callback store (within its deadline), plus a notice for every
    stored request."""

    def __init__(self, store: CallbackBook, notifier: Notifier) -> None:
        self.store = store
        self.notifier = notifier

    def hold(self, request: CallbackRequest) -> None:
        self.store.hold(request)

    def held(self, call_sid: str) -> CallbackRequest | None:
        return self.store.held(call_sid)

    def add(self, request: CallbackRequest) -> int:
        stored = self.store.add(request)
        try:
            self.notifier.kick()
        except Exception:  # a thread that cannot start: the request is stored all the same
            log.exception("could not start the e-mail to the helpdesk (request %d)", stored)
        return stored
