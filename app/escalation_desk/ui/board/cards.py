"""The board's plain data, geometry and wording: what each card says and where it sits (no Qt)."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

from escalation_desk.domain.clock import DeadlineState
from escalation_desk.domain.lifecycle import Status, allowed_moves

#: The sticky row of column titles; the view paints it above the lanes, outside the layout.
HEADER_HEIGHT = 40
LANE_HEADER_HEIGHT = 28
CARD_HEIGHT = 88
CARD_GAP = 8
CARD_PITCH = CARD_HEIGHT + CARD_GAP
#: Between a column's edge and its cards: the card is the column width minus twice this.
CELL_PADDING = 8
MIN_COLUMN_WIDTH = 210
MARGIN = 8
LANE_GAP = 12
#: A lane without cards keeps a body, so that a card can still be dropped into it.
EMPTY_LANE_BODY = 48


# Not frozen, though never changed after it is made: a frozen dataclass sets each field
# through object.__setattr__, and a board of ten thousand cards pays that 140,000 times.
@dataclass(slots=True, unsafe_hash=True)
class Card:
    """One escalation as the board shows it, every text already worded."""

    ref: str
    title: str
    customer: str
    #: The level's code and colour, e.g. "P1" and "#D55E00".
    severity: str
    severity_colour: str
    #: The engineer side and the support liaison; a card without a liaison is flagged.
    owner: str | None
    liaison: str | None
    status: Status
    #: The swimlane key: a team, role or person name, or "Unassigned".
    lane: str
    #: "2 h 10 min left", "45 min late", or "" when no deadline is running.
    countdown: str
    deadline_state: DeadlineState | None
    #: "updated 3 h ago" or "no update yet".
    last_update: str


@dataclass(frozen=True, slots=True)
class BoardData:
    """What the board shows: its columns and lanes in display order, and the cards.

    Cards are grouped by (lane, status) keeping their order within a cell. A card whose lane is
    not listed gets a lane of its own after the listed ones, so that no escalation disappears;
    a card whose status is not a column is not shown (the caller chose to hide that column).
    """

    columns: tuple[Status, ...]
    lanes: tuple[str, ...]
    cards: tuple[Card, ...]


EMPTY_BOARD = BoardData((), (), ())

_STATE_WORDS = {
    DeadlineState.ON_TRACK: "on track",
    DeadlineState.AT_RISK: "at risk",
    DeadlineState.CRITICAL: "critical",
    DeadlineState.BREACHED: "breached",
    DeadlineState.MET: "met",
}


def describe(card: Card) -> str:
    """The card read aloud: what a screen reader says and what the tooltip shows."""
    parts = [
        f"{card.ref}, {card.severity}: {card.title}",
        f"customer {card.customer}" if card.customer else "no customer",
        f"{card.status.heading}, lane {card.lane}",
        f"owner {card.owner}" if card.owner else "no owner",
        f"liaison {card.liaison}" if card.liaison else "no support liaison",
    ]
    if card.countdown:
        state = _STATE_WORDS.get(card.deadline_state) if card.deadline_state else None
        parts.append(f"{card.countdown} ({state})" if state else card.countdown)
    if card.last_update:
        parts.append(card.last_update)
    return "; ".join(parts)


def short_name(name: str) -> str:
    """ "Oliver Hughes" as "Oliver H.", for narrow cards."""
    first, _, rest = name.partition(" ")
    return f"{first} {rest.split()[-1][0]}." if rest.strip() else name


def people_line(card: Card) -> tuple[str, ...]:
    """The owner and liaison line, from the fullest wording to the shortest."""
    owner, liaison = card.owner, card.liaison
    if liaison is None:  # the red "No liaison" flag beside the line says so
        if owner is None:
            return ("Owner: unassigned", "Unassigned")
        return (f"Owner: {owner}", f"Owner: {short_name(owner)}", short_name(owner))
    if owner is None:
        return (
            f"Owner: unassigned · Liaison: {liaison}",
            f"Unassigned · liaison {liaison}",
            f"Unassigned · liaison {short_name(liaison)}",
        )
    return (
        f"Owner: {owner} · Liaison: {liaison}",
        f"Owner: {short_name(owner)} · Liaison: {short_name(liaison)}",
        f"{short_name(owner)} · liaison {short_name(liaison)}",
    )


def update_ages(text: str) -> tuple[str, ...]:
    """ "updated 3 h ago" may shorten to "3 h ago", "no update yet" to "no update"."""
    shorter = text.removeprefix("updated ").removesuffix(" yet")
    return (text, shorter) if shorter != text else (text,)


def elide(text: str, measure: Callable[[str], float], width: float) -> str:
    """``text`` cut to ``width`` with "…" at the end when it does not fit."""
    if measure(text) <= width:
        return text
    low, high = 0, len(text)  # the longest prefix that fits with its "…", by bisection
    while low < high:
        middle = (low + high + 1) // 2
        if measure(text[:middle].rstrip() + "…") <= width:
            low = middle
        else:
            high = middle - 1
    return text[:low].rstrip() + "…" if low else ""


def two_lines(text: str, measure: Callable[[str], float], width: float) -> tuple[str, str]:
    """``text`` as a first line that fits, broken between words, and an elided rest."""
    if measure(text) <= width:
        return text, ""
    words = text.split(" ")
    first, taken = "", 0
    for word in words:
        candidate = f"{first} {word}" if first else word
        if measure(candidate) > width:
            break
        first, taken = candidate, taken + 1
    if taken:
        rest = " ".join(words[taken:])
    else:  # one word wider than the card: cut it where it stops fitting
        cut = len(text)
        while cut > 1 and measure(text[:cut]) > width:
            cut -= 1
        first, rest = text[:cut], text[cut:]
    return first, elide(rest, measure, width)


class Box(NamedTuple):
    """A rectangle in content coordinates (the first lane's top at y = 0)."""

    x: int
    y: int
    width: int
    height: int

    def contains(self, x: int, y: int) -> bool:
        """Whether the point lies inside."""
        return self.x <= x < self.x + self.width and self.y <= y < self.y + self.height


class BoardLayout:
    """Where every card of a board sits; built once per ``BoardData``.

    Heights do not depend on the width, so a resize only changes the column width that the
    geometry methods take. Cards are found by arithmetic and binary search, never by walking
    every card, so that the cost of painting or hit-testing does not grow with the board.
    """

    def __init__(self, data: BoardData) -> None:
        self.data = data
        self.columns = data.columns
        column_of = {status: number for number, status in enumerate(data.columns)}
        lanes = list(data.lanes)
        lane_of = {name: number for number, name in enumerate(lanes)}
        width = len(data.columns)
        cells: list[list[list[int]]] = [[[] for _ in range(width)] for _ in lanes]
        for index, card in enumerate(data.cards):
            column = column_of.get(card.status)
            if column is None:
                continue
            lane = lane_of.get(card.lane)
            if lane is None:
                lane = lane_of[card.lane] = len(lanes)
                lanes.append(card.lane)
                cells.append([[] for _ in range(width)])
            cells[lane][column].append(index)
        self.lanes = tuple(lanes)
        #: cells[lane][column]: indices into ``data.cards``, top to bottom.
        self.cells = cells
        count = len(data.cards)
        self.lane_of = [-1] * count
        self.column_of = [-1] * count
        self.slot_of = [-1] * count
        self.lane_tops: list[int] = []
        self.lane_heights: list[int] = []
        self.lane_counts: list[int] = []
        top = 0
        for lane, row in enumerate(cells):
            rows = max((len(cell) for cell in row), default=0)
            height = LANE_HEADER_HEIGHT + CARD_GAP + (rows * CARD_PITCH or EMPTY_LANE_BODY)
            self.lane_tops.append(top)
            self.lane_heights.append(height)
            self.lane_counts.append(sum(len(cell) for cell in row))
            top += height + LANE_GAP
            for column, cell in enumerate(row):
                for slot, index in enumerate(cell):
                    self.lane_of[index] = lane
                    self.column_of[index] = column
                    self.slot_of[index] = slot
        self.height = top
        self.column_counts = [sum(len(row[c]) for row in cells) for c in range(width)]
        #: Reading order: lanes top to bottom, columns left to right, cards top to bottom.
        self.order = [index for row in cells for cell in row for index in cell]
        self.shown = len(self.order)
        self._by_column = [[i for row in cells for i in row[c]] for c in range(width)]
        self._column_tops = [[self.card_top(i) for i in cards] for cards in self._by_column]
        self._refs: dict[str, int] = {}
        for index in self.order:
            self._refs.setdefault(data.cards[index].ref, index)

    # Geometry -------------------------------------------------------------------------------

    def column_width(self, viewport_width: int) -> int:
        """Columns share the width, each at least ``MIN_COLUMN_WIDTH`` (then it scrolls)."""
        if not self.columns:
            return MIN_COLUMN_WIDTH
        return max(MIN_COLUMN_WIDTH, (viewport_width - 2 * MARGIN) // len(self.columns))

    def width(self, column_width: int) -> int:
        """The content's width with columns ``column_width`` wide."""
        return 2 * MARGIN + len(self.columns) * column_width

    def column_box(self, column: int, column_width: int) -> Box:
        """The column's band across the whole board (its top is the first lane's)."""
        return Box(MARGIN + column * column_width, 0, column_width, self.height)

    def lane_body(self, lane: int, column: int, column_width: int) -> Box:
        """The cell of ``lane`` and ``column`` under the lane's header: where cards are stacked."""
        top = self.lane_tops[lane] + LANE_HEADER_HEIGHT
        height = self.lane_heights[lane] - LANE_HEADER_HEIGHT
        return Box(MARGIN + column * column_width + 3, top, column_width - 6, height)

    def card_top(self, index: int) -> int:
        """The top of a shown card."""
        lane = self.lane_of[index]
        return (
            self.lane_tops[lane] + LANE_HEADER_HEIGHT + CARD_GAP + self.slot_of[index] * CARD_PITCH
        )

    def card_box(self, index: int, column_width: int) -> Box:
        """Where a shown card is painted."""
        x = MARGIN + self.column_of[index] * column_width + CELL_PADDING
        return Box(x, self.card_top(index), column_width - 2 * CELL_PADDING, CARD_HEIGHT)

    def drop(self, index: int, cell: tuple[int, int] | None) -> tuple[str, bool] | None:
        """What dropping card ``index`` on ``cell`` (lane, column) asks, and if it is allowed.

        None when there is no cell or it is the card's own. A move the lifecycle refuses is
        still asked for, so that its owner can say why; the words warn before the drop.
        """
        if cell is None or cell == (self.lane_of[index], self.column_of[index]):
            return None
        lane, column = cell
        card, status = self.data.cards[index], self.columns[column]
        if status is not card.status and status not in allowed_moves(card.status):
            return f"{card.status.heading} → {status.heading} is not allowed", False
        parts = []
        if status is not card.status:
            parts.append(f"Move to {status.heading}")
        if self.lanes[lane] != card.lane:
            parts.append(f"Reassign to {self.lanes[lane]}")
        return " · ".join(parts), True

    def index_of(self, ref: str) -> int | None:
        """The index of the shown card with ``ref``, or None."""
        return self._refs.get(ref)

    # Hit-testing ----------------------------------------------------------------------------

    def lane_at(self, y: int) -> int | None:
        """The lane whose header or body is at ``y`` (the gap below a lane belongs to it)."""
        if not self.lanes or y < 0 or y >= self.height:
            return None
        return bisect_right(self.lane_tops, y) - 1

    def column_at(self, x: int, column_width: int) -> int | None:
        """The column at ``x``."""
        column = (x - MARGIN) // column_width
        return column if x >= MARGIN and column < len(self.columns) else None

    def cell_at(self, x: int, y: int, column_width: int) -> tuple[int, int] | None:
        """(lane, column) at a point: where a dropped card would go."""
        lane, column = self.lane_at(y), self.column_at(x, column_width)
        return None if lane is None or column is None else (lane, column)

    def card_at(self, x: int, y: int, column_width: int) -> int | None:
        """The card under a point, or None in the gaps, the headers and the margins."""
        cell = self.cell_at(x, y, column_width)
        if cell is None:
            return None
        lane, column = cell
        offset = y - self.lane_tops[lane] - LANE_HEADER_HEIGHT - CARD_GAP
        if offset < 0 or offset % CARD_PITCH >= CARD_HEIGHT:
            return None
        cards = self.cells[lane][column]
        slot = offset // CARD_PITCH
        if slot >= len(cards):
            return None
        index = cards[slot]
        return index if self.card_box(index, column_width).contains(x, y) else None

    def visible(self, box: Box, column_width: int) -> list[int]:
        """The cards that intersect ``box``: binary search on the lanes, arithmetic in a cell."""
        if not self.lanes or not self.columns:
            return []
        bottom, right = box.y + box.height, box.x + box.width
        first_lane = max(0, bisect_right(self.lane_tops, box.y) - 1)
        last_lane = bisect_left(self.lane_tops, bottom)
        first_column = max(0, (box.x - MARGIN) // column_width)
        last_column = min(len(self.columns) - 1, (right - MARGIN) // column_width)
        found: list[int] = []
        for lane in range(first_lane, min(last_lane, len(self.lanes))):
            cards_top = self.lane_tops[lane] + LANE_HEADER_HEIGHT + CARD_GAP
            first_slot = max(0, (box.y - cards_top - CARD_HEIGHT) // CARD_PITCH + 1)
            end_slot = max(0, (bottom - cards_top - 1) // CARD_PITCH + 1)
            for column in range(first_column, last_column + 1):
                found.extend(self.cells[lane][column][first_slot:end_slot])
        return found

    # Navigation -----------------------------------------------------------------------------

    def first(self) -> int | None:
        """The first card in reading order."""
        return self.order[0] if self.order else None

    def last(self) -> int | None:
        """The last card in reading order."""
        return self.order[-1] if self.order else None

    def below(self, index: int) -> int:
        """Down: the next card in the cell, else the first of the same column in a later lane."""
        lane, column, slot = self.lane_of[index], self.column_of[index], self.slot_of[index]
        cards = self.cells[lane][column]
        if slot + 1 < len(cards):
            return cards[slot + 1]
        for row in self.cells[lane + 1 :]:
            if row[column]:
                return row[column][0]
        return index

    def above(self, index: int) -> int:
        """Up: the previous card in the cell, else the last of the same column in a lane above."""
        lane, column, slot = self.lane_of[index], self.column_of[index], self.slot_of[index]
        if slot > 0:
            return self.cells[lane][column][slot - 1]
        for row in reversed(self.cells[:lane]):
            if row[column]:
                return row[column][-1]
        return index

    def beside(self, index: int, step: int) -> int:
        """Left (-1) or right (+1): the nearest card by height in the next column holding any."""
        column = self.column_of[index] + step
        while 0 <= column < len(self.columns):
            nearest = self.nearest_in_column(column, self.card_top(index))
            if nearest is not None:
                return nearest
            column += step
        return index

    def nearest_in_column(self, column: int, y: int) -> int | None:
        """The card of ``column`` whose top is nearest ``y`` (the upper one on a tie)."""
        tops, cards = self._column_tops[column], self._by_column[column]
        if not cards:
            return None
        at = bisect_left(tops, y)
        if at == 0:
            return cards[0]
        if at == len(cards):
            return cards[-1]
        return cards[at] if tops[at] - y < y - tops[at - 1] else cards[at - 1]
