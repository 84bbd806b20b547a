"""The line as production runs it: the Procfile's ``release`` and ``web`` commands, run by bash
with ``$PORT`` set, from a checkout's folder with this interpreter's virtualenv on PATH. For the
fault suite (``fault_suite.py``), the slow clients (``slow_clients.py``) and the load
(``load.py``); ``root`` runs another checkout's Procfile and code, for a before figure."""

from __future__ import annotations

import http.client
import os
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from signed_calls import line_env
from web_server import HOST, ROOT, free_port, package_served, wait_ready


def procfile(root: Path = ROOT) -> dict[str, str]:
    lines = (root / "Procfile").read_text(encoding="utf-8").splitlines()
    return dict(line.split(": ", 1) for line in lines if line.strip())


def with_venv(env: dict[str, str]) -> dict[str, str]:
    """``python`` and ``ivr`` on PATH from this interpreter's virtualenv, as on a dyno."""
    bin_dir = str(Path(sys.executable).parent)
    return {**env, "PATH": bin_dir + os.pathsep + env.get("PATH", os.environ.get("PATH", ""))}


def release(env: dict[str, str], root: Path = ROOT) -> None:
    """The release phase (``ivr db upgrade``); raises when it fails."""
    subprocess.run(
        ["bash", "-c", procfile(root)["release"]],
        cwd=root, env=with_venv(env), check=True, capture_output=True, timeout=60,
    )  # fmt: skip


@dataclass
class WebServer:
    """``web:`` from the Procfile; ``pid`` is the server's (bash ``exec``s it)."""

    process: subprocess.Popen[bytes]
    port: int

    @classmethod
    def start(
        cls,
        env: dict[str, str],
        log: Path,
        root: Path = ROOT,
        cpus: frozenset[int] | None = None,
    ) -> WebServer:
        """From ``root``'s folder (another checkout's for a before figure: put it on PYTHONPATH
        too, so its ``ivr`` is the one imported); pinned to ``cpus`` when given."""
        port = free_port()
        pin = (lambda: os.sched_setaffinity(0, cpus)) if cpus else None
        with log.open("ab") as out:
            process = subprocess.Popen(
                ["bash", "-c", "exec " + procfile(root)["web"]],
                cwd=root,
                env=with_venv({**env, "PORT": str(port)}),
                stdout=out,
                stderr=out,
                preexec_fn=pin,
            )
        server = cls(process, port)
        wait_ready(process, port, timeout=30)
        return server

    @property
    def pid(self) -> int:
        return self.process.pid

    def kill(self) -> None:
        """kill -9 of the server: what it has not answered is lost with it."""
        os.kill(self.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def post(self, url: str, body: str, signature: str, timeout: float = 15.0) -> tuple[int, str]:
        conn = http.client.HTTPConnection(HOST, self.port, timeout=timeout)
        try:
            conn.request("POST", url, body, {
                "Content-Type": "application/x-www-form-urlencoded",
                "X-Twilio-Signature": signature,
            })  # fmt: skip
            response = conn.getresponse()
            return response.status, response.read().decode("utf-8", errors="replace")
        finally:
            conn.close()


@contextmanager
def procfile_line(
    root: Path = ROOT, cpus: frozenset[int] | None = None, **extra: str
) -> Iterator[WebServer]:
    """The Procfile's ``release`` and ``web`` lines of ``root`` on a SQLite file of their own
    (signatures on, as ``signed_calls.line_env`` sets them up); ``extra`` settings added."""
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        env = line_env(
            IVR_SQLITE_PATH=str(folder / "ivr.sqlite3"),
            IVR_INSTANCE_PATH=str(folder),
            IVR_AUDIO_DIR=str(folder / "audio"),
            **extra,
        )
        env.pop("DATABASE_URL", None)
        if root != ROOT:
            env["PYTHONPATH"] = str(root)
        served = package_served(root, env)
        if served != root / "ivr":
            raise SystemExit(f"the line would run {served}, not {root}")
        release(env, root)
        server = WebServer.start(env, folder / "server.log", root, cpus)
        try:
            yield server
        finally:
            server.stop()
