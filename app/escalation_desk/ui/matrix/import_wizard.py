"""The matrix import wizard: choose a file and sheet, match columns, check the preview, import."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Slot
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from escalation_desk.domain.durations import format_duration
from escalation_desk.services.importing import ImportMode, ImportReport
from escalation_desk.spreadsheets.matrix_import import (
    FIELD_TITLES,
    ParsedMatrix,
    Problem,
    find_header,
    format_step,
)
from escalation_desk.spreadsheets.safety import SpreadsheetError
from escalation_desk.ui.import_parts import PROBLEM_FILLS, file_row, problem_item
from escalation_desk.ui.matrix.versions_dialog import change_line

if TYPE_CHECKING:
    from escalation_desk.services.importing import ImportService
    from escalation_desk.spreadsheets.reading import Sheet

FILE_FILTER = "Spreadsheets (*.xlsx *.xlsm *.ods *.csv);;All files (*)"
NOT_IN_SHEET = "— not in the sheet —"
# The preview's columns: (title, the field whose problems mark the cell).
PREVIEW_COLUMNS = (
    ("Row", ""),
    ("Level", "severity"),
    ("Name", "name"),
    ("Target response", "target_response"),
    ("Contacts", "contacts"),
    ("Owner", "owner"),
    ("Method", "method"),
    ("Triggers", "triggers"),
    ("Steps", "steps"),
)


class ImportState:
    """What the pages share: the file's sheets, the chosen one, its header and the result."""

    def __init__(self, service: ImportService) -> None:
        self.service = service
        self.path: Path | None = None
        self.sheets: list[Sheet] = []
        self.sheet_index = 0
        self.header_row = 0  # 0-based
        self.mapping: dict[str, int] = {}
        self.parsed: ParsedMatrix | None = None
        self.report: ImportReport | None = None

    @property
    def sheet(self) -> Sheet | None:
        """The chosen sheet."""
        return self.sheets[self.sheet_index] if self.sheets else None

    def headers(self) -> list[str]:
        """The header row's cells as text."""
        sheet = self.sheet
        if sheet is None or self.header_row >= len(sheet.rows):
            return []
        return [str(v or "") for v in sheet.rows[self.header_row]]

    def cell_text(self, sheet_row: int, key: str) -> str:
        """The text of ``key``'s column in the sheet's row ``sheet_row`` (1-based)."""
        sheet, column = self.sheet, self.mapping.get(key)
        if sheet is None or column is None:
            return ""
        value = sheet.cell(sheet_row - 1, column)
        return "" if value is None else str(value)

    def find_header(self) -> bool:
        """Find the chosen sheet's header row and map its columns; False when there is none."""
        sheet = self.sheet
        found = find_header(sheet) if sheet is not None else None
        self.header_row, self.mapping = found if found else (0, {})
        return found is not None

    def parse(self) -> ParsedMatrix | None:
        """Read the levels with the current mapping."""
        sheet = self.sheet
        if sheet is None or "severity" not in self.mapping:
            self.parsed = None
        else:
            self.parsed = self.service.parse(sheet, (self.header_row, dict(self.mapping)))
        return self.parsed


class FilePage(QWizardPage):
    """Choose the file and the sheet; the one that looks like a matrix is proposed."""

    def __init__(self, state: ImportState) -> None:
        super().__init__()
        self._state = state
        self.setTitle("Choose the spreadsheet")
        self.setSubTitle("An .xlsx, .ods or .csv file holding your escalation matrix.")
        self.file_label = QLabel("No file chosen yet.")
        self.file_label.setObjectName("importFile")
        self.sheet_combo = QComboBox()
        self.sheet_combo.setObjectName("importSheet")
        self.sheet_combo.currentIndexChanged.connect(self._on_sheet_changed)
        self.status = QLabel()
        self.status.setObjectName("importStatus")
        self.status.setWordWrap(True)
        form = QFormLayout()
        form.addRow("File", file_row(self.file_label, self._on_choose_clicked, "chooseImportFile"))
        form.addRow("Sheet", self.sheet_combo)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addStretch(1)

    def load(self, path: Path) -> None:
        """Read ``path``; a file that cannot be read is said, and nothing else changes."""
        try:
            sheets, proposed = self._state.service.open_file(path)
        except SpreadsheetError as exc:
            self.status.setText(str(exc))
            self.completeChanged.emit()
            return
        self._state.path, self._state.sheets = path, sheets
        self.file_label.setText(str(path))
        self.sheet_combo.blockSignals(True)
        self.sheet_combo.clear()
        self.sheet_combo.addItems([s.name for s in sheets])
        self.sheet_combo.setCurrentIndex(proposed)
        self.sheet_combo.blockSignals(False)
        self._on_sheet_changed(proposed)

    def isComplete(self) -> bool:
        """Ready when the chosen sheet has a header row with a severity column."""
        return self._state.sheet is not None and "severity" in self._state.mapping

    @Slot()
    def _on_choose_clicked(self) -> None:
        chosen, _ = QFileDialog.getOpenFileName(
            self, "Import a matrix from a spreadsheet", str(Path.home()), FILE_FILTER
        )
        if chosen:
            self.load(Path(chosen))

    @Slot(int)
    def _on_sheet_changed(self, index: int) -> None:
        self._state.sheet_index = max(index, 0)
        if self._state.find_header():
            fields = ", ".join(FIELD_TITLES[key] for key in self._state.mapping)
            self.status.setText(
                f"Header on row {self._state.header_row + 1}; recognised columns: {fields}."
            )
        else:
            self.status.setText(
                "No matrix header in this sheet: one row needs a severity column "
                '("Severity", "Priority", "Sev", ...) and at least two other matrix columns.'
            )
        self.completeChanged.emit()


