"""The README's two newcomer commands stay the ones CI and people actually run."""

from __future__ import annotations

import re
import tomllib

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


def test_both_commands_install_the_lock_with_the_uv_the_dev_extra_pins() -> None:
    project = tomllib.loads((CHECKOUT / "pyproject.toml").read_text(encoding="utf-8"))
    (pinned,) = [
        spec
        for spec in project["project"]["optional-dependencies"]["dev"]
        if spec.startswith("uv==")
    ]
    setup = (
        f"python3 -m venv .venv && .venv/bin/pip install -q {pinned} && "
        ".venv/bin/uv sync -q --locked --extra dev --python .venv/bin/python && "
    )
    assert [command.startswith(setup) for command in readme_commands()] == [True, True]
