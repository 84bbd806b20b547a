"""``ivr validate``: every problem with file and line; the app refuses to start."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from ivr.cli import cli
from ivr.core.errors import TreeError
from ivr.core.prompts import check_prompts
from ivr.core.tree_validator import check_tree
from ivr.web.app import create_app
from tests.support.checkout import CHECKOUT

SOURCES = frozenset({"000_seed.txt"})
GOOD = """\
start: q1
helpdesk: markant
services:
  markant:
    name: de helpdesk
    phone: "020 886 88 00"
    hours_said: tijdens kantooruren
    assumed_hours: "ma-vr 09:00-17:00"
    source: 000_seed.txt
nodes:
  q1:
    question: "Vraag?"
    help: "Uitleg."
    ja: a
    nee: b
    source: 000_seed.txt
  a:
    offering: "A"
    text: "Tekst."
    contacts:
      - service: markant
    transfer: markant
    source: 000_seed.txt
  b:
    offering: "B"
    text: "Tekst."
    contacts:
      - name: iemand
        phone: "020 123 45 67"
    transfer: markant
    source: 000_seed.txt
"""


def problems(text: str) -> list[str]:
    tree, found = check_tree(text, "t.yaml", SOURCES)
    assert (tree is None) == bool(found)
    return found


def test_a_good_tree_has_no_problems() -> None:
    assert problems(GOOD) == []


BROKEN = {
    "unknown-target": (
        ("    nee: b\n", "    nee: c\n"),
        ["t.yaml:15: question 'q1': unknown target 'c'", "t.yaml:25: node 'b' is unreachable from start 'q1'"],
    ),
    "missing-branch": (
        ("    nee: b\n", ""),
        ["t.yaml:12: question 'q1' needs both branches: 'nee' is missing",
         "t.yaml:24: node 'b' is unreachable from start 'q1'"],
    ),
    "cycle": (
        ("    ja: a\n", "    ja: q1\n"),
        ["t.yaml:12: cycle: q1 -> q1", "t.yaml:18: node 'a' is unreachable from start 'q1'"],
    ),
    "no-source": (
        ("    transfer: markant\n    source: 000_seed.txt\n  b:", "    transfer: markant\n  b:"),
        ["t.yaml:18: offering 'a' needs a non-empty 'source'"],
    ),
    "unknown-source": (
        ("    source: 000_seed.txt\n  b:", "    source: 000_seed.txt, 999.txt\n  b:"),
        ["t.yaml:23: offering 'a': source '999.txt' is not a seed or note file"],
    ),
    "no-contacts": (
        ("    contacts:\n      - service: markant\n", ""),
        ["t.yaml:18: offering 'a' needs at least one contact with a phone number"],
    ),
    "bad-phone": (
        ('"020 123 45 67"', '"020 123 45"'),
        ["t.yaml:29: offering 'b': '020 123 45' is not a valid Dutch phone number: expected "
         "10 digits starting with 0 (like 020 886 88 00), an 0800/0900 number, or 112",
         "t.yaml:27: offering 'b' needs at least one contact with a phone number"],
    ),
    "unknown-service": (
        ("      - service: markant\n", "      - service: gemeente\n"),
        ["t.yaml:21: offering 'a': unknown service 'gemeente'",
         "t.yaml:20: offering 'a' needs at least one contact with a phone number"],
    ),
    "bad-start": (
        ("start: q1", "start: q9"),
        ["t.yaml:1: start 'q9' is not a node"],
    ),
    "urgent-not-true-or-false": (
        ("    transfer: markant\n    source: 000_seed.txt\n  b:",
         "    transfer: markant\n    urgent: ja\n    source: 000_seed.txt\n  b:"),
        ["t.yaml:23: offering 'a': 'urgent' is true or false"],
    ),
    "empty-source-note": (
        ("    transfer: markant\n    source: 000_seed.txt\n  b:",
         "    transfer: markant\n    source: 000_seed.txt\n    source_note: ''\n  b:"),
        ["t.yaml:24: offering 'a' needs a non-empty 'source_note'"],
    ),
}  # fmt: skip


def test_a_free_text_source_note_beside_the_source_passes() -> None:
    noted = "    source: 000_seed.txt\n    source_note: telefoontje met het Sociaal loket, 3 dec\n"
    assert problems(GOOD.replace("    source: 000_seed.txt\n", noted)) == []


@pytest.mark.parametrize(("edit", "expected"), BROKEN.values(), ids=BROKEN.keys())
def test_broken_trees_report_every_problem_with_its_line(edit, expected) -> None:
    old, new = edit
    assert old in GOOD
    assert problems(GOOD.replace(old, new, 1)) == expected


@pytest.mark.parametrize("node_id", ["A", "a>b", "x|y", "1a", "a" * 65], ids=str)
def test_a_node_id_is_a_key_of_the_figures(node_id: str) -> None:
    renamed = GOOD.replace("    ja: a\n", f"    ja: '{node_id}'\n").replace(
        "  a:\n", f"  '{node_id}':\n"
    )
    assert problems(renamed) == [
        f"t.yaml:17: node {node_id!r}: an id is lower-case letters, digits and '_' (at most 64)"
    ]


def test_yaml_syntax_errors_have_a_line() -> None:
    found = problems(GOOD.replace('    help: "Uitleg."\n', "    help: [\n"))
    assert len(found) == 1
    assert found[0].startswith("t.yaml:15: not valid YAML")


def test_missing_prompts_are_reported() -> None:
    prompts_file = CHECKOUT / "prompts" / "nl.yaml"
    text = prompts_file.read_text(encoding="utf-8").replace("goodbye:", "farewell:")
    prompts, found = check_prompts(text, "nl.yaml")
    assert prompts is None
    assert found == ["nl.yaml:1: prompt 'goodbye' is referenced but missing"]


def test_unknown_placeholder_in_a_prompt_is_reported() -> None:
    prompts_file = CHECKOUT / "prompts" / "nl.yaml"
    text = prompts_file.read_text(encoding="utf-8").replace(
        "back: We gaan één vraag terug.", "back: We gaan terug naar {vraag}."
    )
    _, found = check_prompts(text, "nl.yaml")
    assert len(found) == 1
    assert found[0].endswith("prompt 'back' uses unknown placeholder(s) vraag")


@pytest.mark.parametrize("placeholder", ["{service:d}", "{service!z}"], ids=["spec", "conversion"])
def test_a_placeholder_with_a_format_in_a_prompt_is_reported(placeholder: str) -> None:
    """Formatting it would fail in a call ("Unknown format code 'd' for object of type 'str'")."""
    prompts_file = CHECKOUT / "prompts" / "nl.yaml"
    text = prompts_file.read_text(encoding="utf-8")
    said = 'connecting: "Een moment alstublieft. Ik verbind u door met {service}."'
    assert said in text
    text = text.replace(said, said.replace("{service}", placeholder))
    _, found = check_prompts(text, "nl.yaml")
    assert len(found) == 1
    assert found[0].endswith(
        "prompt 'connecting': placeholder {service} has a ':' or '!': write it as {service}"
    )


def test_the_shipped_tree_passes_ivr_validate() -> None:
    result = CliRunner().invoke(cli, ["validate"], env={"TWILIO_AUTH_TOKEN": ""})
    assert result.exit_code == 0, result.output
    first, *_, coverage = result.output.splitlines()
    assert first.endswith("ok — 28 nodes, 13 offerings, 21 paths")
    assert coverage.startswith("audio: ")


def test_ivr_validate_lists_problems_and_fails(tmp_path: Path) -> None:
    broken = tmp_path / "tree.yaml"
    broken.write_text(GOOD.replace("    nee: b\n", "    nee: c\n"), encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate"], env={"IVR_TREE": str(broken)})
    assert result.exit_code == 65
    assert f"{broken}:15: question 'q1': unknown target 'c'" in result.output


def test_the_app_refuses_to_start_on_an_invalid_tree(tmp_path: Path) -> None:
    broken = tmp_path / "tree.yaml"
    broken.write_text(GOOD.replace("    nee: b\n", "    nee: c\n"), encoding="utf-8")
    with pytest.raises(TreeError, match="unknown target 'c'"):
        create_app({"IVR_DEV_MODE": "1", "IVR_TREE": str(broken)})


def test_every_source_of_the_shipped_tree_is_a_seed_or_note() -> None:
    root = CHECKOUT
    shared = root.parent / "shared"
    if not shared.is_dir():
        pytest.skip(f"the shared folder with the seeds is not beside the project ({shared})")
    text = (root / "tree" / "markant.yaml").read_text(encoding="utf-8")
    names = {p.name for p in (shared / "seeds").glob("*.txt")}
    names |= {f"notes/{p.name}" for p in (shared / "notes").glob("*.md")}
    tree, found = check_tree(text, "markant.yaml", frozenset(names))
    assert found == []
    assert tree is not None


SERVICE_PROBLEMS = {
    "helpdesk-unknown": (
        ("helpdesk: markant", "helpdesk: loket"),
        ["t.yaml:2: 'helpdesk' must name a service (markant), not 'loket'"],
    ),
    "helpdesk-missing": (
        ("helpdesk: markant\n", ""),
        ["t.yaml:1: 'helpdesk' must name a service (markant), not None"],
    ),
    "no-hours": (
        ('    assumed_hours: "ma-vr 09:00-17:00"\n', ""),
        ["t.yaml:5: service 'markant' needs 'hours' (from a source) or 'assumed_hours'"],
    ),
    "bad-closed-date": (
        (
            "    source: 000_seed.txt\nnodes",
            '    closed_dates: ["5 mei"]\n    source: 000_seed.txt\nnodes',
        ),
        ["t.yaml:9: service 'markant': '5 mei': use MM-DD or YYYY-MM-DD"],
    ),
    "bad-screening": (
        (
            "    source: 000_seed.txt\nnodes",
            "    screening: warm\n    source: 000_seed.txt\nnodes",
        ),
        ["t.yaml:9: service 'markant': 'screening' is whisper or plain"],
    ),
}


@pytest.mark.parametrize(
    ("screening", "screened"),
    [
        pytest.param("    screening: whisper\n", True, id="whisper"),
        pytest.param("    screening: plain\n", False, id="plain"),
        pytest.param("", False, id="default-plain"),
    ],
)
def test_screening_is_a_property_of_each_service(screening: str, screened: bool) -> None:
    text = GOOD.replace(
        "    source: 000_seed.txt\nnodes", f"{screening}    source: 000_seed.txt\nnodes"
    )
    tree, found = check_tree(text, "t.yaml", SOURCES)
    assert found == []
    assert tree is not None
    assert tree.services["markant"].screened is screened


@pytest.mark.parametrize(
    ("edit", "expected"), SERVICE_PROBLEMS.values(), ids=SERVICE_PROBLEMS.keys()
)
def test_services_and_the_helpdesk_are_checked(edit: tuple[str, str], expected: list[str]) -> None:
    old, new = edit
    assert old in GOOD
    assert problems(GOOD.replace(old, new, 1)) == expected


def test_a_service_id_names_its_settings() -> None:
    text = GOOD.replace("  markant:\n", "  Markant-2:\n").replace("markant", "Markant-2")
    assert (
        "t.yaml:4: service 'Markant-2': an id is lower-case letters and '_' (at most 32)"
        in problems(text)
    )
