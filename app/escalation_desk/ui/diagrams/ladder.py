"""The escalation ladder: one severity level's steps and deadlines on a vertical time axis."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from enum import IntEnum

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPainterPath, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from escalation_desk.domain.durations import BUSINESS_DAY_MINUTES, Duration, format_duration
from escalation_desk.domain.matrix import SeverityLevel, UpdatesBy
from escalation_desk.ui.diagrams import (
    BACKGROUND,
    BORDER,
    LINE,
    MUTED,
    NAVY,
    TEXT,
    colour_or,
    draw_line_of_text,
    faint_on_white,
    font,
    metrics,
    paint_sentence,
    prepare,
    spread,
)

NO_LEVEL = "Select a level to see its escalation path."
NO_STEPS = "This level has no escalation steps yet."

_MARGIN = 16.0
_LABEL_GAP = 6.0
# Tick spacings that read as round numbers, in minutes; a business day is 8 hours long.
_CLOCK_STEPS = (5, 10, 15, 30, 60, 120, 180, 240, 360, 720, 1440, 2880, 4320, 10080, 20160)
_BUSINESS_STEPS = (5, 10, 15, 30, 60, 120, 240, BUSINESS_DAY_MINUTES, 960, 2400, 4800, 9600)
_MIN_TICK_SPACING = 34.0  # pixels between tick labels, so "30 min" and "45 min" never touch
_MIN_UPDATE_SPACING = 5.0  # closer update dots would blur into a bar
_UPDATE_TRACK = 14.0  # update dots sit this far left of the axis
_TICK_LABEL_GAP = 22.0  # room between tick labels and the axis for the update dots
_DEADLINE_HALF = 11.0  # how far a deadline bar reaches right of the axis
_DEADLINE_REACH = 18.0  # and left of it


@dataclass(frozen=True, slots=True)
class LadderData:
    """What the ladder shows: one level, and who holds each role it names."""

    level: SeverityLevel
    holders: dict[str, str] = field(default_factory=dict)  # role name -> person holding it


class _Kind(IntEnum):
    # The value orders labels of marks on the same minute: the response deadline is what an
    # agent looks for first, so it stays nearest its point on the axis.
    RESPOND = 0
    STEP = 1
    RESOLVE = 2


@dataclass(frozen=True, slots=True)
class _Mark:
    kind: _Kind
    minutes: int
    lines: tuple[str, ...]


def paint_ladder(painter: QPainter, rect: QRectF, data: LadderData | None) -> None:
    """Paint ``data``'s escalation path into ``rect``; a sentence says why when there is none."""
    painter.save()
    try:
        prepare(painter)
        if data is None:
            paint_sentence(painter, rect, NO_LEVEL)
            return
        top = _paint_title(painter, rect, data.level, caption=bool(data.level.steps))
        if not data.level.steps:
            paint_sentence(painter, rect.adjusted(0, top - rect.top(), 0, 0), NO_STEPS)
            return
        _Ladder(painter, rect, data, top).paint()
    finally:
        painter.restore()


def ladder_title(level: SeverityLevel) -> str:
    """The ladder's title: "P1 Critical — escalation path"."""
    return f"{level.label} — escalation path"


def describe_ladder(data: LadderData | None) -> str:
    """The ladder in words, for screen readers and tooltips."""
    if data is None:
        return NO_LEVEL
    level = data.level
    if not level.steps:
        return f"{ladder_title(level)}. {NO_STEPS}"
    steps = "; ".join(
        f"{_who(data, step.who())} {_brought_in(step.after_minutes, level.business_hours)}"
        for step in sorted(level.steps, key=lambda s: s.after_minutes)
    )
    parts = [f"{ladder_title(level)}: {steps}."]
    if level.target_response is not None:
        parts.append(f"{_respond_text(level.target_response)}.")
    if level.update_every is not None:
        parts.append(f"Update every {format_duration(level.update_every)}.")
    parts.append(f"{_owner_text(level)}.")
    return " ".join(parts)


def _who(data: LadderData, role: str) -> str:
    holder = data.holders.get(role)
    return f"{role} ({holder})" if holder else role


