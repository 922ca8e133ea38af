"""Deadline arithmetic: calendar and business minutes, and the 50/75/100 % deadline states."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
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
    # Filled in when first needed; see _Windows.
    _windows: _Windows | None = field(default=None, init=False, repr=False, compare=False)

    def _window(self, day: date) -> tuple[datetime, datetime] | None:
        if day in self.holidays:
            return None
        hours = self.weekly_hours.get(WEEKDAYS[day.weekday()])
        if hours is None:
            return None
        return _utc_window(self.timezone, hours[0], hours[1], day)

    def working_windows(self, first: date, last: date) -> list[tuple[datetime, datetime]]:
        """The working hours of each day from ``first`` to ``last`` (local days), in UTC."""
        days = (first + timedelta(days=n) for n in range((last - first).days + 1))
        return [window for day in days if (window := self._window(day)) is not None]

    def add_business_minutes(self, start: datetime, minutes: int) -> datetime:
        """The moment ``minutes`` working minutes after ``start`` (an aware datetime)."""
        return self.add_working_time(start, timedelta(minutes=minutes))

    def add_working_time(self, start: datetime, span: timedelta) -> datetime:
        """The moment ``span`` of working time after ``start`` (an aware datetime), in UTC."""
        if not self.weekly_hours:
            raise ValueError(f"The calendar {self.name!r} has no working hours.")
        moment = as_utc(start)
        table = self._windows_around(moment, moment)
        found = table.end_after(moment, span) if table is not None else None
        if table is not None and found is None:
            # The end lies past the table: table the walk's whole ten years and look again.
            table = self._windows_around(moment, moment + _BEYOND_TEN_YEARS)
            found = table.end_after(moment, span) if table is not None else None
        if table is None:
            return self._walked_end(moment, span)
        if found is None or (
            table.opens[found[0]] - moment > _NEARLY_TEN_YEARS
            and table.days[found[0]] >= self._local_day(moment) + _TEN_YEARS
        ):
            raise ValueError(f"No working time within ten years on calendar {self.name!r}.")
        return found[1]

    def _walked_end(self, moment: datetime, span: timedelta) -> datetime:
        """add_working_time day by day: the definition the windows table must agree with."""
        remaining = span
        day = self._local_day(moment)
        for _ in range(_TEN_YEARS.days):  # far beyond any deadline
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
        table = self._windows_around(begin, finish)
        if table is None:
            return self._walked_time(begin, finish)
        return table.worked_until(finish) - table.worked_until(begin)

    def _walked_time(self, begin: datetime, finish: datetime) -> timedelta:
        """working_time_between day by day: the definition the windows table must agree with."""
        total = timedelta()
        day = self._local_day(begin)
        last = self._local_day(finish)
        while day <= last:
            window = self._window(day)
            if window is not None:
                opens, closes = max(window[0], begin), min(window[1], finish)
                if opens < closes:
                    total += closes - opens
            day += timedelta(days=1)
        return total

    def _local_day(self, moment: datetime) -> date:
        return moment.astimezone(ZoneInfo(self.timezone)).date()

    def _windows_around(self, first: datetime, last: datetime) -> _Windows | None:
        """A windows table covering ``first`` to ``last`` (UTC), or None where only the walk
        counts right (far-off years, or a zone whose days overlap)."""
        table = self._windows
        if table is not None and table.covers_from <= first and last < table.covers_until:
            return table if table.regular else None
        first_day, last_day = self._local_day(first), self._local_day(last)
        if table is not None:
            # Grown at least twofold, so that a spread of far-apart moments rebuilds it rarely.
            margin = max(_TABLE_MARGIN, table.last_day - table.first_day)
            first_day, last_day = min(first_day, table.first_day), max(last_day, table.last_day)
        else:
            margin = _TABLE_MARGIN
        if first_day - _TABLE_RANGE[0] < margin or _TABLE_RANGE[1] - last_day < margin:
            return None
        table = self._table(first_day - margin, last_day + margin)
        # Replaced whole, never changed in place: a board refreshing off the window's thread
        # may be reading the old table meanwhile. Frozen is for the calendar's fields, not
        # for this cache of what they imply.
        object.__setattr__(self, "_windows", table)
        return table if table.regular else None

    def _table(self, first_day: date, last_day: date) -> _Windows:
        """The working windows of ``first_day`` to ``last_day``, with running totals."""
        zone = ZoneInfo(self.timezone)
        opens: list[datetime] = []
        closes: list[datetime] = []
        worked: list[timedelta] = []
        days: list[date] = []
        total = timedelta()
        regular = True
        day = first_day
        covers_from = day_start = _day_start(zone, day)
        while day <= last_day:
            next_day = day + timedelta(days=1)
            next_start = _day_start(zone, next_day)
            window = self._window(day)
            if window is not None and window[0] < window[1]:  # an empty window counts nothing
                begin, end = window
                # Only windows in order, each inside its own day, add up to the walk's count.
                if begin < day_start or end > next_start or (closes and begin < closes[-1]):
                    regular = False
                total += end - begin
                opens.append(begin)
                closes.append(end)
                worked.append(total)
                days.append(day)
            day, day_start = next_day, next_start
        return _Windows(
            first_day, last_day, covers_from, day_start, opens, closes, worked, days, regular
        )

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


def _day_start(zone: ZoneInfo, day: date) -> datetime:
    """The moment ``day`` begins in ``zone``, in UTC."""
    return as_utc(datetime.combine(day, time(0), tzinfo=zone))


# The day-by-day walk gives up after ten years of days; the windows table at the same day.
_TEN_YEARS = timedelta(days=3660)
# Only a window opening this long after the start can lie past the walk's last day.
_NEARLY_TEN_YEARS = timedelta(days=3650)
# A moment this far on lies past the walk's last day in any zone.
_BEYOND_TEN_YEARS = timedelta(days=3662)
# Days tabled beyond the moments asked about, and the days a table may reach.
_TABLE_MARGIN = timedelta(days=366)
_TABLE_RANGE = (date(1900, 1, 1), date(2199, 12, 31))
_NO_TIME = timedelta()


@dataclass(frozen=True, slots=True)
class _Windows:
    """A calendar's working windows over a run of days, and the working time up to each.

    The working time up to any moment is then a binary search and a subtraction: counting or
    adding working time costs the same over an hour as over years, where walking the days
    costs a step per day. The windows are the walk's own and the sums exact, so the answers
    are the walk's to the microsecond (a property test holds the two together).
    """

    first_day: date
    last_day: date
    covers_from: datetime  # when first_day begins, in UTC
    covers_until: datetime  # when the day after last_day begins
    opens: list[datetime]  # the windows that hold working time, in order
    closes: list[datetime]
    worked: list[timedelta]  # working time from first_day to each window's close
    days: list[date]  # each window's local day
    # False in a zone whose days overlap (Pacific/Apia skipped 30 Dec 2011): the walk counts
    # such a window twice, and only the walk can agree with itself there.
    regular: bool

    def worked_until(self, moment: datetime) -> timedelta:
        """Working time from the first day to ``moment`` (UTC, within the table)."""
        index = bisect_right(self.closes, moment)
        worked = self.worked[index - 1] if index else _NO_TIME
        if index < len(self.opens) and moment > self.opens[index]:
            worked += moment - self.opens[index]
        return worked

    def end_after(self, moment: datetime, span: timedelta) -> tuple[int, datetime] | None:
        """The window in which ``span`` of working time after ``moment`` runs out, and when;
        None when that is past the table.

        Like the walk, a span of nothing (or less) counts from the first working moment at
        or after ``moment``, and a positive span ends inside a window, or at its close.
        """
        if span > _NO_TIME:
            target = self.worked_until(moment) + span
            index = bisect_left(self.worked, target)
            if index == len(self.worked):
                return None
            return index, self.closes[index] - (self.worked[index] - target)
        index = bisect_right(self.closes, moment)
        if index == len(self.closes):
            return None
        return index, max(moment, self.opens[index]) + span


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
    later = as_utc(start) + span
    return later if start.tzinfo is UTC else later.astimezone(start.tzinfo)


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


@lru_cache(maxsize=256)
def _minutes(count: int) -> timedelta:
    """``count`` minutes. Cached: a board asks for its few targets thousands of times over."""
    return timedelta(minutes=count)


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
    remaining = _minutes(minutes)
    cursor = as_utc(start)
    if not paused:  # the common case, kept cheap for boards of thousands
        if calendar is None:
            return _later(start, remaining), 0
        return calendar.add_working_time(cursor, remaining), 0
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
