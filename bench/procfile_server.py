"""The line as production runs it: the Procfile's ``release`` and ``web`` commands, run by bash
with ``$PORT`` set, from the checkout's virtualenv. For the fault suite (``fault_suite.py``)."""

from __future__ import annotations

import http.client
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from gunicorn_server import HOST, ROOT, children, free_port, wait_ready

PROCFILE = ROOT / "Procfile"


def procfile() -> dict[str, str]:
    lines = PROCFILE.read_text(encoding="utf-8").splitlines()
    return dict(line.split(": ", 1) for line in lines if line.strip())


def with_venv(env: dict[str, str]) -> dict[str, str]:
    """``gunicorn`` and ``ivr`` on PATH from this interpreter's virtualenv, as on a dyno."""
    bin_dir = str(Path(sys.executable).parent)
    return {**env, "PATH": bin_dir + os.pathsep + env.get("PATH", os.environ.get("PATH", ""))}


def release(env: dict[str, str]) -> None:
    """The release phase (``ivr db upgrade``); raises when it fails."""
    subprocess.run(["bash", "-c", procfile()["release"]], cwd=ROOT, env=with_venv(env), check=True,
                   capture_output=True, timeout=60)  # fmt: skip


@dataclass
class WebServer:
    """``web:`` from the Procfile; ``master`` is gunicorn's arbiter (bash ``exec``s it)."""

    process: subprocess.Popen[bytes]
    port: int

    @classmethod
    def start(cls, env: dict[str, str], log: Path) -> WebServer:
        port = free_port()
        with log.open("ab") as out:
            process = subprocess.Popen(
                ["bash", "-c", "exec " + procfile()["web"]],
                cwd=ROOT,
                env=with_venv({**env, "PORT": str(port)}),
                stdout=out,
                stderr=out,
            )
        server = cls(process, port)
        wait_ready(process, port, timeout=30)
        return server

    @property
    def master(self) -> int:
        return self.process.pid

    def workers(self) -> list[int]:
        return children(self.master)

    def kill_worker(self) -> int:
        pid = self.workers()[0]
        os.kill(pid, signal.SIGKILL)
        return pid

    def kill_master(self) -> list[int]:
        """kill -9 of the arbiter; its workers notice the new parent and exit on their own."""
        orphans = self.workers()
        os.kill(self.master, signal.SIGKILL)
        self.process.wait()
        return orphans

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


def wait_gone(pids: list[int], timeout: float = 30.0) -> bool:
    """True once none of ``pids`` is alive (zombies count as gone)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        alive = [p for p in pids if _alive(p)]
        if not alive:
            return True
        time.sleep(0.1)
    return False


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1][0]
    except (OSError, IndexError):
        return False
    return state != "Z"
