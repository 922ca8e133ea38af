"""The New escalation dialog: the hand-off context, and where routing will send it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from escalation_desk.services.escalations import NewEscalation

if TYPE_CHECKING:
    from escalation_desk.services.escalations import EscalationService


class NewEscalationDialog(QDialog):
    """Creates the escalation itself (one transaction) and keeps the ref it made."""

    def __init__(
        self,
        service: EscalationService,
        levels: list[str],
        people: list[str],
        actor: str,
        now_provider: Callable[[], datetime],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("New escalation")
        self.setObjectName("newEscalationDialog")
        self.setMinimumWidth(620)
        self._service = service
        self._actor = actor
        self._now = now_provider
        self.created_ref: str | None = None

        self.ref = QLineEdit(service.next_ref())
        self.title = QLineEdit()
        self.customer = QLineEdit()
        self.module = QLineEdit()
        self.module.setPlaceholderText("e.g. Payments, Database")
        self.issue_type = QLineEdit()
        self.issue_type.setPlaceholderText("e.g. UI bug, Security (optional)")
        self.severity = QComboBox()
        self.severity.addItems(levels)
        self.customers = QSpinBox()
        self.customers.setRange(0, 10_000_000)
        self.impact = QPlainTextEdit()
        self.tried = QPlainTextEdit()
        self.reproduce = QPlainTextEdit()
        for box, hint in (
            (self.impact, "Who cannot do what, since when"),
            (self.tried, "What Tier 1 already tried"),
            (self.reproduce, "Steps to reproduce, or links to logs and the ticket"),
        ):
            box.setPlaceholderText(hint)
            box.setFixedHeight(64)
        self.liaison = QComboBox()
        self.liaison.addItem("The level's liaison role holder", "")
        for person in people:
            self.liaison.addItem(person, person)
        self.escalate_now = QCheckBox("Escalate now (start the response clock)")
        self.escalate_now.setChecked(True)
        self.route = QLabel()
        self.route.setObjectName("routePreview")
        self.route.setWordWrap(True)
        self.error = QLabel()
        self.error.setObjectName("badText")
        self.error.setWordWrap(True)

        form = QFormLayout()
        form.addRow("Ticket ref", self.ref)
        form.addRow("Title", self.title)
        form.addRow("Customer", self.customer)
        form.addRow("Module", self.module)
        form.addRow("Issue type", self.issue_type)
        form.addRow("Severity", self.severity)
        form.addRow("Customers affected", self.customers)
        form.addRow("Customer impact", self.impact)
        form.addRow("What was tried", self.tried)
        form.addRow("Reproduce / links", self.reproduce)
        form.addRow("Support liaison", self.liaison)
        form.addRow("", self.escalate_now)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.route)
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Create escalation")
        buttons.accepted.connect(self._on_create_clicked)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        for line in (self.module, self.issue_type):
            line.textChanged.connect(self._on_route_input_changed)
        self.severity.currentIndexChanged.connect(self._on_route_input_changed)
        self._on_route_input_changed()

    def draft(self) -> NewEscalation:
        """What the form says."""
        return NewEscalation(
            ref=self.ref.text(),
            title=self.title.text(),
            customer=self.customer.text(),
            module=self.module.text(),
            issue_type=self.issue_type.text(),
            severity=self.severity.currentText(),
            customers_affected=self.customers.value(),
            customer_impact=self.impact.toPlainText(),
            tried=self.tried.toPlainText(),
            reproduce=self.reproduce.toPlainText(),
            liaison=str(self.liaison.currentData()) or None,
            escalate_now=self.escalate_now.isChecked(),
        )

    @Slot()
    def _on_route_input_changed(self) -> None:
        module, issue_type = self.module.text(), self.issue_type.text()
        if not (module.strip() or issue_type.strip()):
            self.route.setText("Type the module or issue type to see where it will go.")
            return
        preview = self._service.preview(module, issue_type, self.severity.currentText())
        self.route.setText(preview.sentence())

    @Slot()
    def _on_create_clicked(self) -> None:
        try:
            self.created_ref = self._service.create(self.draft(), self._actor, self._now())
        except ValueError as exc:
            self.error.setText(str(exc))
            return
        self.accept()
