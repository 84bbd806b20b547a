"""One webhook as the call flow sees it, answered through the route table. Pure.

The web edge reads Twilio's form into a ``Webhook``; ``answer`` returns the turn, from the part of
the flow that the route's row (``ivr.core.routes``) names.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cached_property

from ivr.core.actions import Turn
from ivr.core.call_state import Step
from ivr.core.callback_request import Caller
from ivr.core.flow import CallFlow
from ivr.core.language import Language
from ivr.core.languages import DUTCH
from ivr.core.pace import adapt
from ivr.core.replies import Reply, classify
from ivr.core.routes import ROUTES


@dataclass(frozen=True)
class Webhook:
    """One webhook of a call: its step (from the URL), who calls, when, and Twilio's reply,
    heard in the call's ``language`` (the caller's: the helpdesk's leg is answered in Dutch)."""

    step: Step
    caller: Caller
    now: datetime
    digits: str = ""  # Twilio's Digits, stripped
    speech: str = ""  # Twilio's SpeechResult
    dial_status: str = ""  # DialCallStatus, after a transfer
    bridged: bool | None = None  # DialBridged, after a transfer
    language: Language = DUTCH  # the language the caller chose (``l`` in the URL)

    @cached_property
    def reply(self) -> Reply:
        """What the caller answered: worked out once, read by the flow, the pace and the
        call event."""
        return classify(self.digits, self.speech, self.language.replies)


def answer(flow: CallFlow, webhook: Webhook) -> Turn:
    """The turn that answers a webhook, at the caller's pace (``ivr.core.pace``);
    CallStateError when its state does not fit the line."""
    step, reply = webhook.step, webhook.reply
    return adapt(ROUTES[step.route].handler(flow, webhook), step, reply)
