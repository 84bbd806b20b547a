"""A gunicorn on 127.0.0.1 for one measurement: started, waited for, always stopped.

The line and the bare Flask app run under exactly the same settings (``GunicornSettings``).
"""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
LINE_APP = "ivr.web.app:create_app()"
BARE_APP = "bare_app:app"
CEILING_APP = "ceiling_app:app"
# The Procfile's configuration (no access log, the collector frozen in each worker), for every app.
WEB_SERVER_CONFIG = "python:ivr.config.web_server"
# The path-only access log the Procfile wrote before it became a setting (ACCESS_LOG).
ACCESS_LOG_FORMAT = '%(h)s %(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'
HOST = "127.0.0.1"


@dataclass(frozen=True)
class GunicornSettings:
    workers: int = 2
    worker_class: str = "sync"
    backlog: int = 2048
    threads: int = 1  # gthread's threads per worker
    access_log: bool = False  # gunicorn's access log (written to /dev/null)
    config: bool = True  # the Procfile's configuration module (an older checkout has none)
    cpus: frozenset[int] | None = None  # pinned here (the load generator gets the others)
    # The working folder: `python -m gunicorn` puts it first on sys.path, so its ivr/ is the
    # one served (another checkout's, for a before figure), ahead of PYTHONPATH and the venv.
    root: Path = ROOT


def split_cpus() -> tuple[frozenset[int], frozenset[int]] | None:
    """CPUs for the server and for the load generator, so the two do not fight over one core."""
    if not hasattr(os, "sched_getaffinity"):
        return None
    cpus = sorted(os.sched_getaffinity(0))
    if len(cpus) < 2:
        return None
    return frozenset(cpus[1:]), frozenset(cpus[:1])


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


def command(app: str, port: int, settings: GunicornSettings) -> list[str]:
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "--bind",
        f"{HOST}:{port}",
        "--workers",
        str(settings.workers),
        "--worker-class",
        settings.worker_class,
        "--backlog",
        str(settings.backlog),
        "--pythonpath",
        str(BENCH_DIR),
        *(["--config", WEB_SERVER_CONFIG] if settings.config else []),
        "--threads",
        str(settings.threads),
        "--log-level",
        "warning",
        *(
            ["--access-logfile", os.devnull, "--access-logformat", ACCESS_LOG_FORMAT]
            if settings.access_log
            else []
        ),
        app,
    ]


def start(
    app: str, env: dict[str, str], settings: GunicornSettings
) -> tuple[subprocess.Popen[bytes], int]:
    port = free_port()
    cpus = settings.cpus
    pin = (lambda: os.sched_setaffinity(0, cpus)) if cpus else None
    process = subprocess.Popen(
        command(app, port, settings), cwd=settings.root, env=env, preexec_fn=pin
    )
    return process, port


def package_served(settings: GunicornSettings, env: dict[str, str]) -> Path:
    """The folder of the ``ivr`` package a server started with ``settings`` imports."""
    found = subprocess.run(
        [sys.executable, "-c", "import ivr; print(ivr.__file__)"],
        cwd=settings.root,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return Path(found.stdout.strip()).parent


def wait_ready(process: subprocess.Popen[bytes], port: int, timeout: float = 20.0) -> None:
    """Until ``/healthz`` answers 200 (raises if gunicorn exits or takes too long)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}")
        conn = http.client.HTTPConnection(HOST, port, timeout=1)
        try:
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.02)
        finally:
            conn.close()
    raise RuntimeError(f"gunicorn did not answer on port {port} within {timeout} s")


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def serving(
    app: str, env: dict[str, str], settings: GunicornSettings | None = None
) -> Iterator[int]:
    """Run ``app`` under gunicorn for the ``with`` block; yields the port."""
    with served(app, env, settings) as (_, port):
        yield port


@contextmanager
def served(
    app: str, env: dict[str, str], settings: GunicornSettings | None = None
) -> Iterator[tuple[int, int]]:
    """Run ``app`` under gunicorn for the ``with`` block; yields the master's pid and the port."""
    process, port = start(app, env, settings or GunicornSettings())
    try:
        wait_ready(process, port)
        yield process.pid, port
    finally:
        stop(process)


def children(parent: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
        except OSError:
            continue
        ppid = next(line.split()[1] for line in status.splitlines() if line.startswith("PPid:"))
        if int(ppid) == parent:
            found.append(int(entry.name))
    return sorted(found)


def cpu_seconds(pids: list[int]) -> float:
    """User and system CPU time used so far by ``pids`` (``/proc/<pid>/stat``); 0 for a pid gone."""
    ticks = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(") ", 1)[1].split()
        except (OSError, IndexError):
            continue
        ticks += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
    return ticks / os.sysconf("SC_CLK_TCK")
