"""Failures in a row (ivr.core.alerts): when an alert is raised, and what ends a run."""

from __future__ import annotations

from datetime import timedelta

import pytest

from ivr.core.alerts import THRESHOLDS, Alert, FailureRuns, Trouble
from tests.support.clock import Clock


def counting(clock: Clock) -> tuple[FailureRuns, list[Alert]]:
    raised: list[Alert] = []
    return FailureRuns(clock, raised.append), raised


@pytest.mark.parametrize("trouble", list(Trouble), ids=str)
def test_an_alert_is_raised_at_the_threshold_and_at_every_failure_after(
    clock: Clock, trouble: Trouble
) -> None:
    failure_runs, raised = counting(clock)
    first = clock.now
    for n in range(THRESHOLDS[trouble] + 1):
        clock.now = first + timedelta(minutes=n)
        failure_runs.failed(trouble, f"cause {n}", "x")
    assert raised == [
        Alert(trouble, "x", 3, first, "cause 2"),
        Alert(trouble, "x", 4, first, "cause 3"),
    ]


def test_a_success_ends_the_run(clock: Clock) -> None:
    failure_runs, raised = counting(clock)
    failure_runs.failed(Trouble.SMS, "a")
    failure_runs.failed(Trouble.SMS, "b")
    failure_runs.succeeded(Trouble.SMS)
    failure_runs.failed(Trouble.SMS, "c")
    failure_runs.failed(Trouble.SMS, "d")
    assert raised == []


@pytest.mark.parametrize(
    ("outcomes", "alerts"),
    [
        pytest.param(["no-answer", "busy", "declined"], [("markant", 3, "declined")], id="three"),
        pytest.param(
            ["no-answer", "canceled", "failed", "busy"],
            [("markant", 3, "busy")],
            id="a-caller-hanging-up-counts-for-nothing",
        ),
        pytest.param(["no-answer", "no-answer", "connected", "busy"], [], id="reached-ends-run"),
    ],
)
def test_transfers_are_counted_per_service(
    clock: Clock, outcomes: list[str], alerts: list[tuple[str, int, str]]
) -> None:
    failure_runs, raised = counting(clock)
    for outcome in outcomes:
        failure_runs.transfer("markant", outcome)
        failure_runs.transfer("sociaal_loket", "connected")
    failure_runs.transfer("sociaal_loket", "no-answer")  # another service: a run of its own
    assert [(a.subject, a.failures, a.cause) for a in raised] == alerts
    assert [a.key for a in raised] == ["transfer:markant"] * len(alerts)
