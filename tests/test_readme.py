"""The README's two newcomer commands stay the ones CI and people actually run."""

from __future__ import annotations

import re

from tests.support.checkout import CHECKOUT


def readme_commands() -> list[str]:
    text = (CHECKOUT / "README.md").read_text(encoding="utf-8")
    quick = text.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.+?)\n```", quick)


def test_readme_has_exactly_two_quick_start_commands() -> None:
    run, test = readme_commands()
    assert run.endswith("ivr serve")
    assert test.endswith(".venv/bin/pytest")


def test_ci_runs_the_readmes_test_command() -> None:
    _, test = readme_commands()
    ci = (CHECKOUT / ".ci" / "run").read_text(encoding="utf-8")
    assert test in ci.splitlines()
