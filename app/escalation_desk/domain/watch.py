"""The "due to escalate" watch: what needs a support lead's attention now, most pressing first."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

from escalation_desk.domain.clock import (
    BusinessCalendar,
    DeadlineState,
    Thresholds,
    running_time,
)
from escalation_desk.domain.deadlines import (
    DeadlineKind,
    Stages,
    Targets,
    deadlines,
    describe_due,
    describe_overdue,
    say_span,
)
from escalation_desk.domain.durations import format_duration
from escalation_desk.domain.lifecycle import Status
from escalation_desk.domain.matrix import SeverityLevel, Trigger, TriggerKind

# Reassigned more often than this, an escalation is bouncing between teams: a reason for
# hierarchical escalation.
BOUNCE_LIMIT = 2


class WatchKind(StrEnum):
    """Why an escalation is on the watch."""

    TRIGGER_FIRED = "trigger_fired"
    BREACHED = "breached"
    AT_RISK = "at_risk"
    UPDATE_OVERDUE = "update_overdue"
    BOUNCING = "bouncing"


@dataclass(frozen=True, slots=True)
class WatchInput:
    """One escalation as the watch sees it.

    ``last_progress_at`` is the latest sign of progress; when None the escalation time is
    used, so pass the creation time for an escalation that is still new.
    """

    ref: str
    title: str
    level: SeverityLevel
    stages: Stages
    last_progress_at: datetime | None
    reassignment_count: int
    calendar: BusinessCalendar | None


@dataclass(frozen=True, slots=True)
class WatchItem:
    """One line of the watch; ``key`` stays the same while it is the same news."""

    ref: str
    kind: WatchKind
    text: str
    key: str


# The order the watch lists kinds in: what has already gone wrong before what may go wrong.
_ORDER = (
    WatchKind.BREACHED,
    WatchKind.TRIGGER_FIRED,
    WatchKind.UPDATE_OVERDUE,
    WatchKind.BOUNCING,
    WatchKind.AT_RISK,
)


@dataclass(frozen=True, slots=True)
class _Found:
    item: WatchItem
    rank: int
    urgency: float  # lower is more urgent, within a kind and a severity


def _minutes(seconds: float) -> int:
    return max(0, int(seconds // 60))


def _fired(entry: WatchInput, now: datetime) -> _Found | None:
    """The longest time trigger of the level that has run out, if any."""
    since = entry.last_progress_at or entry.stages.escalated_at
    if since is None:
        return None
    status = entry.stages.status
    best: tuple[Trigger, int, int] | None = None  # trigger, its minutes, minutes run
    for trigger in entry.level.triggers:
        after = trigger.after
        if trigger.kind is not TriggerKind.TIME or after is None:
            continue
        if after.minutes == 0 and status is not Status.NEW:
            continue  # "escalate immediately" is about escalating at all, done already
        clock = entry.calendar if after.business else None
        # Waiting on the customer is not a lack of progress: paused time does not count.
        ran = running_time(since, now, entry.stages.paused, now=now, calendar=clock)
        minutes = _minutes(ran.total_seconds())
        if minutes >= after.minutes and (best is None or after.minutes > best[1]):
            best = (trigger, after.minutes, minutes)
    if best is None:
        return None
    trigger, after_minutes, minutes = best
    code = entry.level.code
    text = f"No progress for {say_span(minutes)} on a {code} (trigger: {trigger.sentence()})"
    key = f"{entry.ref}:{WatchKind.TRIGGER_FIRED}:{after_minutes}@{since.isoformat()}"
    item = WatchItem(entry.ref, WatchKind.TRIGGER_FIRED, text, key)
    return _Found(item, entry.level.rank, -(minutes - after_minutes))


def _clocks(entry: WatchInput, now: datetime, thresholds: Thresholds) -> list[_Found]:
    """Running deadlines that are breached or close to it."""
    level = entry.level
    targets = Targets(level.target_response, level.update_every, level.target_resolution)
    found: list[_Found] = []
    for deadline in deadlines(
        entry.stages, targets, now, calendar=entry.calendar, thresholds=thresholds
    ):
        if not deadline.running:
            continue
        if deadline.state is DeadlineState.BREACHED:
            late = deadline.overdue_by(now)
            if deadline.kind is DeadlineKind.UPDATE:
                kind = WatchKind.UPDATE_OVERDUE
                every = format_duration(deadline.target)
                text = f"{describe_overdue(deadline, now)} (one is due every {every})"
            else:
                kind, text = WatchKind.BREACHED, describe_overdue(deadline, now)
            urgency = -float(late)
        elif deadline.state in (DeadlineState.AT_RISK, DeadlineState.CRITICAL):
            kind, text = WatchKind.AT_RISK, describe_due(deadline, now)
            urgency = (deadline.due.astimezone(UTC) - now.astimezone(UTC)).total_seconds()
        else:
            continue
        # Keyed by when the clock started, which pauses do not move, so one deadline is one item.
        key = f"{entry.ref}:{kind}:{deadline.kind}@{deadline.started.isoformat()}"
        found.append(_Found(WatchItem(entry.ref, kind, text, key), level.rank, urgency))
    return found


def _bouncing(entry: WatchInput) -> _Found | None:
    count = entry.reassignment_count
    if count <= BOUNCE_LIMIT:
        return None
    text = f"Reassigned {count} times: bouncing between teams"
    key = f"{entry.ref}:{WatchKind.BOUNCING}:{count}"
    return _Found(WatchItem(entry.ref, WatchKind.BOUNCING, text, key), entry.level.rank, -count)


def watch(
    items: Iterable[WatchInput],
    now: datetime,
    *,
    thresholds: Thresholds = Thresholds(),  # noqa: B008 - frozen, so sharing it is safe
) -> list[WatchItem]:
    """What needs a lead's attention at ``now`` among open escalations.

    Listed by kind: breached deadlines, fired time triggers, overdue updates, bouncing
    escalations, then deadlines at risk. Within a kind the most severe level comes first,
    then the most overdue (or the least time left, the most reassignments).
    """
    found: list[_Found] = []
    for entry in items:
        status = entry.stages.status
        if not status.is_open:
            continue
        fired = _fired(entry, now)
        if fired is not None:
            found.append(fired)
        if status is not Status.NEW:
            found.extend(_clocks(entry, now, thresholds))
        bouncing = _bouncing(entry)
        if bouncing is not None:
            found.append(bouncing)
    found.sort(key=lambda f: (_ORDER.index(f.item.kind), f.rank, f.urgency, f.item.ref))
    return [f.item for f in found]
