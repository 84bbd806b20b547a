"""The web server: waitress serving the line from one process (the Procfile's ``web`` line).

    PORT=5000 python -m ivr.web.server

waitress reads every request whole (request line, headers and body) in its event loop before
one of its threads runs the app. A client that trickles its headers or body a byte at a time
holds a socket and a few KB of memory, never a thread: 1,000 of them leave the calls answered
(bench/slow_clients.py; bench/README.md has the figures). gunicorn's ``gthread`` worker, used
before, gave each new connection a thread that waited on it: 70 such clients silenced both
workers' 64 threads and the staff console with them.

A module rather than ``waitress-serve`` flags: the app is built once here, the collector frozen
after it (``gc.freeze()``: the tree, the prompts and Flask's tables are tens of thousands of
objects that live as long as the process, which the collector would otherwise walk again and
again during requests), the access log wrapped around it when asked for, and the limits below
come from the line's own (``MAX_BODY``) instead of being repeated in the Procfile.

Settings: ``PORT`` (set by the platform), ``WEB_THREADS`` (threads running the app, default
32: more webhooks than this waiting at once on a hung database or SMS API queue behind them;
their waits are bounded by ``ivr.web.deadlines``), ``ACCESS_LOG`` (``ivr.web.access_log``).
One process serves: ``WEB_CONCURRENCY`` is not read.

**Memory is bounded.** At most ``CONNECTIONS`` connections are open; further clients wait in
the kernel's listen queue. A connection holds at most ``HEADER_BYTES`` of request line and
headers, then at most ``BODY_BYTES`` of body, both in memory (``inbuf_overflow`` equals the body
limit, so no body is spilled to a temporary file: no second file descriptor per connection),
plus waitress's objects (a few KB). 1,500 x (16 + 64 + ~8) KB is about 130 MB over the app's
own ~90 MB: within a 512 MB dyno whatever clients send. A declared ``Content-Length`` over the
limit is refused with 413 before any body is read; a request that stays silent for
``IDLE_SECONDS`` with no answer in progress is closed.
"""

from __future__ import annotations

import gc
import os
import resource
import signal
from collections.abc import Mapping
from importlib.metadata import version
from typing import TYPE_CHECKING, Any, NoReturn

import waitress

from ivr.config.settings import _flag, env_int
from ivr.web.access_log import AccessLog
from ivr.web.app import create_app
from ivr.web.twilio_request import MAX_BODY

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIApplication

CONNECTIONS = 1500  # 1,000 slow clients and the real ones beside them
HEADER_BYTES = 16 * 1024  # request line and headers: Twilio's and a browser's are 1-4 KB
BODY_BYTES = MAX_BODY + 1  # waitress refuses a body of this size or more; the app's is inclusive
IDLE_SECONDS = 20  # a connection silent this long with no request being answered is closed
DEFAULT_THREADS = 32
SOFTWARE = f"waitress/{version('waitress')}"


def server_options(env: Mapping[str, str]) -> dict[str, Any]:
    """waitress's settings for the line; a bad PORT or WEB_THREADS names the key (ConfigError)."""
    return {
        "host": "0.0.0.0",
        "port": env_int(env, "PORT", 5000, 1, 65535),
        "threads": env_int(env, "WEB_THREADS", DEFAULT_THREADS, 1, 256),
        "connection_limit": CONNECTIONS,
        # select() cannot watch a descriptor numbered 1024 or more; poll() has no such limit
        "asyncore_use_poll": True,
        "max_request_header_size": HEADER_BYTES,
        "max_request_body_size": BODY_BYTES,
        "inbuf_overflow": BODY_BYTES,
        "channel_timeout": IDLE_SECONDS,
        "cleanup_interval": 5,  # how often idle connections are looked for
        # X-Forwarded-* reach the app, which trusts them only from TRUSTED_PROXIES proxies
        # (ivr.web.signature); waitress would otherwise drop them all
        "clear_untrusted_proxy_headers": False,
        "ident": SOFTWARE,
    }


def line_app(env: Mapping[str, str]) -> WSGIApplication:
    """The line as served: built once, the collector frozen, the access log when asked for."""
    app: WSGIApplication = create_app(env)
    served = AccessLog(app) if _flag(env, "ACCESS_LOG") else app
    gc.freeze()
    return served


def allow_open_files(wanted: int) -> None:
    """Raise this process's soft limit of open files towards ``wanted`` (at most the hard one):
    every connection is a descriptor."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if soft < target:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))


def _stop(signum: int, frame: object) -> NoReturn:
    # SIGTERM (the platform stopping the process) ends waitress's loop as Ctrl-C does, so exit
    # handlers run (the call events' last batch is written); an answer not yet sent is lost.
    raise SystemExit(0)


def main() -> None:
    options = server_options(os.environ)
    # The server's name, where gunicorn put it: the start refuses development mode under a
    # production server with a public https address (ivr.config.deployment.refuse_unsafe).
    os.environ["SERVER_SOFTWARE"] = SOFTWARE
    allow_open_files(CONNECTIONS + 256)
    app = line_app(os.environ)
    signal.signal(signal.SIGTERM, _stop)
    waitress.serve(app, **options)


if __name__ == "__main__":
    main()