class ColumnsPage(QWizardPage):
    """Each field and the sheet column it is read from; every choice can be corrected."""

    def __init__(self, state: ImportState) -> None:
        super().__init__()
        self._state = state
        self.setTitle("Match the columns")
        self.setSubTitle("Columns were matched by their names. Correct any that are wrong.")
        self.combos: dict[str, QComboBox] = {}
        form = QFormLayout(self)
        for key, title in FIELD_TITLES.items():
            combo = QComboBox()
            combo.setObjectName(f"column_{key}")
            combo.currentIndexChanged.connect(self._on_choice_changed)
            self.combos[key] = combo
            form.addRow(title, combo)

    def initializePage(self) -> None:
        """Offer the header's columns, with the automatic matches chosen."""
        choices = [NOT_IN_SHEET, *self._state.headers()]
        for key, combo in self.combos.items():
            combo.blockSignals(True)
            combo.clear()
            combo.addItems(choices)
            column = self._state.mapping.get(key)
            combo.setCurrentIndex(column + 1 if column is not None else 0)
            combo.blockSignals(False)

    def isComplete(self) -> bool:
        """The severity column is needed; the rest are optional."""
        return "severity" in self._state.mapping

    @Slot()
    def _on_choice_changed(self) -> None:
        self._state.mapping = {
            key: combo.currentIndex() - 1
            for key, combo in self.combos.items()
            if combo.currentIndex() > 0
        }
        self.completeChanged.emit()


