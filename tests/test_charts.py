"""The figures page's charts: labels written in full or cut, never to the same text."""

from __future__ import annotations

from pathlib import Path

import pytest

from ivr.config.content import load_content
from ivr.core.tree_model import Question
from ivr.web.staff.charts import LABEL_LINES, LABEL_SIZE, label_lines

REPO = Path(__file__).resolve().parent.parent
SAME_START = "Heeft uw naaste een indicatie voor zorg thuis of in een instelling, en wel"


@pytest.mark.parametrize(
    ("labels", "expected"),
    [
        pytest.param(["Hulp in een crisis"], [["Hulp in een crisis"]], id="short"),
        pytest.param(
            ["Is er behoefte aan respijtzorg voor langer dan één dag?"],
            [["Is er behoefte aan respijtzorg voor", "langer dan één dag?"]],
            id="two-lines",
        ),
        pytest.param(
            [
                f"{SAME_START} sinds vorig jaar voor een volledig pakket?",
                f"{SAME_START} sinds kort?",
            ],
            [
                [
                    "Heeft uw naaste een indicatie voor",
                    "zorg thuis of in een instelling, en",
                    "wel sinds vorig jaar voor een volle…",
                ],
                [
                    "Heeft uw naaste een indicatie voor",
                    "zorg thuis of in een instelling, en",
                    "wel sinds kort?",
                ],
            ],
            id="cut-on-the-last-line",
        ),
        pytest.param(
            ["Is uw naaste jonger dan achttien jaar?"] * 2,
            [
                ["Is uw naaste jonger dan achttien", "jaar? (1)"],
                ["Is uw naaste jonger dan achttien", "jaar? (2)"],
            ],
            id="the-same-in-full-numbered",
        ),
        pytest.param(
            [
                f"{SAME_START} sinds vorig jaar voor een volledig pakket A?",
                f"{SAME_START} sinds vorig jaar voor een volledig pakket B?",
            ],
            [
                [
                    "Heeft uw naaste een indicatie voor",
                    "zorg thuis of in een instelling, en",
                    "wel sinds vorig jaar voor een v… (1)",
                ],
                [
                    "Heeft uw naaste een indicatie voor",
                    "zorg thuis of in een instelling, en",
                    "wel sinds vorig jaar voor een v… (2)",
                ],
            ],
            id="cut-the-same-numbered",
        ),
    ],
)
def test_labels_are_wrapped_and_cut_apart(labels: list[str], expected: list[list[str]]) -> None:
    assert label_lines(labels) == expected


def test_every_label_of_the_tree_differs_and_fits() -> None:
    content = load_content(REPO / "tree" / "markant.yaml", REPO / "prompts" / "nl.yaml", None)
    texts = [n.text if isinstance(n, Question) else n.title for n in content.tree.nodes.values()]
    found = [" ".join(lines) for lines in label_lines(texts)]
    assert len(set(found)) == len(found)
    assert all(len(line) <= LABEL_SIZE for lines in label_lines(texts) for line in lines)
    assert max(len(lines) for lines in label_lines(texts)) == LABEL_LINES
