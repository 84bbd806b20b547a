"""The layering the README describes is the one the code has (also checked by lint-imports)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from dataclasses import MISSING, fields

import pytest
from click.testing import CliRunner
from flask import Flask

from ivr.cli import cli
from ivr.core.actions import Say, Turn
from ivr.core.call_state import Route, Step
from ivr.core.dialogue import Hint, hint
from ivr.core.prompts import Prompts
from ivr.core.routes import ROUTES, RouteRow
from ivr.web.twiml import TwimlWriter
from tests.support.calls import Caller

EDGE_PACKAGES = ("flask", "werkzeug", "twilio", "sqlalchemy", "click", "gtts", "requests")


def test_importing_the_core_loads_no_edge_package() -> None:
    code = (
        "import sys, ivr.core.flow, ivr.core.webhook, ivr.core.spoken_texts\n"
        f"print(sorted({{m.split('.')[0] for m in sys.modules}} & set({EDGE_PACKAGES!r})))"
    )
    found = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert found.stdout.strip() == "[]"


def test_every_route_has_a_row_and_no_row_can_leave_a_property_out() -> None:
    assert set(ROUTES) == set(Route)
    assert [f.name for f in fields(RouteRow) if f.default is not MISSING] == []


def test_the_twiml_writer_refuses_an_action_it_does_not_know() -> None:
    writer = TwimlWriter(lambda step: "/voice", {})
    assert "<Say" in writer.render((Say("Hallo."),))
    unknown: Turn = (object(),)  # type: ignore[assignment]
    with pytest.raises(AssertionError):
        writer.render(unknown)


PROMPTS = Prompts({"keys_short": "Kort.", "keys_full": "Alles."})


@pytest.mark.parametrize(
    ("style", "tries", "expected"),
    [
        pytest.param(Hint.ESCALATING, (0, 0), (), id="escalating-first-time"),
        pytest.param(Hint.ESCALATING, (1, 0), ("Kort.",), id="escalating-one-silence"),
        pytest.param(Hint.ESCALATING, (1, 2), ("Alles.",), id="escalating-two-wrong-keys"),
        pytest.param(Hint.SHORT, (0, 2), ("Kort.",), id="short-stays-short"),
        pytest.param(Hint.SHORT, (0, 0), (), id="short-first-time"),
        pytest.param(Hint.NONE, (2, 0), (), id="none"),
    ],
)
def test_one_hint_rule_for_every_prompt(
    style: Hint, tries: tuple[int, int], expected: tuple[str, ...]
) -> None:
    assert hint(PROMPTS, Step(Route.ANSWER, "", *tries), style) == expected


def test_an_oversized_body_is_refused_before_it_is_read(app: Flask) -> None:
    class Body:
        """A 50 MB request body that counts what is read of it."""

        read_bytes = 0

        def read(self, size: int = -1) -> bytes:
            chunk = 8192 if size < 0 else min(size, 8192)
            self.read_bytes += chunk
            return b"x" * chunk

    body = Body()
    response = app.test_client().post(
        "/voice",
        headers={"Content-Type": "application/x-www-form-urlencoded", "X-Twilio-Signature": "junk"},
        environ_overrides={"wsgi.input": body, "CONTENT_LENGTH": str(50 * 1024 * 1024)},
    )
    assert response.status_code == 413
    assert body.read_bytes == 0


def test_a_webhook_body_of_normal_size_is_read(caller: Caller) -> None:
    welcome = caller.post("/voice", Padding="x" * 4000)
    assert welcome.verbs() == ["Gather", "Gather", "Redirect"]


def test_validate_without_a_tree_file_says_so(make_app: Callable[..., Flask]) -> None:
    result = CliRunner().invoke(cli, ["validate"], env={"IVR_TREE": "/nonexistent/tree.yaml"})
    assert result.exit_code == 65
    assert result.output.startswith("Error: the tree is invalid (1 problem(s))")
    assert (
        "/nonexistent/tree.yaml: cannot read the tree (No such file or directory)" in result.output
    )
    assert result.exception is None or isinstance(result.exception, SystemExit)
