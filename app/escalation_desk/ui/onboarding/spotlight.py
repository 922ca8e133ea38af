"""The walkthrough player (a dimmed window with a spotlight and a callout) and the widget picker."""

from __future__ import annotations

import re
from collections.abc import Callable
from itertools import pairwise
from typing import TypeVar

import shiboken6
from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QObject,
    QPoint,
    QRect,
    QRectF,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPalette,
    QPen,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QButtonGroup,
    QFrame,
    QGraphicsDropShadowEffect,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSizePolicy,
    QStyle,
    QStyleOptionButton,
    QStyleOptionFocusRect,
    QStylePainter,
    QVBoxLayout,
    QWidget,
)

from escalation_desk.domain.walkthrough import Question, Step, Walkthrough
from escalation_desk.ui import theme

DIM = QColor(0, 0, 0, 150)
HOLE_PADDING = 6  # room between the target and the edge of the spotlight
HOLE_RADIUS = 8.0
OUTLINE_WIDTH = 3
MARGIN = 12  # the callout keeps this far from the window's edges
GAP = 10  # between the spotlight and the callout
CALLOUT_WIDTH = 360
WRONG = "Not quite: try again."
RIGHT = "Right."

# "matrixGrid:3:0" names one cell of an item view; anything else is a plain object name.
_CELL = re.compile(r"^(?P<name>.+):(?P<row>\d+):(?P<column>\d+)$", re.ASCII)
# Qt names some of its own parts ("qt_scrollarea_viewport"); a step cannot rely on those.
_QT_INTERNAL = "qt_"

_FOLLOWED = frozenset({QEvent.Type.Resize, QEvent.Type.Move, QEvent.Type.Show, QEvent.Type.Hide})
_POINTER = frozenset(
    {
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseButtonRelease,
        QEvent.Type.MouseButtonDblClick,
        QEvent.Type.Wheel,
        QEvent.Type.ContextMenu,
    }
)

_CALLOUT_STYLE = """
QFrame#walkthroughCallout {
    background: palette(base);
    border: 1px solid palette(mid);
    border-radius: 10px;
}
QLabel#walkthroughTitle { font-size: 15px; font-weight: 600; }
QLabel#walkthroughPrompt { font-weight: 600; }
"""
# The progress line's colour is in app.qss; the verdict's is the theme's at the time it shows.
_VERDICT_STYLE = "color: {}; font-weight: 600;"

_W = TypeVar("_W", bound=QWidget)


def parse_cell(spec: str) -> tuple[str, int, int] | None:
    """``("grid", 2, 1)`` for the cell target "grid:2:1"; None for a plain object name."""
    match = _CELL.match(spec)
    if match is None:
        return None
    return match["name"], int(match["row"]), int(match["column"])


def place_callout(size: QSize, hole: QRect, bounds: QRect) -> QRect:
    """Where a callout of ``size`` goes: below the hole if it fits, else above, right, left.

    Without a hole, or when no side has room, it is centred in ``bounds``; the result always
    lies inside ``bounds`` as long as ``size`` does.
    """
    width, height = size.width(), size.height()
    centred = QRect(
        bounds.x() + (bounds.width() - width) // 2,
        bounds.y() + (bounds.height() - height) // 2,
        width,
        height,
    )
    if hole.isNull():
        return centred
    hole_bottom, hole_right = hole.y() + hole.height(), hole.x() + hole.width()
    bounds_bottom, bounds_right = bounds.y() + bounds.height(), bounds.x() + bounds.width()
    across = hole.x() + (hole.width() - width) // 2
    along = hole.y() + (hole.height() - height) // 2
    sides = (
        (hole_bottom + GAP + height <= bounds_bottom, QPoint(across, hole_bottom + GAP)),
        (hole.y() - GAP - height >= bounds.y(), QPoint(across, hole.y() - GAP - height)),
        (hole_right + GAP + width <= bounds_right, QPoint(hole_right + GAP, along)),
        (hole.x() - GAP - width >= bounds.x(), QPoint(hole.x() - GAP - width, along)),
    )
    for fits, corner in sides:
        if fits:
            # Slide along the side it sits on so that no part leaves the window.
            x = max(bounds.x(), min(corner.x(), bounds_right - width))
            y = max(bounds.y(), min(corner.y(), bounds_bottom - height))
            return QRect(x, y, width, height)
    return centred


