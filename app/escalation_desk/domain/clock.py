"""Deadline arithmetic: calendar and business minutes, and the 50/75/100 % deadline states."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from functools import lru_cache
from zoneinfo import ZoneInfo

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
# As shown to people; fixed English words, whatever the machine's locale.
DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def as_utc(moment: datetime) -> datetime:
    """``moment`` in UTC; one already in UTC (as every stored time is) is returned as is."""
    return moment if moment.tzinfo is UTC else moment.astimezone(UTC)


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
        return _utc_window(self.timezone, hours[0], hours[1], day)

    def add_business_minutes(self, start: datetime, minutes: int) -> datetime:
        """The moment ``minutes`` working minutes after ``start`` (an aware datetime)."""
        return self.add_working_time(start, timedelta(minutes=minutes))

    def add_working_time(self, start: datetime, span: timedelta) -> datetime:
        """The moment ``span`` of working time after ``start`` (an aware datetime), in UTC."""
        if not self.weekly_hours:
            raise ValueError(f"The calendar {self.name!r} has no working hours.")
        moment = as_utc(start)
        remaining = span
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
        return int(self.working_time_between(start, end).total_seconds() // 60)

    def working_time_between(self, start: datetime, end: datetime) -> timedelta:
        """Working time from ``start`` to ``end``, to the second (zero unless ``end`` is later)."""
        begin, finish = as_utc(start), as_utc(end)
        if finish <= begin:
            return timedelta()
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
        return total

    def is_holiday(self, day: date) -> bool:
        """Whether ``day`` would be a working day but is a holiday."""
        return day in self.holidays and WEEKDAYS[day.weekday()] in self.weekly_hours

    def hours_text(self) -> str:
        """The working week in words: "Mon-Fri 09:00-17:00", "Mon, Wed 09:00-13:00"."""
        groups: dict[tuple[time, time], list[int]] = {}
        for index, day in enumerate(WEEKDAYS):
            hours = self.weekly_hours.get(day)
            if hours is not None:
                groups.setdefault(hours, []).append(index)
        if not groups:
            return "no working hours"
        parts = []
        for (opens, closes), days in groups.items():
            span = f"{opens:%H:%M}-{closes:%H:%M}"
            named = "every day" if len(days) == len(WEEKDAYS) else _day_runs(days)
            parts.append(f"{named} {span}")
        return "; ".join(parts)


def _day_runs(days: list[int]) -> str:
    """Weekday indexes as people write them: a run of three or more days becomes "Mon-Fri"."""
    runs: list[list[int]] = []
    for day in days:
        if runs and runs[-1][-1] == day - 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    words: list[str] = []
    for run in runs:
        if len(run) >= 3:
            words.append(f"{DAY_NAMES[run[0]]}-{DAY_NAMES[run[-1]]}")
        else:
            words.extend(DAY_NAMES[day] for day in run)
    return ", ".join(words)


# Used when a workspace defines no calendar of its own: business durations still mean
# working time rather than being read as plain hours.
STANDARD_WEEK = BusinessCalendar(
    "Mon-Fri 09:00-17:00 (UTC)",
    "UTC",
    {day: (time(9), time(17)) for day in WEEKDAYS[:5]},
)


@lru_cache(maxsize=4096)
def _utc_window(timezone: str, opens: time, closes: time, day: date) -> tuple[datetime, datetime]:
    """A day's working hours in UTC. Cached: a board of thousands asks for the same days."""
    zone = ZoneInfo(timezone)
    # Local wall-clock times: a DST change moves the window, never its opening hour.
    start = datetime.combine(day, opens, tzinfo=zone)
    end = datetime.combine(day, closes, tzinfo=zone)
    return as_utc(start), as_utc(end)


def add_minutes(
    start: datetime, minutes: int, *, business: bool, calendar: BusinessCalendar | None
) -> datetime:
    """Deadline arithmetic for one target: business minutes when a calendar applies."""
    if business and calendar is not None:
        return calendar.add_business_minutes(start, minutes)
    return _later(start, timedelta(minutes=minutes))


def _later(start: datetime, span: timedelta) -> datetime:
    """``span`` of real time after ``start``, in ``start``'s zone.

    Python adds to an aware datetime on its wall clock, so across a DST change the sum is off
    by an hour; adding in UTC is not.
    """
    return (as_utc(start) + span).astimezone(start.tzinfo)


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


# A stretch of time when the clock stood still (e.g. waiting on the customer); an end of
# None means it is still paused.
Pause = tuple[datetime, datetime | None]


def _pause_spans(
    paused: Iterable[Pause], since: datetime, until: datetime, now: datetime
) -> list[tuple[datetime, datetime]]:
    """The pauses inside ``since``..``until`` in time order, overlaps merged.

    A pause still open runs until ``now``; nothing after ``now`` has happened yet.
    """
    begin = as_utc(since)
    end = min(as_utc(until), as_utc(now))
    clipped = sorted(
        (max(as_utc(start), begin), min(as_utc(stop or now), end)) for start, stop in paused
    )
    merged: list[tuple[datetime, datetime]] = []
    for start, stop in clipped:
        if stop <= start:
            continue
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], stop))
        else:
            merged.append((start, stop))
    return merged


