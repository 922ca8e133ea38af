"""The base of every undo command: the first redo has already happened before the push."""

from __future__ import annotations

from PySide6.QtGui import QUndoCommand


class AppliedOnce(QUndoCommand):
    """A command whose first redo already happened: the page applied it before pushing, so
    that a refused edit (bad input) never reaches the undo history."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self._applied = True

    def redo(self) -> None:
        """Apply again, except right after the push."""
        if self._applied:
            self._applied = False
            return
        self.apply()

    def apply(self) -> None:
        """Make the change (again)."""
        raise NotImplementedError
