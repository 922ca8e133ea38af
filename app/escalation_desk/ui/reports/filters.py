"""The dashboard's filter bar: period, severity, team, and the tickets handled in the period."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import QComboBox, QDateEdit, QHBoxLayout, QLabel, QSpinBox, QWidget

ALL = "All"
CUSTOM = "Custom…"
# Preset periods, in days back from today (None: no bound); "This year" is worked out apart.
PRESETS: dict[str, int | None] = {
    "Last 7 days": 7,
    "Last 30 days": 30,
    "Last 90 days": 90,
    "This year": -1,
    "All time": None,
}


def preset_days(name: str, today: date) -> tuple[date | None, date | None]:
    """The first and last day of a preset period ending today."""
    days = PRESETS[name]
    if days is None:
        return None, None
    if days < 0:
        return date(today.year, 1, 1), today
    return today - timedelta(days=days - 1), today


class FilterBar(QWidget):
    """Emits ``changed`` whenever a choice changes; ``period()`` and friends read them."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reportFilters")
        self.period = QComboBox()
        self.period.setObjectName("reportPeriod")
        self.period.setAccessibleName("Period")
        self.period.addItems([*PRESETS, CUSTOM])
        self.period.setCurrentText("All time")
        self.first = QDateEdit()
        self.first.setObjectName("reportFrom")
        self.last = QDateEdit()
        self.last.setObjectName("reportTo")
        for edit, name in ((self.first, "From"), (self.last, "To")):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("d MMM yyyy")
            edit.setAccessibleName(name)
            edit.setDate(QDate.currentDate())
        self.first.setDate(QDate.currentDate().addDays(-29))
        self.severity = QComboBox()
        self.severity.setObjectName("reportSeverity")
        self.severity.setAccessibleName("Severity")
        self.team = QComboBox()
        self.team.setObjectName("reportTeam")
        self.team.setAccessibleName("Team")
        self.tickets = QSpinBox()
        self.tickets.setObjectName("reportTickets")
        self.tickets.setAccessibleName("Tickets handled in the period")
        self.tickets.setRange(0, 100_000_000)
        self.tickets.setSpecialValueText("not known")
        self.tickets.setToolTip(
            "How many tickets support handled in the period, from your helpdesk: "
            "the escalation rate is escalations divided by it."
        )
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        for label, widget in (
            ("Period", self.period),
            ("", self.first),
            ("to", self.last),
            ("Severity", self.severity),
            ("Team", self.team),
            ("Tickets handled", self.tickets),
        ):
            if label:
                caption = QLabel(label)
                caption.setBuddy(widget)
                layout.addWidget(caption)
                if widget is self.last:
                    self._to_label = caption
            layout.addWidget(widget)
        layout.addStretch(1)
        self.period.currentTextChanged.connect(self._on_period_changed)
        for signal in (
            self.first.dateChanged,
            self.last.dateChanged,
            self.severity.currentIndexChanged,
            self.team.currentIndexChanged,
            self.tickets.valueChanged,
        ):
            signal.connect(lambda *_: self.changed.emit())
        self._show_dates(False)

    def set_choices(self, levels: list[str], teams: list[str]) -> None:
        """The severities and teams of the workspace; a choice still offered is kept."""
        for combo, values in ((self.severity, levels), (self.team, teams)):
            kept = combo.currentText()
            combo.blockSignals(True)
            combo.clear()
            combo.addItems([ALL, *values])
            combo.setCurrentText(kept if kept in values else ALL)
            combo.blockSignals(False)

    def days(self, today: date) -> tuple[date | None, date | None]:
        """The first and last day chosen (None: open-ended)."""
        if self.period.currentText() == CUSTOM:
            return self.first.date().toPython(), self.last.date().toPython()  # type: ignore[return-value]
        return preset_days(self.period.currentText(), today)

    def chosen_severity(self) -> str | None:
        """The severity chosen, or None for all."""
        text = self.severity.currentText()
        return None if text in ("", ALL) else text

    def chosen_team(self) -> str | None:
        """The team chosen, or None for all."""
        text = self.team.currentText()
        return None if text in ("", ALL) else text

    def chosen_tickets(self) -> int | None:
        """The tickets handled, or None when not known."""
        return self.tickets.value() or None

    def _on_period_changed(self, text: str) -> None:
        self._show_dates(text == CUSTOM)
        self.changed.emit()

    def _show_dates(self, shown: bool) -> None:
        for widget in (self.first, self.last, self._to_label):
            widget.setVisible(shown)
