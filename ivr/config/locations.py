"""Where the line's files are: its content (tree, prompts, audio) and its writable state.

Content is found, never guessed from the current folder or from "is there a ``tree/`` folder"
(other packages, such as dm-tree, install exactly such a folder into site-packages):

1. an installed wheel carries it inside the package, as ``ivr/_content/{tree,prompts,audio}``
   (``pyproject.toml`` maps the top-level folders there);
2. an editable install (``pip install -e .``, ``uv sync``) reads it from its source checkout,
   named by the distribution's own install record (PEP 610 ``direct_url.json``), or, when the
   checkout has moved since, where the package is imported from;
3. anything else is a ConfigError that says which variables to set.

Writable state (the default SQLite file) lives in the Flask instance folder: Flask's own default
for the ``ivr`` package (``<checkout>/instance`` for a source checkout,
``<prefix>/var/ivr-instance`` for an installed package), or ``IVR_INSTANCE_PATH``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import metadata, resources
from pathlib import Path
from urllib.parse import unquote, urlparse

from ivr.core.errors import ConfigError

DISTRIBUTION = "mantelzorglijn"
PACKAGE = "ivr"
TREE_FILE = "markant.yaml"
PROMPTS_FILE = "nl.yaml"


@dataclass(frozen=True)
class ContentLocations:
    tree_dir: Path
    prompts_dir: Path
    audio_dir: Path
    # seeds and notes (``source:`` fields name files there); None for an installed wheel
    shared_dir: Path | None

    @property
    def tree(self) -> Path:
        return self.tree_dir / TREE_FILE

    @property
    def prompts(self) -> Path:
        return self.prompts_dir / PROMPTS_FILE


def packaged_content() -> Path | None:
    """``ivr/_content`` of an installed wheel; None when the package does not carry it."""
    found = resources.files(PACKAGE) / "_content"
    path = Path(str(found))
    return path if (path / "tree" / TREE_FILE).is_file() else None


def editable_checkout() -> Path | None:
    """The source checkout of an editable install, from its PEP 610 record; else None.

    Every distribution of that name is asked: run from the checkout, the build's own
    ``mantelzorglijn.egg-info`` there comes first on ``sys.path`` and has no such record. A
    checkout moved after the install is found where the package is imported from: Heroku's
    buildpack installs in ``/tmp/build_<id>`` and runs in ``/app``, rewriting the import paths
    (``.pth`` and finder files) at boot but not the record.
    """
    for dist in metadata.distributions(name=DISTRIBUTION):
        record = dist.read_text("direct_url.json")
        recorded = _editable_folder(record) if record else None
        if recorded is None:
            continue
        for checkout in (recorded, Path(str(resources.files(PACKAGE))).parent):
            if (checkout / "tree" / TREE_FILE).is_file():
                return checkout
    return None


def _editable_folder(record: str) -> Path | None:
    """The folder an editable install was made from, by its record; None when not editable."""
    try:
        raw = json.loads(record)
        editable = bool(raw.get("dir_info", {}).get("editable"))
        url = urlparse(str(raw["url"]))
    except (ValueError, KeyError, AttributeError):
        return None
    if not editable or url.scheme != "file":
        return None
    return Path(unquote(url.path))


@cache
def content_locations() -> ContentLocations:
    """The shipped content: inside the wheel, else in the editable install's checkout."""
    packaged = packaged_content()
    if packaged is not None:
        return ContentLocations(
            packaged / "tree", packaged / "prompts", packaged / "audio", shared_dir=None
        )
    checkout = editable_checkout()
    if checkout is not None:
        return ContentLocations(
            checkout / "tree",
            checkout / "prompts",
            checkout / "audio",
            shared_dir=checkout.parent / "shared",
        )
    raise ConfigError(
        "IVR_TREE",
        f"the tree and prompts were not found: the {PACKAGE!r} package carries no _content and "
        f"{DISTRIBUTION!r} is not an editable install of a source checkout. Install it with "
        "'pip install .' (or 'pip install -e .' in the checkout), or set IVR_TREE, IVR_PROMPTS "
        "and IVR_AUDIO_DIR to the files",
    )


def default_instance_path() -> Path:
    """Flask's own instance folder for the ``ivr`` package (computed, nothing is created)."""
    from flask import Flask  # only here: settings stay importable without building an app

    return Path(Flask(PACKAGE).instance_path)


def instance_path(env: Mapping[str, str]) -> Path:
    """Where the line keeps writable state: ``IVR_INSTANCE_PATH``, else Flask's default."""
    raw = (env.get("IVR_INSTANCE_PATH") or "").strip()
    return Path(raw).expanduser().resolve() if raw else default_instance_path()
