"""The Routing screen: try a route, edit and reorder rules with undo, the directory tabs."""

from __future__ import annotations

from collections.abc import Callable
from typing import cast

from PySide6.QtCore import QMimeData, QModelIndex, Qt, QTimer
from PySide6.QtWidgets import QAbstractItemView, QApplication, QComboBox, QDialogButtonBox
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from escalation_desk.services.directory import TeamSetup
from escalation_desk.store.errors import TeamRole
from escalation_desk.ui import theme
from escalation_desk.ui.main_window import MainWindow
from escalation_desk.ui.routing.directory import (
    AddPersonDialog,
    AddRoleDialog,
    RoleColumn,
    TeamColumn,
)
from escalation_desk.ui.routing.model import MIME_RULE, RuleColumn
from escalation_desk.ui.routing.page import RoutingPage
from escalation_desk.ui.tables import TableRowsModel
from escalation_desk.ui.team import Permits
from tests.ui.conftest import Messages

PAYMENTS_ROLE = "Payments on-call engineer"


def routing_page(window: MainWindow) -> RoutingPage:
    window.show_screen("routing")
    return cast(RoutingPage, window.screen_widget("routing"))


def test_try_a_route_names_team_role_person_and_the_rule(window: MainWindow) -> None:
    page = routing_page(window)
    page.try_box.setText("payments")
    text = page.try_result.text()
    assert "<b>Payments engineering</b>" in text
    assert "<b>Payments on-call engineer</b>" in text
    assert "rule 3 fired (module Payments)" in text
    assert page.rules.currentIndex().row() == 2
    page.try_box.setText("Something unheard of")
    assert "rule 12 fired (module *)" in page.try_result.text()


def test_editing_a_rule_is_saved_and_undoable(window: MainWindow, qtbot: QtBot) -> None:
    page = routing_page(window)
    index = page.rules_model.index(1, RuleColumn.ROLE)
    assert page.rules_model.setData(index, "Backend lead")
    qtbot.waitUntil(lambda: page.rules_model.index(1, RuleColumn.ROLE).data() == "Backend lead")
    window.undo_action.trigger()
    assert page.rules_model.index(1, RuleColumn.ROLE).data() == "Infra on-call lead"


def test_a_catch_all_moved_up_shadows_the_rules_below_it(window: MainWindow, qtbot: QtBot) -> None:
    page = routing_page(window)
    data = QMimeData()
    data.setData(MIME_RULE, b"12")
    page.rules_model.dropMimeData(data, Qt.DropAction.MoveAction, 0, 0, QModelIndex())
    qtbot.waitUntil(lambda: page.rules_model.index(0, RuleColumn.PATTERN).data() == "*")
    assert page.rules_model.index(0, RuleColumn.PATTERN).data() == "*"
    assert page.rules_model.index(1, RuleColumn.FIRES).data() == "never: rule 1 matches first"
    window.undo_action.trigger()
    assert page.rules_model.index(11, RuleColumn.PATTERN).data() == "*"
    assert page.rules_model.index(1, RuleColumn.FIRES).data() == "fires"


def test_the_directory_lists_roles_with_holder_and_backup(window: MainWindow) -> None:
    page = routing_page(window)
    row = page.roles_model.find("Dev Lead")
    assert row >= 0
    values = [page.roles_model.index(row, c).data() for c in range(4)]
    assert values[0] == "Dev Lead"
    assert values[2] != "vacant"


def test_routing_models_pass_the_model_tester(
    window: MainWindow, qtmodeltester: ModelTester
) -> None:
    page = routing_page(window)
    qtmodeltester.check(page.rules_model)
    qtmodeltester.check(page.roles_model)
    qtmodeltester.check(page.teams_model)
    qtmodeltester.check(page.people_model)


def choose_in_cell(page: RoutingPage, tab: str, row: int, column: int, label: str) -> None:
    """Open a directory cell's list, pick ``label`` and commit, as Return in the list does."""
    view = page.directory_views[tab]
    index = view.model().index(row, column)
    page.tabs.setCurrentWidget(view)
    view.setCurrentIndex(index)
    view.edit(index)
    editor = view.indexWidget(index)  # the open editor of this cell
    assert isinstance(editor, QComboBox)
    editor.setCurrentIndex(editor.findText(label))
    page.choices_delegates[tab].commitData.emit(editor)
    page.choices_delegates[tab].closeEditor.emit(editor)


def choose_person(page: RoutingPage, role: str, column: RoleColumn, person: str) -> None:
    """Choose ``person`` as the role's holder or backup."""
    choose_in_cell(page, "Roles", page.roles_model.find(role), column, person)


