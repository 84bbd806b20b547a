"""Each language's text beside the Dutch on an item's page, edited in the same form.

Below each Dutch field, each language's translation is a field of the item's form, named
``translation_<code>.<field>`` (``translation_en.question``), with a box ``reviewed_<code>.<field>``
("Ik heb deze vertaling nagekeken"). Preview and publish take them with the Dutch, the same
note and source: a translation whose text changed, or that a person says they reviewed, is
written into its language's file with the hash of the Dutch it now translates (``nl:``) and
``reviewed:`` naming that person and today, or false: a changed translation is unreviewed until
a person says so. A translation the editor leaves as it is stays as it is: a Dutch change never
waits for its translations, which show as stale until someone looks at them. Translations know
a contact that is not a service by its Dutch name (``contacts.<name>``): a new name takes them
along (``ivr.core.content_translations.renamed``), stale, so no language loses the contact.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from ivr.core.content_edit import EditError
from ivr.core.content_fields import PROMPT, Item
from ivr.core.content_files import ContentFiles
from ivr.core.content_findings import ERROR, WARNING, Finding
from ivr.core.content_translations import CONTACTS, Translation, beside, renamed, written
from ivr.core.hours import AMSTERDAM
from ivr.core.languages import find
from ivr.core.prompts import DUTCH_ONLY_PREFIX
from ivr.core.translated import dutch_texts, read_entries
from ivr.core.translation import Review, text_hash
from ivr.core.translation_findings import check_translation
from ivr.web.staff import console
from ivr.web.staff.editor import Checked, check

TEXT, REVIEWED = "translation_", "reviewed_"  # the form's names: translation_en.question
TICKED = "ja"  # a ticked box's value
# Said beside a contact's new Dutch name: its translations, known by that name, go with it.
RENAMED = (
    "De vertalingen gaan mee naar de nieuwe naam; ze staan op ‘verouderd’ tot iemand ze nakijkt."
)
NOT_RENAMED = (
    "De vertalingen konden niet mee naar de nieuwe naam: een vertaalbestand is anders opgebouwd "
    "dan de lijn verwacht. Zonder vertaling biedt de lijn die talen niet meer aan. Vraag de "
    "beheerder."
)


def text_name(code: str, field: str) -> str:
    return f"{TEXT}{code}.{field}"


def review_name(code: str, field: str) -> str:
    return f"{REVIEWED}{code}.{field}"


def translations_beside(
    item: Item, values: Mapping[str, str], shown: Checked
) -> dict[str, list[Translation]]:
    """Each language's text beside the Dutch (none for the whisper: the helpdesk hears Dutch)."""
    if item.kind == PROMPT and item.id.startswith(DUTCH_ONLY_PREFIX):
        return {}
    return beside(item, dict(values), shown.files)


def posted_translations(item: Item, content: Checked, form: Mapping[str, str]) -> dict[str, str]:
    """The translations' fields a form posted: texts, and the boxes ticked."""
    names = [
        name
        for field, found in translations_beside(item, {}, content).items()
        for t in found
        for name in (text_name(t.code, field), review_name(t.code, field))
    ]
    return {name: form[name] for name in names if name in form}


@dataclass(frozen=True)
class Translated:
    """The draft's files with the editor's translations written in, and what the checks said."""

    files: ContentFiles
    findings: list[Finding]
    changed: list[Translation]  # the translations written


def translated(
    content: Checked,
    item: Item,
    dutch: Mapping[str, str],
    files: ContentFiles,
    form: Mapping[str, str],
    by: str,
) -> Translated:
    """``files`` (the draft's, with the Dutch edits in) with each translation the form changed
    or says is reviewed, checked against the Dutch of ``dutch`` (the posted values)."""
    files = dict(files)
    findings: list[Finding] = []
    changed: list[Translation] = []
    moved: set[str] = set()  # the files a contact's new name changed
    for field, found in translations_beside(item, {}, content).items():
        now = " ".join(dutch.get(field, _published(item, field)).split())
        if field.startswith("contacts.") and now and now != _published(item, field):
            # its translations are known by its Dutch name: they move to the new one
            try:
                files, found = _renamed(files, found, now, _published(item, field))
            except EditError:
                findings.append(Finding(field, WARNING, NOT_RENAMED))
                continue
            findings.append(Finding(field, WARNING, RENAMED))
            moved |= {t.file for t in found}
        for t in found:
            name = text_name(t.code, field)
            if name not in form or not t.stored:
                continue
            text = " ".join(form[name].split())
            ticked = form.get(review_name(t.code, field)) == TICKED
            renewed = t.review is None or t.dutch_hash != text_hash(now)  # a review to record
            if text == t.text and not (ticked and renewed):
                continue
            said = check_translation(name, text, now, find(t.code), text != t.text)
            findings += said
            if any(f.blocks for f in said):
                continue
            review = Review(by, _today()) if ticked else None
            try:
                files[t.file] = written(files[t.file], t, text, now, review)
            except EditError:
                findings.append(Finding(name, ERROR, "Deze vertaling kan hier niet worden "
                                        f"opgeslagen: {t.file} is anders opgebouwd dan de lijn "
                                        "verwacht. Vraag de beheerder."))  # fmt: skip
                continue
            changed.append(t)
    for name in sorted({t.file for t in changed} | moved):
        _read, problems = read_entries(files[name], name)
        findings += [Finding("", ERROR, f"De controle van de vertaling vond nog een probleem: "
                             f"{problem}") for problem in problems]  # fmt: skip
    return Translated(files, findings, changed)


def _renamed(
    files: ContentFiles, found: list[Translation], new: str, old: str
) -> tuple[ContentFiles, list[Translation]]:
    """A contact's translations moved to its new Dutch name (``renamed``); the old name's
    stay while another advice of the draft still names a contact so."""
    tree = check(files).tree  # the draft's tree (checked already: cached)
    kept = tree is None or f"{CONTACTS}.{old}" in dutch_texts(tree)
    return renamed(files, found, new, kept)


def _published(item: Item, name: str) -> str:
    field = item.field(name)
    return field.value if field else ""


def _today() -> date:
    return console().clock().astimezone(AMSTERDAM).date()
