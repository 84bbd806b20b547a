"""Where a webhook's time goes, in process (no HTTP, no server): microseconds per request.

    .venv/bin/python bench/webhook_parts.py [--apart]

The request sets of bench/webhook.py (Twilio's real ~30-parameter form, signed), as WSGI calls,
up a ladder: bare Flask; bare Flask reading the form with Werkzeug; the ceiling (form read,
signature checked, prebuilt answer); the line with signature checks off (IVR_DEV_MODE); the
line as deployed. Then the line's own steps on a mid-tree answer, one by one as its webhook view
takes them (each timed alone, best of rounds). ``--apart`` also runs the
ladder with each app alone in a process of its own, as each runs under the server: a small app's
process is cheaper for everything (caches), which one shared process hides.
"""

from __future__ import annotations

import argparse
import gc
import io
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import bare_app
import ceiling_app
import webhook
from flask import Flask
from flask import Request as FlaskRequest
from signed_calls import PUBLIC_BASE, TOKEN, SignedRequest, line_env, load_line_content

from ivr.cli.db import upgrade_database
from ivr.config.settings import Settings
from ivr.core.call_state import Step, parse_step
from ivr.core.callback_request import Caller
from ivr.core.twilio_words import Param
from ivr.core.webhook import Webhook, answer
from ivr.web.app import create_app
from ivr.web.line import Line
from ivr.web.signature import SignatureCheck
from ivr.web.twilio_request import TwilioRequest, query_args

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIApplication

Environ = dict[str, Any]
LADDER = (
    "bare Flask",
    "bare Flask reading the form",
    "ceiling",
    "line, signature check off",
    "line",
)


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
    }


def fresh(env: Environ) -> Environ:
    return {**env, "wsgi.input": io.BytesIO(env["_body"])}


def per_request_us(work: Callable[[Environ], object], envs: Sequence[Environ], n: int) -> float:
    """One pass of ``n`` times over ``envs``, in microseconds per request."""
    started = time.perf_counter()
    for _ in range(n):
        for env in envs:
            work(fresh(env))
    return (time.perf_counter() - started) / (n * len(envs)) * 1e6


def wsgi(app: WSGIApplication) -> Callable[[Environ], object]:
    def call(env: Environ) -> object:
        def start_response(status: str, headers: list[tuple[str, str]]) -> None:
            if not status.startswith("200"):
                raise RuntimeError(f"{env['PATH_INFO']} answered {status}")

        return b"".join(app(env, start_response))

    return call


def ladder_app(name: str) -> WSGIApplication:
    """The app of the ladder called ``name`` (one of LADDER)."""
    if name == "bare Flask":
        return bare_app.app
    if name == "bare Flask reading the form":
        return bare_app.form_app
    if name == "ceiling":
        return ceiling_app.make_app(TOKEN, PUBLIC_BASE)
    if name == "line, signature check off":
        unsigned = line_env(IVR_DEV_MODE="1")
        del unsigned["TWILIO_AUTH_TOKEN"]
        return create_app(unsigned)
    return create_app(line_env())


def ladder(requests: Sequence[SignedRequest], n: int = 10, rounds: int = 9) -> dict[str, float]:
    """Microseconds per request for each app of the ladder, all in this process: the best of
    ``rounds`` interleaved passes of ``n`` times over the requests (noise only slows)."""
    envs = [environ(r) for r in requests]
    calls = [wsgi(ladder_app(name)) for name in LADDER]
    best = [float("inf")] * len(calls)
    gc.freeze()  # as the server does after loading (ivr.web.server)
    try:
        for _ in range(rounds):  # interleaved: noise on a shared box hits every app alike
            for i, call in enumerate(calls):
                best[i] = min(best[i], per_request_us(call, envs, n))
    finally:
        gc.unfreeze()
    return dict(zip(LADDER, best, strict=True))


def alone(name: str, requests: Sequence[SignedRequest], n: int, passes: int = 3) -> float:
    """One app of the ladder in this process, nothing else built: as in its own worker."""
    envs = [environ(r) for r in requests]
    call = wsgi(ladder_app(name))
    gc.freeze()
    return min(per_request_us(call, envs, n) for _ in range(passes))


