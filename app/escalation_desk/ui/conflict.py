"""Someone else saved the same record first: both versions side by side, and the user picks."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from enum import Enum
from typing import Any, TypeVar

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMessageBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

T = TypeVar("T")


class Choice(Enum):
    """What to do with a change that collided with someone else's."""

    THEIRS = "theirs"  # keep what they saved; mine is dropped
    MINE = "mine"  # save mine over theirs


def field_label(name: str) -> str:
    """A field's name as a heading: "target_response" -> "Target response"."""
    return name.replace("_", " ").capitalize()


def as_text(value: Any) -> str:
    """A field's value as a person reads it."""
    if value is None or value == ():
        return "—"
    if isinstance(value, tuple):
        return "\n".join(as_text(part) for part in value)
    if isinstance(value, Enum):
        return str(value.value).replace("_", " ")
    if hasattr(value, "sentence"):  # a trigger reads as its sentence
        return str(value.sentence())
    if hasattr(value, "describe"):  # a routing rule reads as its description
        return str(value.describe())
    # A record without words of its own lists its fields; a duration says "1 h 30 min".
    if dataclasses.is_dataclass(value) and "__str__" not in vars(type(value)):
        return ", ".join(
            f"{field_label(f.name).lower()}: {as_text(getattr(value, f.name))}"
            for f in dataclasses.fields(value)
        )
    return str(value)


def differences(mine: Any, theirs: Any) -> list[tuple[str, str, str]]:
    """The fields where two versions of one record differ: (field, mine, theirs)."""
    return [
        (field_label(f.name), as_text(getattr(mine, f.name)), as_text(getattr(theirs, f.name)))
        for f in dataclasses.fields(mine)
        if getattr(mine, f.name) != getattr(theirs, f.name)
    ]


class ConflictDialog(QDialog):
    """Both versions of the fields that differ; "Keep theirs" is the default."""

    def __init__(self, what: str, mine: Any, theirs: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Someone else saved this first")
        self.choice = Choice.THEIRS
        rows = differences(mine, theirs)
        intro = QLabel(
            f"{what} was changed and saved by someone else while you were editing it. "
            "Nothing of yours is saved yet. Choose which version to keep."
            if rows
            else f"{what} was saved by someone else with the same values as yours."
        )
        intro.setWordWrap(True)
        self.table = QTableWidget(len(rows), 3)
        self.table.setHorizontalHeaderLabels(["Field", "Yours", "Saved by someone else"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        for column in (1, 2):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        for row, cells in enumerate(rows):
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.table.resizeRowsToContents()
        self.table.setAccessibleName("The fields that differ, yours and theirs")
        buttons = QDialogButtonBox()
        self.keep_theirs = buttons.addButton("Keep theirs", QDialogButtonBox.ButtonRole.RejectRole)
        self.save_mine = buttons.addButton(
            "Save mine over theirs", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.keep_theirs.setDefault(True)
        self.keep_theirs.setToolTip("Drop your change and show what they saved")
        self.save_mine.setToolTip("Save your version; their change to these fields is replaced")
        self.save_mine.setEnabled(bool(rows))
        buttons.accepted.connect(self._choose_mine)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(640, 320)

    def _choose_mine(self) -> None:
        self.choice = Choice.MINE
        self.accept()


def ask_which(what: str, mine: Any, theirs: Any, parent: QWidget | None) -> Choice:
    """Show both versions and wait for the user's choice."""
    dialog = ConflictDialog(what, mine, theirs, parent)
    dialog.exec()
    return dialog.choice


def settle(
    parent: QWidget,
    what: str,
    mine: T,
    theirs_now: Callable[[], T | None],
    save: Callable[[T], None],
    refusal: Exception,
) -> T | None:
    """After a save refused because someone else saved first: show both, keep the choice.

    ``theirs_now`` re-reads the record (None when it is gone) and ``save`` stores mine over
    it. Returns the version mine replaced, or None when nothing of mine was saved.
    """
    theirs = theirs_now()
    if theirs is None:
        QMessageBox.warning(parent, "Change not made", str(refusal))
        return None
    if ask_which(what, mine, theirs, parent) is Choice.THEIRS:
        return None
    save(mine)
    return theirs
