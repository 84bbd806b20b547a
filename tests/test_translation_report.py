"""``ivr validate`` reports every language's translations against today's Dutch: missing texts
and other numbers fail it, a changed Dutch text and drafts are listed; and every language of the
checkout has its texts, with the Dutch numbers."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from ivr.cli import cli, line
from ivr.cli.translations import checkout_languages, translation_report
from ivr.config.language_check import check_language
from ivr.config.settings import Settings
from ivr.core.language import Language
from ivr.core.translation import State
from tests.support.checkout import SHIPPED_PROMPTS, SHIPPED_TREE
from tests.support.languages import made_up
from tests.support.translations import (
    Change,
    Entries,
    draft,
    missing,
    settings_in,
    shipped_content,
    stale,
    text_count,
    unchanged,
    write_language,
    wrong_number,
)

XX = made_up("xx")
COUNTS = "Testish (xx): {texts} texts: {missing} missing, {wrong} with other numbers than the " \
    "Dutch, {stale} whose Dutch changed since translation, {drafts} unreviewed"  # fmt: skip


def _counts(missing: int = 0, wrong: int = 0, stale: int = 0, drafts: int = 0) -> str:
    return COUNTS.format(
        texts=text_count(), missing=missing, wrong=wrong, stale=stale, drafts=drafts
    )


def _many_missing(prompts: Entries, tree: Entries) -> None:
    for key in list(tree)[:12]:
        del tree[key]


@pytest.mark.parametrize(
    ("change", "lines", "fails"),
    [
        pytest.param(unchanged, [_counts()], False, id="complete"),
        pytest.param(stale, [_counts(stale=2), "  Dutch changed in {prompts}: keys",
                             "  Dutch changed in {tree}: nodes.acuut.question"], False,
                     id="dutch-changed"),
        pytest.param(draft, [_counts(drafts=1), "  unreviewed in {tree}: nodes.acuut.help"], False,
                     id="unreviewed"),
        pytest.param(wrong_number, [_counts(wrong=1), "  other numbers in {tree}: nodes.crisis.sms "
                     "(the Dutch says 112, the translation 911)"], True, id="wrong-number"),
        pytest.param(missing, [_counts(missing=7), "  missing in {prompts}: welcome, keys, "
                     "keys_short, keys_full, noinput_1, noinput_2", "  missing in {tree}: "
                     "nodes.acuut.help"], True, id="missing"),
        pytest.param(_many_missing, [_counts(missing=12), "  missing in {tree}: "
                     "services.markant.name, services.markant.hours_said, "
                     "services.sociaal_loket.name, nodes.acuut.question, nodes.acuut.help, "
                     "nodes.wegvallen.question, nodes.wegvallen.help, nodes.thuis.question, "
                     "nodes.thuis.help, nodes.professioneel.question, and 2 more"], True,
                     id="ten-keys-then-how-many-more"),
    ],
)  # fmt: skip
def test_the_report_counts_and_names_what_needs_a_person(
    tmp_path: Path, change: Change, lines: list[str], fails: bool
) -> None:
    settings = settings_in(tmp_path)
    prompts, tree = write_language(settings, "xx", change)
    report, failed = translation_report(settings, shipped_content(), [XX])
    assert report == [line.format(prompts=prompts, tree=tree) for line in lines]
    assert failed == (["Testish (xx)"] if fails else [])


def test_all_drafts_are_one_line(tmp_path: Path) -> None:
    settings = settings_in(tmp_path)
    write_language(settings, "xx", reviewed=False)
    report, failed = translation_report(settings, shipped_content(), [XX])
    assert (report, failed) == (
        [_counts(drafts=text_count()), "  unreviewed: every translated text (drafts)"],
        [],
    )


def test_a_tree_without_translations_beside_it_has_only_dutch(tmp_path: Path) -> None:
    settings = settings_in(tmp_path)
    assert translation_report(settings, shipped_content(), [XX]) == (
        [f"translations: no translations/ beside {settings.tree_path}: only Dutch can be offered"],
        [],
    )


@pytest.mark.parametrize(("change", "code"), [pytest.param(stale, 0, id="dutch-changed"),
                                               pytest.param(wrong_number, 65, id="wrong-number")])  # fmt: skip
def test_ivr_validate_fails_on_a_wrong_number_and_warns_of_a_changed_dutch_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, change: Change, code: int
) -> None:
    settings = settings_in(tmp_path)
    write_language(settings, "xx", change)
    for copy, shipped in (
        (settings.tree_path, SHIPPED_TREE),
        (settings.prompts_path, SHIPPED_PROMPTS),
    ):
        copy.write_text(shipped.read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setattr(line, "checkout_languages", lambda: [XX])
    env = {
        "IVR_TREE": str(settings.tree_path),
        "IVR_PROMPTS": str(settings.prompts_path),
        "IVR_AUDIO_DIR": str(settings.audio_dir),
    }
    result = CliRunner(mix_stderr=False).invoke(cli, ["validate"], env=env)
    assert result.exit_code == code, result.output
    lines = result.stdout.splitlines()
    assert lines[2].startswith("Testish (xx): ") and lines[-1].startswith("audio: ")
    assert result.stderr == (
        "translations to fix before a commit (missing texts or other numbers than the Dutch): "
        "Testish (xx)\n"
        if code
        else ""
    )


@pytest.mark.parametrize("language", checkout_languages(), ids=lambda language: language.code)
def test_every_language_of_the_checkout_has_every_text_with_the_dutch_numbers(
    language: Language,
) -> None:
    settings = Settings.for_commands({})
    found = check_language(language, shipped_content(), settings)
    assert found.problems == ()
    assert [c.key for c in found.in_state(State.MISSING)] == []
    assert [f"{c.key}: {c.detail}" for c in found.in_state(State.WRONG_NUMBERS)] == []
