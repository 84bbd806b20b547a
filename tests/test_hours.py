"""Opening hours in Europe/Amsterdam: boundaries, holidays, daylight saving, spoken Dutch."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, time

import pytest
from flask import Flask

from ivr.config.services import service_settings
from ivr.config.settings import Settings
from ivr.core.hours import (
    AMSTERDAM,
    HolidayRule,
    HoursFormatError,
    OpeningHours,
    parse_hours,
    spoken_moment,
    spoken_time,
)
from ivr.core.tree_model import Tree
from tests.support.calls import Caller
from tests.support.clock import CLOSED_TIME, Clock

LOKET = OpeningHours.parse(
    "ma-vr 09:00-16:00", HolidayRule(frozenset({"05-05"}), frozenset({"goede vrijdag"}))
)
MARKANT = OpeningHours.parse("ma-vr 09:00-17:00")


def ams(*args: int) -> datetime:
    return datetime(*args, tzinfo=AMSTERDAM)


@pytest.mark.parametrize(
    ("moment", "is_open"),
    [
        (ams(2026, 11, 23, 8, 59, 59), False),
        (ams(2026, 11, 23, 9, 0), True),
        (ams(2026, 11, 23, 15, 59, 59), True),
        (ams(2026, 11, 23, 16, 0), False),
        (ams(2026, 11, 28, 10, 0), False),
        (ams(2026, 11, 29, 10, 0), False),
        (ams(2026, 12, 25, 10, 0), False),
        (ams(2026, 4, 3, 10, 0), True),
        (ams(2026, 5, 5, 10, 0), False),
        (ams(2026, 4, 27, 10, 0), False),
    ],
    ids=["before-9", "at-9", "before-16", "at-16", "saturday", "sunday", "kerstmis",
         "goede-vrijdag-open", "5-mei-closed", "koningsdag"],
)  # fmt: skip
def test_sociaal_loket_hours(moment: datetime, is_open: bool) -> None:
    assert LOKET.is_open(moment) is is_open


def test_services_have_their_own_holiday_rules() -> None:
    assert MARKANT.is_open(ams(2026, 4, 3, 10, 0)) is False  # Goede Vrijdag: a public holiday
    assert MARKANT.is_open(ams(2026, 5, 5, 10, 0)) is True  # 5 mei 2026: no national holiday


@pytest.mark.parametrize(
    ("utc", "is_open"),
    [
        (datetime(2026, 3, 27, 8, 0, tzinfo=UTC), True),  # CET: 09:00 local
        (datetime(2026, 3, 30, 7, 0, tzinfo=UTC), True),  # CEST: 09:00 local
        (datetime(2026, 3, 30, 6, 59, tzinfo=UTC), False),
        (datetime(2026, 3, 30, 14, 0, tzinfo=UTC), False),  # CEST: 16:00 local
        (datetime(2026, 10, 26, 7, 59, tzinfo=UTC), False),  # CET again: 08:59 local
        (datetime(2026, 10, 26, 8, 0, tzinfo=UTC), True),
    ],
    ids=["cet-friday", "cest-monday-9", "cest-before-9", "cest-16", "cet-before-9", "cet-9"],
)
def test_daylight_saving_changes(utc: datetime, is_open: bool) -> None:
    assert LOKET.is_open(utc) is is_open


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="aware datetime"):
        LOKET.is_open(datetime(2026, 11, 23, 10, 0))


def test_next_opening_skips_weekend_and_holidays() -> None:
    assert LOKET.next_opening(ams(2026, 12, 24, 17, 0)) == ams(2026, 12, 28, 9, 0)


@pytest.mark.parametrize(
    ("clock", "spoken"),
    [
        (time(9, 0), "negen"),
        (time(16, 30), "half vijf"),
        (time(8, 15), "kwart over acht"),
        (time(12, 45), "kwart voor één"),
        (time(13, 10), "één uur 10"),
    ],
    ids=["hour", "half", "quarter-past", "quarter-to", "other"],
)
def test_spoken_time(clock: time, spoken: str) -> None:
    assert spoken_time(clock) == spoken


@pytest.mark.parametrize(
    ("text", "spoken"),
    [
        ("ma-vr 09:00-16:00", "op werkdagen van negen tot vier uur"),
        ("ma-vr 08:00-18:00", "op werkdagen van acht tot zes uur"),
        ("za 10:00-12:30", "op zaterdag van tien tot half één"),
        ("ma-do 09:00-17:00; vr 09:00-12:00",
         "van maandag tot en met donderdag van negen tot vijf uur, en op vrijdag van negen "
         "tot twaalf uur"),
    ],
    ids=["loket", "wmo-helpdesk", "saturday", "two-blocks"],
)  # fmt: skip
def test_spoken_hours(text: str, spoken: str) -> None:
    assert OpeningHours.parse(text).spoken() == spoken


@pytest.mark.parametrize(
    "text", ["weekdays", "ma-vr 9-16", "vr-ma 09:00-16:00", "ma 17:00-09:00", "ma 25:00-26:00"]
)
def test_bad_hours_are_refused_with_the_expected_form(text: str) -> None:
    with pytest.raises(HoursFormatError):
        OpeningHours.parse(text)


def test_markant_hours_default_is_configuration(shipped_tree: Tree) -> None:
    """Markant's hours are the tree's assumption until MARKANT_HOURS states them."""
    found = service_settings(Settings.from_env({"IVR_DEV_MODE": "1"}), shipped_tree)
    assert found["markant"].hours.blocks == parse_hours("ma-vr 09:00-17:00")
    assert found["markant"].hours_assumed is True
    assert found["markant"].hours.spoken() == "tijdens kantooruren"
    assert found["sociaal_loket"].hours_assumed is False
    env = {"IVR_DEV_MODE": "1", "MARKANT_HOURS": "ma-vr 08:30-17:00"}
    custom = service_settings(Settings.from_env(env), shipped_tree)
    assert custom["markant"].hours.blocks == parse_hours("ma-vr 08:30-17:00")
    assert custom["markant"].hours_assumed is False
    assert custom["markant"].hours.spoken() == "op werkdagen van half negen tot vijf uur"


def test_the_sociaal_loket_exceptions_come_from_the_tree(shipped_tree: Tree) -> None:
    loket = service_settings(Settings.from_env({"IVR_DEV_MODE": "1"}), shipped_tree)
    assert loket["sociaal_loket"].hours == LOKET


@pytest.mark.parametrize(
    ("extra", "said"),
    [
        pytest.param({}, "U kunt bellen tijdens kantooruren.", id="assumed-hours-not-spoken"),
        pytest.param(
            {"MARKANT_HOURS": "ma-do 08:30-17:00"},
            "U kunt morgen om half negen weer bellen.",
            id="configured-hours-spoken",
        ),
    ],
)
def test_assumed_hours_are_said_in_the_sources_words(
    make_app: Callable[..., Flask], clock: Clock, extra: dict[str, str], said: str
) -> None:
    """Markant's hours are an assumption: the line says "tijdens kantooruren" (notes/domain.md)
    until MARKANT_HOURS states them."""
    clock.now = CLOSED_TIME
    reply = Caller(make_app(**extra).test_client()).post("/voice/answer?p=", Digits="0")
    assert reply.spoken()[0] == f"De helpdesk van Markant is nu gesloten. {said}"


@pytest.mark.parametrize(
    ("moment", "said"),
    [
        pytest.param(
            datetime(2026, 11, 23, 8, 0, tzinfo=AMSTERDAM), "vandaag om negen uur", id="today"
        ),
        pytest.param(
            datetime(2026, 11, 20, 17, 0, tzinfo=AMSTERDAM),
            "op maandag om negen uur",
            id="friday-evening",
        ),
        pytest.param(
            datetime(2026, 12, 24, 17, 0, tzinfo=AMSTERDAM),
            "op maandag om negen uur",
            id="christmas-skipped",
        ),
        pytest.param(
            datetime(2030, 5, 4, 12, 0, tzinfo=AMSTERDAM),
            "op maandag om negen uur",
            id="5-mei-closed",
        ),
    ],
)
def test_the_sociaal_loket_says_when_it_opens_again(moment: datetime, said: str) -> None:
    assert LOKET.reopens(moment) == said


def test_a_week_ahead_is_said_as_a_date() -> None:
    now = datetime(2026, 12, 31, 12, 0, tzinfo=AMSTERDAM)
    later = datetime(2027, 1, 8, 9, 30, tzinfo=AMSTERDAM)
    assert spoken_moment(later, now) == "op 8 januari om half tien"


def test_assumed_hours_never_say_a_moment(shipped_tree: Tree) -> None:
    found = service_settings(Settings.from_env({"IVR_DEV_MODE": "1"}), shipped_tree)
    assert found["markant"].hours.reopens(datetime(2026, 11, 22, 22, 0, tzinfo=AMSTERDAM)) is None
