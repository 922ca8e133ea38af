"""The escalation cheat sheet: a one-page PDF of the matrix and routing for an agent's desk."""

from __future__ import annotations

import io
import re
import textwrap
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from itertools import pairwise
from pathlib import Path

from matplotlib import rc_context
from matplotlib.colors import is_color_like
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties, findfont, get_font
from matplotlib.ft2font import LoadFlags
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle
from matplotlib.transforms import Affine2D, Transform

from escalation_desk.domain.durations import Duration, format_duration
from escalation_desk.domain.matrix import SeverityLevel, Trigger, TriggerKind
from escalation_desk.domain.routing import MatchOn, RoutingRule
from escalation_desk.domain.snapshot import MatrixSnapshot
from escalation_desk.files import write_atomically

__all__ = ["PAPER_SIZES", "cheat_sheet_figure", "write_cheat_sheet"]

PAPER_SIZES = {"A4": (8.27, 11.69), "Letter": (8.5, 11.0)}  # inches, portrait

_POINTS_PER_INCH = 72.0
_EM_SCALE = 100.0  # glyphs are measured at 100 pt, where FreeType's rounding is negligible
_FIXED_16_16 = 65536  # FreeType's linear advances are 16.16 fixed-point numbers
# DejaVu Sans ships with matplotlib, so the sheet looks the same everywhere and has the
# arrow, bullet and ellipsis glyphs it needs.
_FAMILY = "DejaVu Sans"

_MARGIN = 30.0  # pt; most office printers cannot print closer to the edge than ~0.4 in
_PAD = 4.0  # pt of padding inside each table cell
_LEADING = 1.25  # line step as a multiple of the font size
# Body font sizes tried, largest first; the last is the floor, below which text is cut instead.
_SIZES = (10.5, 10.0, 9.5, 9.0, 8.5, 8.0, 7.5, 7.0, 6.5, 6.0)
_TITLE_SIZE = 18.0
_TEAM_SIZE = 12.0
_SUBTITLE_SIZE = 9.0
_FOOTER_SIZE = 9.5
_SECTION_GAP = 12.0  # pt between the table and the routing block
_ROUTING_COLUMN_GAP = 18.0
# Narrower routing columns would wrap nearly every rule onto three or more lines.
_ROUTING_MIN_COLUMN = 210.0
_ROUTING_MAX_COLUMNS = 3
_SWATCH = 0.7  # side of the level's colour square, in ems of the code's size
_ROUTING_MIN_LINES = 4  # rule lines the routing block keeps when the table must shrink

# Black ink with grey structure only: the sheet is usually printed on an office mono printer.
_INK = "#000000"
_SOFT_INK = "#333333"
_RULE = "#8c8c8c"
_FILL = "#e4e4e4"

_ELLIPSIS = "\u2026"
_NO_BREAK = "\u00a0"
# Only ASCII white space separates words: textwrap, too, breaks at nothing else.
_SPACES = re.compile(r"[ \t\n\r\f\v]+")
_BIND = re.compile(r" (?=[0-9]{1,3}(?: |$)|(?:h|min)(?: |$))")
_ARROW = " \u2192 "
_BULLET = "\u2022 "
_DASH = "\u2014"

_TITLE = "Escalation cheat sheet"
_FOOTER = "Escalate when any one trigger fires. Keep the liaison on every escalation."
_NO_LEVELS = "No severity levels yet: add them on the Matrix screen."
_NO_RULES = "No routing rules yet: add them on the Routing screen."
_ROUTING_HEADING = "Where it goes"
_ROUTING_NOTE = "Check the rules in order: the first that matches wins."

_COLUMNS: tuple[tuple[str, float], ...] = (
    ("Level", 0.085),
    ("Escalate when", 0.285),
    ("Contact", 0.165),
    ("How", 0.10),
    ("Respond within", 0.075),
    ("Updates every", 0.075),
    ("Owner after escalation", 0.215),
)
_KINDS: tuple[tuple[TriggerKind, str], ...] = (
    (TriggerKind.IMPACT, "Impact"),
    (TriggerKind.SCOPE, "Scope"),
    (TriggerKind.TIME, "Time"),
)
# A representative mix of letters, digits and spaces, to estimate characters per line.
_SAMPLE = "Customers cannot take payments, 10 or more affected (Oliver Hughes) 4 h"


