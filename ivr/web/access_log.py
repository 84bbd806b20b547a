"""The access log (``ACCESS_LOG=1``): one line per request, with the path only.

Off by default: the platform's router logs every request already, and a line per request costs
CPU. When on, each request writes ``POST /voice/answer 200 523 B 3 ms`` at INFO to the
``ivr.access`` logger: method, path, status, bytes sent and time. Never the query string (it
holds the call state and, from a crafted request, anything) nor an address or phone number.
A crafted path cannot forge a line: like every log line, its control characters are written
escaped (``\\n``, ``\\x1b``) by ``ivr.web.log_lines``.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

log = logging.getLogger("ivr.access")


class AccessLog:
    """WSGI middleware around the app: logs each request once its answer has been sent."""

    def __init__(self, app: WSGIApplication) -> None:
        self.app = app

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        started = time.perf_counter()
        request = f"{environ.get('REQUEST_METHOD', '')} {environ.get('PATH_INFO', '')}"
        status: list[str] = []

        def start(code: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            status[:] = [code.split(" ", 1)[0]]
            return start_response(code, headers, exc_info)

        return _Logged(self.app(environ, start), request, status, started)


class _Logged:
    """The app's answer, counted as it is sent; the line is written when the server closes it."""

    def __init__(
        self, body: Iterable[bytes], request: str, status: list[str], started: float
    ) -> None:
        self.body, self.request, self.status, self.started = body, request, status, started
        self.sent = 0

    def __iter__(self) -> Iterator[bytes]:
        for chunk in self.body:
            self.sent += len(chunk)
            yield chunk

    def close(self) -> None:
        try:
            close = getattr(self.body, "close", None)
            if close is not None:
                close()
        finally:
            ms = (time.perf_counter() - self.started) * 1000
            code = self.status[0] if self.status else "-"
            log.info("%s %s %d B %.0f ms", self.request, code, self.sent, ms)
