"""Reading the call driver's progress (ivr/web/tools/call_driver.py) in the tests."""

from __future__ import annotations

from ivr.web.tools.emulated_call import CallState, Progress


def texts(progress: Progress) -> list[str]:
    return [heard.text for heard in progress.heard]


def waiting(progress: Progress) -> CallState:
    assert progress.state is not None, progress
    return progress.state
