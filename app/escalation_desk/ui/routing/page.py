"""The Routing screen: rules in order, a route tester, the flow diagram and the directory."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar, cast

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, QRectF, Qt, Slot
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from escalation_desk.domain.routing import MatchOn, RoutingRule
from escalation_desk.services.directory import NewPerson, NewRole, RoleCover, TeamSetup
from escalation_desk.services.errors import ChangedElsewhereError
from escalation_desk.ui import conflict
from escalation_desk.ui.diagrams.flow import FlowData, FlowView, flow_size, paint_flow
from escalation_desk.ui.diagrams.save import export_buttons, save_diagram
from escalation_desk.ui.routing.commands import (
    AddRuleCommand,
    AddToDirectoryCommand,
    EditEntryCommand,
    EditRuleCommand,
    MoveRuleCommand,
    RemoveRuleCommand,
)
from escalation_desk.ui.routing.directory import (
    AddPersonDialog,
    AddRoleDialog,
    DirectoryChoiceDelegate,
    RoleColumn,
    RolesModel,
    TeamsModel,
)
from escalation_desk.ui.routing.model import (
    MATCH_TITLES,
    RuleColumn,
    RulesModel,
    rule_for_order,
)
from escalation_desk.ui.screens import ScreenContext
from escalation_desk.ui.tables import TableRowsModel
from escalation_desk.ui.team import Permits, permit, permit_editing

if TYPE_CHECKING:
    from escalation_desk.services.directory import DirectoryService
    from escalation_desk.services.routing import RoutingService, RuleRecord
    from escalation_desk.services.session import AppSession

Index = QModelIndex | QPersistentModelIndex
# The directory tabs whose cells are chosen in place, and what the hint beside the tabs says.
EDITED_IN_PLACE = {
    "Roles": "Double-click a holder or backup to choose who covers the role",
    "Teams": "Double-click a tier or hours to change them",
}
_Done = TypeVar("_Done")


class ChoiceDelegate(QStyledItemDelegate):
    """Combo boxes for the match kind, the team and the role."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.teams: list[str] = []
        self.roles: list[str] = []

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        """A combo box for choices, a line for the pattern."""
        column = RuleColumn(index.column())
        if column is RuleColumn.MATCH:
            combo = QComboBox(parent)
            for kind, title in MATCH_TITLES.items():
                combo.addItem(title, kind.value)
            return combo
        if column in (RuleColumn.TEAM, RuleColumn.ROLE):
            combo = QComboBox(parent)
            combo.addItems(self.teams if column is RuleColumn.TEAM else self.roles)
            return combo
        return super().createEditor(parent, option, index)

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        """Select the current value."""
        if isinstance(editor, QComboBox):
            value = str(index.data())
            found = editor.findData(value)
            editor.setCurrentIndex(found if found >= 0 else max(0, editor.findText(value)))
        else:
            super().setEditorData(editor, index)

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: Index) -> None:
        """Hand the chosen value to the model."""
        if isinstance(editor, QComboBox):
            data = editor.currentData()
            model.setData(index, data if data is not None else editor.currentText())
        else:
            super().setModelData(editor, model, index)


