"""The matrix grid's Qt model: one row per severity level, edits sent out as requests."""

from __future__ import annotations

from dataclasses import replace
from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor

from escalation_desk.domain.durations import (
    Duration,
    DurationError,
    format_duration,
    parse_duration,
)
from escalation_desk.domain.matrix import SeverityLevel
from escalation_desk.services.matrix import LevelRecord
from escalation_desk.ui import theme
from escalation_desk.ui.reorder import ReorderableTableModel

Index = QModelIndex | QPersistentModelIndex
MIME_LEVEL = "application/x-escalation-desk-level"


class Column(IntEnum):
    """The grid's columns, in the order a matrix spreadsheet has them."""

    LEVEL = 0
    TRIGGERS = 1
    CONTACTS = 2
    METHOD = 3
    TARGET = 4
    UPDATE = 5
    OWNER = 6
    HAND_BACK = 7


HEADERS = {
    Column.LEVEL: "Severity level",
    Column.TRIGGERS: "Trigger conditions",
    Column.CONTACTS: "Escalation contact",
    Column.METHOD: "Method",
    Column.TARGET: "Target response",
    Column.UPDATE: "Updates",
    Column.OWNER: "Post-escalation owner",
    Column.HAND_BACK: "Hand-back rule",
}

HEADER_TIPS = {
    **HEADERS,
    Column.METHOD: "Escalation method: how the escalation is raised (tool, channel, link)",
    Column.UPDATE: "Update cadence: how often the owner logs an update on an open escalation",
    Column.OWNER: "Post-escalation owner: the engineer role and the support liaison role",
}

# Lint locations name columns by key; the grid maps them to its columns.
COLUMN_KEYS = {
    "level": Column.LEVEL,
    "triggers": Column.TRIGGERS,
    "steps": Column.TRIGGERS,
    "contacts": Column.CONTACTS,
    "method": Column.METHOD,
    "target_response": Column.TARGET,
    "update_every": Column.UPDATE,
    "owner": Column.OWNER,
    "hand_back": Column.HAND_BACK,
}


def _duration_text(duration: Duration | None) -> str:
    return format_duration(duration) if duration is not None else ""


def display_text(level: SeverityLevel, column: Column) -> str:
    """What a cell shows."""
    if column is Column.LEVEL:
        return f"{level.code}  {level.name}"
    if column is Column.TRIGGERS:
        return "\n".join(trigger.sentence() for trigger in level.triggers) or "No triggers yet"
    if column is Column.CONTACTS:
        return ", ".join(level.contacts) or "No contact"
    if column is Column.METHOD:
        return level.method or "No method"
    if column is Column.TARGET:
        return _duration_text(level.target_response) or "No target"
    if column is Column.UPDATE:
        return f"every {format_duration(level.update_every)}" if level.update_every else "—"
    if column is Column.OWNER:
        return level.owner_pair() or "No owner"
    return level.hand_back or "—"


def edit_value(level: SeverityLevel, column: Column) -> Any:
    """What an editor starts from."""
    if column is Column.LEVEL:
        return level.name
    if column is Column.CONTACTS:
        return list(level.contacts)
    if column is Column.METHOD:
        return level.method
    if column is Column.TARGET:
        return _duration_text(level.target_response)
    if column is Column.UPDATE:
        return _duration_text(level.update_every)
    if column is Column.OWNER:
        return (level.engineer_role or "", level.liaison_role or "")
    if column is Column.HAND_BACK:
        return level.hand_back
    return display_text(level, column)


def _optional_duration(text: str) -> Duration | None:
    return parse_duration(text) if text.strip() else None


