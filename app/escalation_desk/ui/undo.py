"""The base of every undo command: the first redo has already happened before the push."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import QMessageBox

from escalation_desk.services.errors import ChangedElsewhereError, NotAllowedError


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
        self._guarded(self.apply, "Redo")

    def undo(self) -> None:
        """Take the change back."""
        self._guarded(self.revert, "Undo")

    def apply(self) -> None:
        """Make the change (again)."""
        raise NotImplementedError

    def revert(self) -> None:
        """Take the change back."""
        raise NotImplementedError

    def _guarded(self, step: Callable[[], None], word: str) -> None:
        # Later edits can make a step impossible (a level escalations now use, a record
        # changed in another window, a team role that may not change it): say why, and drop
        # the step so the history stays true.
        try:
            step()
        except (ValueError, ChangedElsewhereError, NotAllowedError) as exc:
            self.setObsolete(True)
            QMessageBox.warning(None, f"{word} not possible", f"{self.text()}: {exc}")
