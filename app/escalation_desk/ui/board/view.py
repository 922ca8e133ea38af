"""The board view: escalation cards painted in lanes and columns, only those in sight."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import cache
from typing import Literal

from PySide6.QtCore import QEvent, QPoint, QPointF, QRect, QRectF, Qt, QTimer, Signal, Slot
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QHelpEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QPixmap,
    QResizeEvent,
    QStaticText,
)
from PySide6.QtWidgets import QAbstractScrollArea, QApplication, QToolTip, QWidget

from escalation_desk.domain.clock import DeadlineState
from escalation_desk.ui import theme
from escalation_desk.ui.board.cards import (
    CARD_HEIGHT,
    CARD_PITCH,
    EMPTY_BOARD,
    HEADER_HEIGHT,
    LANE_HEADER_HEIGHT,
    MARGIN,
    BoardData,
    BoardLayout,
    Box,
    Card,
    describe,
    people_line,
    two_lines,
    update_ages,
)
from escalation_desk.ui.diagrams import (
    colour_or,
    faint_on_white,
    font,
    paint_sentence,
    prepare,
)
from escalation_desk.ui.widgets import readable_text_on

#: A card's countdown text and deadline state, worked out when the card is first shown.
Timing = Callable[[Card], tuple[str, DeadlineState | None]]

NO_CARDS = "No escalations match."
# Colour and words together: the words carry the state for readers who cannot tell the colours.
# Colours are theme roles (theme.colour), looked up when painting so that they follow the theme.
_DEADLINE_LOOK = {
    DeadlineState.ON_TRACK: ("good", ""),
    DeadlineState.AT_RISK: ("warn", "At risk · "),
    DeadlineState.CRITICAL: ("bad", "Critical · "),
    DeadlineState.MET: ("muted", "Met · "),
}
# Plain strings: Qt's alignment flags cost more to combine than drawing the text.
_Align = Literal["left", "centre", "right"]
#: (lanes, columns) an arrow key steps.
_ARROWS = {
    Qt.Key.Key_Left: (0, -1),
    Qt.Key.Key_Right: (0, 1),
    Qt.Key.Key_Up: (-1, 0),
    Qt.Key.Key_Down: (1, 0),
}
_PAD = 9  # inside a card
_EDGE = 28  # a drag this close to an edge scrolls the board


@dataclass
class _Drag:
    """A card being dragged: where the pointer holds it and the cell it would land in."""

    index: int
    grip: QPoint  # the pointer's offset inside the card, so the card does not jump
    pointer: QPoint
    target: tuple[int, int] | None = None


class BoardView(QAbstractScrollArea):
    """A Kanban board of escalations: lanes stacked vertically, status columns side by side.

    Cards are painted, never widgets, and only those in sight are painted, so a board of
    10,000 cards scrolls as smoothly as one of ten. Moves leave as ``move_requested``; the
    board changes only when its owner calls ``set_data`` again.
    """

    # The keys keyPressEvent reads, for Help > Keyboard shortcuts.
    KEY_HELP = (
        ("Select the card above, below or beside", ("Up", "Down", "Left", "Right")),
        ("Select the first or the last card", ("Home", "End")),
        ("Select a card a screen further", ("PgUp", "PgDown")),
        ("Open the selected card", ("Return",)),
        ("Move the selected card to the column beside", ("Ctrl+Left", "Ctrl+Right")),
        ("Move the selected card to the lane above or below", ("Ctrl+Up", "Ctrl+Down")),
        ("Cancel a drag", ("Esc",)),
    )

    #: The current card's ref, or "" when no card is current.
    current_changed = Signal(str)
    #: A card was opened with Enter or a double-click: its ref.
    card_activated = Signal(str)
    #: A card was dropped on another cell, or moved with Ctrl+arrow: (ref, status value, lane).
    move_requested = Signal(str, str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("boardView")
        self.setAccessibleName("Escalation board")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setFrameShape(QAbstractScrollArea.Shape.NoFrame)
        self.verticalScrollBar().setSingleStep(CARD_PITCH // 2)
        self.horizontalScrollBar().setSingleStep(40)
        self._layout = BoardLayout(EMPTY_BOARD)
        self._column_width = self._layout.column_width(self.viewport().width())
        self._current: int | None = None
        self._press: tuple[int, QPoint] | None = None
        self._drag: _Drag | None = None
        self._autoscroll = QTimer(self)
        self._autoscroll.setInterval(30)
        self._autoscroll.timeout.connect(self._on_autoscroll_timeout)
        #: How many cards the last paint drew: it stays small however big the board is.
        self.painted_cards = 0
        self._fonts = {
            "chip": font(11, QFont.Weight.Bold),
            "ref": font(12, QFont.Weight.Bold),
            "title": font(12),
            "small": font(11),
            "small bold": font(11, QFont.Weight.Bold),
            "heading": font(12, QFont.Weight.DemiBold),
        }
        self._metrics = {name: QFontMetricsF(f) for name, f in self._fonts.items()}
        self._texts: dict[tuple[str, str, int], tuple[QStaticText, float]] = {}
        self._fits: dict[tuple[tuple[str, ...], str, int], str] = {}
        #: Painted cards by (card, width), least recently used first.
        self._images: dict[tuple[Card, int], QPixmap] = {}
        self._titles: dict[tuple[str, int], tuple[str, str]] = {}
        #: Works out a card's countdown when it is first painted (see ``set_timing``).
        self._timing: Timing | None = None
        self._timed: dict[int, Card] = {}
        self._describe()

    # The public face ------------------------------------------------------------------------

    def set_data(self, data: BoardData) -> None:
        """Show ``data``, keeping the current card when it is still on the board."""
        ref = self.current()
        self._cancel_drag()  # the geometry under a drag is about to change
        self._layout = BoardLayout(data)
        self._timed.clear()
        self._current = self._layout.index_of(ref) if ref else None
        self._relayout()
        self._describe()
        self.viewport().update()
        if ref and self._current is None:
            self.current_changed.emit("")

    def set_timing(self, timing: Timing | None) -> None:
        """Fill each card's countdown and deadline state only when the card is shown.

        With thousands of cards most are never on screen; working out every deadline up
        front would hold the board's opening up for nothing.
        """
        self._timing = timing
        self._timed.clear()
        self.viewport().update()

    def _shown(self, index: int) -> Card:
        """The card at ``index`` as painted: with its countdown when a timing is set."""
        card = self._layout.data.cards[index]
        if self._timing is None:
            return card
        timed = self._timed.get(index)
        if timed is None:
            countdown, state = self._timing(card)
            timed = replace(card, countdown=countdown, deadline_state=state)
            self._timed[index] = timed
        return timed

    def data(self) -> BoardData:
        """What the board shows."""
        return self._layout.data

    def current(self) -> str | None:
        """The current card's ref."""
        return None if self._current is None else self._layout.data.cards[self._current].ref

    def select(self, ref: str) -> bool:
        """Make the card with ``ref`` current and scroll to it; False when it is not shown."""
        index = self._layout.index_of(ref)
        if index is None:
            return False
        self._set_current(index)
        return True

    def card_rect(self, ref: str) -> QRect | None:
        """Where the card with ``ref`` is, in viewport coordinates (it may be out of sight)."""
        index = self._layout.index_of(ref)
        if index is None:
            return None
        box = self._layout.card_box(index, self._column_width)
        top_left = self._to_viewport(QPoint(box.x, box.y))
        return QRect(top_left.x(), top_left.y(), box.width, box.height)

    def visible_cards(self) -> list[str]:
        """Refs of the cards in sight, in painting order."""
        cards = self._layout.data.cards
        return [cards[index].ref for index in self._visible()]

    # Geometry -------------------------------------------------------------------------------

    def _offset(self) -> QPoint:
        """Content coordinates of the viewport's top-left below the sticky header."""
        return QPoint(self.horizontalScrollBar().value(), self.verticalScrollBar().value())

    def _to_content(self, point: QPoint) -> QPoint:
        return point + self._offset() - QPoint(0, HEADER_HEIGHT)

    def _to_viewport(self, point: QPoint) -> QPoint:
        return point - self._offset() + QPoint(0, HEADER_HEIGHT)

    def _in_sight(self) -> Box:
        offset, size = self._offset(), self.viewport().size()
        return Box(offset.x(), offset.y(), size.width(), max(0, size.height() - HEADER_HEIGHT))

    def _visible(self) -> list[int]:
        return self._layout.visible(self._in_sight(), self._column_width)

    def _card_at(self, point: QPoint) -> int | None:
        if point.y() < HEADER_HEIGHT:
            return None
        at = self._to_content(point)
        return self._layout.card_at(at.x(), at.y(), self._column_width)

    def _relayout(self) -> None:
        width = self._layout.column_width(self.viewport().width())
        if width != self._column_width:
            self._texts.clear()  # elided texts were cut for the old width
            self._fits.clear()
            self._images.clear()
            self._titles.clear()
            self._column_width = width
        shown = self._layout.shown > 0
        height = self._layout.height + HEADER_HEIGHT if shown else 0
        size = self.viewport().size()
        vertical, horizontal = self.verticalScrollBar(), self.horizontalScrollBar()
        vertical.setRange(0, max(0, height - size.height()))
        vertical.setPageStep(max(1, size.height() - HEADER_HEIGHT))
        horizontal.setRange(0, max(0, self._layout.width(width) - size.width()))
        horizontal.setPageStep(max(1, size.width()))

    def _ensure_visible(self, index: int) -> None:
        box, sight = self._layout.card_box(index, self._column_width), self._in_sight()
        vertical, horizontal = self.verticalScrollBar(), self.horizontalScrollBar()
        # The first card of a lane brings its lane header into sight with it.
        above = LANE_HEADER_HEIGHT + 8 if self._layout.slot_of[index] == 0 else 8
        if box.y - above < sight.y:
            vertical.setValue(box.y - above)
        elif box.y + box.height + 8 > sight.y + sight.height:
            vertical.setValue(box.y + box.height + 8 - sight.height)
        if box.x - MARGIN < sight.x:
            horizontal.setValue(box.x - MARGIN)
        elif box.x + box.width + MARGIN > sight.x + sight.width:
            horizontal.setValue(box.x + box.width + MARGIN - sight.width)

    def _set_current(self, index: int | None, *, scroll: bool = True) -> None:
        if index is not None and scroll:
            self._ensure_visible(index)
        if index == self._current:
            return
        self._current = index
        self._describe()
        self.viewport().update()
        self.current_changed.emit(self.current() or "")

    def _describe(self) -> None:
        layout = self._layout
        if self._current is not None:
            text = describe(self._shown(self._current))
        elif layout.shown:
            text = f"{layout.shown} escalations in {len(layout.lanes)} lanes; no card selected"
        else:
            text = NO_CARDS
        self.setAccessibleDescription(text)

    # Qt events ------------------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        """A new theme repaints the cards kept as pictures in the old colours."""
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.StyleChange):
            self._images.clear()
            self.viewport().update()
        super().changeEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Columns share the new width; heights stay as they are."""
        super().resizeEvent(event)
        self._relayout()

    def scrollContentsBy(self, dx: int, dy: int) -> None:
        """Repaint: every card is painted, so there is nothing to scroll."""
        self._retarget()  # a dragged card now hovers over another cell
        self.viewport().update()

    def viewportEvent(self, event: QEvent) -> bool:
        """Tooltips tell the whole card, since titles and names may be cut short."""
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            index = self._card_at(event.pos())
            if index is None:
                QToolTip.hideText()
                event.ignore()
            else:
                text = describe(self._shown(index)).replace("; ", "\n")
                QToolTip.showText(event.globalPos(), text, self.viewport())
            return True
        return super().viewportEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Arrows, Home, End and Page keys move between cards; Enter opens; Ctrl+arrow moves."""
        key, layout, index = Qt.Key(event.key()), self._layout, self._current
        keys = Qt.Key
        if self._drag is not None and key == keys.Key_Escape:
            self._press = None
            self._cancel_drag()
            return
        if key in (keys.Key_Return, keys.Key_Enter) and index is not None:
            self.card_activated.emit(self.current() or "")
            return
        control = bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier)
        if control and key in _ARROWS and index is not None:
            self._step_move(index, *_ARROWS[key])
            return
        if key not in (*_ARROWS, keys.Key_Home, keys.Key_End, keys.Key_PageUp, keys.Key_PageDown):
            super().keyPressEvent(event)
            return
        target: int | None
        if index is None or key == keys.Key_Home:
            target = layout.first()
        elif key == keys.Key_End:
            target = layout.last()
        elif key in (keys.Key_Up, keys.Key_Down):
            target = layout.above(index) if key == keys.Key_Up else layout.below(index)
        elif key in (keys.Key_Left, keys.Key_Right):
            target = layout.beside(index, _ARROWS[key][1])
        else:
            page = self._in_sight().height
            y = layout.card_top(index) + (page if key == keys.Key_PageDown else -page)
            target = layout.nearest_in_column(layout.column_of[index], y)
        self._set_current(target)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        """A click makes a card current; holding it may start a drag."""
        self.setFocus(Qt.FocusReason.MouseFocusReason)
        if event.button() != Qt.MouseButton.LeftButton:
            return
        point = event.position().toPoint()
        index = self._card_at(point)
        self._press = None if index is None else (index, point)
        if index is not None:
            self._set_current(index, scroll=False)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        """Past the start-drag distance the held card follows the pointer."""
        if self._press is None:
            return
        point = event.position().toPoint()
        index, start = self._press
        if self._drag is None:
            if (point - start).manhattanLength() < QApplication.startDragDistance():
                return
            box = self._layout.card_box(index, self._column_width)
            grip = self._to_content(start) - QPoint(box.x, box.y)
            self._drag = _Drag(index, grip, point)
            self.viewport().setCursor(Qt.CursorShape.ClosedHandCursor)
        self._drag.pointer = point
        self._retarget()
        if self._edge_step() != QPoint() and not self._autoscroll.isActive():
            self._autoscroll.start()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        """Dropping a card on another cell asks for the move."""
        drag = self._drag
        self._press = None
        if drag is None or event.button() != Qt.MouseButton.LeftButton:
            return
        self._cancel_drag()
        if drag.target is not None and self._layout.drop(drag.index, drag.target) is not None:
            self._request_move(drag.index, *drag.target)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        """A double-click opens the card."""
        index = self._card_at(event.position().toPoint())
        if event.button() == Qt.MouseButton.LeftButton and index is not None:
            self._set_current(index, scroll=False)
            self.card_activated.emit(self.current() or "")

    # Moves ----------------------------------------------------------------------------------

    def _step_move(self, index: int, lanes: int, columns: int) -> None:
        layout = self._layout
        lane, column = layout.lane_of[index] + lanes, layout.column_of[index] + columns
        if 0 <= lane < len(layout.lanes) and 0 <= column < len(layout.columns):
            self._request_move(index, lane, column)

    def _request_move(self, index: int, lane: int, column: int) -> None:
        layout = self._layout
        ref, status = layout.data.cards[index].ref, layout.columns[column]
        self.move_requested.emit(ref, status.value, layout.lanes[lane])

    def _retarget(self) -> None:
        drag = self._drag
        if drag is None:
            return
        target = None
        if drag.pointer.y() >= HEADER_HEIGHT:
            at = self._to_content(drag.pointer)
            target = self._layout.cell_at(at.x(), at.y(), self._column_width)
        drag.target = target
        self.viewport().update()

    def _edge_step(self) -> QPoint:
        if self._drag is None:
            return QPoint()
        point, size = self._drag.pointer, self.viewport().size()

        def step(at: int, low: int, high: int) -> int:
            return -12 if at < low + _EDGE else 12 if at > high - _EDGE else 0

        dx, dy = step(point.x(), 0, size.width()), step(point.y(), HEADER_HEIGHT, size.height())
        return QPoint(dx, dy)

    @Slot()
    def _on_autoscroll_timeout(self) -> None:
        step = self._edge_step()
        if step == QPoint():
            self._autoscroll.stop()
            return
        vertical, horizontal = self.verticalScrollBar(), self.horizontalScrollBar()
        vertical.setValue(vertical.value() + step.y())
        horizontal.setValue(horizontal.value() + step.x())
        self._retarget()

    def _cancel_drag(self) -> None:
        self._autoscroll.stop()
        if self._drag is not None:
            self._drag = None
            self.viewport().unsetCursor()
            self.viewport().update()

    # Painting -------------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        """The lanes and the cards in sight, then the pinned headers and a dragged card."""
        painter = QPainter(self.viewport())
        try:
            self._paint(painter)
        finally:
            painter.end()

    def _paint(self, painter: QPainter) -> None:
        prepare(painter)
        size, layout = self.viewport().size(), self._layout
        painter.fillRect(QRect(QPoint(), size), _role("window"))
        if not layout.shown:
            self.painted_cards = 0
            if layout.columns:
                self._paint_header(painter)
            below = QRectF(0, HEADER_HEIGHT, size.width(), size.height() - HEADER_HEIGHT)
            paint_sentence(painter, below, NO_CARDS, theme.colour("muted"))
            return
        offset, sight, drag = self._offset(), self._in_sight(), self._drag
        painter.save()
        painter.translate(-offset.x(), HEADER_HEIGHT - offset.y())
        lane = layout.lane_at(sight.y)
        while lane is not None and lane < len(layout.lanes):
            if layout.lane_tops[lane] >= sight.y + sight.height:
                break
            self._paint_lane(painter, lane, layout.lane_tops[lane], sight.x, bands=True)
            lane += 1
        if drag is not None:
            self._paint_target(painter, drag)
        indices = layout.visible(sight, self._column_width)
        for index in indices:
            box = layout.card_box(index, self._column_width)
            painter.setOpacity(0.35 if drag is not None and drag.index == index else 1.0)
            painter.drawPixmap(box.x, box.y, self._card_image(self._shown(index), box.width))
            if index == self._current:
                self._paint_outline(painter, QRectF(*box))
        painter.setOpacity(1.0)
        painter.restore()
        # Keep the cards of about three screens, so that scrolling back and forth is cheap.
        while len(self._images) > 3 * len(indices) + 16:
            del self._images[next(iter(self._images))]
        self.painted_cards = len(indices)
        self._paint_pinned_lane(painter, sight)
        self._paint_header(painter)
        if drag is not None:
            self._paint_ghost(painter, drag)

    def _paint_lane(
        self, painter: QPainter, lane: int, top: int, scrolled: int, *, bands: bool
    ) -> None:
        """The lane's header bar across the columns, then its empty cells as bands."""
        layout, width = self._layout, self._column_width
        bar = QRectF(MARGIN, top, layout.width(width) - 2 * MARGIN, LANE_HEADER_HEIGHT - 4)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(_role("laneBar"))
        painter.drawRoundedRect(bar, 6, 6)
        # The name stays at the left edge of the window when the board scrolls sideways.
        left = max(bar.left(), scrolled + MARGIN) + 10
        text = f"{layout.lanes[lane]} · {layout.lane_counts[lane]}"
        name = QRectF(left, bar.top(), bar.right() - left - 10, bar.height())
        self._text(painter, name, text, "heading", theme.colour("text"))
        if not bands:
            return
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(_role("band"))
        for column in range(len(layout.columns)):
            painter.drawRoundedRect(QRectF(*layout.lane_body(lane, column, width)), 8, 8)

    def _paint_pinned_lane(self, painter: QPainter, sight: Box) -> None:
        """The header of a lane scrolled past stays in sight until the next lane pushes it."""
        layout = self._layout
        lane = layout.lane_at(sight.y)
        if lane is None or layout.lane_tops[lane] >= sight.y:
            return
        bottom = layout.lane_tops[lane] + layout.lane_heights[lane] - sight.y + HEADER_HEIGHT
        top = min(HEADER_HEIGHT, bottom - LANE_HEADER_HEIGHT)
        painter.save()
        painter.translate(-sight.x, 0)
        painter.fillRect(
            QRectF(0, top - 2, layout.width(self._column_width), LANE_HEADER_HEIGHT),
            _role("window"),
        )
        self._paint_lane(painter, lane, top, sight.x, bands=False)
        painter.restore()

    def _paint_header(self, painter: QPainter) -> None:
        """Column titles and counts, fixed above the lanes."""
        layout, width = self._layout, self._column_width
        scrolled = self.horizontalScrollBar().value()
        painter.fillRect(QRect(0, 0, self.viewport().width(), HEADER_HEIGHT), _role("surface"))
        painter.fillRect(QRect(0, HEADER_HEIGHT - 1, self.viewport().width(), 1), _role("border"))
        count_metrics = self._metrics["small bold"]
        for column, status in enumerate(layout.columns):
            left = MARGIN + column * width - scrolled + 10
            count = str(layout.column_counts[column])
            pill_w = count_metrics.horizontalAdvance(count) + 14
            title = QRectF(left, 0, width - 20 - pill_w - 8, HEADER_HEIGHT)
            used = self._text(painter, title, status.heading, "heading", theme.colour("secondary"))
            pill = QRectF(left + used + 8, (HEADER_HEIGHT - 18) / 2, pill_w, 18)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(_role("pill"))
            painter.drawRoundedRect(pill, 9, 9)
            self._text(painter, pill, count, "small bold", theme.colour("text"), "centre")

    def _card_image(self, card: Card, width: int) -> QPixmap:
        """The card painted once at this width: copying it is far cheaper than painting it."""
        key = (card, width)
        image = self._images.pop(key, None)
        if image is None:
            ratio = self.devicePixelRatioF()
            image = QPixmap(round(width * ratio), round(CARD_HEIGHT * ratio))
            image.setDevicePixelRatio(ratio)
            image.fill(Qt.GlobalColor.transparent)
            painter = QPainter(image)
            prepare(painter)
            self._paint_card(painter, card, QRectF(0, 0, width, CARD_HEIGHT))
            painter.end()
        self._images[key] = image  # now the most recently used
        return image

    @staticmethod
    def _paint_outline(painter: QPainter, box: QRectF) -> None:
        """The current card's navy outline (light blue in the dark theme)."""
        painter.setPen(QPen(_role("accent"), 2))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRoundedRect(box.adjusted(1, 1, -1, -1), 7, 7)

    def _paint_card(self, painter: QPainter, card: Card, box: QRectF) -> None:
        """One card; its state is in words as well as colours."""
        painter.setPen(QPen(_role("border"), 1))
        painter.setBrush(_role("surface"))
        painter.drawRoundedRect(box.adjusted(0.5, 0.5, -0.5, -0.5), 8, 8)
        left, width, top = box.left() + _PAD, box.width() - 2 * _PAD, box.top()
        right = left + width
        centre: _Align = "centre"
        colour = colour_or(card.severity_colour, theme.colour("muted"))
        chip_w = min(self._metrics["chip"].horizontalAdvance(card.severity) + 10, width / 3)
        chip = QRectF(left, top + 7, chip_w, 17)
        # A pale level colour (yellow, say) needs an edge to show on the white card.
        painter.setPen(QPen(colour.darker(160), 1) if faint_on_white(colour) else Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        painter.drawRoundedRect(chip, 4, 4)
        self._text(painter, chip, card.severity, "chip", readable_text_on(colour.name()), centre)
        x = chip.right() + 7
        ref, muted, text = theme.colour("accent"), theme.colour("muted"), theme.colour("text")
        x += self._text(painter, QRectF(x, top + 6, right - x, 19), card.ref, "ref", ref) + 8
        self._text(painter, QRectF(x, top + 6, right - x, 19), card.customer, "small", muted)
        first, second = self._title(card.title, int(width))
        self._text(painter, QRectF(left, top + 26, width, 15), first, "title", text)
        if second:
            self._text(painter, QRectF(left, top + 41, width, 15), second, "title", text)
        line = QRectF(left, top + 57, width, 14)
        if card.liaison is None:
            flag_w = self._metrics["small bold"].horizontalAdvance("No liaison") + 12
            flag = QRectF(right - flag_w, line.top(), flag_w, line.height() + 1)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(_role("flag"))
            painter.drawRoundedRect(flag, 4, 4)
            self._text(painter, flag, "No liaison", "small bold", theme.colour("flagText"), centre)
            line.setRight(flag.left() - 6)
        people = self._fit(people_line(card), "small", line.width())
        self._text(painter, line, people, "small", theme.colour("secondary"))
        row = QRectF(left, top + 72, width, 15)
        used = self._paint_countdown(painter, card, row)
        row.setRight(row.right() - used - (8 if used else 0))
        update = self._fit(update_ages(card.last_update), "small", row.width())
        # Cut short, "no up…" would say nothing: it is left to the tooltip instead.
        if self._metrics["small"].horizontalAdvance(update) <= row.width():
            self._text(painter, row, update, "small", muted)

    def _paint_countdown(self, painter: QPainter, card: Card, row: QRectF) -> float:
        """The countdown at the row's right; returns its width."""
        state = card.deadline_state
        if state is DeadlineState.BREACHED:
            text = card.countdown or "Breached"
            width = self._metrics["small bold"].horizontalAdvance(text) + 12
            pill = QRectF(row.right() - width, row.top(), width, row.height() + 1)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(_role("breach"))
            painter.drawRoundedRect(pill, 4, 4)
            self._text(painter, pill, text, "small bold", theme.colour("flagText"), "centre")
            return width
        if not card.countdown:
            return 0.0
        role, words = _DEADLINE_LOOK.get(state, ("muted", "")) if state else ("muted", "")
        colour = theme.colour(role)
        return self._text(painter, row, words + card.countdown, "small bold", colour, "right")

    def _paint_target(self, painter: QPainter, drag: _Drag) -> None:
        """The cell a dropped card would land in: navy when allowed, red when refused."""
        layout = self._layout
        drop = layout.drop(drag.index, drag.target)
        if drop is None or drag.target is None:
            return
        lane, column = drag.target
        colour = QColor(_role("accent" if drop[1] else "flag"))
        fill = QColor(colour)
        fill.setAlpha(32)
        painter.setPen(QPen(colour, 2, Qt.PenStyle.DashLine))
        painter.setBrush(fill)
        body = QRectF(*layout.lane_body(lane, column, self._column_width))
        painter.drawRoundedRect(body.adjusted(1, 1, -1, -1), 8, 8)

    def _paint_ghost(self, painter: QPainter, drag: _Drag) -> None:
        """The dragged card under the pointer, with what dropping it would do."""
        layout = self._layout
        box = layout.card_box(drag.index, self._column_width)
        top_left = drag.pointer - drag.grip
        ghost = QRectF(top_left.x(), top_left.y(), box.width, box.height)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(0, 0, 0, 40))
        painter.drawRoundedRect(ghost.translated(2, 3), 8, 8)
        painter.setOpacity(0.94)
        painter.drawPixmap(ghost.topLeft(), self._card_image(self._shown(drag.index), box.width))
        painter.setOpacity(1.0)
        self._paint_outline(painter, ghost)
        drop = layout.drop(drag.index, drag.target)
        if drop is not None and drop[0]:
            hint, allowed = drop
            width = self._metrics["small bold"].horizontalAdvance(hint) + 16
            pill = QRectF(ghost.left(), ghost.bottom() + 4, width, 20)
            painter.setPen(Qt.PenStyle.NoPen)
            # Filled pills keep the light theme's navy and red: white text reads on both.
            painter.setBrush(_colour(theme.LIGHT["accent" if allowed else "flag"]))
            painter.drawRoundedRect(pill, 10, 10)
            self._text(painter, pill, hint, "small bold", "#ffffff", "centre")

    # Painting helpers -----------------------------------------------------------------------

    def _text(
        self,
        painter: QPainter,
        rect: QRectF,
        text: str,
        face: str,
        colour: str,
        align: _Align = "left",
    ) -> float:
        """One line elided to ``rect``, centred vertically; returns the drawn width."""
        if rect.width() <= 0 or not text:
            return 0.0
        key = (text, face, int(rect.width()))
        entry = self._texts.get(key)
        if entry is None:
            if len(self._texts) > 20_000:
                self._texts.clear()  # bounded: a long scroll must not grow it forever
            measure = self._metrics[face]
            shown = measure.elidedText(text, Qt.TextElideMode.ElideRight, int(rect.width()))
            # Static text keeps its glyph layout: laying text out is most of a card's cost.
            static = QStaticText(shown)
            static.setTextFormat(Qt.TextFormat.PlainText)  # a "<" in a title is not markup
            static.setPerformanceHint(QStaticText.PerformanceHint.AggressiveCaching)
            entry = self._texts[key] = (static, measure.horizontalAdvance(shown))
        static, advance = entry
        x = rect.left()
        if align == "right":
            x = rect.right() - advance
        elif align == "centre":
            x += (rect.width() - advance) / 2
        y = rect.top() + (rect.height() - self._metrics[face].height()) / 2
        painter.setFont(self._fonts[face])
        painter.setPen(_colour(colour))
        painter.drawStaticText(QPointF(x, y), static)
        return advance

    def _fit(self, candidates: tuple[str, ...], face: str, width: float) -> str:
        """The first of ``candidates`` (longest first) that fits, else the last one elided."""
        key = (candidates, face, int(width))
        fitting = self._fits.get(key)
        if fitting is None:
            if len(self._fits) > 20_000:
                self._fits.clear()
            self._images.clear()
            measure = self._metrics[face]
            fits = (c for c in candidates if measure.horizontalAdvance(c) <= int(width))
            fitting = self._fits[key] = next(fits, candidates[-1])
        return fitting

    def _title(self, title: str, width: int) -> tuple[str, str]:
        """The title on two lines at most, broken between words, the second elided."""
        key = (title, width)
        lines = self._titles.get(key)
        if lines is None:
            if len(self._titles) > 10_000:
                self._titles.clear()
            lines = two_lines(title, self._metrics["title"].horizontalAdvance, width)
            self._titles[key] = lines
        return lines


@cache
def _colour(name: str) -> QColor:
    """A colour by name, parsed once."""
    return QColor(name)


def _role(role: str) -> QColor:
    """A colour of the current theme by role."""
    return _colour(theme.colour(role))
