"""Undo commands for matrix edits; each step calls the matrix service, never a widget."""

from __future__ import annotations

from typing import Protocol

from escalation_desk.domain.matrix import SeverityLevel
from escalation_desk.ui.undo import AppliedOnce


class MatrixEditor(Protocol):
    """What the commands need from the page: apply a change, then show the new state."""

    def write_level(self, code: str, level: SeverityLevel) -> None: ...
    def insert_level(self, level: SeverityLevel, rank: int) -> None: ...
    def delete_level(self, code: str) -> SeverityLevel: ...
    def place_level(self, code: str, rank: int) -> None: ...


class EditLevelCommand(AppliedOnce):
    """Any change to one level's fields: undo writes the level back as it was."""

    def __init__(
        self, editor: MatrixEditor, before: SeverityLevel, after: SeverityLevel, text: str
    ):
        super().__init__(text)
        self._editor = editor
        self._before = before
        self._after = after

    def apply(self) -> None:
        """Write the edited level."""
        self._editor.write_level(self._before.code, self._after)

    def revert(self) -> None:
        """Write the level as it was."""
        self._editor.write_level(self._after.code, self._before)


class AddLevelCommand(AppliedOnce):
    """A new level; undo removes it."""

    def __init__(self, editor: MatrixEditor, level: SeverityLevel, rank: int):
        super().__init__(f"Add level {level.code}")
        self._editor = editor
        self._level = level
        self._rank = rank

    def apply(self) -> None:
        """Insert the level again."""
        self._editor.insert_level(self._level, self._rank)

    def revert(self) -> None:
        """Remove the level."""
        self._editor.delete_level(self._level.code)


class RemoveLevelCommand(AppliedOnce):
    """A removed level; undo restores it, with its triggers and contacts, at its rank."""

    def __init__(self, editor: MatrixEditor, removed: SeverityLevel):
        super().__init__(f"Remove level {removed.code}")
        self._editor = editor
        self._removed = removed

    def apply(self) -> None:
        """Remove the level again."""
        self._editor.delete_level(self._removed.code)

    def revert(self) -> None:
        """Put the level back where it was."""
        self._editor.insert_level(self._removed, self._removed.rank)


class MoveLevelCommand(AppliedOnce):
    """A level dragged to another rank; undo moves it back."""

    def __init__(self, editor: MatrixEditor, code: str, old_rank: int, new_rank: int):
        super().__init__(f"Move level {code} to position {new_rank}")
        self._editor = editor
        self._code = code
        self._old = old_rank
        self._new = new_rank

    def apply(self) -> None:
        """Move the level to its new rank."""
        self._editor.place_level(self._code, self._new)

    def revert(self) -> None:
        """Move the level back."""
        self._editor.place_level(self._code, self._old)
