"""Table models whose rows are dragged to reorder them: the drop asks, a command moves."""

from __future__ import annotations

from typing import ClassVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QByteArray,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)

Index = QModelIndex | QPersistentModelIndex


class ReorderableTableModel(QAbstractTableModel):
    """Drag and drop of whole rows within one view, turned into a move request.

    Subclasses name their MIME type and say how a row is identified (``row_key``), found
    again (``row_index``) and moved (``ask_move``, which emits the model's own signal). The
    drop itself changes nothing: the rows are redrawn once the undo command has run.
    """

    MIME: ClassVar[str]

    def row_key(self, row: int) -> str:
        """What identifies the row at ``row`` across a reload (a level code, a rule order)."""
        raise NotImplementedError

    def row_index(self, key: str) -> int:
        """The row now showing ``key``, or -1."""
        raise NotImplementedError

    def ask_move(self, key: str, position: int) -> None:
        """Request that ``key`` move to 1-based ``position``."""
        raise NotImplementedError

    def supportedDropActions(self) -> Qt.DropAction:
        """Rows move; nothing is copied."""
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        """Only this model's own rows can be dropped here."""
        return [self.MIME]

    def mimeData(self, indexes: list[QModelIndex]) -> QMimeData:  # type: ignore[override]
        """The dragged row's key."""
        data = QMimeData()
        if indexes:
            data.setData(self.MIME, QByteArray(self.row_key(indexes[0].row()).encode()))
        return data

    def dropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: Index
    ) -> bool:
        """Ask to move the dragged row to the drop row."""
        if not data.hasFormat(self.MIME):
            return False
        key = bytes(data.data(self.MIME).data()).decode()
        current = self.row_index(key)
        if current < 0:
            return False
        target = row if row >= 0 else (parent.row() if parent.isValid() else self.rowCount())
        position = target + 1 if target <= current else target
        if position != current + 1:
            self.ask_move(key, position)
        return False  # the view must not remove the source row: a reload redraws all