# --- text measuring and wrapping ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Style:
    """How a piece of text is set: size in points, weight, slant and ink."""

    size: float
    bold: bool = False
    italic: bool = False
    colour: str = _INK

    @property
    def step(self) -> float:
        """The vertical distance one line of this style takes."""
        return self.size * _LEADING


@lru_cache(maxsize=4096)
def _advance(char: str, bold: bool, italic: bool) -> float:
    """How far one character moves the pen, in ems, unhinted as in the PDF."""
    prop = FontProperties(
        family=_FAMILY,
        weight="bold" if bold else "normal",
        style="italic" if italic else "normal",
    )
    font = get_font(findfont(prop))
    font.set_size(_EM_SCALE, _POINTS_PER_INCH)
    glyph = font.load_char(ord(char), flags=LoadFlags.NO_HINTING)
    return glyph.linearHoriAdvance / _FIXED_16_16 / _EM_SCALE


def _measure(text: str, style: _Style) -> float:
    """The width of text in points: the characters' advances, without kerning (which only
    tightens DejaVu text), and a hair to spare for the screen renderer's hinting."""
    ems = sum(_advance(char, style.bold, style.italic) for char in text)
    return ems * style.size * 1.03


def _clip(text: str, width: float, style: _Style, *, force: bool = False) -> str:
    """The text cut to width and ended with an ellipsis; ``force`` adds one even if it fits."""
    if not force and _measure(text, style) <= width:
        return text
    kept = text
    while kept and _measure(kept.rstrip() + _ELLIPSIS, style) > width:
        kept = kept[:-1]
    return kept.rstrip() + _ELLIPSIS


def _squash(text: str) -> str:
    """Runs of ordinary white space made one space, and a small number tied to the word before
    it and to its unit, so no line ends "Tier" or "after 2" with the rest on the next."""
    return _BIND.sub(_NO_BREAK, _SPACES.sub(" ", text).strip(" "))


def _keep_together(text: str) -> str:
    """The text with no-break spaces, so a person's name is never split across two lines."""
    return _squash(text).replace(" ", _NO_BREAK)


@lru_cache(maxsize=4096)
def _wrap(text: str, width: float, style: _Style) -> tuple[str, ...]:
    """The text broken into lines no wider than width points (over-long words are split).

    Cached: each font size tried, and each way of shortening the table, wraps the same texts.
    """
    text = _squash(text)
    if _measure(text, style) <= width:
        return (text,)
    average = _measure(_SAMPLE, style) / len(_SAMPLE)
    # Start a little above the average estimate so lines fill out, then narrow until all fit.
    chars = max(1, int(width / average * 1.15))
    while True:
        lines = textwrap.wrap(text, chars) or [""]
        if chars == 1 or all(_measure(line, style) <= width for line in lines):
            return tuple(_clip(line, width, style) for line in lines)
        chars -= 1


# --- lines and cells ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Line:
    """One line of text in a block, with an optional bold label set at the block's left edge."""

    text: str
    style: _Style
    indent: float = 0.0
    space_before: float = 0.0
    label: str = ""

    @property
    def height(self) -> float:
        """The vertical space the line takes, including any gap above it."""
        return self.space_before + self.style.step


def _height(lines: Sequence[_Line]) -> float:
    """The height of a block of lines."""
    return sum(line.height for line in lines)


def _paragraph(
    text: str,
    width: float,
    style: _Style,
    *,
    indent: float = 0.0,
    hanging: float = 0.0,
    prefix: str = "",
    space_before: float = 0.0,
    label: str = "",
    most: int | None = None,
) -> list[_Line]:
    """Text wrapped to width, its first line starting with prefix and the rest set in by
    ``hanging`` (or by the prefix's width) so that items stay visibly apart; at most ``most``
    lines, the last ending in "…" when some were cut."""
    inset = _measure(prefix, style) if prefix else hanging
    if prefix:
        wrapped = _wrap(text, width - indent - inset, style)
    else:
        # Without a prefix the first line may use the full width; only the rest hang.
        whole = _squash(text)
        first = _wrap(whole, width - indent, style)[0]
        rest = whole[len(first) :].strip() if whole.startswith(first) else ""
        wrapped = (first, *(_wrap(rest, width - indent - inset, style) if rest else ()))
    lines: list[_Line] = []
    for number, text_line in enumerate(wrapped):
        if number == 0:
            lines.append(
                _Line(prefix + text_line, style, indent, space_before=space_before, label=label)
            )
        else:
            lines.append(_Line(text_line, style, indent + inset))
    if most is not None and len(lines) > most:
        lines = _cap(lines, _height(lines[:most]), width)
    return lines


