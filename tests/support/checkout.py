"""The source checkout the tests belong to, its shipped content, and what a run wrote into it."""

from __future__ import annotations

import subprocess
from pathlib import Path

# The source checkout these tests belong to (tests never write into it).
CHECKOUT = Path(__file__).resolve().parents[2]
SHIPPED_TREE = CHECKOUT / "tree" / "markant.yaml"
SHIPPED_PROMPTS = CHECKOUT / "prompts" / "nl.yaml"

# What the run itself may leave in the checkout: the venv, tool caches, pip's egg-info.
_LEFT_ALONE = (
    ".venv",
    ".pytest_cache",
    ".ruff_cache",
    ".import_linter_cache",
    "__pycache__",
    ".egg-info",
)


def checkout_files(checkout: Path = CHECKOUT) -> dict[str, int] | None:
    """Changed, untracked and ignored files of the checkout with their mtimes (git's view,
    ignored folders walked); None when the checkout is not a git work tree."""
    try:
        out = subprocess.run(
            ["git", "-C", str(checkout), "status", "--porcelain", "-z", "--ignored", "-uall"],
            capture_output=True,
            check=True,
        ).stdout.decode()
    except (OSError, subprocess.CalledProcessError):
        return None
    found: dict[str, int] = {}
    fields = iter(out.split("\0"))
    for line in filter(None, fields):
        name = line[3:]
        if "R" in line[:2] or "C" in line[:2]:
            next(fields)  # a renamed or copied file: its old path follows, not a status line
        if any(part.endswith(_LEFT_ALONE) for part in Path(name).parts):
            continue
        path = checkout / name
        files = [path] if not path.is_dir() else [p for p in path.rglob("*") if p.is_file()]
        for file in files:
            # a deleted file is listed too: its mtime is -1
            mtime = file.stat().st_mtime_ns if file.exists() else -1
            found[str(file.relative_to(checkout))] = mtime
    return found
