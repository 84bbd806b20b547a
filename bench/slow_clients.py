"""Slow clients: N connections trickle requests a byte at a time while real calls are timed.

    .venv/bin/python bench/slow_clients.py [--connections 1000] [--seconds 20] [--root DIR]

The line runs as production runs it (the Procfile's ``release`` and ``web`` lines, on a SQLite
file of its own; ``--root`` runs another checkout's Procfile and code, for a before figure).
Half the slow connections (``--header-share``) send a request line and then one header byte
every ``--interval`` seconds, never ending their headers; the others send ``POST /voice`` with
complete headers, no signature and ``Content-Length: 61440``, then one body byte every
``--interval`` seconds (``--prefill`` sends that many bytes of body or headers first, to
fill the server's buffers). A connection the server closes is opened again, as an attacker would.
Meanwhile ``--rate`` signed welcomes a second (``POST /voice``, signed as Twilio signs) and one
``GET /staff/login`` a second are timed (``--timeout`` each). Reported: their p50 / p99 / max
and failures, the slow connections open and closed by the server, and the server's memory
(VmRSS of its processes, from ``/proc``) at start, at its peak and after the slow clients left.
127.0.0.1 only; every count and time is bounded.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import resource
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from async_http import Answer, get, post
from latency import percentile
from procfile_server import procfile_line
from signed_calls import welcome
from web_server import ROOT, rss_kib

from ivr.web.server import allow_open_files

HOST = "127.0.0.1"
DECLARED_BODY = 60 * 1024  # what a slow body declares: under the line's 64 KB limit
MAX_CONNECTIONS = 5000
MAX_SECONDS = 120.0
HEADER_PREFILL = 15 * 1024  # under the servers' header limits (waitress: 16 KB here)
SETTLE = 1.0  # after every slow connection has sent a byte, before calls are timed


@dataclass
class SlowResult:
    """What one run measured."""

    connections: int
    calls: list[Answer] = field(default_factory=list)  # signed welcomes
    staff: list[Answer] = field(default_factory=list)  # GET /staff/login
    rss_kib: list[int] = field(default_factory=list)  # the server's, sampled every 0.5 s
    rss_start_kib: int = 0
    rss_end_kib: int = 0
    open_now: int = 0
    open_peak: int = 0
    ended: Counter[str] = field(default_factory=Counter)  # how the server ended slow ones

    def failures(self, timed: list[Answer]) -> int:
        return sum(t.status != 200 for t in timed)

    def line(self, name: str, timed: list[Answer]) -> str:
        ms = [t.seconds * 1000 for t in timed if t.status == 200]
        return (
            f"{name}: {len(timed)}, {self.failures(timed)} failed; answered p50 "
            f"{percentile(ms, 50):.0f} ms, p99 {percentile(ms, 99):.0f} ms, "
            f"max {max(ms, default=0):.0f} ms"
        )

    def summary(self) -> list[str]:
        ended = ", ".join(f"{n} {how}" for how, n in self.ended.most_common()) or "none"
        return [
            f"slow connections: {self.connections} wanted, {self.open_peak} open at once at "
            f"most; ended by the server: {ended}",
            self.line("signed calls", self.calls),
            self.line("staff login page", self.staff),
            f"server RSS: start {self.rss_start_kib / 1024:.0f} MiB, peak "
            f"{max(self.rss_kib, default=0) / 1024:.0f} MiB, end {self.rss_end_kib / 1024:.0f} MiB",
        ]


def raise_file_limit(wanted: int) -> int:
    """This process's limit of open files raised towards ``wanted``, as the server raises its own
    (a server started from here inherits it): the limit now."""
    allow_open_files(wanted)
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


def slow_request(kind: str, prefill: int = 0) -> tuple[bytes, Iterator[bytes]]:
    """What a slow connection sends at once (with ``prefill`` bytes of its body or headers, to
    fill the server's buffers), and then byte by byte."""
    if kind == "body":
        head = (
            "POST /voice HTTP/1.1\r\nHost: line\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\n"
            f"Content-Length: {DECLARED_BODY}\r\n\r\n"
        )
        return head.encode() + b"x" * min(prefill, DECLARED_BODY - 1), itertools.repeat(b"x")
    line = b"X-Slow: " + b"a" * 90 + b"\r\n"
    filled = line * (min(prefill, HEADER_PREFILL) // len(line))
    return b"POST /voice HTTP/1.1\r\nHost: line\r\n" + filled, (
        bytes([b]) for b in itertools.cycle(line)
    )


async def trickle(
    port: int, kind: str, interval: float, prefill: int, stop: asyncio.Event, result: SlowResult
) -> None:
    """One slow client until ``stop``: opened again whenever the server ends it."""
    while not stop.is_set():
        try:
            reader, writer = await asyncio.open_connection(HOST, port)
        except OSError:
            result.ended["refused"] += 1
            await asyncio.sleep(interval)
            continue
        result.open_now += 1
        result.open_peak = max(result.open_peak, result.open_now)
        how, answer = "stopped", ""
        try:
            head, rest = slow_request(kind, prefill)
            writer.write(head)
            await writer.drain()
            while not stop.is_set():
                try:
                    data = await asyncio.wait_for(reader.read(4096), interval)
                except TimeoutError:
                    writer.write(next(rest))
                    await writer.drain()
                    continue
                if not data:
                    how = "closed" + answer
                    break
                status = data.split(b"\r\n", 1)[0].split(b" ", 2)[1:2]
                if status and data.startswith(b"HTTP/") and not answer:
                    # an answer does not stop the trickle: the server must end the connection
                    answer = f" after answering {status[0].decode()}"
        except OSError:
            how = "reset" + answer
        finally:
            result.open_now -= 1
            writer.close()
        if how != "stopped":
            result.ended[how] += 1


async def signed_call(port: int, timeout: float) -> Answer:
    """A signed welcome; status 0 as well for a 200 without TwiML."""
    answer = await post(port, welcome(), timeout)
    twiml = answer.status != 200 or b"<Response>" in answer.body
    return answer if twiml else replace(answer, status=0)


async def sample_rss(pid: int, stop: asyncio.Event, result: SlowResult) -> None:
    while not stop.is_set():
        result.rss_kib.append(rss_kib(pid))
        await asyncio.sleep(0.5)


async def measure(
    port: int,
    pid: int,
    connections: int,
    seconds: float,
    *,
    interval: float = 5.0,
    header_share: float = 0.5,
    rate: float = 4.0,
    timeout: float = 20.0,
    ramp: float = 2.0,
    prefill: int = 0,
) -> SlowResult:
    """Slow clients against the server at ``port`` (process ``pid``) while calls are timed."""
    connections = min(connections, MAX_CONNECTIONS)
    seconds = min(seconds, MAX_SECONDS)
    result = SlowResult(connections, rss_start_kib=rss_kib(pid))
    stop, sampled = asyncio.Event(), asyncio.Event()
    sampler = asyncio.create_task(sample_rss(pid, sampled, result))
    headers = round(connections * header_share)
    slow = []
    for n in range(connections):
        kind = "header" if n < headers else "body"
        slow.append(asyncio.create_task(trickle(port, kind, interval, prefill, stop, result)))
        await asyncio.sleep(ramp / max(connections, 1))
    await asyncio.sleep(interval + SETTLE)  # every slow connection has trickled once
    calls, staff = [], []
    deadline = time.monotonic() + seconds
    tick = 0
    while time.monotonic() < deadline:
        calls.append(asyncio.create_task(signed_call(port, timeout)))
        if tick % max(round(rate), 1) == 0:
            staff.append(asyncio.create_task(get(port, "/staff/login", timeout)))
        tick += 1
        await asyncio.sleep(1 / rate)
    result.calls = list(await asyncio.gather(*calls))
    result.staff = list(await asyncio.gather(*staff))
    stop.set()
    await asyncio.wait_for(asyncio.gather(*slow), interval + 5)
    await asyncio.sleep(3)  # the server notices the closed connections
    result.rss_end_kib = rss_kib(pid)
    sampled.set()
    await sampler
    return result


def main(argv: list[str] | None = None) -> SlowResult:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--connections", type=int, default=1000, help=f"≤ {MAX_CONNECTIONS}")
    parser.add_argument("--seconds", type=float, default=20.0, help="calls timed for (20)")
    parser.add_argument("--interval", type=float, default=5.0, help="between slow bytes (5)")
    parser.add_argument("--header-share", type=float, default=0.5, help="slow headers (0.5)")
    parser.add_argument("--rate", type=float, default=4.0, help="signed calls a second (4)")
    parser.add_argument("--timeout", type=float, default=20.0, help="per call (20)")
    parser.add_argument("--prefill", type=int, default=0, help="bytes sent at once (0)")
    parser.add_argument("--root", type=Path, default=ROOT, help="checkout to serve (this one)")
    args = parser.parse_args(argv)
    limit = raise_file_limit(args.connections * 2 + 200)
    root = args.root.resolve()
    print(f"serving {root} with: {' '.join(sys.argv[1:]) or 'defaults'}")
    with procfile_line(root) as server:
        result = asyncio.run(
            measure(
                server.port,
                server.pid,
                args.connections,
                args.seconds,
                interval=args.interval,
                header_share=args.header_share,
                rate=args.rate,
                timeout=args.timeout,
                prefill=args.prefill,
            )
        )
    print(f"open files limit {limit}")
    print("\n".join(result.summary()), flush=True)
    return result


if __name__ == "__main__":
    main()
