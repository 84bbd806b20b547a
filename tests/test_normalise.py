"""The normaliser, rule by rule: what a listener should hear for what is written."""

from __future__ import annotations

import pytest

from ivr.config.content import load_content
from ivr.config.settings import Settings
from ivr.core.normalise import normalise
from ivr.core.spoken_texts import spoken_texts
from ivr.web.line_assembly import call_flow

CASES = [
    # phone numbers: digit by digit, in the written groups
    ("Bel 020 886 88 00.", "Bel nul twee nul, acht acht zes, acht acht, nul nul.", "phone-area-3"),
    (
        "Bel 020-2552916.",
        "Bel nul twee nul, twee vijf vijf, twee negen, één zes.",
        "phone-hyphen-compact",
    ),
    (
        "Bel +31 20 886 88 00.",
        "Bel nul twee nul, acht acht zes, acht acht, nul nul.",
        "phone-e164",
    ),
    ("Bel 06 12345678.", "Bel nul zes, één twee, drie vier, vijf zes, zeven acht.", "phone-mobile"),
    (
        "Bel 0800 0643.",
        "Bel gratis nummer nul acht nul nul, nul zes vier drie.",
        "phone-0800-adds-gratis",
    ),
    (
        "Bel gratis de helpdesk: 0800-0643.",
        "Bel gratis de helpdesk: nul acht nul nul, nul zes vier drie.",
        "phone-0800-gratis-once",
    ),
    (
        "Dit is gratis. Bel 0800 0643.",
        "Dit is gratis. Bel gratis nummer nul acht nul nul, nul zes vier drie.",
        "phone-0800-gratis-per-sentence",
    ),
    ("Bel 112.", "Bel één één twee.", "phone-emergency"),
    (
        "Bel 020 886 88 00 18 keer.",
        "Bel nul twee nul, acht acht zes, acht acht, nul nul 18 keer.",
        "phone-keeps-trailing-number",
    ),
    ("Het kost 1.000 euro.", "Het kost 1.000 euro.", "thousands-not-a-time"),
    ("Kies 12345.", "Kies 12345.", "not-a-phone-number"),
    # times
    ("Open om 9.00 uur.", "Open om negen uur.", "time-full-hour"),
    ("Open om 9.00.", "Open om negen uur.", "time-full-hour-adds-uur"),
    ("Tot 16.30.", "Tot half vijf.", "time-half"),
    ("Tot 16.30 uur.", "Tot half vijf.", "time-half-drops-uur"),
    ("Om 10.15 uur.", "Om kwart over tien.", "time-quarter-past"),
    ("Om 13:45.", "Om kwart voor twee.", "time-colon-quarter-to"),
    ("Open 09:00-17:00.", "Open van negen tot vijf uur.", "time-range"),
    ("Open van 9.00 tot 17.00 uur.", "Open van negen tot vijf uur.", "time-range-van-tot"),
    (
        "Open ma-vr 08:00-18:00.",
        "Open maandag tot en met vrijdag van acht tot zes uur.",
        "days-and-time-range",
    ),
    ("Open ma t/m vr.", "Open maandag tot en met vrijdag.", "days-t-m"),
    ("Code 25.61 geldt.", "Code 25.61 geldt.", "not-a-time"),
    # abbreviations
    ("Hulp, bijv. boodschappen.", "Hulp, bijvoorbeeld boodschappen.", "bijv"),
    ("Bijv. boodschappen.", "Bijvoorbeeld boodschappen.", "bijv-capital"),
    ("Van 1 t/m 3 januari.", "Van 1 tot en met 3 januari.", "t-m"),
    ("Er is o.a. dagbesteding.", "Er is onder andere dagbesteding.", "o-a"),
    (
        "Boodschappen, klussen enz. Daarna rust.",
        "Boodschappen, klussen enzovoort. Daarna rust.",
        "abbreviation-ends-sentence",
    ),
    ("Bel z.s.m. de huisarts.", "Bel zo snel mogelijk de huisarts.", "z-s-m"),
    # acronyms, letter by letter
    ("Een ELV is een opname.", "Een E L V is een opname.", "elv"),
    ("Met een Wlz-indicatie.", "Met een W L Z indicatie.", "wlz-compound"),
    ("De Wmo Helpdesk.", "De W M O Helpdesk.", "wmo"),
    ("Via de WMO.", "Via de W M O.", "wmo-capitals"),
    ("Het Wmoloket.", "Het Wmoloket.", "acronym-inside-word-untouched"),
    # whitespace
    ("Ik  leg het\n uit. ", "Ik leg het uit.", "whitespace"),
]


@pytest.mark.parametrize(("written", "spoken"), [c[:2] for c in CASES], ids=[c[2] for c in CASES])
def test_rule(written: str, spoken: str) -> None:
    assert normalise(written) == spoken


@pytest.mark.parametrize("written", [c[0] for c in CASES], ids=[c[2] for c in CASES])
def test_idempotent(written: str) -> None:
    once = normalise(written)
    assert normalise(once) == once


def _line_texts() -> tuple[str, ...]:
    settings = Settings.from_env({"IVR_DEV_MODE": "1"})
    content = load_content(settings.tree_path, settings.prompts_path, settings.shared_dir)
    return spoken_texts(call_flow(settings, content))


def test_line_texts_only_change_where_a_rule_applies() -> None:
    """The line's own texts already have numbers in words; only the acronyms change."""
    changed = {t: normalise(t) for t in _line_texts() if normalise(t) != t}
    assert all(normalise(s) == s for s in changed.values())
    assert all(any(a in t for a in ("Wlz", "Wmo", "ELV")) for t in changed)
    assert "Logeeropvang via de W L Z." in changed.values()
    assert not any(ch.isdigit() for t in _line_texts() for ch in normalise(t))
