"""The Routing screen: try a route, edit and reorder rules with undo, the directory tabs."""

from __future__ import annotations

from typing import cast

from PySide6.QtCore import QMimeData, QModelIndex, Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from escalation_desk.ui.main_window import MainWindow
from escalation_desk.ui.routing.model import MIME_RULE, RuleColumn
from escalation_desk.ui.routing.page import RoutingPage


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
