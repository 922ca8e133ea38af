"""The escalation board: rows for the lanes, status moves, reassignment, updates, pauses."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from operator import itemgetter
from typing import Any, TypeAlias

from sqlalchemy import Select, String, select, type_coerce
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session, aliased

from escalation_desk.domain.clock import STANDARD_WEEK, BusinessCalendar, Thresholds
from escalation_desk.domain.deadlines import (
    Deadline,
    RunningClock,
    Stages,
    Targets,
    deadlines,
    next_deadline,
    past_due,
    running_clocks,
)
from escalation_desk.domain.lifecycle import EventKind, Status, check_move
from escalation_desk.domain.watch import WatchInput, WatchItem, watch
from escalation_desk.services.closure import close_in_session
from escalation_desk.services.editing import edit, find_named
from escalation_desk.services.mapping import calendar_from_row, targets_of
from escalation_desk.services.preferences import read_preferences
from escalation_desk.store import core
from escalation_desk.store import tables as t
from escalation_desk.store.db import Workspace
from escalation_desk.store.facts import keep_facts_of

# A Core result row, read by column name.
PlainRow: TypeAlias = Any

ESC = core.escalations.c
LEVEL = core.severity_levels.c
UNASSIGNED = "Unassigned"
# Status(value) goes through the enum machinery: a plain lookup is several times faster over
# a board of a hundred thousand rows.
_STATUS_OF_VALUE = {status.value: status for status in Status}


class LaneKind(StrEnum):
    """What the board's swimlanes group by."""

    TEAM = "team"
    ROLE = "role"
    PERSON = "person"


def _stored_text(column: Any) -> Any:
    """A time column as the text SQLite keeps: see _time_column."""
    return type_coerce(column, String).label(column.key)


# The times a row holds, kept as text until asked for (see _time_column).
_TIME_COLUMNS = (
    ESC.created_at,
    ESC.escalated_at,
    ESC.acknowledged_at,
    ESC.resolved_at,
    ESC.closed_at,
    ESC.last_update_at,
    ESC.handed_back_at,
)
_TIMES = frozenset(column.key for column in _TIME_COLUMNS)
_OWNER = aliased(core.people, name="owner")
_LIAISON = aliased(core.people, name="liaison")
# What a board row holds, in the order a row's values come.
_ROW_COLUMNS: tuple[Any, ...] = (
    ESC.id,
    ESC.ref,
    ESC.title,
    ESC.customer,
    ESC.module,
    ESC.issue_type,
    ESC.severity_id,
    LEVEL.code.label("severity"),
    LEVEL.colour,
    LEVEL.rank,
    ESC.status,
    core.teams.c.name.label("team"),
    core.teams.c.calendar_id.label("team_calendar_id"),
    core.roles.c.name.label("role"),
    _OWNER.c.name.label("owner"),
    _LIAISON.c.name.label("liaison"),
    *map(_stored_text, _TIME_COLUMNS),
    ESC.reopen_count,
    ESC.reassignment_count,
    core.matrix_versions.c.number.label("matrix_version"),
)
# Values are read by position: reading a Core row by name costs ten times as much, and a
# board or an export reads hundreds of thousands of them.
_POSITION = {column.key: position for position, column in enumerate(_ROW_COLUMNS)}
_ID, _LEVEL_ID, _STATUS, _TEAM_CALENDAR_ID = (
    _POSITION[name] for name in ("id", "severity_id", "status", "team_calendar_id")
)


def _column(name: str) -> Any:
    """A read-only attribute passed through from the Core row underneath."""
    position = _POSITION[name]
    return property(lambda self: self._row[position], doc=f"The escalation's {name}.")


def _time_column(name: str) -> Any:
    """A stored time, parsed from its text when asked for.

    Most of a row's seven times are never asked for (an export reads one or two of each row),
    and parsing all of them as rows are read took a third of reading a hundred thousand.
    """
    position = _POSITION[name]
    return property(
        lambda self: core.utc_from_stored(self._row[position]), doc=f"The escalation's {name}."
    )


