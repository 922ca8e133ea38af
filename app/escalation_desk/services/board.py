"""The escalation board: rows for the lanes, status moves, reassignment, updates, pauses."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any, TypeAlias

from sqlalchemy import Select, select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session, aliased

from escalation_desk.domain.clock import STANDARD_WEEK, BusinessCalendar, DeadlineState
from escalation_desk.domain.closure import EntryState, Gate, blocking_missing
from escalation_desk.domain.deadlines import Deadline, Stages, Targets, deadlines
from escalation_desk.domain.lifecycle import EventKind, IllegalMoveError, Status, check_move
from escalation_desk.domain.watch import WatchInput, WatchItem, watch
from escalation_desk.services.editing import edit, find_named
from escalation_desk.services.mapping import calendar_from_row, targets_of
from escalation_desk.store import core
from escalation_desk.store import tables as t
from escalation_desk.store.db import Workspace

# A Core result row, read by column name.
PlainRow: TypeAlias = Any

ESC = core.escalations.c
LEVEL = core.severity_levels.c
UNASSIGNED = "Unassigned"


class LaneKind(StrEnum):
    """What the board's swimlanes group by."""

    TEAM = "team"
    ROLE = "role"
    PERSON = "person"


@dataclass(frozen=True, slots=True)
class BoardRow:
    """One escalation as the board and its filters need it, deadlines computed."""

    id: int
    ref: str
    title: str
    customer: str
    module: str
    issue_type: str
    severity_id: int
    severity: str
    severity_colour: str
    severity_rank: int
    status: Status
    team: str | None
    role: str | None
    owner: str | None
    liaison: str | None
    created_at: datetime
    escalated_at: datetime | None
    acknowledged_at: datetime | None
    resolved_at: datetime | None
    closed_at: datetime | None
    last_update_at: datetime | None
    reopen_count: int
    reassignment_count: int
    matrix_version: int | None
    paused_since: datetime | None
    stages: Stages
    deadlines: tuple[Deadline, ...] = field(default=())

    def lane(self, kind: LaneKind) -> str:
        """The swimlane this escalation sits in."""
        value = {LaneKind.TEAM: self.team, LaneKind.ROLE: self.role, LaneKind.PERSON: self.owner}
        return value[kind] or UNASSIGNED

    def next_deadline(self) -> Deadline | None:
        """The running deadline due soonest."""
        running = [d for d in self.deadlines if d.running]
        return min(running, key=lambda d: d.due) if running else None

    @property
    def breached(self) -> bool:
        """Whether a running deadline has passed."""
        return any(d.running and d.state is DeadlineState.BREACHED for d in self.deadlines)


@dataclass(frozen=True, slots=True)
class LevelClock:
    """What the clock of a level needs: its targets and its calendar."""

    targets: Targets
    calendar: BusinessCalendar


class BoardService:
    """Reads the board and applies the lead's moves, each move one transaction."""

    def __init__(self, workspace: Workspace) -> None:
        self._workspace = workspace

    # -- reading ---------------------------------------------------------------------------
    def rows(self, now: datetime, *, include_closed: bool = False) -> list[BoardRow]:
        """Every escalation on the board (open and resolved; closed ones when asked)."""
        with self._workspace.query() as conn:
            clocks = level_clocks(conn)
            query = _row_query()
            if not include_closed:
                query = query.where(ESC.status != Status.CLOSED.value)
            records = conn.execute(query).all()
            pauses = _pauses(conn, [r.id for r in records])
        return [_board_row(r, clocks[r.severity_id], pauses.get(r.id, ()), now) for r in records]

    def row(self, ref: str, now: datetime) -> BoardRow | None:
        """One escalation by its ticket ref."""
        with self._workspace.query() as conn:
            clocks = level_clocks(conn)
            record = conn.execute(_row_query().where(ESC.ref == ref)).first()
            if record is None:
                return None
            pauses = _pauses(conn, [record.id])
        return _board_row(record, clocks[record.severity_id], pauses.get(record.id, ()), now)

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
        with self._workspace.query() as conn:
            clocks = level_clocks(conn)
        inputs = []
        for row in open_rows(self.rows(now)):
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
                    clocks[row.severity_id].calendar,
                )
            )
        return watch(inputs, now)

    def calendar_of(self, row: BoardRow) -> BusinessCalendar:
        """The calendar the escalation's level runs on (for business-hours targets)."""
        with self._workspace.query() as conn:
            return level_clocks(conn)[row.severity_id].calendar

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
            event = check_move(current, target)
            if target is Status.CLOSED:
                _check_closable(esc)
            _stamp(esc, target, event, now)
            esc.status = target.value
            _log(s, esc, now, actor, event, f"{current.heading} -> {target.heading}")
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
def level_clocks(conn: Connection) -> dict[int, LevelClock]:
    """Targets and calendar of every level, by level id."""
    calendars = {row.id: calendar_from_row(row) for row in conn.execute(select(core.calendars))}
    default_name = conn.scalar(
        select(core.settings.c.value).where(core.settings.c.key == "default_calendar")
    )
    named = [c for c in calendars.values() if c.name == default_name]
    fallback = named[0] if named else next(iter(calendars.values()), STANDARD_WEEK)
    return {
        row.id: LevelClock(targets_of(row), calendars.get(row.calendar_id or -1, fallback))
        for row in conn.execute(select(core.severity_levels))
    }