def _axis_text(minutes: int, business: bool) -> str:
    # The axis caption already says "business hours", and "4 business h" reads badly on a label.
    return format_duration(Duration(minutes, business)).replace(" business", "")


def _brought_in(minutes: int, business: bool) -> str:
    if minutes == 0:
        return "brought in immediately"
    return f"brought in at {_axis_text(minutes, business)}"


def _respond_text(target: Duration) -> str:
    if target.minutes == 0:
        return "Respond immediately"
    return f"Respond within {format_duration(target)}"


def _owner_text(level: SeverityLevel) -> str:
    pair = level.owner_pair()
    return f"Owner: {pair}" if pair else "Owner: no engineer or liaison set"


def _tick_text(minutes: int, business: bool) -> str:
    return "0" if minutes == 0 else _axis_text(minutes, business)


def _paint_title(painter: QPainter, rect: QRectF, level: SeverityLevel, *, caption: bool) -> float:
    """The title with a bar of the level's colour and the axis caption; returns their bottom."""
    title_font = font(15, QFont.Weight.DemiBold)
    line = metrics(painter, title_font).height()
    top = rect.top() + _MARGIN
    bar = QRectF(rect.left() + _MARGIN, top + 1, 5, line - 2)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(colour_or(level.colour, NAVY))
    painter.drawRoundedRect(bar, 2, 2)
    text_rect = QRectF(bar.right() + 8, top, rect.right() - _MARGIN - bar.right() - 8, line)
    draw_line_of_text(painter, text_rect, ladder_title(level), title_font, TEXT)
    if not caption:
        return text_rect.bottom()
    caption_font = font(11)
    caption_line = metrics(painter, caption_font).height()
    words = (
        "Business hours after escalation"
        if level.business_hours
        else "Time after escalation (around the clock)"
    )
    caption_rect = QRectF(text_rect.left(), text_rect.bottom() + 2, text_rect.width(), caption_line)
    draw_line_of_text(painter, caption_rect, words, caption_font, MUTED)
    return caption_rect.bottom()