def pick_name(widget: QWidget, pos: QPoint, window: QWidget) -> str:
    """The target a step would name for a press at ``pos`` (``widget`` coordinates).

    "view:row:column" for a cell of a named item view, else the object name of the nearest
    named widget from ``widget`` up to (not including) ``window``; "" when there is none.
    """
    current: QWidget | None = widget
    while current is not None and current is not window:
        view = _view_of_viewport(current)
        if view is not None and _is_named(view):
            index = view.indexAt(widget.mapTo(current, pos))
            if index.isValid():
                return f"{view.objectName()}:{index.row()}:{index.column()}"
        if _is_named(current):
            return current.objectName()
        current = current.parentWidget()
    return ""


def _is_named(widget: QWidget) -> bool:
    name = widget.objectName()
    return bool(name) and not name.startswith(_QT_INTERNAL)


def _view_of_viewport(widget: QWidget) -> QAbstractItemView | None:
    parent = widget.parentWidget()
    if isinstance(parent, QAbstractItemView) and parent.viewport() is widget:
        return parent
    return None


def _scroll_into_view(widget: QWidget) -> None:
    """Scroll every scroll area that holds ``widget`` so that it shows."""
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QScrollArea):
            parent.ensureWidgetVisible(widget)
        parent = parent.parentWidget()


