"""The Reports screen: the KPI dashboard for a period and filter, and the manager report."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Slot
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from escalation_desk.domain.kpis import KpiReport, period_bounds
from escalation_desk.reports.kpi_charts import charts
from escalation_desk.services.kpis import KpiFilter
from escalation_desk.ui.reports.charts import ChartCard
from escalation_desk.ui.reports.filters import FilterBar
from escalation_desk.ui.reports.replay import ReplayPanel
from escalation_desk.ui.widgets import StatTile, clear_layout

if TYPE_CHECKING:
    from escalation_desk.services.session import AppSession
    from escalation_desk.ui.screens import ScreenContext

REFILTER_MS = 250  # a moment after the last change, so typing a number recomputes once
COLUMNS = 2
SLA_WARNING = 0.9  # responses within target below this share are shown as a warning


def _share(value: float | None) -> str:
    return "—" if value is None else f"{value:.0%}"


def period_text(first: date | None, last: date | None) -> str:
    """The period as a reader says it: "1 Nov 2026 to 30 Nov 2026", "All time"."""
    if first is None and last is None:
        return "All time"
    start = f"{first.day} {first:%b %Y}" if first else "the beginning"
    end = f"{last.day} {last:%b %Y}" if last else "today"
    return f"{start} to {end}"


class ReportsPage(QWidget):
    """The dashboard tab (filters, headline tiles, charts) and the what-if replay tab."""

    def __init__(self, context: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reportsPage")
        self._context = context
        self._session: AppSession | None = None
        self._now: Callable[[], datetime] = lambda: datetime.now().astimezone()
        self.report: KpiReport | None = None
        self.last_export: Path | None = None

        self.filters = FilterBar()
        self._refilter = QTimer(self)
        self._refilter.setSingleShot(True)
        self._refilter.setInterval(REFILTER_MS)
        self._refilter.timeout.connect(self.recompute)
        self.filters.changed.connect(self._refilter.start)
        self.export_button = QPushButton("Export report…")
        self.export_button.setObjectName("exportReport")
        self.export_button.setToolTip("A PDF of this dashboard for managers")
        self.export_button.clicked.connect(self._on_export_clicked)
        bar = QHBoxLayout()
        bar.addWidget(self.filters, 1)
        bar.addWidget(self.export_button)

        self.tiles = {
            "escalations": StatTile("Escalations"),
            "sla": StatTile("Responses within target"),
            "reopen": StatTile("Reopened"),
            "bounces": StatTile("Reassignments per escalation"),
            "closure": StatTile("Closure loop complete"),
            "follow_ups": StatTile("Follow-ups overdue"),
        }
        tiles = QHBoxLayout()
        tiles.setSpacing(12)
        for tile in self.tiles.values():
            tiles.addWidget(tile)
        self.message = QLabel()
        self.message.setObjectName("reportMessage")
        self.message.setWordWrap(True)
        self.message.hide()
        self.grid = QGridLayout()
        self.grid.setSpacing(12)
        self.cards: list[ChartCard] = []

        content = QWidget()
        content.setObjectName("pageContent")
        inner = QVBoxLayout(content)
        inner.setContentsMargins(0, 0, 8, 0)
        inner.setSpacing(12)
        inner.addLayout(tiles)
        inner.addWidget(self.message)
        inner.addLayout(self.grid)
        inner.addStretch(1)
        scroll = QScrollArea()
        scroll.setObjectName("dashboardScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(content)

        dashboard = QWidget()
        dashboard.setObjectName("pageContent")
        dash_layout = QVBoxLayout(dashboard)
        dash_layout.setContentsMargins(16, 12, 16, 12)
        dash_layout.setSpacing(12)
        dash_layout.addLayout(bar)
        dash_layout.addWidget(scroll, 1)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("reportsTabs")
        self.tabs.addTab(dashboard, "Dashboard")
        self.replay = ReplayPanel()
        self.tabs.addTab(self.replay, "What-if replay")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)

    # -- ScreenWidget -------------------------------------------------------------------------
    def refresh_from(self, session: AppSession, now: datetime) -> None:
        """Re-read the choices and the KPIs."""
        self._session = session
        levels, teams = session.kpis().choices()
        self.filters.set_choices(levels, teams)
        self.replay.load(session)
        self.recompute()

    # -- the dashboard ------------------------------------------------------------------------
    def chosen(self) -> tuple[KpiFilter, str]:
        """The filter the bar describes, and its period in words."""
        first, last = self.filters.days(self._now().date())
        start, end = period_bounds(first, last)
        return (
            KpiFilter(start, end, self.filters.chosen_severity(), self.filters.chosen_team()),
            period_text(first, last),
        )

    @Slot()
    def recompute(self) -> None:
        """Compute the KPIs of the filter and redraw the tiles and charts."""
        self._refilter.stop()
        if self._session is None:
            return
        try:
            chosen, _ = self.chosen()
            report = self._session.kpis().report(
                self._now(), chosen, tickets=self.filters.chosen_tickets()
            )
        except ValueError as exc:
            self._say(str(exc))
            return
        self.report = report
        self._show_tiles(report)
        self._show_charts(report)
        if report.escalations == 0:
            self._say("No escalation in this period and filter; choose a longer period or All.")
        else:
            self.message.hide()

    def _say(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()

    def _show_tiles(self, report: KpiReport) -> None:
        known = sum(lv.sla_known for lv in report.by_severity)
        met = sum(lv.sla_met for lv in report.by_severity)
        sla = met / known if known else None
        mean = report.reassignments_mean
        overdue = report.closure.overdue_follow_ups
        self.tiles["escalations"].set_text(str(report.escalations))
        self.tiles["sla"].set_text(
            _share(sla), tone="warn" if sla is not None and sla < 0.9 else ""
        )
        self.tiles["reopen"].set_text(_share(report.reopen_rate))
        self.tiles["bounces"].set_text("—" if mean is None else f"{mean:.2f}")
        self.tiles["closure"].set_text(_share(report.closure.completion_rate))
        self.tiles["follow_ups"].set_text(str(overdue), tone="bad" if overdue else "")
        rate = report.escalation_rate
        self.tiles["escalations"].setToolTip(
            f"{rate:.1%} of the tickets handled"
            if rate is not None
            else "Tickets handled: not known"
        )

    def _show_charts(self, report: KpiReport) -> None:
        clear_layout(self.grid)
        self.cards = [ChartCard(chart) for chart in charts(report)]
        for n, card in enumerate(self.cards):
            self.grid.addWidget(card, n // COLUMNS, n % COLUMNS)

    # -- the manager report ---------------------------------------------------------------------
    @Slot()
    def _on_export_clicked(self) -> None:
        if self._session is None:
            return
        chosen, period = self.chosen()
        team = self._session.workspace.name
        proposal = Path.home() / f"{team} escalation report {self._now():%Y-%m-%d}.pdf"
        path, _ = QFileDialog.getSaveFileName(
            self, "Export report", str(proposal), "PDF document (*.pdf)"
        )
        if not path:
            return
        target = Path(path).with_suffix(".pdf")
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self._session.kpis().write_report(
                target,
                self._now(),
                chosen,
                tickets=self.filters.chosen_tickets(),
                team_name=team,
                period_text=period,
            )
        except (OSError, ValueError) as exc:
            QMessageBox.warning(self, "Cannot export the report", str(exc))
            return
        finally:
            QApplication.restoreOverrideCursor()
        self._say(f"Report written to {target}")
        self.last_export = target