def _cap(lines: Sequence[_Line], max_height: float, width: float) -> list[_Line]:
    """The lines that fit in max_height; when some are dropped the last kept one ends in "…"."""
    if _height(lines) <= max_height:
        return list(lines)
    kept: list[_Line] = []
    used = 0.0
    for line in lines:
        if used + line.height > max_height:
            break
        kept.append(line)
        used += line.height
    # A cell always shows at least its first line, so no row turns up blank.
    if not kept:
        kept = [lines[0]]
    last = kept[-1]
    # A line that already ends in "…" (a cut item) says enough; a second one would stutter.
    more = not last.text.endswith(_ELLIPSIS)
    kept[-1] = replace(last, text=_clip(last.text, width - last.indent, last.style, force=more))
    return kept


# --- the level table ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Cut:
    """How far the table's items are shortened: lines per item, items per kind or list."""

    lines: int | None = None
    items: int | None = None


# Tried in turn, at the floor font size, until the table fits.
_CUTS = (
    *(_Cut(lines=n) for n in (4, 3, 2, 1)),
    *(_Cut(lines=1, items=n) for n in (3, 2, 1)),
)


def _holder(snapshot: MatrixSnapshot, role_name: str) -> str:
    """The role's name with its holder in brackets, when the directory knows who holds it."""
    role = snapshot.role(role_name)
    if role is not None and role.holder:
        return f"{role_name} ({_keep_together(role.holder)})"
    return role_name


def _duration(value: Duration | None) -> str:
    """A deadline as the app writes it, or a dash when the level sets none."""
    return format_duration(value) if value is not None else _DASH


def _swatch_width(size: float) -> float:
    """The room the colour swatch takes in front of the level code."""
    return _code_style(size).size * _SWATCH + 4.0


def _code_style(size: float) -> _Style:
    """The style of the level code, larger so the row is found at a glance."""
    return _Style(size * 1.3, bold=True)


def _level_cell(level: SeverityLevel, width: float, size: float) -> list[_Line]:
    """Code (next to the swatch) over the level's name."""
    swatch = _swatch_width(size)
    code = _code_style(size)
    lines = [_Line(text, code, swatch) for text in _wrap(level.code or _DASH, width - swatch, code)]
    if level.name:
        lines += [
            _Line(text, _Style(size), swatch)
            for text in _wrap(level.name, width - swatch, _Style(size))
        ]
    return lines


def _more(hidden: int, width: float, size: float, indent: float) -> list[_Line]:
    """The line that stands for items left off: "(+2 more, see the app)"."""
    style = _Style(size, italic=True)
    note = f"(+{hidden} more, see the app)"
    return [_Line(_clip(note, width - indent, style), style, indent)]


def _trigger_cell(
    triggers: Iterable[Trigger], width: float, size: float, cut: _Cut = _Cut()
) -> list[_Line]:
    """The trigger sentences as bullets, grouped under a bold kind label in the left margin."""
    body = _Style(size)
    label_style = _Style(size, bold=True)
    by_kind = [
        (label, [s for t in triggers if t.kind is kind and (s := t.sentence().strip())])
        for kind, label in _KINDS
    ]
    by_kind = [(label, sentences) for label, sentences in by_kind if sentences]
    if not by_kind:
        return [_Line(_DASH, body)]
    margin = max(_measure(label, label_style) for label, _ in by_kind) + size * 0.6
    lines: list[_Line] = []
    for group, (label, sentences) in enumerate(by_kind):
        # Each kind keeps its first triggers, so a long list of one kind never hides another.
        shown = sentences[: cut.items] if cut.items is not None else sentences
        for number, sentence in enumerate(shown):
            lines += _paragraph(
                sentence,
                width,
                body,
                indent=margin,
                prefix=_BULLET,
                space_before=size * 0.3 if group and not number else 0.0,
                label=label if not number else "",
                most=cut.lines,
            )
        if len(sentences) > len(shown):
            indent = margin + _measure(_BULLET, body)
            lines += _more(len(sentences) - len(shown), width, size, indent)
    return lines


