"""What the signed-in team role may do, and the sentence on every control it may not use."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QAbstractItemView, QWidget

from escalation_desk.services.errors import TeamRole

if TYPE_CHECKING:
    from escalation_desk.services.session import AppSession

# Where a control keeps the tip it had before a role took it away, to give it back.
_OWN_TIP = "escalationDeskOwnTip"
_OWN_TRIGGERS = "escalationDeskOwnEditTriggers"


@dataclass(frozen=True, slots=True)
class Permits:
    """The role of the person using the workspace; a local file's owner is its lead."""

    role: TeamRole = TeamRole.LEAD

    @property
    def edits_process(self) -> bool:
        """Whether they change the matrix, routing, checklists, walkthroughs and settings."""
        return self.role is TeamRole.LEAD

    @property
    def works_board(self) -> bool:
        """Whether they act on escalations: moves, updates, new ones, closure items."""
        return self.role in (TeamRole.LEAD, TeamRole.AGENT)

    @property
    def why_not_process(self) -> str:
        """Said on a matrix, routing, checklist or walkthrough control a role may not use."""
        return (
            f"You are signed in as {self.role.value}: only a lead changes the matrix, "
            "routing, checklists, walkthroughs and settings."
        )

    @property
    def why_not_board(self) -> str:
        """Said on a board control a manager may not use."""
        return (
            f"You are signed in as {self.role.value}: a manager reads and exports; "
            "leads and agents work the board."
        )


def permits_of(session: AppSession) -> Permits:
    """What the person using ``session``'s workspace may do (everything in a local file)."""
    return Permits(session.workspace.role) if session.is_open else Permits()


def permit(control: QWidget | QAction, allowed: bool, why: str) -> None:
    """Enable ``control`` when ``allowed``; else disable it and let its tooltip say ``why``.

    The control's own tip is kept and comes back when a workspace with another role opens.
    """
    own = control.property(_OWN_TIP)
    if own is None:
        own = control.toolTip()
        control.setProperty(_OWN_TIP, own)
    control.setEnabled(allowed)
    tip = str(own) if allowed else why
    control.setToolTip(tip)
    control.setStatusTip(tip)


def permit_editing(
    view: QAbstractItemView, allowed: bool, why: str, *, reorders: bool = True
) -> None:
    """Let ``view`` be read and selected, but edited (and, if it ``reorders`` rows by drag,
    reordered) only when ``allowed``."""
    own = view.property(_OWN_TRIGGERS)
    if own is None:
        own = view.editTriggers().value
        view.setProperty(_OWN_TRIGGERS, own)
    none = QAbstractItemView.EditTrigger.NoEditTriggers
    view.setEditTriggers(QAbstractItemView.EditTrigger(int(own)) if allowed else none)
    if reorders:
        view.setDragEnabled(allowed)
        view.setDragDropMode(
            QAbstractItemView.DragDropMode.InternalMove
            if allowed
            else QAbstractItemView.DragDropMode.NoDragDrop
        )
    view.setToolTip("" if allowed else why)
