"""KPIs of a workspace: its escalations read as plain numbers, then measured by domain.kpis."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import (
    ColumnElement,
    Connection,
    Float,
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
    Judged,
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
    from_epoch_minutes,
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
_T = TypeVar("_T")


class _HereAndNow(Executor):
    """An executor that runs what is submitted at once, on the caller's thread."""

    def submit(self, fn: Callable[..., _T], /, *args: Any, **kwargs: Any) -> Future[_T]:
        done: Future[_T] = Future()
        try:
            done.set_result(fn(*args, **kwargs))
        except Exception as exc:  # raised again by result(), as a thread's would be
            done.set_exception(exc)
        return done


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
        self,
        now: datetime,
        chosen: KpiFilter | None = None,
        *,
        tickets: int | None = None,
        beside: bool = True,
    ) -> KpiReport:
        """Every KPI of the escalations ``chosen`` picks, as of ``now``.

        Counts and sums, the closure loops' and the wall-clock responses' verdicts and medians
        among them, are SQL aggregates over the escalations and the facts kept of each
        (store.facts); only the responses at business-hours levels come back row by row, as
        plain numbers, to be judged on their calendars.

        With ``beside``, the facts are summed and the medians read on a second connection
        meanwhile: SQLite lets go of Python while it works, so the passes share the machine's
        cores. Each read sees the workspace as it was when it began; a change saved in between
        shows in one pass a moment before the other, as it would in the next report. A caller
        that keeps the cores busy itself (the export) asks for one thread.
        """
        chosen = chosen or KpiFilter()
        with (
            ThreadPoolExecutor(max_workers=1, thread_name_prefix="kpi-facts")
            if beside
            else _HereAndNow() as helper,
            self._workspace.query() as conn,
        ):
            levels, rows = _levels(conn)
            unknown = _unknown_choice(chosen, levels, conn)
            if unknown:
                raise ValueError(unknown)
            where = _where(chosen)
            codes = {r.id: r.code for r in rows}
            business = {r.id for r in rows if r.target_response_business}
            kept = helper.submit(self._kept_facts, where, codes, now)
            wall_clock = {r.code: r.id for r in rows if r.id not in business}
            medians = helper.submit(self._wall_clock_medians, where, wall_clock)
            tallies, judged = _tallies(conn, where, now, codes)
            responses = _responses(conn, and_(where, ESC.severity_id.in_(business)), codes)
            still_open = _open_business_rows(conn, where, rows)
            # The calendars are laid out over the days the moments judged on them span.
            first = _first_day([r[2] for r in responses] + [r[3] for r in still_open], now)
            clocks = Clocks(conn)
            response_clocks = _business_clocks(
                clocks, {codes[i]: i for i in business}, first, now.date()
            )
            update_clocks = _business_clocks(
                clocks, {r.code: r.id for r in rows if r.update_every_business}, first, now.date()
            )
            every = {lv.code: lv.update_every_minutes for lv in levels}
            cadence = _open_business_cadence(still_open, now, every, update_clocks)
            sums, closure = kept.result()
            for code, median in medians.result().items():
                judged[code] = judged[code]._replace(median_minutes=median)
            measured = Measured(
                _with_cadence(tallies, cadence),
                responses,
                sums.lanes,
                closure,
                judged,
                sums.escalate_minutes,
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

    def _kept_facts(
        self, where: ColumnElement[bool], codes: Mapping[int, str], now: datetime
    ) -> tuple[_FactSums, ClosureKpis]:
        """The facts' sums and the closure figures, read on a connection of their own."""
        with self._workspace.query() as conn:
            sums = _fact_sums(conn, where, codes)
            return sums, _closure(conn, where, now, sums.loops)

    def _wall_clock_medians(
        self, where: ColumnElement[bool], level_ids: Mapping[str, int]
    ) -> dict[str, float | None]:
        """The median time to acknowledge at each wall-clock level, by code, read on a
        connection of their own."""
        with self._workspace.query() as conn:
            return {
                code: _median_response(conn, where, level_id)
                for code, level_id in level_ids.items()
            }

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


def _first_day(moments: Sequence[float], now: datetime) -> date:
    """The day of the earliest of ``moments`` (epoch minutes), or ``now``'s without any."""
    return from_epoch_minutes(min(moments)).date() if moments else now.date()


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
    """Escalated in the period, at the severity, with the team."""
    clauses: list[ColumnElement[bool]] = [ESC.escalated_at.is_not(None)]
    if chosen.start is not None:
        clauses.append(ESC.escalated_at >= chosen.start)
    if chosen.end is not None:
        clauses.append(ESC.escalated_at < chosen.end)
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
    conn: Connection, where: ColumnElement[bool], now: datetime, codes: Mapping[int, str]
) -> tuple[list[Tally], dict[str, Judged]]:
    """The counts per severity and team, and the verdicts on responses at wall-clock levels
    per severity (their medians left to ``_median_response``), summed by the database in one
    pass over the escalations (see the rules in domain.kpis).

    The pass reads store.facts' KPI index alone, in severity and team order: nothing to sort,
    no row of the table to look up. The update cadence of escalations still open at
    business-hours levels is left out (see ``_open_business_cadence``).
    """
    dialect = conn.dialect.name
    in_app = ESC.source == ""
    every = LEVEL.update_every_minutes
    last_mark = func.coalesce(ESC.last_update_at, ESC.acknowledged_at, ESC.escalated_at)
    gap = func.coalesce(ESC.longest_update_gap_minutes, 0.0)
    resolved = ESC.resolved_at.is_not(None)
    wall_clock_open = and_(~resolved, LEVEL.update_every_business.is_(False))
    trailing = minutes_between_sql(last_mark, literal(now, core.UtcDateTime()), dialect)
    measured_in_sql = and_(in_app, every.is_not(None), or_(resolved, wall_clock_open))
    kept_in_sql = and_(
        measured_in_sql,
        or_(
            and_(resolved, gap <= every),
            and_(wall_clock_open, gap <= every, trailing <= every),
        ),
    )
    known, met = _wall_clock_verdicts(now, dialect)
    query = (
        select(
            ESC.severity_id,
            ESC.team_id,
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
            _count(measured_in_sql),
            _count(kept_in_sql),
            _count(known),
            _count(met),
        )
        .join(core.severity_levels, LEVEL.id == ESC.severity_id)
        .where(where)
        .group_by(ESC.severity_id, ESC.team_id)
    )
    teams: dict[int | None, str] = dict(
        _plain_rows(conn, select(core.teams.c.id, core.teams.c.name))
    )
    tallies = []
    verdicts: Counter[tuple[str, str]] = Counter()
    for level_id, team_id, *counts, judged, judged_met in _plain_rows(conn, query):
        code = codes[level_id]
        escalations, in_app_n, reopened, reassigned, first_time, without_work = counts[:6]
        tallies.append(
            Tally(
                code,
                teams.get(team_id, UNASSIGNED),
                escalations,
                in_app_n,
                reopened,
                int(reassigned),
                first_time,
                without_work,
                0.0,  # summed per severity with the other facts (see _fact_sums)
                counts[6],
                counts[7],
            )
        )
        verdicts[code, "known"] += judged
        verdicts[code, "met"] += judged_met
    return tallies, {
        code: Judged(verdicts[code, "known"], verdicts[code, "met"], None)
        for code in codes.values()
    }