def _list_cell(items: Iterable[str], width: float, size: float, cut: _Cut = _Cut()) -> list[_Line]:
    """One item a line; when there are several, wrapped items hang so the next stands out."""
    listed = list(items)
    shown = listed[: cut.items] if cut.items is not None else listed
    hanging = size * 0.8 if len(listed) > 1 else 0.0
    lines: list[_Line] = []
    for item in shown:
        lines += _paragraph(item, width, _Style(size), hanging=hanging, most=cut.lines)
    if len(listed) > len(shown):
        lines += _more(len(listed) - len(shown), width, size, 0.0)
    return lines or [_Line(_DASH, _Style(size))]


def _owner_cell(
    snapshot: MatrixSnapshot,
    level: SeverityLevel,
    width: float,
    size: float,
    cut: _Cut = _Cut(),
) -> list[_Line]:
    """The engineer and liaison who own the escalation, then when support takes it back."""
    # The owner pair, one role a line with "+" before the second, so each name reads whole.
    roles = [r for r in (level.engineer_role, level.liaison_role) if r]
    owners = [("+ " if index else "") + _holder(snapshot, role) for index, role in enumerate(roles)]
    lines = _list_cell(owners, width, size, replace(cut, items=None))
    if level.hand_back.strip():
        lines += _paragraph(
            "Hand-back: " + level.hand_back,
            width,
            _Style(size, italic=True, colour=_SOFT_INK),
            space_before=size * 0.4,
            most=cut.lines,
        )
    return lines


def _row(
    snapshot: MatrixSnapshot,
    level: SeverityLevel,
    widths: Sequence[float],
    size: float,
    cut: _Cut = _Cut(),
) -> list[list[_Line]]:
    """The cells of one level's row, each wrapped to its column's inner width and shortened
    as ``cut`` says."""
    inner = [w - 2 * _PAD for w in widths]
    body = _Style(size)
    return [
        _level_cell(level, inner[0], size),
        _trigger_cell(level.triggers, inner[1], size, cut),
        _list_cell((_holder(snapshot, c) for c in level.contacts), inner[2], size, cut),
        _list_cell([level.method] if level.method.strip() else [], inner[3], size, cut),
        [_Line(t, body) for t in _wrap(_duration(level.target_response), inner[4], body)],
        [_Line(t, body) for t in _wrap(_duration(level.update_every), inner[5], body)],
        _owner_cell(snapshot, level, inner[6], size, cut),
    ]


def _row_height(cells: Sequence[Sequence[_Line]]) -> float:
    """The height of a table row: its tallest cell plus padding."""
    return max(_height(cell) for cell in cells) + 2 * _PAD


# --- the routing block --------------------------------------------------------------------------


def _is_catch_all(rule: RoutingRule) -> bool:
    """Whether the rule matches everything, so it reads as "anything else"."""
    return rule.pattern.strip() == "*"


def _rule_text(snapshot: MatrixSnapshot, rule: RoutingRule) -> str:
    """The rule as the agent reads it: "Module Payments → Payments engineering → role (holder)"."""
    if _is_catch_all(rule):
        subject = "Anything else"
    else:
        what = "Module" if rule.match_on is MatchOn.MODULE else "Issue type"
        subject = f"{what} {rule.pattern.strip()}"
    return _ARROW.join((subject, rule.team or _DASH, _holder(snapshot, rule.role) or _DASH))


@dataclass(frozen=True, slots=True)
class _Routing:
    """The routing block laid out: the rule lines of each column and the block's height."""

    columns: tuple[tuple[_Line, ...], ...]
    column_width: float
    height: float
    hidden: int
    has_rules: bool = True


def _routing_heading_height(size: float) -> float:
    """The height of the block's heading line and the gap under it."""
    return _Style(size * 1.25, bold=True).step + size * 0.3