class BoardRow:
    """One escalation as the board and its filters need it, over its Core row.

    A thin wrapper, and its deadlines are worked out when first asked for: a board of ten
    thousand escalations paints a screenful of cards, and building full objects or doing
    business-hours arithmetic for every row would hold the window up.
    """

    __slots__ = ("_deadlines", "_paused", "_row", "_running", "clock", "now", "status")

    def __init__(
        self,
        row: PlainRow,
        clock: LevelClock,
        paused: tuple[tuple[datetime, datetime | None], ...],
        now: datetime,
    ) -> None:
        self._row = row
        self.clock = clock
        self._paused = paused
        self.now = now
        self.status = _STATUS_OF_VALUE[row[_STATUS]]
        self._deadlines: tuple[Deadline, ...] | None = None
        self._running: list[RunningClock] | None = None

    id = _column("id")
    ref = _column("ref")
    title = _column("title")
    customer = _column("customer")
    module = _column("module")
    issue_type = _column("issue_type")
    severity_id = _column("severity_id")
    severity = _column("severity")
    severity_colour = _column("colour")
    severity_rank = _column("rank")
    team = _column("team")
    role = _column("role")
    owner = _column("owner")
    liaison = _column("liaison")
    created_at = _time_column("created_at")
    escalated_at = _time_column("escalated_at")
    acknowledged_at = _time_column("acknowledged_at")
    resolved_at = _time_column("resolved_at")
    closed_at = _time_column("closed_at")
    last_update_at = _time_column("last_update_at")
    handed_back_at = _time_column("handed_back_at")
    reopen_count = _column("reopen_count")
    reassignment_count = _column("reassignment_count")
    matrix_version = _column("matrix_version")

    @property
    def paused(self) -> tuple[tuple[datetime, datetime | None], ...]:
        """Every wait on the customer, oldest first; an end of None: still waiting."""
        return self._paused

    @property
    def paused_since(self) -> datetime | None:
        """When the current wait on the customer began, if the clocks stand still."""
        return next((start for start, end in self._paused if end is None), None)

    @property
    def stages(self) -> Stages:
        """The moments that start and stop the clocks."""
        return Stages(
            self.status,
            self.escalated_at,
            self.acknowledged_at,
            self.resolved_at,
            self.last_update_at,
            self.handed_back_at,
            paused=self._paused,
        )

    @property
    def deadlines(self) -> tuple[Deadline, ...]:
        """Response, update and resolution deadlines as of ``now`` (computed once)."""
        if self._deadlines is None:
            self._deadlines = tuple(
                deadlines(
                    self.stages,
                    self.clock.targets,
                    self.now,
                    calendar=self.clock.calendar,
                    thresholds=self.clock.thresholds,
                )
            )
        return self._deadlines

    def lane(self, kind: LaneKind) -> str:
        """The swimlane this escalation sits in."""
        value = {LaneKind.TEAM: self.team, LaneKind.ROLE: self.role, LaneKind.PERSON: self.owner}
        return str(value[kind] or UNASSIGNED)

    def _running_clocks(self) -> list[RunningClock]:
        # Due times only: the next deadline and whether any is past need no other state.
        if self._running is None:
            # The row is read as its stages are: one Stages per row would cost as much again.
            self._running = running_clocks(
                self, self.clock.targets, self.now, calendar=self.clock.calendar
            )
        return self._running

    def next_deadline(self) -> Deadline | None:
        """The running deadline due soonest."""
        clock = self.clock
        return next_deadline(
            self, clock.targets, self.now, calendar=clock.calendar, thresholds=clock.thresholds
        )

    @property
    def breached(self) -> bool:
        """Whether a running deadline has passed."""
        return any(past_due(running, self.now) for running in self._running_clocks())

    @staticmethod
    def reader(*names: str) -> Callable[[BoardRow], tuple[Any, ...]]:
        """A function reading these columns of a row in one call, for an export that reads
        several of each of a hundred thousand rows (one call each is most of the cost).

        Plain columns only: times are parsed when read, one by one.
        """
        if len(names) < 2 or _TIMES.intersection(names):
            raise ValueError("Read two or more plain columns at once, times one by one.")
        pick = itemgetter(*(_POSITION[name] for name in names))
        return lambda row: pick(row._row)


@dataclass(frozen=True, slots=True)
class LevelClock:
    """What the clock of a level needs: its targets, its calendar, and the workspace's
    shares of time at which a deadline turns at risk and critical."""

    targets: Targets
    calendar: BusinessCalendar
    thresholds: Thresholds = Thresholds()  # noqa: RUF009 - frozen, so sharing it is safe


