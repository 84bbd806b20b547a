"""What an editor can change (ivr.core.content_fields) and what a change is checked for, in
plain Dutch (ivr.core.content_findings)."""

from __future__ import annotations

import pytest

from ivr.core.content_fields import OFFERING, PROMPT, QUESTION, SERVICE, Item, items
from ivr.core.content_findings import ERROR, SOURCE_FIELD, WARNING, Finding, check_fields
from ivr.core.content_findings import check_source as source_findings
from ivr.core.tree_model import Tree
from tests.support.checkout import SHIPPED_PROMPTS, SHIPPED_TREE


@pytest.fixture(scope="module")
def shipped(shipped_tree: Tree) -> list[Item]:
    return items(
        shipped_tree,
        SHIPPED_TREE.read_text(encoding="utf-8"),
        SHIPPED_PROMPTS.read_text(encoding="utf-8"),
    )


def _item(found: list[Item], kind: str, key: str) -> Item:
    return next(i for i in found if (i.kind, i.id) == (kind, key))


def test_items_come_in_the_order_a_caller_meets_them(shipped: list[Item]) -> None:
    kinds = [i.kind for i in shipped]
    assert [i.id for i in shipped[:4]] == ["acuut", "crisis", "wegvallen", "thuis"]
    assert (shipped[0].kind, shipped[0].path, shipped[1].path) == (QUESTION, "", "j")
    assert kinds.index(PROMPT) == kinds.count(QUESTION) + kinds.count(OFFERING)
    assert [i.id for i in shipped if i.kind == SERVICE] == ["markant", "sociaal_loket"]
    assert kinds[-2:] == [SERVICE, SERVICE]
    assert next(i for i in shipped if i.kind == PROMPT).id == "welcome"


def test_an_advice_has_its_own_contacts_and_names_its_services(shipped: list[Item]) -> None:
    advice = _item(shipped, OFFERING, "opschaling")
    assert [f.name for f in advice.fields] == [
        "offering", "text", "sms", "contacts.0.name", "contacts.0.phone", "contacts.0.hours",
    ]  # fmt: skip
    assert advice.field("contacts.0.phone").value == "0800 0643"  # type: ignore[union-attr]
    assert advice.field("contacts.0.phone").path == (  # type: ignore[union-attr]
        "nodes", "opschaling", "contacts", 0, "phone",
    )  # fmt: skip
    assert advice.services == ("sociaal_loket",)


def test_a_service_names_the_settings_that_override_it(shipped: list[Item]) -> None:
    markant = _item(shipped, SERVICE, "markant")
    assert [(f.name, f.value, f.setting) for f in markant.fields] == [
        ("phone", "020 886 88 00", "MARKANT_DIAL_NUMBER"),
        ("hours", "", "MARKANT_HOURS"),
        ("closed_dates", "", "MARKANT_CLOSED_DATES"),
    ]
    loket = _item(shipped, SERVICE, "sociaal_loket")
    assert loket.field("closed_dates").value == "05-05"  # type: ignore[union-attr]


WRONG_NUMBER = (
    "“020 123” is geen geldig Nederlands telefoonnummer. Schrijf 10 cijfers die met 0 beginnen "
    "(zoals 020 886 88 00), een 0800- of 0900-nummer, of 112."
)


def invisible(field: str) -> Finding:
    return Finding(
        field,
        ERROR,
        "Er staat een onzichtbaar teken in deze tekst (vaak meegekopieerd uit een ander "
        "programma). Typ het stuk waar het staat opnieuw.",
    )


LONG = "Bel de huisarts van uw naaste als u denkt dat er iets mis is met de zorg die hij of zij krijgt."


