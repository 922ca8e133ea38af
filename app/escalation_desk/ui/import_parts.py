"""What both import dialogs share: the file row, and a coloured line per problem."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QHBoxLayout, QLabel, QListWidgetItem, QPushButton

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


def file_row(label: QLabel, choose: Callable[[], None], name: str) -> QHBoxLayout:
    """The chosen file's path beside a "Choose file…" button (object name ``name``)."""
    label.setWordWrap(True)
    button = QPushButton("Choose file…")
    button.setObjectName(name)
    button.clicked.connect(choose)
    row = QHBoxLayout()
    row.addWidget(label, 1)
    row.addWidget(button)
    return row