class BoardService:
    """Reads the board and applies the lead's moves, each move one transaction."""

    def __init__(self, workspace: Workspace) -> None:
        self._workspace = workspace

    # -- reading ---------------------------------------------------------------------------
    def rows(self, now: datetime, *, include_closed: bool = False) -> list[BoardRow]:
        """Every escalation on the board (open and resolved; closed ones when asked)."""
        with self._workspace.query() as conn:
            clocks = Clocks(conn)
            query = _row_query()
            if not include_closed:
                query = query.where(ESC.status != Status.CLOSED.value)
            records = conn.execute(query).all()
            pauses = _pauses(conn, [r[_ID] for r in records])
        return [
            BoardRow(
                r, clocks.clock(r[_LEVEL_ID], r[_TEAM_CALENDAR_ID]), pauses.get(r[_ID], ()), now
            )
            for r in records
        ]

    def row(self, ref: str, now: datetime) -> BoardRow | None:
        """One escalation by its ticket ref."""
        with self._workspace.query() as conn:
            clocks = Clocks(conn)
            record = conn.execute(_row_query().where(ESC.ref == ref)).first()
            if record is None:
                return None
            pauses = _pauses(conn, [record.id])
        clock = clocks.clock(record.severity_id, record.team_calendar_id)
        return BoardRow(record, clock, pauses.get(record.id, ()), now)

    def timeline(self, ref: str) -> list[tuple[datetime, str, str, str]]:
        """The escalation's timeline, oldest first: (when, kind, who, detail)."""
        events = core.escalation_events.c
        with self._workspace.query() as conn:
            rows = conn.execute(
                select(events.at, events.kind, events.actor, events.detail)
                .join_from(core.escalation_events, core.escalations)
                .where(ESC.ref == ref)
                .order_by(events.at, events.id)
            ).all()
        return [(r.at, r.kind, r.actor, r.detail) for r in rows]

    def watch(self, now: datetime) -> list[WatchItem]:
        """What needs the lead now: fired triggers, deadlines at risk or past, bouncing."""
        from escalation_desk.services.matrix import MatrixService  # noqa: PLC0415 - ORM on demand

        levels = {r.level.code: r.level for r in MatrixService(self._workspace).levels()}
        inputs = []
        rows = open_rows(self.rows(now))
        for row in rows:
            level = levels.get(row.severity)
            if level is None:
                continue
            progress = (
                row.last_update_at or row.acknowledged_at or row.escalated_at or row.created_at
            )
            inputs.append(
                WatchInput(
                    row.ref,
                    row.title,
                    level,
                    row.stages,
                    progress,
                    row.reassignment_count,
                    row.clock.calendar,
                )
            )
        # Every row's clock carries the workspace's thresholds; with no row nothing is at risk.
        thresholds = rows[0].clock.thresholds if rows else Thresholds()
        return watch(inputs, now, thresholds=thresholds)

    @staticmethod
    def calendar_of(row: BoardRow) -> BusinessCalendar:
        """The calendar the escalation's clocks follow (for business-hours targets)."""
        return row.clock.calendar

    def people_of_team(self, team: str) -> list[str]:
        """People in ``team``, the ones holding a role first."""
        people = core.people.c
        with self._workspace.query() as conn:
            return list(
                conn.scalars(
                    select(people.name)
                    .join_from(core.people, core.teams, core.teams.c.id == people.team_id)
                    .where(core.teams.c.name == team)
                    .order_by(people.name)
                )
            )

    # -- moves -------------------------------------------------------------------------------
    def move(self, ref: str, target: Status, actor: str, now: datetime) -> EventKind:
        """Change the status; an illegal move or a closure the checklist blocks is refused."""
        with edit(self._workspace, f"Escalation {ref}") as s:
            esc = _escalation(s, ref)
            current = Status(esc.status)
            if target is Status.CLOSED:
                # Closing is the closure loop's decision: blocking items refuse it, skipped
                # warning items are written in the timeline.
                close_in_session(s, esc, actor, now)
                return EventKind.CLOSED
            event = check_move(current, target)
            if target is Status.RESOLVED:
                _note_update_gap(s, esc, now)  # the wait for an update ends with the work
            _stamp(esc, target, event, now)
            if target in (Status.RESOLVED, Status.HANDED_BACK):
                # The wait on the customer ends with the work: a reopened escalation must not
                # come back with its clocks still frozen.
                for pause in s.scalars(
                    select(t.EscalationPause).where(
                        t.EscalationPause.escalation_id == esc.id,
                        t.EscalationPause.ended_at.is_(None),
                    )
                ):
                    pause.ended_at = now
            esc.status = target.value
            _log(s, esc, now, actor, event, f"{current.heading} -> {target.heading}")
            keep_facts_of(s, esc.id)  # its lanes' stays end and begin with the move
            return event

    def reassign(
        self,
        ref: str,
        actor: str,
        now: datetime,
        *,
        team: str | None = None,
        role: str | None = None,
        owner: str | None = None,
    ) -> None:
        """Hand the engineering side to another team, role or person, and record it."""
        with edit(self._workspace, f"Escalation {ref}") as s:
            esc = _escalation(s, ref)
            before = _owners_text(esc)
            if role is not None:
                found = find_named(s, t.Role, role, "role")
                esc.role = found
                if found.team is not None and team is None:
                    team = found.team.name
                if owner is None and found.holder is not None:
                    owner = found.holder.name
            if team is not None:
                new_team = find_named(s, t.Team, team, "team")
                if esc.team_id != new_team.id:
                    esc.reassignment_count += 1  # team changes are what "bouncing" counts
                esc.team = new_team
                if esc.role is not None and esc.role.team_id != new_team.id:
                    # The role follows the team: the new owner's role there, else its first.
                    roles = list(s.scalars(select(t.Role).where(t.Role.team_id == new_team.id)))
                    held = [r for r in roles if r.holder is not None and r.holder.name == owner]
                    choices = held or roles
                    esc.role = choices[0] if choices else None
            if owner is not None:
                esc.owner = find_named(s, t.Person, owner, "person")
            after = _owners_text(esc)
            if after == before:
                raise ValueError(f"{ref} already sits with {after}.")
            _log(s, esc, now, actor, EventKind.REASSIGNED, f"{before} -> {after}")

    def log_update(self, ref: str, text: str, actor: str, now: datetime) -> None:
        """Add a progress note; it restarts the update cadence."""
        if not text.strip():
            raise ValueError("Write what happened; an empty update tells the customer nothing.")
        with edit(self._workspace, f"Escalation {ref}") as s:
            esc = _escalation(s, ref)
            _note_update_gap(s, esc, now)
            esc.last_update_at = now
            _log(s, esc, now, actor, EventKind.UPDATE_LOGGED, text.strip())

    def set_waiting(self, ref: str, waiting: bool, actor: str, now: datetime) -> None:
        """Stop the clocks while waiting on the customer, or start them again."""
        with edit(self._workspace, f"Escalation {ref}") as s:
            esc = _escalation(s, ref)
            open_pause = s.scalar(
                select(t.EscalationPause).where(
                    t.EscalationPause.escalation_id == esc.id, t.EscalationPause.ended_at.is_(None)
                )
            )
            if waiting == (open_pause is not None):
                state = "already waiting on the customer" if waiting else "not waiting"
                raise ValueError(f"{ref} is {state}.")
            if waiting:
                s.add(t.EscalationPause(escalation_id=esc.id, started_at=now, reason="customer"))
                _log(
                    s,
                    esc,
                    now,
                    actor,
                    EventKind.UPDATE_LOGGED,
                    "Waiting on the customer: clocks paused",
                )
            else:
                assert open_pause is not None
                open_pause.ended_at = now
                _log(
                    s, esc, now, actor, EventKind.UPDATE_LOGGED, "Customer answered: clocks running"
                )


