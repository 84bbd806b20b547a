"""A web server on 127.0.0.1 for one measurement: started, waited for, always stopped.

Every app (the line, the ceiling, bare Flask) runs in a process of its own under waitress with
the Procfile's settings (``ivr.web.server.server_options``; ``serve_app.py``), so the apps
differ only in their own work.
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
LINE_APP = "ivr.web.app:create_app()"  # the line, built as the Procfile builds it
BARE_APP = "bare_app:app"
CEILING_APP = "ceiling_app:app"
HOST = "127.0.0.1"


@dataclass(frozen=True)
class ServerSettings:
    threads: int = 32  # the Procfile's default (WEB_THREADS)
    access_log: bool = False  # the access log (ACCESS_LOG=1), written to /dev/null
    cpus: frozenset[int] | None = None  # pinned here (the load generator gets the others)
    # The working folder: `python serve_app.py` puts the served folder first on sys.path, so
    # its ivr/ is the one served (another checkout's, for a before figure).
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


def command(app: str) -> list[str]:
    return [sys.executable, str(BENCH_DIR / "serve_app.py"), app]


def start(
    app: str, env: dict[str, str], settings: ServerSettings
) -> tuple[subprocess.Popen[bytes], int]:
    port = free_port()
    cpus = settings.cpus
    pin = (lambda: os.sched_setaffinity(0, cpus)) if cpus else None
    served_env = {
        **env,
        "PORT": str(port),
        "WEB_THREADS": str(settings.threads),
        "ACCESS_LOG": "1" if settings.access_log else "0",
        "PYTHONPATH": os.pathsep.join([str(settings.root), str(BENCH_DIR)]),
    }
    out = open(os.devnull, "wb") if settings.access_log else None  # noqa: SIM115
    process = subprocess.Popen(
        command(app), cwd=settings.root, env=served_env, preexec_fn=pin, stdout=out, stderr=out
    )
    return process, port


def package_served(root: Path, env: dict[str, str]) -> Path:
    """The folder of the ``ivr`` package a server started in ``root`` imports."""
    found = subprocess.run(
        [sys.executable, "-c", "import ivr; print(ivr.__file__)"],
        cwd=root,
        env={**env, "PYTHONPATH": str(root)},
        capture_output=True,
        text=True,
        check=True,
    )
    return Path(found.stdout.strip()).parent


def wait_ready(process: subprocess.Popen[bytes], port: int, timeout: float = 20.0) -> None:
    """Until ``/healthz`` answers 200 (raises if the server exits or takes too long)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode}")
        conn = http.client.HTTPConnection(HOST, port, timeout=1)
        try:
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.02)
        finally:
            conn.close()
    raise RuntimeError(f"the server did not answer on port {port} within {timeout} s")


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def serving(app: str, env: dict[str, str], settings: ServerSettings | None = None) -> Iterator[int]:
    """Run ``app`` under waitress for the ``with`` block; yields the port."""
    with served(app, env, settings) as (_, port):
        yield port


@contextmanager
def served(
    app: str, env: dict[str, str], settings: ServerSettings | None = None
) -> Iterator[tuple[int, int]]:
    """Run ``app`` under waitress for the ``with`` block; yields the server's pid and the port."""
    process, port = start(app, env, settings or ServerSettings())
    try:
        wait_ready(process, port)
        yield process.pid, port
    finally:
        stop(process)


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


def children(parent: int) -> list[int]:
    """The processes whose parent is ``parent`` (from ``/proc``)."""
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


def process_tree(pid: int) -> list[int]:
    """``pid`` and every process under it (gunicorn's workers, for a before figure)."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo += children(current)
    return found


def rss_kib(pid: int) -> int:
    """The resident memory of ``pid`` and the processes under it (VmRSS, KiB); 0 when gone."""
    total = 0
    for member in process_tree(pid):
        try:
            status = Path(f"/proc/{member}/status").read_text()
        except OSError:
            continue
        total += sum(int(ln.split()[1]) for ln in status.splitlines() if ln.startswith("VmRSS:"))
    return total