def _rule_entries(
    snapshot: MatrixSnapshot, rules: Sequence[RoutingRule], width: float, size: float
) -> list[list[_Line]]:
    """Each rule as numbered, wrapped lines."""
    body = _Style(size)
    # The numbers are set bold (as labels), so they are measured bold.
    number_width = _measure(f"{len(rules)}.", replace(body, bold=True)) + size * 0.5
    return [
        _paragraph(
            _rule_text(snapshot, rule),
            width,
            body,
            indent=number_width,
            hanging=0.0,
            label=f"{number}.",
        )
        for number, rule in enumerate(rules, start=1)
    ]


def _balance(counts: Sequence[int], columns: int) -> list[int] | None:
    """Where to split entries of these line counts into columns, in order, so the longest
    column is as short as can be; None when they do not fit the number of columns."""
    if not counts:
        return []

    def splits(capacity: int) -> list[int] | None:
        """Where each column starts when each takes up to capacity lines; None if too many."""
        starts = [0]
        used = 0
        for index, count in enumerate(counts):
            if used + count > capacity:
                starts.append(index)
                used = 0
            used += count
        return starts if len(starts) <= columns else None

    low, high = max(counts), sum(counts)
    while low < high:
        middle = (low + high) // 2
        if splits(middle) is None:
            low = middle + 1
        else:
            high = middle
    return splits(low)


def _routing(
    snapshot: MatrixSnapshot, width: float, size: float, budget: float | None
) -> _Routing | None:
    """The routing block in the column count that keeps it shortest; with a budget, as many
    rules as fit it, the rest named in a "+N more rules" line. None when nothing fits."""
    body = _Style(size)
    heading = _routing_heading_height(size)
    rules = sorted(snapshot.routing, key=lambda r: r.order)
    if not rules:
        return _Routing(((_Line(_NO_RULES, body),),), width, heading + body.step, 0, False)
    catch_all = rules[-1] if _is_catch_all(rules[-1]) else None
    others = rules[:-1] if catch_all is not None else rules
    best: _Routing | None = None
    for columns in range(1, _ROUTING_MAX_COLUMNS + 1):
        column_width = (width - (columns - 1) * _ROUTING_COLUMN_GAP) / columns
        if columns > 1 and column_width < _ROUTING_MIN_COLUMN:
            break
        entries = _rule_entries(snapshot, rules, column_width, size)
        shown = len(others)
        while shown >= 0:
            hidden = len(others) - shown
            chosen = entries[:shown]
            if hidden:
                note = f"(+{hidden} more rules, see the app)"
                chosen.append(_paragraph(note, column_width, _Style(size, italic=True)))
            if catch_all is not None:
                chosen.append(entries[-1])
            counts = [len(entry) for entry in chosen]
            starts = _balance(counts, columns)
            if starts is not None:
                bounds = [*starts, len(chosen)]
                split = [
                    tuple(line for entry in chosen[a:b] for line in entry)
                    for a, b in pairwise(bounds)
                ]
                height = heading + max((_height(c) for c in split), default=0.0)
                if budget is None or height <= budget:
                    candidate = _Routing(tuple(split), column_width, height, hidden)
                    if best is None or (candidate.hidden, candidate.height) < (
                        best.hidden,
                        best.height,
                    ):
                        best = candidate
                    break
            if budget is None:
                break
            shown -= 1
    return best


# --- planning the page --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Plan:
    """Everything placed on the page for one body font size."""

    size: float
    widths: tuple[float, ...]
    header: tuple[tuple[_Line, ...], ...]
    rows: tuple[tuple[tuple[_Line, ...], ...], ...]
    levels: tuple[SeverityLevel, ...]
    hidden_levels: int
    routing: _Routing | None

    @property
    def table_height(self) -> float:
        """The height of the level table, or of the "no levels" line when there are none."""
        if not self.levels:
            return _Style(self.size * 1.2, bold=True).step
        height = _row_height(self.header) + sum(_row_height(row) for row in self.rows)
        if self.hidden_levels:
            height += _Style(self.size).step + _PAD
        return height

    @property
    def height(self) -> float:
        """The height of table and routing block together."""
        routing = self.routing.height if self.routing is not None else 0.0
        return self.table_height + _SECTION_GAP + routing


def _freeze(cells: Sequence[Sequence[_Line]]) -> tuple[tuple[_Line, ...], ...]:
    """Cells as tuples, for the frozen plan."""
    return tuple(tuple(cell) for cell in cells)


