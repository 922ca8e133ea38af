"""KPIs of a workspace: its escalations read as plain numbers, then measured by domain.kpis."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
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
    ResponseRow,
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
from escalation_desk.store.facts import LANE_COLUMNS, escalation_facts, read_checklist_state
from escalation_desk.store.timesql import epoch_minutes_sql, minutes_between_sql

ESC = core.escalations.c
LEVEL = core.severity_levels.c
FACT = escalation_facts.c
UNASSIGNED = "(no team)"


@dataclass(frozen=True, slots=True)
class KpiFilter:
    """Which escalations count: escalated in [start, end), at one severity, held by one team."""

    start: datetime | None = None
    end: datetime | None = None
    severity: str | None = None
    team: str | None = None


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

        Counts and sums, the closure loops' among them, are SQL aggregates over the
        escalations and the facts kept of each (store.facts); only each escalation's response
        times come back row by row, as plain numbers (their median and the business-hours
        clock need them).
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
            codes = {r.id: r.code for r in rows}
            tallies, lanes, loops = _tallies(conn, where, now, still_open, codes)
            measured = Measured(
                tallies, _responses(conn, where, codes), lanes, _closure(conn, where, now, loops)
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


def _count(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return func.count(case((condition, 1)))


def _total(value: Any) -> ColumnElement[float]:
    """A sum that is 0, not NULL, over no values (SQLite's ``total``, on every database)."""
    return func.coalesce(func.sum(value), 0.0)


def _tallies(
    conn: Connection,
    where: ColumnElement[bool],
    now: datetime,
    python_cadence: Mapping[tuple[str, str], tuple[int, int]],
    codes: Mapping[int, str],
) -> tuple[list[Tally], list[LaneTotal], Counter[str]]:
    """The counts per severity and team, the lanes' stays and the closed escalations' loops
    (how many closed with each loop as kept), summed by the database in one pass over the
    escalations and their kept facts (see the rules in domain.kpis).

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
    trailing = minutes_between_sql(last_mark, literal(now, core.UtcDateTime()), conn.dialect.name)
    measured_in_sql = and_(in_app, every.is_not(None), or_(resolved, wall_clock_open))
    kept_in_sql = and_(
        measured_in_sql,
        or_(
            and_(resolved, gap <= every),
            and_(wall_clock_open, gap <= every, trailing <= every),
        ),
    )
    # A closed escalation's loop as kept ("" without a checklist); None for the others.
    loop = case((ESC.status == Status.CLOSED.value, func.coalesce(FACT.checklist, "")))
    query = (
        select(
            ESC.severity_id,
            ESC.team_id,
            loop,
            func.count(),
            _count(in_app),
            _count(ESC.reopen_count > 0),
            _total(ESC.reassignment_count),
            _count(ESC.reassignment_count == 0),
            _count(
                and_(
                    ESC.handed_back_at.is_not(None),
                    or_(ESC.started_at.is_(None), ESC.started_at > ESC.handed_back_at),
                )
            ),
            # Kept for escalations raised in the app alone, so summed without a condition.
            _total(FACT.escalate_minutes),
            _count(measured_in_sql),
            _count(kept_in_sql),
            *(
                summed
                for column in LANE_COLUMNS
                for summed in (func.count(FACT[column]), _total(FACT[column]))
            ),
        )
        # The level's targets are read row by row; the team's name is looked up per group.
        .join(core.severity_levels, LEVEL.id == ESC.severity_id)
        .outerjoin(escalation_facts, FACT.escalation_id == ESC.id)
        .where(where)
        .group_by(ESC.severity_id, ESC.team_id, loop)
    )
    teams: dict[int | None, str] = dict(
        _plain_rows(conn, select(core.teams.c.id, core.teams.c.name))
    )
    sums: dict[tuple[str, str], list[float]] = {}
    loops: Counter[str] = Counter()
    for level_id, team_id, closed_loop, *counts in _plain_rows(conn, query):
        key = (codes[level_id], teams.get(team_id, UNASSIGNED))
        found = sums.setdefault(key, [0.0] * len(counts))
        for index, value in enumerate(counts):
            found[index] += value
        if closed_loop is not None:
            loops[closed_loop] += counts[0]
    tallies = []
    for (code, name), counts in sums.items():
        extra_measured, extra_kept = python_cadence.get((code, name), (0, 0))
        escalations, in_app_n, reopened, reassigned, first_time, without_work = map(int, counts[:6])
        tallies.append(
            Tally(
                code,
                name,
                escalations,
                in_app_n,
                reopened,
                reassigned,
                first_time,
                without_work,
                counts[6],
                int(counts[7]) + extra_measured,
                int(counts[8]) + extra_kept,
            )
        )
    lanes = [
        LaneTotal(
            lane,
            int(sum(counts[9 + 2 * n] for counts in sums.values())),
            sum(counts[10 + 2 * n] for counts in sums.values()),
        )
        for n, lane in enumerate(LANES)
    ]
    return tallies, lanes, loops


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
            epoch_minutes_sql(last_mark, conn.dialect.name),
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


def _responses(
    conn: Connection, where: ColumnElement[bool], codes: Mapping[int, str]
) -> list[ResponseRow]:
    """Each escalation's response: its level's code, its export's verdict, when escalated and
    answered (epoch minutes)."""
    dialect = conn.dialect.name
    # The level's id, not its code: no join for each of a hundred thousand rows.
    query = select(
        ESC.severity_id,
        ESC.made_sla,
        epoch_minutes_sql(ESC.escalated_at, dialect),
        epoch_minutes_sql(ESC.acknowledged_at, dialect),
    ).where(where)
    return [
        (codes[level_id], made_sla, escalated, acknowledged)
        for level_id, made_sla, escalated, acknowledged in _plain_rows(conn, query)
    ]


def _plain_rows(conn: Connection, query: Select[Any]) -> Sequence[Any]:
    """The rows of ``query`` as the driver hands them over: a hundred thousand Row objects
    cost more than the query. Only for columns that need no conversion (numbers, text; a
    boolean may come as 0 or 1)."""
    result = conn.execute(query)
    try:
        return result.cursor.fetchall()
    finally:
        result.close()


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


def _closure(
    conn: Connection, where: ColumnElement[bool], now: datetime, loops: Mapping[str, int]
) -> ClosureKpis:
    """Closed loops complete and item by item (from the loops kept, each with how many closed
    escalations it was theirs), overdue follow-ups, repeat incidents."""
    closed = complete = 0
    totals: Counter[str] = Counter()
    done: Counter[str] = Counter()
    first_position: dict[str, int] = {}
    for text, count in loops.items():
        items = read_checklist_state(text)
        closed += count
        complete += count if all(settled for _, _, settled in items) else 0
        for position, name, settled in items:
            totals[name] += count
            done[name] += count if settled else 0
            first_position[name] = min(position, first_position.get(name, position))
    order = sorted(totals, key=lambda name: (first_position[name], name))
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
    rates = item_rates(done, {name: totals[name] for name in order})
    closed_here = and_(where, ESC.status == Status.CLOSED.value)
    return ClosureKpis(closed, complete, rates, overdue, _repeats(conn, closed_here))


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
