"""Closing through the loop on screen: refused with the reason, waived, closed; the review."""

from __future__ import annotations

from typing import cast

import pytest
from PySide6.QtWidgets import QInputDialog, QLineEdit, QPushButton
from pytestqt.qtbot import QtBot

from escalation_desk.domain.closure import ChecklistItem, Evidence, Gate
from escalation_desk.ui.board.page import BoardPage
from escalation_desk.ui.closure.page import ClosurePage
from escalation_desk.ui.closure.templates_dialog import TemplatesDialog
from escalation_desk.ui.main_window import MainWindow
from tests.ui.conftest import Messages


def test_closing_with_a_missing_blocking_item_is_refused_then_waived_and_closed(
    window: MainWindow, qtbot: QtBot, messages: Messages, monkeypatch: pytest.MonkeyPatch
) -> None:
    window.show_screen("board")
    page = cast(BoardPage, window.screen_widget("board"))
    page.focus_ref("SUP-4163")
    detail = page.detail
    detail.findChild(QPushButton, "move_closed").click()
    assert messages.shown[-1][1] == "Move refused"
    assert "still needs Team debriefed" in messages.shown[-1][2]
    assert next(r for r in page._rows if r.ref == "SUP-4163").status.value == "resolved"

    texts = [detail.checklist.item(i).text() for i in range(detail.checklist.count())]
    assert "○ Team debriefed — blocks closing" in texts
    monkeypatch.setattr(
        QInputDialog,
        "getText",
        staticmethod(lambda *_a, **_k: ("Covered in the weekly review", True)),
    )
    detail.checklist.setCurrentRow(texts.index("○ Team debriefed — blocks closing"))
    detail.waive_button.click()
    texts = [detail.checklist.item(i).text() for i in range(detail.checklist.count())]
    waived = texts.index("~ Team debriefed — waived")
    assert "Covered in the weekly review" in detail.checklist.item(waived).toolTip()

    detail.findChild(QPushButton, "move_closed").click()
    assert all(r.ref != "SUP-4163" for r in page._rows)  # closed: off the board


def test_the_closure_review_lists_what_it_should(window: MainWindow) -> None:
    window.show_screen("closure")
    page = cast(ClosurePage, window.screen_widget("closure"))
    assert page.rate.text().startswith("Closure-loop completion ")
    assert page.summary.text() == (
        "6 resolved escalations awaiting closure · 2 overdue follow-ups · 1 repeat group"
    )
    refs = [page.awaiting_model.index(r, 0).data() for r in range(page.awaiting_model.rowCount())]
    assert refs[0] == "SUP-4163"
    missing = page.awaiting_model.index(refs.index("SUP-4179"), 2).data()
    assert missing == "Root cause documented, Procedure / KB updated, Team debriefed"
    states = [page.follow_model.index(r, 1).data() for r in range(page.follow_model.rowCount())]
    assert states.count("OVERDUE") == 2
    assert page.repeats.item(0).text() == "Capacity in Database, twice: SUP-4102, SUP-4147"


def test_the_lead_edits_a_levels_checklist(window: MainWindow, qtbot: QtBot) -> None:
    window.show_screen("closure")
    page = cast(ClosurePage, window.screen_widget("closure"))
    assert page._session is not None
    dialog = TemplatesDialog(page._session.closure())
    qtbot.addWidget(dialog)
    dialog.level.setCurrentText("P3")
    assert [i.name for i in dialog.items()] == [
        "Root cause documented",
        "Procedure / KB updated",
        "Team debriefed",
    ]
    dialog._on_add_clicked()
    name = dialog.table.cellWidget(3, 0)
    assert isinstance(name, QLineEdit)
    name.setText("Customer told the fix is live")
    dialog.findChild(QPushButton, "saveTemplate").click()
    assert dialog.error.text() == "Saved the checklist of P3."
    assert page._session.closure().templates()["P3"][-1] == ChecklistItem(
        "Customer told the fix is live", (Evidence.TEXT,), Gate.WARNING
    )
    name.setText("Team debriefed")  # a duplicate name is refused, nothing saved
    dialog.findChild(QPushButton, "saveTemplate").click()
    assert "same name" in dialog.error.text()
    assert len(page._session.closure().templates()["P3"]) == 4


def test_a_follow_up_is_added_from_any_escalation(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    window.show_screen("board")
    page = cast(BoardPage, window.screen_widget("board"))
    page.focus_ref("SUP-4236")
    answers = iter(
        [
            ("Add a bank-file schema check to CI", True),
            ("Yusuf Kaya", True),
            ("https://jira.quillpay.example/browse/PAY-88", True),
        ]
    )
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *_a, **_k: next(answers)))
    monkeypatch.setattr(QInputDialog, "getInt", staticmethod(lambda *_a, **_k: (3, True)))
    page.detail.follow_up_button.click()
    window.show_screen("closure")
    review = cast(ClosurePage, window.screen_widget("closure"))
    actions = [
        review.follow_model.index(r, 4).data() for r in range(review.follow_model.rowCount())
    ]
    assert "Add a bank-file schema check to CI" in actions
