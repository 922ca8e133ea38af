"""The directory's edits: who holds and backs up each role, chosen in place; new people."""

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

from escalation_desk.services.directory import NewPerson, RoleCover
from escalation_desk.ui import theme
from escalation_desk.ui.tables import TableRowsModel

Index = QModelIndex | QPersistentModelIndex


class RoleColumn(IntEnum):
    """Columns of the Roles tab."""

    ROLE = 0
    TEAM = 1
    HOLDER = 2
    BACKUP = 3


ROLE_HEADERS = ["Role", "Team", "Holder", "Backup"]
# What an empty choice reads as, and the colour that marks it: a vacant role reaches no one.
NOBODY = {RoleColumn.HOLDER: ("vacant", "bad"), RoleColumn.BACKUP: ("none", "warn")}
COVER_TIPS = {
    RoleColumn.HOLDER: "Who answers escalations sent to this role; double-click to change",
    RoleColumn.BACKUP: "Who stands in when the holder is away; double-click to change",
}


class RolesModel(TableRowsModel):
    """Roles with their team and cover; a changed holder or backup leaves as a request."""

    #: (role name, cover before, cover after)
    cover_requested = Signal(str, object, object)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(ROLE_HEADERS, parent)
        self._covers: list[RoleCover] = []

    def set_roles(self, roles: list[tuple[str, str | None, RoleCover]]) -> None:
        """Show ``roles`` as (name, team, cover), in the order given."""
        self._covers = [cover for _name, _team, cover in roles]
        self.set_rows(
            [
                (name, team or "—", cover.holder or "vacant", cover.backup or "none")
                for name, team, cover in roles
            ]
        )

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        """Column titles; the editable ones say how to change them."""
        if role == Qt.ItemDataRole.ToolTipRole and orientation == Qt.Orientation.Horizontal:
            return COVER_TIPS.get(RoleColumn(section))
        return super().headerData(section, orientation, role)

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

    def flags(self, index: Index) -> Qt.ItemFlag:
        """Holder and backup are chosen in place."""
        base = super().flags(index)
        if index.isValid() and RoleColumn(index.column()) in NOBODY:
            base |= Qt.ItemFlag.ItemIsEditable
        return base

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


class PersonDelegate(QStyledItemDelegate):
    """A combo box of everyone in the directory, led by "vacant" or "none"."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.people: list[str] = []

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        """The people to choose from, nobody first."""
        combo = QComboBox(parent)
        combo.setAccessibleName(ROLE_HEADERS[index.column()])
        combo.addItem(NOBODY[RoleColumn(index.column())][0], "")
        for person in self.people:
            combo.addItem(person, person)
        return combo

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        """Start on the person who covers the role now."""
        assert isinstance(editor, QComboBox)
        editor.setCurrentIndex(max(0, editor.findData(index.data(Qt.ItemDataRole.EditRole))))

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: Index) -> None:
        """Hand the chosen person ("" for nobody) to the model."""
        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentData())


class AddPersonDialog(QDialog):
    """Name, team and e-mail of someone new; a refusal is said here and the dialog stays."""

    def __init__(
        self, teams: list[str], add: Callable[[NewPerson], NewPerson], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Add a person")
        self.setObjectName("addPersonDialog")
        self.setMinimumWidth(420)
        self._add = add
        self.added: NewPerson | None = None
        self.name_edit = QLineEdit()
        self.name_edit.setAccessibleName("Name")
        self.team_box = QComboBox()
        self.team_box.setAccessibleName("Team")
        self.team_box.addItem("no team", "")
        for team in teams:
            self.team_box.addItem(team, team)
        self.email_edit = QLineEdit()
        self.email_edit.setAccessibleName("E-mail")
        self.email_edit.setPlaceholderText("optional, e.g. name@example.com")
        form = QFormLayout()
        form.addRow("&Name", self.name_edit)
        form.addRow("&Team", self.team_box)
        form.addRow("&E-mail", self.email_edit)
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
        layout.addWidget(QLabel("They can then hold or back up a role, and liaise on escalations."))
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)

    @Slot()
    def _on_accepted(self) -> None:
        person = NewPerson(
            self.name_edit.text(), self.team_box.currentData() or None, self.email_edit.text()
        )
        try:
            self.added = self._add(person)
        except ValueError as exc:
            self.error_label.setText(str(exc))
            return
        self.accept()
