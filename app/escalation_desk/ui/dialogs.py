"""Dialogs of the File menu: a new workspace, and the messages shown for refused files."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from escalation_desk.paths import WORKSPACE_SUFFIX

WORKSPACE_FILTER = f"Escalation Desk workspaces (*{WORKSPACE_SUFFIX});;All files (*)"


class NewWorkspaceDialog(QDialog):
    """Asks where the new workspace goes and whether it starts empty or as the example."""

    def __init__(self, folder: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("New workspace")
        self.setObjectName("newWorkspaceDialog")
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.path_edit = QLineEdit(str(_free_name(folder)))
        self.path_edit.setObjectName("newWorkspacePath")
        self.path_edit.setAccessibleName("Workspace file")
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._on_browse_clicked)
        where = QHBoxLayout()
        where.addWidget(self.path_edit, 1)
        where.addWidget(browse)
        form.addRow("File", where)
        layout.addLayout(form)

        self.empty_choice = QRadioButton("Empty: start your own matrix, teams and roles")
        self.example_choice = QRadioButton(
            "Example: a support team with a P1-P3 matrix, routing and live escalations"
        )
        self.empty_choice.setObjectName("startEmpty")
        self.example_choice.setObjectName("startExample")
        self.empty_choice.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.empty_choice)
        group.addButton(self.example_choice)
        layout.addWidget(QLabel("Start with"))
        layout.addWidget(self.empty_choice)
        layout.addWidget(self.example_choice)

        self.error_label = QLabel("")
        self.error_label.setObjectName("badText")
        self.error_label.setWordWrap(True)
        layout.addWidget(self.error_label)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Create")
        buttons.accepted.connect(self._on_accepted)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    @property
    def path(self) -> Path:
        """The chosen file, with the workspace suffix added when missing."""
        raw = Path(self.path_edit.text().strip()).expanduser()
        return raw if raw.suffix == WORKSPACE_SUFFIX else raw.with_name(raw.name + WORKSPACE_SUFFIX)

    @property
    def with_example(self) -> bool:
        """Whether to fill the new workspace with the example."""
        return self.example_choice.isChecked()

    @Slot()
    def _on_browse_clicked(self) -> None:
        chosen, _ = QFileDialog.getSaveFileName(
            self, "New workspace", self.path_edit.text(), WORKSPACE_FILTER
        )
        if chosen:
            self.path_edit.setText(chosen)

    @Slot()
    def _on_accepted(self) -> None:
        if not self.path_edit.text().strip():
            self.error_label.setText("Choose a file for the new workspace.")
            return
        if self.path.exists():
            self.error_label.setText(f"{self.path.name} already exists; choose another name.")
            return
        self.accept()


def _free_name(folder: Path) -> Path:
    """``folder``/"New workspace.escdesk", numbered when that file exists."""
    candidate = folder / f"New workspace{WORKSPACE_SUFFIX}"
    number = 2
    while candidate.exists():
        candidate = folder / f"New workspace {number}{WORKSPACE_SUFFIX}"
        number += 1
    return candidate
