"""``ivr content export | import``: the published version as the repository's files, and back."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from ivr.cli import cli
from ivr.config.content import repository_files
from ivr.core.content_files import DUTCH_PROMPTS, TREE
from ivr.storage.content_versions import ContentVersions
from ivr.storage.database import Database
from tests.support.checkout import SHIPPED_PROMPTS, SHIPPED_TREE
from tests.support.clock import OPEN_TIME, Clock

OLD_HELP = "Dan is er een crisis. Uw naaste loopt gevaar, of de zorg kan niet tot morgen wachten. Zorg thuis is dan niet genoeg."


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    """A copy of the content as a checkout holds it (the commands read and write there)."""
    for shipped, name in ((SHIPPED_TREE, TREE), (SHIPPED_PROMPTS, DUTCH_PROMPTS)):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(shipped, tmp_path / name)
    return tmp_path


@pytest.fixture
def runner(upgraded_url: str, checkout: Path) -> CliRunner:
    return CliRunner(
        env={
            "DATABASE_URL": upgraded_url,
            "IVR_TREE": str(checkout / TREE),
            "IVR_PROMPTS": str(checkout / DUTCH_PROMPTS),
        }
    )


def _versions(url: str) -> ContentVersions:
    return ContentVersions(Database(url), Clock(OPEN_TIME))


def test_export_import_round_trip(runner: CliRunner, upgraded_url: str, checkout: Path) -> None:
    nothing = runner.invoke(cli, ["content", "export"])
    assert (nothing.exit_code, nothing.output) == (
        64, "Error: no version is published yet: the line publishes its files at start\n"
    )  # fmt: skip
    versions = _versions(upgraded_url)
    first, differing = versions.at_start(
        repository_files(checkout / TREE, checkout / DUTCH_PROMPTS)
    )
    assert (first.number, differing) == (1, [])
    tree = checkout / TREE
    tree.write_text(tree.read_text().replace(OLD_HELP, "Nieuwe uitleg."), encoding="utf-8")
    imported = runner.invoke(cli, ["content", "import", str(tree), "--note", "korter"])
    assert (imported.exit_code, imported.output) == (
        0,
        "version 2 published, 1 changes:\n"
        f"  Vraag ‘acuut’, uitleg (toets 3): oud “{OLD_HELP}”, nieuw “Nieuwe uitleg.”\n",
    )
    again = runner.invoke(cli, ["content", "import", str(tree)])
    assert again.output == "the files are published version 2: nothing to publish\n"
    rolled = versions.rollback(1, "anna")
    exported = runner.invoke(cli, ["content", "export", str(checkout / "out")])
    assert exported.output.splitlines() == [
        f"{checkout / 'out' / TREE}",
        f"{checkout / 'out' / DUTCH_PROMPTS}",
        "version 3 (anna, 2026-11-23 10:00): 2 files written",
    ]
    assert (checkout / "out" / TREE).read_text(encoding="utf-8") == rolled.files[TREE]
    assert rolled.files[TREE] == SHIPPED_TREE.read_text(encoding="utf-8")
    into_checkout = runner.invoke(cli, ["content", "export"])
    assert into_checkout.output.splitlines()[0] == str(tree)
    assert tree.read_text(encoding="utf-8") == rolled.files[TREE]
    versions.database.dispose()


@pytest.mark.parametrize(
    ("edit", "code", "said"),
    [
        pytest.param(
            ("    ja: crisis\n", "    ja: nergens\n"), 65,
            "Error: the tree is invalid (2 problem(s)); fix these and run 'ivr validate' again:\n"
            "  {given}:{ja}: question 'acuut': unknown target 'nergens'\n"
            "  {given}:{crisis}: node 'crisis' is unreachable from start 'acuut'\n",
            id="invalid-tree",
        ),
        pytest.param(
            None, 64,
            "Error: {given} is not a content file: give tree/markant.yaml, prompts/<code>.yaml "
            "or tree/translations/<code>.yaml, as 'ivr content export' writes them\n",
            id="not-content",
        ),
    ],
)  # fmt: skip
def test_import_refuses_what_the_line_would_refuse(
    runner: CliRunner,
    upgraded_url: str,
    checkout: Path,
    edit: tuple[str, str] | None,
    code: int,
    said: str,
) -> None:
    versions = _versions(upgraded_url)
    versions.at_start(repository_files(checkout / TREE, checkout / DUTCH_PROMPTS))
    if edit is None:
        given = checkout / "notes.yaml"
        given.write_text("a: b\n", encoding="utf-8")
    else:
        given = checkout / TREE
        given.write_text(given.read_text().replace(*edit, 1), encoding="utf-8")
    refused = runner.invoke(cli, ["content", "import", str(given)])
    assert refused.exit_code == code
    lines = SHIPPED_TREE.read_text(encoding="utf-8").splitlines()
    where = {"ja": lines.index("    ja: crisis") + 1, "crisis": lines.index("  crisis:") + 2}
    assert refused.output == said.format(given=given, **where)
    assert [v.number for v in versions.published()] == [1]
    versions.database.dispose()
