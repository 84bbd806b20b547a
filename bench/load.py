"""Load: N simulated callers walk random paths against the Procfile's server, then cold start.

    .venv/bin/python bench/load.py --callers 200 --seconds 10 [--root DIR]

The line runs as deployed (``procfile_server.procfile_line``: the Procfile's ``release`` and
``web`` lines, signatures on, a SQLite file of its own), pinned to one CPU with the callers on
the other; ``--root`` runs another checkout's Procfile and code (a before figure).

Each caller: /voice, key 1 or 2 at every question of a random path, checks that the offering
spoken is the path's own (its name first), then key 2 in the menu until the goodbye; then a
new call, until time is up. No think time by default: a worst case, not a realistic day;
with ``--think`` the callers also start spread over that pause.
Reports calls, wrong offerings, 5xx, and p50/p99/max per webhook route.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import time
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import cold_start
from async_http import Answer, post
from latency import percentile
from procfile_server import procfile_line
from signed_calls import SignedRequest, load_line_content, sign, welcome
from web_server import ROOT, split_cpus

from ivr.core.normalise import normalise
from ivr.core.tree_model import YES, Offering, Tree

MAX_MENU_STEPS = 4  # offer -> restart question -> goodbye, with room to spare


@dataclass
class LoadResult:
    """What a load run counted: calls, answers, what went wrong, and how long each took."""

    calls: int = 0
    reached: int = 0  # calls that heard their path's offering
    wrong: list[str] = field(default_factory=list)  # what went wrong, one line each
    statuses: Counter[int] = field(default_factory=Counter)
    seconds: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))

    @property
    def server_errors(self) -> int:
        return sum(n for status, n in self.statuses.items() if status >= 500)


def heard_offering(doc: ET.Element, path: str, title: str) -> bool:
    """The offering's name is said first; pre-rendered audio (``<Play>``) cannot be read, so
    then the menu that follows must be the one for this path."""
    first = doc[0] if len(doc) else None
    if first is not None and first.tag == "Say":
        return first.text == normalise(f"{title}.")
    gather = doc.find("Gather")
    return gather is not None and f"?p={path}&s=" in gather.attrib["action"]


@cache
def signed_reply(url: str, digit: str) -> SignedRequest:
    return sign(url, Digits=digit)


def _last_gather(doc: ET.Element | None) -> ET.Element | None:
    """The Gather a caller answers: the last of a reply (the welcome's own comes first, and a
    caller who answers the first question waited through it)."""
    gathers = doc.findall("Gather") if doc is not None else []
    return gathers[-1] if gathers else None


class Caller:
    def __init__(self, port: int, tree: Tree, result: LoadResult, think: float) -> None:
        self.port, self.tree, self.result, self.think = port, tree, result, think
        self.paths = list(tree.paths().items())

    async def _hit(self, request: SignedRequest) -> ET.Element | None:
        if self.think:
            await asyncio.sleep(self.think)
        answer: Answer = await post(self.port, request)
        self.result.statuses[answer.status] += 1
        self.result.seconds[request.route].append(answer.seconds)
        if answer.status != 200:
            self.result.wrong.append(f"{request.url}: HTTP {answer.status}")
            return None
        return ET.fromstring(answer.body)

    async def call(self, rng: random.Random) -> None:
        path, offering_id = rng.choice(self.paths)
        self.result.calls += 1
        doc = await self._hit(welcome())
        for answer in path:
            gather = _last_gather(doc)
            if gather is None:
                self.result.wrong.append(f"path {path!r}: no question to answer")
                return
            doc = await self._hit(
                signed_reply(gather.attrib["action"], "1" if answer == YES else "2")
            )
        offering = self.tree.nodes[offering_id]
        assert isinstance(offering, Offering)
        if doc is None or not heard_offering(doc, path, offering.title):
            self.result.wrong.append(f"path {path!r}: not {offering.title!r}")
            return
        self.result.reached += 1
        for _ in range(MAX_MENU_STEPS):  # "nee" until the goodbye
            gather = _last_gather(doc)
            if gather is None:
                return
            doc = await self._hit(signed_reply(gather.attrib["action"], "2"))

    async def calls_until(self, deadline: float, seed: int) -> None:
        rng = random.Random(seed)
        await asyncio.sleep(rng.uniform(0, self.think))  # with pauses, calls do not start at once
        while time.monotonic() < deadline:
            await self.call(rng)


async def run_callers(port: int, callers: int, seconds: float, think: float) -> LoadResult:
    result = LoadResult()
    caller = Caller(port, load_line_content().tree, result, think)
    deadline = time.monotonic() + seconds
    tasks = [caller.calls_until(deadline, seed) for seed in range(callers)]
    await asyncio.wait_for(asyncio.gather(*tasks), seconds + 60)
    return result


def report(result: LoadResult, seconds: float) -> list[str]:
    lines = [
        f"calls {result.calls}, reached their offering {result.reached}, "
        f"wrong {len(result.wrong)}, 5xx {result.server_errors}, "
        f"statuses {dict(sorted(result.statuses.items()))}, "
        f"{sum(result.statuses.values()) / seconds:.0f} webhooks/s"
    ]
    lines += [f"  {problem}" for problem in result.wrong[:5]]
    for route, times in sorted(result.seconds.items()):
        ms = [t * 1000 for t in times]
        lines.append(
            f"{route:<14} n {len(ms):>6}  p50 {percentile(ms, 50):7.1f} ms  "
            f"p99 {percentile(ms, 99):7.1f} ms  max {max(ms):7.1f} ms"
        )
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--callers", type=int, default=200, help="concurrent (default 200)")
    parser.add_argument("--seconds", type=float, default=10.0, help="new calls until (10)")
    parser.add_argument("--think", type=float, default=0.0, help="caller pause per webhook (0)")
    parser.add_argument("--root", type=Path, default=ROOT, help="checkout to serve (this one)")
    parser.add_argument("--cold-runs", type=int, default=5, help="cold starts, 0 to skip (5)")
    args = parser.parse_args()
    cpus = split_cpus()
    with procfile_line(args.root.resolve(), cpus[0] if cpus else None) as server:
        started = time.monotonic()
        result = asyncio.run(run_callers(server.port, args.callers, args.seconds, args.think))
        elapsed = time.monotonic() - started
    pinned = f" on CPUs {sorted(cpus[0])}" if cpus else ""
    print(
        f"{args.callers} callers, {args.seconds:g} s (+ calls in progress: {elapsed:.1f} s), "
        f"think {args.think:g} s, the Procfile's web line of {args.root}{pinned}"
    )
    print("\n".join(report(result, elapsed)))
    if args.cold_runs:
        print("\n".join(cold_start.report(cold_start.measure(args.cold_runs))))
    return 1 if result.wrong or result.server_errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