@pytest.mark.parametrize(
    ("kind", "key", "posted", "expected"),
    [
        (OFFERING, "opschaling", {"contacts.0.phone": "020 123"},
         [Finding("contacts.0.phone", ERROR, WRONG_NUMBER)]),
        (OFFERING, "opschaling", {"contacts.0.phone": "020 255 29 16"}, []),
        (QUESTION, "acuut", {"help": "  "},
         [Finding("help", ERROR, "Dit veld is leeg. Een lege tekst kan niet gepubliceerd worden.")]),
        (QUESTION, "acuut", {"question": LONG},
         [Finding("question", WARNING, f"Deze zin heeft 22 woorden, meer dan 15: “{LONG}” Een "
                  "kortere zin onthoudt de beller beter.")]),
        (PROMPT, "connecting", {"text": "Ik verbind u door met {dienst}."},
         [Finding("text", ERROR, "{dienst} bestaat niet in deze tekst. Hier kan de lijn "
                  "invullen: {service}."),
          Finding("text", WARNING, "{service} staat er niet meer in: de beller hoort dan de "
                  "naam van de dienst niet.")]),
        (PROMPT, "connecting", {"text": "Ik verbind u door met {service"},
         [Finding("text", ERROR, "Een accolade { of } staat los. Gebruik ze alleen om een "
                  "invulplek, zoals {service}.")]),
        (SERVICE, "sociaal_loket", {"hours": "ma-vr 9 tot 4"},
         [Finding("hours", ERROR, "“ma-vr 9 tot 4” kan de lijn niet lezen. Schrijf de tijden "
                  "zoals ma-vr 09:00-16:00. Meer blokken scheidt u met een puntkomma: ma-do "
                  "09:00-17:00; vr 09:00-12:00. De dagen en tijden lopen vooruit.")]),
        (SERVICE, "sociaal_loket", {"closed_dates": "05-05, 12-32, kerst"},
         [Finding("closed_dates", ERROR, "“12-32”, “kerst”: schrijf een datum als 05-05 (elk "
                  "jaar) of 2026-12-24 (één keer), gescheiden door komma's.")]),
        (SERVICE, "markant", {"hours": "", "closed_dates": ""}, []),
        (PROMPT, "connecting", {"text": "Ik verbind u door met {service:d}."},
         [Finding("text", ERROR, "Schrijf een invulplek zonder : of ! erin, zoals {service}.")]),
        (PROMPT, "connecting", {"text": "Ik verbind u door met {service!z}."},
         [Finding("text", ERROR, "Schrijf een invulplek zonder : of ! erin, zoals {service}.")]),
        (QUESTION, "acuut", {"question": "Is het dringend?\x7f"}, [invisible("question")]),
        (PROMPT, "welcome", {"text": "Welkom\x01 bij Markant."}, [invisible("text")]),
    ],
    ids=["wrong-number", "good-number", "empty-help", "long-sentence", "unknown-placeholder",
         "loose-brace", "hours", "closed-dates", "no-hours-keeps-the-assumption",
         "format-spec", "conversion", "control-character", "control-character-in-a-prompt"],
)  # fmt: skip
def test_each_field_is_checked_in_plain_dutch(
    shipped: list[Item], kind: str, key: str, posted: dict[str, str], expected: list[Finding]
) -> None:
    assert check_fields(_item(shipped, kind, key), posted) == expected


def test_a_changed_fact_needs_a_source_to_publish(shipped: list[Item]) -> None:
    advice = _item(shipped, OFFERING, "opschaling")
    posted = {"contacts.0.phone": "020 255 29 16"}
    refused = source_findings(advice, posted, "", needed=True)
    assert [(f.field, f.level) for f in refused] == [(SOURCE_FIELD, ERROR)]
    assert refused[0].message.startswith("Niet gepubliceerd: waar komt deze wijziging vandaan?")
    assert [f.level for f in source_findings(advice, posted, "", needed=False)] == [WARNING]
    assert source_findings(advice, posted, "telefoontje met het Sociaal loket, 3 dec", True) == []
    assert source_findings(advice, {"contacts.0.phone": "0800 0643"}, "", True) == []
