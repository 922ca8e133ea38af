"""KPIs of a workspace: its escalations read as plain numbers, then measured by domain.kpis."""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Float,
    Integer,
    Row,
    and_,
    case,
    func,
    literal,
    or_,
    select,
)
from sqlalchemy.sql import Select

from escalation_desk.domain.closure import ClosedLoop, Evidence, repeat_groups
from escalation_desk.domain.kpis import (
    LANES,
    BusinessClock,
    ClosureKpis,
    KpiReport,
    LaneTotal,
    LevelTargets,
    Measured,
    Response,
    Tally,
    WorkingTimeline,
    cadence_kept,
    compute,
    epoch_minutes,
    item_rates,
)
from escalation_desk.domain.lifecycle import Status
from escalation_desk.services.board import Clocks
from escalation_desk.store import core
from escalation_desk.store.db import Workspace

ESC = core.escalations.c
LEVEL = core.severity_levels.c
UNASSIGNED = "(no team)"
_MINUTES_PER_DAY = 1440.0


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
    Whole seconds, as exact as the comparisons with targets need (a Julian day as a float
    carries noise below that); ``unixepoch`` where SQLite has it (3.38), else ``strftime``,
    half again as slow.
    """
    seconds: ColumnElement[Any]
    if sqlite3.sqlite_version_info >= (3, 38):
        seconds = func.unixepoch(column)
    else:
        seconds = func.strftime("%s", column).cast(Integer)
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
        """Every KPI of the escalations ``chosen`` picks, as of ``now``.

        Counts and sums are SQL aggregates; only each escalation's response times come back
        row by row (their median and the business-hours clock need them).
        """
        chosen = chosen or KpiFilter()
        with self._workspace.query() as conn:
            levels, rows = _levels(conn)
            unknown = _unknown_choice(chosen, levels, conn)
            if unknown:
                raise ValueError(unknown)
            clocks = Clocks(conn)
            first = _first_day(conn, chosen)
            last = now.date()
            response_clocks = _business_clocks(
                clocks, {r.code: r.id for r in rows if r.target_response_business}, first, last
            )
            update_clocks = _business_clocks(
                clocks, {r.code: r.id for r in rows if r.update_every_business}, first, last
            )
            where = _where(chosen)
            every = {lv.code: lv.update_every_minutes for lv in levels}
            still_open = _open_business_cadence(conn, where, now, every, update_clocks)
            tallies, lanes = _tallies(conn, where, now, still_open)
            measured = Measured(
                tallies,
                _responses(conn, where, {r.id: r.code for r in rows}),
                lanes,
                _closure(conn, where, now),
            )
        return compute(
            measured,
            levels,
            now,
            business=response_clocks,
            start=chosen.start,
            end=chosen.end,
            tickets=tickets,
        )

    def write_report(
        self,
        path: Path,
        now: datetime,
        chosen: KpiFilter | None = None,
        *,
        tickets: int | None = None,
        team_name: str,
        period_text: str,
    ) -> None:
        """The manager report of ``chosen``: a PDF, written atomically."""
        # Imported on use: matplotlib's PDF machinery is only needed when a report is written.
        from escalation_desk.reports.manager_report import write_manager_report  # noqa: PLC0415

        write_manager_report(
            path,
            self.report(now, chosen, tickets=tickets),
            team_name=team_name,
            period_text=period_text,
            generated_at=now,
        )


def _levels(conn: Connection) -> tuple[list[LevelTargets], list[Row[Any]]]:
    rows = list(conn.execute(select(core.severity_levels).order_by(LEVEL.rank)))
    return [
        LevelTargets(
            r.code,
            f"{r.code} {r.name}".strip(),
            r.colour,
            r.target_response_minutes,
            r.update_every_minutes,
            r.target_response_business,
        )
        for r in rows
    ], rows


def _first_day(conn: Connection, chosen: KpiFilter) -> date:
    """The first day any escalation of the filter's period was escalated."""
    earliest = conn.scalar(select(func.min(ESC.escalated_at)).where(_where(chosen)))
    return earliest.date() if earliest is not None else date.today()


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


