"""Where a webhook's time goes, in process (no HTTP, no gunicorn): microseconds per request.

    .venv/bin/python bench/webhook_parts.py

The same signed tree requests as bench/webhook.py, as WSGI calls, up a ladder: bare Flask;
bare Flask reading Twilio's form; the line with signature checks off (IVR_DEV_MODE); the
line as deployed. Each step's difference is the cost of one layer. Also, on its own, what the
call flow and its TwiML take once a request is parsed (tree, prompts, URLs).
"""

from __future__ import annotations

import io
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl

import bare_app
from flask import Flask
from signed_calls import SignedRequest, line_env, load_line_content, tree_requests

from ivr.core.call_state import parse_step
from ivr.core.callback_flow import Caller
from ivr.core.webhook import Event, answer
from ivr.web.app import create_app
from ivr.web.line import Line

Environ = dict[str, Any]


def environ(request: SignedRequest) -> Environ:
    path, _, query = request.url.partition("?")
    body = request.body.encode()
    return {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "127.0.0.1:8000",
        "CONTENT_TYPE": "application/x-www-form-urlencoded",
        "CONTENT_LENGTH": str(len(body)),
        "HTTP_X_TWILIO_SIGNATURE": request.signature,
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(body),
        "_body": body,
        "_query": dict(parse_qsl(query)),
        "_digits": dict(parse_qsl(request.body)).get("Digits"),
    }


def fresh(env: Environ) -> Environ:
    return {**env, "wsgi.input": io.BytesIO(env["_body"])}


def per_request_us(work: Callable[[Environ], object], envs: Sequence[Environ], n: int) -> float:
    """Best of 3 rounds of ``n`` passes over ``envs`` (noise on a shared box only slows)."""
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        for _ in range(n):
            for env in envs:
                work(fresh(env))
        best = min(best, time.perf_counter() - started)
    return best / (n * len(envs)) * 1e6


def wsgi(app: Flask) -> Callable[[Environ], object]:
    def call(env: Environ) -> object:
        def start_response(status: str, headers: list[tuple[str, str]]) -> None:
            if not status.startswith("200"):
                raise RuntimeError(f"{env['PATH_INFO']} answered {status}")

        return b"".join(app(env, start_response))

    return call


def flow_and_twiml(line: Line) -> Callable[[Environ], object]:
    """What the line itself does once the request is checked and parsed."""
    now = datetime.now(UTC)
    caller = Caller("CAbench", "+31612345678")

    def run(env: Environ) -> object:
        if env["PATH_INFO"] == "/voice":
            return line.render(line.flow.welcome())
        event = Event(parse_step("answer", env["_query"]), caller, now, env["_digits"] or "")
        return line.render(answer(line.flow, event))

    return run


def measure(n: int = 30) -> dict[str, float]:
    """The ladder, in microseconds per request, best of 3 rounds of ``n`` passes."""
    envs = [environ(r) for r in tree_requests(load_line_content())]
    line_app = create_app(line_env())
    unsigned = line_env(IVR_DEV_MODE="1")
    del unsigned["TWILIO_AUTH_TOKEN"]
    return {
        "bare Flask": per_request_us(wsgi(bare_app.app), envs, n),
        "bare Flask reading the form": per_request_us(wsgi(bare_app.form_app), envs, n),
        "line, signature check off": per_request_us(wsgi(create_app(unsigned)), envs, n),
        "line": per_request_us(wsgi(line_app), envs, n),
        "call flow and TwiML alone": per_request_us(
            flow_and_twiml(line_app.extensions["ivr_line"]), envs, n
        ),
    }


def main() -> int:
    us = measure()
    for name, value in us.items():
        print(f"{name:<30} {value:6.1f} us")
    form = us["bare Flask reading the form"] - us["bare Flask"]
    own = us["line, signature check off"] - us["bare Flask reading the form"]
    signature = us["line"] - us["line, signature check off"]
    print(
        f"so: reading the form {form:.0f} us, the line's own work {own:.0f} us (of which flow "
        f"and TwiML {us['call flow and TwiML alone']:.0f} us), Twilio's signature check "
        f"{signature:.0f} us"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
