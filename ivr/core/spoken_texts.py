"""Every text the line can speak, for the shipped tree and prompts. Pure: no I/O.

The audio renderer renders exactly these; ``ivr validate`` reports how many have audio. It mirrors
what ``CallFlow`` and ``Speech`` compose (tests/test_spoken_texts.py walks the flow to prove it):
prompts without placeholders (not the written parts of the SMS), every question and its help,
every offering's Says, per service the texts with its name, number and hours filled in, and the
whisper for every point of the tree. Left out: a caller's own or typed number read back.
"""

from __future__ import annotations

from ivr.core.call_summary import whisper
from ivr.core.flow import HELPDESK, CallFlow
from ivr.core.prompts import REQUIRED, WRITTEN_ONLY
from ivr.core.tree_model import Offering, Question


def spoken_texts(flow: CallFlow) -> tuple[str, ...]:
    """The distinct spoken texts, in a stable order (prompts, tree, services, last words)."""
    say, tree = flow.say, flow.tree
    p = say.prompts
    texts = [p(key) for key, needed in REQUIRED.items() if not needed and key not in WRITTEN_ONLY]
    offered: set[str] = set()
    for node in tree.nodes.values():
        if isinstance(node, Question):
            texts += [node.text, node.help]
        elif isinstance(node, Offering):
            texts += [s.text for s in say.offering(node)]
            offered.add(node.transfer)
    for service_id, service in tree.services.items():
        if service_id in offered:
            texts.append(p("offer_transfer", service=service.name))
        texts.append(p("connecting", service=service.name))
        texts += [s.text for s in say.closed(service_id)]
        texts += [s.text for s in say.call_later(service_id)]
    points = {path[:i] for path in tree.paths() for i in range(len(path) + 1)}
    for point in sorted(points):
        texts += whisper(tree, p, point)  # for the person who answers a transfer
    number, desk = say.number(HELPDESK), tree.services[HELPDESK].name
    texts += [  # callback requests are always for the helpdesk
        p("callback_offer", service=desk),
        p("callback_saved", service=desk),
        p("callback_failed", service=desk, number=number),
    ]
    texts += [p("apology", number=number), p("fallback", number=number)]
    return tuple(dict.fromkeys(texts))