def _wall_clock_verdicts(
    now: datetime, dialect: str
) -> tuple[ColumnElement[bool], ColumnElement[bool]]:
    """Whether a response at a wall-clock level is judged by ``sla_verdict``'s rule, and
    whether it met its target by that rule: by its export's verdict, else answered within the
    target (on the numbers the domain would get: epoch minutes, ``now``'s as a parameter)."""
    target = LEVEL.target_response_minutes
    answered = ESC.acknowledged_at.is_not(None)
    wall_clock = LEVEL.target_response_business.is_(False)
    waited = literal(epoch_minutes(now), Float()) - epoch_minutes_sql(ESC.escalated_at, dialect)
    known = and_(
        wall_clock,
        or_(ESC.made_sla.is_not(None), and_(target.is_not(None), or_(answered, waited > target))),
    )
    in_time = and_(ESC.made_sla.is_(None), answered, _response_minutes(dialect) <= target)
    return known, and_(wall_clock, or_(ESC.made_sla.is_(True), in_time))


def _response_minutes(dialect: str) -> ColumnElement[float]:
    """Minutes from escalating to acknowledging, subtracted as the domain would subtract the
    same epoch minutes: the generated column ``response_minutes``, written out, because the
    tallies' pass reads the KPI index alone and SQLite reads a generated column from the
    table."""
    return epoch_minutes_sql(ESC.acknowledged_at, dialect) - epoch_minutes_sql(
        ESC.escalated_at, dialect
    )


