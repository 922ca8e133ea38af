"""The what-if replay tab: past tickets against the draft matrix and a published version."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from escalation_desk.domain.replay import Replay, Side
from escalation_desk.reports.replay_chart import replay_figure
from escalation_desk.spreadsheets.tickets import ParsedTickets, TicketFormat
from escalation_desk.ui.board.import_dialog import ExportReader
from escalation_desk.ui.reports.canvas import figure_widget

if TYPE_CHECKING:
    from escalation_desk.services.replay import ReplayReport
    from escalation_desk.services.session import AppSession

TICKET_FILES = "Helpdesk exports (*.csv *.xlsx *.xlsm *.ods);;All files (*)"
DRAFT_ONLY = "Nothing: the draft alone"
LEAVE_OUT = "Leave them out"
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


def _signed(change: int) -> str:
    return f"{change:+d}" if change else "0"


class ReplayPanel(QWidget):
    """Choose an export and a version; the file is read off the UI thread, then replayed."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("replayPanel")
        self._session: AppSession | None = None
        self.path: Path | None = None
        self.reader: ExportReader | None = None
        self.result: ReplayReport | None = None
        self._parsed: ParsedTickets | None = None

        self.choose = QPushButton("Choose past tickets…")
        self.choose.setObjectName("replayChoose")
        self.choose.setToolTip("A CSV or Excel export from ServiceNow, Jira, Zendesk, Freshdesk …")
        self.choose.clicked.connect(self._on_choose_clicked)
        self.file_label = QLabel("No file chosen.")
        self.file_label.setObjectName("muted")
        self.against = QComboBox()
        self.against.setObjectName("replayAgainst")
        self.against.setAccessibleName("Compare the draft with")
        self.run_button = QPushButton("Replay")
        self.run_button.setObjectName("replayRun")
        self.run_button.setEnabled(False)
        self.run_button.clicked.connect(self.run)
        top = QHBoxLayout()
        top.addWidget(self.choose)
        top.addWidget(self.file_label, 1)
        top.addWidget(QLabel("Compare the draft with"))
        top.addWidget(self.against)
        top.addWidget(self.run_button)

        self.summary = QLabel(
            "Replay past tickets against the matrix you are drafting, and against a published "
            "version, to see which teams and roles the change would load before you publish it."
        )
        self.summary.setObjectName("replaySummary")
        self.summary.setWordWrap(True)
        # Shown when the export has priorities no level matches: the lead picks one, or leaves
        # them out, and replays again.
        self.priorities = QTableWidget(0, 2)
        self.priorities.setObjectName("replayPriorities")
        self.priorities.setHorizontalHeaderLabels(["Priority in the export", "Severity level"])
        self.priorities.verticalHeader().hide()
        self.priorities.setMaximumHeight(120)
        self.priorities.hide()
        self.tables = QTabWidget()
        self.tables.setObjectName("replayTables")
        self.by_team = self._table("replayTeams")
        self.by_role = self._table("replayRoles")
        self.by_level = self._table("replayLevels")
        self.moved = self._table("replayMoved")
        for table, title in (
            (self.by_team, "By team"),
            (self.by_role, "By role"),
            (self.by_level, "By level"),
            (self.moved, "Tickets that move"),
        ):
            table.setAccessibleName(title)
            self.tables.addTab(table, title)
        self.chart_host = QWidget()
        self.chart_layout = QVBoxLayout(self.chart_host)
        self.chart_layout.setContentsMargins(0, 0, 0, 0)
        self.canvas: FigureCanvasQTAgg | None = None
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.tables)
        split.addWidget(self.chart_host)
        split.setSizes([520, 520])

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(10)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(self.priorities)
        layout.addWidget(split, 1)

    def load(self, session: AppSession) -> None:
        """The published versions to compare with."""
        self._session = session
        kept = self.against.currentData()
        self.against.clear()
        self.against.addItem(DRAFT_ONLY, None)
        for info in session.versions().versions():
            self.against.addItem(f"Version {info.number}: {info.note}", info.number)
        found = self.against.findData(kept)
        self.against.setCurrentIndex(max(found, 0))

    def choose_file(self, path: Path) -> None:
        """Take ``path`` as the export to replay."""
        self.path = path
        self._parsed = None
        self.priorities.setRowCount(0)
        self.priorities.hide()
        self.file_label.setText(path.name)
        self.run_button.setEnabled(True)

    @Slot()
    def run(self) -> None:
        """Read the export in a worker thread; the replay follows when it is read."""
        if self._session is None or self.path is None or self.reader is not None:
            return
        self.summary.setText(f"Reading {self.path.name}…")
        self.run_button.setEnabled(False)
        reader = ExportReader(
            self._session.ticket_importer(), self.path, TicketFormat.AUTO, {}, self
        )
        reader.finished.connect(self._on_read)
        self.reader = reader
        reader.start()

    @Slot()
    def _on_read(self) -> None:
        reader, self.reader = self.reader, None
        self.run_button.setEnabled(True)
        if reader is None or self._session is None or self.path is None:
            return
        if reader.parsed is None:
            self.summary.setText(reader.error)
            return
        self._parsed = reader.parsed
        self._replay()

    def _replay(self) -> None:
        if self._session is None or self._parsed is None or self.path is None:
            return
        try:
            report = self._session.replay().replay_parsed(
                self._parsed,
                self.path.name,
                against=self.against.currentData(),
                priorities=self.chosen_priorities(),
            )
        except ValueError as exc:
            self.summary.setText(str(exc))
            return
        self.result = report
        self._show(report.replay)
        self._offer_priorities(report.replay)

    def chosen_priorities(self) -> dict[str, str]:
        """The levels the lead chose for priorities the matrix does not name."""
        chosen = {}
        for row in range(self.priorities.rowCount()):
            item = self.priorities.item(row, 0)
            combo = self.priorities.cellWidget(row, 1)
            if item is not None and isinstance(combo, QComboBox) and combo.currentData():
                chosen[str(item.data(Qt.ItemDataRole.UserRole))] = str(combo.currentData())
        return chosen

    def _offer_priorities(self, result: Replay) -> None:
        """A level to choose for each priority left out (kept across runs of one file)."""
        chosen = self.chosen_priorities()
        unmapped = [raw for raw in result.b.unmapped_priorities if raw not in chosen]
        if not unmapped and not chosen:
            self.priorities.hide()
            return
        codes = (
            [lv.code for lv in self._session.onboarding().snapshot().levels]
            if self._session
            else []
        )
        rows = [*chosen, *unmapped]
        self.priorities.setRowCount(len(rows))
        for row, raw in enumerate(rows):
            item = QTableWidgetItem(raw or "(no priority)")
            item.setData(Qt.ItemDataRole.UserRole, raw)
            self.priorities.setItem(row, 0, item)
            combo = QComboBox()
            combo.addItem(LEAVE_OUT, None)
            for code in codes:
                combo.addItem(code, code)
            combo.setCurrentIndex(max(combo.findData(chosen.get(raw)), 0))
            combo.currentIndexChanged.connect(lambda _i: self._replay())
            self.priorities.setCellWidget(row, 1, combo)
        self.priorities.resizeColumnsToContents()
        self.priorities.show()

    def _show(self, result: Replay) -> None:
        self.summary.setText(_summary(result))
        a, b = result.a, result.b
        difference = result.difference
        if a is not None and difference is not None:
            headers = ("", a.label.capitalize(), "Draft", "Change")
            self._fill(self.by_team, headers, _sides(difference.by_team))
            self._fill(self.by_role, headers, _sides(difference.by_role))
            self._fill(
                self.moved,
                ("Ticket", "Escalated to", "Now to"),
                [
                    (
                        m.ref,
                        f"{m.a.team} → {m.a.role}" if m.a else "(no escalation)",
                        f"{m.b.team} → {m.b.role}" if m.b else "(no escalation)",
                    )
                    for m in difference.moved
                ],
            )
        else:
            self._fill(self.by_team, ("", "Draft"), [(k, str(v)) for k, v in b.by_team.items()])
            self._fill(self.by_role, ("", "Draft"), [(k, str(v)) for k, v in b.by_role.items()])
            self._fill(self.moved, ("Ticket",), [])
        self._fill(
            self.by_level,
            ("Level", "Tickets", "Escalations", "Response breaches", "Resolution breaches"),
            [
                (
                    code,
                    str(t.tickets),
                    str(t.escalations),
                    str(t.response_breaches),
                    str(t.resolution_breaches),
                )
                for code, t in b.by_level.items()
            ],
        )
        if self.canvas is not None:
            self.canvas.setParent(None)
            self.canvas.deleteLater()
        self.canvas = figure_widget(replay_figure(result), "replayChart")
        self.chart_layout.addWidget(self.canvas)

    def _table(self, name: str) -> QTableWidget:
        table = QTableWidget(0, 0)
        table.setObjectName(name)
        table.verticalHeader().hide()
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        return table

    def _fill(
        self, table: QTableWidget, headers: tuple[str, ...], rows: list[tuple[str, ...]]
    ) -> None:
        table.clear()
        table.setColumnCount(len(headers))
        table.setHorizontalHeaderLabels(list(headers))
        table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                item = QTableWidgetItem(text)
                if c and text[:1] in "+-0123456789":
                    item.setTextAlignment(RIGHT)
                table.setItem(r, c, item)
        table.resizeColumnsToContents()
        table.horizontalHeader().setStretchLastSection(True)

    @Slot()
    def _on_choose_clicked(self) -> None:
        chosen, _ = QFileDialog.getOpenFileName(self, "Past tickets to replay", "", TICKET_FILES)
        if chosen:
            self.choose_file(Path(chosen))


