"""Reading and editing the escalation matrix's severity levels."""

from __future__ import annotations

from dataclasses import dataclass, replace

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload, selectinload

from escalation_desk.domain.closure import default_checklist
from escalation_desk.domain.directory import Person, Role, Team
from escalation_desk.domain.durations import Duration
from escalation_desk.domain.matrix import EscalationStep as Step
from escalation_desk.domain.matrix import SeverityLevel, Trigger, TriggerKind, UpdatesBy
from escalation_desk.domain.routing import MatchOn, RoutingRule
from escalation_desk.domain.snapshot import MatrixSnapshot
from escalation_desk.services.editing import ChangedElsewhereError, edit, fetch_for_edit
from escalation_desk.services.mapping import targets_of
from escalation_desk.services.preferences import read_preferences
from escalation_desk.store import tables as t
from escalation_desk.store.db import Workspace


@dataclass(frozen=True, slots=True)
class LevelRecord:
    """A level as the editor holds it: its id and version travel with every edit."""

    id: int
    version: int
    level: SeverityLevel


def level_of(row: t.SeverityLevel) -> SeverityLevel:
    """A stored level as the domain value."""
    targets = targets_of(row)
    return SeverityLevel(
        code=row.code,
        name=row.name,
        rank=row.rank,
        colour=row.colour,
        target_response=targets.response,
        update_every=targets.update_every,
        target_resolution=targets.resolution,
        method=row.method,
        contacts=tuple(c.role.name for c in row.contacts),
        engineer_role=row.engineer_role.name if row.engineer_role else None,
        liaison_role=row.liaison_role.name if row.liaison_role else None,
        updates_by=UpdatesBy(row.updates_by),
        hand_back=row.hand_back,
        triggers=tuple(
            Trigger(
                TriggerKind(tr.kind),
                tr.text,
                Duration(tr.after_minutes, tr.business) if tr.after_minutes is not None else None,
                tr.customers_at_least,
                tr.system_wide,
            )
            for tr in row.triggers
        ),
        steps=tuple(
            Step(s.after_minutes, s.role.name if s.role else None, s.tier) for s in row.steps
        ),
    )


