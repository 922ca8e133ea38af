"""An escalation's deadlines (response, next update, resolution) and how each is doing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from operator import itemgetter
from typing import Protocol
from zoneinfo import ZoneInfo

from escalation_desk.domain.clock import (
    DAY_NAMES,
    BusinessCalendar,
    DeadlineState,
    Pause,
    Thresholds,
    _minutes,
    as_utc,
    deadline_state,
    paused_due,
)
from escalation_desk.domain.durations import BUSINESS_DAY_MINUTES, Duration, format_duration
from escalation_desk.domain.lifecycle import Status


class DeadlineKind(StrEnum):
    """The three clocks of an escalation."""

    RESPONSE = "response"
    UPDATE = "update"
    RESOLUTION = "resolution"


@dataclass(frozen=True, slots=True)
class Targets:
    """A level's targets; a level still being designed may lack any of them."""

    response: Duration | None
    update_every: Duration | None = None
    resolution: Duration | None = None


@dataclass(frozen=True, slots=True)
class Stages:
    """When an escalation reached each stage that starts or stops a clock."""

    status: Status
    escalated_at: datetime | None
    acknowledged_at: datetime | None = None
    resolved_at: datetime | None = None
    last_update_at: datetime | None = None
    handed_back_at: datetime | None = None
    # Stretches when the clocks stood still (waiting on the customer); None: still paused.
    paused: tuple[Pause, ...] = ()


class Stamped(Protocol):
    """What the clocks read of an escalation: a ``Stages``, or a record with the same fields
    (a board row is one, and spares building a ``Stages`` for each of thousands)."""

    @property
    def status(self) -> Status: ...
    @property
    def escalated_at(self) -> datetime | None: ...
    @property
    def acknowledged_at(self) -> datetime | None: ...
    @property
    def resolved_at(self) -> datetime | None: ...
    @property
    def last_update_at(self) -> datetime | None: ...
    @property
    def handed_back_at(self) -> datetime | None: ...
    @property
    def paused(self) -> tuple[Pause, ...]: ...


# While engineering holds the escalation, updates are owed at the level's cadence.
_UPDATES_OWED = frozenset({Status.ACKNOWLEDGED, Status.IN_PROGRESS})