def _plan(
    snapshot: MatrixSnapshot, width: float, available: float, size: float, squeeze: bool
) -> _Plan:
    """The page at one font size; with ``squeeze`` (the floor size), long cells, surplus rules
    and, as a last resort, the least severe levels are cut so the page is never overrun."""
    widths = tuple(width * share for _, share in _COLUMNS)
    header_style = _Style(size, bold=True)
    header = _freeze(
        [
            [_Line(t, header_style) for t in _wrap(name, w - 2 * _PAD, header_style)]
            for (name, _), w in zip(_COLUMNS, widths, strict=True)
        ]
    )
    levels = snapshot.levels
    rows = tuple(_freeze(_row(snapshot, level, widths, size)) for level in levels)
    plan = _Plan(size, widths, header, rows, levels, 0, _routing(snapshot, width, size, None))
    if not squeeze or plan.height <= available:
        return plan

    # The routing block keeps room for a few rule lines; the table gets the rest.
    step = _Style(size).step
    reserve = min(
        plan.routing.height if plan.routing is not None else 0.0,
        _routing_heading_height(size) + _ROUTING_MIN_LINES * step,
    )
    table_budget = available - _SECTION_GAP - reserve
    # First every trigger, contact and hand-back is cut to fewer lines, so each still shows its
    # start; then each kind of trigger keeps only its first few; only then are cells cut short.
    for cut in _CUTS:
        if plan.table_height <= table_budget:
            break
        rows = tuple(_freeze(_row(snapshot, level, widths, size, cut)) for level in levels)
        plan = replace(plan, rows=rows)
    if plan.table_height > table_budget:
        plan = _shrink_table(plan, widths, table_budget)
    routing_budget = available - plan.table_height - _SECTION_GAP
    return replace(plan, routing=_routing(snapshot, width, size, routing_budget))


def _fit(snapshot: MatrixSnapshot, width: float, available: float) -> _Plan:
    """The plan at the largest body size that fits, else the floor size with text cut."""
    # Smaller type never takes more room, so the largest size that fits is found by halving.
    best: _Plan | None = None
    low, high = 0, len(_SIZES) - 1
    while low <= high:
        middle = (low + high) // 2
        plan = _plan(snapshot, width, available, _SIZES[middle], squeeze=False)
        if plan.height <= available:
            best, high = plan, middle - 1
        else:
            low = middle + 1
    return best or _plan(snapshot, width, available, _SIZES[-1], squeeze=True)


def _shrink_table(plan: _Plan, widths: Sequence[float], budget: float) -> _Plan:
    """The plan with every cell capped to the tallest height that lets the table fit; if even
    one line per cell is too much, the least severe levels are left off."""
    step = _Style(plan.size).step
    full = plan.rows
    tallest = max((_height(cell) for row in full for cell in row), default=step)
    cap = tallest
    while True:
        capped = tuple(
            tuple(tuple(_cap(cell, cap, w - 2 * _PAD)) for cell, w in zip(row, widths, strict=True))
            for row in full
        )
        candidate = replace(plan, rows=capped)
        if candidate.table_height <= budget or cap <= _code_style(plan.size).step:
            break
        cap -= step
    count = len(candidate.rows)
    while candidate.table_height > budget and count > 1:
        count -= 1
        candidate = replace(
            candidate,
            rows=candidate.rows[:count],
            levels=plan.levels[:count],
            hidden_levels=len(plan.levels) - count,
        )
    return candidate


# --- drawing ------------------------------------------------------------------------------------


