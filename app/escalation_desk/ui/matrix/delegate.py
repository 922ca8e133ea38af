"""In-cell editors for the matrix grid: durations, roles, methods, owner pairs."""

from __future__ import annotations

from typing import Any, cast

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from escalation_desk.domain.durations import format_duration, try_parse_duration
from escalation_desk.ui.matrix.model import Column

Index = QModelIndex | QPersistentModelIndex

COMMON_METHODS = (
    "Jira + Teams with link",
    "Jira ticket + Slack channel",
    "Phone call + incident channel",
    "PagerDuty page",
    "E-mail with ticket link",
)


class DurationEditor(QWidget):
    """A line for what leads type ("2 hrs", "1 business day") and the value it will store."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAutoFillBackground(True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 4, 0)
        layout.setSpacing(6)
        self.line = QLineEdit()
        self.line.setObjectName("durationLine")
        self.line.setPlaceholderText("30 mins, 2 hrs, 1 business day")
        self.preview = QLabel()
        self.preview.setObjectName("durationPreview")
        layout.addWidget(self.line, 1)
        layout.addWidget(self.preview)
        self.line.textChanged.connect(self._on_line_text_changed)
        self.setFocusProxy(self.line)

    def text(self) -> str:
        """What was typed."""
        return self.line.text()

    def set_text(self, text: str) -> None:
        """Start from ``text``, selected so that typing replaces it."""
        self.line.setText(text)
        self.line.selectAll()

    @Slot(str)
    def _on_line_text_changed(self, text: str) -> None:
        if not text.strip():
            self.preview.setText("none")
            return
        parsed = try_parse_duration(text)
        self.preview.setText(f"= {format_duration(parsed)}" if parsed else "not a duration")
        self.preview.setProperty("bad", parsed is None)
        self.preview.style().unpolish(self.preview)
        self.preview.style().polish(self.preview)


class OwnerEditor(QWidget):
    """The post-escalation owner pair: engineer role and support liaison role."""

    def __init__(self, roles: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAutoFillBackground(True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        self.engineer = QComboBox()
        self.liaison = QComboBox()
        for combo, name in ((self.engineer, "Engineer role"), (self.liaison, "Support liaison")):
            combo.addItem("— none —", "")
            for role in roles:
                combo.addItem(role, role)
            combo.setAccessibleName(name)
            combo.setToolTip(name)
            layout.addWidget(combo, 1)
        self.setFocusProxy(self.engineer)

    def set_pair(self, engineer: str, liaison: str) -> None:
        """Select the current pair."""
        self.engineer.setCurrentIndex(max(0, self.engineer.findData(engineer)))
        self.liaison.setCurrentIndex(max(0, self.liaison.findData(liaison)))

    def pair(self) -> tuple[str, str]:
        """The chosen pair ("" for none)."""
        return str(self.engineer.currentData()), str(self.liaison.currentData())


class MatrixDelegate(QStyledItemDelegate):
    """Picks the fitting editor per column; the model turns values into edit requests."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._roles: list[str] = []
        self._methods: list[str] = list(COMMON_METHODS)

    def set_choices(self, roles: list[str], methods: list[str]) -> None:
        """The directory's role names, and the methods levels already use."""
        self._roles = roles
        self._methods = list(dict.fromkeys([*methods, *COMMON_METHODS]))

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        """A duration line, a role list, a method box, an owner pair or a plain line."""
        column = Column(index.column())
        if column in (Column.TARGET, Column.UPDATE):
            return DurationEditor(parent)
        if column is Column.CONTACTS:
            roles = QListWidget(parent)
            roles.setObjectName("contactsEditor")
            for name in self._roles:
                item = QListWidgetItem(name)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Unchecked)
                roles.addItem(item)
            return roles
        if column is Column.METHOD:
            methods = QComboBox(parent)
            methods.setEditable(True)
            methods.addItems(self._methods)
            return methods
        if column is Column.OWNER:
            return OwnerEditor(self._roles, parent)
        return super().createEditor(parent, option, index)

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        """Start the editor from the cell's value."""
        value = index.data(Qt.ItemDataRole.EditRole)
        if isinstance(editor, DurationEditor):
            editor.set_text(str(value))
        elif isinstance(editor, QListWidget):
            chosen = set(cast(list[str], value))
            for row in range(editor.count()):
                item = editor.item(row)
                state = Qt.CheckState.Checked if item.text() in chosen else Qt.CheckState.Unchecked
                item.setCheckState(state)
        elif isinstance(editor, QComboBox):
            editor.setCurrentText(str(value))
        elif isinstance(editor, OwnerEditor):
            editor.set_pair(*cast(tuple[str, str], value))
        else:
            super().setEditorData(editor, index)

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: Index) -> None:
        """Hand the edited value to the model, which asks for the change."""
        value: Any
        if isinstance(editor, DurationEditor):
            value = editor.text()
        elif isinstance(editor, QListWidget):
            value = [
                editor.item(row).text()
                for row in range(editor.count())
                if editor.item(row).checkState() == Qt.CheckState.Checked
            ]
        elif isinstance(editor, QComboBox):
            value = editor.currentText()
        elif isinstance(editor, OwnerEditor):
            value = editor.pair()
        else:
            super().setModelData(editor, model, index)
            return
        model.setData(index, value, Qt.ItemDataRole.EditRole)

    def updateEditorGeometry(
        self, editor: QWidget, option: QStyleOptionViewItem, index: Index
    ) -> None:
        """Editors that need room get more than the cell: lists drop down, pairs widen."""
        rect = option.rect
        if isinstance(editor, QListWidget):
            rect.setHeight(max(rect.height(), 200))
            rect.setWidth(max(rect.width(), 220))
        elif isinstance(editor, OwnerEditor):
            rect.setWidth(max(rect.width(), 340))
        elif isinstance(editor, DurationEditor):
            rect.setWidth(max(rect.width(), 240))
        editor.setGeometry(rect)