class RoutingPage(QWidget):
    """Edits go through undo commands that call the routing service; the page then reloads."""

    def __init__(self, context: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("routingPage")
        self._context = context
        self._session: AppSession | None = None
        self._records: list[RuleRecord] = []
        self._flow_data: FlowData | None = None
        self._edits_directory = True  # a lead's, until the permits say otherwise

        self.rules_model = RulesModel(self)
        self.delegate = ChoiceDelegate(self)
        self.rules = QTableView()
        self.rules.setObjectName("rulesTable")
        self.rules.setAccessibleName("Routing rules, first match wins")
        self.rules.setModel(self.rules_model)
        self.rules.setItemDelegate(self.delegate)
        self.rules.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.rules.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.rules.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.rules.setDragEnabled(True)
        self.rules.setDropIndicatorShown(True)
        self.rules.verticalHeader().hide()
        self.rules.horizontalHeader().setStretchLastSection(True)
        for column, width in (
            (RuleColumn.ORDER, 34),
            (RuleColumn.MATCH, 90),
            (RuleColumn.PATTERN, 170),
            (RuleColumn.TEAM, 190),
            (RuleColumn.ROLE, 220),
            (RuleColumn.ANSWERED_BY, 300),
        ):
            self.rules.setColumnWidth(column, width)

        self.add_button = add = QPushButton("Add rule")
        self.remove_button = remove = QPushButton("Remove rule")
        add.setObjectName("addRule")
        remove.setObjectName("removeRule")
        add.setToolTip("Add a rule below the selected one")
        remove.setToolTip("Remove the selected rule (undo brings it back)")
        add.clicked.connect(self._on_add_clicked)
        remove.clicked.connect(self._on_remove_clicked)
        hint = QLabel(
            "Rules are tried from the top; the first that matches decides. Drag to reorder."
        )
        hint.setObjectName("muted")

        self.try_box = QLineEdit()
        self.try_box.setObjectName("tryRoute")
        self.try_box.setAccessibleName("Try a route")
        self.try_box.setPlaceholderText("Try a route: type a module or issue type, e.g. Payments")
        self.try_box.setClearButtonEnabled(True)
        self.try_result = QLabel("")
        self.try_result.setObjectName("tryResult")
        self.try_result.setWordWrap(True)
        self.try_box.textChanged.connect(self._on_try_box_text_changed)

        toolbar = QHBoxLayout()
        toolbar.addWidget(add)
        toolbar.addWidget(remove)
        toolbar.addSpacing(16)
        toolbar.addWidget(self.try_box, 1)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addLayout(toolbar)
        left_layout.addWidget(self.try_result)
        left_layout.addWidget(hint)
        left_layout.addWidget(self.rules, 1)

        self.flow = FlowView()
        flow_scroll = QScrollArea()
        flow_scroll.setWidget(self.flow)
        flow_scroll.setWidgetResizable(True)
        flow_tab = QWidget()
        flow_layout = QVBoxLayout(flow_tab)
        flow_layout.setContentsMargins(0, 4, 0, 0)
        flow_layout.addWidget(flow_scroll, 1)
        flow_layout.addLayout(export_buttons("Flow", self._export))

        self.teams_model = TeamsModel(self)
        self.roles_model = RolesModel(self)
        self.people_model = TableRowsModel(["Person", "Team", "E-mail"], self)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("routingTabs")
        self.tabs.addTab(flow_tab, "Flow diagram")
        self.directory_views: dict[str, QTableView] = {}
        for title, model in (
            ("Roles", self.roles_model),
            ("Teams", self.teams_model),
            ("People", self.people_model),
        ):
            view = QTableView()
            view.setAccessibleName(title)
            view.setModel(model)
            view.verticalHeader().hide()
            view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
            view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
            self.tabs.addTab(view, title)
            self.directory_views[title] = view
        self.directory_views["Roles"].setObjectName("rolesTable")
        self.directory_views["Teams"].setObjectName("teamsTable")
        # One delegate per view: Qt ties a delegate's editor signals to every view it serves.
        self.choices_delegates = {title: DirectoryChoiceDelegate(self) for title in EDITED_IN_PLACE}
        for title, delegate in self.choices_delegates.items():
            self.directory_views[title].setItemDelegate(delegate)
        # Beside the tabs, for the tab on show: cells chosen from a list give no sign of it.
        self.cover_hint = QLabel("")
        self.cover_hint.setObjectName("muted")
        self.add_person_button = QPushButton("Add person…")
        self.add_person_button.setObjectName("addPerson")
        self.add_person_button.setToolTip("Add someone who can hold or back up a role")
        self.add_person_button.clicked.connect(self._on_add_person_clicked)
        corner = QWidget()
        corner_layout = QHBoxLayout(corner)
        corner_layout.setContentsMargins(0, 0, 0, 2)
        self.add_role_button = QPushButton("Add role…")
        self.add_role_button.setObjectName("addRole")
        self.add_role_button.setToolTip("Add a named role that levels and rules can send to")
        self.add_role_button.clicked.connect(self._on_add_role_clicked)
        corner_layout.addWidget(self.cover_hint)
        corner_layout.addWidget(self.add_role_button)
        corner_layout.addWidget(self.add_person_button)
        self.tabs.setCornerWidget(corner)
        self.tabs.currentChanged.connect(self._on_tab_changed)
        self._on_tab_changed(self.tabs.currentIndex())

        # Rules above, diagram and directory below: the flow needs the full width for its
        # three columns (issue types, teams, roles).
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(left)
        splitter.addWidget(self.tabs)
        splitter.setSizes([400, 340])
        page = QVBoxLayout(self)
        page.setContentsMargins(16, 12, 16, 12)
        page.addWidget(splitter, 1)

        # Queued, as on the Matrix screen: a saved edit resets the model, which must not happen
        # while the view is still inside setData or a drop.
        queued = Qt.ConnectionType.QueuedConnection
        self.rules_model.edit_requested.connect(self._on_rules_edit_requested, queued)
        self.rules_model.move_requested.connect(self._on_rules_move_requested, queued)
        self.roles_model.cover_requested.connect(self._on_cover_requested, queued)
        self.teams_model.setup_requested.connect(self._on_setup_requested, queued)

    # -- the window's calls ---------------------------------------------------------------
    def refresh_from(self, session: AppSession, now: datetime) -> None:
        """Read the rules and directory again."""
        if session is not self._session:
            self._context.undo_stack.clear()
        self._session = session
        self.reload()

    def apply_permits(self, permits: Permits) -> None:
        """Only a lead edits the rules and who covers a role; others read them and try routes."""
        allowed, why = permits.edits_process, permits.why_not_process
        permit(self.add_button, allowed, why)
        permit(self.remove_button, allowed, why)
        permit_editing(self.rules, allowed, why)
        for title in EDITED_IN_PLACE:
            permit_editing(self.directory_views[title], allowed, why, reorders=False)
        self._edits_directory = allowed
        self._on_tab_changed(self.tabs.currentIndex())

    def focus_location(self, row: str, column: str) -> None:
        """Select the rule (by order) or the directory row a finding points at."""
        if row.isdigit():
            position = int(row) - 1
            if 0 <= position < self.rules_model.rowCount():
                self.rules.selectRow(position)
                self.rules.setFocus()
                return
        for title, model in (("Roles", self.roles_model), ("Teams", self.teams_model)):
            found = model.find(row)
            if found >= 0:
                view = self.directory_views[title]
                self.tabs.setCurrentWidget(view)
                view.selectRow(found)
                if title == "Roles" and column in ("holder", "backup"):
                    # On the cell to change: a double-click or F2 opens the choice.
                    cell = RoleColumn.HOLDER if column == "holder" else RoleColumn.BACKUP
                    view.setCurrentIndex(model.index(found, cell))
                view.setFocus()
                return
        self.try_box.setText(row)  # an unrouted module: show what happens to it

    # -- RoutingEditor, for the undo commands ---------------------------------------------------
    def write_rule(self, order: int, rule: RoutingRule) -> None:
        """Store ``rule`` over the rule at ``order``."""
        self._service().update_rule(self._record(order), rule)
        self.reload()

    def insert_rule(self, rule: RoutingRule, position: int) -> None:
        """Store a new rule at ``position``."""
        self._service().add_rule(rule, position)
        self.reload(select=position)

    def delete_rule(self, order: int) -> RoutingRule:
        """Remove the rule at ``order``."""
        removed = self._service().remove_rule(self._record(order))
        self.reload()
        return removed

    def place_rule(self, order: int, position: int) -> None:
        """Move the rule at ``order`` to ``position``."""
        self._service().move_rule(order, position)
        self.reload(select=position)

    def insert_person(self, person: NewPerson) -> NewPerson:
        """Add someone to the directory; returns them as stored."""
        return self._directory_change(lambda directory: directory.add_person(person))

    def delete_person(self, name: str) -> None:
        """Take someone out of the directory."""
        self._directory_change(lambda directory: directory.remove_person(name))

    def insert_role(self, role: NewRole) -> NewRole:
        """Add a named role to the directory; returns it as stored."""
        return self._directory_change(lambda directory: directory.add_role(role))

    def delete_role(self, name: str) -> None:
        """Take a role out of the directory."""
        self._directory_change(lambda directory: directory.remove_role(name))

    def _directory_change(self, change: Callable[[DirectoryService], _Done]) -> _Done:
        """Make a change to the directory, then show the directory as stored (also when the
        change is refused because someone changed it meanwhile: an undo can meet that too)."""
        assert self._session is not None
        with self._reloaded_when_stale():
            done = change(self._session.directory())
        self.reload()
        return done

    def write_cover(self, role: str, seen: RoleCover, cover: RoleCover) -> None:
        """Store who holds and backs up ``role``; ``seen`` is the cover that was changed."""
        self._directory_change(lambda directory: directory.set_cover(role, seen, cover))

    def write_team_setup(self, team: str, seen: TeamSetup, setup: TeamSetup) -> None:
        """Store a team's tier and hours; ``seen`` is the setup that was changed."""
        self._directory_change(lambda directory: directory.set_team_setup(team, seen, setup))

    @contextmanager
    def _reloaded_when_stale(self) -> Iterator[None]:
        """Show the stored directory when a write finds it changed elsewhere."""
        try:
            yield
        except ChangedElsewhereError:
            self.reload()
            raise

    # -- reading ------------------------------------------------------------------------------
    def reload(self, select: int | None = None) -> None:
        """Show the stored rules and directory; redraw the flow."""
        if self._session is None:
            return
        current = select or (self.rules.currentIndex().row() + 1)
        service = self._service()
        self._records = service.rules()
        snapshot = self._session.matrix().snapshot()
        self.rules_model.set_rows(self._records)
        self.delegate.teams = [t.name for t in snapshot.teams]
        self.delegate.roles = [r.name for r in snapshot.roles]
        if self._records:
            self.rules.selectRow(max(0, min(current, len(self._records)) - 1))
        self._flow_data = FlowData(snapshot.routing, snapshot.roles, snapshot.teams)
        self.flow.set_data(self._flow_data)
        directory = self._session.directory()
        with self._current_cells_kept():
            self.teams_model.set_teams(
                [(t.name, TeamSetup(t.tier, t.calendar)) for t in snapshot.teams],
                directory.calendars(),
            )
            self.roles_model.set_roles(
                [(r.name, r.team, RoleCover(r.holder, r.backup)) for r in snapshot.roles],
                [p.name for p in snapshot.people],
            )
        self.people_model.set_rows([(p.name, p.team or "—", p.email) for p in snapshot.people])
        self._on_try_box_text_changed(self.try_box.text())

    # -- helpers --------------------------------------------------------------------------------
    def _service(self) -> RoutingService:
        assert self._session is not None
        return self._session.routing()

    def _record(self, order: int) -> RuleRecord:
        record = next((r for r in self._records if r.rule.order == order), None)
        if record is None:
            raise ChangedElsewhereError("The routing rules were changed in another window.")
        return record

    # -- slots ---------------------------------------------------------------------------------
    @Slot(int, object, object)
    def _on_rules_edit_requested(self, order: int, before: object, after: object) -> None:
        assert isinstance(before, RoutingRule)
        assert isinstance(after, RoutingRule)
        try:
            self.write_rule(order, after)
        except ValueError as exc:
            QMessageBox.warning(self, "Change not made", str(exc))
            return
        except ChangedElsewhereError as exc:
            kept_over = conflict.settle(
                self,
                f"Routing rule {order}",
                after,
                lambda: self._reloaded(order),
                lambda rule: self.write_rule(order, rule),
                exc,
            )
            if kept_over is None:
                return
            before = kept_over  # undo now brings back what the other person saved
        self._context.undo_stack.push(EditRuleCommand(self, before, after))

    def _reloaded(self, order: int) -> RoutingRule | None:
        """The rule as stored now, after showing the stored rules again."""
        self.reload(select=order)
        return next((r.rule for r in self._records if r.rule.order == order), None)

    @Slot(int)
    def _on_tab_changed(self, _index: int) -> None:
        shown, editable = self.tabs.currentWidget(), self._edits_directory
        hint = next((h for t, h in EDITED_IN_PLACE.items() if self.directory_views[t] is shown), "")
        self.cover_hint.setText(hint)
        self.cover_hint.setVisible(editable and bool(hint))
        self.add_role_button.setVisible(editable and shown is self.directory_views["Roles"])
        self.add_person_button.setVisible(editable and shown is self.directory_views["People"])

    @contextmanager
    def _current_cells_kept(self) -> Iterator[None]:
        """Keep the current cell of the in-place tables across a reload (the cell just changed),
        on the same team or role even when the reload orders the rows anew."""
        kept = []
        for title in EDITED_IN_PLACE:
            view = self.directory_views[title]
            model = cast(TableRowsModel, view.model())
            index = view.currentIndex()
            if index.isValid():
                kept.append((view, model, model.index(index.row(), 0).data(), index.column()))
        yield
        for view, model, name, column in kept:
            row = model.find(name)
            if row >= 0:
                view.setCurrentIndex(model.index(row, column))

    @Slot()
    def _on_add_person_clicked(self) -> None:
        if self._session is None:
            return
        teams = [t.name for t in self._session.matrix().snapshot().teams]
        dialog = AddPersonDialog(teams, self.insert_person, self)
        self._offer_added(dialog, self.insert_person, self.delete_person, "People")

    @Slot()
    def _on_add_role_clicked(self) -> None:
        if self._session is None:
            return
        teams = [t.name for t in self._session.matrix().snapshot().teams]
        dialog = AddRoleDialog(teams, self.roles_model.people, self.insert_role, self)
        self._offer_added(dialog, self.insert_role, self.delete_role, "Roles")

    def _offer_added(
        self,
        dialog: AddPersonDialog | AddRoleDialog,
        insert: Callable[[Any], object],
        remove: Callable[[str], None],
        tab: str,
    ) -> None:
        """Run an Add dialog; what it added goes on the undo history and is selected."""
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        added = dialog.added
        dialog.deleteLater()
        if not accepted or added is None:
            return
        name = added.name
        self._context.undo_stack.push(
            AddToDirectoryCommand(name, lambda: insert(added), lambda: remove(name))
        )
        view = self.directory_views[tab]
        view.selectRow(cast(TableRowsModel, view.model()).find(name))

    @Slot(str, object, object)
    def _on_cover_requested(self, role: str, before: object, after: object) -> None:
        def write(seen: RoleCover, cover: RoleCover) -> None:
            self.write_cover(role, seen, cover)

        self._change_entry(f"Change who covers {role}", write, before, after)

    @Slot(str, object, object)
    def _on_setup_requested(self, team: str, before: object, after: object) -> None:
        def write(seen: TeamSetup, setup: TeamSetup) -> None:
            self.write_team_setup(team, seen, setup)

        self._change_entry(f"Change {team}'s tier or hours", write, before, after)

    def _change_entry(
        self, text: str, write: Callable[[Any, Any], None], before: object, after: object
    ) -> None:
        """Store a directory change, then offer to undo it; a refusal is said and undone."""
        if self._session is None or not self._session.is_open:
            return  # an editor closed by the workspace closing
        try:
            write(before, after)
        except ValueError as exc:
            QMessageBox.warning(self, "Change not made", str(exc))
            return
        except ChangedElsewhereError as exc:  # the page shows what the other person stored
            QMessageBox.warning(self, "Change not made", str(exc))
            return
        self._context.undo_stack.push(EditEntryCommand(text, write, before, after))

    @Slot(int, int)
    def _on_rules_move_requested(self, order: int, position: int) -> None:
        self.place_rule(order, position)
        self._context.undo_stack.push(MoveRuleCommand(self, order, position))

    @Slot()
    def _on_add_clicked(self) -> None:
        if self._session is None:
            return
        selected = self.rules.currentIndex()
        position = selected.row() + 2 if selected.isValid() else len(self._records) + 1
        teams, roles = self.delegate.teams, self.delegate.roles
        if not teams or not roles:
            QMessageBox.warning(
                self, "Rule not added", "A rule sends to a team and a role: add them first."
            )
            return
        rule = RoutingRule(position, MatchOn.MODULE, "New module", teams[0], roles[0])
        self.insert_rule(rule, position)
        self._context.undo_stack.push(AddRuleCommand(self, rule))
        self.rules.edit(self.rules_model.index(position - 1, RuleColumn.PATTERN))

    @Slot()
    def _on_remove_clicked(self) -> None:
        selected = self.rules.currentIndex()
        if not selected.isValid():
            return
        removed = self.delete_rule(self.rules_model.record(selected.row()).rule.order)
        self._context.undo_stack.push(RemoveRuleCommand(self, removed))

    @Slot(str)
    def _on_try_box_text_changed(self, text: str) -> None:
        if self._session is None or not text.strip():
            self.try_result.setText(
                "Type a module or issue type above to see the team, role and person it reaches."
            )
            return
        answer = self._session.routing().try_route(text)
        if answer is None:
            self.try_result.setText(
                f"No rule matches “{text.strip()}”: it would go nowhere. "
                "A last rule matching “*” catches everything else."
            )
            return
        rule = answer.rule
        person = answer.person or "nobody (the role is vacant)"
        self.try_result.setText(
            f"→ <b>{rule.team}</b> → <b>{rule.role}</b>, answered by <b>{person}</b>"
            f"  ·  rule {rule.order} fired ({MATCH_TITLES[rule.match_on]} {rule.pattern})"
        )
        if rule_for_order(self._records, rule.order) is not None:
            self.rules.selectRow(rule.order - 1)

    def _export(self, kind: str) -> None:
        data = self._flow_data

        def paint(painter: QPainter, rect: QRectF) -> None:
            paint_flow(painter, rect, data)

        save_diagram(
            self,
            kind,
            what="routing paths",
            file_stem="routing",
            size=flow_size(data),
            paint=paint,
        )
