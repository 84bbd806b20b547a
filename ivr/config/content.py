"""Read the tree and the prompts from disk and check them (the I/O edge of the core)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ivr.core.errors import TreeError
from ivr.core.language import SOURCE
from ivr.core.languages import DUTCH
from ivr.core.prompts import Prompts, check_prompts
from ivr.core.translated import LineLanguage
from ivr.core.tree_model import Tree
from ivr.core.tree_validator import check_tree


@dataclass(frozen=True)
class Content:
    tree: Tree
    prompts: Prompts
    # The languages the line offers, by code, Dutch first (``ivr.config.languages`` reads the
    # translations and decides); by default Dutch alone, from this tree and these prompts.
    languages: Mapping[str, LineLanguage] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.languages:
            dutch = LineLanguage(DUTCH, self.tree, self.prompts, DUTCH.voice, {})
            object.__setattr__(self, "languages", {SOURCE: dutch})


def sources_checked(shared_dir: Path | None) -> bool:
    """True when ``source:`` fields are checked against the files of the shared folder."""
    return shared_dir is not None and shared_dir.is_dir()


def known_sources(shared_dir: Path | None) -> frozenset[str]:
    """Names a ``source:`` field may use: seed files, and ``notes/<file>``.

    Empty when the shared folder is absent (a deployed app): then only presence is checked.
    """
    if shared_dir is None:
        return frozenset()
    seeds = shared_dir / "seeds"
    notes = shared_dir / "notes"
    names = {p.name for p in seeds.glob("*.txt")} if seeds.is_dir() else set()
    names |= {f"notes/{p.name}" for p in notes.glob("*.md")} if notes.is_dir() else set()
    return frozenset(names)


def _read(path: Path, what: str) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise TreeError([f"{path}: cannot read the {what} ({exc.strerror})"]) from exc
    except UnicodeDecodeError as exc:
        raise TreeError([f"{path}: the {what} is not UTF-8 text (byte {exc.start})"]) from exc


def check_content(
    tree_path: Path, prompts_path: Path, shared_dir: Path | None
) -> tuple[Content | None, list[str]]:
    """Every problem of the tree and the prompts, and the content when there are none."""
    tree, problems = check_tree(_read(tree_path, "tree"), str(tree_path), known_sources(shared_dir))
    prompts, prompt_problems = check_prompts(_read(prompts_path, "prompts"), str(prompts_path))
    problems += prompt_problems
    if tree is None or prompts is None:
        return None, problems
    return Content(tree, prompts), []


def load_content(tree_path: Path, prompts_path: Path, shared_dir: Path | None) -> Content:
    """Load tree and prompts or raise TreeError with every problem."""
    content, problems = check_content(tree_path, prompts_path, shared_dir)
    if content is None:
        raise TreeError(problems)
    return content
