"""Every text the line can speak, read from the tree, the prompts and the spoken hours. Pure.

The list is what ``ivr audio render`` renders and ``ivr validate`` counts. It is built the way
the call flow builds what it says (the same prompts, filled by the same ``Speech`` and whisper),
for every question, help text, offering and service of the tree; a test plays the whole flow
(tests/support/explorer.py) and proves the two lists agree exactly.

Left out, as the flow speaks them with ``<Say>``: texts that read a caller's own or typed number
back, and closed notices that say when a service opens again (they depend on the moment). The line
is listed with callbacks and SMS on, whatever this deployment has: audio is rendered once for
every deployment.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

from ivr.core.call_summary import whisper
from ivr.core.flow import CallFlow
from ivr.core.tree_model import NO, YES, Offering, Question

# What is asked everywhere: hints after a miss, the menus after an offering and an apology.
_PLAIN = (
    "welcome",
    "keys",
    "keys_short",
    "keys_full",
    "noinput_1",
    "noinput_2",
    "nomatch_1",
    "nomatch_2",
    "help_intro",
    "already_first",
    "back",
    "give_up",
    "give_up_crisis",
    "continue_question",
    "offer_repeat",
    "offer_numbers",
    "numbers_intro",
    "restart_question",
    "menu_help",
    "restart",
    "no_answer",
    "transfer_busy",
    "transfer_failed",
    "goodbye",
    "recover_menu",
    "recover_help",
    "callback_withheld",
    "callback_type_number",
    "callback_bad_number",
    "callback_number_help",
    "callback_go_on",
    "callback_go_on_help",
    "sms_offer",
    "sms_help",
    "sms_sent",
    "sms_failed",
    "sms_already",
    "sms_callback_sent",
    "sms_type_mobile",
    "sms_bad_mobile",
    "sms_mobile_help",
)
# Any moment: a service that says when it opens again is left out, whenever that is.
_MOMENT = datetime(2026, 1, 5, 12, tzinfo=UTC)


def spoken_texts(flow: CallFlow) -> tuple[str, ...]:
    """The distinct texts the line can speak: the welcome, the tree in the order a caller
    meets it (ja before nee), then what is said around it."""
    return tuple(dict.fromkeys(_texts(flow)))


def _texts(flow: CallFlow) -> Iterator[str]:
    say, p, tree = flow.say, flow.say.prompts, flow.tree
    helpdesk = tree.services[tree.helpdesk]
    paths = _node_paths(flow)
    offerings = [node for node in paths.values() if isinstance(node, Offering)]
    yield from (p(key) for key in _PLAIN)
    for node in paths.values():
        if isinstance(node, Question):
            yield from (node.text, node.help)
        else:
            yield from (said.text for said in say.offering(node))
    for service_id in (offering.transfer for offering in offerings):
        name = tree.services[service_id].name
        yield from (p("offer_transfer", service=name), p("menu_help_offer", service=name))
    for service_id in dict.fromkeys((tree.helpdesk, *(o.transfer for o in offerings))):
        yield p("connecting", service=tree.services[service_id].name)
        if flow.opening_hours[service_id].reopens(_MOMENT) is None:
            yield from (said.text for said in say.closed(service_id, _MOMENT))
        yield from (said.text for said in say.call_later(service_id, hours=False))
    yield from (said.text for said in say.call_later(tree.helpdesk))  # nobody to put through
    number = say.number(tree.helpdesk)
    yield p("apology", service=helpdesk.name, number=number)
    yield p("fallback", service=helpdesk.name, number=number)
    yield p("callback_offer", service=helpdesk.name)
    yield from flow.callbacks.promise if flow.callbacks else ()
    yield p("callback_help", service=helpdesk.name)
    yield p("callback_saved", service=helpdesk.name)
    yield p("callback_failed", service=helpdesk.name, number=number)
    for path, node in paths.items():
        # whom a caller here is put through to: the offering's service, else (and when that is
        # closed) the helpdesk
        target = node.transfer if isinstance(node, Offering) else tree.helpdesk
        if tree.services[target].screened or tree.services[tree.helpdesk].screened:
            yield from whisper(tree, p, path)


def _node_paths(flow: CallFlow) -> dict[str, Question | Offering]:
    """Every path of answers a caller can give, with the node it reaches (ja before nee)."""
    tree = flow.tree
    found: dict[str, Question | Offering] = {}

    def walk(path: str) -> None:
        node = tree.node_at(path)
        if node is None:
            return
        found[path] = node
        if isinstance(node, Question):
            walk(path + YES)
            walk(path + NO)

    walk("")
    return found
