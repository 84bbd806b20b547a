"""An editor changes a language's text beside the Dutch (Flask's test client): written into
the language's file with today's Dutch hash and who reviewed it, checked as the start checks a
language, heard by a new call in that language."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import yaml
from flask import Flask

from ivr.core.content_files import prompts_file, translation_file
from ivr.core.translation import text_hash
from tests.support.calls import Caller
from tests.support.clock import Clock
from tests.support.content_editor import Editor, add_editor, findings, versions_of
from tests.support.staff import Staff

ACUUT = "/staff/content/acuut"
DUTCH_QUESTION = "Heeft uw naaste vandaag nog hulp nodig om veilig te zijn?"
NEW_ENGLISH = "Does the person you care for need help today to stay safe?"


def _entry(app: Flask, name: str, *key: str) -> dict[str, Any]:
    newest = versions_of(app).latest()
    assert newest is not None
    found: dict[str, Any] = yaml.safe_load(newest.files[name])
    for part in key:
        found = found[part]
    return found


@pytest.mark.parametrize(
    ("ticked", "reviewed"),
    [({}, False), ({"reviewed_en.question": "ja"}, {"by": "eva", "on": "today"})],
    ids=["unreviewed", "reviewed"],
)
def test_an_editor_changes_the_english_question_and_a_new_call_hears_it(
    make_app: Callable[..., Flask], clock: Clock, ticked: dict[str, str], reviewed: object
) -> None:
    english = make_app(LANGUAGES="en")  # a line that offers English
    add_editor(english)
    eva = Editor(english.test_client())
    eva.log_in_as_editor()
    done = eva.post(ACUUT, "publish", **{"translation_en.question": NEW_ENGLISH}, **ticked,
                    note="duidelijker")  # fmt: skip
    assert (done.status_code, done.headers["Location"]) == (302, ACUUT)
    assert "Gepubliceerd als versie 2." in eva.page(ACUUT)
    if reviewed:
        reviewed = {"by": "eva", "on": clock.now.date()}
    assert _entry(english, translation_file("en"), "nodes", "acuut", "question") == {
        "text": NEW_ENGLISH, "nl": text_hash(DUTCH_QUESTION), "reviewed": reviewed,
    }  # fmt: skip
    newest = versions_of(english).latest()
    assert newest is not None and (newest.by, newest.note) == ("eva", "duidelijker")
    assert (
        "# The tree's texts (tree/markant.yaml) in English" in newest.files[translation_file("en")]
    )  # the file's comments stay
    english.extensions["ivr_lines"].check_seconds = 0  # the next new call looks it up
    caller = Caller(english.test_client())
    welcome = caller.post("/voice").root.findall("Gather")[0]  # the choice of a language
    chose = caller.post(welcome.attrib["action"], Digits="7")
    assert chose.spoken()[0] == NEW_ENGLISH


REFUSED = [
    pytest.param(
        "/staff/content/prompt/welcome", "translation_en.text",
        "Welcome to the Mantelzorglijn, the phone line for carers. If there is immediate danger, "
        "call one one three. Press one for yes, two for no.",
        "De Nederlandse tekst noemt 112, de vertaling noemt 113. Zet dezelfde nummers in de "
        "vertaling: met andere nummers zegt de lijn hier de Nederlandse tekst.",
        id="wrong-number",
    ),
    pytest.param(
        ACUUT, "translation_tr.question", "  ",
        "De vertaling is leeg. Zonder deze tekst biedt de lijn het Turks niet aan. Schrijf de "
        "vertaling, of laat de tekst staan die er stond.",
        id="empty",
    ),
    pytest.param(
        "/staff/content/prompt/contact_call", "translation_en.text",
        "Call {service}. I repeat: {service}.",
        "{number} ontbreekt: de Nederlandse tekst vult het hier in. Zet het ook in de vertaling.",
        id="placeholder",
    ),
    pytest.param(
        "/staff/content/prompt/connecting", "translation_en.text",
        "Please hold. I am connecting you to {service:d}.",
        "Schrijf een invulplek zonder : of ! erin, zoals {service}.",
        id="formatted-placeholder",
    ),
    pytest.param(
        ACUUT, "translation_en.question", "Is your relative\x01 in danger today?",
        "Er staat een onzichtbaar teken in deze tekst (vaak meegekopieerd uit een ander "
        "programma). Typ het stuk waar het staat opnieuw.",
        id="invisible-character",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("path", "name", "text", "message"), REFUSED)
def test_a_translation_the_line_could_not_speak_is_refused_next_to_its_field(
    content_console: Flask, eva: Editor, path: str, name: str, text: str, message: str
) -> None:
    box = name.replace("translation_", "reviewed_")
    answer = eva.post(path, "publish", **{name: text, box: "ja"})
    html = answer.get_data(as_text=True)
    assert answer.status_code == 422
    assert findings(html) == [
        ("error", name.replace(".", "-"), f"<strong>Fout:</strong> {message}")
    ]
    assert f'name="{name}"' in html and f'name="{box}" value="ja" checked' in html
    newest = versions_of(content_console).latest()
    assert newest is not None and newest.number == 1  # nothing saved, not even a draft
    assert versions_of(content_console).get(newest.id + 1) is None


def test_a_changed_moroccan_arabic_text_must_be_recorded_again(
    content_console: Flask, eva: Editor
) -> None:
    said = _entry(content_console, translation_file("ary"), "nodes", "acuut", "question")
    changed = said["text"].replace("اليوم", "دابا")
    shown = eva.post(ACUUT, "preview", **{"translation_ary.question": changed})
    assert shown.status_code == 302
    html = eva.page(shown.headers["Location"])
    assert findings(html) == [
        ("warn", "translation_ary-question", "<strong>Let op:</strong> Deze tekst moet opnieuw "
         "worden ingesproken. Het Marokkaans-Arabisch speelt de lijn af van opnames door "
         "vrijwilligers; tot de nieuwe opname er is, biedt de lijn het Marokkaans-Arabisch niet "
         "aan."),
    ]  # fmt: skip
    assert f'dir="auto" rows="2">{changed}</textarea>' in html  # the draft's text in the form
    draft = versions_of(content_console).get(2)
    assert draft is not None and draft.draft
    entry = yaml.safe_load(draft.files[translation_file("ary")])["nodes"]["acuut"]["question"]
    assert (entry["text"], entry["reviewed"]) == (changed, False)
    first = versions_of(content_console).numbered(1)
    assert (
        first is not None and draft.files[prompts_file("ary")] == first.files[prompts_file("ary")]
    )


def test_a_helpdesk_worker_cannot_change_a_translation(
    content_console: Flask, staff: Staff
) -> None:
    token = staff.csrf("/staff/callbacks")
    form = {"csrf_token": token, "action": "publish", "translation_en.question": NEW_ENGLISH}
    assert staff.client.post(ACUUT, data=form).status_code == 403
    newest = versions_of(content_console).latest()
    assert newest is not None and newest.number == 1


def test_a_colleagues_translation_is_not_overwritten_and_the_dutch_changes_with_it(
    content_console: Flask, eva: Editor
) -> None:
    token = eva.csrf(ACUUT)  # eva's form shows version 1, in another tab
    assert eva.post(ACUUT, "publish", **{"translation_en.question": NEW_ENGLISH}).status_code == 302
    # the old form would write the English of version 1 over version 2's
    new_dutch = "Heeft uw naaste vandaag hulp nodig om veilig te blijven?"
    form = {"csrf_token": token, "versie": "1", "action": "publish", "question": new_dutch,
            "source": "notes/domain.md",
            "translation_en.question": "Does the person you care for need help today to be safe?"}  # fmt: skip
    crossed = eva.client.post(ACUUT, data=form)
    assert crossed.status_code == 409
    assert "Niet opgeslagen: eva publiceerde intussen versie 2" in crossed.get_data(as_text=True)
    # the Dutch changes; the English (version 2's) still fits it: she says so with the box
    done = eva.client.post(ACUUT, data={**form, "versie": "2", "reviewed_en.question": "ja",
                                        "translation_en.question": NEW_ENGLISH})  # fmt: skip
    assert done.status_code == 302
    english = _entry(content_console, translation_file("en"), "nodes", "acuut", "question")
    assert (english["text"], english["nl"], english["reviewed"]["by"]) == (
        NEW_ENGLISH, text_hash(new_dutch), "eva",
    )  # fmt: skip
    turkish = _entry(content_console, translation_file("tr"), "nodes", "acuut", "question")
    assert turkish["nl"] == text_hash(DUTCH_QUESTION)  # untouched: stale until someone looks


def test_a_contacts_new_dutch_name_takes_its_translations_along_stale(
    make_app: Callable[..., Flask],
) -> None:
    """Translations know a contact by its Dutch name: renamed in one advice, each language's
    entry is written under the new name as it was (text, review, the old Dutch's hash: stale);
    the old name's stays, as three other advice still name the Wmo Helpdesk so. English is
    still offered, and says its (stale) name."""
    english = make_app(LANGUAGES="en")
    add_editor(english)
    eva = Editor(english.test_client())
    eva.log_in_as_editor()
    rename = {"contacts.0.name": "het Wmo-loket", "source_other": "Wmo-site"}
    shown = eva.post("/staff/content/opschaling", "preview", **rename)
    assert findings(eva.page(shown.headers["Location"])) == [
        ("warn", "contacts-0-name", "<strong>Let op:</strong> De vertalingen gaan mee naar de "
         "nieuwe naam; ze staan op ‘verouderd’ tot iemand ze nakijkt."),
    ]  # fmt: skip
    assert eva.post("/staff/content/opschaling", "publish", **rename).status_code == 302
    page = eva.page("/staff/content/opschaling")  # its three languages' names: stale, kept
    assert page.count('<span class="state stale">verouderd: het Nederlands is veranderd') == 3
    first, newest = versions_of(english).numbered(1), versions_of(english).latest()
    assert first is not None and newest is not None and newest.number == 2
    for code in ("en", "tr", "ary"):
        before = yaml.safe_load(first.files[translation_file(code)])["contacts"]
        after = yaml.safe_load(newest.files[translation_file(code)])["contacts"]
        assert after["het Wmo-loket"] == before["de Wmo Helpdesk"], code
        assert after["het Wmo-loket"]["nl"] == text_hash("de Wmo Helpdesk")  # stale now
        assert after["de Wmo Helpdesk"] == before["de Wmo Helpdesk"]  # 'aanvragen' … name it
    english.extensions["ivr_lines"].check_seconds = 0  # the next new call looks it up
    caller = Caller(english.test_client())
    assert "For English, press 7." in caller.post("/voice").spoken()
    at = f"/voice/answer?p=njjj&v={newest.id}&l="  # the advice's contacts: the Wmo's first
    heard = {code: caller.post(at + code, Digits="1").spoken()[3] for code in ("nl", "en")}
    assert heard == {
        "nl": "Bel gratis het W M O loket, op werkdagen van acht tot zes uur. Het nummer is nul "
        "acht nul nul, nul zes vier drie. Ik herhaal: nul acht nul nul, nul zes vier drie.",
        "en": "Call the W M O Helpdesk for free, on weekdays from eight to six o'clock. The "
        "number is zero eight zero zero, zero six four three. I repeat: zero eight zero zero, "
        "zero six four three.",
    }
