"""Reading and editing the escalation matrix's severity levels."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from escalation_desk.domain.durations import Duration
from escalation_desk.domain.matrix import EscalationStep as Step
from escalation_desk.domain.matrix import SeverityLevel, Trigger, TriggerKind, UpdatesBy
from escalation_desk.services.editing import edit, fetch_for_edit
from escalation_desk.services.mapping import targets_of
from escalation_desk.store import tables as t
from escalation_desk.store.db import Workspace


@dataclass(frozen=True, slots=True)
class LevelRecord:
    """A level as the editor holds it: its id and version travel with every edit."""

    id: int
    version: int
    level: SeverityLevel


def _to_domain(row: t.SeverityLevel) -> SeverityLevel:
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
    """The matrix's levels, read and edited one user action at a time."""

    def __init__(self, workspace: Workspace) -> None:
        self._workspace = workspace

    def levels(self) -> list[LevelRecord]:
        """Every level, most severe first."""
        with self._workspace.read() as s:
            rows = s.scalars(select(t.SeverityLevel).order_by(t.SeverityLevel.rank)).all()
            return [LevelRecord(r.id, r.version, _to_domain(r)) for r in rows]

    def rename_level(self, record: LevelRecord, name: str) -> LevelRecord:
        """Give a level a new name; refused when someone else changed the level meanwhile."""
        name = name.strip()
        if not name:
            raise ValueError("A severity level needs a name.")
        what = f"Severity level {record.level.code}"
        with edit(self._workspace, what) as s:
            row = fetch_for_edit(s, t.SeverityLevel, record.id, record.version, what)
            row.name = name
            s.flush()
            return LevelRecord(row.id, row.version, _to_domain(row))