class _ChoiceButton(QRadioButton):
    """A radio button whose text wraps: answers to a question are often wider than the card."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)

    def hasHeightForWidth(self) -> bool:
        """The height depends on how many lines the text wraps to."""
        return True

    def heightForWidth(self, width: int) -> int:
        """As tall as the wrapped text (and at least the indicator)."""
        indicator = self.style().pixelMetric(
            QStyle.PixelMetric.PM_ExclusiveIndicatorHeight, None, self
        )
        return max(indicator, self._text_bounds(width).height()) + 2  # room for the focus frame

    def minimumSizeHint(self) -> QSize:
        """Narrow: the text wraps instead of widening the card."""
        return QSize(self._indent() + 60, self.heightForWidth(self._indent() + 60))

    def hitButton(self, pos: QPoint) -> bool:
        """The whole row ticks the choice, second lines included."""
        return self.rect().contains(pos)

    def paintEvent(self, event: QPaintEvent) -> None:
        """The indicator beside the first line, the text wrapped, the focus frame around it."""
        painter = QStylePainter(self)
        option = QStyleOptionButton()
        self.initStyleOption(option)
        option.rect = QRect(0, 0, self.width(), self.fontMetrics().height())
        option.rect = self.style().subElementRect(
            QStyle.SubElement.SE_RadioButtonIndicator, option, self
        )
        painter.drawPrimitive(QStyle.PrimitiveElement.PE_IndicatorRadioButton, option)
        text = self._text_bounds(self.width()).translated(self._indent(), 1)
        flags = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap
        painter.drawItemText(
            text, int(flags), self.palette(), self.isEnabled(), self.text(), self.foregroundRole()
        )
        if self.hasFocus():
            frame = QStyleOptionFocusRect()
            frame.initFrom(self)
            frame.rect = text.adjusted(-2, -1, 2, 1)
            painter.drawPrimitive(QStyle.PrimitiveElement.PE_FrameFocusRect, frame)

    def _indent(self) -> int:
        style = self.style()
        return style.pixelMetric(
            QStyle.PixelMetric.PM_ExclusiveIndicatorWidth, None, self
        ) + style.pixelMetric(QStyle.PixelMetric.PM_RadioButtonLabelSpacing, None, self)

    def _text_bounds(self, width: int) -> QRect:
        available = QRect(0, 0, max(1, width - self._indent()), 10_000)
        return self.fontMetrics().boundingRect(
            available, int(Qt.TextFlag.TextWordWrap), self.text()
        )


class _Callout(QFrame):
    """The card of a step: title, progress, text, an optional question and the buttons."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("walkthroughCallout")
        self.setStyleSheet(_CALLOUT_STYLE)
        self.title = self._label("walkthroughTitle")
        self.progress = QLabel(self)
        self.progress.setObjectName("walkthroughProgress")
        self.text = self._label("walkthroughText")
        self.prompt = self._label("walkthroughPrompt")
        self.feedback = self._label("walkthroughFeedback")
        self.feedback.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        # One line is kept for the verdict so that the card does not jump when it appears.
        self.feedback.setMinimumHeight(self.feedback.fontMetrics().height())
        self.choices: list[QRadioButton] = []
        self.group = QButtonGroup(self)
        self.back_button = self._button("walkthroughBack", "Back", "Previous step")
        self.skip_button = self._button("walkthroughSkip", "Skip", "Skip the walkthrough")
        self.next_button = self._button("walkthroughNext", "Next", "Next step")
        self._choice_column = QVBoxLayout()
        self._choice_column.setSpacing(4)
        self._lay_out()
        self._order_tabs()
        shadow = QGraphicsDropShadowEffect(self)
        shadow.setBlurRadius(28)
        shadow.setOffset(0, 6)
        shadow.setColor(QColor(0, 0, 0, 110))
        self.setGraphicsEffect(shadow)

    def show_step(self, step: Step, progress: str, *, first: bool, last: bool) -> None:
        """Show ``step`` with its position ("3 of 9"); the first has no Back, the last Finish."""
        self.title.setText(step.title)
        self.progress.setText(progress)
        self.progress.setAccessibleName(f"Step {progress}")
        self.text.setText(step.text)
        self.text.setVisible(bool(step.text))
        self._show_question(step.question)
        self.back_button.setEnabled(not first)
        self.next_button.setText("Finish" if last else "Next")
        self.next_button.setAccessibleName("Finish the walkthrough" if last else "Next step")
        self.setAccessibleName(f"Walkthrough step {progress}: {step.title}")
        self.setAccessibleDescription(step.text)

    def check(self, choice: int) -> None:
        """Tick a choice again (when coming back to a step already answered)."""
        self.choices[choice].setChecked(True)

    def show_verdict(self, right: bool | None) -> None:
        """Say whether the choice is right; None says nothing (no choice yet)."""
        if right is None:
            self.feedback.clear()
            self.feedback.setAccessibleName("")
            return
        self.feedback.setText(RIGHT if right else WRONG)
        self.feedback.setAccessibleName(self.feedback.text())
        self.feedback.setStyleSheet(_VERDICT_STYLE.format(theme.colour("good" if right else "bad")))

    def focus_ring(self) -> list[QWidget]:
        """The parts Tab moves between, in order: the choices, Back, Skip, Next."""
        return [*self.choices, self.back_button, self.skip_button, self.next_button]

    def _label(self, name: str) -> QLabel:
        label = QLabel(self)
        label.setObjectName(name)
        label.setWordWrap(True)
        # Steps are written by leads in a form, not in HTML: show their text as typed.
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        return label

    def _button(self, name: str, text: str, accessible: str) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(name)
        button.setAccessibleName(accessible)
        # A click must leave the keyboard with the overlay, where the arrows step the tour;
        # a push button with focus would take them to move the focus instead.
        button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        return button

    def _lay_out(self) -> None:
        header = QHBoxLayout()
        header.addWidget(self.title, 1)
        header.addWidget(self.progress, 0, Qt.AlignmentFlag.AlignTop)
        buttons = QHBoxLayout()
        buttons.addWidget(self.back_button)
        buttons.addStretch(1)
        buttons.addWidget(self.skip_button)
        buttons.addWidget(self.next_button)
        column = QVBoxLayout(self)
        column.setContentsMargins(16, 14, 16, 14)
        column.setSpacing(8)
        column.addLayout(header)
        column.addWidget(self.text)
        column.addWidget(self.prompt)
        column.addLayout(self._choice_column)
        column.addWidget(self.feedback)
        column.addSpacing(4)
        column.addLayout(buttons)

    def _show_question(self, question: Question | None) -> None:
        choices = question.choices if question is not None else ()
        self._ensure_choices(len(choices))
        self._untick()
        for number, radio in enumerate(self.choices):
            radio.setVisible(number < len(choices))
            if number < len(choices):
                radio.setText(choices[number])
                radio.setAccessibleName(choices[number])
        self.prompt.setText(question.prompt if question is not None else "")
        self.prompt.setVisible(bool(question is not None and question.prompt))
        self.feedback.setVisible(question is not None)
        self.show_verdict(None)

    def _ensure_choices(self, count: int) -> None:
        """Radio buttons are kept and reused so none is deleted while it handles a key."""
        if len(self.choices) >= count:
            return
        while len(self.choices) < count:
            radio = _ChoiceButton(self)
            radio.setObjectName(f"walkthroughChoice{len(self.choices)}")
            radio.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            self.group.addButton(radio, len(self.choices))
            self._choice_column.addWidget(radio)
            self.choices.append(radio)
        self._order_tabs()

    def _untick(self) -> None:
        # An exclusive group refuses to untick its last ticked button.
        self.group.setExclusive(False)
        for radio in self.choices:
            radio.setChecked(False)
        self.group.setExclusive(True)

    def _order_tabs(self) -> None:
        ring = self.focus_ring()
        for before, after in pairwise(ring):
            QWidget.setTabOrder(before, after)


