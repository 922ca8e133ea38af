"""The board view: lanes and columns, keyboard and mouse, dragging, flags and virtual painting."""

from __future__ import annotations

import random

import pytest
from PySide6.QtCore import QEvent, QPoint, QRect, Qt
from PySide6.QtGui import QColor, QHelpEvent, QImage
from PySide6.QtWidgets import QApplication, QToolTip
from pytestqt.qtbot import QtBot

from escalation_desk.domain.clock import DeadlineState
from escalation_desk.domain.lifecycle import OPEN_STATUSES, Status
from escalation_desk.ui.board.cards import (
    CARD_HEIGHT,
    EMPTY_BOARD,
    MIN_COLUMN_WIDTH,
    BoardData,
    BoardLayout,
    Box,
    Card,
    elide,
    people_line,
    two_lines,
    update_ages,
)
from escalation_desk.ui.board.view import NO_CARDS, BoardView

COLUMNS = (*OPEN_STATUSES, Status.RESOLVED)
LANES = ("Infra / SRE", "Backend", "Payments engineering", "Frontend", "Unassigned")
LEVELS = (("P1", "#D55E00"), ("P2", "#E69F00"), ("P3", "#0072B2"), ("P4", "#F0E442"))
TITLES = (
    "Card payments fail with 'processor unavailable' for EU merchants",
    "Scheduled invoice runs time out for large accounts",
    "SSO login loops back to sign-in page for Azure AD accounts",
    "Webhooks send duplicate invoice.paid events",
    "VAT shows 0% on invoices to Irish customers",
    "Dashboard and invoice list return 504 errors for all accounts",
    "ERP connector gets 429 Too Many Requests on invoice sync",
    "Credit note numbers skip after partial refunds",
)
CUSTOMERS = ("Northwind Bank", "Lanyard Bank", "Fabrikam Retail", "Contoso Health", "Tailspin")
OWNERS = ("Priya Raman", "Oliver Hughes", "Amara Okafor", "Marcus Adeyemi", None)
LIAISONS = ("Sofia Marques", "Jonas Berg", "Leila Haddad", "Tom Lee", None)
COUNTDOWNS = {
    DeadlineState.ON_TRACK: "2 h 10 min left",
    DeadlineState.AT_RISK: "1 h 5 min left",
    DeadlineState.CRITICAL: "12 min left",
    DeadlineState.BREACHED: "45 min late",
}
VIEW_SIZE = (1280, 800)


def make_card(
    ref: str,
    status: Status,
    lane: str,
    *,
    liaison: str | None = "Sofia Marques",
    state: DeadlineState | None = DeadlineState.ON_TRACK,
) -> Card:
    """A card with ordinary texts; the parts a test cares about are arguments."""
    return Card(
        ref=ref,
        title="Invoice PDF preview cuts off long line-item descriptions",
        customer="Northwind Bank",
        severity="P2",
        severity_colour="#E69F00",
        owner="Priya Raman",
        liaison=liaison,
        status=status,
        lane=lane,
        countdown=COUNTDOWNS.get(state, "") if state else "",
        deadline_state=state,
        last_update="updated 3 h ago",
    )


def sample_board(count: int, *, lanes: tuple[str, ...] = LANES, seed: int = 7) -> BoardData:
    """A plausible board of ``count`` cards with every kind of card on it."""
    pick = random.Random(seed)
    states = (*COUNTDOWNS, None)
    cards = []
    for number in range(count):
        status = pick.choice(COLUMNS)
        state = None if status is Status.RESOLVED else pick.choice(states[:4])
        severity, colour = pick.choice(LEVELS)
        cards.append(
            Card(
                ref=f"ESC-{1000 + number}",
                title=pick.choice(TITLES),
                customer=pick.choice(CUSTOMERS),
                severity=severity,
                severity_colour=colour,
                owner=pick.choice(OWNERS),
                liaison=pick.choice(LIAISONS),
                status=status,
                lane=pick.choice(lanes),
                countdown=COUNTDOWNS.get(state, "") if state else "",
                deadline_state=state,
                last_update=pick.choice(("updated 3 h ago", "updated 20 min ago", "no update yet")),
            )
        )
    return BoardData(COLUMNS, lanes, tuple(cards))


