"""The workspace at a glance, for the Home screen and ``escalation-desk summary``."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from itertools import groupby
from typing import Any, TypeAlias

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from escalation_desk.domain.clock import STANDARD_WEEK, BusinessCalendar, DeadlineState, Thresholds
from escalation_desk.domain.closure import EntryState, Gate, missing
from escalation_desk.domain.deadlines import (
    Stages,
    deadlines,
    describe_due,
    describe_overdue,
    say_span,
)
from escalation_desk.domain.durations import Duration, format_duration
from escalation_desk.domain.lifecycle import OPEN_STATUSES, Status
from escalation_desk.services.mapping import calendar_from_row, targets_of
from escalation_desk.services.preferences import preferences_of
from escalation_desk.store import core
from escalation_desk.store.db import Workspace

# A Core result row, read by column name. (Row's type parameters differ between SQLAlchemy
# 2.0 and 2.1, and these rows only travel inside this module.)
PlainRow: TypeAlias = Any

# Column collections of the tables Home reads.
SETTING = core.settings.c
LEVEL = core.severity_levels.c
CONTACT = core.level_contacts.c
ROLE = core.roles.c
ESC = core.escalations.c
ENTRY = core.checklist_entries.c
EVENT = core.escalation_events.c


@dataclass(frozen=True, slots=True)
class LevelLine:
    """A severity level and how many open escalations it has."""

    code: str
    name: str
    colour: str
    target_response: str | None  # None: the level has no target yet
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
    critical: tuple[AttentionItem, ...]  # running deadlines past the critical threshold
    without_liaison: tuple[AttentionItem, ...]
    awaiting_closure: tuple[AttentionItem, ...]
    recent: tuple[ActivityLine, ...] = field(default=())

    @property
    def open_total(self) -> int:
        """Escalations not yet resolved."""
        return sum(self.open_by_status.values())


def summarize(workspace: Workspace, now: datetime, *, recent: int = 8) -> HomeSummary:
    """Counts by SQL aggregation; deadlines by domain code over the open escalations only.

    The queries are Core selects over plain rows: Home is the first thing a start shows, and
    ORM queries would first configure every mapper and compile heavier statements. Related
    figures share a statement (all settings, all open counts, all directory counts).
    """
    open_values = [st.value for st in OPEN_STATUSES]
    with workspace.query() as s:
        settings = dict(s.execute(select(SETTING.key, SETTING.value)).all())
        levels = {
            row.id: row for row in s.execute(select(core.severity_levels).order_by(LEVEL.rank))
        }
        contacts: dict[int, list[str]] = {}
        for level_id, role_name in s.execute(
            select(CONTACT.level_id, ROLE.name)
            .join_from(core.level_contacts, core.roles)
            .order_by(CONTACT.level_id, CONTACT.position)
        ):
            contacts.setdefault(level_id, []).append(role_name)
        calendars = {row.id: calendar_from_row(row) for row in s.execute(select(core.calendars))}
        fallback = _default_calendar(calendars, settings.get("default_calendar"))
        open_rows = s.execute(
            select(
                ESC.ref,
                ESC.title,
                ESC.severity_id,
                ESC.status,
                ESC.escalated_at,
                ESC.acknowledged_at,
                ESC.resolved_at,
                ESC.last_update_at,
                ESC.handed_back_at,
                ESC.liaison_id,
            ).where(ESC.status.in_(open_values))
        ).all()
        breached, critical, without_liaison = _open_attention(
            open_rows, levels, calendars, fallback, now, preferences_of(settings).thresholds
        )
        by_level = Counter(row.severity_id for row in open_rows)
        by_status = Counter(row.status for row in open_rows)
        roles = s.execute(
            select(ROLE.name, ROLE.holder_id, ROLE.backup_id).order_by(ROLE.name)
        ).all()
        teams, people, rules = s.execute(
            select(
                select(func.count()).select_from(core.teams).scalar_subquery(),
                select(func.count()).select_from(core.people).scalar_subquery(),
                select(func.count()).select_from(core.routing_rules).scalar_subquery(),
            )
        ).one()
        return HomeSummary(
            name=settings.get("workspace_name") or workspace.name,
            path=workspace.location,
            levels=tuple(
                LevelLine(
                    lv.code,
                    lv.name,
                    lv.colour,
                    _target_text(targets_of(lv).response),
                    tuple(contacts.get(lv.id, ())),
                    by_level[lv.id],
                )
                for lv in levels.values()
            ),
            teams=teams,
            people=people,
            roles=len(roles),
            roles_without_holder=tuple(r.name for r in roles if r.holder_id is None),
            roles_without_backup=tuple(r.name for r in roles if r.backup_id is None),
            routing_rules=rules,
            open_by_status={st.value: by_status[st.value] for st in OPEN_STATUSES},
            breached=breached,
            critical=critical,
            without_liaison=without_liaison,
            awaiting_closure=_awaiting_closure(s, levels, now),
            recent=_recent_activity(s, recent),
        )


def _default_calendar(calendars: dict[int, BusinessCalendar], name: str | None) -> BusinessCalendar:
    """The calendar the workspace names as its default, else its first, else a standard week."""
    named = [c for c in calendars.values() if c.name == name]
    ordered = named or [calendars[key] for key in sorted(calendars)]
    return ordered[0] if ordered else STANDARD_WEEK


def _recent_activity(s: Connection, limit: int) -> tuple[ActivityLine, ...]:
    """The newest timeline lines of any escalation."""
    rows = s.execute(
        select(EVENT.at, ESC.ref, EVENT.kind, EVENT.actor, EVENT.detail)
        .join_from(core.escalation_events, core.escalations)
        .order_by(EVENT.at.desc(), EVENT.id.desc())
        .limit(limit)
    ).all()
    return tuple(ActivityLine(*row) for row in rows)


def _open_attention(
    rows: Iterable[PlainRow],
    levels: dict[int, PlainRow],
    calendars: dict[int, BusinessCalendar],
    fallback: BusinessCalendar,
    now: datetime,
    thresholds: Thresholds,
) -> tuple[tuple[AttentionItem, ...], tuple[AttentionItem, ...], tuple[AttentionItem, ...]]:
    """Open escalations whose clock has run out, that are close to it, or that lack a liaison."""
    breached: list[tuple[int, AttentionItem]] = []
    critical: list[tuple[int, AttentionItem]] = []
    no_liaison: list[AttentionItem] = []
    for row in rows:
        ref, title, level = row.ref, row.title, levels[row.severity_id]
        calendar = calendars.get(level.calendar_id or -1, fallback)
        stages = Stages(
            Status(row.status),
            row.escalated_at,
            row.acknowledged_at,
            row.resolved_at,
            row.last_update_at,
            row.handed_back_at,
        )
        running = [
            d
            for d in deadlines(
                stages, targets_of(level), now, calendar=calendar, thresholds=thresholds
            )
            if d.running
        ]
        late = [d for d in running if d.state is DeadlineState.BREACHED]
        close = [d for d in running if d.state is DeadlineState.CRITICAL]
        if late:
            worst = max(late, key=lambda d: d.overdue_by(now))
            item = AttentionItem(ref, title, level.code, level.colour, describe_overdue(worst, now))
            breached.append((worst.overdue_by(now), item))
        elif close:
            soonest = min(close, key=lambda d: d.due)
            item = AttentionItem(ref, title, level.code, level.colour, describe_due(soonest, now))
            critical.append((int((soonest.due - now).total_seconds()), item))
        if row.liaison_id is None and stages.status is not Status.NEW:
            no_liaison.append(
                AttentionItem(ref, title, level.code, level.colour, "No support liaison")
            )
    breached.sort(key=lambda pair: -pair[0])  # the longest overdue first
    critical.sort(key=lambda pair: pair[0])  # the soonest due first
    return (
        tuple(item for _, item in breached),
        tuple(item for _, item in critical),
        tuple(no_liaison),
    )


def _awaiting_closure(
    s: Connection, levels: dict[int, PlainRow], now: datetime
) -> tuple[AttentionItem, ...]:
    """Resolved escalations not yet closed, with what their closure loop still misses."""
    rows = s.execute(
        select(
            ESC.id,
            ESC.ref,
            ESC.title,
            ESC.severity_id,
            ESC.resolved_at,
            ENTRY.name,
            ENTRY.gate,
            ENTRY.done_at,
            ENTRY.waived_reason,
        )
        .join_from(core.escalations, core.checklist_entries, isouter=True)
        .where(ESC.status == Status.RESOLVED.value)
        .order_by(ESC.resolved_at, ESC.id, ENTRY.position)
    ).all()
    items = []
    for _, group in groupby(rows, key=lambda row: row.id):
        lines = list(group)
        first = lines[0]
        entries = [
            EntryState(
                r.name, Gate(r.gate), done=r.done_at is not None, waived=bool(r.waived_reason)
            )
            for r in lines
            if r.name is not None
        ]
        gaps = missing(entries)
        waited = _span(first.resolved_at or now, now)
        what = f"{len(gaps)} of {len(entries)} missing" if gaps else "ready to close"
        detail = "Missing: " + ", ".join(e.name for e in gaps) if gaps else "Every item is done"
        level = levels[first.severity_id]
        items.append(
            AttentionItem(
                first.ref, first.title, level.code, level.colour, f"{what} · {waited}", detail
            )
        )
    return tuple(items)


def _span(start: datetime, end: datetime) -> str:
    """The time between two moments, rounded as people say it."""
    return say_span(max(0, int((end - start).total_seconds() // 60)))


def _target_text(target: Duration | None) -> str | None:
    return format_duration(target) if target is not None else None
