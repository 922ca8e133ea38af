"""Importing a helpdesk export onto the board: the file, its priorities' levels, then import."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QThread, Slot
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QProgressDialog,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from escalation_desk.spreadsheets.safety import SpreadsheetError
from escalation_desk.spreadsheets.tickets import ParsedTickets, TicketFormat
from escalation_desk.ui.board.columns_dialog import ColumnsDialog
from escalation_desk.ui.import_parts import file_row, problem_item

if TYPE_CHECKING:
    from escalation_desk.services.ticket_import import TicketImportReport, TicketImportService

log = logging.getLogger(__name__)

FILE_FILTER = "Helpdesk exports (*.csv *.xlsx *.xlsm *.ods);;All files (*)"
FORMAT_TITLES = {
    TicketFormat.AUTO: "Recognise from the header row",
    TicketFormat.SERVICENOW: "ServiceNow event log",
    TicketFormat.JIRA: "Jira",
    TicketFormat.ZENDESK: "Zendesk",
    TicketFormat.FRESHDESK: "Freshdesk",
    TicketFormat.GENERIC: "Any other tool",
}
CHOOSE_LEVEL = "— choose a level —"
NO_PRIORITY = "(no priority)"


class ExportReader(QThread):
    """Reads and checks an export off the UI thread; touches neither widgets nor the database."""

    def __init__(
        self,
        service: TicketImportService,
        path: Path,
        fmt: TicketFormat,
        mapping: dict[str, int],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._service, self._path, self._fmt, self._mapping = service, path, fmt, mapping
        self.parsed: ParsedTickets | None = None
        self.error = ""
        self.cancelled = False

    def cancel(self) -> None:
        """Drop the result when it comes (reading a file cannot be interrupted midway)."""
        self.cancelled = True

    def run(self) -> None:
        """Read the file; a failure becomes ``error``, a sentence for the dialog."""
        try:
            self.parsed = self._service.read(self._path, self._fmt, self._mapping or None)
        except SpreadsheetError as exc:
            self.error = str(exc)
        except Exception:  # logged and said: an uncaught error in a thread would vanish
            log.exception("Reading %s failed", self._path)
            self.error = f"{self._path.name} could not be read; the log file has the details."


class TicketImportDialog(QDialog):
    """Read the export, map each priority to a level, import every new ticket or none."""

    def __init__(self, service: TicketImportService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ticketImportDialog")
        self.setWindowTitle("Import escalations from a helpdesk export")
        self.setMinimumSize(760, 560)
        self._service = service
        self._codes = service.level_codes()
        self._path: Path | None = None
        self._parsed: ParsedTickets | None = None
        self.report: TicketImportReport | None = None
        self.reader: ExportReader | None = None
        self._columns: dict[str, int] = {}  # fields pointed at columns by hand

        self.file_label = QLabel("No file chosen yet.")
        self.format_combo = QComboBox()
        self.format_combo.setObjectName("ticketFormat")
        for fmt, title in FORMAT_TITLES.items():
            self.format_combo.addItem(title, fmt.value)
        self.format_combo.currentIndexChanged.connect(self._on_format_changed)
        self.summary = QLabel("Choose a CSV or Excel export from ServiceNow, Jira, Zendesk, …")
        self.summary.setObjectName("ticketSummary")
        self.summary.setWordWrap(True)
        self.priorities = QTableWidget(0, 2)
        self.priorities.setObjectName("priorityMapping")
        self.priorities.setHorizontalHeaderLabels(["Priority in the export", "Severity level"])
        self.priorities.verticalHeader().hide()
        self.priorities.horizontalHeader().setStretchLastSection(True)
        self.problems = QListWidget()
        self.problems.setObjectName("ticketProblems")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.import_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.import_button.setText("Import")
        self.import_button.setEnabled(False)
        self.buttons.accepted.connect(self._on_import_clicked)
        self.buttons.rejected.connect(self.reject)

        form = QFormLayout()
        form.addRow("File", file_row(self.file_label, self._on_choose_clicked, "chooseTicketFile"))
        self.columns_button = QPushButton("Columns…")
        self.columns_button.setObjectName("ticketColumns")
        self.columns_button.setToolTip("Say which column holds which field")
        self.columns_button.setEnabled(False)
        self.columns_button.clicked.connect(self._on_columns_clicked)
        written_by = QHBoxLayout()
        written_by.addWidget(self.format_combo, 1)
        written_by.addWidget(self.columns_button)
        form.addRow("Written by", written_by)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.summary)
        layout.addWidget(QLabel("Each priority in the export becomes one of your severity levels:"))
        layout.addWidget(self.priorities, 2)
        layout.addWidget(self.problems, 1)
        layout.addWidget(self.buttons)

    @property
    def chosen_format(self) -> TicketFormat:
        """The format chosen in the combo box."""
        return TicketFormat(self.format_combo.currentData())

    def mapping(self) -> dict[str, str]:
        """Each raw priority and the level chosen for it (unchosen ones left out)."""
        chosen: dict[str, str] = {}
        for row in range(self.priorities.rowCount()):
            combo = self.priorities.cellWidget(row, 1)
            raw = self.priorities.item(row, 0)
            if isinstance(combo, QComboBox) and combo.currentIndex() > 0 and raw is not None:
                chosen[str(raw.data(Qt.ItemDataRole.UserRole))] = combo.currentText()
        return chosen

    def load(self, path: Path) -> None:
        """Read ``path`` in the background, then show what importing it would do.

        A large export takes seconds to read; the window stays responsive, and Cancel drops
        what was read (nothing is written until Import).
        """
        self._path = path
        self._parsed = None
        self.file_label.setText(str(path))
        self.priorities.setRowCount(0)
        self.problems.clear()
        self.import_button.setEnabled(False)
        self.columns_button.setEnabled(False)
        self.summary.setText(f"Reading {path.name}…")
        if self.reader is not None:
            self.reader.cancel()  # its result would describe the file or layout left behind
        # Parented to the application, not the dialog: a thread still reading when the
        # dialog closes must not be destroyed with it. It is deleted once it has finished
        # (see _on_reader_finished and done).
        reader = ExportReader(
            self._service, path, self.chosen_format, self._columns, QApplication.instance()
        )
        quitting = QApplication.instance()
        if quitting is not None:
            quitting.aboutToQuit.connect(reader.wait)
        progress = QProgressDialog(f"Reading {path.name}…", "Cancel", 0, 0, self)
        progress.setObjectName("readingProgress")
        progress.setWindowTitle("Import escalations")
        progress.setMinimumDuration(400)  # a small file is read before the dialog would show
        progress.canceled.connect(reader.cancel)
        reader.finished.connect(progress.reset)
        # A slot of the dialog, so that Qt delivers it on the dialog's (UI) thread.
        reader.finished.connect(self._on_reader_finished)
        self.reader = reader
        reader.start()

    def done(self, result: int) -> None:
        """Close at once; a read still in progress is cancelled and ends on its own."""
        if self.reader is not None:
            self.reader.cancel()  # it finishes on its own; the window does not wait for it
            self.reader.finished.connect(self.reader.deleteLater)  # no one else will
            self.reader = None
        super().done(result)

    @Slot()
    def _on_reader_finished(self) -> None:
        reader = self.sender()
        if not isinstance(reader, ExportReader):
            return
        # Deleted from here rather than by its own finished signal: that deletion could run
        # before this slot and take the result with it.
        reader.deleteLater()
        if reader is not self.reader or not self._path:
            return  # a later file was chosen meanwhile, or the dialog was closed
        self.reader = None
        if reader.cancelled:
            self.summary.setText("Reading was cancelled; nothing was imported.")
            return
        if reader.parsed is None:
            self.summary.setText(reader.error)
            return
        self._parsed = reader.parsed
        self.columns_button.setEnabled(True)
        report = self._check(self._parsed, self._path)
        self._fill_priorities(report.priorities)
        self._show(self._parsed, report)

    def _check(self, parsed: ParsedTickets, path: Path) -> TicketImportReport:
        return self._service.apply(parsed, path.name, priorities=self.mapping(), dry_run=True)

    def _fill_priorities(self, mapped: dict[str, str | None]) -> None:
        # Most severe first, the priorities no level fits last.
        ordered = sorted(
            mapped.items(),
            key=lambda pair: (
                self._codes.index(pair[1]) if pair[1] in self._codes else 99,
                pair[0],
            ),
        )
        self.priorities.setRowCount(len(ordered))
        for row, (raw, code) in enumerate(ordered):
            item = QTableWidgetItem(raw or NO_PRIORITY)
            item.setData(Qt.ItemDataRole.UserRole, raw)
            self.priorities.setItem(row, 0, item)
            combo = QComboBox()
            combo.addItems([CHOOSE_LEVEL, *self._codes])
            combo.setCurrentIndex(self._codes.index(code) + 1 if code in self._codes else 0)
            combo.currentIndexChanged.connect(self._on_level_changed)
            self.priorities.setCellWidget(row, 1, combo)
        self.priorities.resizeColumnToContents(0)

    def _show(self, parsed: ParsedTickets, report: TicketImportReport) -> None:
        fresh = len(parsed.tickets) - len(report.skipped)
        already = f"; {len(report.skipped)} already on the board" if report.skipped else ""
        verdict = "nothing can be imported yet" if report.refused else f"{fresh} to import"
        self.summary.setText(
            f"{len(parsed.tickets)} tickets ({FORMAT_TITLES[parsed.format]}){already}: {verdict}."
        )
        self.problems.clear()
        for problem in report.problems:
            self.problems.addItem(problem_item(problem))
        self.import_button.setEnabled(not report.refused and fresh > 0)

    @Slot()
    def _on_choose_clicked(self) -> None:
        chosen, _ = QFileDialog.getOpenFileName(
            self, "Import escalations", str(Path.home()), FILE_FILTER
        )
        if chosen:
            self.load(Path(chosen))

    @Slot()
    def _on_format_changed(self) -> None:
        if self._path is not None:
            self._columns = {}  # another tool's layout: columns are matched afresh
            self.load(self._path)

    @Slot()
    def _on_columns_clicked(self) -> None:
        if self._parsed is None or self._path is None:
            return
        recognised = {k: v for k, v in self._parsed.mapping.items() if k not in self._columns}
        dialog = ColumnsDialog(self._parsed.headers, recognised, self._columns, self)
        if dialog.exec() == ColumnsDialog.DialogCode.Accepted:
            self._columns = dialog.mapping()
            self.load(self._path)

    @Slot()
    def _on_level_changed(self) -> None:
        if self._parsed is not None and self._path is not None:
            self._show(self._parsed, self._check(self._parsed, self._path))

    @Slot()
    def _on_import_clicked(self) -> None:
        if self._parsed is None or self._path is None:
            return
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            report = self._service.apply(self._parsed, self._path.name, priorities=self.mapping())
        finally:
            QApplication.restoreOverrideCursor()
        if report.refused:
            self._show(self._parsed, report)
            self.summary.setText(report.refused)
            return
        self.report = report
        self.accept()
