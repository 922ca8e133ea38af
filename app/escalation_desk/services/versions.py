"""Published versions of the matrix and routing: publish, list, and compare any two."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import func, select

from escalation_desk.domain.matrix_json import from_json, to_json
from escalation_desk.domain.snapshot import MatrixSnapshot
from escalation_desk.domain.versions import Change, diff
from escalation_desk.services.editing import edit
from escalation_desk.services.matrix import read_snapshot
from escalation_desk.store import tables as t
from escalation_desk.store.db import Workspace


@dataclass(frozen=True, slots=True)
class VersionInfo:
    """One published version."""

    number: int
    published_at: datetime
    published_by: str
    note: str


class VersionService:
    """Snapshots of the matrix as published, and the draft being edited."""

    def __init__(self, workspace: Workspace) -> None:
        self._workspace = workspace

    def publish(self, note: str, by: str = "") -> VersionInfo:
        """Publish the current matrix and routing as the next version, with a change note."""
        if not note.strip():
            raise ValueError("Say in a few words what changed; the note is what readers see.")
        with edit(self._workspace, "The matrix versions") as s:
            number = (s.scalar(select(func.max(t.MatrixVersion.number))) or 0) + 1
            snapshot = read_snapshot(s)
            row = t.MatrixVersion(
                number=number,
                published_at=datetime.now(UTC),
                published_by=by,
                note=note.strip(),
                snapshot=json.dumps(to_json(snapshot, number)),
            )
            s.add(row)
            return VersionInfo(row.number, row.published_at, row.published_by, row.note)

    def versions(self) -> list[VersionInfo]:
        """Every published version, newest first."""
        with self._workspace.read() as s:
            rows = s.scalars(select(t.MatrixVersion).order_by(t.MatrixVersion.number.desc()))
            return [VersionInfo(r.number, r.published_at, r.published_by, r.note) for r in rows]

    def in_force(self) -> int | None:
        """The newest published version: the one new escalations record."""
        with self._workspace.read() as s:
            return s.scalar(select(func.max(t.MatrixVersion.number)))

    def snapshot(self, number: int | None) -> MatrixSnapshot:
        """Version ``number`` as published, or the draft (the matrix as it is now) for None."""
        with self._workspace.read() as s:
            if number is None:
                return read_snapshot(s)
            stored = s.scalar(
                select(t.MatrixVersion.snapshot).where(t.MatrixVersion.number == number)
            )
        if stored is None:
            raise ValueError(f"There is no version {number}.")
        return from_json(json.loads(stored))

    def compare(self, old: int | None, new: int | None) -> list[Change]:
        """What changed from ``old`` to ``new`` (None: the draft)."""
        return diff(self.snapshot(old), self.snapshot(new))
