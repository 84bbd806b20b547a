"""The Procfile's gunicorn, for real: an oversized body is refused before it is read, GET on a
webhook is refused, and the access log (ACCESS_LOG=1) carries paths, never query strings or phone
numbers."""

from __future__ import annotations

import http.client
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from procfile_server import WebServer, release
from signed_calls import line_env, sign

from ivr.web.twilio_request import MAX_BODY

# One gunicorn for the module (its fixture): its tests stay on one xdist worker.
pytestmark = pytest.mark.xdist_group("real_server")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[WebServer, Path]]:
    folder = tmp_path_factory.mktemp("procfile")
    env = line_env(
        IVR_SQLITE_PATH=str(folder / "ivr.sqlite3"),
        IVR_INSTANCE_PATH=str(folder),
        IVR_AUDIO_DIR=str(folder / "audio"),
        WEB_CONCURRENCY="1",
        ACCESS_LOG="1",
    )
    env.pop("DATABASE_URL", None)
    release(env)
    log = folder / "gunicorn.log"
    web = WebServer.start(env, log)
    yield web, log
    web.stop()


def rss_kib(pid: int) -> int:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS:")))


def test_a_300_mib_body_is_refused_before_it_is_read(server: tuple[WebServer, Path]) -> None:
    web, _ = server
    [worker] = web.workers()
    before = rss_kib(worker)
    with socket.create_connection(("127.0.0.1", web.port), timeout=10) as sock:
        sock.sendall(
            b"POST /voice HTTP/1.1\r\nHost: x\r\nX-Twilio-Signature: junk\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\n"
            b"Content-Length: 314572800\r\n\r\n" + b"x" * 16384
        )
        status_line = sock.recv(100).split(b"\r\n")[0]  # answered with most of it unsent
    assert status_line == b"HTTP/1.1 413 REQUEST ENTITY TOO LARGE"
    assert rss_kib(worker) - before < 16 * 1024  # KiB: nothing like 300 MiB was buffered
    assert MAX_BODY == 64 * 1024


def test_get_is_refused_and_the_access_log_has_no_query_string(
    server: tuple[WebServer, Path],
) -> None:
    web, log = server
    conn = http.client.HTTPConnection("127.0.0.1", web.port, timeout=10)
    try:
        conn.request("GET", "/voice/answer?p=n&From=%2B31612345678&Digits=1")
        got = conn.getresponse()
        assert (got.status, got.read()) == (405, b"method not allowed: Twilio webhooks use POST")
    finally:
        conn.close()
    signed = sign("/voice/answer?p=&From=%2B31612345678", Digits="1")
    status, _ = web.post(signed.url, signed.body, signed.signature)
    assert status == 200
    deadline = time.monotonic() + 5  # gunicorn writes the line after the answer
    while '"POST /voice/answer"' not in log.read_text() and time.monotonic() < deadline:
        time.sleep(0.05)
    written = log.read_text()
    assert '"GET /voice/answer" 405' in written
    assert '"POST /voice/answer" 200' in written
    assert "612345678" not in written and "?p=" not in written