def apart(set_name: str, n: int = 10, rounds: int = 5) -> dict[str, float]:
    """The ladder with each app in a process of its own (a small app's process is cheaper
    for everything, as under the server): the best of ``rounds`` interleaved processes."""
    best = dict.fromkeys(LADDER, float("inf"))
    for _ in range(rounds):
        for name in LADDER:
            command = [sys.executable, __file__, "--alone", name, set_name, str(n)]
            out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
            best[name] = min(best[name], float(out.split()[-1]))
    return best


def best_us(work: Callable[[], object], n: int = 2000, rounds: int = 5) -> float:
    best = float("inf")
    for _ in range(rounds):
        started = time.perf_counter()
        for _ in range(n):
            work()
        best = min(best, time.perf_counter() - started)
    return best / n * 1e6


def line_steps(app: Flask, request: SignedRequest, n: int = 2000) -> dict[str, float]:
    """The line's own work on one mid-tree answer, step by step as its webhook view takes them,
    in microseconds (each step alone, best of rounds; the TwiML of the turn is kept by then)."""
    line: Line = app.extensions["ivr_line"]
    check: SignatureCheck = app.extensions["ivr_signature"]
    env = environ(request)
    path, _, query = request.url.partition("?")
    route = path.rsplit("/", 1)[-1]
    base = check.settings.public_base_url

    def read() -> TwilioRequest:
        return TwilioRequest.read(FlaskRequest(fresh(env)), base)

    call = read()
    assert check.is_valid(call)
    step = parse_step(route, query_args(query))
    turn = answer(line.flow, _webhook(line, call, step))
    line.answer(route, call)  # its TwiML kept, as after the first call that took this path
    return {
        "read Twilio's request (the form, the public URL)": best_us(read, n),
        "signature (HMAC-SHA1 over the URL and the form)": best_us(lambda: check.is_valid(call), n),
        "call state from the URL": best_us(lambda: parse_step(route, query_args(query)), n),
        "the call flow's turn (the webhook made, the route's row)": best_us(
            lambda: answer(line.flow, _webhook(line, call, step)), n
        ),
        "the call's event for the figures (pseudonym, event_of, queue)": best_us(
            lambda: line.add_event(
                call.call_sid, line._event(_webhook(line, call, step), turn, False)
            ),
            n,
        ),
        "the TwiML of the turn (kept)": best_us(lambda: line.render(turn), n),
        "the whole answer (Line.answer)": best_us(lambda: line.answer(route, call), n),
    }


def _webhook(line: Line, call: TwilioRequest, step: Step) -> Webhook:
    caller = Caller(line.callback_key(call.call_sid), call.param(Param.FROM))
    return Webhook(step, caller, line.clock(), digits=call.digits, speech=call.speech)


def measure(n: int = 10, steps: int = 2000, rounds: int = 9) -> dict[str, dict[str, float]]:
    """The ladder for /voice and mid-tree, and the line's steps on a mid-tree answer."""
    sets = webhook.request_sets(load_line_content())
    app = create_app(line_env())
    return {
        "/voice": ladder(sets["/voice"], n * 10, rounds),
        "mid-tree": ladder(sets["mid-tree"], n, rounds),
        "line steps, mid-tree": line_steps(app, sets["mid-tree"][0], steps),
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--apart", action="store_true", help="also each app in a process of its own (slower)"
    )
    parser.add_argument("--alone", nargs=3, metavar=("APP", "SET", "N"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.alone:
        name, set_name, n = args.alone
        requests = webhook.request_sets(load_line_content())[set_name]
        print(f"{alone(name, requests, int(n)):.1f}")
        return 0
    with tempfile.TemporaryDirectory() as folder:
        if not os.environ.get("DATABASE_URL") and not os.environ.get("IVR_SQLITE_PATH"):
            # a fresh database at this code's schema (the --alone processes inherit it): the
            # line's call events are written, as deployed
            os.environ["IVR_SQLITE_PATH"] = str(Path(folder) / "ivr.sqlite3")
            upgrade_database(Settings.from_env(line_env()).database_url)
        found = measure()
        if args.apart:
            for name in ("/voice", "mid-tree"):
                found[f"{name}, each app in a process of its own"] = apart(name)
    for title, parts in found.items():
        print(f"{title}:")
        for name, value in parts.items():
            print(f"  {name:<56} {value:6.1f} us")
    for title, us in found.items():
        if "ceiling" in us:
            print(
                f"{title}: the ceiling's necessary work {us['ceiling'] - us['bare Flask']:.0f} us "
                f"over bare Flask; line/ceiling {us['ceiling'] / us['line']:.2f} "
                "(by time per request)"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
