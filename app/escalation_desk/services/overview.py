"""The workspace at a glance, for the Home screen and ``escalation-desk summary``."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TypeAlias

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from escalation_desk.domain.clock import BusinessCalendar, DeadlineState
from escalation_desk.domain.closure import EntryState, Gate, missing
from escalation_desk.domain.deadlines import Stages, deadlines, describe_overdue, rounded
from escalation_desk.domain.durations import Duration, format_duration
from escalation_desk.domain.lifecycle import OPEN_STATUSES, Status
from escalation_desk.services.mapping import calendar_from_row, default_calendar, targets_of
from escalation_desk.services.workspace import workspace_name
from escalation_desk.store import tables as t
from escalation_desk.store.db import Workspace


@dataclass(frozen=True, slots=True)
class LevelLine:
    """A severity level and how many open escalations it has."""

    code: str
    name: str
    colour: str
    target_response: str
    contacts: tuple[str, ...]
    open_count: int


@dataclass(frozen=True, slots=True)
class AttentionItem:
    """An escalation that needs the lead now, and why."""

    ref: str
    title: str
    severity: str
    colour: str
    reason: str
    detail: str = ""


@dataclass(frozen=True, slots=True)
class ActivityLine:
    """One recent line of any escalation's timeline."""

    at: datetime
    ref: str
    kind: str
    actor: str
    detail: str


@dataclass(frozen=True, slots=True)
class HomeSummary:
    """What the Home screen shows, computed from the workspace's data."""

    name: str
    path: str
    levels: tuple[LevelLine, ...]
    teams: int
    people: int
    roles: int
    roles_without_holder: tuple[str, ...]
    roles_without_backup: tuple[str, ...]
    routing_rules: int
    open_by_status: dict[str, int]
    breached: tuple[AttentionItem, ...]
    at_risk: tuple[AttentionItem, ...]
    without_liaison: tuple[AttentionItem, ...]
    awaiting_closure: tuple[AttentionItem, ...]
    recent: tuple[ActivityLine, ...] = field(default=())

    @property
    def open_total(self) -> int:
        """Escalations not yet resolved."""
        return sum(self.open_by_status.values())


def summarize(workspace: Workspace, now: datetime, *, recent: int = 8) -> HomeSummary:
    """Counts by SQL aggregation; deadlines by domain code over the open escalations only."""
    name = workspace_name(workspace)
    with workspace.read() as s:
        level_rows = s.scalars(select(t.SeverityLevel).order_by(t.SeverityLevel.rank)).all()
        open_values = [st.value for st in OPEN_STATUSES]
        open_by_level = dict(
            s.execute(
                select(t.Escalation.severity_id, func.count())
                .where(t.Escalation.status.in_(open_values))
                .group_by(t.Escalation.severity_id)
            ).all()
        )
        by_status = dict(
            s.execute(
                select(t.Escalation.status, func.count())
                .where(t.Escalation.status.in_(open_values))
                .group_by(t.Escalation.status)
            ).all()
        )
        roles = s.execute(
            select(t.Role.name, t.Role.holder_id, t.Role.backup_id).order_by(t.Role.name)
        ).all()
        fallback = default_calendar(s)
        calendars = {c.id: calendar_from_row(c) for c in s.scalars(select(t.Calendar))}
        levels = {lv.id: lv for lv in level_rows}
        breached, at_risk, without_liaison = _open_attention(
            s.execute(
                select(
                    t.Escalation.ref,
                    t.Escalation.title,
                    t.Escalation.severity_id,
                    t.Escalation.status,
                    t.Escalation.escalated_at,
                    t.Escalation.acknowledged_at,
                    t.Escalation.resolved_at,
                    t.Escalation.last_update_at,
                    t.Escalation.liaison_id,
                ).where(t.Escalation.status.in_(open_values))
            ).all(),
            levels,
            calendars,
            fallback,
            now,
        )
        awaiting = _awaiting_closure(s, levels, now)
        activity = s.execute(
            select(
                t.EscalationEvent.at,
                t.Escalation.ref,
                t.EscalationEvent.kind,
                t.EscalationEvent.actor,
                t.EscalationEvent.detail,
            )
            .join(t.Escalation, t.Escalation.id == t.EscalationEvent.escalation_id)
            .order_by(t.EscalationEvent.at.desc(), t.EscalationEvent.id.desc())
            .limit(recent)
        ).all()
        return HomeSummary(
            name=name,
            path=str(workspace.path),
            levels=tuple(
                LevelLine(
                    lv.code,
                    lv.name,
                    lv.colour,
                    format_duration(
                        Duration(lv.target_response_minutes, lv.target_response_business)
                    ),
                    tuple(c.role.name for c in lv.contacts),
                    open_by_level.get(lv.id, 0),
                )
                for lv in level_rows
            ),
            teams=s.scalar(select(func.count()).select_from(t.Team)) or 0,
            people=s.scalar(select(func.count()).select_from(t.Person)) or 0,
            roles=len(roles),
            roles_without_holder=tuple(r.name for r in roles if r.holder_id is None),
            roles_without_backup=tuple(r.name for r in roles if r.backup_id is None),
            routing_rules=s.scalar(select(func.count()).select_from(t.RoutingRule)) or 0,
            open_by_status={st.value: by_status.get(st.value, 0) for st in OPEN_STATUSES},
            breached=breached,
            at_risk=at_risk,
            without_liaison=without_liaison,
            awaiting_closure=awaiting,
            recent=tuple(ActivityLine(*row) for row in activity),
        )