@pytest.fixture
def view(qtbot: QtBot) -> BoardView:
    """A shown board view at 1280x800."""
    board = BoardView()
    qtbot.addWidget(board)
    board.resize(*VIEW_SIZE)
    board.show()
    qtbot.waitExposed(board)
    return board


def grid() -> BoardData:
    """Two lanes; New and In progress hold cards, Escalated is empty in the first lane.

    Lane A: New: A1, A2, A3; Acknowledged: A4; In progress: A5
    Lane B: New: B1; Escalated: B2, B3
    """
    a, b = "Lane A", "Lane B"
    cards = (
        make_card("A1", Status.NEW, a),
        make_card("B1", Status.NEW, b),
        make_card("A2", Status.NEW, a),
        make_card("A4", Status.ACKNOWLEDGED, a),
        make_card("B2", Status.ESCALATED, b),
        make_card("A3", Status.NEW, a),
        make_card("A5", Status.IN_PROGRESS, a),
        make_card("B3", Status.ESCALATED, b),
    )
    return BoardData(COLUMNS, (a, b), cards)


def centre(view: BoardView, ref: str) -> QPoint:
    rect = view.card_rect(ref)
    assert rect is not None
    return rect.center()


def test_cards_sit_in_their_lane_and_status_column(view: BoardView) -> None:
    data = grid()
    view.set_data(data)
    rects = {card.ref: view.card_rect(card.ref) for card in data.cards}
    assert all(rect is not None for rect in rects.values())
    left = {ref: rect.left() for ref, rect in rects.items() if rect is not None}
    top = {ref: rect.top() for ref, rect in rects.items() if rect is not None}
    # Columns left to right in status order; a cell keeps the data's order top to bottom.
    assert left["A1"] == left["A2"] == left["A3"] == left["B1"] < left["B2"] < left["A4"]
    assert left["A4"] < left["A5"]
    assert top["A1"] < top["A2"] < top["A3"]
    # Lane B starts below the tallest cell of lane A.
    assert top["B1"] == top["B2"] > top["A3"] + CARD_HEIGHT
    # Six columns fit in 1,280 px, so nothing scrolls sideways.
    assert rects["A1"] is not None
    assert rects["A1"].width() >= MIN_COLUMN_WIDTH - 16
    assert view.horizontalScrollBar().maximum() == 0


def test_layout_keeps_unlisted_lanes_and_hides_hidden_columns() -> None:
    cards = (
        make_card("X1", Status.NEW, "Nobody listed this lane"),
        make_card("X2", Status.CLOSED, "Lane A"),
        make_card("X3", Status.NEW, "Lane A"),
    )
    layout = BoardLayout(BoardData(COLUMNS, ("Lane A",), cards))
    assert layout.lanes == ("Lane A", "Nobody listed this lane")
    assert layout.cells[1][0] == [0]
    assert layout.index_of("X2") is None  # Closed is not a column on this board
    assert layout.column_counts[0] == 2
    assert layout.lane_counts == [1, 1]


def test_arrow_keys_walk_cells_lanes_and_columns(view: BoardView, qtbot: QtBot) -> None:
    view.set_data(grid())
    seen: list[str] = []
    view.current_changed.connect(seen.append)
    view.setFocus()

    def press(key: Qt.Key) -> str | None:
        qtbot.keyClick(view, key)
        return view.current()

    assert press(Qt.Key.Key_Down) == "A1"  # the first key picks the first card
    assert [press(Qt.Key.Key_Down) for _ in range(4)] == ["A2", "A3", "B1", "B1"]
    assert [press(Qt.Key.Key_Up) for _ in range(2)] == ["A3", "A2"]
    # Right: Escalated is empty in lane A, so the nearest by height is lane B's first card.
    assert press(Qt.Key.Key_Right) == "B2"
    assert press(Qt.Key.Key_Right) == "A4"  # Acknowledged holds only A4
    assert press(Qt.Key.Key_Left) == "B2"
    assert press(Qt.Key.Key_End) == "B3"
    assert press(Qt.Key.Key_Home) == "A1"
    assert seen[:3] == ["A1", "A2", "A3"]
    assert seen[-1] == "A1"


