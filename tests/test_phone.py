"""Dutch phone numbers: groups as written, digit by digit, E.164."""

from __future__ import annotations

import pytest

from ivr.core.errors import PhoneNumberError
from ivr.core.phone import is_dutch_mobile, parse_dutch_number


@pytest.mark.parametrize(
    ("written", "groups", "spoken", "e164"),
    [
        ("020 886 88 00", "020 886 88 00",
         "nul twee nul, acht acht zes, acht acht, nul nul", "+31208868800"),
        ("020 - 2552916", "020 255 29 16",
         "nul twee nul, twee vijf vijf, twee negen, één zes", "+31202552916"),
        ("0800-0643", "0800 0643", "nul acht nul nul, nul zes vier drie", "+318000643"),
        ("0297 - 353872", "0297 35 38 72",
         "nul twee negen zeven, drie vijf, drie acht, zeven twee", "+31297353872"),
        ("+31 6 12345678", "06 12 34 56 78",
         "nul zes, één twee, drie vier, vijf zes, zeven acht", "+31612345678"),
        ("112", "112", "één één twee", "112"),
    ],
    ids=["markant", "sociaal-loket", "wmo-gratis", "four-digit-area", "mobile", "alarm"],
)  # fmt: skip
def test_numbers(written: str, groups: str, spoken: str, e164: str) -> None:
    number = parse_dutch_number(written)
    assert number.written == groups
    assert number.spoken == spoken
    assert number.e164 == e164


def test_0800_is_free() -> None:
    assert parse_dutch_number("0800 0643").is_free
    assert not parse_dutch_number("020 886 88 00").is_free


@pytest.mark.parametrize("bad", ["12345", "020 886 88", "0208868800 1", "abc", "00 123 456 78"])
def test_invalid_numbers_are_refused(bad: str) -> None:
    with pytest.raises(PhoneNumberError):
        parse_dutch_number(bad)


@pytest.mark.parametrize(
    ("caller_id", "mobile"),
    [("+31612345678", True), ("+31208868800", False), ("anonymous", False), ("", False)],
    ids=["mobile", "landline", "anonymous", "empty"],
)
def test_dutch_mobile(caller_id: str, mobile: bool) -> None:
    assert is_dutch_mobile(caller_id) is mobile
