"""What the call figures cost the webhooks: the line with figures on against the same line
with ``CALL_FIGURES=0``, and both against bare Flask, under the same server and load.

    .venv/bin/python bench/figures_cost.py --seconds 2 --rounds 9

The three servers run at once and take turns, round after round, under the same signed
requests (the welcome and every answer along every path of the tree, one call's CallSid). The
figure that counts is the median of the per-round ratios; the aim is figures-on within 5% of
figures-off. Both lines use one SQLite file, upgraded first, so the call events are really
written.
"""

from __future__ import annotations

import argparse
import os
import statistics
from collections.abc import Sequence

from load_generator import drive, wrk_available
from signed_calls import line_env, load_line_content, tree_requests
from web_server import BARE_APP, LINE_APP, ServerSettings, serving, split_cpus
from webhook import check_answers, request_sets
from webhook_parts import environ, per_request_us, wsgi

from ivr.cli.db import upgrade_database
from ivr.config.settings import Settings
from ivr.web.app import create_app

AIM = 0.95  # figures on: at least this share of the throughput with figures off
SERVERS = ("on", "off", "bare")


def per_round(
    seconds: float, connections: int, tool: str, threads: int, rounds: int
) -> dict[str, list[float]]:
    """req/s of each server per round, the servers taking turns within each round."""
    env = line_env()
    upgrade_database(Settings.from_env(env).database_url)
    requests = tree_requests(load_line_content())
    cpus = split_cpus()
    server_cpus, load_cpus = cpus if cpus else (None, None)
    settings = ServerSettings(threads=threads, cpus=server_cpus)
    found: dict[str, list[float]] = {name: [] for name in SERVERS}
    with (
        serving(LINE_APP, env, settings) as on,
        serving(LINE_APP, {**env, "CALL_FIGURES": "0"}, settings) as off,
        serving(BARE_APP, env, settings) as bare,
    ):
        ports = {"on": on, "off": off, "bare": bare}
        for port in (on, off):
            check_answers(port, requests)
        for port in ports.values():
            drive(port, requests, min(1.0, seconds), connections, tool, load_cpus)  # warm-up
        for round_no in range(rounds):
            turn = round_no % len(SERVERS)  # each server goes first in turn: no order bias
            for name in SERVERS[turn:] + SERVERS[:turn]:
                run = drive(ports[name], requests, seconds, connections, tool, load_cpus)
                found[name].append(run.per_second)
    return found


def in_process(rounds: int, passes: int) -> dict[str, list[float]]:
    """Microseconds per request of the whole-call mix, in one process, the two lines taking
    turns; each pass long enough (a few seconds) to include the writer thread's batches."""
    env = line_env()
    upgrade_database(Settings.from_env(env).database_url)
    sets = request_sets(load_line_content())
    envs = [environ(r) for r in sets["mix"]]
    apps = {"on": wsgi(create_app(env)), "off": wsgi(create_app({**env, "CALL_FIGURES": "0"}))}
    found: dict[str, list[float]] = {name: [] for name in apps}
    for call in apps.values():
        per_request_us(call, envs, 2)  # warm-up
    for _ in range(rounds):
        for name, call in apps.items():
            found[name].append(per_request_us(call, envs, passes))
    return found


def ratios(found: dict[str, list[float]], top: str, bottom: str) -> list[float]:
    return [a / b for a, b in zip(found[top], found[bottom], strict=True) if b]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=2.0, help="per server and round")
    parser.add_argument("--rounds", type=int, default=9, help="interleaved rounds (default 9)")
    parser.add_argument("--connections", type=int, default=8, help="concurrent (default 8)")
    parser.add_argument("--threads", type=int, default=32, help="waitress threads (32)")
    parser.add_argument("--tool", choices=("auto", "wrk", "python"), default="auto")
    parser.add_argument(
        "--in-process", action="store_true", help="time the mix in one process, no HTTP"
    )
    args = parser.parse_args(argv)
    if args.in_process:
        times = in_process(args.rounds, passes=40)
        for name in ("on", "off"):
            print(f"{name:>4}: " + ", ".join(f"{us:.0f}" for us in times[name]) + " us/request")
        cost = statistics.median(ratios(times, "off", "on"))  # time: off/on is the speed ratio
        verdict = "meets" if cost >= AIM else "MISSES"
        print(f"figures on/off, speed: {cost:.3f} (median of rounds; {verdict} >= {AIM})")
        return 0
    tool = args.tool if args.tool != "auto" else ("wrk" if wrk_available() else "python")
    found = per_round(args.seconds, args.connections, tool, args.threads, args.rounds)
    print(
        f"{tool}, {args.connections} connections, {args.rounds} rounds x {args.seconds:g} s per "
        f"server, waitress {args.threads} threads, nproc {os.cpu_count()}"
    )
    for name in SERVERS:
        print(f"{name:>4}: " + ", ".join(f"{n:.0f}" for n in found[name]) + " req/s")
    cost = statistics.median(ratios(found, "on", "off"))
    for top, bottom in (("on", "bare"), ("off", "bare")):
        print(f"line {top}/bare: {statistics.median(ratios(found, top, bottom)):.3f} (median)")
    verdict = "meets" if cost >= AIM else "MISSES"
    print(f"figures on/off: {cost:.3f} (median of rounds; {verdict} the aim of >= {AIM})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