def _minutes_between(start: Any, end: Any) -> ColumnElement[float]:
    return (func.julianday(end) - func.julianday(start)) * _MINUTES_PER_DAY


def _count(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return func.count(case((condition, 1)))


def _tallies(
    conn: Connection,
    where: ColumnElement[bool],
    now: datetime,
    python_cadence: Mapping[tuple[str, str], tuple[int, int]],
) -> tuple[list[Tally], list[LaneTotal]]:
    """The counts per severity and team, and the lanes' stays, summed by SQLite in one pass
    over the escalations (see the rules in domain.kpis).

    The update cadence of escalations still open at business-hours levels is judged in
    Python (``python_cadence``: measured and kept per severity and team): their wait since
    the last update runs on a calendar SQL does not know.
    """
    in_app = ESC.source == ""
    every = LEVEL.update_every_minutes
    last_mark = func.coalesce(ESC.last_update_at, ESC.acknowledged_at, ESC.escalated_at)
    gap = func.coalesce(ESC.longest_update_gap_minutes, 0.0)
    resolved = ESC.resolved_at.is_not(None)
    wall_clock_open = and_(~resolved, LEVEL.update_every_business.is_(False))
    trailing = _minutes_between(last_mark, literal(now, core.UtcDateTime()))
    measured_in_sql = and_(in_app, every.is_not(None), or_(resolved, wall_clock_open))
    kept_in_sql = and_(
        measured_in_sql,
        or_(
            and_(resolved, gap <= every),
            and_(wall_clock_open, gap <= every, trailing <= every),
        ),
    )
    team = func.coalesce(core.teams.c.name, UNASSIGNED)
    query = (
        select(
            LEVEL.code,
            team,
            func.count(),
            _count(in_app),
            _count(ESC.reopen_count > 0),
            func.total(ESC.reassignment_count),
            _count(ESC.reassignment_count == 0),
            _count(
                and_(
                    ESC.handed_back_at.is_not(None),
                    or_(ESC.started_at.is_(None), ESC.started_at > ESC.handed_back_at),
                )
            ),
            func.total(case((in_app, _minutes_between(ESC.created_at, ESC.escalated_at)))),
            _count(measured_in_sql),
            _count(kept_in_sql),
            *_lane_columns(in_app),
        )
        .join(core.severity_levels, LEVEL.id == ESC.severity_id)
        .outerjoin(core.teams, core.teams.c.id == ESC.team_id)
        .where(where)
        .group_by(ESC.severity_id, ESC.team_id)
    )
    tallies = []
    stays = [0] * len(LANES)
    minutes = [0.0] * len(LANES)
    for row in conn.execute(query).all():
        for n in range(len(LANES)):
            stays[n] += row[11 + 2 * n]
            minutes[n] += row[12 + 2 * n]
        code, name = row[0], row[1]
        extra_measured, extra_kept = python_cadence.get((code, name), (0, 0))
        tallies.append(
            Tally(
                code,
                name,
                row[2],
                row[3],
                row[4],
                int(row[5]),
                row[6],
                row[7],
                row[8],
                row[9] + extra_measured,
                row[10] + extra_kept,
            )
        )
    return tallies, [LaneTotal(*lane) for lane in zip(LANES, stays, minutes, strict=True)]


def _open_business_cadence(
    conn: Connection,
    where: ColumnElement[bool],
    now: datetime,
    every: Mapping[str, int | None],
    update_clocks: Mapping[str, BusinessClock],
) -> dict[tuple[str, str], tuple[int, int]]:
    """Measured and kept, per severity and team, for open escalations at business-hours
    update levels: few (only the open ones), each judged on its level's calendar."""
    found: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    now_minutes = epoch_minutes(now)
    last_mark = func.coalesce(ESC.last_update_at, ESC.acknowledged_at, ESC.escalated_at)
    for code, team, gap, mark in conn.execute(
        select(
            LEVEL.code,
            func.coalesce(core.teams.c.name, UNASSIGNED),
            ESC.longest_update_gap_minutes,
            epoch_minutes_of(last_mark),
        )
        .join(core.severity_levels, LEVEL.id == ESC.severity_id)
        .outerjoin(core.teams, core.teams.c.id == ESC.team_id)
        .where(
            where,
            ESC.source == "",
            ESC.resolved_at.is_(None),
            LEVEL.update_every_minutes.is_not(None),
            LEVEL.update_every_business.is_(True),
        )
    ):
        limit = every[code]
        assert limit is not None
        counts = found[code, team]
        counts[0] += 1
        counts[1] += cadence_kept(gap, update_clocks[code](mark, now_minutes), limit)
    return {key: (measured, kept) for key, (measured, kept) in found.items()}


@cache
def _responses_query() -> Select[Any]:
    # The level's id, not its code: no join for each of a hundred thousand rows.
    return select(
        ESC.severity_id,
        ESC.made_sla,
        epoch_minutes_of(ESC.escalated_at),
        epoch_minutes_of(ESC.acknowledged_at),
    )


def _responses(
    conn: Connection, where: ColumnElement[bool], codes: Mapping[int, str]
) -> list[Response]:
    """Each escalation's response: its level's code, its export's verdict, when escalated and
    answered (epoch minutes)."""
    return [
        Response(codes[level_id], made_sla, escalated, acknowledged)
        for level_id, made_sla, escalated, acknowledged in conn.execute(
            _responses_query().where(where)
        ).all()
    ]


def _lane_columns(in_app: ColumnElement[bool]) -> list[Any]:
    """For each lane, its finished stays counted and their minutes summed (domain.lane_stays):
    from the lane's stamp to the next stamp present, never backwards."""
    stamps = (
        ESC.escalated_at,
        ESC.acknowledged_at,
        ESC.started_at,
        ESC.handed_back_at,
        ESC.resolved_at,
    )
    columns: list[Any] = []
    for index, begun in enumerate(stamps):
        later = (*stamps[index + 1 :], ESC.closed_at)
        # SQLite's coalesce wants two arguments at least.
        ended = func.coalesce(*later) if len(later) > 1 else later[0]
        stay = and_(in_app, begun.is_not(None), ended.is_not(None), ended >= begun)
        columns += [_count(stay), func.total(case((stay, _minutes_between(begun, ended))))]
    return columns


def _business_clocks(
    clocks: Clocks, level_ids: Mapping[str, int], first: date, last: date
) -> dict[str, BusinessClock]:
    """Working minutes between two epoch-minute moments, for each business-hours level, over
    the local days from ``first`` to ``last`` (a day's margin each side for the zones)."""
    made: dict[int, BusinessClock] = {}
    found = {}
    for code, level_id in level_ids.items():
        calendar = clocks.clock(level_id).calendar
        if id(calendar) not in made:
            windows = calendar.working_windows(first - timedelta(days=1), last + timedelta(days=1))
            made[id(calendar)] = WorkingTimeline(windows).between
        found[code] = made[id(calendar)]
    return found


def _closure(conn: Connection, where: ColumnElement[bool], now: datetime) -> ClosureKpis:
    """Closed loops complete and item by item, overdue follow-ups, repeat incidents."""
    entry = core.checklist_entries.c
    closed = and_(where, ESC.status == Status.CLOSED.value)
    settled = or_(entry.done_at.is_not(None), entry.waived_reason != "")
    count = conn.scalar(select(func.count()).select_from(core.escalations).where(closed)) or 0
    # Counted from the entries side: the checklist table has no index on its escalation, so a
    # NOT EXISTS per closed escalation would scan it once for each of them.
    unfinished = (
        conn.scalar(
            select(func.count(func.distinct(entry.escalation_id)))
            .join(core.escalations, ESC.id == entry.escalation_id)
            .where(closed, ~settled)
        )
        or 0
    )
    complete = count - unfinished
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