def cover_of(page: RoutingPage, role: str) -> tuple[str, str]:
    row = page.roles_model.find(role)
    return (
        page.roles_model.index(row, RoleColumn.HOLDER).data(),
        page.roles_model.index(row, RoleColumn.BACKUP).data(),
    )


def test_a_backup_chosen_in_the_roles_tab_is_stored_and_undoable(
    window: MainWindow, qtbot: QtBot
) -> None:
    page = routing_page(window)
    assert cover_of(page, PAYMENTS_ROLE) == ("Yusuf Kaya", "Grace Mwangi")
    choose_person(page, PAYMENTS_ROLE, RoleColumn.BACKUP, "none")
    qtbot.waitUntil(lambda: cover_of(page, PAYMENTS_ROLE) == ("Yusuf Kaya", "none"))
    backup = page.roles_model.index(page.roles_model.find(PAYMENTS_ROLE), RoleColumn.BACKUP)
    assert backup.data(Qt.ItemDataRole.ForegroundRole).name() == theme.colour("warn")
    assert window.undo_action.text() == f"&Undo Change who covers {PAYMENTS_ROLE}"
    window.undo_action.trigger()
    assert cover_of(page, PAYMENTS_ROLE) == ("Yusuf Kaya", "Grace Mwangi")


def test_a_new_holder_answers_the_route_tester(window: MainWindow, qtbot: QtBot) -> None:
    page = routing_page(window)
    choose_person(page, PAYMENTS_ROLE, RoleColumn.HOLDER, "Wei Chen")
    qtbot.waitUntil(lambda: cover_of(page, PAYMENTS_ROLE)[0] == "Wei Chen")
    page.try_box.setText("payments")
    assert "answered by <b>Wei Chen</b>" in page.try_result.text()


def test_the_holder_chosen_as_backup_is_refused_with_a_sentence(
    window: MainWindow, qtbot: QtBot, messages: Messages
) -> None:
    page = routing_page(window)
    choose_person(page, PAYMENTS_ROLE, RoleColumn.BACKUP, "Yusuf Kaya")
    qtbot.waitUntil(lambda: bool(messages.shown))
    assert "Yusuf Kaya cannot back up a role they hold" in messages.texts()[0]
    assert cover_of(page, PAYMENTS_ROLE) == ("Yusuf Kaya", "Grace Mwangi")
    assert not window.undo_action.isEnabled()


def test_a_linter_finding_about_a_backup_lands_on_the_backup_cell(window: MainWindow) -> None:
    page = routing_page(window)
    page.focus_location(PAYMENTS_ROLE, "backup")
    view = page.directory_views["Roles"]
    assert page.tabs.currentWidget() is view
    current = view.currentIndex()
    assert (current.row(), current.column()) == (
        page.roles_model.find(PAYMENTS_ROLE),
        RoleColumn.BACKUP,
    )


def test_only_a_lead_chooses_who_covers_a_role(window: MainWindow) -> None:
    page = routing_page(window)
    view = page.directory_views["Roles"]
    page.tabs.setCurrentWidget(view)
    page.apply_permits(Permits(TeamRole.AGENT))
    assert view.editTriggers() == QAbstractItemView.EditTrigger.NoEditTriggers
    assert "only a lead changes" in view.toolTip()
    assert page.cover_hint.isHidden()  # no invitation to do what is not allowed
    page.apply_permits(Permits(TeamRole.LEAD))
    assert view.editTriggers() != QAbstractItemView.EditTrigger.NoEditTriggers
    assert not page.cover_hint.isHidden()
    page.tabs.setCurrentIndex(0)
    assert page.cover_hint.isHidden()  # the flow diagram's tab
    assert view.dragDropMode() == QAbstractItemView.DragDropMode.NoDragDrop


def fill_add_person(
    name: str, team: str, email: str, then: Callable[[AddPersonDialog], None]
) -> None:
    """Once the Add a person dialog is open, type into it and hand it to ``then``."""

    def fill() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, AddPersonDialog)
        dialog.name_edit.setText(name)
        dialog.team_box.setCurrentIndex(dialog.team_box.findText(team))
        dialog.email_edit.setText(email)
        then(dialog)

    QTimer.singleShot(0, fill)


def press_add(dialog: AddPersonDialog) -> None:
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()


def row_texts(model: TableRowsModel, name: str) -> list[str]:
    """Every cell of the directory row that starts with ``name``, as shown."""
    row = model.find(name)
    return [model.index(row, column).data() for column in range(model.columnCount())]


