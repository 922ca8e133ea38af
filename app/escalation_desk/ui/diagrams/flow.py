"""The routing flow: rules, in the order they are tried, to teams and to the roles that answer."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from fnmatch import fnmatchcase

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPainterPath, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from escalation_desk.domain.directory import Role, Team
from escalation_desk.domain.routing import MatchOn, RoutingRule
from escalation_desk.ui.diagrams import (
    BACKGROUND,
    BORDER,
    FAINT,
    LINE,
    MUTED,
    NAVY,
    TEXT,
    WARN,
    draw_line_of_text,
    font,
    metrics,
    paint_sentence,
    prepare,
    spread,
)

NO_RULES = "No routing rules yet."

ROW = 36.0  # one rule per row
_WIDTH = 900
_MARGIN = 16.0
_HEADER = 58.0  # column headings and the first-match note above the first row
_RULE_BOX = 28.0
_TEAM_BOX = 28.0
_ROLE_BOX = 32.0
_DIM_TEXT = "#98a4b1"
_WILDCARDS = frozenset("*?[")
_PADDING = 10.0  # inside a box, left and right
_RULE_LEAD = 31.0  # from a rule box's left edge past its order badge
_RULE_SPACE = 7.0  # between "MODULE" and the pattern
_NOTE_SPACE = 10.0  # between a name and what is said about it
_MIN_GAP = 48.0  # between columns, room for a connector to curve
_MAX_GAP = 96.0


@dataclass(frozen=True, slots=True)
class FlowData:
    """What the flow shows: the routing rules and the directory they point into."""

    rules: tuple[RoutingRule, ...]
    roles: tuple[Role, ...]
    teams: tuple[Team, ...]


def _catches_all_of(earlier: RoutingRule, later: RoutingRule) -> bool:
    """Whether every subject ``later`` matches is matched by ``earlier`` first."""
    first = earlier.pattern.strip().casefold()
    second = later.pattern.strip().casefold()
    if not first or not second:
        return False  # an empty pattern matches nothing, so it takes nothing away either
    if first == "*":
        return True  # RoutingRule.matches: "*" matches whatever the rule looks at
    if earlier.match_on is not later.match_on:
        return False
    if first == second:
        return True
    # A pattern without wildcards matches only its own text; if the earlier pattern matches that
    # text, the earlier rule always answers first.
    return not (_WILDCARDS & set(second)) and fnmatchcase(second, first)


def shadowed_by(rules: Iterable[RoutingRule]) -> dict[int, int]:
    """Rules that can never fire, by order, each with the order of the earlier rule that wins."""
    ordered = sorted(rules, key=lambda r: r.order)
    found: dict[int, int] = {}
    for index, rule in enumerate(ordered):
        winner = next((e for e in ordered[:index] if _catches_all_of(e, rule)), None)
        if winner is not None:
            found[rule.order] = winner.order
    return found


def shadowed_rules(rules: Iterable[RoutingRule]) -> set[int]:
    """Orders of the rules that can never fire because an earlier rule always matches first."""
    return set(shadowed_by(rules))


def flow_size(data: FlowData | None) -> QSize:
    """The flow's natural size: a row per rule under the headings, about 900 px wide."""
    if data is None or not data.rules:
        return QSize(_WIDTH, 140)
    return QSize(_WIDTH, round(_HEADER + len(data.rules) * ROW + _MARGIN + _MARGIN))


def paint_flow(painter: QPainter, rect: QRectF, data: FlowData | None) -> None:
    """Paint ``data``'s routing into ``rect`` from left to right; a sentence when there is none."""
    painter.save()
    try:
        prepare(painter)
        if data is None or not data.rules:
            paint_sentence(painter, rect, NO_RULES)
            return
        _Flow(painter, rect, data).paint()
    finally:
        painter.restore()


def describe_flow(data: FlowData | None) -> str:
    """The routing in words, for screen readers."""
    if data is None or not data.rules:
        return NO_RULES
    shadowed = shadowed_by(data.rules)
    lines = []
    for rule in sorted(data.rules, key=lambda r: r.order):
        line = f"{rule.order}. {rule.describe()}"
        if rule.order in shadowed:
            line += f" (never fires: rule {shadowed[rule.order]} matches first)"
        lines.append(line)
    return "; ".join(lines) + "."


@dataclass(slots=True)
class _Node:
    """A team or role box: where it goes and whether any rule that can fire leads to it."""

    name: str
    wanted: list[float] = field(default_factory=list)  # from rules that can fire
    wanted_dead: list[float] = field(default_factory=list)  # from rules that never fire
    top: float = 0.0

    @property
    def live(self) -> bool:
        return bool(self.wanted)

    def want(self, centre: float, live: bool) -> None:
        (self.wanted if live else self.wanted_dead).append(centre)

    @property
    def wanted_centre(self) -> float:
        # Rules that never fire must not pull a box away from the rules that do.
        among = self.wanted or self.wanted_dead
        return sum(among) / len(among)


