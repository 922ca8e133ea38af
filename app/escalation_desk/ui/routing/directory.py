"""The directory's edits: a role's holder and backup and a team's tier and hours chosen in
place; new people and roles."""

from __future__ import annotations

from collections.abc import Callable
from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from escalation_desk.domain.directory import MAX_TIER
from escalation_desk.services.directory import NewPerson, NewRole, RoleCover, TeamSetup
from escalation_desk.ui import theme
from escalation_desk.ui.tables import TableRowsModel

Index = QModelIndex | QPersistentModelIndex


Choices = list[tuple[str, str]]  # (what the list shows, the value stored; "" for none)


class ChoiceCellsModel(TableRowsModel):
    """Directory rows whose editable cells are chosen from a list the model gives."""

    #: The columns chosen from a list.
    editable: frozenset[int] = frozenset()
    #: Header tooltips of those columns: what they mean and how to change them.
    tips: dict[int, str] = {}  # noqa: RUF012 - read only, replaced by subclasses

    def choices(self, column: int) -> Choices:
        """What a cell of ``column`` can be set to."""
        raise NotImplementedError

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        """Column titles; the editable ones say how to change them."""
        if role == Qt.ItemDataRole.ToolTipRole and orientation == Qt.Orientation.Horizontal:
            return self.tips.get(section)
        return super().headerData(section, orientation, role)

    def flags(self, index: Index) -> Qt.ItemFlag:
        """Cells with choices are edited in place."""
        base = super().flags(index)
        if index.isValid() and index.column() in self.editable:
            base |= Qt.ItemFlag.ItemIsEditable
        return base


class RoleColumn(IntEnum):
    """Columns of the Roles tab."""

    ROLE = 0
    TEAM = 1
    HOLDER = 2
    BACKUP = 3


ROLE_HEADERS = ["Role", "Team", "Holder", "Backup"]
# What an empty choice reads as, and the colour that marks it: a vacant role reaches no one.
NOBODY = {RoleColumn.HOLDER: ("vacant", "bad"), RoleColumn.BACKUP: ("none", "warn")}
COVER_TIPS: dict[int, str] = {
    RoleColumn.HOLDER: "Who answers escalations sent to this role; double-click to change",
    RoleColumn.BACKUP: "Who stands in when the holder is away; double-click to change",
}


class RolesModel(ChoiceCellsModel):
    """Roles with their team and cover; a changed holder or backup leaves as a request."""

    #: (role name, cover before, cover after)
    cover_requested = Signal(str, object, object)
    editable = frozenset(NOBODY)
    tips = COVER_TIPS

    def __init__(self, parent: Any = None) -> None:
        super().__init__(ROLE_HEADERS, parent)
        self._covers: list[RoleCover] = []
        self._people: list[str] = []

    def set_roles(self, roles: list[tuple[str, str | None, RoleCover]], people: list[str]) -> None:
        """Show ``roles`` as (name, team, cover), in the order given; ``people`` may cover them."""
        self._covers = [cover for _name, _team, cover in roles]
        self._people = sorted(people)
        self.set_rows(
            [
                (name, team or "—", cover.holder or "vacant", cover.backup or "none")
                for name, team, cover in roles
            ]
        )

    @property
    def people(self) -> list[str]:
        """Everyone who may hold or back up a role, by name."""
        return self._people

    def choices(self, column: int) -> Choices:
        """Nobody, then everyone in the directory."""
        return [(NOBODY[RoleColumn(column)][0], ""), *((p, p) for p in self._people)]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Cell text; a vacant role and a missing backup stand out in the linter's colours."""
        if not index.isValid():
            return None
        column = RoleColumn(index.column())
        if role == Qt.ItemDataRole.EditRole and column in NOBODY:
            return self._person(index.row(), column) or ""
        if role == Qt.ItemDataRole.ForegroundRole and column in NOBODY:
            if self._person(index.row(), column) is None:
                return QColor(theme.colour(NOBODY[column][1]))
            return None
        return super().data(index, role)

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        """Ask for the new cover; the table changes once it is stored."""
        if not index.isValid() or role != Qt.ItemDataRole.EditRole:
            return False
        column = RoleColumn(index.column())
        if column not in NOBODY:
            return False
        before = self._covers[index.row()]
        person = str(value or "").strip() or None
        if column is RoleColumn.HOLDER:
            after = RoleCover(person, before.backup)
        else:
            after = RoleCover(before.holder, person)
        if after == before:
            return False
        self.cover_requested.emit(self.data(self.index(index.row(), 0)), before, after)
        return True

    def _person(self, row: int, column: RoleColumn) -> str | None:
        cover = self._covers[row]
        return cover.holder if column is RoleColumn.HOLDER else cover.backup


class TeamColumn(IntEnum):
    """Columns of the Teams tab."""

    TEAM = 0
    TIER = 1
    HOURS = 2


AROUND_THE_CLOCK = "24/7"
TEAM_TIPS: dict[int, str] = {
    TeamColumn.TIER: "The support tier the team works at; double-click to change",
    TeamColumn.HOURS: "When the team answers: 24/7 or a calendar's hours; double-click to change",
}


