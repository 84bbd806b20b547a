"""The clean-checkout guard (tests/conftest.py) sees what a run wrote, and only that: the tool
caches and the venv a run may leave behind are not counted."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.support.checkout import checkout_files

LEFT_ALONE = [
    pytest.param(".venv/lib/site.py", id="venv"),
    pytest.param(".pytest_cache/v/cache/lastfailed", id="pytest-cache"),
    pytest.param(".ruff_cache/0.6/123", id="ruff-cache"),
    pytest.param(".import_linter_cache/ivr.meta.json", id="import-linter-cache"),
    pytest.param("ivr/__pycache__/app.cpython-311.pyc", id="pycache"),
    pytest.param("mantelzorglijn.egg-info/PKG-INFO", id="egg-info"),
]


def _git(checkout: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(checkout), *args], check=True, capture_output=True)


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    """A git work tree with two committed files."""
    _git(tmp_path, "init", "-q")
    (tmp_path / "kept.txt").write_text("kept\n")
    (tmp_path / "gone.txt").write_text("gone\n")
    _git(tmp_path, "add", "kept.txt", "gone.txt")
    _git(tmp_path, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "c")
    return tmp_path


@pytest.mark.parametrize("written", LEFT_ALONE)
def test_what_a_run_may_leave_is_not_counted(checkout: Path, written: str) -> None:
    (checkout / written).parent.mkdir(parents=True)
    (checkout / written).write_text("cache\n")
    assert checkout_files(checkout) == {}


def test_a_new_a_changed_and_a_deleted_file_are_counted(checkout: Path) -> None:
    (checkout / "kept.txt").write_text("changed\n")
    (checkout / "gone.txt").unlink()
    (checkout / "docs").mkdir()
    (checkout / "docs" / "new.png").write_bytes(b"png")
    assert checkout_files(checkout) == {
        "kept.txt": (checkout / "kept.txt").stat().st_mtime_ns,
        "gone.txt": -1,
        "docs/new.png": (checkout / "docs" / "new.png").stat().st_mtime_ns,
    }


def test_a_staged_rename_is_counted_under_its_new_name(checkout: Path) -> None:
    _git(checkout, "mv", "gone.txt", "moved.txt")
    assert checkout_files(checkout) == {"moved.txt": (checkout / "moved.txt").stat().st_mtime_ns}


def test_outside_a_git_work_tree_nothing_is_checked(tmp_path: Path) -> None:
    (tmp_path / "file.txt").write_text("not in git\n")
    assert checkout_files(tmp_path) is None
