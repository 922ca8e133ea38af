"""The walkthrough player (spotlight, callout, questions, keys) and the widget picker."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TypeVar

import pytest
import shiboken6
from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QGridLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QRadioButton,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from pytestqt.qtbot import QtBot

from escalation_desk.domain.walkthrough import Question, Step, Walkthrough
from escalation_desk.ui.onboarding.spotlight import (
    RIGHT,
    WRONG,
    WalkthroughPlayer,
    WidgetPicker,
    place_callout,
)

PAD = 6  # the spotlight's padding around its target
MARGIN = 12  # the callout's distance from the window's edges at least

_W = TypeVar("_W", bound=QWidget)


@dataclass
class Host:
    """A main window with named widgets on two screens, and a navigate that records calls."""

    window: QMainWindow
    stack: QStackedWidget
    screens: dict[str, QWidget]
    visited: list[str] = field(default_factory=list)

    def navigate(self, screen: str) -> None:
        self.visited.append(screen)
        self.stack.setCurrentWidget(self.screens[screen])

    def named(self, name: str) -> QWidget:
        found = self.window.findChild(QWidget, name)
        assert found is not None, name
        return found

    @property
    def grid(self) -> QTableWidget:
        found = self.window.findChild(QTableWidget, "grid")
        assert found is not None
        return found


def build_host() -> Host:
    """900x600: "alpha" top-left, a 5x3 "grid" in the middle, "beta" bottom-right (home);
    "gamma" on a second screen ("other")."""
    window = QMainWindow()
    window.setObjectName("hostWindow")
    home = QWidget()
    home.setObjectName("homePage")
    alpha = QPushButton("Alpha")
    alpha.setObjectName("alpha")
    grid = QTableWidget(5, 3)
    grid.setObjectName("grid")
    for row in range(5):
        for column in range(3):
            grid.setItem(row, column, QTableWidgetItem(f"r{row} c{column}"))
    grid.setFixedSize(340, 230)
    footer = QFrame()
    footer.setObjectName("footer")
    QVBoxLayout(footer).addWidget(QLabel("Status: all quiet"))  # a label without a name
    beta = QLabel("Beta")
    beta.setObjectName("beta")
    layout = QGridLayout(home)
    corner = Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft
    layout.addWidget(alpha, 0, 0, corner)
    layout.addWidget(grid, 1, 1, Qt.AlignmentFlag.AlignCenter)
    layout.addWidget(footer, 2, 0, Qt.AlignmentFlag.AlignBottom | Qt.AlignmentFlag.AlignLeft)
    layout.addWidget(beta, 2, 2, Qt.AlignmentFlag.AlignBottom | Qt.AlignmentFlag.AlignRight)
    layout.setRowStretch(1, 1)
    layout.setColumnStretch(1, 1)
    other = QWidget()
    other.setObjectName("otherPage")
    gamma = QLabel("Gamma, on another screen")
    gamma.setObjectName("gamma")
    QVBoxLayout(other).addWidget(gamma, 0, corner)
    stack = QStackedWidget()
    stack.addWidget(home)
    stack.addWidget(other)
    window.setCentralWidget(stack)
    window.resize(900, 600)
    return Host(window, stack, {"home": home, "other": other})


@pytest.fixture
def host(qtbot: QtBot) -> Host:
    """The host window, shown (offscreen) and active."""
    built = build_host()
    qtbot.addWidget(built.window)
    built.window.show()
    qtbot.waitExposed(built.window)
    built.window.activateWindow()
    qtbot.waitActive(built.window)
    return built


def play(host: Host, *steps: Step) -> WalkthroughPlayer:
    player = WalkthroughPlayer(host.window, Walkthrough("Test tour", steps), host.navigate)
    player.start()
    return player


def hole_around(widget: QWidget, window: QWidget) -> QRect:
    """The spotlight expected around ``widget``: its rect in the window's coordinates, padded."""
    return QRect(widget.mapTo(window, QPoint(0, 0)), widget.size()).adjusted(-PAD, -PAD, PAD, PAD)


def part(player: WalkthroughPlayer, kind: type[_W], name: str) -> _W:
    found = player.callout.findChild(kind, name)
    assert found is not None, name
    return found


def text_of(player: WalkthroughPlayer, name: str) -> str:
    return part(player, QLabel, name).text()