class _Page:
    """Draws onto a figure in points measured from the page's top-left corner."""

    def __init__(self, figure: Figure, width: float, height: float) -> None:
        """A page of width by height points drawn onto figure."""
        self.figure = figure
        # Points down from the top, like a printed page, so layout code reads top to bottom.
        self.transform: Transform = (
            Affine2D().scale(1.0 / width, -1.0 / height).translate(0.0, 1.0) + figure.transFigure
        )

    def text(self, x: float, y: float, text: str, style: _Style, *, align: str = "left") -> None:
        """A line of text whose top edge sits at y."""
        self.figure.text(
            x,
            y,
            text,
            transform=self.transform,
            fontfamily=_FAMILY,
            fontsize=style.size,
            fontweight="bold" if style.bold else "normal",
            fontstyle="italic" if style.italic else "normal",
            color=style.colour,
            ha=align,
            va="top",
            # Trigger texts may hold "$500"; they are plain text, never mathtext.
            parse_math=False,
        )

    def lines(self, x: float, y: float, lines: Iterable[_Line]) -> float:
        """A block of lines from (x, y) down; returns the y below it."""
        for line in lines:
            y += line.space_before
            if line.label:
                self.text(x, y, line.label, replace(line.style, bold=True, italic=False))
            self.text(x + line.indent, y, line.text, line.style)
            y += line.style.step
        return y

    def box(
        self, x: float, y: float, width: float, height: float, *, fill: str, edge: str = "none"
    ) -> None:
        """A filled rectangle with its top-left corner at (x, y)."""
        self.figure.add_artist(
            Rectangle(
                (x, y),
                width,
                height,
                transform=self.transform,
                facecolor=fill,
                edgecolor=edge,
                linewidth=0.6 if edge != "none" else 0.0,
            )
        )

    def rule(
        self, x0: float, y0: float, x1: float, y1: float, *, width: float = 0.5, colour: str = _RULE
    ) -> None:
        """A straight line between two points."""
        self.figure.add_artist(
            Line2D(
                [x0, x1],
                [y0, y1],
                transform=self.transform,
                color=colour,
                linewidth=width,
                solid_capstyle="butt",
            )
        )


def _draw_header(page: _Page, width: float, title: str, subtitle: str) -> float:
    """Title left, team name and version line right, a dark rule under them; returns the y
    where the body starts."""
    heading = _Style(_TITLE_SIZE, bold=True)
    page.text(_MARGIN, _MARGIN, _TITLE, heading)
    room = width - 2 * _MARGIN - _measure(_TITLE, heading) - 24.0
    right = width - _MARGIN
    y = _MARGIN
    if title.strip():
        team = _Style(_TEAM_SIZE, bold=True)
        page.text(right, y, _clip(_squash(title), room, team), team, align="right")
        y += team.step
    if subtitle.strip():
        small = _Style(_SUBTITLE_SIZE, colour=_SOFT_INK)
        page.text(right, y, _clip(_squash(subtitle), room, small), small, align="right")
        y += small.step
    bottom = max(_MARGIN + heading.step, y) + 3.0
    page.rule(_MARGIN, bottom, width - _MARGIN, bottom, width=1.2, colour=_INK)
    return bottom + 10.0


def _footer_top(height: float) -> float:
    """Where the footer's rule runs."""
    return height - _MARGIN - _Style(_FOOTER_SIZE).step - 5.0


def _draw_footer(page: _Page, width: float, height: float) -> None:
    """The two rules every agent must remember, under a thin rule at the page's foot."""
    style = _Style(_FOOTER_SIZE, bold=True)
    top = _footer_top(height)
    page.rule(_MARGIN, top, width - _MARGIN, top, width=0.8, colour=_INK)
    page.text(_MARGIN, top + 5.0, _clip(_FOOTER, width - 2 * _MARGIN, style), style)


def _draw_table(page: _Page, plan: _Plan, top: float) -> float:
    """The level table from top down; returns the y below it."""
    x0 = _MARGIN
    size = plan.size
    if not plan.levels:
        style = _Style(size * 1.2, bold=True)
        page.text(x0, top, _NO_LEVELS, style)
        return top + style.step
    edges = [x0]
    for w in plan.widths:
        edges.append(edges[-1] + w)
    right = edges[-1]

    header_height = _row_height(plan.header)
    page.box(x0, top, right - x0, header_height, fill=_FILL)
    for cell, x in zip(plan.header, edges, strict=False):
        page.lines(x + _PAD, top + _PAD, cell)
    y = top + header_height
    page.rule(x0, y, right, y, width=0.8)

    for level, row in zip(plan.levels, plan.rows, strict=True):
        height = _row_height(row)
        for cell, x in zip(row, edges, strict=False):
            page.lines(x + _PAD, y + _PAD, cell)
        _draw_swatch(page, level, edges[0] + _PAD, y + _PAD, size)
        y += height
        page.rule(x0, y, right, y, width=0.5)

    # Column rules and the frame come last: only now is the table's full height known.
    for x in edges[1:-1]:
        page.rule(x, top, x, y, width=0.4)
    page.rule(x0, top, right, top, width=0.8)
    page.rule(x0, y, right, y, width=0.8)
    page.rule(x0, top, x0, y, width=0.8)
    page.rule(right, top, right, y, width=0.8)

    if plan.hidden_levels:
        note = _Style(size, italic=True)
        page.text(x0, y + _PAD, f"(+{plan.hidden_levels} more levels, see the app)", note)
        y += note.step + _PAD
    return y