class _Flow:
    """One painting of the routing: three columns laid out once, then connectors and boxes."""

    def __init__(self, painter: QPainter, rect: QRectF, data: FlowData) -> None:
        self.painter = painter
        self.rect = rect
        self.rules = sorted(data.rules, key=lambda r: r.order)
        self.shadowed = shadowed_by(self.rules)
        self.roles = {role.name: role for role in data.roles}
        self.teams = {team.name: team for team in data.teams}
        self.badge_font = font(10, QFont.Weight.DemiBold)
        self.kind_font = font(9)  # small capitals drawn as smaller capitals (see diagrams.font)
        self.name_font = font(12, QFont.Weight.DemiBold)
        self.detail_font = font(11)
        self.note_font = font(10)
        self.note_font.setItalic(True)
        self.rule_w, self.team_w, self.role_w, self.gap = self._columns(rect.width() - 2 * _MARGIN)
        self.rule_x = rect.left() + _MARGIN
        self.team_x = self.rule_x + self.rule_w + self.gap
        self.role_x = self.team_x + self.team_w + self.gap
        self.rows_top = rect.top() + _HEADER
        self.rule_centres = [self.rows_top + (i + 0.5) * ROW for i in range(len(self.rules))]
        self.team_nodes = self._team_nodes()
        self.role_nodes = self._role_nodes()

    def _live(self, rule: RoutingRule) -> bool:
        return rule.order not in self.shadowed

    def _width(self, of: QFont, text: str) -> float:
        return metrics(self.painter, of).horizontalAdvance(text)

    def _notes(self, rule: RoutingRule) -> tuple[str, ...]:
        """What a rule that never fires says about it, longest first; nothing for a live rule."""
        if self._live(rule):
            return ()
        return (f"never fires (rule {self.shadowed[rule.order]})", "never fires")

    def _columns(self, available: float) -> tuple[float, float, float, float]:
        """Widths of the rule, team and role columns and of the gaps, from what they hold.

        Each column gets what its longest box needs, and the room left over is shared; a flow
        too wide for ``available`` is shrunk evenly and its longest texts are elided.
        """
        rule_w = max(
            _RULE_LEAD
            + self._width(self.kind_font, _kind(rule))
            + _RULE_SPACE
            + self._width(self.name_font, _pattern(rule))
            + sum(_NOTE_SPACE + self._width(self.note_font, n) for n in self._notes(rule)[:1])
            + _PADDING
            for rule in self.rules
        )
        team_w = max(
            2 * _PADDING
            + self._width(self.name_font, rule.team)
            + _NOTE_SPACE
            + self._width(self.detail_font, _tier(self.teams.get(rule.team))[0])
            for rule in self.rules
        )
        role_w = max(
            2 * _PADDING
            + max(
                self._width(self.name_font, rule.role),
                self._width(self.detail_font, _holder_line(self.roles.get(rule.role))[0]),
            )
            for rule in self.rules
        )
        natural = rule_w + team_w + role_w
        spare = available - natural - 2 * _MIN_GAP
        if spare < 0:
            scale = max(available - 2 * _MIN_GAP, 0) / natural
            return rule_w * scale, team_w * scale, role_w * scale, _MIN_GAP
        # Some of the spare room to the connectors, so they curve gently; the rest to the boxes.
        gap = _MIN_GAP + min(spare * 0.2, _MAX_GAP - _MIN_GAP)
        scale = (available - 2 * gap) / natural
        return rule_w * scale, team_w * scale, role_w * scale, gap

    def _team_nodes(self) -> dict[str, _Node]:
        nodes: dict[str, _Node] = {}
        for rule, centre in zip(self.rules, self.rule_centres, strict=True):
            nodes.setdefault(rule.team, _Node(rule.team)).want(centre, self._live(rule))
        self._place(list(nodes.values()), _TEAM_BOX)
        return nodes

    def _role_nodes(self) -> dict[str, _Node]:
        nodes: dict[str, _Node] = {}
        for rule in self.rules:
            # Near the team it is reached through, so that the connectors stay short and flat.
            centre = self.team_nodes[rule.team].top + _TEAM_BOX / 2
            nodes.setdefault(rule.role, _Node(rule.role)).want(centre, self._live(rule))
        self._place(list(nodes.values()), _ROLE_BOX)
        return nodes

    def _place(self, nodes: list[_Node], height: float) -> None:
        # Teams and roles sit level with what leads to them, pushed apart where they would touch.
        ordered = sorted(nodes, key=lambda n: n.wanted_centre)  # stable: first seen first on ties
        tops = spread(
            [n.wanted_centre - height / 2 for n in ordered],
            [height] * len(ordered),
            gap=ROW - height,
            low=self.rows_top + (ROW - height) / 2,
            high=self.rows_top + len(self.rules) * ROW,
        )
        for node, top in zip(ordered, tops, strict=True):
            node.top = top

    # --- layers ----------------------------------------------------------------------------

    def paint(self) -> None:
        """Headings, connectors underneath, then the three columns of boxes."""
        self._paint_headings()
        self._paint_connectors()
        for rule, centre in zip(self.rules, self.rule_centres, strict=True):
            self._paint_rule(rule, centre)
        for node in self.team_nodes.values():
            self._paint_team(node)
        for node in self.role_nodes.values():
            self._paint_role(node)

    def _paint_headings(self) -> None:
        heading = font(11, QFont.Weight.DemiBold)
        line = metrics(self.painter, heading).height()
        top = self.rect.top() + _MARGIN
        for x, width, text in (
            (self.rule_x, self.rule_w, "MODULE OR ISSUE TYPE"),
            (self.team_x, self.team_w, "TEAM"),
            (self.role_x, self.role_w, "ROLE AND WHO HOLDS IT"),
        ):
            draw_line_of_text(self.painter, QRectF(x, top, width, line), text, heading, MUTED)
        note = font(11)
        note_rect = QRectF(self.rule_x, top + line + 2, self.rule_w + self.gap, line)
        sentence = "Tried top to bottom; the first rule that matches wins."
        draw_line_of_text(self.painter, note_rect, sentence, note, MUTED)

    def _connector(self, start: QPointF, end: QPointF, live: bool) -> None:
        bend = (end.x() - start.x()) / 2
        path = QPainterPath(start)
        path.cubicTo(start + QPointF(bend, 0), end - QPointF(bend, 0), end)
        dead = QPen(QColor(FAINT), 1.3, Qt.PenStyle.DashLine)
        pen = QPen(QColor(LINE), 1.5) if live else dead
        self.painter.setPen(pen)
        self.painter.setBrush(Qt.BrushStyle.NoBrush)
        self.painter.drawPath(path)
        self.painter.setPen(Qt.PenStyle.NoPen)
        self.painter.setBrush(QColor(LINE if live else FAINT))
        self.painter.drawEllipse(end, 2.5, 2.5)

    def _paint_connectors(self) -> None:
        # Dashed ones first, so that a live connector is never hidden under a dead one.
        drawn: set[tuple[str, str]] = set()
        ordered = sorted(
            zip(self.rules, self.rule_centres, strict=True), key=lambda pair: self._live(pair[0])
        )
        for rule, centre in ordered:
            team = self.team_nodes[rule.team]
            team_y = team.top + _TEAM_BOX / 2
            start = QPointF(self.rule_x + self.rule_w, centre)
            self._connector(start, QPointF(self.team_x, team_y), self._live(rule))
            if (rule.team, rule.role) in drawn:
                continue
            drawn.add((rule.team, rule.role))
            role = self.role_nodes[rule.role]
            live = any(
                self._live(r) for r in self.rules if (r.team, r.role) == (rule.team, rule.role)
            )
            end = QPointF(self.role_x, role.top + _ROLE_BOX / 2)
            self._connector(QPointF(self.team_x + self.team_w, team_y), end, live)

    def _box(self, box: QRectF, live: bool, fill: str = "#ffffff") -> None:
        if live:
            self.painter.setPen(QPen(QColor(BORDER), 1.0))
            self.painter.setBrush(QColor(fill))
        else:
            self.painter.setPen(QPen(QColor(FAINT), 1.0, Qt.PenStyle.DashLine))
            self.painter.setBrush(QColor("#ffffff"))
        self.painter.drawRoundedRect(box, 6, 6)

    def _paint_rule(self, rule: RoutingRule, centre: float) -> None:
        painter = self.painter
        live = self._live(rule)
        box = QRectF(self.rule_x, centre - _RULE_BOX / 2, self.rule_w, _RULE_BOX)
        self._box(box, live)
        badge = QRectF(box.left() + 5, centre - 9, 18, 18)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(NAVY if live else FAINT))
        painter.drawEllipse(badge)
        align = Qt.AlignmentFlag.AlignCenter
        draw_line_of_text(painter, badge, str(rule.order), self.badge_font, "#ffffff", align)
        x = box.left() + _RULE_LEAD
        right = box.right() - _PADDING
        kind_rect = QRectF(x, box.top(), max(right - x, 0), box.height())
        x += draw_line_of_text(painter, kind_rect, _kind(rule), self.kind_font, MUTED) + _RULE_SPACE
        pattern = _pattern(rule)
        # Say why the rule is grey, as fully as the room left after its pattern allows.
        room = right - x - self._width(self.name_font, pattern) - _NOTE_SPACE
        note = next((n for n in self._notes(rule) if self._width(self.note_font, n) <= room), "")
        if note:
            note_w = self._width(self.note_font, note)
            note_rect = QRectF(right - note_w, box.top(), note_w, box.height())
            draw_line_of_text(painter, note_rect, note, self.note_font, MUTED)
            right = note_rect.left() - _NOTE_SPACE
        pattern_rect = QRectF(x, box.top(), max(right - x, 0), box.height())
        colour = TEXT if live else _DIM_TEXT
        draw_line_of_text(painter, pattern_rect, pattern, self.name_font, colour)

    def _paint_team(self, node: _Node) -> None:
        box = QRectF(self.team_x, node.top, self.team_w, _TEAM_BOX)
        self._box(box, node.live, BACKGROUND)
        tier, tier_colour = _tier(self.teams.get(node.name))
        tier_w = self._width(self.detail_font, tier)
        tier_rect = QRectF(box.right() - _PADDING - tier_w, box.top(), tier_w, box.height())
        draw_line_of_text(self.painter, tier_rect, tier, self.detail_font, tier_colour)
        name_w = tier_rect.left() - _NOTE_SPACE - box.left() - _PADDING
        name_rect = QRectF(box.left() + _PADDING, box.top(), name_w, box.height())
        colour = TEXT if node.live else _DIM_TEXT
        draw_line_of_text(self.painter, name_rect, node.name, self.name_font, colour)

    def _paint_role(self, node: _Node) -> None:
        box = QRectF(self.role_x, node.top, self.role_w, _ROLE_BOX)
        self._box(box, node.live)
        name_font = self.name_font
        detail_font = self.detail_font
        name_h = metrics(self.painter, name_font).height()
        detail_h = metrics(self.painter, detail_font).height()
        top = box.center().y() - (name_h + detail_h) / 2
        inner_w = box.width() - 2 * _PADDING
        colour = TEXT if node.live else _DIM_TEXT
        draw_line_of_text(
            self.painter,
            QRectF(box.left() + _PADDING, top, inner_w, name_h),
            node.name,
            name_font,
            colour,
        )
        detail, detail_colour = _holder_line(self.roles.get(node.name))
        draw_line_of_text(
            self.painter,
            QRectF(box.left() + _PADDING, top + name_h, inner_w, detail_h),
            detail,
            detail_font,
            detail_colour,
        )


