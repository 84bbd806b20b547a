"""Line.render keeps the TwiML of each turn: what it returns is always what the writer renders."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from flask import Flask

from ivr.core.actions import Say
from ivr.core.call_state import Route, Step
from ivr.core.replies import Reply
from ivr.core.tree_model import YES
from ivr.web.line import RENDERED_LIMIT, Line


def test_kept_twiml_is_what_the_writer_renders(app: Flask, clock: Callable[[], datetime]) -> None:
    line: Line = app.extensions["ivr_line"]
    turns = [line.flow.welcome()]
    for path in line.flow.tree.paths():
        for i, answer in enumerate(path):
            reply = Reply.YES if answer == YES else Reply.NO
            turns.append(line.flow.answer(Step(Route.ANSWER, path[:i]), reply, clock()))
    for turn in turns:
        assert line.render(turn) == line.render(turn) == line.writer.render(turn).encode()


def test_the_kept_twiml_is_bounded(app: Flask) -> None:
    line: Line = app.extensions["ivr_line"]
    for n in range(RENDERED_LIMIT + 10):
        assert b"<Say" in line.render((Say(str(n)),))
    assert len(line._rendered) == RENDERED_LIMIT