def _draw_swatch(page: _Page, level: SeverityLevel, x: float, y: float, size: float) -> None:
    """A small square of the level's colour with a black edge, beside the code in text: the
    code carries the meaning, the colour only matches the app."""
    code = _code_style(size)
    side = code.size * _SWATCH
    colour = level.colour if is_color_like(level.colour) else "#ffffff"
    # Centred on the code's capitals, which a top-aligned DejaVu line inks from about 0.03 em
    # to 0.75 em below its top.
    centre = code.size * 0.39
    page.box(x, y + centre - side / 2, side, side, fill=colour, edge=_INK)


def _draw_routing(page: _Page, routing: _Routing, top: float, size: float) -> None:
    """The routing heading with its reading rule, then the rule columns."""
    heading = _Style(size * 1.25, bold=True)
    page.text(_MARGIN, top, _ROUTING_HEADING, heading)
    note = _Style(size, colour=_SOFT_INK)
    note_x = _MARGIN + _measure(_ROUTING_HEADING, heading) + size
    # The note shares the heading's baseline; both hang from their tops, and a DejaVu baseline
    # sits 0.75 em below the top, so the smaller note moves down by 0.75 em of the difference.
    if routing.has_rules:
        page.text(note_x, top + (heading.size - size) * 0.75, _ROUTING_NOTE, note)
    y = top + _routing_heading_height(size)
    for index, column in enumerate(routing.columns):
        x = _MARGIN + index * (routing.column_width + _ROUTING_COLUMN_GAP)
        page.lines(x, y, column)


# --- public API ---------------------------------------------------------------------------------


def _page_size(paper: str) -> tuple[float, float]:
    """The landscape page size in inches; a seven-column table needs the width."""
    if paper not in PAPER_SIZES:
        raise ValueError("Paper must be A4 or Letter.")
    short, long = PAPER_SIZES[paper]
    return long, short


def cheat_sheet_figure(
    snapshot: MatrixSnapshot, *, paper: str = "A4", title: str = "", subtitle: str = ""
) -> Figure:
    """The cheat sheet as one landscape page: title, level table, routing rules and footer.

    The body font shrinks step by step to a 6 pt floor until everything fits; at the floor, long
    items end in "…" and surplus rules are summed up as "(+N more rules, see the app)".
    """
    width_in, height_in = _page_size(paper)
    width, height = width_in * _POINTS_PER_INCH, height_in * _POINTS_PER_INCH
    figure = Figure(figsize=(width_in, height_in))
    figure.patch.set_facecolor("white")
    page = _Page(figure, width, height)

    top = _draw_header(page, width, title, subtitle)
    bottom = _footer_top(height) - 10.0
    available = bottom - top
    usable = width - 2 * _MARGIN
    plan = _fit(snapshot, usable, available)
    y = _draw_table(page, plan, top)
    if plan.routing is not None:
        _draw_routing(page, plan.routing, y + _SECTION_GAP, plan.size)
    _draw_footer(page, width, height)
    return figure


def write_cheat_sheet(
    path: Path, snapshot: MatrixSnapshot, *, paper: str = "A4", title: str = "", subtitle: str = ""
) -> None:
    """Write the cheat sheet PDF to path atomically: a half-written file never replaces it."""
    figure = cheat_sheet_figure(snapshot, paper=paper, title=title, subtitle=subtitle)
    # Rendered in memory first, so a failing render never even creates the temporary file.
    pdf = io.BytesIO()
    # TrueType (42) rather than Type 3 fonts, so the text can be searched and copied.
    with rc_context({"pdf.fonttype": 42}):
        figure.savefig(
            pdf,
            format="pdf",
            metadata={
                "Title": f"{_TITLE} \u2014 {title}" if title else _TITLE,
                "Creator": "Escalation Desk",
            },
        )
    # A temporary file beside path, fsynced, then os.replace: the old file stays whole on failure.
    write_atomically(Path(path), pdf.getvalue())