def _sides(sides: dict[str, Side]) -> list[tuple[str, ...]]:
    return [(name, str(s.a), str(s.b), _signed(s.change)) for name, s in sides.items()]


def _summary(result: Replay) -> str:
    """One paragraph: how many tickets, how many escalations under each matrix, the breaches,
    what was left out."""
    b, a = result.b, result.a
    parts = [f"{result.tickets:,} tickets replayed."]
    if a is not None and result.difference is not None:
        change = result.difference.escalations.change
        parts.append(
            f"The draft escalates {b.escalations:,} of them, {a.label} {a.escalations:,} "
            f"({_signed(change)}); {len(result.difference.moved):,} tickets would go to "
            "another team."
        )
    else:
        parts.append(f"The draft escalates {b.escalations:,} of them.")
    parts.append(
        f"Response targets missed: {b.response.breached:,} of {b.response.checked:,} checked"
        if b.response.checked
        else "The export gives no first-response times to check response targets against"
    )
    parts[-1] += (
        f"; resolution targets missed: {b.resolution.breached:,} of {b.resolution.checked:,}."
    )
    left_out = sum(b.unmapped_priorities.values())
    if left_out:
        names = ", ".join(f'"{raw}"' for raw in b.unmapped_priorities)
        parts.append(
            f"{left_out:,} tickets were left out: no level matches the priorities {names}; "
            "choose a level for them below."
        )
    return " ".join(parts)
