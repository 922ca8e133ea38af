"""KPIs of a workspace: its escalations read as plain numbers, then measured by domain.kpis."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import ColumnElement, Connection, Float, and_, exists, func, literal, or_, select
from sqlalchemy.sql import Select

from escalation_desk.domain.closure import ClosedLoop, Evidence, repeat_groups
from escalation_desk.domain.kpis import (
    ClosureKpis,
    Elapsed,
    Facts,
    KpiReport,
    LevelTargets,
    compute,
    from_epoch_minutes,
    item_rates,
)
from escalation_desk.domain.lifecycle import EventKind, Status
from escalation_desk.services.board import Clocks
from escalation_desk.store import core
from escalation_desk.store.db import Workspace

ESC = core.escalations.c
LEVEL = core.severity_levels.c
UNASSIGNED = "(no team)"
_JULIAN_EPOCH = 2440587.5  # the Julian day of 1970-01-01 00:00 UTC
_SECONDS_PER_DAY = 86400.0


@dataclass(frozen=True, slots=True)
class KpiFilter:
    """Which escalations count: escalated in [start, end), at one severity, held by one team."""

    start: datetime | None = None
    end: datetime | None = None
    severity: str | None = None
    team: str | None = None


def epoch_minutes_of(column: Any) -> ColumnElement[float]:
    """A timestamp column as minutes since the Unix epoch, computed by SQLite.

    Reading numbers instead of timestamps spares parsing a hundred thousand dates in Python.
    Rounded to whole seconds, the app's precision: a Julian day as a float carries noise
    below that.
    """
    seconds = func.round((func.julianday(column) - _JULIAN_EPOCH) * _SECONDS_PER_DAY)
    return (seconds / 60.0).cast(Float)


class KpiService:
    """The dashboard's and ``kpis``' figures for a period and filter."""

    def __init__(self, workspace: Workspace) -> None:
        self._workspace = workspace

    def choices(self) -> tuple[list[str], list[str]]:
        """The severities (most severe first) and the teams a filter can pick."""
        with self._workspace.query() as conn:
            levels = list(conn.scalars(select(LEVEL.code).order_by(LEVEL.rank)))
            teams = list(conn.scalars(select(core.teams.c.name).order_by(core.teams.c.name)))
        return levels, teams

    def report(
        self, now: datetime, chosen: KpiFilter | None = None, *, tickets: int | None = None
    ) -> KpiReport:
        """Every KPI of the escalations ``chosen`` picks, as of ``now``."""
        chosen = chosen or KpiFilter()
        with self._workspace.query() as conn:
            clocks = Clocks(conn)
            levels, level_ids = _levels(conn)
            unknown = _unknown_choice(chosen, levels, conn)
            if unknown:
                raise ValueError(unknown)
            where = _where(chosen)
            updates = _updates(conn, where)
            facts = [
                Facts(
                    row.code,
                    row.team or UNASSIGNED,
                    bool(row.source),
                    row.created,
                    row.escalated,
                    row.acknowledged,
                    row.started,
                    row.handed_back,
                    row.resolved,
                    row.closed,
                    row.reopen_count,
                    row.reassignment_count,
                    row.made_sla,
                    updates.get(row.id, ()),
                )
                for row in conn.execute(_facts_query().where(where))
            ]
            closure = _closure(conn, where, now)
            elapsed = _elapsed(clocks, level_ids)
        return compute(
            facts,
            levels,
            now,
            elapsed=elapsed,
            start=chosen.start,
            end=chosen.end,
            closure=closure,
            tickets=tickets,
        )


def _levels(conn: Connection) -> tuple[list[LevelTargets], dict[str, int]]:
    rows = conn.execute(select(core.severity_levels).order_by(LEVEL.rank)).all()
    return (
        [
            LevelTargets(
                r.code,
                f"{r.code} {r.name}".strip(),
                r.colour,
                r.target_response_minutes,
                r.update_every_minutes,
            )
            for r in rows
        ],
        {r.code: r.id for r in rows if r.target_response_business},
    )


def _unknown_choice(chosen: KpiFilter, levels: list[LevelTargets], conn: Connection) -> str:
    """A sentence naming a severity or team the workspace does not have ("" when both exist)."""
    if chosen.severity and chosen.severity not in {lv.code for lv in levels}:
        codes = ", ".join(lv.code for lv in levels)
        return f"There is no severity level {chosen.severity}; use {codes}."
    if chosen.team:
        found = conn.scalar(select(core.teams.c.id).where(core.teams.c.name == chosen.team))
        if found is None:
            return f"There is no team called {chosen.team}."
    return ""


def _where(chosen: KpiFilter) -> ColumnElement[bool]:
    """Escalated (or, never escalated, opened) in the period, at the severity, with the team."""
    when = func.coalesce(ESC.escalated_at, ESC.created_at)
    clauses: list[ColumnElement[bool]] = [ESC.escalated_at.is_not(None)]
    if chosen.start is not None:
        clauses.append(when >= chosen.start)
    if chosen.end is not None:
        clauses.append(when < chosen.end)
    if chosen.severity:
        clauses.append(ESC.severity_id.in_(select(LEVEL.id).where(LEVEL.code == chosen.severity)))
    if chosen.team:
        clauses.append(
            ESC.team_id.in_(select(core.teams.c.id).where(core.teams.c.name == chosen.team))
        )
    return and_(*clauses)


@cache
def _facts_query() -> Select[Any]:
    minutes = epoch_minutes_of
    return (
        select(
            ESC.id,
            LEVEL.code,
            core.teams.c.name.label("team"),
            ESC.source,
            minutes(ESC.created_at).label("created"),
            minutes(ESC.escalated_at).label("escalated"),
            minutes(ESC.acknowledged_at).label("acknowledged"),
            minutes(ESC.started_at).label("started"),
            minutes(ESC.handed_back_at).label("handed_back"),
            minutes(ESC.resolved_at).label("resolved"),
            minutes(ESC.closed_at).label("closed"),
            ESC.reopen_count,
            ESC.reassignment_count,
            ESC.made_sla,
        )
        .join(core.severity_levels, LEVEL.id == ESC.severity_id)
        .outerjoin(core.teams, core.teams.c.id == ESC.team_id)
    )


def _updates(conn: Connection, where: ColumnElement[bool]) -> dict[int, tuple[float, ...]]:
    """The times of the updates logged on escalations raised in the app."""
    event = core.escalation_events.c
    found: dict[int, list[float]] = defaultdict(list)
    for escalation_id, at in conn.execute(
        select(event.escalation_id, epoch_minutes_of(event.at))
        .join(core.escalations, ESC.id == event.escalation_id)
        .where(where, ESC.source == "", event.kind == EventKind.UPDATE_LOGGED.value)
    ):
        found[escalation_id].append(at)
    return {key: tuple(values) for key, values in found.items()}


def _elapsed(clocks: Clocks, business_levels: dict[str, int]) -> Elapsed:
    """Minutes on each level's clock: business time on its calendar for business targets."""
    calendars = {
        code: clocks.clock(level_id).calendar for code, level_id in business_levels.items()
    }

    def elapsed(severity: str, start: float, end: float) -> float:
        calendar = calendars.get(severity)
        if calendar is None:
            return end - start
        return calendar.business_minutes_between(from_epoch_minutes(start), from_epoch_minutes(end))

    return elapsed


