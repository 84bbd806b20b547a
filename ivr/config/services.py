"""Per-service settings, derived from the tree's service ids: a new service needs no code.

For a service ``sociaal_loket`` the environment may set ``SOCIAAL_LOKET_HOURS``,
``SOCIAAL_LOKET_DIAL_NUMBER``, ``SOCIAAL_LOKET_RING_TIMEOUT``, ``SOCIAAL_LOKET_CLOSED_DATES`` and
``SOCIAAL_LOKET_OPEN_HOLIDAYS``; without them the tree's values hold (its ``hours`` from a
source, or its ``assumed_hours``; its ``closed_dates`` and ``open_holidays``; its phone number).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ivr.config.settings import Settings, env_e164, env_int, env_list
from ivr.core.errors import ConfigError
from ivr.core.hours import (
    HolidayRule,
    HoursFormatError,
    OpeningHours,
    is_closed_date,
    parse_hours,
)
from ivr.core.tree_model import Service, Tree


@dataclass(frozen=True)
class ServiceSettings:
    hours: OpeningHours
    dial_number: str  # E.164, the number a transfer dials
    ring_timeout: int  # seconds a transfer rings
    hours_assumed: bool  # True: the hours are the tree's assumption, not a source or setting


def service_settings(settings: Settings, tree: Tree) -> dict[str, ServiceSettings]:
    """Every service's settings; a bad value raises ConfigError naming its key."""
    return {sid: _one(settings, service) for sid, service in tree.services.items()}


def _one(settings: Settings, service: Service) -> ServiceSettings:
    env, prefix = settings.env, service.id.upper()
    key = f"{prefix}_HOURS"
    blocks = service.hours or service.assumed_hours
    if env.get(key):
        try:
            blocks = parse_hours(env[key])
        except HoursFormatError as exc:
            raise ConfigError(key, str(exc)) from exc
    if blocks is None:  # the validator requires hours or assumed_hours
        raise ConfigError(key, f"service {service.id!r} has no hours: set {key}")
    assumed = not env.get(key) and service.hours is None
    # Assumed hours decide when a transfer is tried, but the line says the source's words.
    said = service.hours_said if assumed else None
    return ServiceSettings(
        hours=OpeningHours(blocks, _holidays(env, prefix, service), said),
        dial_number=env_e164(env, f"{prefix}_DIAL_NUMBER") or service.phone.e164,
        ring_timeout=env_int(env, f"{prefix}_RING_TIMEOUT", settings.dial_timeout, 5, 120),
        hours_assumed=assumed,
    )


def _holidays(env: Mapping[str, str], prefix: str, service: Service) -> HolidayRule:
    closed_key, open_key = f"{prefix}_CLOSED_DATES", f"{prefix}_OPEN_HOLIDAYS"
    # The tree's lists are checked (and lower-cased) by the validator; a setting is checked here.
    closed = service.closed_dates
    if closed_key in env:
        closed = tuple(env_list(env[closed_key]))
        for item in closed:
            if not is_closed_date(item):
                raise ConfigError(closed_key, f"{item!r}: use MM-DD (every year) or YYYY-MM-DD")
    works = tuple(env_list(env[open_key])) if open_key in env else service.open_holidays
    return HolidayRule(frozenset(closed), frozenset(works))
