"""Which column of a helpdesk export holds which ticket field, for layouts not recognised."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QWidget

NOT_FOUND = "— not found in the export —"
# The fields a lead may point at a column, and how the form names them.
FIELD_LABELS = {
    "ref": "Ticket reference",
    "title": "Title / subject",
    "customer": "Customer",
    "module": "Module / component",
    "issue_type": "Issue type",
    "priority": "Priority",
    "status": "Status",
    "created": "Opened",
    "resolved": "Resolved",
    "closed": "Closed",
    "first_response": "First response time",
    "assignee": "Assignee",
    "group": "Group / team",
}


class ColumnsDialog(QDialog):
    """A column for each field; the first choice keeps what the header names said."""

    def __init__(
        self,
        headers: list[str],
        recognised: dict[str, int],
        chosen: dict[str, int],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("ticketColumnsDialog")
        self.setWindowTitle("Match the export's columns")
        self.setMinimumWidth(440)
        self.combos: dict[str, QComboBox] = {}
        form = QFormLayout(self)
        for key, label in FIELD_LABELS.items():
            combo = QComboBox()
            combo.setObjectName(f"ticketColumn_{key}")
            found = recognised.get(key)
            automatic = f"{headers[found]} (recognised)" if found is not None else NOT_FOUND
            combo.addItems([automatic, *(h or f"Column {i + 1}" for i, h in enumerate(headers))])
            column = chosen.get(key)
            combo.setCurrentIndex(column + 1 if column is not None else 0)
            self.combos[key] = combo
            form.addRow(label, combo)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def mapping(self) -> dict[str, int]:
        """The fields pointed at a column by hand (0-based)."""
        return {
            key: combo.currentIndex() - 1
            for key, combo in self.combos.items()
            if combo.currentIndex() > 0
        }
