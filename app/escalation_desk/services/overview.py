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
from escalation_desk.services.mapping import calendar_from_row, targets_of
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
    """Counts by SQL aggregation; deadlines by domain code over the open escalations only.

    Each distinct statement costs a compilation the first time a window asks, so related
    figures share a statement (all settings, all counts by level and status, all directory
    counts).
    """
    open_values = [st.value for st in OPEN_STATUSES]
    with workspace.read() as s:
        settings = dict(s.execute(select(t.Setting.key, t.Setting.value)).all())
        level_rows = s.scalars(
            select(t.SeverityLevel)
            .options(selectinload(t.SeverityLevel.contacts).joinedload(t.LevelContact.role))
            .order_by(t.SeverityLevel.rank)
        ).all()
        levels = {lv.id: lv for lv in level_rows}
        open_counts = s.execute(
            select(t.Escalation.severity_id, t.Escalation.status, func.count())
            .where(t.Escalation.status.in_(open_values))
            .group_by(t.Escalation.severity_id, t.Escalation.status)
        ).all()
        calendars = {c.id: calendar_from_row(c) for c in s.scalars(select(t.Calendar))}
        fallback = _default_calendar(calendars, settings.get("default_calendar"))
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
        by_level: dict[int, int] = {}
        by_status: dict[str, int] = {}
        for level_id, status, count in open_counts:
            by_level[level_id] = by_level.get(level_id, 0) + count
            by_status[status] = by_status.get(status, 0) + count
        roles = s.execute(
            select(t.Role.name, t.Role.holder_id, t.Role.backup_id).order_by(t.Role.name)
        ).all()
        teams, people, rules = s.execute(
            select(
                select(func.count()).select_from(t.Team).scalar_subquery(),
                select(func.count()).select_from(t.Person).scalar_subquery(),
                select(func.count()).select_from(t.RoutingRule).scalar_subquery(),
            )
        ).one()
        return HomeSummary(
            name=settings.get("workspace_name") or workspace.path.stem,
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
                    by_level.get(lv.id, 0),
                )
                for lv in level_rows
            ),
            teams=teams,
            people=people,
            roles=len(roles),
            roles_without_holder=tuple(r.name for r in roles if r.holder_id is None),
            roles_without_backup=tuple(r.name for r in roles if r.backup_id is None),
            routing_rules=rules,
            open_by_status={st.value: by_status.get(st.value, 0) for st in OPEN_STATUSES},
            breached=breached,
            at_risk=at_risk,
            without_liaison=without_liaison,
            awaiting_closure=_awaiting_closure(s, levels, now),
            recent=_recent_activity(s, recent),
        )


def _default_calendar(
    calendars: dict[int, BusinessCalendar], name: str | None
) -> BusinessCalendar | None:
    """The calendar the workspace names as its default, else its first one."""
    named = [c for c in calendars.values() if c.name == name]
    ordered = named or [calendars[key] for key in sorted(calendars)]
    return ordered[0] if ordered else None


def _recent_activity(s: Session, limit: int) -> tuple[ActivityLine, ...]:
    """The newest timeline lines of any escalation."""
    rows = s.execute(
        select(
            t.EscalationEvent.at,
            t.Escalation.ref,
            t.EscalationEvent.kind,
            t.EscalationEvent.actor,
            t.EscalationEvent.detail,
        )
        .join(t.Escalation, t.Escalation.id == t.EscalationEvent.escalation_id)
        .order_by(t.EscalationEvent.at.desc(), t.EscalationEvent.id.desc())
        .limit(limit)
    ).all()
    return tuple(ActivityLine(*row) for row in rows)


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