class WalkthroughPlayer(QWidget):
    """Plays a walkthrough over ``window``, a step at a time.

    The overlay covers the whole window, dims it except for a spotlight on the widget the step
    points at, and shows a callout card beside it. ``navigate(screen)`` is called first when a
    step names a screen. ``finished`` is emitted once: True after Finish, False when skipped;
    the overlay then removes itself.
    """

    # The keys keyPressEvent reads, for Help > Keyboard shortcuts.
    KEY_HELP = (
        ("Next step", ("Right",)),
        ("Press the callout's focused button, else next step", ("Return",)),
        ("Step back", ("Left",)),
        ("Leave the walkthrough", ("Esc",)),
    )

    finished = Signal(bool)
    step_changed = Signal(int)

    def __init__(
        self, window: QWidget, walkthrough: Walkthrough, navigate: Callable[[str], None]
    ) -> None:
        super().__init__(window)
        self.setObjectName("walkthroughPlayer")
        self.setAccessibleName(f"Walkthrough: {walkthrough.title}")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.hide()
        self._window = window
        self._walkthrough = walkthrough
        self._navigate = navigate
        self._index = -1
        self._hole = QRect()
        self._chosen: dict[int, int] = {}
        self._tracked: list[QWidget] = []
        self._started = False
        self._done = False
        self._laying_out = False
        self._previous_focus: QWidget | None = None
        self._callout = _Callout(self)
        self._callout.back_button.clicked.connect(self.previous_step)
        self._callout.skip_button.clicked.connect(self.skip)
        self._callout.next_button.clicked.connect(self.next_step)
        self._callout.group.idClicked.connect(self._choose)
        # Pages and item views may settle only once the events of a step change have run:
        # look for the target once more then.
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(0)
        self._settle.timeout.connect(self._relayout)
        self.setGeometry(window.rect())

    @property
    def index(self) -> int:
        """The index of the step shown (-1 before ``start``)."""
        return self._index

    @property
    def callout(self) -> QFrame:
        """The card that shows the step."""
        return self._callout

    def target_rect(self) -> QRect:
        """The spotlight in overlay coordinates; a null QRect when the step shows no widget."""
        return QRect(self._hole)

    def start(self) -> None:
        """Show the first step over the window and take the keyboard."""
        if self._started:
            return
        self._started = True
        if not self._walkthrough.steps:
            self._finish(False)
            return
        self._previous_focus = QApplication.focusWidget()
        self._window.installEventFilter(self)
        self.setGeometry(self._window.rect())
        self.raise_()
        self.show()
        self.setFocus(Qt.FocusReason.OtherFocusReason)
        self._show_step(0)

    def next_step(self) -> None:
        """Go on (Finish on the last step), unless the step's question is not answered right."""
        if not self._playing() or not self._next_allowed():
            return
        if self._index == len(self._walkthrough.steps) - 1:
            self._finish(True)
        else:
            self._show_step(self._index + 1)

    def previous_step(self) -> None:
        """Go back a step (nothing on the first)."""
        if self._playing() and self._index > 0:
            self._show_step(self._index - 1)

    def skip(self) -> None:
        """Leave the walkthrough before its end."""
        if self._playing():
            self._finish(False)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Follow the window and the target: look again whenever one moves, resizes or hides."""
        if not shiboken6.isValid(self._window):
            # The window is being destroyed (with this overlay): its last events mean nothing.
            return False
        kind = event.type()
        if kind == QEvent.Type.ChildAdded and watched is self._window:
            # A widget added to the window later would be stacked over the overlay.
            self.raise_()
        elif kind in _FOLLOWED:
            self._relayout()
        return False

    def event(self, event: QEvent) -> bool:
        """Keep clicks and wheel turns away from the window under the tour."""
        if event.type() in _POINTER:
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Esc skips, Right and Enter go on, Left goes back."""
        key = event.key()
        if key == Qt.Key.Key_Escape:
            self.skip()
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._press_focused_or_next()
        elif key == Qt.Key.Key_Right:
            self.next_step()
        elif key == Qt.Key.Key_Left:
            self.previous_step()
        # Other keys stop here too: the window under the tour is not to be driven blind.
        event.accept()

    def focusNextPrevChild(self, next: bool) -> bool:
        """Tab cycles through the callout only."""
        ring = [w for w in self._callout.focus_ring() if w.isVisible() and w.isEnabled()]
        if not ring:
            return False
        focus = QApplication.focusWidget()
        position = ring.index(focus) if focus in ring else (-1 if next else len(ring))
        reason = Qt.FocusReason.TabFocusReason if next else Qt.FocusReason.BacktabFocusReason
        ring[(position + (1 if next else -1)) % len(ring)].setFocus(reason)
        return True

    def paintEvent(self, event: QPaintEvent) -> None:
        """Dim everything but the spotlight, and outline the spotlight in the accent colour."""
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        shade = QPainterPath()
        # Odd-even filling leaves the rounded rectangle inside the window's rectangle unfilled.
        shade.setFillRule(Qt.FillRule.OddEvenFill)
        shade.addRect(QRectF(self.rect()))
        if not self._hole.isNull():
            shade.addRoundedRect(QRectF(self._hole), HOLE_RADIUS, HOLE_RADIUS)
        painter.fillPath(shade, DIM)
        if not self._hole.isNull():
            inset = OUTLINE_WIDTH / 2  # the whole stroke stays inside the padding
            painter.setPen(QPen(self.palette().color(QPalette.ColorRole.Highlight), OUTLINE_WIDTH))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(
                QRectF(self._hole).adjusted(inset, inset, -inset, -inset),
                HOLE_RADIUS - inset,
                HOLE_RADIUS - inset,
            )
        painter.end()

    def _playing(self) -> bool:
        return self._started and not self._done

    def _show_step(self, index: int) -> None:
        self._index = index
        step = self._walkthrough.steps[index]
        self._untrack()
        if step.screen:
            self._navigate(step.screen)
            if self._done:  # the app may end the tour when it changes screens
                return
        self._callout.show_step(
            step,
            self._walkthrough.progress(index),
            first=index == 0,
            last=index == len(self._walkthrough.steps) - 1,
        )
        if index in self._chosen:
            self._callout.check(self._chosen[index])
        self._show_verdict()
        self._relayout()
        self._settle.start()
        self._keep_focus()
        self.step_changed.emit(index)

    def _choose(self, choice: int) -> None:
        self._chosen[self._index] = choice
        self._show_verdict()

    def _next_allowed(self) -> bool:
        question = self._walkthrough.steps[self._index].question
        return question is None or self._chosen.get(self._index) == question.answer

    def _show_verdict(self) -> None:
        question = self._walkthrough.steps[self._index].question
        chosen = self._chosen.get(self._index)
        if question is None or chosen is None:
            self._callout.show_verdict(None)
        else:
            self._callout.show_verdict(chosen == question.answer)
        self._callout.next_button.setEnabled(self._next_allowed())

    def _relayout(self) -> None:
        """Find the target again, cut the spotlight around it and put the callout beside it."""
        if not self._playing() or self._index < 0:
            return
        if self._laying_out:  # scrolling to the target moved something: look again later
            self._settle.start()
            return
        self._laying_out = True
        try:
            self.setGeometry(self._window.rect())
            self._untrack()
            self._hole = self._spotlight(self._walkthrough.steps[self._index].widget)
            self._callout.setGeometry(self._callout_geometry())
            self.update()
        finally:
            self._laying_out = False

    def _spotlight(self, spec: str) -> QRect:
        area = self._target_area(spec) if spec else QRect()
        if area.isNull():
            return QRect()
        padded = area.adjusted(-HOLE_PADDING, -HOLE_PADDING, HOLE_PADDING, HOLE_PADDING)
        return padded & self.rect()

    def _target_area(self, spec: str) -> QRect:
        """The visible part of the target in overlay coordinates; null when it is not there."""
        cell = parse_cell(spec)
        if cell is not None:
            view = self._find(QAbstractItemView, cell[0])
            if view is not None:
                return self._cell_area(view, cell[1], cell[2])
        widget = self._find(QWidget, cell[0] if cell is not None else spec)
        if widget is None:
            return QRect()
        _scroll_into_view(widget)
        self._track(widget)
        return self._visible_area(widget, widget.rect())

    def _cell_area(self, view: QAbstractItemView, row: int, column: int) -> QRect:
        model = view.model()
        index = model.index(row, column) if model is not None else QModelIndex()
        _scroll_into_view(view)
        self._track(view.viewport())
        if not index.isValid():
            # The table has fewer rows than when the step was written: point at all of it.
            return self._visible_area(view, view.rect())
        view.scrollTo(index)
        return self._visible_area(view.viewport(), view.visualRect(index))

    def _find(self, kind: type[_W], name: str) -> _W | None:
        """The first widget of ``kind`` named ``name`` that shows (or will with the window).

        When all of them are hidden, the first is watched all the same: its Show event brings
        the spotlight back (a page shown late, a panel opened).
        """
        found = [w for w in self._window.findChildren(kind, name) if not self.isAncestorOf(w)]
        for widget in found:
            if widget.isVisibleTo(self._window):
                return widget
        if found:
            self._track(found[0])
        return None

    def _visible_area(self, widget: QWidget, rect: QRect) -> QRect:
        """``rect`` of ``widget`` in overlay coordinates, less what its ancestors clip off."""
        area = QRect(widget.mapTo(self._window, rect.topLeft()), rect.size())
        current: QWidget | None = widget
        while current is not None and current is not self._window:
            area &= QRect(current.mapTo(self._window, QPoint(0, 0)), current.size())
            current = current.parentWidget()
        if area.isEmpty():
            return QRect()
        return area.translated(self.mapFrom(self._window, QPoint(0, 0)))

    def _callout_geometry(self) -> QRect:
        bounds = self.rect().adjusted(MARGIN, MARGIN, -MARGIN, -MARGIN)
        width = max(1, min(CALLOUT_WIDTH, bounds.width()))
        callout = self._callout
        wanted = (
            callout.heightForWidth(width)
            if callout.hasHeightForWidth()
            else callout.sizeHint().height()
        )
        height = max(1, min(wanted, bounds.height()))
        return place_callout(QSize(width, height), self._hole, bounds)

    def _track(self, widget: QWidget) -> None:
        """Watch ``widget`` and its ancestors: any of them moving moves the target."""
        current: QWidget | None = widget
        while current is not None and current is not self._window:
            current.installEventFilter(self)
            self._tracked.append(current)
            current = current.parentWidget()

    def _untrack(self) -> None:
        for widget in self._tracked:
            if shiboken6.isValid(widget):
                widget.removeEventFilter(self)
        self._tracked.clear()

    def _keep_focus(self) -> None:
        """Keep the keyboard inside the tour, on the overlay unless Tab put it on the card."""
        focus = QApplication.focusWidget()
        inside = focus is not None and (focus is self or self.isAncestorOf(focus))
        if not inside or focus is None or not focus.isVisible() or not focus.isEnabled():
            self.setFocus(Qt.FocusReason.OtherFocusReason)

    def _press_focused_or_next(self) -> None:
        focus = QApplication.focusWidget()
        if isinstance(focus, QPushButton) and self._callout.isAncestorOf(focus):
            focus.click()
        else:
            self.next_step()

    def _finish(self, completed: bool) -> None:
        if self._done:
            return
        self._done = True
        self._settle.stop()
        self._untrack()
        self._window.removeEventFilter(self)
        self.hide()
        previous = self._previous_focus
        if previous is not None and shiboken6.isValid(previous) and previous.isVisible():
            previous.setFocus(Qt.FocusReason.OtherFocusReason)
        self.finished.emit(completed)
        self.deleteLater()


