"""Importing a lead's matrix spreadsheet into the workspace, all or nothing."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import StrEnum
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from escalation_desk.domain.matrix import SeverityLevel
from escalation_desk.domain.snapshot import MatrixSnapshot
from escalation_desk.domain.versions import Change, diff
from escalation_desk.services.editing import edit
from escalation_desk.services.matrix import give_default_checklist, level_of, write_level
from escalation_desk.spreadsheets.matrix_import import (
    ParsedMatrix,
    Problem,
    find_header,
    parse_matrix,
    propose_sheet,
)
from escalation_desk.spreadsheets.reading import Sheet, read_sheets
from escalation_desk.spreadsheets.safety import SpreadsheetError
from escalation_desk.store import tables as t
from escalation_desk.store.db import Workspace


class ImportMode(StrEnum):
    """What happens to a matrix already in the workspace."""

    NEW = "new"  # only into a workspace without levels
    REPLACE = "replace"  # the sheet's levels become the matrix; others go where unused
    MERGE = "merge"  # levels in the sheet are added or updated; others stay


@dataclass
class ImportReport:
    """What an import did, or would do, and why it was refused."""

    imported: int = 0
    created_roles: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    refused: str = ""

    def as_json(self) -> dict[str, object]:
        """The documented JSON form."""
        return {
            "imported": self.imported,
            "created_roles": self.created_roles,
            "problems": [p.as_json() for p in self.problems],
            **({"refused": self.refused} if self.refused else {}),
        }


class ImportService:
    """Reads a spreadsheet, checks it whole, then writes it in one transaction."""

    def __init__(self, workspace: Workspace) -> None:
        self._workspace = workspace

    @staticmethod
    def open_file(path: Path) -> tuple[list[Sheet], int]:
        """Every sheet of ``path`` and the index of the one that looks like a matrix."""
        sheets = read_sheets(path)
        proposed = propose_sheet(sheets)
        return sheets, proposed if proposed is not None else 0

    def read_matrix(self, path: Path, sheet: str | None = None) -> ParsedMatrix:
        """The matrix found in ``path`` (in ``sheet``, or the sheet that looks like one)."""
        sheets = read_sheets(path)
        if sheet is not None:
            chosen = next((s for s in sheets if s.name == sheet), None)
            if chosen is None:
                names = ", ".join(s.name for s in sheets)
                raise SpreadsheetError(f"{path.name} has no sheet {sheet!r} (it has: {names}).")
        else:
            index = propose_sheet(sheets)
            chosen = sheets[index if index is not None else 0]
        return self.parse(chosen)

    def parse(self, sheet: Sheet, header: tuple[int, dict[str, int]] | None = None) -> ParsedMatrix:
        """The levels of ``sheet`` under ``header`` (row, field -> column), found if not given."""
        with self._workspace.read() as s:
            roles = list(s.scalars(select(t.Role.name)))
        return parse_matrix(sheet, roles, header=header or find_header(sheet))

    def has_matrix(self) -> bool:
        """Whether the workspace already has severity levels (importing must replace or merge)."""
        with self._workspace.read() as s:
            return s.scalar(select(t.SeverityLevel.id).limit(1)) is not None

    def import_matrix(
        self,
        path: Path,
        *,
        sheet: str | None = None,
        mode: ImportMode = ImportMode.NEW,
        dry_run: bool = False,
    ) -> ImportReport:
        """Import the matrix in ``path``; refused whole when any problem is an error."""
        try:
            parsed = self.read_matrix(path, sheet)
        except SpreadsheetError as exc:
            return ImportReport(refused=str(exc))
        return self.apply(parsed, mode=mode, dry_run=dry_run)

    def changes(self, parsed: ParsedMatrix, mode: ImportMode) -> list[Change]:
        """What importing ``parsed`` would change in the matrix, level by level."""
        with self._workspace.read() as s:
            rows = list(s.scalars(select(t.SeverityLevel).order_by(t.SeverityLevel.rank)))
            current = {row.code: level_of(row) for row in rows}
            in_use = {row.code for row in rows if row_in_use(s, row)}
        incoming = {
            lv.code: keep_unmapped(lv, current[lv.code], parsed.mapping)
            if lv.code in current
            else lv
            for lv in parsed.levels
        }
        # As apply() ranks them: the sheet's levels in its order, then the levels it leaves
        # (all of them when merging; when replacing, those escalations still use).
        others = [
            level
            for code, level in current.items()
            if code not in incoming and (mode is ImportMode.MERGE or code in in_use)
        ]
        after = [*incoming.values(), *others]
        ranked = tuple(replace(lv, rank=rank) for rank, lv in enumerate(after, start=1))
        return diff(MatrixSnapshot(levels=tuple(current.values())), MatrixSnapshot(levels=ranked))

    def apply(
        self, parsed: ParsedMatrix, *, mode: ImportMode = ImportMode.NEW, dry_run: bool = False
    ) -> ImportReport:
        """Write a parsed matrix in one transaction, or refuse it whole."""
        report = ImportReport(created_roles=parsed.roles, problems=parsed.problems)
        if not parsed.ok:
            report.refused = "The sheet has errors; nothing was imported."
            return report
        with self._workspace.read() as s:
            existing = list(s.scalars(select(t.SeverityLevel.code)))
        if existing and mode is ImportMode.NEW:
            report.refused = "The workspace already has a matrix; choose --replace or --merge."
            return report
        report.imported = len(parsed.levels)
        if dry_run:
            return report
        with edit(self._workspace, "The matrix") as s:
            for name in parsed.roles:
                s.add(t.Role(name=name))
            s.flush()
            ranked = select(t.SeverityLevel).order_by(t.SeverityLevel.rank)
            levels = {lv.code: lv for lv in s.scalars(ranked)}
            kept = {lv.code for lv in parsed.levels}
            if mode is ImportMode.REPLACE:
                for code, row in levels.items():
                    if code not in kept and not row_in_use(s, row):
                        s.delete(row)
            s.flush()
            rank = 1
            for level in parsed.levels:
                row = levels.get(level.code) or t.SeverityLevel(code=level.code, rank=rank)
                write_level(
                    s,
                    row,
                    keep_unmapped(level, level_of(row), parsed.mapping)
                    if level.code in levels
                    else level,
                )
                row.rank = rank
                if level.code not in levels:
                    # A level the sheet brings is closed through the loop like any other.
                    give_default_checklist(s, row, top_severity=rank == 1)
                s.add(row)
                rank += 1
            for code, row in levels.items():
                if code not in kept and row in s:
                    row.rank = rank
                    rank += 1
        return report


# Each level field and the matrix columns any of which fills it.
_COLUMNS_OF_FIELD = {
    "name": ("name",),
    "triggers": ("triggers",),
    "contacts": ("contacts",),
    "method": ("method",),
    "target_response": ("target_response",),
    "engineer_role": ("owner", "engineer_owner"),
    "liaison_role": ("owner", "liaison"),
    "update_every": ("update_every",),
    "hand_back": ("hand_back",),
    "target_resolution": ("target_resolution",),
    "steps": ("steps",),
    "updates_by": ("updates_by",),
    "colour": ("colour",),
}


def keep_unmapped(
    level: SeverityLevel, existing: SeverityLevel, mapping: dict[str, int]
) -> SeverityLevel:
    """``level`` from the sheet, with what the sheet has no column for kept from ``existing``.

    A sheet without a "Target resolution" column says nothing about resolution targets; it
    must not wipe the ones the workspace has.
    """
    kept = {
        name: getattr(existing, name)
        for name, columns in _COLUMNS_OF_FIELD.items()
        if not any(column in mapping for column in columns)
    }
    return replace(level, **kept)


def row_in_use(s: Session, row: t.SeverityLevel) -> bool:
    """Whether escalations use the level (then it cannot be deleted)."""
    used = s.scalar(select(t.Escalation.id).where(t.Escalation.severity_id == row.id).limit(1))
    return used is not None
