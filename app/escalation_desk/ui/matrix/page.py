"""The Matrix screen: the level grid, the selected level's ladder, the linter and versions."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QRectF, Qt, Slot
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QColorDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from escalation_desk.domain.durations import Duration
from escalation_desk.domain.lint import Finding, Severity, lint
from escalation_desk.domain.matrix import SeverityLevel
from escalation_desk.domain.snapshot import MatrixSnapshot
from escalation_desk.services.errors import ChangedElsewhereError
from escalation_desk.ui import conflict, theme
from escalation_desk.ui.diagrams.ladder import LadderData, LadderView, paint_ladder
from escalation_desk.ui.diagrams.save import export_buttons, save_diagram
from escalation_desk.ui.matrix.commands import (
    AddLevelCommand,
    EditLevelCommand,
    MoveLevelCommand,
    RemoveLevelCommand,
)
from escalation_desk.ui.matrix.delegate import MatrixDelegate
from escalation_desk.ui.matrix.import_wizard import MatrixImportWizard
from escalation_desk.ui.matrix.model import COLUMN_KEYS, Column, MatrixModel
from escalation_desk.ui.matrix.triggers_dialog import TriggersDialog
from escalation_desk.ui.matrix.versions_dialog import VersionsDialog
from escalation_desk.ui.screens import ScreenContext
from escalation_desk.ui.team import Permits, permit, permit_editing

if TYPE_CHECKING:
    from escalation_desk.services.matrix import LevelRecord, MatrixService
    from escalation_desk.services.session import AppSession

NEW_LEVEL_COLOUR = "#009E73"  # Okabe-Ito bluish green: distinct from the default P1-P3


class MatrixPage(QWidget):
    """Edits go through undo commands that call the matrix service; the page then reloads."""

    def __init__(self, context: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("matrixPage")
        self._context = context
        self._session: AppSession | None = None
        self._records: list[LevelRecord] = []
        self._holders: dict[str, str] = {}
        self._snapshot = MatrixSnapshot()
        self._permits = Permits()

        self.model = MatrixModel(self)
        self.delegate = MatrixDelegate(self)
        self.grid = QTableView()
        self.grid.setObjectName("matrixGrid")
        self.grid.setAccessibleName("Escalation matrix")
        self.grid.setModel(self.model)
        self.grid.setItemDelegate(self.delegate)
        self.grid.setWordWrap(True)
        self.grid.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.grid.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.grid.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.grid.setDragEnabled(True)
        self.grid.setDropIndicatorShown(True)
        self.grid.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        header = self.grid.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in (
            (Column.LEVEL, 112),
            (Column.TRIGGERS, 212),
            (Column.CONTACTS, 140),
            (Column.METHOD, 120),
            (Column.TARGET, 124),
            (Column.UPDATE, 96),
            (Column.OWNER, 170),
        ):
            self.grid.setColumnWidth(column, width)
        self.grid.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)

        self.empty_label = QLabel(
            "No severity levels yet. Add level creates P1; add more below it, most severe first."
        )
        self.empty_label.setObjectName("muted")

        self.add_button = QPushButton("Add level")
        self.remove_button = QPushButton("Remove level")
        self.colour_button = QPushButton("Colour…")
        self.triggers_button = QPushButton("Edit triggers…")
        self.publish_button = QPushButton("Publish…")
        self.versions_button = QPushButton("Versions…")
        self.import_button = QPushButton("Import…")
        self.version_label = QLabel()
        self.version_label.setObjectName("muted")
        for button, name, tip in (
            (self.add_button, "addLevel", "Add a severity level below the selected one"),
            (self.remove_button, "removeLevel", "Remove the selected level (undo brings it back)"),
            (self.colour_button, "levelColour", "Choose the selected level's colour"),
            (self.triggers_button, "editTriggers", "Edit the selected level's triggers"),
            (self.publish_button, "publishMatrix", "Publish the matrix and routing as a version"),
            (self.versions_button, "showVersions", "Published versions and what changed"),
            (self.import_button, "importMatrix", "Import a matrix from an Excel, ODS or CSV file"),
        ):
            button.setObjectName(name)
            button.setToolTip(tip)
            button.setStatusTip(tip)
        self.add_button.clicked.connect(self._on_add_clicked)
        self.remove_button.clicked.connect(self._on_remove_clicked)
        self.colour_button.clicked.connect(self._on_colour_clicked)
        self.triggers_button.clicked.connect(self._on_triggers_clicked)
        self.publish_button.clicked.connect(self._on_publish_clicked)
        self.versions_button.clicked.connect(self._on_versions_clicked)
        self.import_button.clicked.connect(self._on_import_clicked)

        toolbar = QHBoxLayout()
        for button in (
            self.add_button,
            self.remove_button,
            self.colour_button,
            self.triggers_button,
        ):
            toolbar.addWidget(button)
        toolbar.addStretch(1)
        toolbar.addWidget(self.import_button)
        toolbar.addWidget(self.version_label)
        toolbar.addWidget(self.publish_button)
        toolbar.addWidget(self.versions_button)

        self.findings = QListWidget()
        self.findings.setObjectName("lintFindings")
        self.findings.setWordWrap(True)
        self.findings.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.findings.setAccessibleName("Matrix linter findings")
        self.findings.itemActivated.connect(self._on_findings_item_activated)
        self.findings.itemClicked.connect(self._on_findings_item_activated)
        self.findings_title = QLabel("Linter")
        self.findings_title.setObjectName("cardTitle")

        self.ladder = LadderView()
        exports = export_buttons("Ladder", self._export)
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addWidget(self.ladder, 1)
        side_layout.addLayout(exports)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.empty_label)
        left_layout.addWidget(self.grid, 3)
        left_layout.addWidget(self.findings_title)
        left_layout.addWidget(self.findings, 1)

        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(side)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([860, 360])

        page = QVBoxLayout(self)
        page.setContentsMargins(16, 12, 16, 12)
        page.addLayout(toolbar)
        page.addWidget(splitter, 1)

        # Queued: the model is reset when an edit has been saved, which must not happen while
        # the view is still inside setData or a drop (its editor or drag would be torn down).
        queued = Qt.ConnectionType.QueuedConnection
        self.model.edit_requested.connect(self._on_model_edit_requested, queued)
        self.model.move_requested.connect(self._on_model_move_requested, queued)
        self.model.edit_rejected.connect(self._on_model_edit_rejected)
        self.grid.doubleClicked.connect(self._on_grid_double_clicked)
        self.grid.selectionModel().currentChanged.connect(self._on_grid_current_changed)

    # -- the window's calls ---------------------------------------------------------------
    def refresh_from(self, session: AppSession, now: datetime) -> None:
        """Read the matrix again (a new workspace, F5, or another window's change)."""
        if session is not self._session:
            self._context.undo_stack.clear()
        self._session = session
        self.reload()

    def apply_permits(self, permits: Permits) -> None:
        """Only a lead edits the matrix; others read it, its versions and its ladder."""
        self._permits = permits
        allowed, why = permits.edits_process, permits.why_not_process
        for button in (
            self.add_button,
            self.remove_button,
            self.colour_button,
            self.triggers_button,
            self.publish_button,
            self.import_button,
        ):
            permit(button, allowed, why)
        permit_editing(self.grid, allowed, why)

    def focus_location(self, row: str, column: str) -> None:
        """Select the cell a finding points at."""
        position = self.model.row_of(row)
        if position < 0:
            return
        index = self.model.index(position, COLUMN_KEYS.get(column, Column.LEVEL))
        self.grid.setCurrentIndex(index)
        self.grid.scrollTo(index)
        self.grid.setFocus()

    # -- MatrixEditor, for the undo commands ----------------------------------------------------
    def write_level(self, code: str, level: SeverityLevel) -> None:
        """Store ``level`` over the level now called ``code``.

        Only that level changed, so only its row is redrawn and the linter re-runs on the
        snapshot in memory: a big matrix answers as fast as a small one.
        """
        stored = self._service().update_level(self._record(code), level)
        row = next(i for i, r in enumerate(self._records) if r.level.code == code)
        self._records[row] = stored
        self.model.replace_row(row, stored)
        self._snapshot = replace(self._snapshot, levels=tuple(r.level for r in self._records))
        self._show_findings(lint(self._snapshot))
        self._show_ladder()

    def insert_level(self, level: SeverityLevel, rank: int) -> None:
        """Store a new level at ``rank``."""
        self._service().add_level(level, rank)
        self.reload(select=level.code)

    def delete_level(self, code: str) -> SeverityLevel:
        """Remove the level ``code``; returns it as it was."""
        removed = self._service().remove_level(self._record(code))
        self.reload()
        return removed

    def place_level(self, code: str, rank: int) -> None:
        """Move the level ``code`` to ``rank``."""
        self._service().move_level(code, rank)
        self.reload(select=code)

    # -- reading ------------------------------------------------------------------------------
    def reload(self, select: str | None = None) -> None:
        """Show the stored matrix, keep (or move) the selection, re-run the linter."""
        if self._session is None:
            return
        current = select or self._selected_code()
        column = max(0, self.grid.currentIndex().column())
        self._records, snapshot = self._service().editor_view()
        self._snapshot = snapshot
        self._holders = {r.name: r.holder for r in snapshot.roles if r.holder}
        self.model.set_rows(self._records)
        self.delegate.set_choices(
            [r.name for r in snapshot.roles], [lv.method for lv in snapshot.levels if lv.method]
        )
        self.empty_label.setVisible(not self._records)
        if self._records:
            row = self.model.row_of(current) if current else 0
            self.grid.setCurrentIndex(self.model.index(max(row, 0), column))
        self._show_findings(lint(snapshot))
        self._show_ladder()
        version = self._session.versions().in_force()
        self.version_label.setText(
            f"Editing the draft of version {version + 1}" if version else "Never published"
        )

    def _show_findings(self, findings: list[Finding]) -> None:
        self.findings.clear()
        errors = sum(f.severity is Severity.ERROR for f in findings)
        self.findings_title.setText(
            f"Linter: {errors} error{'s' if errors != 1 else ''}, "
            f"{len(findings) - errors} warning{'s' if len(findings) - errors != 1 else ''}"
            if findings
            else "Linter: no findings"
        )
        for finding in findings:
            mark = "✖" if finding.severity is Severity.ERROR else "⚠"
            item = QListWidgetItem(f"{mark}  {finding.message}")
            item.setData(Qt.ItemDataRole.UserRole, finding)
            item.setToolTip(f"{finding.code} · {finding.where} · click to go there")
            item.setForeground(
                QColor(theme.colour("bad" if finding.severity is Severity.ERROR else "caution"))
            )
            self.findings.addItem(item)

    def _show_ladder(self) -> None:
        code = self._selected_code()
        level = next((r.level for r in self._records if r.level.code == code), None)
        self.ladder.set_data(LadderData(level, self._holders) if level else None)

    # -- helpers --------------------------------------------------------------------------------
    def _service(self) -> MatrixService:
        assert self._session is not None
        return self._session.matrix()

    def _record(self, code: str) -> LevelRecord:
        record = next((r for r in self._records if r.level.code == code), None)
        if record is None:
            raise ChangedElsewhereError(f"Severity level {code} was changed in another window.")
        return record

    def _selected_code(self) -> str | None:
        index = self.grid.currentIndex()
        return self.model.record(index.row()).level.code if index.isValid() else None

    def _selected(self) -> LevelRecord | None:
        index = self.grid.currentIndex()
        return self.model.record(index.row()) if index.isValid() else None

    def _edit(self, before: SeverityLevel, after: SeverityLevel, text: str) -> None:
        """Apply once (a refusal is said, not recorded), then record the undo step."""
        try:
            self.write_level(before.code, after)
        except ValueError as exc:
            QMessageBox.warning(self, "Change not made", str(exc))
            return
        except ChangedElsewhereError as exc:
            kept_over = conflict.settle(
                self,
                f"Severity level {before.code}",
                after,
                lambda: self._reloaded(before.code),
                lambda level: self.write_level(before.code, level),
                exc,
            )
            if kept_over is None:
                return
            before = kept_over  # undo now brings back what the other person saved
        self._context.undo_stack.push(EditLevelCommand(self, before, after, text))

    def _reloaded(self, code: str) -> SeverityLevel | None:
        """The level as stored now, after showing the stored matrix again."""
        self.reload(select=code)
        return next((r.level for r in self._records if r.level.code == code), None)

    # -- slots ---------------------------------------------------------------------------------
    @Slot(str, object, object)
    def _on_model_edit_requested(self, code: str, before: object, after: object) -> None:
        assert isinstance(before, SeverityLevel)
        assert isinstance(after, SeverityLevel)
        column = Column(self.grid.currentIndex().column())
        self._edit(before, after, f"Change {code} {column.name.lower().replace('_', ' ')}")

    @Slot(str, int)
    def _on_model_move_requested(self, code: str, rank: int) -> None:
        old = self._record(code).level.rank
        self.place_level(code, rank)
        self._context.undo_stack.push(MoveLevelCommand(self, code, old, rank))

    @Slot(str)
    def _on_model_edit_rejected(self, message: str) -> None:
        QMessageBox.warning(self, "Change not made", message)

    @Slot(QModelIndex)
    def _on_grid_double_clicked(self, index: QModelIndex) -> None:
        if Column(index.column()) is Column.TRIGGERS and self._permits.edits_process:
            self._on_triggers_clicked()

    @Slot(QModelIndex, QModelIndex)
    def _on_grid_current_changed(self, _current: QModelIndex, _previous: QModelIndex) -> None:
        self._show_ladder()

    @Slot()
    def _on_add_clicked(self) -> None:
        if self._session is None:
            return
        selected = self._selected()
        rank = selected.level.rank + 1 if selected else len(self._records) + 1
        code = self._service().next_free_code()
        level = SeverityLevel(
            code=code,
            name="New level",
            rank=rank,
            colour=NEW_LEVEL_COLOUR,
            target_response=Duration(480, business=True),
        )
        try:
            self.insert_level(level, rank)
        except ValueError as exc:
            QMessageBox.warning(self, "Level not added", str(exc))
            return
        self._context.undo_stack.push(AddLevelCommand(self, level, rank))
        self.grid.edit(self.model.index(self.model.row_of(code), Column.LEVEL))

    @Slot()
    def _on_remove_clicked(self) -> None:
        selected = self._selected()
        if selected is None:
            return
        try:
            removed = self.delete_level(selected.level.code)
        except ValueError as exc:
            QMessageBox.warning(self, "Level not removed", str(exc))
            return
        self._context.undo_stack.push(RemoveLevelCommand(self, removed))

    @Slot()
    def _on_colour_clicked(self) -> None:
        selected = self._selected()
        if selected is None:
            return
        chosen = QColorDialog.getColor(QColor(selected.level.colour), self, "Level colour")
        if chosen.isValid():
            after = replace(selected.level, colour=chosen.name())
            self._edit(selected.level, after, f"Change {selected.level.code} colour")

    @Slot()
    def _on_triggers_clicked(self) -> None:
        selected = self._selected()
        if selected is None:
            return
        dialog = TriggersDialog(selected.level.label, selected.level.triggers, self)
        if dialog.exec() == TriggersDialog.DialogCode.Accepted:
            after = replace(selected.level, triggers=dialog.triggers())
            if after != selected.level:
                self._edit(selected.level, after, f"Change {selected.level.code} triggers")

    @Slot()
    def _on_publish_clicked(self) -> None:
        if self._session is None:
            return
        note, accepted = QInputDialog.getMultiLineText(
            self, "Publish the matrix", "What changed, in a sentence readers will understand:"
        )
        if not accepted:
            return
        try:
            info = self._session.versions().publish(note)
        except ValueError as exc:
            QMessageBox.warning(self, "Not published", str(exc))
            return
        self.reload()
        self.version_label.setText(f"Version {info.number} published")

    @Slot()
    def _on_versions_clicked(self) -> None:
        if self._session is not None:
            VersionsDialog(self._session.versions(), self).exec()

    @Slot()
    def _on_import_clicked(self) -> None:
        if self._session is None:
            return
        wizard = MatrixImportWizard(self._session.importer(), self)
        if wizard.exec() and wizard.state.report is not None:
            # Earlier edits' undo steps name levels the import may have replaced.
            self._context.undo_stack.clear()
            self.reload()
            report = wizard.state.report
            self.version_label.setText(f"Imported {report.imported} levels")

    @Slot(QListWidgetItem)
    def _on_findings_item_activated(self, item: QListWidgetItem) -> None:
        finding = item.data(Qt.ItemDataRole.UserRole)
        if isinstance(finding, Finding):
            where = finding.where
            if where.screen == "matrix":
                self.focus_location(where.row, where.column)
            else:
                # The directory (roles, teams) is shown on the Routing screen's tabs.
                screen = "routing" if where.screen == "directory" else where.screen
                self._context.navigate(screen, where.row, where.column)

    def _export(self, kind: str) -> None:
        data = self.ladder.data()
        if data is None:
            return

        def paint(painter: QPainter, rect: QRectF) -> None:
            paint_ladder(painter, rect, data)

        save_diagram(
            self,
            kind,
            what=f"{data.level.label} escalation path",
            file_stem=f"{data.level.code} escalation path",
            size=self.ladder.sizeHint(),
            paint=paint,
        )