class PreviewPage(QWizardPage):
    """Every level as it will be stored, each problem on its cell, then replace or merge."""

    def __init__(self, state: ImportState) -> None:
        super().__init__()
        self._state = state
        self.setTitle("Check and import")
        self.setSubTitle("Each level as it will be stored. Coloured cells have a problem: hover.")
        self.table = QTableWidget(0, len(PREVIEW_COLUMNS))
        self.table.setObjectName("importPreview")
        self.table.setHorizontalHeaderLabels([title for title, _ in PREVIEW_COLUMNS])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setWordWrap(True)
        self.problems = QListWidget()
        self.problems.setObjectName("importProblems")
        self.summary = QLabel()
        self.summary.setObjectName("importSummary")
        self.summary.setWordWrap(True)
        self.replace_button = QRadioButton(
            "Replace the matrix: the sheet's levels become the matrix"
        )
        self.replace_button.setObjectName("importReplace")
        self.merge_button = QRadioButton(
            "Merge: add and update the sheet's levels, keep the others"
        )
        self.merge_button.setObjectName("importMerge")
        self.merge_button.setChecked(True)
        self._modes = QButtonGroup(self)
        self._modes.addButton(self.replace_button)
        self._modes.addButton(self.merge_button)
        self._modes.buttonToggled.connect(self._on_mode_toggled)
        self.changes = QListWidget()
        self.changes.setObjectName("importChanges")
        self.mode_box = QWidget()
        modes = QVBoxLayout(self.mode_box)
        modes.setContentsMargins(0, 0, 0, 0)
        modes.addWidget(QLabel("This workspace already has a matrix."))
        modes.addWidget(self.replace_button)
        modes.addWidget(self.merge_button)
        modes.addStretch(1)
        existing = QHBoxLayout()
        existing.addWidget(self.mode_box)
        existing.addWidget(self.changes, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 3)
        layout.addWidget(self.summary)
        layout.addWidget(self.problems, 1)
        layout.addLayout(existing, 1)

    @property
    def mode(self) -> ImportMode:
        """What happens to the matrix already in the workspace."""
        if not self._state.service.has_matrix():
            return ImportMode.NEW
        return ImportMode.REPLACE if self.replace_button.isChecked() else ImportMode.MERGE

    def initializePage(self) -> None:
        """Read the sheet with the chosen columns and show the result."""
        parsed = self._state.parse()
        self.mode_box.setVisible(self._state.service.has_matrix())
        self.changes.setVisible(self.mode_box.isVisibleTo(self))
        self.table.setRowCount(0)
        self.problems.clear()
        if parsed is None:
            self.summary.setText("Choose the severity column first.")
            return
        self._fill_table(parsed)
        self._fill_problems(parsed.problems)
        self._show_changes()
        errors = sum(p.severity == "error" for p in parsed.problems)
        new_roles = ", ".join(parsed.roles) or "none"
        self.summary.setText(
            f"{len(parsed.levels)} levels; new roles: {new_roles}. "
            + (
                f"{errors} errors to fix in the sheet before it can be imported."
                if errors
                else "Ready to import."
            )
        )
        self.completeChanged.emit()

    def _show_changes(self) -> None:
        """What the chosen mode would change in the workspace's matrix."""
        self.changes.clear()
        parsed = self._state.parsed
        if parsed is None or not self.mode_box.isVisibleTo(self):
            return
        changes = self._state.service.changes(parsed, self.mode)
        self.changes.addItems(
            [change_line(c, subject=True) for c in changes] or ["No changes to the matrix."]
        )

    @Slot()
    def _on_mode_toggled(self) -> None:
        self._show_changes()

    def isComplete(self) -> bool:
        """Import only a sheet without errors."""
        parsed = self._state.parsed
        return parsed is not None and parsed.ok and bool(parsed.levels)

    def _fill_table(self, parsed: ParsedMatrix) -> None:
        marks = self._marks(parsed)
        self.table.setRowCount(len(parsed.levels))
        for row, (level, source) in enumerate(zip(parsed.levels, parsed.source_rows, strict=True)):
            owners = [r for r in (level.engineer_role, level.liaison_role) if r]
            texts = (
                str(source),
                level.code,
                level.name,
                format_duration(level.target_response) if level.target_response else "",
                ", ".join(level.contacts),
                ", ".join(owners),
                level.method,
                "; ".join(t.sentence() for t in level.triggers),
                "; ".join(format_step(step) for step in level.steps),
            )
            for column, (text, (_, key)) in enumerate(zip(texts, PREVIEW_COLUMNS, strict=True)):
                mark = marks.get((source, key))
                if mark is not None and not text:
                    # What could not be read is shown as written, so the lead sees the cell.
                    text = self._state.cell_text(source, key)
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                if mark is not None:
                    item.setBackground(QBrush(QColor(PROBLEM_FILLS[mark.severity])))
                    item.setToolTip(mark.message)
                self.table.setItem(row, column, item)
        self.table.resizeColumnsToContents()
        for column in range(self.table.columnCount()):
            self.table.setColumnWidth(column, min(self.table.columnWidth(column), 260))

    def _marks(self, parsed: ParsedMatrix) -> dict[tuple[int, str], Problem]:
        """Each problem by (sheet row, field), the error kept when a cell has two."""
        by_title = {
            parsed.headers[column]: key
            for key, column in self._state.mapping.items()
            if column < len(parsed.headers)
        }
        by_title.update({title: key for key, title in FIELD_TITLES.items()})
        marks: dict[tuple[int, str], Problem] = {}
        for problem in parsed.problems:
            key = (problem.row, by_title.get(problem.column, ""))
            if key not in marks or problem.severity == "error":
                marks[key] = problem
        return marks

    def _fill_problems(self, problems: list[Problem]) -> None:
        for problem in problems:
            self.problems.addItem(problem_item(problem))

    def validatePage(self) -> bool:
        """Import; a refusal is shown on the page and the wizard stays open."""
        parsed = self._state.parsed
        if parsed is None:
            return False
        report = self._state.service.apply(parsed, mode=self.mode)
        self._state.report = report
        if report.refused:
            self.summary.setText(report.refused)
            return False
        return True


class MatrixImportWizard(QWizard):
    """Three steps from a lead's spreadsheet to the workspace's matrix, all or nothing."""

    def __init__(self, service: ImportService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("matrixImportWizard")
        self.setWindowTitle("Import a matrix from a spreadsheet")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setMinimumSize(900, 600)
        self.state = ImportState(service)
        self.file_page = FilePage(self.state)
        self.columns_page = ColumnsPage(self.state)
        self.preview_page = PreviewPage(self.state)
        for page in (self.file_page, self.columns_page, self.preview_page):
            self.addPage(page)
        self.setButtonText(QWizard.WizardButton.FinishButton, "Import")
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage)