# -- queries --------------------------------------------------------------------------------
class Clocks:
    """Which targets and calendar an escalation's clocks follow.

    The level's own calendar when it names one; else the calendar of the team that holds
    the escalation; else the workspace's default (a standard week when there is none).
    """

    def __init__(self, conn: Connection) -> None:
        self._calendars = {
            row.id: calendar_from_row(row) for row in conn.execute(select(core.calendars))
        }
        preferences = read_preferences(conn)
        self.thresholds = preferences.thresholds
        default_name = preferences.default_calendar
        named = [c for c in self._calendars.values() if c.name == default_name]
        self._fallback = named[0] if named else next(iter(self._calendars.values()), STANDARD_WEEK)
        self._levels = {
            row.id: (targets_of(row), row.calendar_id)
            for row in conn.execute(select(core.severity_levels))
        }
        self._made: dict[tuple[int, int | None], LevelClock] = {}

    def clock(self, level_id: int, team_calendar_id: int | None = None) -> LevelClock:
        """The clock of an escalation at this level, held by a team with this calendar."""
        key = (level_id, team_calendar_id)
        made = self._made.get(key)
        if made is None:
            targets, level_calendar = self._levels[level_id]
            calendar = self._calendars.get(level_calendar or team_calendar_id or -1, self._fallback)
            made = self._made[key] = LevelClock(targets, calendar, self.thresholds)
        return made