@dataclass(frozen=True, slots=True)
class Deadline:
    """One deadline, its state at the time asked, and why it falls when it does.

    ``paused_minutes`` is how far pauses pushed ``due`` back (working minutes for a business
    target).
    """

    kind: DeadlineKind
    started: datetime
    due: datetime
    state: DeadlineState
    target: Duration
    done_at: datetime | None = None
    paused_minutes: int = 0

    @property
    def running(self) -> bool:
        """Whether the clock still runs (nothing has stopped it yet)."""
        return self.done_at is None

    def overdue_by(self, now: datetime) -> int:
        """Whole minutes past due when it stopped, or now while it runs (0 when in time)."""
        end = self.done_at or now
        # In UTC: Python subtracts two times of one zone by wall clock, wrong across DST.
        late = as_utc(end) - as_utc(self.due)
        return max(0, int(late.total_seconds() // 60))


# A clock that applies to an escalation: its kind, when it started, its target, and when it
# stopped (None while it runs).
Clock = tuple[DeadlineKind, datetime, Duration, datetime | None]
# A running clock and when it falls due, with the working minutes pauses pushed that back.
RunningClock = tuple[Clock, datetime, int]


def clocks(stages: Stamped, targets: Targets) -> list[Clock]:
    """The clocks that apply.

    None before escalation. Updates are owed while engineering holds the escalation
    (acknowledged, in progress). Handing back returns ownership to support: the escalation's
    resolution clock stops there.
    """
    # Each stage read once: a board row parses its stored times each time one is read.
    escalated = stages.escalated_at
    if escalated is None:
        return []
    status, acknowledged = stages.status, stages.acknowledged_at
    found: list[Clock] = []
    if targets.response is not None:
        found.append((DeadlineKind.RESPONSE, escalated, targets.response, acknowledged))
    if targets.update_every is not None and acknowledged is not None and status in _UPDATES_OWED:
        last_update = stages.last_update_at
        since = acknowledged if last_update is None else max(acknowledged, last_update)
        found.append((DeadlineKind.UPDATE, since, targets.update_every, None))
    if targets.resolution is not None:
        handed_back = stages.handed_back_at if status is Status.HANDED_BACK else None
        found.append(
            (
                DeadlineKind.RESOLUTION,
                escalated,
                targets.resolution,
                stages.resolved_at or handed_back,
            )
        )
    return found


def _due(
    clock: Clock, paused: tuple[Pause, ...], now: datetime, calendar: BusinessCalendar | None
) -> tuple[datetime, int]:
    _, start, target, done = clock
    # The same rule as add_minutes: business time only when there is a calendar to count it.
    return paused_due(
        start,
        target.minutes,
        paused,
        now=now,
        until=done,
        calendar=calendar if target.business else None,
    )


def _deadline(
    clock: Clock,
    due: datetime,
    held: int,
    paused: tuple[Pause, ...],
    now: datetime,
    calendar: BusinessCalendar | None,
    thresholds: Thresholds,
) -> Deadline:
    kind, start, target, done = clock
    state = deadline_state(
        start,
        due,
        now,
        done_at=done,
        thresholds=thresholds,
        calendar=calendar if target.business else None,
        paused=paused,
    )
    return Deadline(kind, start, due, state, target, done, held)


def deadlines(
    stages: Stages,
    targets: Targets,
    now: datetime,
    *,
    calendar: BusinessCalendar | None = None,
    thresholds: Thresholds = Thresholds(),  # noqa: B008 - frozen, so sharing it is safe
) -> list[Deadline]:
    """The deadlines of the clocks that apply (see ``clocks``), as of ``now``.

    A stopped clock is met if it stopped in time. Pauses push each due time back by the paused
    time after its clock started (working time only, for a business target), up to when the
    clock stopped; while paused, a running deadline's state holds still.
    """
    found = []
    for clock in clocks(stages, targets):
        due, held = _due(clock, stages.paused, now, calendar)
        found.append(_deadline(clock, due, held, stages.paused, now, calendar, thresholds))
    return found


def running_clocks(
    stages: Stamped, targets: Targets, now: datetime, *, calendar: BusinessCalendar | None = None
) -> list[RunningClock]:
    """The clocks still running and when each falls due, as ``deadlines`` works them out.

    For the questions a board asks of thousands of escalations (which deadline comes next,
    is any past due) without working out the state of every deadline.
    """
    found = []
    for clock in clocks(stages, targets):
        if clock[3] is None:
            due, held = _due(clock, stages.paused, now, calendar)
            found.append((clock, due, held))
    return found


def past_due(running: RunningClock, now: datetime) -> bool:
    """Whether a running clock has passed its due time: its deadline's state is breached."""
    # Compared in UTC, as deadline_state compares: by wall clock a DST change would mislead.
    return as_utc(now) >= as_utc(running[1])


def soonest(
    running: list[RunningClock],
    now: datetime,
    *,
    paused: tuple[Pause, ...] = (),
    calendar: BusinessCalendar | None = None,
    thresholds: Thresholds = Thresholds(),  # noqa: B008 - frozen, so sharing it is safe
) -> Deadline | None:
    """The deadline of the running clock due soonest (the first of those due together), with
    the escalation's ``paused`` stretches: the one ``deadlines`` gives for it."""
    if not running:
        return None
    clock, due, held = min(running, key=itemgetter(1))
    return _deadline(clock, due, held, paused, now, calendar, thresholds)


def next_deadline(
    stages: Stamped,
    targets: Targets,
    now: datetime,
    *,
    calendar: BusinessCalendar | None = None,
    thresholds: Thresholds = Thresholds(),  # noqa: B008 - frozen, so sharing it is safe
) -> Deadline | None:
    """``soonest(running_clocks(...))``, working out only the due times that can come first.

    A clock never falls due sooner than its start plus its target in real time (working time
    and pauses only push it later), so a clock that would not come sooner than the soonest
    found so far even then is passed over. One that needs working time on a calendar without
    any is still refused, as there; only a calendar with no working time in ten years from a
    passed-over clock's start would be refused there and not here.
    """
    paused = stages.paused
    best: RunningClock | None = None
    for clock in clocks(stages, targets):
        if clock[3] is not None:
            continue
        if best is not None and _never_sooner(clock, best[1], calendar):
            continue
        due, held = _due(clock, paused, now, calendar)
        if best is None or due < best[1]:  # the first of those due together, as min() takes
            best = (clock, due, held)
    if best is None:
        return None
    clock, due, held = best
    return _deadline(clock, due, held, paused, now, calendar, thresholds)


def _never_sooner(clock: Clock, due: datetime, calendar: BusinessCalendar | None) -> bool:
    """Whether ``clock`` cannot fall due before ``due``."""
    _, start, target, _ = clock
    # In UTC only, where comparing times compares instants (within one other zone Python
    # compares wall clocks, and min() would too); stored times are all in UTC.
    if start.tzinfo is not UTC or due.tzinfo is not UTC or start + _minutes(target.minutes) < due:
        return False
    # Working it out would be refused on a calendar without working time: so must this be.
    return calendar is None or not target.business or _has_working_time(calendar)


# The calendar last asked about and whether it has working time: a board asks about one or
# two calendars for each of thousands of rows. Replaced whole, so threads may share it.
_last_asked: tuple[BusinessCalendar | None, bool] = (None, False)


def _has_working_time(calendar: BusinessCalendar) -> bool:
    global _last_asked
    asked, answer = _last_asked
    if asked is not calendar:
        answer = any(opens < closes for opens, closes in calendar.weekly_hours.values())
        _last_asked = (calendar, answer)
    return answer


def rounded(minutes: int) -> Duration:
    """A span rounded the way people say it: minutes below 10 h, whole hours above."""
    if minutes >= 600:
        minutes = (minutes + 30) // 60 * 60
    return Duration(minutes)


def say_span(minutes: int) -> str:
    """A span for a sentence: "1 h 20 min", "under a minute" (never "immediately")."""
    return format_duration(rounded(minutes)) if minutes >= 1 else "under a minute"


def describe_overdue(deadline: Deadline, now: datetime) -> str:
    """A short phrase for a breached deadline: "Response 1 h 20 min late"."""
    return f"{deadline.kind.value.capitalize()} {say_span(deadline.overdue_by(now))} late"


def describe_due(deadline: Deadline, now: datetime) -> str:
    """A short phrase for a running deadline: "Update due in 35 min"."""
    left_s = (as_utc(deadline.due) - as_utc(now)).total_seconds()
    left = max(0, int(left_s // 60))
    return f"{deadline.kind.value.capitalize()} due in {say_span(left)}"


# Fixed English words, whatever the machine's locale.
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

# What each clock counts from, as the explanation names it.
_START_WORDS = {
    DeadlineKind.RESPONSE: "escalated",
    DeadlineKind.UPDATE: "last update",
    DeadlineKind.RESOLUTION: "escalated",
}


def _day_text(day: date) -> str:
    return f"{DAY_NAMES[day.weekday()]} {day.day} {_MONTHS[day.month - 1]}"


def _target_text(target: Duration, business: bool) -> str:
    """The target as added to the start: "30 min", "1 h", "2 business days"."""
    if target.minutes == 0:
        return "0 min"
    if business and target.minutes >= BUSINESS_DAY_MINUTES:
        return format_duration(target)  # a business day is a working day, not 24 h
    return format_duration(Duration(target.minutes))


def explain(
    deadline: Deadline,
    level_code: str,
    calendar: BusinessCalendar | None,
    *,
    paused_minutes: int = 0,
    tz: str = "UTC",
) -> str:
    """Why a deadline falls when it does, in one line.

    "due 14:30 = escalated 14:00 + 30 min P1 target, 24/7", or for business hours
    "due Mon 09:45 = escalated Fri 16:45 + 1 h P1 target, business hours Mon-Fri 09:00-17:00".
    Business targets are shown in the calendar's time zone, others in ``tz`` (a zone name).
    Pass the deadline's ``paused_minutes`` to say how far pauses pushed it back.
    """
    business = deadline.target.business and calendar is not None
    zone = ZoneInfo(calendar.timezone if business and calendar is not None else tz)
    start = deadline.started.astimezone(zone)
    due = deadline.due.astimezone(zone)
    days_apart = (due.date() - start.date()).days
    if days_apart > 6 or days_apart < 0:
        start_text, due_text = (f"{_day_text(t.date())} {t:%H:%M}" for t in (start, due))
    elif days_apart > 0:
        start_text, due_text = (f"{DAY_NAMES[t.weekday()]} {t:%H:%M}" for t in (start, due))
    else:
        start_text, due_text = f"{start:%H:%M}", f"{due:%H:%M}"
    if not business and start.utcoffset() != due.utcoffset():
        # The clocks changed in between: without the zone names the sum would look wrong.
        start_text, due_text = f"{start_text} {start.tzname()}", f"{due_text} {due.tzname()}"
    target = " ".join(filter(None, (_target_text(deadline.target, business), level_code, "target")))
    text = f"due {due_text} = {_START_WORDS[deadline.kind]} {start_text} + {target}"
    if business and calendar is not None:
        text += f", business hours {calendar.hours_text()}"
        closed = [
            start.date() + timedelta(days=n)
            for n in range(days_apart + 1)
            if calendar.is_holiday(start.date() + timedelta(days=n))
        ]
        if closed:
            text += f" (closed {', '.join(_day_text(day) for day in closed)})"
    else:
        text += ", 24/7"
    if paused_minutes > 0:
        text += f" + {format_duration(Duration(paused_minutes))} paused"
    return text