def _median_response(conn: Connection, where: ColumnElement[bool], level_id: int) -> float | None:
    """The median time to acknowledge of a wall-clock level's answered escalations: the
    middle one or two, read through store.facts' response index in their order."""
    # Said as the response index's condition, so that the index serves.
    answered = and_(where, ESC.severity_id == level_id, ESC.acknowledged_at.is_not(None))
    count = conn.scalar(select(func.count()).select_from(core.escalations).where(answered))
    if not count:
        return None
    query = (
        select(ESC.response_minutes)
        .where(answered)
        .order_by(ESC.response_minutes)
        .limit(2 - count % 2)
        .offset((count - 1) // 2)
    )
    middle = [float(m) for (m,) in _plain_rows(conn, query)]
    return sum(middle) / len(middle)


@dataclass(frozen=True, slots=True)
class _FactSums:
    """What the kept facts sum to: the lanes' stays, the closed escalations' loops (how many
    closed with each as kept) and the minutes to escalate per severity code."""

    lanes: list[LaneTotal]
    loops: Counter[str]
    escalate_minutes: dict[str, float]


# Loops counted in the facts' pass one column each up to this many different ones (most
# escalations share a few); beyond it, grouped apart.
_LOOP_COLUMNS = 16


def _fact_sums(conn: Connection, where: ColumnElement[bool], codes: Mapping[int, str]) -> _FactSums:
    """The facts summed in one pass, no grouping to sort: the loops counted one column each.

    The pass goes in the table's order, the facts looked up by escalation one after the other
    (the loops read the status, which the KPI index leaves out so as not to be chosen here:
    in its order the facts would be scattered).
    """
    closed = ESC.status == Status.CLOSED.value
    # A closed escalation's loop as kept ("" without a checklist or facts); None for others.
    loop = case((closed, func.coalesce(FACT.checklist, "")))
    joined = core.escalations.outerjoin(escalation_facts, FACT.escalation_id == ESC.id)
    # Every loop kept, whoever's (the facts alone are read faster than joined and filtered),
    # and "" for escalations without facts.
    texts = sorted({"", *conn.scalars(select(FACT.checklist).distinct())})
    counted = texts if len(texts) <= _LOOP_COLUMNS else []
    sums: list[ColumnElement[Any]] = [
        *(_total(case((ESC.severity_id == level_id, FACT.escalate_minutes))) for level_id in codes),
        *(
            summed
            for column in LANE_COLUMNS
            for summed in (func.count(FACT[column]), _total(FACT[column]))
        ),
        *(_count(loop == text) for text in counted),
    ]
    query = select(*sums).select_from(joined).where(where)
    values = list(_plain_rows(conn, query)[0])
    escalate = dict(zip(codes.values(), values[: len(codes)], strict=True))
    lanes = values[len(codes) : len(codes) + 2 * len(LANES)]
    counts = values[len(codes) + 2 * len(LANES) :]
    loops = Counter({text: n for text, n in zip(counted, counts, strict=True) if n})
    if not counted:
        grouped = select(loop, func.count()).select_from(joined).where(where, closed).group_by(loop)
        loops = Counter(dict(_plain_rows(conn, grouped)))
    return _FactSums(
        [LaneTotal(lane, int(lanes[2 * n]), lanes[2 * n + 1]) for n, lane in enumerate(LANES)],
        loops,
        escalate,
    )


def _open_business_rows(
    conn: Connection, where: ColumnElement[bool], levels: Sequence[Row[Any]]
) -> Sequence[Any]:
    """The open escalations raised in the app at business-hours update levels: level code,
    team name, longest gap and last mark (epoch minutes). Few: only the open ones."""
    # By the levels' ids: the KPI index then holds the level's escalations together.
    ids = [r.id for r in levels if r.update_every_business and r.update_every_minutes is not None]
    last_mark = func.coalesce(ESC.last_update_at, ESC.acknowledged_at, ESC.escalated_at)
    return _plain_rows(
        conn,
        select(
            LEVEL.code,
            func.coalesce(core.teams.c.name, UNASSIGNED),
            ESC.longest_update_gap_minutes,
            epoch_minutes_sql(last_mark, conn.dialect.name),
        )
        .join(core.severity_levels, LEVEL.id == ESC.severity_id)
        .outerjoin(core.teams, core.teams.c.id == ESC.team_id)
        .where(where, ESC.severity_id.in_(ids), ESC.source == "", ESC.resolved_at.is_(None)),
    )


def _open_business_cadence(
    rows: Sequence[Any],
    now: datetime,
    every: Mapping[str, int | None],
    update_clocks: Mapping[str, BusinessClock],
) -> dict[tuple[str, str], tuple[int, int]]:
    """Measured and kept, per severity and team, of ``_open_business_rows``: each judged on
    its level's calendar, which SQL does not know."""
    found: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    now_minutes = epoch_minutes(now)
    for code, team, gap, mark in rows:
        limit = every[code]
        assert limit is not None
        counts = found[code, team]
        counts[0] += 1
        counts[1] += cadence_kept(gap, update_clocks[code](mark, now_minutes), limit)
    return {key: (measured, kept) for key, (measured, kept) in found.items()}


def _with_cadence(
    tallies: Sequence[Tally], cadence: Mapping[tuple[str, str], tuple[int, int]]
) -> list[Tally]:
    """``tallies`` with the cadence judged in Python added to their severity's and team's."""
    return [
        t._replace(
            cadence_measured=t.cadence_measured + cadence.get((t.severity, t.team), (0, 0))[0],
            cadence_kept=t.cadence_kept + cadence.get((t.severity, t.team), (0, 0))[1],
        )
        for t in tallies
    ]


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
    return ClosureKpis(closed, complete, rates, overdue, _repeats(conn, where))


def _repeats(conn: Connection, where: ColumnElement[bool]) -> int:
    """Groups of closed escalations with one root cause in one module (see domain.closure)."""
    entry = core.checklist_entries.c
    latest: dict[str, ClosedLoop] = {}  # an escalation's root cause is its last category
    # Closed ones picked here, not in SQL: asked for them, SQLite would go through every
    # closed escalation rather than the few entries with evidence (store.facts' index).
    for row in conn.execute(
        select(ESC.status, ESC.ref, ESC.module, ESC.issue_type, ESC.closed_at, entry.evidence)
        .join(core.escalations, ESC.id == entry.escalation_id)
        .where(
            where,
            entry.done_at.is_not(None),
            entry.evidence_kinds.contains(Evidence.CATEGORY.value),
            entry.evidence != literal("{}"),
        )
        .order_by(ESC.closed_at, entry.position)
    ):
        cause = json.loads(row.evidence or "{}").get("category")
        if cause and row.status == Status.CLOSED.value:
            latest[row.ref] = ClosedLoop(
                row.ref, row.module or row.issue_type, cause, row.closed_at, True
            )
    loops = list(latest.values())
    return len(repeat_groups(loops))
