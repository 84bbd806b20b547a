"""Webhook cost: the line against the ceiling and the bare floor, under the same server and load.

    .venv/bin/python bench/webhook.py --rounds 9 --seconds 2

Three apps run on 127.0.0.1 at once, pinned to one CPU (wrk on the other): the line, the
ceiling (``ceiling_app.py``: reads Twilio's form, checks the signature, answers prebuilt TwiML:
the smallest cost of the necessary work) and bare Flask (``bare_app.py``: reads and checks
nothing). Every request carries Twilio's real form (~30 parameters, ~900 bytes) and is signed.
Three request sets: ``/voice`` (the welcome), ``mid-tree`` (a ja/nee that leads to another
question) and ``mix`` (whole calls: welcome, answers by key and by speech, the offering, the
menu's goodbye). Rounds interleave every set and app, 2 s each, in an order that turns each
round; each figure is the median over rounds of that round's own ratio (noise on a 2-core
machine is large: one run is not a measurement). Each ratio is given twice: by throughput (wrk's
requests per second) and by the servers' CPU time per answered request (read from /proc for
each server process), which other load on the machine moves far less. Floor: line/ceiling
>= 0.75 for /voice and mid-tree. Every app runs under waitress with the Procfile's settings
(``web_server.py``, ``serve_app.py``: ``--threads``, default 32, as WEB_THREADS);
``--access-log`` turns the line's path-only access log on (ACCESS_LOG=1).
"""

from __future__ import annotations

import argparse
import http.client
import os
import platform
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from latency import Throughput
from load_generator import FORM, drive, wrk_available
from signed_calls import (
    SignedRequest,
    keyed,
    line_env,
    load_line_content,
    sign,
    spoken,
    welcome,
)
from web_server import (
    BARE_APP,
    CEILING_APP,
    HOST,
    LINE_APP,
    ServerSettings,
    cpu_seconds,
    package_served,
    served,
    split_cpus,
)

from ivr.cli.db import upgrade_database
from ivr.config.content import Content
from ivr.config.settings import Settings
from ivr.core.call_state import Route, Stage, Step, step_url
from ivr.core.tree_model import YES, Question

FLOOR = 0.75  # line / ceiling
APPS = {"line": LINE_APP, "ceiling": CEILING_APP, "bare": BARE_APP}
SETS = ("/voice", "mid-tree", "mix")
CALL_SIDS = 8  # distinct calls in the /voice set


def call_sid(n: int) -> str:
    return f"CA{n:030d}bench"


def voice_requests() -> list[SignedRequest]:
    """The welcome, for a few different calls."""
    return [welcome(CallSid=call_sid(n)) for n in range(CALL_SIDS)]


def mid_tree_requests(content: Content) -> list[SignedRequest]:
    """Every key 1/2 at a question of the tree that leads to another question."""
    tree, found = content.tree, []
    for path in sorted({p[:i] for p in tree.paths() for i in range(len(p))}):
        for reply in ("j", "n"):
            if isinstance(tree.node_at(path + reply), Question):
                url = step_url(Step(Route.ANSWER, path))
                found.append(keyed(url, "1" if reply == YES else "2"))
    return found


def mix_requests(content: Content) -> list[SignedRequest]:
    """Whole calls, one per path of the tree, as Twilio makes them: the welcome, the first
    answer spoken and the others keyed, the offering, then "nee" in the menu (the goodbye)."""
    found = []
    for n, path in enumerate(content.tree.paths()):
        sid = {"CallSid": call_sid(n)}
        found.append(welcome(**sid))
        for i, reply in enumerate(path):
            url = step_url(Step(Route.ANSWER, path[:i]))
            if i == 0:
                found.append(spoken(url, "ja hoor" if reply == YES else "nee", **sid))
            else:
                found.append(keyed(url, "1" if reply == YES else "2", **sid))
        menu = step_url(Step(Route.MENU, path, stage=Stage.RESTART))
        found.append(sign(menu, Digits="2", msg="Gather End", FinishedOnKey="", **sid))
    return found


def request_sets(content: Content) -> dict[str, list[SignedRequest]]:
    return {
        "/voice": voice_requests(),
        "mid-tree": mid_tree_requests(content),
        "mix": mix_requests(content),
    }