class _Ladder:
    """One painting of a level with steps; geometry is worked out once, then drawn in layers."""

    def __init__(self, painter: QPainter, rect: QRectF, data: LadderData, top: float) -> None:
        self.painter = painter
        self.rect = rect
        self.data = data
        self.level = data.level
        self.business = data.level.business_hours
        self.colour = colour_or(data.level.colour, NAVY)
        # A light level colour (yellow) vanishes on white; such a level gets a darker edge.
        self.light = faint_on_white(self.colour)
        self.edge = self.colour.darker(170) if self.light else QColor("#ffffff")
        self.top = top
        self.label_font = font(12, QFont.Weight.DemiBold)
        self.detail_font = font(11)
        self.tick_font = font(11)
        self.line_height = metrics(painter, self.label_font).height()
        self.detail_height = metrics(painter, self.detail_font).height()
        self.footer = self._footer_rect()
        self.legend_top = self.footer.top() - 10 - self.detail_height
        self.plot_top = top + 12 + self.line_height
        self.plot_bottom = self.legend_top - 14 - self.line_height / 2
        self.end = self._axis_end()
        self.tick = self._tick_step()
        self.ticks = list(range(0, self.end + 1, self.tick))
        tick_width = max(
            metrics(painter, self.tick_font).horizontalAdvance(_tick_text(m, self.business))
            for m in self.ticks
        )
        self.axis_x = rect.left() + _MARGIN + tick_width + _TICK_LABEL_GAP
        self.label_x = self.axis_x + 34

    def paint(self) -> None:
        """Axis, update dots, path, marks with their labels, legend and owner footer."""
        self._paint_axis(self.ticks)
        self._paint_updates()
        self._paint_path()
        self._paint_marks(self._marks())
        self._paint_legend(self.legend_top)
        self._paint_footer(self.footer)

    # --- geometry --------------------------------------------------------------------------

    def _y(self, minutes: float) -> float:
        return self.plot_top + (self.plot_bottom - self.plot_top) * minutes / self.end

    def _axis_end(self) -> int:
        level = self.level
        candidates = [step.after_minutes for step in level.steps]
        candidates += [d.minutes for d in (level.target_response, level.target_resolution) if d]
        furthest = max(candidates)
        if furthest <= 0:
            return 60  # every step at once and no deadline: an hour of axis still reads as time
        # A little past the last thing drawn, so its marker does not sit on the frame.
        return math.ceil(furthest * 1.08) + 1

    def _tick_step(self) -> int:
        height = self.plot_bottom - self.plot_top
        steps = _BUSINESS_STEPS if self.business else _CLOCK_STEPS
        for step in steps:
            if height * step / self.end >= _MIN_TICK_SPACING:
                return step
        return steps[-1]

    def _footer_rect(self) -> QRectF:
        height = self.line_height + self.detail_height + 16
        return QRectF(
            self.rect.left() + _MARGIN,
            self.rect.bottom() - _MARGIN - height,
            self.rect.width() - 2 * _MARGIN,
            height,
        )

    def _marks(self) -> list[_Mark]:
        level = self.level
        compact = self._needs_compact_labels()
        marks: list[_Mark] = []
        for step in level.steps:
            who = _who(self.data, step.who())
            when = _brought_in(step.after_minutes, self.business)
            if compact:
                short = "now" if step.after_minutes == 0 else self._short(step.after_minutes)
                marks.append(_Mark(_Kind.STEP, step.after_minutes, (f"{who} · {short}",)))
            else:
                marks.append(_Mark(_Kind.STEP, step.after_minutes, (who, when)))
        if level.target_response is not None:
            text = _respond_text(level.target_response)
            marks.append(_Mark(_Kind.RESPOND, level.target_response.minutes, (text,)))
        if level.target_resolution is not None:
            resolve = level.target_resolution
            text = (
                f"Resolve within {format_duration(resolve)}"
                if resolve.minutes
                else "Resolve immediately"
            )
            marks.append(_Mark(_Kind.RESOLVE, resolve.minutes, (text,)))
        return sorted(marks, key=lambda m: (m.minutes, m.kind))

    def _short(self, minutes: int) -> str:
        return _axis_text(minutes, self.business)

    def _needs_compact_labels(self) -> bool:
        # Two-line step labels while they fit the axis; one line each when a level has many steps.
        count = len(self.level.steps)
        deadlines = sum(1 for d in (self.level.target_response, self.level.target_resolution) if d)
        needed = count * (self.line_height + self.detail_height + _LABEL_GAP)
        needed += deadlines * (self._box_height() + _LABEL_GAP)
        return needed > self.plot_bottom - self.plot_top + self.line_height

    def _box_height(self) -> float:
        return self.line_height + 8

    def _mark_height(self, mark: _Mark) -> float:
        if mark.kind is not _Kind.STEP:
            return self._box_height()
        return self.line_height + (self.detail_height if len(mark.lines) > 1 else 0)

    # --- layers ----------------------------------------------------------------------------

    def _paint_axis(self, ticks: list[int]) -> None:
        painter = self.painter
        painter.setPen(QPen(QColor(LINE), 1.2))
        painter.drawLine(
            QPointF(self.axis_x, self.plot_top), QPointF(self.axis_x, self.plot_bottom)
        )
        tick_height = metrics(painter, self.tick_font).height()
        left = self.rect.left() + _MARGIN
        for minutes in ticks:
            y = self._y(minutes)
            painter.setPen(QPen(QColor(LINE), 1.0))
            painter.drawLine(QPointF(self.axis_x - 4, y), QPointF(self.axis_x, y))
            label = QRectF(
                left, y - tick_height / 2, self.axis_x - _TICK_LABEL_GAP - left, tick_height
            )
            text = _tick_text(minutes, self.business)
            draw_line_of_text(
                painter, label, text, self.tick_font, MUTED, Qt.AlignmentFlag.AlignRight
            )

    def _update_colour(self) -> QColor:
        colour = QColor(self.edge if self.light else self.colour)
        colour.setAlpha(150)  # light: a rhythm to keep, not an event
        return colour

    def _paint_update_dot(self, centre: QPointF) -> None:
        self.painter.setPen(Qt.PenStyle.NoPen)
        self.painter.setBrush(self._update_colour())
        self.painter.drawEllipse(centre, 2.5, 2.5)

    def _paint_updates(self) -> None:
        every = self.level.update_every
        if every is None or every.minutes <= 0:
            return
        if self._y(every.minutes) - self._y(0) < _MIN_UPDATE_SPACING:
            return
        # A track of dots just left of the axis, where no marker or leader can hide them.
        for minutes in range(every.minutes, self.end + 1, every.minutes):
            self._paint_update_dot(QPointF(self.axis_x - _UPDATE_TRACK, self._y(minutes)))

    def _paint_path(self) -> None:
        last = max(step.after_minutes for step in self.level.steps)
        start = QPointF(self.axis_x, self._y(0))
        end = QPointF(self.axis_x, self._y(last))
        if self.edge != QColor("#ffffff"):
            self.painter.setPen(
                QPen(self.edge, 6.0, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap)
            )
            self.painter.drawLine(start, end)
        pen = QPen(self.colour, 4.0, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap)
        self.painter.setPen(pen)
        self.painter.drawLine(start, end)

    def _paint_marks(self, marks: list[_Mark]) -> None:
        heights = [self._mark_height(mark) for mark in marks]
        wanted = [self._y(mark.minutes) - h / 2 for mark, h in zip(marks, heights, strict=True)]
        low = self.top + 8
        high = self.plot_bottom + self.line_height / 2 + 6
        tops = spread(wanted, heights, gap=_LABEL_GAP, low=low, high=high)
        width = self.rect.right() - _MARGIN - self.label_x
        boxes = [QRectF(self.label_x, top, width, h) for top, h in zip(tops, heights, strict=True)]
        # Leaders, then deadline bars, then step markers: a step on a deadline stays visible.
        for mark, box in zip(marks, boxes, strict=True):
            self._paint_leader(mark, box)
        for mark in marks:
            if mark.kind is not _Kind.STEP:
                self._paint_deadline(mark)
        for mark in marks:
            if mark.kind is _Kind.STEP:
                self._paint_step(mark)
        for mark, box in zip(marks, boxes, strict=True):
            self._paint_label(mark, box)

    def _leader_pen(self, kind: _Kind) -> QPen:
        if kind is _Kind.RESPOND:
            return QPen(QColor(NAVY), 1.4, Qt.PenStyle.DashLine)
        if kind is _Kind.RESOLVE:
            return QPen(QColor(MUTED), 1.2, Qt.PenStyle.DashLine)
        return QPen(QColor(LINE), 1.0)

    def _paint_leader(self, mark: _Mark, box: QRectF) -> None:
        y = self._y(mark.minutes)
        start = self.axis_x + (_DEADLINE_HALF if mark.kind is not _Kind.STEP else 8)
        path = QPainterPath(QPointF(start, y))
        path.lineTo(QPointF(self.axis_x + 16, y))
        path.lineTo(QPointF(self.label_x - 8, box.center().y()))
        path.lineTo(QPointF(self.label_x - 1, box.center().y()))
        self.painter.setPen(self._leader_pen(mark.kind))
        self.painter.setBrush(Qt.BrushStyle.NoBrush)
        self.painter.drawPath(path)

    def _paint_deadline(self, mark: _Mark) -> None:
        # A bar across the axis, like a finish line; wider than a step marker so both show.
        y = self._y(mark.minutes)
        if mark.kind is _Kind.RESPOND:
            pen = QPen(QColor(NAVY), 3.0, Qt.PenStyle.SolidLine, Qt.PenCapStyle.FlatCap)
        else:
            pen = QPen(QColor(MUTED), 2.0, Qt.PenStyle.SolidLine, Qt.PenCapStyle.FlatCap)
        self.painter.setPen(pen)
        # Longer on the left, where no leader runs, so a step on the same minute hides little.
        self.painter.drawLine(
            QPointF(self.axis_x - _DEADLINE_REACH, y), QPointF(self.axis_x + _DEADLINE_HALF, y)
        )

    def _paint_step(self, mark: _Mark) -> None:
        self.painter.setPen(QPen(self.edge, 2.0))
        self.painter.setBrush(self.colour)
        self.painter.drawEllipse(QPointF(self.axis_x, self._y(mark.minutes)), 7, 7)

    def _paint_label(self, mark: _Mark, box: QRectF) -> None:
        painter = self.painter
        if mark.kind is _Kind.STEP:
            first = QRectF(box.left(), box.top(), box.width(), self.line_height)
            draw_line_of_text(painter, first, mark.lines[0], self.label_font, TEXT)
            if len(mark.lines) > 1:
                second = QRectF(box.left(), first.bottom(), box.width(), self.detail_height)
                draw_line_of_text(painter, second, mark.lines[1], self.detail_font, MUTED)
            return
        respond = mark.kind is _Kind.RESPOND
        text_font = self.label_font if respond else font(12)
        advance = metrics(painter, text_font).horizontalAdvance(mark.lines[0])
        frame = QRectF(box.left(), box.top(), min(advance + 16, box.width()), box.height())
        if respond:
            painter.setPen(QPen(QColor(NAVY), 1.5))
        else:
            painter.setPen(QPen(QColor(MUTED), 1.0, Qt.PenStyle.DashLine))
        painter.setBrush(QColor("#ffffff"))
        painter.drawRoundedRect(frame, 4, 4)
        colour = NAVY if respond else MUTED
        draw_line_of_text(painter, frame.adjusted(8, 0, -8, 0), mark.lines[0], text_font, colour)

    def _paint_legend(self, top: float) -> None:
        painter = self.painter
        left = self.rect.left() + _MARGIN
        every = self.level.update_every
        row = QRectF(left, top, self.rect.width() - 2 * _MARGIN, self.detail_height)
        if every is None or every.minutes <= 0:
            draw_line_of_text(painter, row, "No update cadence set", self.detail_font, MUTED)
            return
        self._paint_update_dot(QPointF(left + 5, row.center().y()))
        text = f"update every {format_duration(every)}"
        role = (
            self.level.liaison_role
            if self.level.updates_by is UpdatesBy.LIAISON
            else self.level.engineer_role
        )
        if role:
            text += f", logged by {role}"
        draw_line_of_text(painter, row.adjusted(16, 0, 0, 0), text, self.detail_font, MUTED)

    def _paint_footer(self, box: QRectF) -> None:
        painter = self.painter
        painter.setPen(QPen(QColor(BORDER), 1.0))
        painter.setBrush(QColor(BACKGROUND))
        painter.drawRoundedRect(box, 6, 6)
        inner = box.adjusted(10, 8, -10, -8)
        first = QRectF(inner.left(), inner.top(), inner.width(), self.line_height)
        draw_line_of_text(painter, first, _owner_text(self.level), self.label_font, TEXT)
        holders = [
            self.data.holders[role]
            for role in (self.level.engineer_role, self.level.liaison_role)
            if role and role in self.data.holders
        ]
        detail = "Both stay on until resolution"
        if holders:
            detail = f"{' + '.join(holders)}, on the escalation until resolution"
        second = QRectF(inner.left(), first.bottom(), inner.width(), self.detail_height)
        draw_line_of_text(painter, second, detail, self.detail_font, MUTED)


class LadderView(QWidget):
    """Shows one level's escalation path, painted by ``paint_ladder``."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ladderView")
        self.setAccessibleName("Escalation ladder")
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
        self._data: LadderData | None = None
        self.setAccessibleDescription(describe_ladder(None))

    def set_data(self, data: LadderData | None) -> None:
        """Show ``data`` (None: no level selected) and repaint."""
        self._data = data
        self.setAccessibleDescription(describe_ladder(data))
        self.update()

    def data(self) -> LadderData | None:
        """What the view shows."""
        return self._data

    def sizeHint(self) -> QSize:
        """Room for a level with half a dozen steps in a side panel."""
        return QSize(420, 520)

    def minimumSizeHint(self) -> QSize:
        """Narrower or shorter than this, labels would be cut to nothing."""
        return QSize(300, 380)

    def paintEvent(self, event: QPaintEvent) -> None:
        """White like a card, then the ladder, exactly as the exporters draw it."""
        painter = QPainter(self)
        try:
            painter.fillRect(self.rect(), QColor("#ffffff"))
            paint_ladder(painter, QRectF(self.rect()), self._data)
        finally:
            painter.end()