def click(qtbot: QtBot, widget: QWidget, pos: QPoint | None = None) -> None:
    """A left click, at the centre unless ``pos`` says where."""
    # pytest-qt attaches its QTest shortcuts at run time, so mypy sees them untyped.
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=pos or QPoint())  # type: ignore[no-untyped-call]


def press(qtbot: QtBot, widget: QWidget, key: Qt.Key) -> None:
    """A key pressed and released on ``widget``."""
    qtbot.keyClick(widget, key)  # type: ignore[no-untyped-call]


def tick(qtbot: QtBot, radio: QRadioButton) -> None:
    """Click a choice on its indicator (a click right of its text misses it, as in Qt)."""
    click(qtbot, radio, QPoint(6, radio.height() // 2))


def button(player: WalkthroughPlayer, name: str) -> QPushButton:
    return part(player, QPushButton, name)


def focused_name() -> str:
    focus = QApplication.focusWidget()
    return focus.objectName() if focus is not None else ""


def callout_inside(player: WalkthroughPlayer, window: QWidget) -> bool:
    return (
        window.rect().adjusted(MARGIN, MARGIN, -MARGIN, -MARGIN).contains(player.callout.geometry())
    )


def centred(player: WalkthroughPlayer) -> bool:
    offset = player.callout.geometry().center() - player.rect().center()
    return abs(offset.x()) <= 1 and abs(offset.y()) <= 1


def gone(player: WalkthroughPlayer, host: Host) -> bool:
    return not shiboken6.isValid(player) and not host.window.findChildren(WalkthroughPlayer)


def test_each_step_spotlights_its_widget_on_its_screen(host: Host, qtbot: QtBot) -> None:
    steps = (
        Step("Start here", "Alpha starts everything.", "home", "alpha"),
        Step("The grid", "Every row is a level.", "home", "grid"),
        Step("Elsewhere", "Gamma lives on another screen.", "other", "gamma"),
        Step("The end", "Beta sums it up.", "home", "beta"),
    )
    player = play(host, *steps)
    shown: list[int] = []
    player.step_changed.connect(shown.append)
    assert player.isVisible()
    assert player.geometry() == host.window.rect()
    for number, step in enumerate(steps):
        assert player.index == number
        assert host.visited == [s.screen for s in steps[: number + 1]]
        assert player.target_rect() == hole_around(host.named(step.widget), host.window)
        assert text_of(player, "walkthroughProgress") == f"{number + 1} of 4"
        assert text_of(player, "walkthroughTitle") == step.title
        assert text_of(player, "walkthroughText") == step.text
        assert callout_inside(player, host.window)
        assert not player.callout.geometry().intersects(player.target_rect())
        assert button(player, "walkthroughBack").isEnabled() == (number > 0)
        last = number == len(steps) - 1
        assert button(player, "walkthroughNext").text() == ("Finish" if last else "Next")
        if not last:
            click(qtbot, button(player, "walkthroughNext"))
    assert shown == [1, 2, 3]


def test_a_cell_target_spotlights_that_cell(host: Host) -> None:
    player = play(host, Step("One cell", "This is row 3, column 2.", "home", "grid:2:1"))
    grid = host.grid
    cell = grid.visualRect(grid.model().index(2, 1))
    expected = QRect(grid.viewport().mapTo(host.window, cell.topLeft()), cell.size())
    assert player.target_rect() == expected.adjusted(-PAD, -PAD, PAD, PAD)
    assert callout_inside(player, host.window)
    assert not player.callout.geometry().intersects(player.target_rect())


def test_the_spotlight_and_callout_follow_the_window(host: Host, qtbot: QtBot) -> None:
    player = play(host, Step("Bottom right", "Beta sits in the corner.", "home", "beta"))
    before = player.target_rect()
    host.window.resize(1200, 800)
    qtbot.waitUntil(lambda: player.target_rect() != before)
    # Beta is anchored to the bottom-right corner: it moves by the growth of the window.
    assert player.target_rect() == before.translated(300, 200)
    assert player.target_rect() == hole_around(host.named("beta"), host.window)
    assert player.geometry() == host.window.rect()
    assert callout_inside(player, host.window)
    host.window.resize(640, 480)
    qtbot.waitUntil(lambda: player.geometry() == host.window.rect())
    assert player.target_rect() == hole_around(host.named("beta"), host.window)
    assert callout_inside(player, host.window)


def test_the_spotlight_follows_a_target_moved_by_its_layout(host: Host, qtbot: QtBot) -> None:
    player = play(host, Step("Alpha", "", "home", "alpha"))
    before = player.target_rect()
    alpha = host.named("alpha")
    alpha.setFixedSize(alpha.width() + 80, alpha.height() + 30)  # a resize, not of the window
    qtbot.waitUntil(lambda: player.target_rect() != before)
    assert player.target_rect() == hole_around(alpha, host.window)


def test_a_question_holds_next_until_the_right_choice(host: Host, qtbot: QtBot) -> None:
    question = Question("Who owns a P1 after the fix?", ("Support", "Engineering", "Nobody"), 1)
    player = play(host, Step("Quiz", "One question.", "home", "grid", question), Step("After"))
    next_button = button(player, "walkthroughNext")
    choices = [part(player, QRadioButton, f"walkthroughChoice{n}") for n in range(3)]
    assert [c.text() for c in choices] == list(question.choices)
    assert all(c.isVisible() for c in choices)
    assert text_of(player, "walkthroughPrompt") == question.prompt
    assert text_of(player, "walkthroughFeedback") == ""
    assert not next_button.isEnabled()

    tick(qtbot, choices[0])
    assert text_of(player, "walkthroughFeedback") == WRONG == "Not quite: try again."
    assert not next_button.isEnabled()
    press(qtbot, player, Qt.Key.Key_Right)
    press(qtbot, player, Qt.Key.Key_Return)
    player.next_step()
    assert player.index == 0

    tick(qtbot, choices[1])
    assert text_of(player, "walkthroughFeedback") == RIGHT == "Right."
    assert next_button.isEnabled()
    press(qtbot, player, Qt.Key.Key_Return)
    assert player.index == 1
    assert not any(c.isVisible() for c in choices)
    assert not part(player, QLabel, "walkthroughFeedback").isVisible()

    # Coming back finds the step answered.
    press(qtbot, player, Qt.Key.Key_Left)
    assert player.index == 0
    assert choices[1].isChecked()
    assert text_of(player, "walkthroughFeedback") == RIGHT
    assert next_button.isEnabled()


def test_a_long_choice_wraps_inside_the_callout(host: Host) -> None:
    long_choice = "The support on-call engineer, as P1 runs around the clock whatever the calendar"
    question = Question("Who answers first on a Friday evening?", (long_choice, "Nobody"), 0)
    player = play(host, Step("Quiz", "", "home", "beta", question))
    radio = part(player, QRadioButton, "walkthroughChoice0")
    assert radio.text() == long_choice
    assert player.callout.rect().contains(radio.geometry())
    assert radio.height() >= 2 * radio.fontMetrics().height()  # wrapped, not cut off
    assert callout_inside(player, host.window)


def test_back_and_arrows_move_and_esc_skips(host: Host, qtbot: QtBot) -> None:
    player = play(host, Step("One"), Step("Two"), Step("Three"))
    back = button(player, "walkthroughBack")
    assert player.hasFocus()
    assert not back.isEnabled()
    press(qtbot, player, Qt.Key.Key_Left)
    assert player.index == 0
    press(qtbot, player, Qt.Key.Key_Right)
    assert player.index == 1
    click(qtbot, back)
    assert player.index == 0
    press(qtbot, player, Qt.Key.Key_Enter)
    press(qtbot, player, Qt.Key.Key_Right)
    assert player.index == 2
    press(qtbot, player, Qt.Key.Key_Left)
    assert player.index == 1
    assert host.visited == []  # no step names a screen
    with qtbot.waitSignal(player.finished) as blocker:
        press(qtbot, player, Qt.Key.Key_Escape)
    assert blocker.args == [False]
    assert not player.isVisible()
    qtbot.waitUntil(lambda: gone(player, host))


def test_skip_tour_ends_with_false(host: Host, qtbot: QtBot) -> None:
    player = play(host, Step("One"), Step("Two"))
    with qtbot.waitSignal(player.finished) as blocker:
        click(qtbot, button(player, "walkthroughSkip"))
    assert blocker.args == [False]
    qtbot.waitUntil(lambda: gone(player, host))


def test_finish_ends_with_true_once_and_removes_the_overlay(host: Host, qtbot: QtBot) -> None:
    alpha = host.named("alpha")
    alpha.setFocus()
    player = play(host, Step("One", widget="alpha"), Step("Two", widget="beta"))
    ends: list[bool] = []
    player.finished.connect(ends.append)
    click(qtbot, button(player, "walkthroughNext"))
    finish = button(player, "walkthroughNext")
    assert finish.text() == "Finish"
    click(qtbot, finish)
    assert ends == [True]
    assert not player.isVisible()
    assert alpha.hasFocus()  # the keyboard goes back where it was
    player.skip()
    player.next_step()
    assert ends == [True]
    qtbot.waitUntil(lambda: gone(player, host))
    # Its event filters went with it: the window and the old target resize as usual.
    alpha.setFixedWidth(alpha.width() + 10)
    host.window.resize(1000, 700)
    qtbot.waitUntil(lambda: host.window.width() == 1000)


def test_a_missing_or_hidden_target_shows_a_centred_callout(host: Host, qtbot: QtBot) -> None:
    player = play(
        host,
        Step("Lost", "Nothing is called so.", widget="nowhere"),
        Step("Hidden", "Gamma is on a screen not shown.", widget="gamma"),
        Step("No such table", "", widget="nowhere:1:1"),
        Step("Nothing pointed at"),
    )
    for number in range(4):
        assert player.index == number
        assert player.target_rect().isNull()
        assert centred(player)
        assert callout_inside(player, host.window)
        player.next_step()
    assert not player.isVisible()


def test_a_target_hidden_during_its_step_leaves_the_spotlight(host: Host, qtbot: QtBot) -> None:
    player = play(host, Step("Beta", "", "home", "beta"))
    assert not player.target_rect().isNull()
    host.named("beta").hide()
    assert player.target_rect().isNull()
    assert centred(player)
    host.named("beta").show()
    assert player.target_rect() == hole_around(host.named("beta"), host.window)


def test_the_window_is_dimmed_except_the_spotlight(host: Host, qtbot: QtBot) -> None:
    before = host.window.grab().toImage()
    player = play(host, Step("Alpha", "The button at the top left.", "home", "alpha"))
    qtbot.waitExposed(player)
    after = host.window.grab().toImage()
    inside = host.named("alpha").mapTo(host.window, QPoint(4, 4))
    assert after.pixelColor(inside) == before.pixelColor(inside)
    far = QPoint(host.window.width() - 3, host.window.height() // 2)
    assert after.pixelColor(far).lightness() < before.pixelColor(far).lightness() * 0.5
    hole = player.target_rect()
    edge = QPoint(hole.center().x(), hole.top() + 1)
    highlight = player.palette().color(QPalette.ColorRole.Highlight)
    assert colour_distance(after.pixelColor(edge), highlight) < 60


def colour_distance(one: QColor, other: QColor) -> int:
    return (
        abs(one.red() - other.red())
        + abs(one.green() - other.green())
        + abs(one.blue() - other.blue())
    )


def test_the_callout_is_accessible_and_tabs_back_skip_next(host: Host, qtbot: QtBot) -> None:
    question = Question("Pick one", ("This", "That"), 0)
    player = play(host, Step("One"), Step("Two", "Some text.", question=question))
    player.next_step()
    back, skip, next_button = (
        button(player, name) for name in ("walkthroughBack", "walkthroughSkip", "walkthroughNext")
    )
    assert player.callout.objectName() == "walkthroughCallout"
    assert all(w.accessibleName() for w in (player.callout, back, skip, next_button))
    text = part(player, QLabel, "walkthroughText")
    assert text.textInteractionFlags() & Qt.TextInteractionFlag.TextSelectableByMouse
    assert back.nextInFocusChain() is skip
    assert skip.nextInFocusChain() is next_button
    # Tab goes round the card only: the choices, Back, Skip (Next waits for the answer).
    player.setFocus()
    order = []
    for _ in range(5):
        focus = QApplication.focusWidget()
        assert focus is not None
        press(qtbot, focus, Qt.Key.Key_Tab)
        order.append(focused_name())
    assert order == [
        "walkthroughChoice0",
        "walkthroughChoice1",
        "walkthroughBack",
        "walkthroughSkip",
        "walkthroughChoice0",
    ]


def test_a_window_destroyed_during_a_tour_takes_the_tour_with_it(qtbot: QtBot) -> None:
    doomed = build_host()
    doomed.window.show()
    qtbot.waitExposed(doomed.window)
    player = play(doomed, Step("Beta", "", "home", "beta"))
    # No event the window sends while it is destroyed may reach the overlay's Python side.
    shiboken6.delete(doomed.window)
    assert not shiboken6.isValid(player)


def test_an_empty_walkthrough_ends_at_once(host: Host, qtbot: QtBot) -> None:
    player = WalkthroughPlayer(host.window, Walkthrough("Empty"), host.navigate)
    with qtbot.waitSignal(player.finished) as blocker:
        player.start()
    assert blocker.args == [False]


BOUNDS = QRect(MARGIN, MARGIN, 900 - 2 * MARGIN, 600 - 2 * MARGIN)
CARD = QSize(360, 150)


@pytest.mark.parametrize(
    ("hole", "expected"),
    [
        pytest.param(QRect(400, 50, 100, 40), QRect(270, 100, 360, 150), id="below"),
        pytest.param(QRect(400, 500, 100, 40), QRect(270, 340, 360, 150), id="above"),
        pytest.param(QRect(100, 20, 100, 560), QRect(210, 225, 360, 150), id="right"),
        pytest.param(QRect(700, 20, 100, 560), QRect(330, 225, 360, 150), id="left"),
        pytest.param(QRect(0, 0, 60, 30), QRect(MARGIN, 40, 360, 150), id="below, slid right"),
        pytest.param(QRect(20, 20, 860, 560), QRect(270, 225, 360, 150), id="no room: centred"),
        pytest.param(QRect(), QRect(270, 225, 360, 150), id="no hole: centred"),
    ],
)
def test_the_callout_goes_below_above_beside_or_centred(hole: QRect, expected: QRect) -> None:
    placed = place_callout(CARD, hole, BOUNDS)
    assert placed == expected
    assert BOUNDS.contains(placed)


def test_the_picker_names_the_widget_clicked_and_takes_the_click(host: Host, qtbot: QtBot) -> None:
    picker = WidgetPicker(host.window)
    picker.start()
    cursor = QApplication.overrideCursor()
    assert cursor is not None
    assert cursor.shape() == Qt.CursorShape.CrossCursor
    with qtbot.waitSignal(picker.picked) as blocker:
        click(qtbot, host.named("beta"))
    assert blocker.args == ["beta"]
    assert QApplication.overrideCursor() is None
    assert not picker.active

    alpha = host.named("alpha")
    assert isinstance(alpha, QPushButton)
    picker.start()
    with qtbot.assertNotEmitted(alpha.clicked), qtbot.waitSignal(picker.picked) as blocker:
        click(qtbot, alpha)
    assert blocker.args == ["alpha"]
    # The filter is gone: the next click is the button's again.
    with qtbot.waitSignal(alpha.clicked):
        click(qtbot, alpha)


def test_the_picker_names_a_cell_or_the_nearest_named_widget(host: Host, qtbot: QtBot) -> None:
    picker = WidgetPicker(host.window)
    grid = host.grid
    cell = grid.visualRect(grid.model().index(3, 2))
    picker.start()
    with qtbot.waitSignal(picker.picked) as blocker:
        click(qtbot, grid.viewport(), cell.center())
    assert blocker.args == ["grid:3:2"]
    picker.start()
    below_the_rows = QPoint(10, grid.viewport().height() - 3)
    with qtbot.waitSignal(picker.picked) as blocker:
        click(qtbot, grid.viewport(), below_the_rows)
    assert blocker.args == ["grid"]  # not its viewport's "qt_scrollarea_viewport"
    footer = host.named("footer")
    status = footer.findChild(QLabel)
    assert status is not None
    assert status.objectName() == ""
    picker.start()
    with qtbot.waitSignal(picker.picked) as blocker:
        click(qtbot, status)
    assert blocker.args == ["footer"]


def test_esc_cancels_the_picker(host: Host, qtbot: QtBot) -> None:
    picker = WidgetPicker(host.window)
    picker.start()
    with qtbot.waitSignal(picker.cancelled):
        press(qtbot, host.window, Qt.Key.Key_Escape)
    assert QApplication.overrideCursor() is None
    assert not picker.active
    with qtbot.assertNotEmitted(picker.picked):
        click(qtbot, host.named("beta"))