class MatrixService:
    """The matrix's levels, read and edited one user action (one transaction) at a time."""

    def __init__(self, workspace: Workspace) -> None:
        self._workspace = workspace

    # -- reading ---------------------------------------------------------------------------
    def levels(self) -> list[LevelRecord]:
        """Every level, most severe first."""
        with self._workspace.read() as s:
            return _level_records(s)

    def snapshot(self) -> MatrixSnapshot:
        """Levels, routing and directory as one value, for the linter, versions and JSON."""
        with self._workspace.read() as s:
            return read_snapshot(s)

    def editor_view(self) -> tuple[list[LevelRecord], MatrixSnapshot]:
        """The level records and the whole snapshot from one read, for the matrix editor."""
        with self._workspace.read() as s:
            records = _level_records(s)
            return records, read_snapshot(s, [r.level for r in records])

    def next_free_code(self) -> str:
        """A code for a new level: one past the highest "P<n>" in use."""
        codes = {record.level.code for record in self.levels()}
        number = len(codes) + 1
        while f"P{number}" in codes:
            number += 1
        return f"P{number}"

    # -- editing ---------------------------------------------------------------------------
    def rename_level(self, record: LevelRecord, name: str) -> LevelRecord:
        """Give a level a new name; refused when someone else changed the level meanwhile."""
        return self.update_level(record, replace(record.level, name=name))

    def update_level(self, record: LevelRecord, level: SeverityLevel) -> LevelRecord:
        """Write every field of ``level`` over the stored level ``record`` (rank excepted)."""
        _check_level(level)
        what = f"Severity level {record.level.code}"
        with edit(self._workspace, what) as s:
            row = fetch_for_edit(s, t.SeverityLevel, record.id, record.version, what)
            if level.code != row.code and s.scalar(
                select(t.SeverityLevel.id).where(t.SeverityLevel.code == level.code)
            ):
                raise ValueError(f"Another level already has the code {level.code}.")
            write_level(s, row, level)
            s.flush()
            return LevelRecord(row.id, row.version, level_of(row))

    def add_level(self, level: SeverityLevel, rank: int | None = None) -> LevelRecord:
        """Insert a level at ``rank`` (1 = most severe; default: last), shifting those below."""
        _check_level(level)
        with edit(self._workspace, f"Severity level {level.code}") as s:
            if s.scalar(select(t.SeverityLevel.id).where(t.SeverityLevel.code == level.code)):
                raise ValueError(f"A level with the code {level.code} already exists.")
            rows = list(s.scalars(select(t.SeverityLevel).order_by(t.SeverityLevel.rank)))
            position = len(rows) if rank is None else max(0, min(rank - 1, len(rows)))
            row = t.SeverityLevel(code=level.code, rank=position + 1)
            write_level(s, row, level)
            give_default_checklist(s, row, top_severity=position == 0)
            rows.insert(position, row)
            s.add(row)
            _renumber(rows)
            s.flush()
            return LevelRecord(row.id, row.version, level_of(row))

    def remove_level(self, record: LevelRecord) -> SeverityLevel:
        """Delete a level no escalation uses; returns it as it was, so that undo can restore it."""
        what = f"Severity level {record.level.code}"
        with edit(self._workspace, what) as s:
            row = fetch_for_edit(s, t.SeverityLevel, record.id, record.version, what)
            used = s.scalar(
                select(func.count())
                .select_from(t.Escalation)
                .where(t.Escalation.severity_id == row.id)
            )
            if used:
                raise ValueError(
                    f"{row.code} cannot be removed: {used} escalation"
                    f"{'s use' if used != 1 else ' uses'} it. Rename or reorder it instead."
                )
            removed = level_of(row)
            s.delete(row)
            s.flush()
            _renumber(list(s.scalars(select(t.SeverityLevel).order_by(t.SeverityLevel.rank))))
            return removed

    def move_level(self, code: str, rank: int) -> None:
        """Move the level ``code`` to ``rank`` (1 = most severe), shifting the others."""
        with edit(self._workspace, f"Severity level {code}") as s:
            rows = list(s.scalars(select(t.SeverityLevel).order_by(t.SeverityLevel.rank)))
            moving = next((r for r in rows if r.code == code), None)
            if moving is None:
                raise ChangedElsewhereError(f"Severity level {code} was deleted in another window.")
            rows.remove(moving)
            rows.insert(max(0, min(rank - 1, len(rows))), moving)
            _renumber(rows)


def give_default_checklist(s: Session, row: t.SeverityLevel, *, top_severity: bool) -> None:
    """A new level's closure checklist: the default items, gated as the workspace says."""
    gates = read_preferences(s.connection()).gates
    for position, item in enumerate(default_checklist(top_severity=top_severity, gates=gates)):
        row.checklist.append(
            t.ChecklistTemplateItem(
                position=position,
                name=item.name,
                evidence=",".join(item.evidence),
                gate=item.gate.value,
            )
        )


def _renumber(rows: list[t.SeverityLevel]) -> None:
    """Ranks 1..n in list order, touching only the rows whose rank changes."""
    for rank, row in enumerate(rows, start=1):
        if row.rank != rank:
            row.rank = rank


def _check_level(level: SeverityLevel) -> None:
    if not level.code.strip():
        raise ValueError("A severity level needs a code, such as P1.")
    if not level.name.strip():
        raise ValueError("A severity level needs a name.")


def _roles_by_name(s: Session, names: set[str]) -> dict[str, t.Role]:
    found = {r.name: r for r in s.scalars(select(t.Role).where(t.Role.name.in_(names)))}
    missing = sorted(names - set(found))
    if missing:
        raise ValueError(f"No role is called {', '.join(missing)}; add it to the directory first.")
    return found


