"""Turns stored rows into domain objects, so that rules are computed by domain code."""

from __future__ import annotations

import json
from datetime import date, time
from typing import Protocol

from escalation_desk.domain.clock import BusinessCalendar
from escalation_desk.domain.deadlines import Targets
from escalation_desk.domain.durations import Duration


class _CalendarRow(Protocol):
    name: str
    timezone: str
    weekly_hours: str
    holidays: str


class _LevelTargetsRow(Protocol):
    target_response_minutes: int | None
    target_response_business: bool
    update_every_minutes: int | None
    update_every_business: bool
    target_resolution_minutes: int | None
    target_resolution_business: bool


def calendar_from_row(row: _CalendarRow) -> BusinessCalendar:
    """A domain calendar from its stored JSON."""
    hours = {
        day: (time.fromisoformat(span[0]), time.fromisoformat(span[1]))
        for day, span in json.loads(row.weekly_hours).items()
    }
    holidays = frozenset(date.fromisoformat(d) for d in json.loads(row.holidays))
    return BusinessCalendar(row.name, row.timezone, hours, holidays)


def _duration(minutes: int | None, business: bool) -> Duration | None:
    return None if minutes is None else Duration(minutes, business)


def targets_of(level: _LevelTargetsRow) -> Targets:
    """The response, update and resolution targets of a stored level (ORM object or row)."""
    return Targets(
        response=_duration(level.target_response_minutes, level.target_response_business),
        update_every=_duration(level.update_every_minutes, level.update_every_business),
        resolution=_duration(level.target_resolution_minutes, level.target_resolution_business),
    )
