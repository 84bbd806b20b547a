"""The web server's settings (ivr.web.server) and its access log (ivr.web.access_log), in process.
The server itself, with its limits (headers, body, the request deadline) and its stop on
SIGTERM, runs in tests/test_real_server.py and, under 1,000 slow clients, in the fault suite
(tests/test_fault_suite.py)."""

from __future__ import annotations

import gc
import logging
import signal
import socket
import threading
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest

from ivr.core.errors import ConfigError
from ivr.web import server
from ivr.web.access_log import AccessLog
from ivr.web.connections import ROOM_AGE, LineServer
from ivr.web.log_lines import escape_log_lines
from tests.support.signing import BASE, SECRET, TOKEN


@pytest.mark.parametrize(
    ("env", "key"),
    [
        ({"PORT": "http"}, "PORT"),
        ({"PORT": "70000"}, "PORT"),
        ({"PORT": "80", "WEB_THREADS": "0"}, "WEB_THREADS"),
        ({"PORT": "80", "WEB_THREADS": "many"}, "WEB_THREADS"),
    ],
    ids=["port-word", "port-too-high", "no-threads", "threads-word"],
)
def test_a_bad_setting_names_its_key(env: dict[str, str], key: str) -> None:
    with pytest.raises(ConfigError) as info:
        server.server_options(env)
    assert info.value.key == key


def test_web_threads_is_read() -> None:
    assert server.server_options({"PORT": "80", "WEB_THREADS": "8"})["threads"] == 8


def line_env(folder: Path, **extra: str) -> dict[str, str]:
    return {
        "TWILIO_AUTH_TOKEN": TOKEN,
        "SECRET_KEY": SECRET,
        "PUBLIC_BASE_URL": BASE,
        "IVR_SQLITE_PATH": str(folder / "ivr.sqlite3"),
        "IVR_INSTANCE_PATH": str(folder),
        **extra,
    }


@pytest.mark.parametrize(
    ("access_log", "wrapped"),
    [("0", False), ("1", True)],
    ids=["access-log-off", "access-log-on"],
)
def test_the_line_is_built_once_frozen_and_logged_when_asked(
    tmp_path: Path, access_log: str, wrapped: bool
) -> None:
    try:
        app = server.line_app(line_env(tmp_path, ACCESS_LOG=access_log))
        assert gc.get_freeze_count() > 0
        assert isinstance(app, AccessLog) is wrapped
    finally:
        gc.unfreeze()


def test_a_bad_access_log_setting_names_the_key(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="ACCESS_LOG"):
        server.line_app(line_env(tmp_path, ACCESS_LOG="sometimes"))


def answering(status: str, body: list[bytes]):
    def app(environ: dict, start_response) -> Iterable[bytes]:
        start_response(status, [("Content-Type", "text/plain")])
        return body

    return app


@pytest.mark.parametrize(
    ("method", "path", "written"),
    [
        ("POST", "/voice/answer", "POST /voice/answer 200 5 B"),
        ("GET", "/x\n200 forged line\x1b[2J", "GET /x\\n200 forged line\\x1b[2J 200 5 B"),
        ("GET", "/caf\xc3\xa9\\", "GET /caf\xc3\xa9\\ 200 5 B"),
    ],
    ids=["path-only", "control-characters-escaped", "letters-and-backslash-kept"],
)
def test_the_access_log_writes_one_line_with_the_path_only(
    caplog: pytest.LogCaptureFixture, method: str, path: str, written: str
) -> None:
    escape_log_lines()  # as create_app does, before the server logs a line
    app = AccessLog(answering("200 OK", [b"he", b"llo"]))
    environ = {"REQUEST_METHOD": method, "PATH_INFO": path, "QUERY_STRING": "p=1&From=%2B316"}
    with caplog.at_level(logging.INFO, logger="ivr.access"):
        body = app(environ, lambda status, headers, exc_info=None: None)
        assert b"".join(body) == b"hello"
        assert caplog.messages == []  # written when the server closes the answer
        body.close()
    [line] = caplog.messages
    assert line.startswith(written + " ") and line.endswith(" ms")
    assert "p=1" not in line and "316" not in line


@pytest.fixture
def small_server() -> Iterator[LineServer]:
    """The line's server in this process, with room for 5 connections and a plain app."""
    options = {**server.server_options({}), "host": "127.0.0.1", "port": 0}
    del options["threads"], options["connection_limit"]
    line = LineServer(answering("200 OK", [b"hello"]), **options, connection_limit=5, threads=2)
    running = threading.Thread(target=line.run)
    running.start()
    yield line
    line.stop(signal.SIGTERM, None)
    running.join(timeout=15)
    assert not running.is_alive()


def test_when_every_connection_is_taken_the_oldest_unfinished_make_room(
    small_server: LineServer,
) -> None:
    address = ("127.0.0.1", small_server.effective_port)
    held = [socket.create_connection(address, timeout=3) for _ in range(5)]
    try:
        for sock in held:  # held[0] the oldest
            sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")  # never finished
            time.sleep(0.05)
        time.sleep(ROOM_AGE + 0.3)
        started = time.monotonic()
        with socket.create_connection(address, timeout=3) as sock:
            sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            assert sock.recv(100).split(b"\r\n")[0] == b"HTTP/1.1 200 OK"
        assert time.monotonic() - started < 2  # not after the 10 s deadline
        assert held[0].recv(100) == b""  # the oldest was closed for room (a tenth: 1 of 5)
        held[-1].settimeout(0.2)
        with pytest.raises(TimeoutError):  # the youngest is kept
            held[-1].recv(100)
    finally:
        for sock in held:
            sock.close()
