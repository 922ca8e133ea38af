"""An escalation's deadlines (response, next update, resolution) and how each is doing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from escalation_desk.domain.clock import (
    BusinessCalendar,
    DeadlineState,
    Thresholds,
    add_minutes,
    deadline_state,
)
from escalation_desk.domain.durations import Duration, format_duration
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


# While engineering holds the escalation, updates are owed at the level's cadence.
_UPDATES_OWED = frozenset({Status.ACKNOWLEDGED, Status.IN_PROGRESS})


@dataclass(frozen=True, slots=True)
class Deadline:
    """One deadline, its state at the time asked, and why it falls when it does."""

    kind: DeadlineKind
    started: datetime
    due: datetime
    state: DeadlineState
    target: Duration
    done_at: datetime | None = None

    @property
    def running(self) -> bool:
        """Whether the clock still runs (nothing has stopped it yet)."""
        return self.done_at is None

    def overdue_by(self, now: datetime) -> int:
        """Whole minutes past due when it stopped, or now while it runs (0 when in time)."""
        end = self.done_at or now
        return max(0, int((end - self.due).total_seconds() // 60))


def deadlines(
    stages: Stages,
    targets: Targets,
    now: datetime,
    *,
    calendar: BusinessCalendar | None = None,
    thresholds: Thresholds = Thresholds(),  # noqa: B008 - frozen, so sharing it is safe
) -> list[Deadline]:
    """The deadlines that apply.

    None before escalation. Updates are owed while engineering holds the escalation
    (acknowledged, in progress). Handing back returns ownership to support: the escalation's
    resolution clock stops there, met if the hand-back came in time.
    """
    if stages.escalated_at is None:
        return []
    found: list[Deadline] = []

    def add(kind: DeadlineKind, start: datetime, target: Duration, done: datetime | None) -> None:
        clock = calendar if target.business else None
        due = add_minutes(start, target.minutes, business=target.business, calendar=calendar)
        state = deadline_state(start, due, now, done_at=done, thresholds=thresholds, calendar=clock)
        found.append(Deadline(kind, start, due, state, target, done))

    if targets.response is not None:
        add(DeadlineKind.RESPONSE, stages.escalated_at, targets.response, stages.acknowledged_at)
    if (
        targets.update_every is not None
        and stages.acknowledged_at is not None
        and stages.status in _UPDATES_OWED
    ):
        since = max(filter(None, (stages.acknowledged_at, stages.last_update_at)))
        add(DeadlineKind.UPDATE, since, targets.update_every, None)
    if targets.resolution is not None:
        handed_back = stages.handed_back_at if stages.status is Status.HANDED_BACK else None
        add(
            DeadlineKind.RESOLUTION,
            stages.escalated_at,
            targets.resolution,
            stages.resolved_at or handed_back,
        )
    return found


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
    left = max(0, int((deadline.due - now).total_seconds() // 60))
    return f"{deadline.kind.value.capitalize()} due in {say_span(left)}"