def _elapsed(start: datetime, end: datetime, calendar: BusinessCalendar | None) -> timedelta:
    """Clock time between two moments: working time under a calendar, else real time."""
    if calendar is not None:
        return calendar.working_time_between(start, end)
    # In UTC: between two times of one zone Python subtracts wall clocks, wrong across DST.
    return max(as_utc(end) - as_utc(start), timedelta())


def _advance(start: datetime, span: timedelta, calendar: BusinessCalendar | None) -> datetime:
    if calendar is not None:
        return calendar.add_working_time(start, span)
    return _later(start, span)


_MINUTE = timedelta(minutes=1)


def _whole_minutes(span: timedelta) -> int:
    return int(span.total_seconds() // 60)


def paused_due(
    start: datetime,
    minutes: int,
    paused: Sequence[Pause],
    *,
    now: datetime,
    until: datetime | None = None,
    calendar: BusinessCalendar | None = None,
) -> tuple[datetime, int]:
    """When ``minutes`` of running clock from ``start`` are used up, and the paused minutes
    that moved it there.

    With a calendar both count working time only: a pause over a weekend costs nothing. A
    pause still open is taken to end ``now``, so the due time keeps moving while it lasts.
    Pauses after ``until`` (when the clock stopped, if it did) change nothing.
    """
    remaining = timedelta(minutes=minutes)
    cursor = as_utc(start)
    if not paused:  # the common case, kept cheap for boards of thousands
        due = _advance(cursor, remaining, calendar)
        return (due if calendar is not None else due.astimezone(start.tzinfo)), 0
    held = timedelta()
    for pause_start, pause_end in _pause_spans(paused, cursor, until or now, now):
        due = _advance(cursor, remaining, calendar)
        if due <= pause_start:
            # The time ran out before this pause: it and any later pause come too late to help.
            break
        remaining -= _elapsed(cursor, pause_start, calendar)
        held += _elapsed(pause_start, pause_end, calendar)
        cursor = pause_end
    else:
        due = _advance(cursor, remaining, calendar)
    # As add_minutes does: a 24/7 due time keeps the start's zone, a business one is in UTC.
    return (due if calendar is not None else due.astimezone(start.tzinfo)), _whole_minutes(held)


def running_time(
    start: datetime,
    end: datetime,
    paused: Iterable[Pause],
    *,
    now: datetime,
    calendar: BusinessCalendar | None = None,
) -> timedelta:
    """Time the clock ran from ``start`` to ``end``: paused time left out, and with a
    calendar only working time counted. A pause still open is taken to end ``now``."""
    held = sum(
        (_elapsed(a, b, calendar) for a, b in _pause_spans(paused, start, end, now)),
        timedelta(),
    )
    return _elapsed(start, end, calendar) - held


def paused_since(paused: Iterable[Pause], now: datetime) -> datetime | None:
    """When the current pause began, or None when the clock runs at ``now``."""
    now = as_utc(now)
    starts = [
        as_utc(start)
        for start, end in paused
        if start <= now and (end is None or as_utc(end) > now)
    ]
    return min(starts) if starts else None


def deadline_state(
    started: datetime,
    due: datetime,
    now: datetime,
    *,
    done_at: datetime | None = None,
    thresholds: Thresholds = Thresholds(),
    calendar: BusinessCalendar | None = None,
    paused: Sequence[Pause] = (),
) -> DeadlineState:
    """The state of a deadline at ``now``; a deadline met in time stays met.

    With a calendar the share of time used is counted in working minutes: a business-day
    deadline set on Friday evening is not "critical" on Monday at nine. Paused time is not
    counted at all, and while paused the state stays what it was when the pause began.
    """
    # Compared in UTC: Python compares two times of one zone by wall clock, wrong at DST.
    started, due, now = as_utc(started), as_utc(due), as_utc(now)
    if done_at is not None:
        return DeadlineState.MET if as_utc(done_at) <= due else DeadlineState.BREACHED
    if now >= due:
        return DeadlineState.BREACHED
    if paused:
        pause_start = paused_since(paused, now)
        as_of = now if pause_start is None else max(started, pause_start)
        allowed = running_time(started, due, paused, now=now, calendar=calendar)
        spent = running_time(started, as_of, paused, now=now, calendar=calendar)
    else:  # the common case, kept cheap for boards of thousands
        allowed = _elapsed(started, due, calendar)
        spent = _elapsed(started, now, calendar)
    if calendar is not None:
        # Whole working minutes, as business targets are set in minutes.
        used = _whole_minutes(spent) / _whole_minutes(allowed) if allowed >= _MINUTE else 1.0
    else:
        used = spent / allowed if allowed > timedelta() else 1.0
    if used >= thresholds.critical:
        return DeadlineState.CRITICAL
    if used >= thresholds.at_risk:
        return DeadlineState.AT_RISK
    return DeadlineState.ON_TRACK