def test_page_keys_jump_a_screen_within_the_column(view: BoardView, qtbot: QtBot) -> None:
    data = sample_board(300)
    view.set_data(data)
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Home)
    first = view.current()
    first_rect = view.card_rect(first or "")
    qtbot.keyClick(view, Qt.Key.Key_PageDown)
    after = view.card_rect(view.current() or "")
    assert first_rect is not None
    assert after is not None
    assert after.left() == first_rect.left()  # the same column
    assert view.viewport().rect().contains(after)  # scrolled into sight
    assert view.verticalScrollBar().value() > 0
    qtbot.keyClick(view, Qt.Key.Key_PageUp)
    assert view.current() == first


def test_click_selects_and_says_so(view: BoardView, qtbot: QtBot) -> None:
    view.set_data(grid())
    with qtbot.waitSignal(view.current_changed) as blocker:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=centre(view, "A4"))
    assert blocker.args == ["A4"]
    assert view.current() == "A4"
    assert view.accessibleDescription().startswith("A4, P2: Invoice PDF preview")
    # A click between cards keeps the selection.
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(4, 600))
    assert view.current() == "A4"


def test_double_click_and_enter_open_the_card(view: BoardView, qtbot: QtBot) -> None:
    view.set_data(grid())
    with qtbot.waitSignal(view.card_activated) as blocker:
        qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=centre(view, "B2"))
    assert blocker.args == ["B2"]
    view.select("A5")
    with qtbot.waitSignal(view.card_activated) as blocker:
        qtbot.keyClick(view, Qt.Key.Key_Return)
    assert blocker.args == ["A5"]


def drag(qtbot: QtBot, view: BoardView, start: QPoint, end: QPoint) -> None:
    viewport = view.viewport()
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=start)
    # Several steps, as a hand would: the first passes the start-drag distance.
    for step in range(1, 6):
        qtbot.mouseMove(viewport, start + (end - start) * step / 5)
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=end)


def test_dropping_a_card_on_another_cell_asks_for_the_move(view: BoardView, qtbot: QtBot) -> None:
    view.set_data(grid())
    target = view.card_rect("B2")  # lane B, Escalated
    assert target is not None
    with qtbot.waitSignal(view.move_requested) as blocker:
        drag(qtbot, view, centre(view, "A1"), target.bottomLeft() + QPoint(20, 30))
    assert blocker.args == ["A1", "escalated", "Lane B"]
    assert view.current() == "A1"


def test_a_drop_in_its_own_cell_or_a_short_nudge_asks_nothing(
    view: BoardView, qtbot: QtBot
) -> None:
    view.set_data(grid())
    asked: list[tuple[str, str, str]] = []
    view.move_requested.connect(lambda *args: asked.append(args))
    drag(qtbot, view, centre(view, "A1"), centre(view, "A3"))
    start = centre(view, "A2")
    nudge = start + QPoint(QApplication.startDragDistance() - 1, 0)
    drag(qtbot, view, start, nudge)
    assert asked == []


def test_the_drop_target_is_highlighted_during_a_drag(view: BoardView, qtbot: QtBot) -> None:
    view.set_data(grid())
    viewport = view.viewport()
    start = centre(view, "A1")
    # Lane A's Escalated cell is empty: A1 (New) may go there, but not to In progress.
    allowed = QPoint(centre(view, "B2").x(), centre(view, "A2").y())
    refused = QPoint(centre(view, "A5").x(), allowed.y())
    below = QPoint(0, 110)  # under the dragged card and its hint, still in the cell
    before = view.grab().toImage()
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(viewport, start + QPoint(30, 0))
    qtbot.mouseMove(viewport, allowed)
    navy = view.grab().toImage().pixelColor(allowed + below)
    qtbot.mouseMove(viewport, refused)
    red = view.grab().toImage().pixelColor(refused + below)
    qtbot.keyClick(view, Qt.Key.Key_Escape)  # cancels: the release below asks nothing
    asked: list[object] = []
    view.move_requested.connect(lambda *args: asked.append(args))
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=refused)
    assert before.pixelColor(allowed + below) != navy
    assert navy.blue() > navy.red()
    assert red.red() > red.blue()
    assert asked == []


