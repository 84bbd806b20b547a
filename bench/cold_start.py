"""Cold start: from starting the server to the first answered, signed ``/voice``.

    .venv/bin/python bench/cold_start.py --runs 5

Includes Python and waitress start-up, importing the app, loading and validating the tree and
the prompts. Aim: under 1 s (median of the runs).
"""

from __future__ import annotations

import argparse
import http.client
import statistics
import time

from load_generator import FORM
from signed_calls import line_env, welcome
from web_server import HOST, LINE_APP, ServerSettings, start, stop

AIM = 1.0


def first_answer(timeout: float = 30.0) -> float:
    """Seconds from process start until ``/voice`` answers 200."""
    request = welcome()
    headers = {"Content-Type": FORM, "X-Twilio-Signature": request.signature}
    started = time.perf_counter()
    process, port = start(LINE_APP, line_env(), ServerSettings())
    try:
        while time.perf_counter() - started < timeout:
            if process.poll() is not None:
                raise RuntimeError(f"the server exited with {process.returncode}")
            conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
            try:
                conn.request("POST", request.url, request.body, headers)
                if conn.getresponse().status == 200:
                    return time.perf_counter() - started
            except OSError:
                time.sleep(0.005)
            finally:
                conn.close()
        raise RuntimeError(f"no answer within {timeout} s")
    finally:
        stop(process)


def measure(runs: int) -> list[float]:
    return [first_answer() for _ in range(runs)]


def report(seconds: list[float]) -> list[str]:
    median = statistics.median(seconds)
    verdict = "meets" if median < AIM else "MISSES"
    runs = ", ".join(f"{s:.2f}" for s in seconds)
    return [
        f"cold start: median {median:.2f} s over {len(seconds)} runs ({runs}); "
        f"aim < {AIM:g} s: {verdict}"
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    print("\n".join(report(measure(args.runs))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
