"""The Board screen as a lead uses it: create, move across columns and lanes, log an update."""

from __future__ import annotations

from pathlib import Path
from typing import cast

import pytest
from PySide6.QtWidgets import QInputDialog, QListWidget, QPushButton
from pytestqt.qtbot import QtBot

from escalation_desk.domain.lifecycle import Status
from escalation_desk.services.board import LaneKind
from escalation_desk.store.db import open_workspace
from escalation_desk.ui.board.new_dialog import NewEscalationDialog
from escalation_desk.ui.board.page import BoardPage
from escalation_desk.ui.main_window import MainWindow
from tests.ui.conftest import Messages


def board_page(window: MainWindow) -> BoardPage:
    window.show_screen("board")
    return cast(BoardPage, window.screen_widget("board"))


def status_of(page: BoardPage, ref: str) -> Status:
    return next(r.status for r in page._rows if r.ref == ref)


def timeline_texts(page: BoardPage) -> list[str]:
    timeline: QListWidget = page.detail.timeline
    return [timeline.item(i).text() for i in range(timeline.count())]


def test_an_escalation_created_through_the_dialog_lands_on_the_board(
    window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = board_page(window)

    def fill_and_create(dialog: NewEscalationDialog) -> int:
        dialog.ref.setText("SUP-9001")
        dialog.title.setText("Exports time out for large ledgers")
        dialog.customer.setText("Harbour Logistics")
        dialog.module.setText("Database")
        assert "Infra / SRE" in dialog.route.text()
        assert "chosen by rule 2" in dialog.route.text()
        dialog._on_create_clicked()  # without context it is refused, with a sentence
        assert "how customers are affected" in dialog.error.text()
        dialog.impact.setPlainText("Month-end exports fail for 3 customers")
        dialog.tried.setPlainText("Retried off-peak; smaller date ranges work")
        dialog.reproduce.setPlainText("Export FY2026 ledger from any large account")
        dialog._on_create_clicked()
        return int(dialog.result())

    monkeypatch.setattr(NewEscalationDialog, "exec", fill_and_create)
    page.new_button.click()
    assert page.view.current() == "SUP-9001"
    assert page.detail.ref == "SUP-9001"
    assert status_of(page, "SUP-9001") is Status.ESCALATED
    assert any("Escalated" in text for text in timeline_texts(page))
    deadlines = page.detail.deadlines
    assert deadlines.item(0).text().startswith("Response: on track — due ")


def test_dragging_a_card_to_another_column_moves_it_and_an_illegal_move_is_refused(
    window: MainWindow, qtbot: QtBot, messages: Messages
) -> None:
    page = board_page(window)
    lane = next(r for r in page._rows if r.ref == "SUP-4274").lane(LaneKind.TEAM)
    page.view.move_requested.emit("SUP-4274", Status.ACKNOWLEDGED.value, lane)
    qtbot.waitUntil(lambda: status_of(page, "SUP-4274") is Status.ACKNOWLEDGED)
    assert any("Acknowledged" in text for text in timeline_texts(page))
    page.view.move_requested.emit("SUP-4274", Status.NEW.value, lane)
    qtbot.waitUntil(lambda: bool(messages.shown))
    assert messages.shown[-1][1] == "Move refused"
    assert "cannot go from Acknowledged to New" in messages.shown[-1][2]
    assert status_of(page, "SUP-4274") is Status.ACKNOWLEDGED


def test_dragging_a_card_to_another_lane_reassigns_it(window: MainWindow, qtbot: QtBot) -> None:
    page = board_page(window)
    page.lanes.setCurrentIndex(page.lanes.findData(LaneKind.ROLE.value))
    row = next(r for r in page._rows if r.ref == "SUP-4236")
    page.view.move_requested.emit("SUP-4236", row.status.value, "Backend lead")
    qtbot.waitUntil(
        lambda: next(r for r in page._rows if r.ref == "SUP-4236").role == "Backend lead"
    )
    assert any("Reassigned" in text for text in timeline_texts(page))
    # The lead's lane choice is remembered.
    assert page._context.settings.value("board/lanes") == LaneKind.ROLE.value


def test_logging_an_update_shows_in_the_timeline_and_restarts_the_cadence(
    window: MainWindow, qtbot: QtBot
) -> None:
    page = board_page(window)
    page.focus_ref("SUP-4175")
    before = [page.detail.deadlines.item(i).text() for i in range(page.detail.deadlines.count())]
    assert any(text.startswith("Update: breached") for text in before)
    page.detail.update_text.setPlainText("Patch merged; deploying at 16:00")
    page.detail.findChild(QPushButton, "logUpdate").click()
    assert "Update by" in timeline_texts(page)[0]
    assert "Patch merged; deploying at 16:00" in timeline_texts(page)[0]
    after = [page.detail.deadlines.item(i).text() for i in range(page.detail.deadlines.count())]
    assert any(text.startswith("Update: on track") for text in after)
    assert page.detail.update_text.toPlainText() == ""


def test_search_and_filters_narrow_the_board(window: MainWindow, qtbot: QtBot) -> None:
    page = board_page(window)
    total = len(page._rows)
    page.search.setText("meridian")
    qtbot.waitUntil(lambda: page.count_label.text() == f"1 of {total} escalations")
    page.search.clear()
    page.breached_only.setChecked(True)
    breached = sum(r.breached for r in page._rows)
    assert page.count_label.text() == f"{breached} of {total} escalations"
    page.breached_only.setChecked(False)
    page.liaison.setCurrentText("No liaison")
    assert page.count_label.text() == f"3 of {total} escalations"


def test_the_watch_lists_breaches_first(window: MainWindow) -> None:
    page = board_page(window)
    first = page.watch.list.item(0).text()
    assert first.startswith("Breached")
    assert page.watch.title.text().startswith("Due to escalate · ")


def test_a_drop_on_a_new_lane_and_column_does_nothing_when_the_owner_is_not_chosen(
    window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = board_page(window)
    monkeypatch.setattr(QInputDialog, "getItem", staticmethod(lambda *_a, **_k: ("", False)))
    page.view.move_requested.emit("SUP-4274", Status.ACKNOWLEDGED.value, "Frontend")
    qtbot.wait(50)
    row = next(r for r in page._rows if r.ref == "SUP-4274")
    assert (row.status, row.team) == (Status.ESCALATED, "Infra / SRE")


def test_the_watch_follows_the_workspace_the_window_switches_to(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    page = board_page(window)
    assert page.watch.list.item(0).text().startswith("Breached")

    empty = tmp_path / "empty.escdesk"
    open_workspace(empty).close()  # a workspace with no escalations at all
    assert window.open_workspace(empty)
    window.show_screen("board")
    qtbot.waitUntil(lambda: page.watch.title.text() == "Due to escalate · 0")
    assert page.watch.list.item(0).text().startswith("Nothing is due")