def test_ctrl_arrows_ask_to_move_the_current_card(view: BoardView, qtbot: QtBot) -> None:
    view.set_data(grid())
    view.select("A4")
    with qtbot.waitSignal(view.move_requested) as blocker:
        qtbot.keyClick(view, Qt.Key.Key_Right, Qt.KeyboardModifier.ControlModifier)
    assert blocker.args == ["A4", "in_progress", "Lane A"]
    with qtbot.waitSignal(view.move_requested) as blocker:
        qtbot.keyClick(view, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier)
    assert blocker.args == ["A4", "acknowledged", "Lane B"]


def test_select_scrolls_the_card_into_sight(view: BoardView) -> None:
    data = sample_board(600)
    view.set_data(data)
    last = data.cards[-1].ref
    assert last not in view.visible_cards()
    assert view.select(last)
    assert view.current() == last
    assert last in view.visible_cards()
    rect = view.card_rect(last)
    assert rect is not None
    assert view.viewport().rect().contains(rect)
    assert not view.select("ESC-NOPE")
    assert view.current() == last


def test_new_data_keeps_the_current_card_or_lets_it_go(view: BoardView, qtbot: QtBot) -> None:
    view.set_data(grid())
    view.select("A2")
    seen: list[str] = []
    view.current_changed.connect(seen.append)
    moved = tuple(
        make_card("A2", Status.ESCALATED, "Lane B") if c.ref == "A2" else c for c in grid().cards
    )
    view.set_data(BoardData(COLUMNS, ("Lane A", "Lane B"), moved))
    assert view.current() == "A2"
    assert seen == []
    view.set_data(BoardData(COLUMNS, ("Lane A",), grid().cards[:1]))
    assert view.current() is None
    assert seen == [""]


def reddish(image: QImage, rect: QRect) -> int:
    """Pixels in ``rect`` of the flag's red, or the breach pill's."""
    count = 0
    for y in range(rect.top(), rect.bottom() + 1):
        for x in range(rect.left(), rect.right() + 1):
            colour = QColor(image.pixel(x, y))
            count += colour.red() > 150 and colour.green() < 90 and colour.blue() < 80
    return count


def test_a_card_without_a_liaison_is_flagged_in_red(view: BoardView) -> None:
    cards = (
        make_card("WITH", Status.NEW, "Lane A"),
        make_card("WITHOUT", Status.NEW, "Lane A", liaison=None),
    )
    view.set_data(BoardData(COLUMNS, ("Lane A",), cards))
    image = view.grab().toImage()
    with_rect, without_rect = view.card_rect("WITH"), view.card_rect("WITHOUT")
    assert with_rect is not None
    assert without_rect is not None
    assert reddish(image, with_rect) == 0
    assert reddish(image, without_rect) > 150
    assert "no support liaison" in heard(view, "WITHOUT")


def heard(view: BoardView, ref: str) -> str:
    """What a screen reader says once the card is current."""
    view.select(ref)
    return view.accessibleDescription()


def test_a_breach_is_a_red_pill_and_says_late(view: BoardView) -> None:
    cards = (
        make_card("OK", Status.NEW, "Lane A"),
        make_card("LATE", Status.NEW, "Lane A", state=DeadlineState.BREACHED),
    )
    view.set_data(BoardData(COLUMNS, ("Lane A",), cards))
    image = view.grab().toImage()
    late = view.card_rect("LATE")
    assert late is not None
    assert reddish(image, late) > 150
    assert "45 min late (breached)" in heard(view, "LATE")


