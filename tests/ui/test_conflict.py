"""Two people saving the same level: the second sees both versions and chooses."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from escalation_desk.domain.durations import Duration
from escalation_desk.services.directory import DirectoryService, RoleCover
from escalation_desk.services.matrix import MatrixService
from escalation_desk.services.routing import RoutingService
from escalation_desk.store.db import Workspace, open_workspace
from escalation_desk.ui import conflict
from escalation_desk.ui.conflict import Choice, ConflictDialog, differences
from escalation_desk.ui.main_window import MainWindow
from escalation_desk.ui.matrix.model import Column
from escalation_desk.ui.routing.directory import RoleColumn
from escalation_desk.ui.routing.model import RuleColumn
from tests.ui.conftest import Messages
from tests.ui.test_matrix_page import cell, matrix_page, type_into_cell
from tests.ui.test_routing_page import PAYMENTS_ROLE, choose_person, cover_of, routing_page


@contextmanager
def _another_app(window: MainWindow) -> Iterator[Workspace]:
    """The window's workspace opened a second time, as another app on it would."""
    path = window._session.path
    assert path is not None
    other = open_workspace(path)
    try:
        yield other
    finally:
        other.close()


def _someone_else_sets_p1_target(window: MainWindow, minutes: int) -> None:
    """Another app on the same workspace saves P1 with a new target response."""
    with _another_app(window) as other:
        matrix = MatrixService(other)
        record = matrix.levels()[0]
        matrix.update_level(record, replace(record.level, target_response=Duration(minutes)))


@dataclass
class Asker:
    """Stands in for the dialog: answers ``answer`` and keeps what it was asked."""

    answer: Choice
    asked: list[tuple[str, Any, Any]] = field(default_factory=list)

    def __call__(self, what: str, mine: Any, theirs: Any, _parent: object) -> Choice:
        self.asked.append((what, mine, theirs))
        return self.answer


@pytest.fixture
def asker(monkeypatch: pytest.MonkeyPatch) -> Asker:
    fake = Asker(Choice.THEIRS)
    monkeypatch.setattr(conflict, "ask_which", fake)
    return fake


@pytest.mark.parametrize("choice", [Choice.THEIRS, Choice.MINE])
def test_the_second_save_shows_both_versions_and_keeps_the_chosen_one(
    window: MainWindow, qtbot: QtBot, asker: Asker, choice: Choice
) -> None:
    asker.answer = choice
    page = matrix_page(window)
    _someone_else_sets_p1_target(window, 45)
    type_into_cell(qtbot, page, "P1", Column.TARGET, "1 h")
    [(what, mine, theirs)] = asker.asked
    assert what == "Severity level P1"
    assert (str(mine.target_response), str(theirs.target_response)) == ("1 h", "45 min")
    kept = "45 min" if choice is Choice.THEIRS else "1 h"
    assert cell(page, "P1", Column.TARGET) == kept
    assert str(window._session.matrix().levels()[0].level.target_response) == kept
    # Undo takes back what was kept of mine, to what they had saved.
    if choice is Choice.MINE:
        window.undo_action.trigger()
        assert cell(page, "P1", Column.TARGET) == "45 min"


def test_the_dialog_lists_only_the_fields_that_differ(qtbot: QtBot, window: MainWindow) -> None:
    mine = window._session.matrix().levels()[0].level
    theirs = replace(mine, name="Outage", method="Page")
    rows = differences(mine, theirs)
    assert [row[0] for row in rows] == ["Name", "Method"]
    dialog = ConflictDialog("Severity level P1", mine, theirs)
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == 2
    assert dialog.table.item(0, 1).text() == mine.name
    assert dialog.table.item(0, 2).text() == "Outage"
    assert dialog.keep_theirs.isDefault()
    dialog.save_mine.click()
    assert dialog.choice is Choice.MINE


def test_a_routing_rule_saved_by_someone_else_first_can_be_kept_over(
    window: MainWindow, qtbot: QtBot, asker: Asker
) -> None:
    asker.answer = Choice.MINE
    page = routing_page(window)
    with _another_app(window) as other:
        routing = RoutingService(other)
        record = routing.rules()[1]
        routing.update_rule(record, replace(record.rule, pattern="Databases"))
    assert page.rules_model.setData(page.rules_model.index(1, RuleColumn.ROLE), "Backend lead")
    qtbot.waitUntil(lambda: len(asker.asked) == 1)
    [(what, mine, theirs)] = asker.asked
    assert what == "Routing rule 2"
    assert (mine.role, theirs.role, theirs.pattern) == (
        "Backend lead",
        "Infra on-call lead",
        "Databases",
    )
    qtbot.waitUntil(lambda: page.rules_model.index(1, RuleColumn.ROLE).data() == "Backend lead")
    # Mine was saved whole over theirs: their pattern is replaced by the one I saw.
    assert window._session.routing().rules()[1].rule == mine


def test_an_undo_refused_because_of_another_app_shows_the_stored_cover(
    window: MainWindow, qtbot: QtBot, messages: Messages
) -> None:
    page = routing_page(window)
    choose_person(page, PAYMENTS_ROLE, RoleColumn.BACKUP, "none")
    qtbot.waitUntil(lambda: cover_of(page, PAYMENTS_ROLE) == ("Yusuf Kaya", "none"))
    with _another_app(window) as other:
        DirectoryService(other).set_cover(
            PAYMENTS_ROLE, RoleCover("Yusuf Kaya", None), RoleCover("Yusuf Kaya", "Wei Chen")
        )
    window.undo_action.trigger()
    assert "changed in another window" in messages.texts()[-1]
    assert cover_of(page, PAYMENTS_ROLE) == ("Yusuf Kaya", "Wei Chen")  # what is stored now