def _kind(rule: RoutingRule) -> str:
    return "MODULE" if rule.match_on is MatchOn.MODULE else "ISSUE TYPE"


def _pattern(rule: RoutingRule) -> str:
    pattern = rule.pattern.strip()
    if not pattern:
        return "(empty pattern)"
    return "* anything else" if pattern == "*" else pattern


def _tier(team: Team | None) -> tuple[str, str]:
    """The tier, or a warning when the rule names a team the directory does not know."""
    return ("not in directory", WARN) if team is None else (f"Tier {team.tier}", MUTED)


def _holder_line(role: Role | None) -> tuple[str, str]:
    """ "Priya Shah · backup Tom Lee", or a warning when nobody would answer."""
    if role is None:
        return "not in the directory", WARN
    if not role.holder:
        return "nobody holds this role", WARN
    if not role.backup:
        return f"{role.holder} · no backup", MUTED
    return f"{role.holder} · backup {role.backup}", MUTED


class FlowView(QWidget):
    """Shows the routing flow, painted by ``paint_flow``; meant to sit in a QScrollArea."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("flowView")
        self.setAccessibleName("Routing flow")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)
        self._data: FlowData | None = None
        self._apply_size()

    def set_data(self, data: FlowData | None) -> None:
        """Show ``data`` (None or no rules: the empty sentence), resize to fit and repaint."""
        self._data = data
        self._apply_size()
        self.update()

    def data(self) -> FlowData | None:
        """What the view shows."""
        return self._data

    def sizeHint(self) -> QSize:
        """The natural size of the flow, from ``flow_size``."""
        return flow_size(self._data)

    def minimumSizeHint(self) -> QSize:
        """Every row stays visible; narrower than 640 px the labels would be cut short."""
        return QSize(640, flow_size(self._data).height())

    def _apply_size(self) -> None:
        # A scroll area sizes its widget from the minimum, so the height must be a minimum.
        self.setMinimumHeight(flow_size(self._data).height())
        self.setAccessibleDescription(describe_flow(self._data))
        self.updateGeometry()

    def paintEvent(self, event: QPaintEvent) -> None:
        """White like a card, then the flow, exactly as the exporters draw it."""
        painter = QPainter(self)
        try:
            painter.fillRect(self.rect(), QColor("#ffffff"))
            paint_flow(painter, QRectF(self.rect()), self._data)
        finally:
            painter.end()
