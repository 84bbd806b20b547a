"""Read the tree and the prompts from disk and check them (the I/O edge of the core).

The same check takes a content version's files (``check_files``: the texts by their names,
``ivr.core.content_files``) as it takes the repository's (``repository_files``): the line
answers from the newest published version (``ivr.storage.content_versions``), and ``ivr
content import`` publishes files only after this check.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ivr.core.content_files import (
    DUTCH_PROMPTS,
    TREE,
    ContentFiles,
    FileKind,
    kind_of,
    prompts_file,
    translation_file,
)
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
    files = {TREE: _read(tree_path, "tree"), DUTCH_PROMPTS: _read(prompts_path, "prompts")}
    return check_files(files, shared_dir, {TREE: str(tree_path), DUTCH_PROMPTS: str(prompts_path)})


def check_files(
    files: ContentFiles, shared_dir: Path | None, shown: Mapping[str, str] | None = None
) -> tuple[Content | None, list[str]]:
    """``check_content`` of a version's files; problems name a file as ``shown`` does (else
    by its name in the version). The languages are ``ivr.config.languages``'s."""
    shown = shown or {}
    missing = [f"{name}: missing" for name in (TREE, DUTCH_PROMPTS) if name not in files]
    if missing:
        return None, missing
    tree, problems = check_tree(files[TREE], shown.get(TREE, TREE), known_sources(shared_dir))
    prompts, prompt_problems = check_prompts(
        files[DUTCH_PROMPTS], shown.get(DUTCH_PROMPTS, DUTCH_PROMPTS)
    )
    problems += prompt_problems
    if tree is None or prompts is None:
        return None, problems
    return Content(tree, prompts), []


def file_path(name: str, tree_path: Path, prompts_path: Path) -> Path:
    """Where a content file lies on disk: beside the tree and the Dutch prompts (which
    IVR_TREE and IVR_PROMPTS may move), as in the repository."""
    found = kind_of(name)
    if found is None:
        raise TreeError([f"{name}: not a content file"])
    kind, code = found
    if kind is FileKind.TREE:
        return tree_path
    if kind is FileKind.PROMPTS:
        return prompts_path if code == "nl" else prompts_path.parent / f"{code}.yaml"
    return tree_path.parent / Path(translation_file(code)).relative_to("tree")


def repository_files(tree_path: Path, prompts_path: Path) -> dict[str, str]:
    """The content files on disk by their names: the tree, the Dutch prompts, and each
    language's prompts and tree translations that are there. TreeError when one cannot be read."""
    files = {TREE: _read(tree_path, "tree"), DUTCH_PROMPTS: _read(prompts_path, "prompts")}
    candidates = [prompts_file(p.stem) for p in sorted(prompts_path.parent.glob("*.yaml"))]
    translations = tree_path.parent / Path(translation_file("nl")).parent.relative_to("tree")
    candidates += [translation_file(p.stem) for p in sorted(translations.glob("*.yaml"))]
    for name in candidates:
        if name not in files and kind_of(name) is not None:
            files[name] = _read(file_path(name, tree_path, prompts_path), "translations")
    return files


def load_files(
    files: ContentFiles, shared_dir: Path | None, shown: Mapping[str, str] | None = None
) -> Content:
    """A version's tree and prompts, or TreeError with every problem (``check_files``)."""
    content, problems = check_files(files, shared_dir, shown)
    if content is None:
        raise TreeError(problems)
    return content


def load_content(tree_path: Path, prompts_path: Path, shared_dir: Path | None) -> Content:
    """Load tree and prompts or raise TreeError with every problem."""
    content, problems = check_content(tree_path, prompts_path, shared_dir)
    if content is None:
        raise TreeError(problems)
    return content