_OpenRow: TypeAlias = tuple[
    str,
    str,
    int,
    str,
    datetime | None,
    datetime | None,
    datetime | None,
    datetime | None,
    int | None,
]


def _open_attention(
    rows: Iterable[_OpenRow],
    levels: dict[int, t.SeverityLevel],
    calendars: dict[int, BusinessCalendar],
    fallback: BusinessCalendar | None,
    now: datetime,
) -> tuple[tuple[AttentionItem, ...], tuple[AttentionItem, ...], tuple[AttentionItem, ...]]:
    """Open escalations whose clock has run out, that are close to it, or that lack a liaison."""
    breached: list[tuple[int, AttentionItem]] = []
    at_risk: list[tuple[int, AttentionItem]] = []
    no_liaison: list[AttentionItem] = []
    for ref, title, level_id, status, escalated, acked, resolved, updated, liaison in rows:
        level = levels[level_id]
        calendar = calendars.get(level.calendar_id or -1, fallback)
        stages = Stages(Status(status), escalated, acked, resolved, updated)
        running = [
            d for d in deadlines(stages, targets_of(level), now, calendar=calendar) if d.running
        ]
        late = [d for d in running if d.state is DeadlineState.BREACHED]
        close = [d for d in running if d.state is DeadlineState.CRITICAL]
        if late:
            worst = max(late, key=lambda d: d.overdue_by(now))
            item = AttentionItem(ref, title, level.code, level.colour, describe_overdue(worst, now))
            breached.append((worst.overdue_by(now), item))
        elif close:
            soonest = min(close, key=lambda d: d.due)
            reason = f"{soonest.kind.value.capitalize()} due in {_span(now, soonest.due)}"
            item = AttentionItem(ref, title, level.code, level.colour, reason)
            at_risk.append((int((soonest.due - now).total_seconds()), item))
        if liaison is None and Status(status) is not Status.NEW:
            no_liaison.append(
                AttentionItem(ref, title, level.code, level.colour, "No support liaison")
            )
    breached.sort(key=lambda pair: -pair[0])  # the longest overdue first
    at_risk.sort(key=lambda pair: pair[0])  # the soonest due first
    return (
        tuple(item for _, item in breached),
        tuple(item for _, item in at_risk),
        tuple(no_liaison),
    )


def _awaiting_closure(
    s: Session, levels: dict[int, t.SeverityLevel], now: datetime
) -> tuple[AttentionItem, ...]:
    """Resolved escalations not yet closed, with what their closure loop still misses."""
    resolved = s.scalars(
        select(t.Escalation)
        .options(selectinload(t.Escalation.checklist))
        .where(t.Escalation.status == Status.RESOLVED.value)
        .order_by(t.Escalation.resolved_at)
    ).all()
    items = []
    for esc in resolved:
        entries = [
            EntryState(
                e.name, Gate(e.gate), done=e.done_at is not None, waived=bool(e.waived_reason)
            )
            for e in esc.checklist
        ]
        gaps = missing(entries)
        waited = _span(esc.resolved_at or now, now)
        what = f"{len(gaps)} of {len(entries)} missing" if gaps else "ready to close"
        detail = "Missing: " + ", ".join(e.name for e in gaps) if gaps else "Every item is done"
        level = levels[esc.severity_id]
        items.append(
            AttentionItem(
                esc.ref, esc.title, level.code, level.colour, f"{what} · {waited}", detail
            )
        )
    return tuple(items)


def _span(start: datetime, end: datetime) -> str:
    """The time between two moments, rounded as people say it."""
    return format_duration(rounded(max(0, int((end - start).total_seconds() // 60))))