def write_level(s: Session, row: t.SeverityLevel, level: SeverityLevel) -> None:
    """Copy a domain level onto its row: fields, contacts, triggers and steps (roles by name)."""
    names = {*level.contacts, *(st.role for st in level.steps if st.role)}
    names |= {n for n in (level.engineer_role, level.liaison_role) if n}
    roles = _roles_by_name(s, names)
    row.code = level.code.strip()
    row.name = level.name.strip()
    row.colour = level.colour
    _set_duration(row, "target_response", level.target_response)
    _set_duration(row, "update_every", level.update_every)
    _set_duration(row, "target_resolution", level.target_resolution)
    row.method = level.method
    row.engineer_role = roles[level.engineer_role] if level.engineer_role else None
    row.liaison_role = roles[level.liaison_role] if level.liaison_role else None
    row.updates_by = level.updates_by.value
    row.hand_back = level.hand_back
    # Old child rows go before new ones come in: a contact kept across the edit would
    # otherwise meet its own unique (level, role) constraint.
    row.contacts.clear()
    row.triggers.clear()
    row.steps.clear()
    s.flush()
    row.contacts = [
        t.LevelContact(position=i, role=roles[name]) for i, name in enumerate(level.contacts)
    ]
    row.triggers = [
        t.Trigger(
            position=i,
            kind=tr.kind.value,
            text=tr.text,
            after_minutes=tr.after.minutes if tr.after else None,
            business=bool(tr.after and tr.after.business),
            customers_at_least=tr.customers_at_least,
            system_wide=tr.system_wide,
        )
        for i, tr in enumerate(level.triggers)
    ]
    row.steps = [
        t.EscalationStep(
            after_minutes=st.after_minutes, tier=st.tier, role=roles[st.role] if st.role else None
        )
        for st in level.steps
    ]


def _set_duration(row: t.SeverityLevel, field: str, value: Duration | None) -> None:
    setattr(row, f"{field}_minutes", value.minutes if value is not None else None)
    setattr(row, f"{field}_business", bool(value and value.business))


# Everything a level's domain value needs, loaded with it: one query per relationship for all
# levels, instead of a handful of queries per level.
_LEVEL_LOADS = (
    selectinload(t.SeverityLevel.contacts).joinedload(t.LevelContact.role),
    selectinload(t.SeverityLevel.triggers),
    selectinload(t.SeverityLevel.steps).joinedload(t.EscalationStep.role),
    joinedload(t.SeverityLevel.engineer_role),
    joinedload(t.SeverityLevel.liaison_role),
)


def _level_records(s: Session) -> list[LevelRecord]:
    rows = s.scalars(
        select(t.SeverityLevel).options(*_LEVEL_LOADS).order_by(t.SeverityLevel.rank)
    ).all()
    return [LevelRecord(r.id, r.version, level_of(r)) for r in rows]


def read_snapshot(s: Session, levels: list[SeverityLevel] | None = None) -> MatrixSnapshot:
    """The whole matrix, routing and directory from an open session (levels when given)."""
    if levels is None:
        levels = [record.level for record in _level_records(s)]
    rules = s.scalars(
        select(t.RoutingRule)
        .options(joinedload(t.RoutingRule.team), joinedload(t.RoutingRule.role))
        .order_by(t.RoutingRule.position)
    ).all()
    teams = s.scalars(
        select(t.Team).options(joinedload(t.Team.calendar)).order_by(t.Team.tier, t.Team.name)
    ).all()
    roles = s.scalars(
        select(t.Role)
        .options(joinedload(t.Role.team), joinedload(t.Role.holder), joinedload(t.Role.backup))
        .order_by(t.Role.name)
    ).all()
    people = s.scalars(
        select(t.Person).options(joinedload(t.Person.team)).order_by(t.Person.name)
    ).all()
    modules = s.scalars(
        select(t.Escalation.module).where(t.Escalation.module != "").distinct()
    ).all()
    issue_types = s.scalars(
        select(t.Escalation.issue_type).where(t.Escalation.issue_type != "").distinct()
    ).all()
    return MatrixSnapshot(
        levels=tuple(levels),
        routing=tuple(
            RoutingRule(r.position, MatchOn(r.match_on), r.pattern, r.team.name, r.role.name)
            for r in rules
        ),
        roles=tuple(
            Role(
                r.name,
                r.team.name if r.team else None,
                r.holder.name if r.holder else None,
                r.backup.name if r.backup else None,
            )
            for r in roles
        ),
        teams=tuple(
            Team(tm.name, tm.tier, tm.calendar.name if tm.calendar else None) for tm in teams
        ),
        people=tuple(Person(p.name, p.email, p.team.name if p.team else None) for p in people),
        used_modules=tuple(sorted(modules)),
        used_issue_types=tuple(sorted(issue_types)),
    )
