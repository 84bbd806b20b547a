"""The line under faults, as production runs it: the Procfile's server and a real PostgreSQL.

    TEST_DATABASE_URL=postgresql://postgres@127.0.0.1:54341/ivr_test \\
        .venv/bin/python bench/fault_suite.py [--freeze 20 --calls 50 --burst 300 --sms-calls 10
        --slow-connections 1000 --only slow-clients]

- **frozen**: the database is stopped (SIGSTOP, ``frozen_postgres.py``) while ``--calls`` calls
  arrive, half welcomes (no database) and half callback confirmations;
- **killed**: ``kill -9`` of the server during a burst of callback confirmations; a new one is
  started, as the platform would;
- **sms**: Twilio's real HTTP client reaches api.twilio.com through HTTPS_PROXY, a local server
  that accepts and never answers;
- **slow clients**: ``--slow-connections`` connections trickle headers or bodies a byte every
  few seconds (``slow_clients.py``) while signed welcomes and the staff login page are timed.

Every webhook must answer within BUDGET seconds, and every request the caller heard confirmed
("Genoteerd") must be in the database afterwards. The frozen database needs permission to
signal PostgreSQL; ``--only`` runs the scenarios named (the slow clients need no signal).
"""

from __future__ import annotations

import argparse
import asyncio
import http.client
import os
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from frozen_postgres import frozen
from hung_server import HungServer
from procfile_server import WebServer, release
from signed_calls import CALL, line_env, sign, welcome
from slow_clients import SlowResult, measure, raise_file_limit
from sqlalchemy import create_engine, text

from ivr.config.settings import database_url
from ivr.config.staff import default_call_key_secret
from ivr.core.call_events import CALLBACKS, call_key

BUDGET = 5.0
CONFIRMED = "Genoteerd."
SMS_FAILED = "het versturen van de sms is niet gelukt"
# An offering the advice SMS is offered at (logeeropvang via de Wlz): its path of answers.
SMS_OFFERING = "njnj"
SMS_ENV = {"TWILIO_ACCOUNT_SID": "AC" + "0" * 32, "SMS_FROM": "+3197010000000"}


@dataclass
class Outcome:
    kind: str  # "welcome", "callback" or "sms"
    call_sid: str
    seconds: float
    status: int | None = None  # None: no HTTP answer (connection refused or reset)
    body: str = ""

    @property
    def confirmed(self) -> bool:
        return self.status == 200 and CONFIRMED in self.body


@dataclass
class Report:
    name: str
    outcomes: list[Outcome] = field(default_factory=list)
    stored: set[str] = field(default_factory=set)  # CallSids found in the database after
    notes: list[str] = field(default_factory=list)
    slow: SlowResult | None = None  # the slow clients' own figures

    def answered(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status is not None]

    def lost(self) -> list[str]:
        return [o.call_sid for o in self.outcomes if o.confirmed and o.call_sid not in self.stored]

    def late(self) -> list[str]:
        """Stored although the caller did not hear "Genoteerd": open, found by the staff."""
        told = {o.call_sid for o in self.outcomes if o.confirmed}
        asked = {o.call_sid for o in self.outcomes if o.kind == "callback"}
        return sorted((self.stored & asked) - told)

    def summary(self) -> str:
        answered = self.answered()
        slowest = max((o.seconds for o in answered), default=0.0)
        over = sum(o.seconds > BUDGET for o in answered)
        errors = sum(o.status != 200 for o in answered)
        confirmed = sum(o.confirmed for o in self.outcomes)
        welcomes = [o.seconds for o in answered if o.kind == "welcome"]
        welcome = f" (welcome {max(welcomes):.2f} s)" if welcomes else ""
        return (
            f"{self.name}: {len(self.outcomes)} webhooks, {len(answered)} answered, "
            f"{errors} not 200, slowest {slowest:.2f} s{welcome}, {over} over {BUDGET:g} s; "
            f"{confirmed} confirmed, {len(self.lost())} confirmed but lost, "
            f"{len(self.late())} stored unconfirmed (open for the staff)"
            + "".join(f"; {n}" for n in self.notes)
        )


def call(server: Callable[[], WebServer], kind: str, sid: str) -> Outcome:
    if kind == "welcome":
        request = welcome()
        request = sign(request.url, CallSid=sid, CallStatus="ringing")
    elif kind == "callback":
        request = sign("/voice/callback?p=&s=own", CallSid=sid, Digits="1")
    else:
        request = sign(f"/voice/sms?p={SMS_OFFERING}&s=offer", CallSid=sid, Digits="1")
    start = time.monotonic()
    try:
        status, body = server().post(request.url, request.body, request.signature)
    except (OSError, http.client.HTTPException):  # refused, reset, or an answer cut off by a kill
        return Outcome(kind, sid, time.monotonic() - start)
    return Outcome(kind, sid, time.monotonic() - start, status, body)


def stored_sids(url: str, outcomes: list[Outcome]) -> set[str]:
    """The CallSids among ``outcomes`` whose request is stored (under the call's pseudonym)."""
    secret = default_call_key_secret(line_env()["SECRET_KEY"])  # CALL_KEY_SECRET is not set
    sids = {call_key(secret, o.call_sid, CALLBACKS): o.call_sid for o in outcomes}
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            keys = conn.execute(text("SELECT call_key FROM callback_requests")).scalars()
            return {sids.get(key, key) for key in keys}
    finally:
        engine.dispose()


def clear(url: str) -> None:
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(text("DELETE FROM callback_requests"))
            conn.execute(text("DELETE FROM sms_sent"))
    finally:
        engine.dispose()


