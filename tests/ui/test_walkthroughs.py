"""Walkthroughs in the real window: played from Help and Onboarding, authored by clicking."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QLabel,
    QPushButton,
    QRadioButton,
    QWidget,
)
from pytestqt.qtbot import QtBot

from escalation_desk.domain.walkthrough import MATRIX_EXPLAINED, TOUR, Step, Walkthrough
from escalation_desk.ui.main_window import TOUR_SHOWN_KEY, MainWindow
from escalation_desk.ui.onboarding.agent import AGENT_KEY
from escalation_desk.ui.onboarding.authoring import PICK_HINT, WalkthroughEditor
from escalation_desk.ui.onboarding.page import OnboardingPage
from escalation_desk.ui.onboarding.spotlight import HOLE_PADDING, WalkthroughPlayer, parse_cell

from .conftest import Messages


def click(qtbot: QtBot, widget: QWidget, pos: QPoint | None = None) -> None:
    # pytest-qt attaches its QTest shortcuts at run time, so mypy sees them untyped.
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=pos or QPoint())  # type: ignore[no-untyped-call]


def expected_hole(window: MainWindow, spec: str) -> QRect:
    """Where the spotlight must be for a step pointing at ``spec``, in window coordinates
    (padded, and cut to the window where the target reaches its edge)."""
    cell = parse_cell(spec)
    if cell is None:
        widget = window.findChild(QWidget, spec)
        assert widget is not None, spec
        assert widget.isVisible(), spec
        area = QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())
    else:
        name, row, column = cell
        view = window.findChild(QAbstractItemView, name)
        assert view is not None, spec
        assert view.isVisible(), spec
        rect = view.visualRect(view.model().index(row, column))
        area = QRect(view.viewport().mapTo(window, rect.topLeft()), rect.size())
    padded = area.adjusted(-HOLE_PADDING, -HOLE_PADDING, HOLE_PADDING, HOLE_PADDING)
    return padded.intersected(window.rect())


def answer_right(qtbot: QtBot, player: WalkthroughPlayer, step: Step) -> None:
    assert step.question is not None
    choice = player.callout.findChild(QRadioButton, f"walkthroughChoice{step.question.answer}")
    assert choice is not None
    click(qtbot, choice, QPoint(6, choice.height() // 2))


def play_through(qtbot: QtBot, window: MainWindow, walkthrough: Walkthrough) -> list[bool]:
    """Play every step, checking its screen and spotlight; returns what ``finished`` said."""
    player = window.play_walkthrough(walkthrough.title)
    assert player is not None
    ended: list[bool] = []
    player.finished.connect(ended.append)
    for number, step in enumerate(walkthrough.steps):
        qtbot.waitUntil(lambda n=number: player.index == n)  # type: ignore[misc]
        if step.screen:
            assert window.current_screen() == step.screen, step.title
        if step.widget:
            qtbot.waitUntil(lambda s=step: player.target_rect() == expected_hole(window, s.widget))  # type: ignore[misc]
        progress = player.callout.findChild(QLabel, "walkthroughProgress")
        assert progress is not None
        assert progress.text() == walkthrough.progress(number)
        if step.question is not None:
            answer_right(qtbot, player, step)
        next_button = player.callout.findChild(QPushButton, "walkthroughNext")
        assert next_button is not None
        assert next_button.isEnabled()
        click(qtbot, next_button)
    qtbot.waitUntil(lambda: bool(ended))
    return ended


def onboarding(window: MainWindow) -> OnboardingPage:
    window.show_screen("onboarding")
    page = window.screen_widget("onboarding")
    assert isinstance(page, OnboardingPage)
    return page


def completed(window: MainWindow, agent: str) -> tuple[str, ...]:
    record = next(r for r in window._session.onboarding().roster() if r.name == agent)
    return record.walkthroughs


def test_the_tour_plays_every_step_on_its_screen_and_counts_for_the_agent(
    window: MainWindow, qtbot: QtBot
) -> None:
    window._settings.setValue(AGENT_KEY, "Dana Newstart")
    tour = window._session.onboarding().walkthrough(TOUR)
    assert len(tour.steps) == 9
    window.tour_action.trigger()  # Help > Tour starts it ...
    assert window.player is not None
    assert window.player.isVisible()
    assert play_through(qtbot, window, tour) == [True]  # ... and playing it again restarts it
    assert window.player is None
    assert completed(window, "Dana Newstart") == (TOUR,)
    assert window.statusBar().currentMessage() == f"Walkthrough completed: {TOUR}"


def test_the_matrix_explained_points_at_each_level_row(window: MainWindow, qtbot: QtBot) -> None:
    explained = window._session.onboarding().walkthrough(MATRIX_EXPLAINED)
    levels = window._session.onboarding().snapshot().levels
    assert [s.widget for s in explained.steps[1:]] == [
        *(f"matrixGrid:{row}:0" for row in range(len(levels))),
        "rulesTable",
    ]
    assert play_through(qtbot, window, explained) == [True]


def test_the_onboarding_play_button_plays_the_chosen_walkthrough(
    window: MainWindow, qtbot: QtBot
) -> None:
    page = onboarding(window)
    titles = [
        page.walkthroughs.item(r).data(Qt.ItemDataRole.UserRole)
        for r in range(page.walkthroughs.count())
    ]
    page.walkthroughs.setCurrentRow(titles.index(MATRIX_EXPLAINED))
    assert not page.edit_button.isEnabled()  # built in: played, not edited
    assert not page.delete_button.isEnabled()
    click(qtbot, page.play_button)
    player = window.player
    assert player is not None
    assert player.isVisible()
    assert window.current_screen() == "matrix"
    player.skip()
    assert window.player is None
    assert window._session.onboarding().roster() == []  # skipped is not completed


def test_the_tour_is_offered_once_on_first_start(window: MainWindow) -> None:
    window._settings.remove(TOUR_SHOWN_KEY)
    window.offer_first_tour()
    first = window.player
    assert first is not None
    assert first.isVisible()
    first.skip()
    window.offer_first_tour()
    assert window.player is None


def test_a_lead_authors_a_walkthrough_by_clicking_widgets(window: MainWindow, qtbot: QtBot) -> None:
    page = onboarding(window)
    editor = page.open_editor(None)
    assert isinstance(editor, WalkthroughEditor)
    qtbot.waitExposed(editor)
    editor.title.setText("Billing for new starters")
    editor.step_title.clear()
    qtbot.keyClicks(editor.step_title, "Where the P1 row is")
    editor.screen_choice.setCurrentIndex(editor.screen_choice.findData("matrix"))

    click(qtbot, editor.pick_button)
    assert not editor.isVisible()  # out of the way of the click
    assert window.current_screen() == "matrix"
    hint = window.findChild(QLabel, "pickHint")
    assert hint is not None
    assert hint.text() == PICK_HINT
    grid = window.findChild(QAbstractItemView, "matrixGrid")
    assert grid is not None
    cell = grid.visualRect(grid.model().index(0, 0))
    with qtbot.waitSignal(editor.picker.picked):
        click(qtbot, grid.viewport(), cell.center())
    assert editor.isVisible()
    assert editor.widget.text() == "matrixGrid:0:0"
    qtbot.waitUntil(lambda: window.findChild(QLabel, "pickHint") is None)

    click(qtbot, editor.add_button)
    editor.step_title.clear()
    qtbot.keyClicks(editor.step_title, "Start here")
    editor.step_text.setPlainText("Everything begins with the matrix.")
    click(qtbot, editor.up_button)
    assert [d.title for d in editor.drafts()] == ["Start here", "Where the P1 row is"]
    assert editor.drafts()[0].screen == "matrix"  # a new step starts on the screen before it

    with qtbot.waitSignal(editor.saved):
        editor.accept()
    saved = window._session.onboarding().walkthrough("Billing for new starters")
    assert [(s.title, s.screen, s.widget) for s in saved.steps] == [
        ("Start here", "matrix", ""),
        ("Where the P1 row is", "matrix", "matrixGrid:0:0"),
    ]
    assert page.selected_walkthrough() == "Billing for new starters"
    assert page.edit_button.isEnabled()
    assert play_through(qtbot, window, saved) == [True]


def test_the_editor_refuses_a_half_written_question_and_keeps_the_draft(
    window: MainWindow, qtbot: QtBot
) -> None:
    page = onboarding(window)
    editor = page.open_editor(None)
    assert editor is not None
    editor.title.setText("Quiz")
    editor.prompt.setText("Who keeps the customer informed?")
    editor.choices.setPlainText("Engineering\nThe support liaison")
    editor.answer.setValue(3)
    editor.accept()
    assert editor.isVisible()
    assert editor.error.text() == (
        "Step 1: The answer to 'Who keeps the customer informed?' is not one of its choices."
    )
    assert "Quiz" not in [w.title for w in window._session.onboarding().walkthroughs()]
    editor.answer.setValue(2)
    editor.accept()
    stored = window._session.onboarding().walkthrough("Quiz").steps[0].question
    assert stored is not None
    assert stored.answer == 1


def test_editing_keeps_the_agents_completions(window: MainWindow, qtbot: QtBot) -> None:
    service = window._session.onboarding()
    service.save_walkthrough(Walkthrough("Billing", (Step("One"),)))
    window._settings.setValue(AGENT_KEY, "Dana")
    assert play_through(qtbot, window, service.walkthrough("Billing")) == [True]
    page = onboarding(window)
    page._load_walkthroughs("Billing")
    editor = page.open_editor(service.walkthrough("Billing"))
    assert editor is not None
    editor.title.setText("Billing basics")
    editor.accept()
    assert completed(window, "Dana") == ("Billing basics",)


def test_help_prints_the_cheat_sheet_on_the_paper_chosen(
    window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "desk sheet"
    opened: list[str] = []
    monkeypatch.setattr(
        QFileDialog,
        "getSaveFileName",
        lambda *_a, **_k: (str(target), "PDF on US Letter paper (*.pdf)"),
    )
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()))
    window.cheat_sheet_action.trigger()
    written = target.with_suffix(".pdf")
    body = written.read_bytes()
    assert body.startswith(b"%PDF")
    assert b"/MediaBox [ 0 0 792 612 ]" in body  # US Letter, landscape
    assert opened == [str(written)]
    assert "Draft matrix (not yet published)" in window.statusBar().currentMessage()


def test_a_walkthrough_that_is_gone_is_said_so(window: MainWindow, messages: Messages) -> None:
    assert window.play_walkthrough("Nobody wrote this") is None
    assert messages.texts() == ["There is no walkthrough called 'Nobody wrote this'."]