def test_ten_thousand_cards_paint_only_those_in_sight(view: BoardView) -> None:
    view.set_data(sample_board(10_000))
    view.grab()
    in_sight = view.visible_cards()
    assert 0 < view.painted_cards == len(in_sight) < 80
    view.verticalScrollBar().setValue(view.verticalScrollBar().maximum() // 2)
    view.grab()
    assert 0 < view.painted_cards < 80
    assert set(view.visible_cards()).isdisjoint(in_sight)


def test_visible_finds_exactly_the_cards_that_intersect() -> None:
    layout = BoardLayout(sample_board(400, lanes=LANES[:3]))
    width = 240
    sight = Box(300, 900, 700, 500)
    found = set(layout.visible(sight, width))
    for index in layout.order:
        box = layout.card_box(index, width)
        meets = (
            box.x < sight.x + sight.width
            and sight.x < box.x + box.width
            and box.y < sight.y + sight.height
            and sight.y < box.y + box.height
        )
        assert (index in found) == meets


def test_an_empty_board_says_nothing_matches(view: BoardView) -> None:
    view.set_data(BoardData(COLUMNS, LANES, ()))
    image = view.grab().toImage()
    assert view.accessibleDescription() == NO_CARDS
    assert view.painted_cards == 0
    middle = QRect(image.width() // 2 - 100, image.height() // 2 - 10, 200, 40)
    dark = sum(
        QColor(image.pixel(x, y)).lightness() < 160
        for y in range(middle.top(), middle.bottom())
        for x in range(middle.left(), middle.right())
    )
    assert dark > 20  # the sentence is there
    view.set_data(EMPTY_BOARD)
    assert view.current() is None


def test_narrow_windows_scroll_sideways(view: BoardView) -> None:
    view.set_data(grid())
    view.resize(700, 600)
    rect = view.card_rect("A1")
    assert rect is not None
    assert rect.width() == MIN_COLUMN_WIDTH - 16
    assert view.horizontalScrollBar().maximum() > 0
    view.select("B3")
    b3 = view.card_rect("B3")
    assert b3 is not None
    assert view.viewport().rect().contains(b3)


def test_drop_hints_say_what_a_drop_asks_and_warn_when_refused() -> None:
    layout = BoardLayout(grid())
    a1 = layout.index_of("A1")  # New, lane A
    assert a1 is not None
    new, escalated, in_progress = 0, 1, 3
    assert layout.drop(a1, (0, new)) is None  # its own cell
    assert layout.drop(a1, None) is None
    assert layout.drop(a1, (0, escalated)) == ("Move to Escalated", True)
    assert layout.drop(a1, (1, new)) == ("Reassign to Lane B", True)
    assert layout.drop(a1, (1, escalated)) == ("Move to Escalated · Reassign to Lane B", True)
    assert layout.drop(a1, (0, in_progress)) == ("New → In progress is not allowed", False)


def test_card_texts_shorten_before_they_are_cut() -> None:
    card = make_card("R", Status.NEW, "Lane A")
    assert people_line(card) == (
        "Owner: Priya Raman · Liaison: Sofia Marques",
        "Owner: Priya R. · Liaison: Sofia M.",
        "Priya R. · liaison Sofia M.",
    )
    assert people_line(make_card("R", Status.NEW, "Lane A", liaison=None))[-1] == "Priya R."
    assert update_ages("updated 3 h ago") == ("updated 3 h ago", "3 h ago")
    assert update_ages("no update yet") == ("no update yet", "no update")
    # One unit per character: the title breaks between words and the rest is elided.
    assert two_lines("Webhooks send duplicate invoice events", len, 16) == (
        "Webhooks send",
        "duplicate invoi…",
    )
    assert two_lines("Short", len, 16) == ("Short", "")
    assert two_lines("Supercalifragilistic", len, 8) == ("Supercal", "ifragil…")
    assert elide("abc", len, 2) == "a…"
    assert elide("abc", len, 0) == ""


def test_a_tooltip_tells_the_whole_card(view: BoardView, monkeypatch: pytest.MonkeyPatch) -> None:
    view.set_data(grid())
    shown: list[str] = []
    monkeypatch.setattr(QToolTip, "showText", lambda _pos, text, *_args: shown.append(text))
    point = centre(view, "A4")
    event = QHelpEvent(QEvent.Type.ToolTip, point, view.viewport().mapToGlobal(point))
    QApplication.sendEvent(view.viewport(), event)
    assert shown
    assert shown[0].splitlines()[0] == (
        "A4, P2: Invoice PDF preview cuts off long line-item descriptions"
    )
    assert "liaison Sofia Marques" in shown[0]
