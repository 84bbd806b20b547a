"""What ``synchronous=FULL`` costs the callback store: one stored request (one commit), on a
SQLite file in WAL mode, with FULL (the store's setting) and NORMAL (the earlier one).

    .venv/bin/python bench/sqlite_sync.py --requests 300 [--dir /path/on/the/real/disk]

Runs the rounds alternately so both see the same disk; prints the median and p99 per commit.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import event

from ivr.core.callback_request import CallbackRequest
from ivr.storage.callbacks import CallbackStore
from ivr.storage.database import Database


def commit_times(file: Path, synchronous: str, requests: int) -> list[float]:
    database = Database(f"sqlite:///{file}")
    store = CallbackStore(database)

    @event.listens_for(database.engine, "connect")
    def _level(dbapi_connection: Any, _record: Any) -> None:  # after the store's own pragmas
        dbapi_connection.execute(f"PRAGMA synchronous={synchronous}")

    database.upgrade()
    times = []
    now = datetime.now(UTC)
    try:
        for n in range(requests):
            request = CallbackRequest(
                f"CA{synchronous}{n:030d}", "+31201234567", "x", "y", "z", now
            )
            start = time.perf_counter()
            store.add(request)
            times.append(time.perf_counter() - start)
        with database.engine.connect() as conn:
            found = conn.exec_driver_sql("PRAGMA synchronous").scalar_one()
        assert found == {"FULL": 2, "NORMAL": 1}[synchronous], found
    finally:
        database.dispose()
    return times


def summary(times: list[float]) -> str:
    ordered = sorted(times)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return f"median {statistics.median(times) * 1000:.2f} ms, p99 {p99 * 1000:.2f} ms"


def main(argv: list[str] | None = None) -> dict[str, list[float]]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--dir", type=Path, default=None, help="where the SQLite files go")
    args = parser.parse_args(argv)
    found: dict[str, list[float]] = {"FULL": [], "NORMAL": []}
    with tempfile.TemporaryDirectory(dir=args.dir) as folder:
        for round_no in range(args.rounds):
            for level in ("NORMAL", "FULL"):
                file = Path(folder) / f"{level}-{round_no}.sqlite3"
                found[level] += commit_times(file, level, args.requests)
    for level, times in found.items():
        print(f"synchronous={level}: {len(times)} stored requests, {summary(times)}")
    return found


if __name__ == "__main__":
    main()
