"""Edits a level's triggers as structured items, each shown as the sentence agents read."""

from __future__ import annotations

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from escalation_desk.domain.durations import try_parse_duration
from escalation_desk.domain.matrix import Trigger, TriggerKind

KIND_TITLES = {
    TriggerKind.TIME: "Time: no progress after…",
    TriggerKind.SCOPE: "Scope: a condition the agent ticks",
    TriggerKind.IMPACT: "Impact: customers affected or system-wide",
}


class TriggersDialog(QDialog):
    """A list of triggers on the left, the selected one's fields on the right."""

    def __init__(
        self, level_label: str, triggers: tuple[Trigger, ...], parent: QWidget | None = None
    ):
        super().__init__(parent)
        self.setWindowTitle(f"Triggers of {level_label}")
        self.setObjectName("triggersDialog")
        self.resize(720, 380)
        self._triggers = list(triggers)
        self._loading = False

        self.list = QListWidget()
        self.list.setObjectName("triggerList")
        add = QPushButton("Add trigger")
        remove = QPushButton("Remove")
        add.clicked.connect(self._on_add_clicked)
        remove.clicked.connect(self._on_remove_clicked)
        left = QVBoxLayout()
        left.addWidget(self.list, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(add)
        buttons.addWidget(remove)
        left.addLayout(buttons)

        self.kind = QComboBox()
        for kind, title in KIND_TITLES.items():
            self.kind.addItem(title, kind)
        self.text = QLineEdit()
        self.text.setPlaceholderText("Requires code-level investigation")
        self.after = QLineEdit()
        self.after.setPlaceholderText("2 hrs, 30 mins, 1 business day")
        self.customers = QSpinBox()
        self.customers.setRange(0, 1_000_000)
        self.customers.setSpecialValueText("—")
        self.system_wide = QCheckBox("System-wide degradation")
        self.sentence = QLabel()
        self.sentence.setObjectName("strong")
        self.sentence.setWordWrap(True)
        form = QFormLayout()
        form.addRow("Kind", self.kind)
        form.addRow("Wording", self.text)
        form.addRow("After", self.after)
        form.addRow("Customers ≥", self.customers)
        form.addRow("", self.system_wide)
        form.addRow("Agents read", self.sentence)

        body = QHBoxLayout()
        body.addLayout(left, 1)
        body.addLayout(form, 2)
        outer = QVBoxLayout(self)
        outer.addLayout(body, 1)
        done = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        done.accepted.connect(self._on_ok_clicked)
        done.rejected.connect(self.reject)
        outer.addWidget(done)

        self.list.currentRowChanged.connect(self._on_list_current_row_changed)
        for signal in (self.kind.currentIndexChanged, self.customers.valueChanged):
            signal.connect(self._on_field_changed)
        for line in (self.text, self.after):
            line.textChanged.connect(self._on_field_changed)
        self.system_wide.toggled.connect(self._on_field_changed)
        self._refill_list()
        self.list.setCurrentRow(0 if self._triggers else -1)
        self._show_current()

    @Slot()
    def _on_ok_clicked(self) -> None:
        # A time trigger without a readable time would never fire: refuse rather than drop it.
        late = [t for t in self._triggers if t.kind is TriggerKind.TIME and t.after is None]
        if late:
            self.sentence.setText(
                'A time trigger needs its time, written like "2 hrs" or "30 mins".'
            )
            self.list.setCurrentRow(self._triggers.index(late[0]))
            return
        self.accept()

    def triggers(self) -> tuple[Trigger, ...]:
        """The triggers as edited."""
        return tuple(self._triggers)

    def _refill_list(self) -> None:
        row = self.list.currentRow()
        self.list.clear()
        for trigger in self._triggers:
            self.list.addItem(trigger.sentence() or "(no wording yet)")
        self.list.setCurrentRow(min(row, len(self._triggers) - 1))

    def _show_current(self) -> None:
        row = self.list.currentRow()
        enabled = 0 <= row < len(self._triggers)
        for widget in (self.kind, self.text, self.after, self.customers, self.system_wide):
            widget.setEnabled(enabled)
        if not enabled:
            self.sentence.setText("Add a trigger to say when agents must escalate.")
            return
        trigger = self._triggers[row]
        self._loading = True
        self.kind.setCurrentIndex(self.kind.findData(trigger.kind))
        self.text.setText(trigger.text)
        self.after.setText(str(trigger.after) if trigger.after else "")
        self.customers.setValue(trigger.customers_at_least or 0)
        self.system_wide.setChecked(trigger.system_wide)
        self._loading = False
        self._update_fields(trigger)

    def _update_fields(self, trigger: Trigger) -> None:
        kind = trigger.kind
        self.after.setEnabled(kind is TriggerKind.TIME)
        self.customers.setEnabled(kind is TriggerKind.IMPACT)
        self.system_wide.setEnabled(kind is TriggerKind.IMPACT)
        self.sentence.setText(trigger.sentence() or "—")

    @Slot()
    def _on_field_changed(self) -> None:
        row = self.list.currentRow()
        if self._loading or not 0 <= row < len(self._triggers):
            return
        kind = TriggerKind(self.kind.currentData())
        after = try_parse_duration(self.after.text()) if kind is TriggerKind.TIME else None
        customers = self.customers.value() if kind is TriggerKind.IMPACT else 0
        trigger = Trigger(
            kind,
            self.text.text().strip(),
            after,
            customers or None,
            kind is TriggerKind.IMPACT and self.system_wide.isChecked(),
        )
        self._triggers[row] = trigger
        self.list.item(row).setText(trigger.sentence() or "(no wording yet)")
        self._update_fields(trigger)

    @Slot(int)
    def _on_list_current_row_changed(self, _row: int) -> None:
        self._show_current()

    @Slot()
    def _on_add_clicked(self) -> None:
        self._triggers.append(Trigger(TriggerKind.SCOPE, "New condition"))
        self._refill_list()
        self.list.setCurrentRow(len(self._triggers) - 1)
        self.text.setFocus()
        self.text.selectAll()

    @Slot()
    def _on_remove_clicked(self) -> None:
        row = self.list.currentRow()
        if 0 <= row < len(self._triggers):
            del self._triggers[row]
            self._refill_list()
            self._show_current()