@dataclass(frozen=True)
class Run:
    """One load run on one app: what wrk saw, and the server's CPU time per answered request."""

    load: Throughput
    cpu_us: float  # the server process, user + system, per completed request

    @property
    def per_second(self) -> float:
        return self.load.per_second


@dataclass(frozen=True)
class Ratio:
    """The median of per-round ratios, and their range."""

    median: float
    low: float
    high: float

    def __str__(self) -> str:
        return f"{self.median:.2f} ({self.low:.2f}-{self.high:.2f})"


def ratio(line: Sequence[Run | Throughput], other: Sequence[Run | Throughput]) -> Ratio:
    """Throughput, round by round (the same index is the same round), then the median."""
    return _median([a.per_second / b.per_second for a, b in zip(line, other, strict=True)])


def cpu_ratio(line: Sequence[Run], other: Sequence[Run]) -> Ratio:
    """The same ratio from the servers' CPU time per request (other's / line's): what the
    throughput ratio would be on a CPU of their own, far less moved by other load."""
    return _median([b.cpu_us / a.cpu_us for a, b in zip(line, other, strict=True)])


def _median(per_round: Sequence[float]) -> Ratio:
    return Ratio(statistics.median(per_round), min(per_round), max(per_round))


def order(round_no: int) -> list[str]:
    """The apps' order in a round, turned by one each round so drift hits each app alike."""
    names = list(APPS)
    shift = round_no % len(names)
    return names[shift:] + names[:shift]


Runs = dict[str, dict[str, list[Run]]]  # set -> app -> one run per round


def check_answers(port: int, requests: Sequence[SignedRequest]) -> None:
    """Every request once: each must be a 200 with TwiML (a 403 would measure nothing)."""
    conn = http.client.HTTPConnection(HOST, port, timeout=5)
    for r in requests:
        conn.request(
            "POST", r.url, r.body, {"Content-Type": FORM, "X-Twilio-Signature": r.signature}
        )
        reply = conn.getresponse()
        body = reply.read()
        if reply.status != 200 or b"<Response>" not in body:
            raise RuntimeError(f"{r.url} answered {reply.status}: {body[:200]!r}")
    conn.close()


@dataclass(frozen=True)
class Options:
    seconds: float = 2.0
    connections: int = 8
    rounds: int = 9
    tool: str = "wrk"
    pin: bool = True
    server: ServerSettings = field(default_factory=ServerSettings)
    line_from: str | None = None  # another checkout's ivr/ for the line (a before figure)


def compare(options: Options, sets: Mapping[str, Sequence[SignedRequest]]) -> Runs:
    """All three servers up at once; every round runs every set on every app."""
    runs: Runs = {name: {app: [] for app in APPS} for name in sets}
    with tempfile.TemporaryDirectory() as folder:  # a fresh database for every measurement
        env = line_env(IVR_SQLITE_PATH=str(Path(folder) / "ivr.sqlite3"))
        upgrade(env, options.line_from)  # the line's call events are written, as deployed
        _measure(options, sets, env, runs)
    return runs


def upgrade(env: dict[str, str], line_from: str | None) -> None:
    """A fresh database at the schema of the line that runs: another checkout's line upgrades
    it with its own ``ivr db upgrade`` (its schema may be older than this code's)."""
    if line_from is None:
        upgrade_database(Settings.from_env(env).database_url)
        return
    command = [sys.executable, "-c", "from ivr.cli import cli; cli(['db', 'upgrade'])"]
    subprocess.run(command, cwd=line_from, env={**os.environ, **env}, check=True)


def _measure(
    options: Options, sets: Mapping[str, Sequence[SignedRequest]], env: dict[str, str], runs: Runs
) -> None:
    cpus = split_cpus() if options.pin else None
    server_cpus, load_cpus = cpus if cpus else (None, None)
    settings = replace(options.server, cpus=server_cpus)
    line_settings = settings
    if options.line_from:  # that checkout's package (with its own ivr.web.server)
        line_settings = replace(settings, root=Path(options.line_from).resolve())
        served_from = package_served(line_settings.root, env)
        if served_from != line_settings.root / "ivr":
            raise SystemExit(f"the line would run {served_from}, not {options.line_from}")
    with (
        served(LINE_APP, env, line_settings) as line_server,
        served(CEILING_APP, env, settings) as ceiling_server,
        served(BARE_APP, env, settings) as bare_server,
    ):
        servers = {"line": line_server, "ceiling": ceiling_server, "bare": bare_server}
        for _, port in servers.values():
            for requests in sets.values():
                check_answers(port, requests)
                # warm-up, not counted
                drive(port, requests, 1.0, options.connections, options.tool, load_cpus)
        for n in range(options.rounds):
            for name, requests in sets.items():
                for app in order(n):
                    used = cpu_seconds([servers[app][0]])
                    load = drive(
                        servers[app][1],
                        requests,
                        options.seconds,
                        options.connections,
                        options.tool,
                        load_cpus,
                    )
                    used = cpu_seconds([servers[app][0]]) - used
                    runs[name][app].append(Run(load, used / max(1, load.requests) * 1e6))


