"""The Onboarding screen: the advisor end to end into a new escalation, and practice marked."""

from __future__ import annotations

from typing import cast

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from escalation_desk.ui.board.new_dialog import NewEscalationDialog
from escalation_desk.ui.board.page import BoardPage
from escalation_desk.ui.main_window import MainWindow
from escalation_desk.ui.onboarding.page import DERIVE, OnboardingPage


def onboarding(window: MainWindow) -> OnboardingPage:
    window.show_screen("onboarding")
    return cast(OnboardingPage, window.screen_widget("onboarding"))


def test_the_advice_becomes_an_escalation_on_the_board(
    window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = onboarding(window)
    advisor = page.advisor
    assert advisor.severity.currentText() == DERIVE
    advisor.module.setCurrentText("Billing")
    advisor.customers.setValue(12)
    advisor.elapsed.setText("20 min")
    qtbot.mouseClick(advisor.advise_button, Qt.MouseButton.LeftButton)
    assert advisor.decision.text() == "Escalate now · P1 Critical"
    assert "<td style='padding:2px 0'>Backend → Backend lead<br>" in advisor.answer.text()
    assert advisor.create_button.isEnabled()

    def fill_and_create(dialog: NewEscalationDialog) -> int:
        assert dialog.module.text() == "Billing"
        assert dialog.severity.currentText() == "P1"
        assert dialog.customers.value() == 12
        assert "10 or more customers affected" in dialog.impact.toPlainText()
        dialog.title.setText("Invoices fail to generate")
        dialog.customer.setText("Northwind")
        dialog.tried.setPlainText("Regenerated one invoice by hand")
        dialog.reproduce.setPlainText("Billing > Invoices > Generate")
        dialog._on_create_clicked()
        return int(dialog.result())

    monkeypatch.setattr(NewEscalationDialog, "exec", fill_and_create)
    advisor.create_button.click()
    board = cast(BoardPage, window.screen_widget("board"))
    created = next(r for r in board._rows if r.title == "Invoices fail to generate")
    assert (created.severity, created.team, created.role) == ("P1", "Backend", "Backend lead")


def test_the_answer_follows_the_facts_as_they_are_typed(window: MainWindow, qtbot: QtBot) -> None:
    advisor = onboarding(window).advisor
    advisor.module.setCurrentText("Billing")
    advisor.severity.setCurrentIndex(advisor.severity.findData("P2"))
    advisor.elapsed.clear()
    qtbot.keyClicks(advisor.elapsed, "1h")
    qtbot.waitUntil(lambda: advisor.decision.text().endswith(" · P2 High"))
    assert advisor.decision.text().startswith("Hold the line, escalate at ")
    assert "If there is still no progress: No progress after 4 h" in advisor.answer.text()
    qtbot.keyClick(advisor.elapsed, Qt.Key.Key_Home)
    qtbot.keyClicks(advisor.elapsed, "1")  # "11h": eleven hours without progress
    qtbot.waitUntil(lambda: advisor.decision.text() == "Escalate now · P2 High")
    assert "✓ No progress after 4 h: 11 h without progress" in advisor.answer.text()


def test_a_time_the_advisor_cannot_read_is_said_and_nothing_is_advised(window: MainWindow) -> None:
    advisor = onboarding(window).advisor
    advisor.elapsed.setText("a while")
    advisor.advise_button.click()
    assert advisor.answer.text().startswith('Could not read "a while" as a duration')
    assert not advisor.create_button.isEnabled()


def test_a_scenario_answered_right_then_wrong_is_marked_and_recorded(window: MainWindow) -> None:
    page = onboarding(window)
    practice = page.practice
    practice.agent.setText("Ana")
    scenario = practice.scenarios[practice.current]
    right = window._session.onboarding().advise(scenario.situation, practice._now())
    practice.decision.setCurrentIndex(0)  # escalate now
    practice.level.setCurrentText(right.level.code)
    practice.role.setCurrentText(right.role or "")
    practice.method.setCurrentText(right.level.method)
    practice.check_button.click()
    assert practice.result.text().startswith("Score 100%.")
    assert f"Matrix row 1 ({right.level.label}) decides." in practice.result.text()

    practice.decision.setCurrentIndex(2)  # hold the line
    practice.check_button.click()
    assert practice.result.text().startswith("Score 75%.")
    assert "✗ Escalate? The matrix says: Escalate now." in practice.result.text()
    page.refresh_from(window._session, practice._now())
    assert page.roster.item(0, 0).text() == "Ana"
    assert page.roster.item(0, 1).text() == "Not yet"
