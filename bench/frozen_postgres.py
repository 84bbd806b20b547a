"""Freeze a running PostgreSQL server (SIGSTOP to the postmaster and every backend) and thaw it.

A frozen server still accepts TCP connections in the kernel, so clients see no error at all:
their statements simply never answer. Needs permission to signal the server's processes (root,
or the same user). Finds the postmaster through ``SHOW data_directory`` / ``postmaster.pid``.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from sqlalchemy import create_engine, text
from web_server import children


def postmaster_pid(url: str) -> int:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            folder = conn.execute(text("SHOW data_directory")).scalar_one()
    finally:
        engine.dispose()
    return int((Path(folder) / "postmaster.pid").read_text().splitlines()[0])


def can_freeze(url: str) -> str | None:
    """None when this process may freeze the server at ``url``, else why not."""
    try:
        pid = postmaster_pid(url)
        os.kill(pid, 0)
    except PermissionError:
        return "no permission to signal the PostgreSQL server (run as root or its user)"
    except Exception as exc:  # any reason: the suite is skipped with it
        return f"cannot find the PostgreSQL server's process: {type(exc).__name__}: {exc}"
    return None


@contextmanager
def frozen(url: str) -> Iterator[list[int]]:
    """The whole server stopped for the ``with`` block; always thawed after."""
    master = postmaster_pid(url)
    pids = [master, *children(master)]
    try:
        for pid in pids:
            # A backend may exit between the listing and here (a connection just closed):
            # nothing to stop. Inside the try, so whatever was stopped is always thawed.
            with suppress(ProcessLookupError):
                os.kill(pid, signal.SIGSTOP)
        yield pids
    finally:
        for pid in pids:
            with suppress(ProcessLookupError):
                os.kill(pid, signal.SIGCONT)