def report(runs: Runs) -> list[str]:
    lines = [
        f"{'requests':<9} {'line/ceiling':>17} {'line/bare':>17} {'ceiling/bare':>17}"
        "   median req/s and CPU us per request: line, ceiling, bare"
    ]
    for label, measure in (("req/s", ratio), ("CPU", cpu_ratio)):
        lines.append(f"by {label}:")
        for name, by_app in runs.items():
            line, ceiling, bare = by_app["line"], by_app["ceiling"], by_app["bare"]
            if label == "CPU":
                figures = [statistics.median(r.cpu_us for r in by_app[app]) for app in APPS]
            else:
                figures = [statistics.median(r.per_second for r in by_app[app]) for app in APPS]
            lines.append(
                f"{name:<9} {measure(line, ceiling)!s:>17} {measure(line, bare)!s:>17} "
                f"{measure(ceiling, bare)!s:>17}   " + ", ".join(f"{f:.0f}" for f in figures)
            )
    for name in SETS[:2]:
        if name in runs:
            found = ratio(runs[name]["line"], runs[name]["ceiling"]).median
            cpu = cpu_ratio(runs[name]["line"], runs[name]["ceiling"]).median
            verdict = "meets" if min(found, cpu) >= FLOOR else "MISSES"
            lines.append(
                f"{name}: line/ceiling {found:.2f} by req/s, {cpu:.2f} by CPU: {verdict} the "
                f"floor of >= {FLOOR}"
            )
    errors = sum(r.load.errors for by_app in runs.values() for rs in by_app.values() for r in rs)
    lines.append(f"errors: {errors}")
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=2.0, help="per run (default 2)")
    parser.add_argument("--rounds", type=int, default=9, help="interleaved rounds (default 9)")
    parser.add_argument("--connections", type=int, default=8, help="concurrent (default 8)")
    parser.add_argument("--threads", type=int, default=32, help="waitress threads (32)")
    parser.add_argument("--sets", nargs="+", choices=SETS, default=list(SETS))
    parser.add_argument("--access-log", action="store_true", help="with the access log on")
    parser.add_argument(
        "--line-from",
        metavar="DIR",
        help="run the line from another checkout (e.g. 'git archive COMMIT | tar -x -C DIR'; "
        "one that has ivr.web.server): the before figure",
    )
    parser.add_argument(
        "--no-pin",
        dest="pin",
        action="store_false",
        help="do not pin the servers and the load generator to separate CPUs",
    )
    parser.add_argument("--tool", choices=("auto", "wrk", "python"), default="auto")
    args = parser.parse_args(argv)
    tool = args.tool if args.tool != "auto" else ("wrk" if wrk_available() else "python")
    server = ServerSettings(threads=args.threads, access_log=args.access_log)
    options = Options(
        args.seconds, args.connections, args.rounds, tool, args.pin, server, args.line_from
    )
    sets = request_sets(load_line_content())
    runs = compare(options, {name: sets[name] for name in args.sets})
    cpus = split_cpus()
    pinned = f" on CPUs {sorted(cpus[0])}, load on {sorted(cpus[1])}" if args.pin and cpus else ""
    print(
        f"{tool}, {args.connections} connections, {args.rounds} rounds x {args.seconds:g} s "
        f"per set and app, waitress {server.threads} threads"
        f"{', access log on' if args.access_log else ''}"
        f"{f', line from {args.line_from}' if args.line_from else ''}{pinned}, "
        f"nproc {os.cpu_count()}, "
        f"Python {platform.python_version()}"
    )
    print("\n".join(report(runs)))
    if tool == "python":
        print(
            "note: the Python load generator on one CPU may saturate before bare Flask does, "
            "which flatters the ratios; install wrk for the figures of record."
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
