"""Asks for the evidence a closure item needs: root cause, link, debrief date and people."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from escalation_desk.domain.closure import ROOT_CAUSE_CATEGORIES, Evidence, check_evidence


class EvidenceDialog(QDialog):
    """One field per kind of evidence; OK only when the evidence is complete."""

    def __init__(
        self, item: str, kinds: tuple[Evidence, ...], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(item)
        self.setObjectName("evidenceDialog")
        self.setMinimumWidth(460)
        self._kinds = kinds
        self.category = QComboBox()
        self.category.addItems(ROOT_CAUSE_CATEGORIES)
        self.text = QPlainTextEdit()
        self.text.setPlaceholderText("What caused it, in a sentence or two")
        self.text.setFixedHeight(72)
        self.link = QLineEdit()
        self.link.setPlaceholderText("https://kb.example.com/article")
        self.date = QDateEdit(QDate.currentDate())
        self.date.setCalendarPopup(True)
        self.people = QLineEdit()
        self.people.setPlaceholderText("Names, separated by commas")
        fields = {
            Evidence.CATEGORY: ("Root-cause category", self.category),
            Evidence.TEXT: ("What happened", self.text),
            Evidence.LINK: ("Link", self.link),
            Evidence.DATE: ("Date", self.date),
            Evidence.PEOPLE: ("Who took part", self.people),
        }
        form = QFormLayout()
        for kind in kinds:
            label, widget = fields[kind]
            form.addRow(label, widget)
        self.error = QLabel()
        self.error.setObjectName("badText")
        self.error.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._on_ok_clicked)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def evidence(self) -> dict[str, object]:
        """The evidence as entered, by kind."""
        picked: date = self.date.date().toPython()  # type: ignore[assignment]
        values: dict[Evidence, object] = {
            Evidence.CATEGORY: self.category.currentText(),
            Evidence.TEXT: self.text.toPlainText(),
            Evidence.LINK: self.link.text(),
            Evidence.DATE: picked.isoformat(),
            Evidence.PEOPLE: [p for p in self.people.text().split(",") if p.strip()],
        }
        return {kind.value: values[kind] for kind in self._kinds}

    @Slot()
    def _on_ok_clicked(self) -> None:
        try:
            check_evidence(self._kinds, self.evidence())
        except ValueError as exc:
            self.error.setText(str(exc))
            return
        self.accept()