def _closure(conn: Connection, where: ColumnElement[bool], now: datetime) -> ClosureKpis:
    """Closed loops complete and item by item, overdue follow-ups, repeat incidents."""
    entry = core.checklist_entries.c
    closed = and_(where, ESC.status == Status.CLOSED.value)
    settled = or_(entry.done_at.is_not(None), entry.waived_reason != "")
    open_item = exists().where(entry.escalation_id == ESC.id, ~settled)
    count = conn.scalar(select(func.count()).select_from(core.escalations).where(closed)) or 0
    complete = (
        conn.scalar(select(func.count()).select_from(core.escalations).where(closed, ~open_item))
        or 0
    )
    totals: dict[str, int] = {}
    done: dict[str, int] = {}
    for name, n, settled_count in conn.execute(
        select(entry.name, func.count(), func.sum(settled.cast(Float)))
        .join(core.escalations, ESC.id == entry.escalation_id)
        .where(closed)
        .group_by(entry.name)
        .order_by(func.min(entry.position), entry.name)
    ):
        totals[name], done[name] = n, int(settled_count or 0)
    follow = core.follow_ups.c
    overdue = (
        conn.scalar(
            select(func.count())
            .select_from(core.follow_ups)
            .join(core.escalations, ESC.id == follow.escalation_id)
            .where(where, follow.done_at.is_(None), follow.due < now)
        )
        or 0
    )
    return ClosureKpis(count, complete, item_rates(done, totals), overdue, _repeats(conn, closed))


def _repeats(conn: Connection, closed: ColumnElement[bool]) -> int:
    """Groups of closed escalations with one root cause in one module (see domain.closure)."""
    entry = core.checklist_entries.c
    latest: dict[str, ClosedLoop] = {}  # an escalation's root cause is its last category
    for row in conn.execute(
        select(ESC.ref, ESC.module, ESC.issue_type, ESC.closed_at, entry.evidence)
        .join(core.escalations, ESC.id == entry.escalation_id)
        .where(
            closed,
            entry.done_at.is_not(None),
            entry.evidence_kinds.contains(Evidence.CATEGORY.value),
            entry.evidence != literal("{}"),
        )
        .order_by(ESC.closed_at, entry.position)
    ):
        cause = json.loads(row.evidence or "{}").get("category")
        if cause:
            latest[row.ref] = ClosedLoop(
                row.ref, row.module or row.issue_type, cause, row.closed_at, True
            )
    loops = list(latest.values())
    return len(repeat_groups(loops))
