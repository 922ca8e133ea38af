"""Qt models of the Routing screen: the ordered rules, and read-only directory tables."""

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

from escalation_desk.domain.routing import MatchOn, RoutingRule
from escalation_desk.services.routing import RuleRecord
from escalation_desk.ui import theme
from escalation_desk.ui.diagrams.flow import shadowed_by
from escalation_desk.ui.reorder import ReorderableTableModel

Index = QModelIndex | QPersistentModelIndex
MIME_RULE = "application/x-escalation-desk-rule"


class RuleColumn(IntEnum):
    """Columns of the rules table."""

    ORDER = 0
    MATCH = 1
    PATTERN = 2
    TEAM = 3
    ROLE = 4
    ANSWERED_BY = 5
    FIRES = 6


RULE_HEADERS = {
    RuleColumn.ORDER: "#",
    RuleColumn.MATCH: "Looks at",
    RuleColumn.PATTERN: "Matches",
    RuleColumn.TEAM: "Team",
    RuleColumn.ROLE: "Named role",
    RuleColumn.ANSWERED_BY: "Held by (backup)",
    RuleColumn.FIRES: "Fires?",
}
RULE_TIPS = {
    **RULE_HEADERS,
    RuleColumn.ORDER: "Rules are tried in this order; the first that matches decides",
    RuleColumn.MATCH: "Whether the rule looks at the module or at the issue type",
    RuleColumn.PATTERN: 'The module or issue type; "*" and "?" are wildcards',
    RuleColumn.FIRES: "Whether an earlier rule already catches everything this one would",
}
MATCH_TITLES = {MatchOn.MODULE: "module", MatchOn.ISSUE_TYPE: "issue type"}
EDITABLE = {RuleColumn.MATCH, RuleColumn.PATTERN, RuleColumn.TEAM, RuleColumn.ROLE}


class RulesModel(ReorderableTableModel):
    """Adapts rule records; edits and drags leave as requests for undo commands."""

    MIME = MIME_RULE

    #: (rule order, rule before, rule after)
    edit_requested = Signal(int, object, object)
    #: (rule order, new position)
    move_requested = Signal(int, int)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[RuleRecord] = []
        self._shadowed: dict[int, int] = {}

    def set_rows(self, rows: list[RuleRecord]) -> None:
        """Show ``rows`` in rule order."""
        self.beginResetModel()
        self._rows = list(rows)
        self._shadowed = shadowed_by(r.rule for r in rows)
        self.endResetModel()

    def record(self, row: int) -> RuleRecord:
        """The record in ``row``."""
        return self._rows[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        """Rules shown."""
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        """The table's columns."""
        return 0 if parent.isValid() else len(RuleColumn)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        """Column titles, with a longer explanation as tooltip."""
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            return RULE_TIPS[RuleColumn(section)]
        return RULE_HEADERS[RuleColumn(section)] if role == Qt.ItemDataRole.DisplayRole else None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Cell text; rules that can never fire are greyed and say which rule wins instead."""
        if not index.isValid():
            return None
        record = self._rows[index.row()]
        rule = record.rule
        column = RuleColumn(index.column())
        winner = self._shadowed.get(rule.order)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._text(record, column, winner)
        if role == Qt.ItemDataRole.EditRole:
            if column is RuleColumn.MATCH:
                return rule.match_on.value
            return self._text(record, column, winner)
        if role == Qt.ItemDataRole.ForegroundRole and winner is not None:
            return QColor(theme.colour("dim"))
        return None

    @staticmethod
    def _text(record: RuleRecord, column: RuleColumn, winner: int | None) -> str:
        rule = record.rule
        if column is RuleColumn.ORDER:
            return str(rule.order)
        if column is RuleColumn.MATCH:
            return MATCH_TITLES[rule.match_on]
        if column is RuleColumn.PATTERN:
            return rule.pattern
        if column is RuleColumn.TEAM:
            return rule.team
        if column is RuleColumn.ROLE:
            return rule.role
        if column is RuleColumn.ANSWERED_BY:
            holder = record.holder or "vacant"
            return f"{holder} ({record.backup})" if record.backup else holder
        return f"never: rule {winner} matches first" if winner is not None else "fires"

    def flags(self, index: Index) -> Qt.ItemFlag:
        """Rules drag to reorder; match, pattern, team and role edit in place."""
        base = super().flags(index) | Qt.ItemFlag.ItemIsDropEnabled
        if not index.isValid():
            return base
        base |= Qt.ItemFlag.ItemIsDragEnabled
        if RuleColumn(index.column()) in EDITABLE:
            base |= Qt.ItemFlag.ItemIsEditable
        return base

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        """Ask for the edit; the table changes once the undo command ran."""
        if not index.isValid() or role != Qt.ItemDataRole.EditRole:
            return False
        rule = self._rows[index.row()].rule
        column = RuleColumn(index.column())
        text = str(value).strip()
        if column is RuleColumn.MATCH:
            after = replace(rule, match_on=MatchOn(text))
        elif column is RuleColumn.PATTERN:
            after = replace(rule, pattern=text)
        elif column is RuleColumn.TEAM:
            after = replace(rule, team=text)
        else:
            after = replace(rule, role=text)
        if after == rule:
            return False
        self.edit_requested.emit(rule.order, rule, after)
        return True

    def row_key(self, row: int) -> str:
        """A rule is known by its place in the order."""
        return str(self._rows[row].rule.order)

    def row_index(self, key: str) -> int:
        """The row of the rule now at order ``key``."""
        return int(key) - 1 if key.isdigit() and 0 < int(key) <= len(self._rows) else -1

    def ask_move(self, key: str, position: int) -> None:
        """Request the rule's new place."""
        self.move_requested.emit(int(key), position)


def rule_for_order(rows: list[RuleRecord], order: int) -> RoutingRule | None:
    """The rule now at ``order``."""
    return next((r.rule for r in rows if r.rule.order == order), None)