def sid(tag: str, n: int) -> str:
    return f"CA{tag}{n:0{32 - len(tag)}d}"


def frozen_database(env: dict[str, str], url: str, log: Path, seconds: float, calls: int) -> Report:
    report = Report(f"database frozen {seconds:g} s")
    server = WebServer.start(env, log)
    try:
        # warm: pooled connections to the server exist when it freezes (the hard case)
        report.outcomes += [call(lambda: server, "callback", sid("warm", n)) for n in range(4)]
        with frozen(url), ThreadPoolExecutor(max_workers=calls) as pool:
            gap = max(seconds - BUDGET - 1, 1.0) / calls
            futures = []
            for n in range(calls):
                kind = "welcome" if n % 2 else "callback"
                futures.append(pool.submit(call, lambda: server, kind, sid("frz", n)))
                time.sleep(gap)
            report.outcomes += [f.result() for f in futures]
            time.sleep(max(0.0, seconds - gap * calls))
        time.sleep(3)  # calls that started before the deadline finish in the background
        report.outcomes += [call(lambda: server, "callback", sid("after", n)) for n in range(4)]
    finally:
        server.stop()
    report.stored = stored_sids(url, report.outcomes)
    return report


def killed(env: dict[str, str], url: str, log: Path, burst: int) -> Report:
    report = Report(f"kill -9 of the server, {burst} callback requests")
    server = WebServer.start(env, log)
    try:
        with ThreadPoolExecutor(max_workers=8) as pool:
            futures = [pool.submit(call, lambda: server, "callback", sid("kill", n))
                       for n in range(2 * burst // 3)]  # fmt: skip
            while sum(f.done() for f in futures) < burst // 3:
                time.sleep(0.005)
            server.kill()
            report.notes.append("server killed")
            report.outcomes += [f.result() for f in futures]
            server = WebServer.start(env, log)  # the platform starts the dyno again
            rest = [pool.submit(call, lambda: server, "callback", sid("kill", n))
                    for n in range(2 * burst // 3, burst)]  # fmt: skip
            report.outcomes += [f.result() for f in rest]
    finally:
        server.stop()
    report.stored = stored_sids(url, report.outcomes)
    return report


def hung_sms(env: dict[str, str], url: str, log: Path, calls: int) -> Report:
    report = Report(f"SMS API hanging, {calls} callers say ja")
    proxy = HungServer()
    hung = f"http://127.0.0.1:{proxy.port}"  # requests reads either spelling: set both
    kept = {k: v for k, v in env.items() if k.lower() not in ("no_proxy", "https_proxy")}
    sms_env = {**kept, **SMS_ENV, "HTTPS_PROXY": hung, "https_proxy": hung}
    server = WebServer.start(sms_env, log)
    try:
        with ThreadPoolExecutor(max_workers=calls) as pool:
            futures = [
                pool.submit(call, lambda: server, "sms", sid("sms", n)) for n in range(calls)
            ]
            report.outcomes += [f.result() for f in futures]
    finally:
        server.stop()
        proxy.close()
    told = sum(SMS_FAILED in o.body for o in report.outcomes)
    report.notes.append(f"{told} told the SMS failed")
    return report


def slow_clients(env: dict[str, str], log: Path, connections: int, seconds: float) -> Report:
    report = Report(f"{connections} slow clients")
    raise_file_limit(2 * connections + 200)  # for the server too, which inherits it
    server = WebServer.start(env, log)
    try:
        slow = asyncio.run(measure(server.port, server.pid, connections, seconds, interval=3.0))
    finally:
        server.stop()
    sid = CALL["CallSid"]  # every timed call is a welcome of the same call: nothing is stored
    report.outcomes = [
        Outcome("welcome", sid, t.seconds, t.status or None, "<Response>" if t.status else "")
        for t in slow.calls
    ]
    report.slow = slow
    report.notes += slow.summary()[:1] + slow.summary()[2:]
    return report


SCENARIOS = ("frozen-database", "kill-9", "hung-sms-api", "slow-clients")


def main(argv: list[str] | None = None) -> list[Report]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--freeze", type=float, default=20.0)
    parser.add_argument("--calls", type=int, default=50)
    parser.add_argument("--burst", type=int, default=300)
    parser.add_argument("--sms-calls", type=int, default=10)
    parser.add_argument("--slow-connections", type=int, default=1000)
    parser.add_argument("--slow-seconds", type=float, default=10.0, help="calls timed for")
    parser.add_argument("--only", nargs="+", choices=SCENARIOS, default=list(SCENARIOS))
    args = parser.parse_args(argv)
    raw = os.environ.get("TEST_DATABASE_URL")
    if not raw:
        sys.exit("set TEST_DATABASE_URL to a PostgreSQL database this suite may freeze and fill")
    url = database_url({"DATABASE_URL": raw})
    env = line_env(DATABASE_URL=raw)
    release(env)
    reports = []
    with tempfile.TemporaryDirectory() as folder:
        log = Path(folder) / "server.log"
        scenarios = {
            "frozen-database": lambda: frozen_database(env, url, log, args.freeze, args.calls),
            "kill-9": lambda: killed(env, url, log, args.burst),
            "hung-sms-api": lambda: hung_sms(env, url, log, args.sms_calls),
            "slow-clients": lambda: slow_clients(
                env, log, args.slow_connections, args.slow_seconds
            ),
        }
        for scenario in (scenarios[name] for name in SCENARIOS if name in args.only):
            clear(url)
            start = time.monotonic()
            reports.append(scenario())
            reports[-1].notes.append(f"scenario took {time.monotonic() - start:.0f} s")
            print(reports[-1].summary(), flush=True)
    return reports


if __name__ == "__main__":
    main()
