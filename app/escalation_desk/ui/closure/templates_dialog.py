"""The lead's editor of each level's closure checklist: items, their evidence and gate."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from escalation_desk.domain.closure import ChecklistItem, Evidence, Gate

if TYPE_CHECKING:
    from escalation_desk.services.closure import ClosureService

GATE_TITLES = {Gate.BLOCKING: "blocks closing", Gate.WARNING: "warning only"}


class TemplatesDialog(QDialog):
    """One table per level; Save writes the shown level's checklist in one step."""

    def __init__(self, closure: ClosureService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Closure checklists")
        self.setObjectName("templatesDialog")
        self.resize(820, 400)
        self._closure = closure
        self._templates = closure.templates()
        self._gates = closure.default_gates()
        self.level = QComboBox()
        self.level.setObjectName("templateLevel")
        self.level.addItems(list(self._templates))
        self.table = QTableWidget(0, 2 + len(Evidence))
        self.table.setObjectName("templateItems")
        self.table.setHorizontalHeaderLabels(
            ["Item", "Gate", *(f"needs {kind.value}" for kind in Evidence)]
        )
        self.table.horizontalHeader().setStretchLastSection(False)
        self.table.setColumnWidth(0, 240)
        self.table.setColumnWidth(1, 130)
        self.error = QLabel()
        self.error.setObjectName("badText")
        add = QPushButton("Add item")
        remove = QPushButton("Remove item")
        save = QPushButton("Save this level")
        save.setObjectName("saveTemplate")
        add.clicked.connect(self._on_add_clicked)
        remove.clicked.connect(self._on_remove_clicked)
        save.clicked.connect(self._on_save_clicked)
        top = QHBoxLayout()
        top.addWidget(QLabel("Level"))
        top.addWidget(self.level)
        top.addStretch(1)
        top.addWidget(QLabel("Changes apply to escalations created afterwards."))
        buttons = QHBoxLayout()
        for button in (add, remove, save):
            buttons.addWidget(button)
        buttons.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        layout.addWidget(close)
        self.level.currentTextChanged.connect(self._on_level_changed)
        self._on_level_changed(self.level.currentText())

    def items(self) -> list[ChecklistItem]:
        """The checklist as the table shows it."""
        found = []
        for row in range(self.table.rowCount()):
            name = self.table.cellWidget(row, 0)
            gate = self.table.cellWidget(row, 1)
            assert isinstance(name, QLineEdit)
            assert isinstance(gate, QComboBox)
            kinds = []
            for offset, kind in enumerate(Evidence):
                box = self.table.cellWidget(row, 2 + offset)
                if isinstance(box, QCheckBox) and box.isChecked():
                    kinds.append(kind)
            found.append(ChecklistItem(name.text(), tuple(kinds), Gate(gate.currentData())))
        return found

    def _add_row(self, item: ChecklistItem) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        self.table.setCellWidget(row, 0, QLineEdit(item.name))
        gate = QComboBox()
        for value, title in GATE_TITLES.items():
            gate.addItem(title, value.value)
        gate.setCurrentIndex(gate.findData(item.gate.value))
        self.table.setCellWidget(row, 1, gate)
        for offset, kind in enumerate(Evidence):
            box = QCheckBox()
            box.setChecked(kind in item.evidence)
            self.table.setCellWidget(row, 2 + offset, box)

    @Slot(str)
    def _on_level_changed(self, code: str) -> None:
        self.table.setRowCount(0)
        for item in self._templates.get(code, []):
            self._add_row(item)
        self.error.setText("")

    @Slot()
    def _on_add_clicked(self) -> None:
        # Templates come most severe level first: the first code is the top level.
        top_level = self.level.currentIndex() == 0
        self._add_row(ChecklistItem("New item", (Evidence.TEXT,), self._gates.for_level(top_level)))

    @Slot()
    def _on_remove_clicked(self) -> None:
        row = self.table.currentRow()
        if row >= 0:
            self.table.removeRow(row)

    @Slot()
    def _on_save_clicked(self) -> None:
        code = self.level.currentText()
        try:
            self._closure.set_template(code, self.items())
        except ValueError as exc:
            self.error.setText(str(exc))
            return
        self._templates = self._closure.templates()
        self.error.setText(f"Saved the checklist of {code}.")
