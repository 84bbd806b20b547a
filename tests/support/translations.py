"""Translation files made up from the Dutch, for the tests of how languages are checked.

Every text is the Dutch with a mark before it ("XX Welkom bij …"), so its numbers match and a
test changes only the texts it is about.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from ivr.core.translation import text_hash

REVIEW = {"by": "Ayse Demir", "on": date(2026, 12, 6)}


def translated(dutch: Mapping[str, str], reviewed: bool = True) -> dict[str, dict[str, Any]]:
    """A complete translation of every text, by key, in the file format."""
    return {
        key: {"text": f"XX {text}", "nl": text_hash(text), "reviewed": REVIEW if reviewed else False}
        for key, text in dutch.items()
    }


def write(path: Path, entries: Mapping[str, Mapping[str, Any]]) -> Path:
    """A translation file with these texts (keys joined by dots, as the reader joins them)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(dict(entries), allow_unicode=True, sort_keys=False), "utf-8")
    return path
