"""A burst of staff claiming the same callback requests at once, over HTTP, under waitress.

Each round: one request made by a call, then ``--staff`` logged-in sessions press "Ik bel" on
it at the same instant. Exactly one may win; every other must be told who was first. Reports
the outcome counts and the claim latencies (median and slowest).

    .venv/bin/python bench/claim_burst.py --staff 16 --rounds 10 [--database-url postgresql://...]
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import requests
from web_server import LINE_APP, serving

from ivr.cli.db import upgrade_database
from ivr.config.settings import database_url
from ivr.storage.accounts import Accounts
from ivr.storage.database import Database

PASSWORD = "bench-wachtwoord-123"
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
_FLASH = re.compile(r'<p class="flash \w+" role="status">(.*?)</p>')


def session(base: str, name: str) -> tuple[requests.Session, str]:
    """A logged-in staff session and its CSRF token."""
    browser = requests.Session()
    token = _CSRF.findall(browser.get(f"{base}/staff/login", timeout=10).text)[0]
    form = {"username": name, "password": PASSWORD, "csrf_token": token}
    page = browser.post(f"{base}/staff/login", data=form, timeout=10)
    assert page.url.endswith("/staff/callbacks"), page.url
    return browser, _CSRF.findall(page.text)[0]


def call_in(base: str, n: int) -> None:
    """A caller asks for a callback (development mode: the webhook needs no signature)."""
    data = {"CallSid": f"CA{n:032d}", "From": f"+316{n:08d}", "Digits": "1"}
    reply = requests.post(f"{base}/voice/callback?p=nj&s=own", data=data, timeout=10)
    assert "Genoteerd" in reply.text, reply.text


def burst(
    base: str, sessions: list[tuple[requests.Session, str]], n: int
) -> tuple[list[str], list[float]]:
    """Every session presses "Ik bel" on request ``n`` at once: what each was told, and how
    long each took."""
    together = threading.Barrier(len(sessions))
    said: list[str] = []
    took: list[float] = []

    def claim(browser: requests.Session, token: str) -> None:
        together.wait()
        start = time.perf_counter()
        page = browser.post(
            f"{base}/staff/callbacks/{n}/claim", data={"csrf_token": token}, timeout=10
        )
        took.append(time.perf_counter() - start)
        said.append(_FLASH.findall(page.text)[0])

    threads = [threading.Thread(target=claim, args=pair) for pair in sessions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return said, took


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--staff", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="ivr-claims-"))
    url = database_url({"DATABASE_URL": args.database_url}, folder)
    upgrade_database(url)
    database = Database(url)
    names = [f"medewerker{n}" for n in range(args.staff)]
    for name in names:
        Accounts(database).set_password(name, PASSWORD, datetime.now(UTC))
    env = {
        **os.environ,
        "IVR_DEV_MODE": "1",
        "SECRET_KEY": "3f9c1e7a5b2d48c6a0e4f1b7d9c3a5e8",
        "DATABASE_URL": args.database_url,
        "IVR_INSTANCE_PATH": str(folder),
        "IVR_AUDIO_DIR": str(folder / "audio"),
    }
    wins, told, other, latencies = 0, 0, 0, []
    with serving(LINE_APP, env) as port:
        base = f"http://127.0.0.1:{port}"
        sessions = [session(base, name) for name in names]
        for n in range(1, args.rounds + 1):
            call_in(base, n)
            said, took = burst(base, sessions, n)
            latencies += took
            wins += sum(text == f"Verzoek {n} staat op uw naam. U belt." for text in said)
            told += sum(text.startswith(f"Verzoek {n} wordt al gebeld door ") for text in said)
            other += len(said) - sum(
                text == f"Verzoek {n} staat op uw naam. U belt."
                or text.startswith(f"Verzoek {n} wordt al gebeld door ")
                for text in said
            )
    database.dispose()
    backend = "PostgreSQL" if args.database_url else "SQLite"
    print(
        f"{backend}, {args.rounds} rounds x {args.staff} simultaneous claims: "
        f"{wins} won (1 per round expected), {told} told who was first, {other} other; "
        f"claim latency median {statistics.median(latencies) * 1000:.0f} ms, "
        f"slowest {max(latencies) * 1000:.0f} ms"
    )


if __name__ == "__main__":
    main()
