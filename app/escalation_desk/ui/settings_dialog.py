"""File > Settings: the workspace defaults (calendar, checklist gates, deadline thresholds)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from escalation_desk.domain.closure import Gate
from escalation_desk.services.preferences import Preferences

if TYPE_CHECKING:
    from escalation_desk.services.preferences import PreferencesService

GATE_CHOICES = {Gate.BLOCKING: "Block closing", Gate.WARNING: "Only warn"}
NO_CALENDAR = "(this workspace has no calendar yet)"


def _gate_combo(name: str, accessible: str) -> QComboBox:
    combo = QComboBox()
    combo.setObjectName(name)
    combo.setAccessibleName(accessible)
    for gate, title in GATE_CHOICES.items():
        combo.addItem(title, gate.value)
    return combo


def _percent_spin(name: str, accessible: str, tip: str) -> QSpinBox:
    spin = QSpinBox()
    spin.setObjectName(name)
    spin.setAccessibleName(accessible)
    spin.setToolTip(tip)
    # The service judges the pair (at risk below critical); the box only keeps whole percents.
    spin.setRange(0, 100)
    spin.setSuffix(" % of the time used")
    return spin


class SettingsDialog(QDialog):
    """Shows the stored defaults; Save writes them all in one step or says what is wrong."""

    def __init__(self, preferences: PreferencesService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Settings")
        self.setObjectName("settingsDialog")
        self.setMinimumWidth(520)
        self._preferences = preferences
        stored = preferences.read()

        self.calendar = QComboBox()
        self.calendar.setObjectName("defaultCalendar")
        self.calendar.setAccessibleName("Default calendar")
        self.calendar.setToolTip(
            "Business-hours clocks follow it when neither the level nor the team names a calendar"
        )
        names = preferences.calendars()
        self.calendar.addItems(names or [NO_CALENDAR])
        self.calendar.setEnabled(bool(names))
        if stored.default_calendar in names:
            self.calendar.setCurrentText(stored.default_calendar)
        calendars = QGroupBox("Working time")
        calendar_form = QFormLayout(calendars)
        calendar_form.addRow("&Default calendar", self.calendar)

        self.at_risk = _percent_spin(
            "atRiskPercent", "At risk from", "A running deadline turns amber at this share"
        )
        self.critical = _percent_spin(
            "criticalPercent", "Critical from", "A running deadline turns red at this share"
        )
        self.at_risk.setValue(stored.at_risk_percent)
        self.critical.setValue(stored.critical_percent)
        thresholds = QGroupBox("Deadlines on the board and Home")
        threshold_form = QFormLayout(thresholds)
        threshold_form.addRow("&At risk from", self.at_risk)
        threshold_form.addRow("C&ritical from", self.critical)

        self.top_gate = _gate_combo("topLevelGate", "Gate of new items on the most severe level")
        self.other_gate = _gate_combo("otherLevelsGate", "Gate of new items on the other levels")
        self.top_gate.setCurrentIndex(self.top_gate.findData(stored.top_level_gate.value))
        self.other_gate.setCurrentIndex(self.other_gate.findData(stored.other_levels_gate.value))
        gates = QGroupBox("Closure checklists")
        gate_form = QFormLayout(gates)
        gate_form.addRow("&Most severe level", self.top_gate)
        gate_form.addRow("&Other levels", self.other_gate)
        note = QLabel(
            "A missing item that blocks closing must be completed or waived; one that only "
            "warns is written in the timeline. Applies to levels added and items added from now on."
        )
        note.setObjectName("muted")
        note.setWordWrap(True)
        gate_form.addRow(note)

        self.error = QLabel()
        self.error.setObjectName("badText")
        self.error.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setObjectName("saveSettings")
        buttons.accepted.connect(self._on_buttons_accepted)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        for group in (calendars, thresholds, gates):
            layout.addWidget(group)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def chosen(self) -> Preferences:
        """The defaults as the dialog shows them."""
        return Preferences(
            self.calendar.currentText() if self.calendar.isEnabled() else None,
            self.at_risk.value(),
            self.critical.value(),
            Gate(self.top_gate.currentData()),
            Gate(self.other_gate.currentData()),
        )

    @Slot()
    def _on_buttons_accepted(self) -> None:
        try:
            self._preferences.save(self.chosen())
        except ValueError as exc:
            self.error.setText(str(exc))
            return
        self.accept()