def edited(level: SeverityLevel, column: Column, value: Any) -> SeverityLevel:
    """The level with ``value`` written into ``column``; DurationError/ValueError on bad input."""
    if column is Column.LEVEL:
        return replace(level, name=str(value).strip())
    if column is Column.CONTACTS:
        return replace(level, contacts=tuple(str(v) for v in value))
    if column is Column.METHOD:
        return replace(level, method=str(value).strip())
    if column is Column.TARGET:
        return replace(level, target_response=_optional_duration(str(value)))
    if column is Column.UPDATE:
        return replace(level, update_every=_optional_duration(str(value)))
    if column is Column.OWNER:
        engineer, liaison = value
        return replace(level, engineer_role=engineer or None, liaison_role=liaison or None)
    if column is Column.HAND_BACK:
        return replace(level, hand_back=str(value).strip())
    raise ValueError(f"{HEADERS[column]} is edited in its own dialog.")


class MatrixModel(ReorderableTableModel):
    """Adapts the service's level records; it changes nothing itself.

    An edit or a drag becomes a request signal; the page turns it into an undo command, which
    calls the service and hands the new rows back through ``set_rows``.
    """

    #: (level code, level before, level after): a cell was edited.
    edit_requested = Signal(str, object, object)
    MIME = MIME_LEVEL

    #: (level code, new rank): a row was dragged to a new place.
    move_requested = Signal(str, int)
    #: A sentence for the status bar when an edit cannot be understood.
    edit_rejected = Signal(str)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[LevelRecord] = []

    def set_rows(self, rows: list[LevelRecord]) -> None:
        """Show ``rows`` (most severe first)."""
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def replace_row(self, row: int, record: LevelRecord) -> None:
        """Show ``record`` in ``row`` after an edit of that one level."""
        self._rows[row] = record
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(Column) - 1))

    def record(self, row: int) -> LevelRecord:
        """The record shown in ``row``."""
        return self._rows[row]

    def row_of(self, code: str) -> int:
        """The row of the level ``code``, or -1."""
        return next((i for i, r in enumerate(self._rows) if r.level.code == code), -1)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        """Levels shown."""
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        """The matrix's columns."""
        return 0 if parent.isValid() else len(Column)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        """Column titles (the long form as tooltip); rows are numbered by rank."""
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.ToolTipRole:
            return HEADER_TIPS[Column(section)]
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return HEADERS[Column(section)]
        return str(section + 1)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Cell text, its editor value, the level's colour and a tooltip."""
        if not index.isValid():
            return None
        level = self._rows[index.row()].level
        column = Column(index.column())
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return display_text(level, column)
        if role == Qt.ItemDataRole.EditRole:
            return edit_value(level, column)
        if role == Qt.ItemDataRole.DecorationRole and column is Column.LEVEL:
            return QColor(level.colour)
        if role == Qt.ItemDataRole.ForegroundRole and _is_missing(level, column):
            return QColor(theme.colour("bad"))
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        """Every cell selectable and draggable; all but triggers edit in place."""
        base = super().flags(index) | Qt.ItemFlag.ItemIsDropEnabled
        if not index.isValid():
            return base
        base |= Qt.ItemFlag.ItemIsDragEnabled
        if Column(index.column()) is not Column.TRIGGERS:
            base |= Qt.ItemFlag.ItemIsEditable
        return base

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        """Ask for the edit; the cell changes when the undo command has run."""
        if not index.isValid() or role != Qt.ItemDataRole.EditRole:
            return False
        level = self._rows[index.row()].level
        try:
            after = edited(level, Column(index.column()), value)
        except (DurationError, ValueError) as exc:
            self.edit_rejected.emit(str(exc))
            return False
        if after == level:
            return False
        self.edit_requested.emit(level.code, level, after)
        return True

    # -- drag to reorder -------------------------------------------------------------------
    def row_key(self, row: int) -> str:
        """A level is known by its code."""
        return self._rows[row].level.code

    def row_index(self, key: str) -> int:
        """The row of the level ``key``."""
        return self.row_of(key)

    def ask_move(self, key: str, position: int) -> None:
        """Request the level's new rank."""
        self.move_requested.emit(key, position)


def _is_missing(level: SeverityLevel, column: Column) -> bool:
    """Cells whose emptiness the linter reports, drawn in red so the eye finds them."""
    return (
        (column is Column.CONTACTS and not level.contacts)
        or (column is Column.METHOD and not level.method)
        or (column is Column.TARGET and level.target_response is None)
    )