class WidgetPicker(QObject):
    """Lets the author of a walkthrough point at a widget of ``window`` to name a step's target.

    After ``start`` the cursor is a cross and the next left press inside the window is taken
    (not passed on) and reported as ``picked`` with the name a step would use: the nearest
    named widget, or "view:row:column" for a cell of a named item view. Esc ``cancelled``.
    """

    picked = Signal(str)
    cancelled = Signal()

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self._window = window
        self._picking = False
        # The press that picked was taken; its release must be too, or the widget under the
        # cursor could take it as a click (an item view remembers the cell pressed last).
        self._draining = False

    @property
    def active(self) -> bool:
        """Whether a press is awaited."""
        return self._picking

    def start(self) -> None:
        """Wait for a press on a widget of the window, with a cross for a cursor."""
        if self._picking:
            return
        app = QApplication.instance()
        if app is None:
            raise RuntimeError("The widget picker needs a running QApplication.")
        if not self._draining:
            app.installEventFilter(self)
        self._draining = False
        QApplication.setOverrideCursor(Qt.CursorShape.CrossCursor)
        self._picking = True

    def cancel(self) -> None:
        """Stop waiting, without a pick (what Esc does)."""
        if not self._picking:
            return
        self._stop_picking()
        self._remove_filter()
        self.cancelled.emit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Take presses inside the window while picking; Esc anywhere cancels."""
        if not isinstance(watched, QWidget) or not shiboken6.isValid(self._window):
            return False
        if self._draining:
            return self._drain(event)
        if not self._picking:
            return False
        if isinstance(event, QKeyEvent) and event.key() == Qt.Key.Key_Escape:
            return self._escape(event)
        if event.type() not in _POINTER or not self._inside(watched):
            return False
        if (
            event.type() == QEvent.Type.MouseButtonPress
            and isinstance(event, QMouseEvent)
            and event.button() == Qt.MouseButton.LeftButton
        ):
            name = pick_name(watched, event.position().toPoint(), self._window)
            if name:
                self._pick(name)
        # Presses on nothing named are taken too: the window is not to be used while picking.
        return True

    def _escape(self, event: QKeyEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride:
            # Claim Esc before any shortcut of the window does, so that it arrives as a key.
            event.accept()
            return True
        if event.type() == QEvent.Type.KeyPress:
            self.cancel()
            return True
        return False

    def _pick(self, name: str) -> None:
        self._stop_picking()
        self._draining = True
        self.picked.emit(name)

    def _drain(self, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.MouseButtonRelease, QEvent.Type.MouseButtonDblClick):
            if kind == QEvent.Type.MouseButtonRelease:
                self._draining = False
                self._remove_filter()
            return True
        if kind == QEvent.Type.MouseButtonPress:  # the release never came: stop waiting for it
            self._draining = False
            self._remove_filter()
        return False

    def _inside(self, widget: QWidget) -> bool:
        return widget is self._window or self._window.isAncestorOf(widget)

    def _stop_picking(self) -> None:
        if self._picking:
            self._picking = False
            QApplication.restoreOverrideCursor()

    def _remove_filter(self) -> None:
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
