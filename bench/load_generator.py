"""Drive one server with a fixed list of signed requests for a bounded time: wrk or Python.

wrk (Debian's package) is used when it is on the PATH; otherwise threads with ``http.client``.
Both replay the same requests in a loop, 127.0.0.1 only, and stop by themselves.
"""

from __future__ import annotations

import http.client
import os
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Sequence
from pathlib import Path

from latency import Throughput
from signed_calls import SignedRequest

HOST = "127.0.0.1"
FORM = "application/x-www-form-urlencoded"

_LUA = """
local reqs = {
%s
}
local i = 0
request = function()
  i = i %% #reqs + 1
  local r = reqs[i]
  return wrk.format("POST", r[1], {["Content-Type"] = "%s", ["X-Twilio-Signature"] = r[3]}, r[2])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("BENCH %%d %%d %%d %%d %%d %%d\\n", summary.requests,
    summary.duration, e.connect + e.read + e.write + e.timeout + e.status,
    latency:percentile(50), latency:percentile(99), latency.max))
end
"""


def wrk_available() -> bool:
    return shutil.which("wrk") is not None


def lua_script(requests: Sequence[SignedRequest]) -> str:
    """A wrk script that replays ``requests`` in order, each thread from the start."""
    rows = []
    for r in requests:
        fields = (r.url, r.body, r.signature)
        if any('"' in f or "\\" in f for f in fields):
            raise ValueError(f"cannot quote {r.url!r} for Lua")
        rows.append('  {"%s", "%s", "%s"},' % fields)  # noqa: UP031
    return _LUA % ("\n".join(rows), FORM)


def run_wrk(
    port: int, requests: Sequence[SignedRequest], seconds: float, connections: int
) -> Throughput:
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "signed.lua"
        script.write_text(lua_script(requests))
        out = subprocess.run(
            [
                "wrk",
                "-t1",
                f"-c{connections}",
                f"-d{max(1, round(seconds))}s",
                "--timeout",
                "5s",
                "-s",
                str(script),
                f"http://{HOST}:{port}/",
            ],
            capture_output=True,
            text=True,
            check=True,
            timeout=seconds + 30,
        ).stdout
    line = next(ln for ln in out.splitlines() if ln.startswith("BENCH "))
    done, duration_us, errors, p50, p99, top = (int(x) for x in line.split()[1:])
    return Throughput(done, errors, duration_us / 1e6, p50 / 1000, p99 / 1000, top / 1000)


def run_python(
    port: int, requests: Sequence[SignedRequest], seconds: float, connections: int
) -> Throughput:
    """``connections`` threads, each a keep-alive ``http.client`` connection, until time is up."""
    deadline = time.monotonic() + seconds
    latencies: list[list[float]] = [[] for _ in range(connections)]
    errors = [0] * connections

    def work(n: int) -> None:
        conn = http.client.HTTPConnection(HOST, port, timeout=5)
        i = n * len(requests) // connections
        while time.monotonic() < deadline:
            r = requests[i % len(requests)]
            i += 1
            headers = {"Content-Type": FORM, "X-Twilio-Signature": r.signature}
            started = time.perf_counter()
            try:
                conn.request("POST", r.url, r.body, headers)
                reply = conn.getresponse()
                reply.read()
            except (OSError, http.client.HTTPException):
                errors[n] += 1
                conn.close()
                continue
            latencies[n].append(time.perf_counter() - started)
            if reply.status >= 400:
                errors[n] += 1

    started = time.monotonic()
    threads = [threading.Thread(target=work, args=(n,)) for n in range(connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started
    return Throughput.from_samples([t for per in latencies for t in per], sum(errors), elapsed)


def drive(
    port: int,
    requests: Sequence[SignedRequest],
    seconds: float,
    connections: int,
    tool: str,
    cpus: frozenset[int] | None = None,
) -> Throughput:
    """Load one server with ``tool`` (``wrk`` or ``python``), on ``cpus`` when given."""
    run = run_wrk if tool == "wrk" else run_python
    if not cpus:
        return run(port, requests, seconds, connections)
    before = os.sched_getaffinity(0)
    os.sched_setaffinity(0, cpus)  # wrk, started from here, inherits it
    try:
        return run(port, requests, seconds, connections)
    finally:
        os.sched_setaffinity(0, before)
