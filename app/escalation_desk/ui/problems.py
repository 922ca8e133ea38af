"""How an import's problems look: a line per problem, coloured by how serious it is."""

from __future__ import annotations

from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QListWidgetItem

from escalation_desk.spreadsheets.matrix_import import Problem

# Cell fill and list text colour for each problem severity.
PROBLEM_FILLS = {"error": "#F8D7DA", "warning": "#FFF3CD"}
PROBLEM_TEXT = {"error": "#9B1C1C", "warning": "#7A5B00"}


def problem_item(problem: Problem) -> QListWidgetItem:
    """ "Error: Row 3, Priority: ..." in the colour of its severity."""
    where = f"Row {problem.row}" + (f", {problem.column}" if problem.column else "")
    item = QListWidgetItem(f"{problem.severity.capitalize()}: {where}: {problem.message}")
    item.setForeground(QBrush(QColor(PROBLEM_TEXT[problem.severity])))
    return item