class TeamsModel(ChoiceCellsModel):
    """Teams with their tier and hours; a change leaves as a request."""

    #: (team name, setup before, setup after)
    setup_requested = Signal(str, object, object)
    editable = frozenset({TeamColumn.TIER, TeamColumn.HOURS})
    tips = TEAM_TIPS

    def __init__(self, parent: Any = None) -> None:
        super().__init__(["Team", "Tier", "Hours"], parent)
        self._setups: list[TeamSetup] = []
        self._calendars: list[str] = []

    def set_teams(self, teams: list[tuple[str, TeamSetup]], calendars: list[str]) -> None:
        """Show ``teams`` as (name, setup), in the order given; ``calendars`` may be their hours."""
        self._setups = [setup for _name, setup in teams]
        self._calendars = list(calendars)
        self.set_rows(
            [
                (name, f"Tier {setup.tier}", setup.calendar or AROUND_THE_CLOCK)
                for name, setup in teams
            ]
        )

    def choices(self, column: int) -> Choices:
        """The tiers, or round the clock and then every calendar."""
        if column == TeamColumn.TIER:
            return [(f"Tier {tier}", str(tier)) for tier in range(1, MAX_TIER + 1)]
        return [(AROUND_THE_CLOCK, ""), *((c, c) for c in self._calendars)]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Cell text; the stored tier or calendar ("" for 24/7) while edited."""
        if index.isValid() and role == Qt.ItemDataRole.EditRole:
            setup = self._setups[index.row()]
            if index.column() == TeamColumn.TIER:
                return str(setup.tier)
            if index.column() == TeamColumn.HOURS:
                return setup.calendar or ""
        return super().data(index, role)

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        """Ask for the new tier or hours; the table changes once they are stored."""
        if not index.isValid() or role != Qt.ItemDataRole.EditRole:
            return False
        before = self._setups[index.row()]
        text = str(value or "").strip()
        if index.column() == TeamColumn.TIER and text.isdigit():
            after = TeamSetup(int(text), before.calendar)
        elif index.column() == TeamColumn.HOURS:
            after = TeamSetup(before.tier, text or None)
        else:
            return False
        if after == before:
            return False
        self.setup_requested.emit(self.data(self.index(index.row(), 0)), before, after)
        return True


class DirectoryChoiceDelegate(QStyledItemDelegate):
    """A combo box of the choices a ChoiceCellsModel gives for the cell."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        """The cell's choices, as the model lists them."""
        model = index.model()
        assert isinstance(model, ChoiceCellsModel)
        combo = QComboBox(parent)
        combo.setAccessibleName(str(model.headerData(index.column(), Qt.Orientation.Horizontal)))
        for label, value in model.choices(index.column()):
            combo.addItem(label, value)
        return combo

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        """Start on the value stored now, listed too if the choices lack it (closing the list
        must never change the cell)."""
        assert isinstance(editor, QComboBox)
        stored = index.data(Qt.ItemDataRole.EditRole)
        if editor.findData(stored) < 0:
            editor.addItem(str(index.data()), stored)
        editor.setCurrentIndex(editor.findData(stored))

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: Index) -> None:
        """Hand the chosen value ("" for none) to the model."""
        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentData())


class _AddDialog(QDialog):
    """A form that adds to the directory; a refusal is said here and the dialog stays open."""

    def __init__(self, title: str, intro: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(420)
        self.form = QFormLayout()
        self.error_label = QLabel("")
        self.error_label.setObjectName("badText")
        self.error_label.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Add")
        buttons.accepted.connect(self._on_accepted)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(intro))
        layout.addLayout(self.form)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)

    def choices(self, label: str, nobody: str, names: list[str]) -> QComboBox:
        """A form row choosing one of ``names``, or ``nobody`` (data "") first."""
        box = QComboBox()
        box.setAccessibleName(label.replace("&", ""))
        box.addItem(nobody, "")
        for name in names:
            box.addItem(name, name)
        self.form.addRow(label, box)
        return box

    def line(self, label: str, placeholder: str = "") -> QLineEdit:
        """A form row of text."""
        edit = QLineEdit()
        edit.setAccessibleName(label.replace("&", ""))
        edit.setPlaceholderText(placeholder)
        self.form.addRow(label, edit)
        return edit

    def add(self) -> None:
        """Store what the form says; ValueError says why it cannot be."""
        raise NotImplementedError

    @Slot()
    def _on_accepted(self) -> None:
        try:
            self.add()
        except ValueError as exc:
            self.error_label.setText(str(exc))
            return
        self.accept()


class AddPersonDialog(_AddDialog):
    """Name, team and e-mail of someone new."""

    def __init__(
        self, teams: list[str], add: Callable[[NewPerson], NewPerson], parent: QWidget | None = None
    ) -> None:
        super().__init__(
            "Add a person",
            "They can then hold or back up a role, and liaise on escalations.",
            parent,
        )
        self.setObjectName("addPersonDialog")
        self._add = add
        self.added: NewPerson | None = None
        self.name_edit = self.line("&Name")
        self.team_box = self.choices("&Team", "no team", teams)
        self.email_edit = self.line("&E-mail", "optional, e.g. name@example.com")

    def add(self) -> None:
        """Add the person."""
        self.added = self._add(
            NewPerson(
                self.name_edit.text(), self.team_box.currentData() or None, self.email_edit.text()
            )
        )


class AddRoleDialog(_AddDialog):
    """Name, team, holder and backup of a new named role."""

    def __init__(
        self,
        teams: list[str],
        people: list[str],
        add: Callable[[NewRole], NewRole],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            "Add a role",
            "Levels and routing rules can then send escalations to it.",
            parent,
        )
        self.setObjectName("addRoleDialog")
        self._add = add
        self.added: NewRole | None = None
        self.name_edit = self.line("&Name", "e.g. Database on-call")
        self.team_box = self.choices("&Team", "no team", teams)
        self.holder_box = self.choices("&Holder", "vacant", people)
        self.backup_box = self.choices("&Backup", "none", people)

    def add(self) -> None:
        """Add the role."""
        cover = RoleCover(
            self.holder_box.currentData() or None, self.backup_box.currentData() or None
        )
        self.added = self._add(
            NewRole(self.name_edit.text(), self.team_box.currentData() or None, cover)
        )
