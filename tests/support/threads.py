"""Calls made at the same moment, each in a thread of its own: the races the tests provoke."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")


def at_once(calls: Sequence[Callable[[], T]]) -> list[T]:
    """Run every call in its own thread, all released together; their results, in order.

    Prepare what each call needs (its own database connection, a logged-in client) before,
    so that the calls themselves start together. A call that raised is raised here."""
    together = threading.Barrier(len(calls))
    results: dict[int, T] = {}
    errors: list[BaseException] = []

    def run(n: int, call: Callable[[], T]) -> None:
        together.wait()
        try:
            results[n] = call()
        except BaseException as exc:  # raised below, in the test's own thread
            errors.append(exc)

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return [results[n] for n in range(len(calls))]
