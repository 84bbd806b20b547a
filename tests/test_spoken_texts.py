"""spoken_texts() lists exactly what the call flow can say: proven by walking the flow."""

from __future__ import annotations

from collections.abc import Iterator

from ivr.actions import Ask, Say, Turn
from ivr.call_state import Step
from ivr.flow import HELPDESK, CallFlow
from ivr.line import Line
from ivr.replies import Reply
from ivr.settings import Settings
from ivr.spoken_texts import spoken_texts
from ivr.tree_loader import load_content
from ivr.tree_model import Offering, Question
from tests.conftest import CLOSED_TIME, OPEN_TIME


def _flow() -> CallFlow:
    settings = Settings.from_env({"IVR_DEV_MODE": "1"})
    content = load_content(settings.tree_path, settings.prompts_path, settings.shared_dir)
    return Line(settings, content).flow


def _texts(turn: Turn) -> Iterator[str]:
    for action in turn:
        if isinstance(action, Say):
            yield action.text
        elif isinstance(action, Ask):
            yield from action.texts


def _every_turn(flow: CallFlow) -> Iterator[Turn]:
    tree = flow.tree
    paths = {""} | {p[:i] for p in tree.paths() for i in range(len(p) + 1)}
    yield flow.welcome()
    yield flow.apology()
    yield flow.fallback(tree.services[HELPDESK].phone.spoken)
    for now in (OPEN_TIME, CLOSED_TIME):
        for tries in ((0, 0), (1, 0), (0, 1), (2, 0), (0, 2)):
            for reply in Reply:
                yield flow.recover(Step("recover", "", *tries), reply, now)
        for path in sorted(paths):
            node = tree.node_at(path)
            for sid in tree.services:
                yield flow.transfer(Step("transfer", path, stage=sid), now)
                for status in ("completed", "no-answer", "busy"):
                    yield flow.dialed(Step("dialed", path, stage=sid), status, None, now)
            for tries in ((0, 0), (1, 0), (0, 1), (2, 0), (0, 2)):
                for reply in Reply:
                    if isinstance(node, Question):
                        yield flow.answer(Step("answer", path, *tries), reply, now)
                    elif isinstance(node, Offering):
                        for stage in ("offer", "restart"):
                            yield flow.menu(Step("menu", path, *tries, stage=stage), reply, now)


def test_spoken_texts_are_exactly_what_the_flow_says() -> None:
    flow = _flow()
    said = {text for turn in _every_turn(flow) for text in _texts(turn)}
    listed = spoken_texts(flow)
    assert set(listed) == said
    assert len(listed) == len(set(listed)) == 85


def test_spoken_texts_are_deterministic() -> None:
    assert spoken_texts(_flow()) == spoken_texts(_flow())