def test_someone_added_on_the_people_tab_can_back_up_a_role_and_undo_takes_them_out(
    window: MainWindow, qtbot: QtBot
) -> None:
    page = routing_page(window)
    page.tabs.setCurrentWidget(page.directory_views["People"])
    assert not page.add_person_button.isHidden()
    fill_add_person("Ana Ruiz", "Payments engineering", "ana@qp.io", press_add)
    page.add_person_button.click()
    assert row_texts(page.people_model, "Ana Ruiz") == [
        "Ana Ruiz",
        "Payments engineering",
        "ana@qp.io",
    ]
    current = page.directory_views["People"].currentIndex()
    assert current.row() == page.people_model.find("Ana Ruiz")
    choose_person(page, PAYMENTS_ROLE, RoleColumn.BACKUP, "Ana Ruiz")
    qtbot.waitUntil(lambda: cover_of(page, PAYMENTS_ROLE) == ("Yusuf Kaya", "Ana Ruiz"))
    window.undo_action.trigger()  # the backup
    window.undo_action.trigger()  # the person
    assert page.people_model.find("Ana Ruiz") == -1


def test_a_refused_person_is_said_in_the_dialog_which_stays_open(window: MainWindow) -> None:
    page = routing_page(window)
    page.tabs.setCurrentWidget(page.directory_views["People"])
    said: list[str] = []

    def add_then_cancel(dialog: AddPersonDialog) -> None:
        press_add(dialog)
        said.append(dialog.error_label.text() if dialog.isVisible() else "closed")
        dialog.reject()

    fill_add_person("grace mwangi", "no team", "", add_then_cancel)
    page.add_person_button.click()
    assert said == ["There is already someone called Grace Mwangi in the directory."]
    assert not window.undo_action.isEnabled()


def test_a_role_added_on_the_roles_tab_is_offered_to_the_rules_and_undo_takes_it_out(
    window: MainWindow,
) -> None:
    page = routing_page(window)
    page.tabs.setCurrentWidget(page.directory_views["Roles"])
    assert page.add_person_button.isHidden()

    def fill(dialog: AddRoleDialog) -> None:
        dialog.name_edit.setText("Database on-call")
        dialog.team_box.setCurrentIndex(dialog.team_box.findText("Infra / SRE"))
        dialog.holder_box.setCurrentIndex(dialog.holder_box.findText("Grace Mwangi"))
        press_add(dialog)

    QTimer.singleShot(0, lambda: fill(cast(AddRoleDialog, QApplication.activeModalWidget())))
    page.add_role_button.click()
    assert row_texts(page.roles_model, "Database on-call") == [
        "Database on-call",
        "Infra / SRE",
        "Grace Mwangi",
        "none",
    ]
    assert "Database on-call" in page.delegate.roles  # a rule can now send to it
    window.undo_action.trigger()
    assert page.roles_model.find("Database on-call") == -1


def test_a_team_put_on_round_the_clock_hours_is_stored_and_undoable(
    window: MainWindow, qtbot: QtBot
) -> None:
    page = routing_page(window)
    team = "Product management"

    def shown() -> tuple[str, str]:
        row = page.teams_model.find(team)  # teams are listed by tier: rows move
        return (
            page.teams_model.index(row, TeamColumn.TIER).data(),
            page.teams_model.index(row, TeamColumn.HOURS).data(),
        )

    assert shown() == ("Tier 3", "Business hours")
    choose_in_cell(page, "Teams", page.teams_model.find(team), TeamColumn.HOURS, "24/7")
    qtbot.waitUntil(lambda: shown() == ("Tier 3", "24/7"))
    assert page.cover_hint.text() == "Double-click a tier or hours to change them"
    choose_in_cell(page, "Teams", page.teams_model.find(team), TeamColumn.TIER, "Tier 2")
    qtbot.waitUntil(lambda: shown() == ("Tier 2", "24/7"))
    current = page.directory_views["Teams"].currentIndex()
    assert current.siblingAtColumn(0).data() == team  # the changed team stays current
    window.undo_action.trigger()
    window.undo_action.trigger()
    assert shown() == ("Tier 3", "Business hours")


def test_a_stored_value_missing_from_the_list_is_kept_when_the_list_closes(
    window: MainWindow, qtbot: QtBot
) -> None:
    page = routing_page(window)
    page.teams_model.set_teams([("Vendor desk", TeamSetup(12, None))], [])  # tiers list 1-9
    view = page.directory_views["Teams"]
    index = page.teams_model.index(0, TeamColumn.TIER)
    view.edit(index)
    editor = view.indexWidget(index)
    assert isinstance(editor, QComboBox)
    assert editor.currentText() == "Tier 12"
    with qtbot.assertNotEmitted(page.teams_model.setup_requested):
        page.choices_delegates["Teams"].commitData.emit(editor)  # clicked away, unchanged
        page.choices_delegates["Teams"].closeEditor.emit(editor)
    assert row_texts(page.teams_model, "Vendor desk")[1] == "Tier 12"
