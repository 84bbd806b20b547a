"""ivr.core.content_completion: a published version completed from the repository's files
after a deploy whose code needs more (a new prompt, a translation key, a language's file)."""

from __future__ import annotations

import pytest
import yaml

from ivr.core.content_completion import completed
from ivr.core.content_files import DUTCH_PROMPTS, TREE
from tests.support.checkout import CHECKOUT, SHIPPED_PROMPTS, SHIPPED_TREE

ENGLISH = "tree/translations/en.yaml"
WHISPER = 'whisper_language: "De beller koos {language}."\n'
HELP = (
    "    help:\n      text: >-\n        Then there is a crisis. The person you care for is in "
    "danger. Or the care cannot wait until\n        tomorrow. Care at home is then not enough.\n"
    "      nl: c9975a4e0a8c\n      reviewed: false\n"
)


def _repository() -> dict[str, str]:
    return {
        TREE: SHIPPED_TREE.read_text(encoding="utf-8"),
        DUTCH_PROMPTS: SHIPPED_PROMPTS.read_text(encoding="utf-8"),
        ENGLISH: (CHECKOUT / ENGLISH).read_text(encoding="utf-8"),
        "prompts/tr.yaml": (CHECKOUT / "prompts" / "tr.yaml").read_text(encoding="utf-8"),
    }


def test_a_version_gets_what_it_lacks_and_keeps_what_it_has() -> None:
    repository = _repository()
    old = {
        TREE: repository[TREE].replace("Acuut", "Acuut!"),  # the tree is never completed
        DUTCH_PROMPTS: repository[DUTCH_PROMPTS]
        .replace(WHISPER, "")
        .replace("whisper_intro: Beller van de Mantelzorglijn.", "whisper_intro: Een beller."),
        ENGLISH: repository[ENGLISH].replace(HELP, "", 1),
    }
    assert [old[n] != repository[n] for n in (DUTCH_PROMPTS, ENGLISH)] == [True, True]
    files, added = completed(old, repository)
    assert added == [
        f"{DUTCH_PROMPTS}: whisper_language",
        f"{ENGLISH}: nodes.acuut.help",
        "prompts/tr.yaml (nieuw bestand)",
    ]
    assert files[TREE] == old[TREE]
    assert files["prompts/tr.yaml"] == repository["prompts/tr.yaml"]
    prompts = yaml.safe_load(files[DUTCH_PROMPTS])
    assert (prompts["whisper_language"], prompts["whisper_intro"]) == (
        "De beller koos {language}.", "Een beller."
    )  # fmt: skip
    assert yaml.safe_load(files[ENGLISH]) == yaml.safe_load(repository[ENGLISH])
    assert completed(files, repository) == (files, [])


@pytest.mark.parametrize(
    ("old", "new", "path"),
    [
        pytest.param(
            "nodes:\n  acuut:\n    question:\n      text: Q\n",
            "  crisis:\n    question:\n      text: C\n",
            "nodes.crisis",
            id="a node after the last, before the comment of the next section",
        ),
        pytest.param(
            "nodes:\n  acuut:\n    question:\n      text: Q\n",
            "    help:\n      text: H\n",
            "nodes.acuut.help",
            id="a field after a node's last, before the comment of the next section",
        ),
    ],
)
def test_a_key_added_after_a_mappings_last_entry_stays_above_the_comment_after_it(
    old: str, new: str, path: str
) -> None:
    """The parser's end of a nested mapping runs past the comments after it, which belong to
    what follows: the new key goes above them, and the repository's are not copied with it."""
    after = "# Diensten\nservices:\n  wmo: W\n"
    files, added = completed({ENGLISH: old + after}, {ENGLISH: old + new + after})
    assert (files[ENGLISH], added) == (old + new + after, [f"{ENGLISH}: {path}"])