def _row_query() -> Select[Any]:
    owner = aliased(core.people, name="owner")
    liaison = aliased(core.people, name="liaison")
    return (
        select(
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
            core.roles.c.name.label("role"),
            owner.c.name.label("owner"),
            liaison.c.name.label("liaison"),
            ESC.created_at,
            ESC.escalated_at,
            ESC.acknowledged_at,
            ESC.resolved_at,
            ESC.closed_at,
            ESC.last_update_at,
            ESC.handed_back_at,
            ESC.reopen_count,
            ESC.reassignment_count,
            core.matrix_versions.c.number.label("matrix_version"),
        )
        .join_from(core.escalations, core.severity_levels)
        .outerjoin(core.teams, core.teams.c.id == ESC.team_id)
        .outerjoin(core.roles, core.roles.c.id == ESC.role_id)
        .outerjoin(owner, owner.c.id == ESC.owner_id)
        .outerjoin(liaison, liaison.c.id == ESC.liaison_id)
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


def _board_row(
    rec: PlainRow,
    clock: LevelClock,
    paused: tuple[tuple[datetime, datetime | None], ...],
    now: datetime,
) -> BoardRow:
    status = Status(rec.status)
    stages = Stages(
        status,
        rec.escalated_at,
        rec.acknowledged_at,
        rec.resolved_at,
        rec.last_update_at,
        rec.handed_back_at,
        paused=paused,
    )
    found = deadlines(stages, clock.targets, now, calendar=clock.calendar)
    paused_since = next((start for start, end in paused if end is None), None)
    return BoardRow(
        id=rec.id,
        ref=rec.ref,
        title=rec.title,
        customer=rec.customer,
        module=rec.module,
        issue_type=rec.issue_type,
        severity_id=rec.severity_id,
        severity=rec.severity,
        severity_colour=rec.colour,
        severity_rank=rec.rank,
        status=status,
        team=rec.team,
        role=rec.role,
        owner=rec.owner,
        liaison=rec.liaison,
        created_at=rec.created_at,
        escalated_at=rec.escalated_at,
        acknowledged_at=rec.acknowledged_at,
        resolved_at=rec.resolved_at,
        closed_at=rec.closed_at,
        last_update_at=rec.last_update_at,
        reopen_count=rec.reopen_count,
        reassignment_count=rec.reassignment_count,
        matrix_version=rec.matrix_version,
        paused_since=paused_since,
        stages=stages,
        deadlines=tuple(found),
    )


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


def _check_closable(esc: t.Escalation) -> None:
    """Closing waits for the closure loop's blocking items."""
    entries = [
        EntryState(e.name, Gate(e.gate), done=e.done_at is not None, waived=bool(e.waived_reason))
        for e in esc.checklist
    ]
    missing = blocking_missing(entries)
    if missing:
        names = ", ".join(e.name for e in missing)
        raise IllegalMoveError(
            f"{esc.ref} cannot be closed yet: the closure loop still needs {names}."
        )


def open_rows(rows: Iterable[BoardRow]) -> list[BoardRow]:
    """The escalations still being worked on."""
    return [r for r in rows if r.status.is_open]
