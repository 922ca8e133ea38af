"""Published versions of the matrix, and a readable diff between any two (or the draft)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QVBoxLayout,
    QWidget,
)

from escalation_desk.domain.versions import Change

if TYPE_CHECKING:
    from escalation_desk.services.versions import VersionService

_KIND_MARKS = {"added": "+", "removed": "-", "changed": "~"}


def change_line(change: Change, *, subject: bool = False) -> str:
    """One difference as a line: "+", "-" or "~", what it is about if asked, its sentence."""
    about = f"{change.subject[:1].upper()}{change.subject[1:]}: " if subject else ""
    return f"{_KIND_MARKS.get(change.kind.value, '•')}  {about}{change.text}"


class VersionsDialog(QDialog):
    """Pick two versions (or the draft) and read what changed between them."""

    def __init__(self, versions: VersionService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Matrix versions")
        self.setObjectName("versionsDialog")
        self.resize(760, 480)
        self._versions = versions
        self.old = QComboBox()
        self.new = QComboBox()
        self.old.setObjectName("diffFrom")
        self.new.setObjectName("diffTo")
        published = versions.versions()
        self.new.addItem("Draft (as it is now)", None)
        for info in published:
            label = f"Version {info.number} · {info.published_at:%d %b %Y} · {info.note}"
            self.old.addItem(label, info.number)
            self.new.addItem(label, info.number)
        self.changes = QListWidget()
        self.changes.setObjectName("diffChanges")
        self.summary = QLabel()
        self.summary.setObjectName("muted")
        pick = QHBoxLayout()
        pick.addWidget(QLabel("From"))
        pick.addWidget(self.old, 1)
        pick.addWidget(QLabel("to"))
        pick.addWidget(self.new, 1)
        layout = QVBoxLayout(self)
        if not published:
            layout.addWidget(QLabel("Nothing published yet: Publish… makes version 1."))
        layout.addLayout(pick)
        layout.addWidget(self.summary)
        layout.addWidget(self.changes, 1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout.addWidget(close)
        self.old.currentIndexChanged.connect(self._on_choice_changed)
        self.new.currentIndexChanged.connect(self._on_choice_changed)
        self._on_choice_changed()

    @Slot()
    def _on_choice_changed(self) -> None:
        self.changes.clear()
        if self.old.count() == 0:
            self.summary.setText("")
            return
        changes = self._versions.compare(self.old.currentData(), self.new.currentData())
        self.summary.setText(
            f"{len(changes)} change{'s' if len(changes) != 1 else ''}" if changes else "No changes."
        )
        for change in changes:
            self.changes.addItem(change_line(change))
