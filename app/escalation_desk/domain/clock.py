"""Deadline arithmetic: calendar and business minutes, and the 50/75/100 % deadline states."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True, slots=True)
class BusinessCalendar:
    """Working hours per weekday in a time zone, and holidays when nobody works."""

    name: str
    timezone: str
    weekly_hours: dict[str, tuple[time, time]]
    holidays: frozenset[date] = field(default=frozenset())

    def _window(self, day: date) -> tuple[datetime, datetime] | None:
        if day in self.holidays:
            return None
        hours = self.weekly_hours.get(WEEKDAYS[day.weekday()])
        if hours is None:
            return None
        zone = ZoneInfo(self.timezone)
        # Local wall-clock times: a DST change moves the window, never its opening hour.
        start = datetime.combine(day, hours[0], tzinfo=zone)
        end = datetime.combine(day, hours[1], tzinfo=zone)
        return start.astimezone(UTC), end.astimezone(UTC)

    def add_business_minutes(self, start: datetime, minutes: int) -> datetime:
        """The moment ``minutes`` working minutes after ``start`` (an aware datetime)."""
        if not self.weekly_hours:
            raise ValueError(f"The calendar {self.name!r} has no working hours.")
        moment = start.astimezone(UTC)
        remaining = timedelta(minutes=minutes)
        day = moment.astimezone(ZoneInfo(self.timezone)).date()
        for _ in range(3660):  # ten years of days: far beyond any deadline
            window = self._window(day)
            if window is not None:
                opens, closes = window
                begin = max(moment, opens)
                if begin < closes:
                    if begin + remaining <= closes:
                        return begin + remaining
                    remaining -= closes - begin
            day += timedelta(days=1)
        raise ValueError(f"No working time within ten years on calendar {self.name!r}.")

    def business_minutes_between(self, start: datetime, end: datetime) -> int:
        """Working minutes from ``start`` to ``end`` (0 when ``end`` is not later)."""
        begin, finish = start.astimezone(UTC), end.astimezone(UTC)
        if finish <= begin:
            return 0
        total = timedelta()
        day = begin.astimezone(ZoneInfo(self.timezone)).date()
        last = finish.astimezone(ZoneInfo(self.timezone)).date()
        while day <= last:
            window = self._window(day)
            if window is not None:
                opens, closes = max(window[0], begin), min(window[1], finish)
                if opens < closes:
                    total += closes - opens
            day += timedelta(days=1)
        return int(total.total_seconds() // 60)


# Used when a workspace defines no calendar of its own: business durations still mean
# working time rather than being read as plain hours.
STANDARD_WEEK = BusinessCalendar(
    "Mon-Fri 09:00-17:00 (UTC)",
    "UTC",
    {day: (time(9), time(17)) for day in WEEKDAYS[:5]},
)


def add_minutes(
    start: datetime, minutes: int, *, business: bool, calendar: BusinessCalendar | None
) -> datetime:
    """Deadline arithmetic for one target: business minutes when a calendar applies."""
    if business and calendar is not None:
        return calendar.add_business_minutes(start, minutes)
    return start + timedelta(minutes=minutes)


class DeadlineState(StrEnum):
    """How close a deadline is, by the share of its time already used."""

    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    CRITICAL = "critical"
    BREACHED = "breached"
    MET = "met"


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Shares of the allowed time at which a deadline turns at risk and critical."""

    at_risk: float = 0.5
    critical: float = 0.75


def deadline_state(
    started: datetime,
    due: datetime,
    now: datetime,
    *,
    done_at: datetime | None = None,
    thresholds: Thresholds = Thresholds(),
    calendar: BusinessCalendar | None = None,
) -> DeadlineState:
    """The state of a deadline at ``now``; a deadline met in time stays met.

    With a calendar the share of time used is counted in working minutes: a business-day
    deadline set on Friday evening is not "critical" on Monday at nine.
    """
    if done_at is not None:
        return DeadlineState.MET if done_at <= due else DeadlineState.BREACHED
    if now >= due:
        return DeadlineState.BREACHED
    if calendar is not None:
        allowed = calendar.business_minutes_between(started, due)
        spent = calendar.business_minutes_between(started, now)
        used = spent / allowed if allowed > 0 else 1.0
    else:
        allowed_s = (due - started).total_seconds()
        used = (now - started).total_seconds() / allowed_s if allowed_s > 0 else 1.0
    if used >= thresholds.critical:
        return DeadlineState.CRITICAL
    if used >= thresholds.at_risk:
        return DeadlineState.AT_RISK
    return DeadlineState.ON_TRACK