def _row_query() -> Select[Any]:
    return (
        select(*_ROW_COLUMNS)
        .join_from(core.escalations, core.severity_levels)
        .outerjoin(core.teams, core.teams.c.id == ESC.team_id)
        .outerjoin(core.roles, core.roles.c.id == ESC.role_id)
        .outerjoin(_OWNER, _OWNER.c.id == ESC.owner_id)
        .outerjoin(_LIAISON, _LIAISON.c.id == ESC.liaison_id)
        .outerjoin(core.matrix_versions, core.matrix_versions.c.id == ESC.matrix_version_id)
        .order_by(LEVEL.rank, ESC.escalated_at, ESC.id)
    )


def _pauses(
    conn: Connection, ids: list[int]
) -> dict[int, tuple[tuple[datetime, datetime | None], ...]]:
    pause = core.escalation_pauses.c
    found: dict[int, list[tuple[datetime, datetime | None]]] = defaultdict(list)
    if not ids:
        return {}
    for row in conn.execute(
        select(pause.escalation_id, pause.started_at, pause.ended_at).order_by(pause.started_at)
    ):
        found[row.escalation_id].append((row.started_at, row.ended_at))
    return {key: tuple(value) for key, value in found.items()}


# -- editing helpers ---------------------------------------------------------------------------
def _escalation(s: Session, ref: str) -> t.Escalation:
    esc = s.scalar(select(t.Escalation).where(t.Escalation.ref == ref))
    if esc is None:
        raise ValueError(f"There is no escalation {ref}.")
    return esc


def _log(
    s: Session, esc: t.Escalation, now: datetime, actor: str, kind: EventKind, detail: str
) -> None:
    s.add(
        t.EscalationEvent(escalation_id=esc.id, at=now, actor=actor, kind=kind.value, detail=detail)
    )


def _owners_text(esc: t.Escalation) -> str:
    parts = [p.name for p in (esc.team, esc.role, esc.owner) if p is not None]
    return " / ".join(parts) or UNASSIGNED


def _note_update_gap(s: Session, esc: t.Escalation, now: datetime) -> None:
    """Keep the longest stretch without an update since acknowledgement, on the level's
    update clock: the KPIs judge the update cadence from it instead of every timeline."""
    since = esc.last_update_at or esc.acknowledged_at or esc.escalated_at
    if since is None or now <= since:
        return
    team_calendar = esc.team.calendar_id if esc.team is not None else None
    clock = Clocks(s.connection()).clock(esc.severity_id, team_calendar)
    every = clock.targets.update_every
    if every is not None and every.business:
        gap = float(clock.calendar.business_minutes_between(since, now))
    else:
        gap = (now - since) / timedelta(minutes=1)
    esc.longest_update_gap_minutes = max(esc.longest_update_gap_minutes or 0.0, gap)


def recount_update_gap(s: Session, esc: t.Escalation, updates: Iterable[datetime]) -> None:
    """Work out the longest wait for an update from a timeline the board did not see grow
    (the example's): as if each update, then the resolution, had been logged in turn."""
    kept_last_update = esc.last_update_at
    start = esc.acknowledged_at or esc.escalated_at
    esc.last_update_at = None
    esc.longest_update_gap_minutes = None
    for moment in sorted(updates):
        if (
            start is not None
            and moment >= start
            and (esc.resolved_at is None or moment <= esc.resolved_at)
        ):
            _note_update_gap(s, esc, moment)
            esc.last_update_at = moment
    if esc.resolved_at is not None:
        _note_update_gap(s, esc, esc.resolved_at)
    esc.last_update_at = kept_last_update


def _stamp(esc: t.Escalation, target: Status, event: EventKind, now: datetime) -> None:
    """Record when the escalation reached ``target``; a reopening clears the later stages."""
    if event is EventKind.REOPENED:
        esc.reopen_count += 1
        esc.resolved_at = None
        esc.closed_at = None
        esc.started_at = now
        return
    if target is Status.ESCALATED:
        # Escalating again after a hand-back restarts the response clock.
        esc.escalated_at = now
        esc.acknowledged_at = None
        esc.handed_back_at = None
    elif target is Status.ACKNOWLEDGED:
        esc.acknowledged_at = now
    elif target is Status.IN_PROGRESS:
        esc.started_at = now
    elif target is Status.HANDED_BACK:
        esc.handed_back_at = now
    elif target is Status.RESOLVED:
        esc.resolved_at = now
    elif target is Status.CLOSED:
        esc.closed_at = now


def open_rows(rows: Iterable[BoardRow]) -> list[BoardRow]:
    """The escalations still being worked on."""
    return [r for r in rows if r.status.is_open]
