"""The KPI dashboard's charts: one matplotlib figure, sentence and table per section."""

from __future__ import annotations

import io
import math
import textwrap
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from matplotlib import rc_context
from matplotlib.axes import Axes
from matplotlib.colors import is_color_like
from matplotlib.figure import Figure
from matplotlib.ticker import FixedLocator, FuncFormatter, MaxNLocator
from matplotlib.transforms import blended_transform_factory

from escalation_desk.domain.deadlines import say_span
from escalation_desk.domain.durations import Duration, format_duration
from escalation_desk.domain.kpis import ClosureKpis, KpiReport, LaneTime, SeverityKpis, TeamKpis
from escalation_desk.files import write_atomically

__all__ = [
    "CHART_SIZE",
    "EXPORT_FORMATS",
    "Chart",
    "Headline",
    "charts",
    "headlines",
    "percent",
    "save_chart",
    "save_figure",
]

CHART_SIZE = (7.0, 3.6)  # inches: a dashboard tile, and the size a chart is exported at
EXPORT_FORMATS = {".png": "png", ".svg": "svg", ".pdf": "pdf"}
_PNG_DPI = 200  # crisp when pasted into a slide or an e-mail at full width

_INK = "#000000"
_SOFT_INK = "#444444"
_NEUTRAL = "#4d4d4d"  # bars not tied to a severity: dark grey prints alike in colour and mono
_LIGHT = "#b3b3b3"
_GRID = "#dddddd"
_UNKNOWN_COLOUR = "#777777"

_TITLE_SIZE = 11.0
_BAR_HEIGHT = 0.62  # of the space between two bars: thick enough to read a label beside
_TICK_CHARS = 24  # category names wrap past this, so the bars keep most of the width
_TICK_CHARS_ALONE = 30  # a name kept to one line may take a little more
_MOST_TEAMS = 12  # more bars than this turn into an unreadable comb; the table lists all

_DASH = "\u2014"
_ELLIPSIS = "\u2026"
_DOT = " \u00b7 "

_NO_ESCALATIONS = "No escalations in this period."
# The spans a duration axis steps by, in minutes: each reads as a round figure ("2 h", "1 day").
_SPAN_STEPS = (5, 10, 15, 30, 60, 120, 180, 240, 360, 480, 720, 1440, 2880, 4320, 10080, 20160)
_SPAN_TICKS = 4  # steps along a time axis at most: its labels are long ("1 day 12 h")


# --- words and numbers --------------------------------------------------------------------------


def percent(share: float | None) -> str:
    """A share (0..1) as a whole percentage, "92%"; never rounded up to "100%" or down to "0%"
    unless it is exactly that, and a dash when there is nothing to measure."""
    if share is None:
        return _DASH
    # Halves round up, as people round: 62.5 % reads "63%" (round() would give 62).
    whole = math.floor(share * 100 + 0.5)
    if whole >= 100 and share < 1:
        return "99%"
    if whole <= 0 and share > 0:
        return "<1%"
    return f"{whole}%"


def _of(part: int, whole: int) -> str:
    """Part of whole as a percentage, or a dash when whole is zero."""
    return percent(part / whole if whole else None)


def _span(minutes: float | None) -> str:
    """A duration as people say it ("45 min", "2 h 10 min", "1 day 4 h"), or a dash."""
    return _DASH if minutes is None else say_span(round(minutes))


def _target(level: SeverityKpis) -> str:
    """A level's response target as the matrix says it ("30 min", "1 business day")."""
    if level.target_minutes is None:
        return _DASH
    return format_duration(Duration(level.target_minutes, level.target_business))


def _mean(value: float | None) -> str:
    """A mean count with one decimal; a small non-zero mean is not passed off as none."""
    if value is None:
        return _DASH
    if 0 < value < 0.05:
        return "<0.1"
    return f"{value:.1f}"


def _count(number: int, singular: str, plural: str | None = None) -> str:
    """ "1 breach", "2 breaches"."""
    return f"{number} {singular if number == 1 else plural or singular + 's'}"


def _join(words: Sequence[str], conjunction: str = "and") -> str:
    """ "a", "a and b", "a, b and c"."""
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} {conjunction} {words[-1]}"


def _sentence(clauses: Iterable[str]) -> str:
    """Clauses joined by semicolons into one sentence, capitalised and ended with a full stop."""
    text = "; ".join(clause for clause in clauses if clause)
    return text[:1].upper() + text[1:] + "." if text else ""


def _was(number: int) -> str:
    return "was" if number == 1 else "were"


# --- drawing ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Sizes:
    """Font sizes in points: a dashboard tile's, or larger for a chart filling a printed page."""

    scale: float = 1.0

    @property
    def tick(self) -> float:
        return 9.0 * self.scale

    @property
    def label(self) -> float:
        return 9.0 * self.scale

    @property
    def value(self) -> float:
        return 8.5 * self.scale

    @property
    def empty(self) -> float:
        return 11.0 * self.scale


@dataclass(frozen=True, slots=True)
class _Bar:
    """One horizontal bar: its category, its length (None: nothing measured, so the text stands
    alone as a note), the words at its end, and its fill."""

    label: str
    value: float | None
    text: str
    colour: str = _NEUTRAL


def _colour(level: SeverityKpis) -> str:
    """The level's own colour, or a neutral grey when the matrix holds something unusable."""
    return level.colour if is_color_like(level.colour) else _UNKNOWN_COLOUR


def _tick_label(text: str, most_lines: int) -> str:
    """A category name wrapped onto at most ``most_lines`` short lines, the last cut with "…"
    when the name is longer; dollars are shown as typed."""
    width = _TICK_CHARS if most_lines > 1 else _TICK_CHARS_ALONE
    lines = [line for part in text.split("\n") for line in textwrap.wrap(part, width)]
    if len(lines) > most_lines:
        last = " ".join(lines[most_lines - 1 :])
        lines = [*lines[: most_lines - 1], last[: width - 1].rstrip() + _ELLIPSIS]
    # Tick labels are parsed as mathtext, where two "$" would start a formula.
    return "\n".join(lines).replace("$", r"\$")


def _label_lines(bars: int) -> int:
    """How many lines a category name may take beside each of so many bars before the names
    run into each other (at the dashboard's size, where bars are closest)."""
    return 3 if bars <= 4 else 2 if bars <= 7 else 1


def _plain_axes(axes: Axes, sizes: _Sizes) -> None:
    """Only the category and value axes, with light grid lines to read lengths against."""
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    axes.tick_params(labelsize=sizes.tick, length=3)
    axes.tick_params(axis="y", length=0)
    axes.grid(axis="x", color=_GRID, linewidth=0.6)
    axes.set_axisbelow(True)


def _draw_bars(axes: Axes, bars: Sequence[_Bar], value_label: str, sizes: _Sizes) -> None:
    """Horizontal bars, first on top, each with its figure written at its end.

    The words may run past the value axis: constrained layout makes room for them, so the
    longest bar is never squeezed to leave space for its own label.
    """
    _plain_axes(axes, sizes)
    positions = list(range(len(bars)))
    axes.barh(
        positions,
        [bar.value or 0.0 for bar in bars],
        height=_BAR_HEIGHT,
        color=[bar.colour for bar in bars],
        edgecolor=_INK,
        linewidth=0.6,
    )
    # Each figure starts 4 pt after its bar's end, wherever the layout puts the axes.
    for position, bar in zip(positions, bars, strict=True):
        axes.annotate(
            bar.text,
            (bar.value or 0.0, position),
            xytext=(4, 0),
            textcoords="offset points",
            va="center",
            ha="left",
            fontsize=sizes.value,
            fontstyle="normal" if bar.value is not None else "italic",
            color=_INK if bar.value is not None else _SOFT_INK,
            annotation_clip=False,
            parse_math=False,
            zorder=4,
        )
    lines = _label_lines(len(bars))
    axes.set_yticks(positions, [_tick_label(bar.label, lines) for bar in bars])
    axes.set_ylim(len(bars) - 0.5, -0.5)  # first bar on top, the order the table reads
    axes.set_xlabel(value_label, fontsize=sizes.label, parse_math=False)


def _percent_axis(axes: Axes, top: float = 100.0, *, step: int = 25) -> None:
    """A 0-100 % value axis, or further to reach ``top``, with a tick every ``step`` %
    (a narrow side panel takes 50, or its labels run into each other)."""
    top = max(100.0, -(-top // 25) * 25)
    axes.set_xlim(0, top)
    axes.xaxis.set_major_locator(FixedLocator(list(range(0, int(top) + 1, step))))
    axes.xaxis.set_major_formatter(FuncFormatter(lambda x, _: f"{x:.0f}%"))


def _count_axis(axes: Axes, most: float) -> None:
    """A value axis of whole numbers from zero, ending on a labelled tick."""
    most = max(1.0, most)  # an axis of nothing but zeros still runs from 0 to 1
    ticks = [t for t in MaxNLocator(nbins=5, integer=True).tick_values(0, most) if t >= 0]
    top = next(t for t in ticks if t >= most)
    axes.set_xlim(0, top)
    axes.xaxis.set_major_locator(FixedLocator([t for t in ticks if t <= top]))


def _span_axis(axes: Axes, most: float) -> None:
    """A value axis of durations whose ticks fall on round spans, labelled "2 h", "1 day"."""
    step = next((s for s in _SPAN_STEPS if most <= s * _SPAN_TICKS), _SPAN_STEPS[-1])
    top = max(step, -(-most // step) * step)
    axes.set_xlim(0, top)
    axes.xaxis.set_major_locator(FixedLocator([step * n for n in range(int(top // step) + 1)]))
    axes.xaxis.set_major_formatter(FuncFormatter(lambda x, _: "0" if x == 0 else _span(x)))


def _draw_empty(figure: Figure, sentence: str, sizes: _Sizes) -> None:
    """A centred sentence in place of empty axes: saying why beats a blank frame."""
    axes = figure.add_subplot()
    axes.set_axis_off()
    axes.text(
        0.5,
        0.5,
        textwrap.fill(sentence, 60),
        transform=axes.transAxes,
        ha="center",
        va="center",
        fontsize=sizes.empty,
        color=_SOFT_INK,
        parse_math=False,
    )


# --- the chart ----------------------------------------------------------------------------------

_Plot = Callable[[Figure, _Sizes], None]


@dataclass(frozen=True, slots=True)
class Chart:
    """One dashboard section: what it shows, what its numbers say, the numbers, the drawing.

    ``rows`` hold the figures the bars show, formatted as the bars write them; ``plot`` draws
    the bars and is None when there is nothing to draw (the figure then shows the sentence).
    """

    key: str
    title: str
    sentence: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    plot: _Plot | None = field(default=None, repr=False, compare=False)

    @property
    def empty(self) -> bool:
        """True when there is nothing to plot."""
        return self.plot is None

    def draw(self, figure: Figure, *, text_scale: float = 1.0) -> None:
        """Draw the chart's axes onto figure, or its empty state; ``text_scale`` enlarges the
        type for a chart that fills a printed page."""
        sizes = _Sizes(text_scale)
        if self.plot is None:
            _draw_empty(figure, self.sentence, sizes)
        else:
            self.plot(figure, sizes)

    def figure(self, size: tuple[float, float] = CHART_SIZE, *, titled: bool = True) -> Figure:
        """A new figure of the chart (with its title on top unless ``titled`` is False, for a
        dashboard that writes the title itself)."""
        figure = Figure(figsize=size, layout="constrained")
        figure.patch.set_facecolor("white")
        if titled:
            figure.suptitle(self.title, fontsize=_TITLE_SIZE, fontweight="bold", x=0.02, ha="left")
        self.draw(figure)
        return figure


# --- the sections -------------------------------------------------------------------------------


def _volume(report: KpiReport) -> Chart:
    levels = report.by_severity
    total = report.escalations
    rows = tuple(
        (
            level.label,
            str(level.escalations),
            _of(level.escalations, total),
            _span(level.escalate_mean_minutes),
        )
        for level in levels
    )
    headers = ("Severity", "Escalations", "Share", "Mean time to escalate")
    title = "Escalations by severity"
    if not total:
        return Chart("volume", title, _NO_ESCALATIONS, headers, rows)
    counted = [
        f"{level.escalations} {level.code} ({_of(level.escalations, total)})"
        for level in levels
        if level.escalations
    ]
    head = _count(total, "escalation")
    if report.tickets:
        head += f" from {_count(report.tickets, 'ticket')} ({percent(report.escalation_rate)})"
    missing = [level.code for level in levels if not level.escalations]
    sentence = _sentence(
        [f"{head}: {_join(counted)}", f"none at {_join(missing, 'or')}" if missing else ""]
    )
    bars = tuple(
        _Bar(
            level.label,
            level.escalations,
            f"{level.escalations} ({_of(level.escalations, total)})",
            _colour(level),
        )
        for level in levels
    )
    return Chart("volume", title, sentence, headers, rows, partial(_plot_volume, bars))


def _plot_volume(bars: Sequence[_Bar], figure: Figure, sizes: _Sizes) -> None:
    axes = figure.add_subplot()
    _draw_bars(axes, bars, "Escalations", sizes)
    _count_axis(axes, max(bar.value or 0.0 for bar in bars))


def _sla_clause(level: SeverityKpis) -> str:
    """What one level's judged responses say, "" for a level with nothing to say."""
    target = (
        f"{_target(level)} response target"
        if level.target_minutes is not None
        else "response target"
    )
    if not level.sla_known:
        if not level.escalations:
            return ""
        if level.target_minutes is None:
            return f"{level.code} has no response target"
        return f"no {level.code} response has been judged yet"
    breaches = _count(level.breaches, "breach", "breaches")
    if not level.breaches:
        return f"{level.code} met its {target} every time ({level.sla_met} of {level.sla_known})"
    if not level.sla_met:
        return f"{level.code} missed its {target} every time ({breaches} in {level.sla_known})"
    return (
        f"{level.code} met its {target} {percent(level.sla_met_rate)} of the time "
        f"({breaches} in {level.sla_known})"
    )


def _sla_text(level: SeverityKpis) -> str:
    """The words at the end of a level's bar, or its note when nothing is judged."""
    if level.sla_known:
        breaches = _count(level.breaches, "breach", "breaches") if level.breaches else "no breach"
        return f"{percent(level.sla_met_rate)}  ({breaches} in {level.sla_known})"
    if not level.escalations:
        return "no escalations"
    if level.target_minutes is None:
        return "no response target"
    return "none judged yet"


def _sla(report: KpiReport) -> Chart:
    levels = report.by_severity
    rows = tuple(
        (
            level.label,
            _target(level),
            str(level.sla_known),
            str(level.sla_met),
            str(level.breaches),
            percent(level.sla_met_rate),
        )
        for level in levels
    )
    headers = ("Severity", "Response target", "Judged", "Met", "Breaches", "Within target")
    title = "Responses within target, by severity"
    if not report.escalations:
        return Chart("sla", title, _NO_ESCALATIONS, headers, rows)
    if not any(level.sla_known for level in levels):
        if all(level.target_minutes is None for level in levels):
            sentence = "No response can be judged: no severity level sets a response target."
        else:
            sentence = (
                "No response has been judged yet: none has been answered or passed its target."
            )
        return Chart("sla", title, sentence, headers, rows)
    # The worst level first, where a reader's attention should go; unjudged ones last.
    ordered = sorted(
        levels,
        key=lambda lv: (lv.sla_met_rate is None, lv.sla_met_rate or 0.0),
    )
    sentence = _sentence(_sla_clause(level) for level in ordered)
    bars = tuple(
        _Bar(
            level.label,
            100 * level.sla_met_rate if level.sla_met_rate is not None else None,
            _sla_text(level),
            _colour(level),
        )
        for level in levels
    )
    return Chart("sla", title, sentence, headers, rows, partial(_plot_sla, bars))


def _plot_sla(bars: Sequence[_Bar], figure: Figure, sizes: _Sizes) -> None:
    axes = figure.add_subplot()
    _draw_bars(axes, bars, "Judged responses within the level's target", sizes)
    _percent_axis(axes)


def _target_share(level: SeverityKpis) -> float | None:
    """The median time to acknowledge as a percentage of the target."""
    median, target = level.acknowledge_median_minutes, level.target_minutes
    if median is None or not target:
        return None
    return 100 * median / target


def _acknowledge_sentence(levels: Sequence[SeverityKpis]) -> str:
    over: list[str] = []
    within: list[str] = []
    clauses: list[str] = []
    for level in levels:
        median, target = level.acknowledge_median_minutes, level.target_minutes
        if median is None:
            if level.escalations:
                clauses.append(f"no {level.code} escalation has been acknowledged yet")
        elif not target:
            clauses.append(f"{level.code} took a median {_span(median)} and has no target")
        elif round(median) > target:  # as said: "30 min" is never "over its 30 min target"
            over.append(
                f"{level.code} took a median {_span(median)} to acknowledge, "
                f"over its {_target(level)} target"
            )
        else:
            within.append(f"{level.code} {_span(median)} against {_target(level)}")
    if within and not over and not clauses:
        return _sentence(
            [f"Median time to acknowledge was within target at every level: {_join(within)}"]
        )
    if within:
        over.append(f"{_join(within)} {_was(len(within))} within target")
    return _sentence([*over, *clauses])


def _acknowledge_text(level: SeverityKpis) -> str:
    median, target = level.acknowledge_median_minutes, level.target_minutes
    if median is None:
        return "none acknowledged yet" if level.escalations else "no escalations"
    if not target:
        return f"median {_span(median)}, no target"
    return f"{_span(median)}  (target {_target(level)})"


def _acknowledge(report: KpiReport) -> Chart:
    levels = report.by_severity
    rows = tuple(
        (
            level.label,
            _span(level.acknowledge_median_minutes),
            _target(level),
            percent(share / 100 if (share := _target_share(level)) is not None else None),
        )
        for level in levels
    )
    headers = ("Severity", "Median time to acknowledge", "Target", "Share of target")
    title = "Median time to acknowledge, against the target"
    if not report.escalations:
        return Chart("acknowledge", title, _NO_ESCALATIONS, headers, rows)
    if all(level.acknowledge_median_minutes is None for level in levels):
        return Chart(
            "acknowledge", title, "No escalation has been acknowledged yet.", headers, rows
        )
    bars = tuple(
        _Bar(level.label, _target_share(level), _acknowledge_text(level), _colour(level))
        for level in levels
    )
    return Chart(
        "acknowledge",
        title,
        _acknowledge_sentence(levels),
        headers,
        rows,
        partial(_plot_acknowledge, bars),
    )


def _plot_acknowledge(bars: Sequence[_Bar], figure: Figure, sizes: _Sizes) -> None:
    axes = figure.add_subplot()
    _draw_bars(axes, bars, "Median time to acknowledge, as a share of the level's target", sizes)
    # Past 100 %, so the target line stands inside the plot rather than on its edge.
    _percent_axis(axes, max(125.0, *(bar.value or 0.0 for bar in bars)))
    axes.axvline(100, color=_INK, linewidth=1.0, linestyle=(0, (4, 2)), zorder=3)
    # x at the target, y just above the top of the axes, so it never sits on a bar.
    axes.text(
        100,
        1.0,
        "target",
        transform=blended_transform_factory(axes.transData, axes.transAxes),
        ha="center",
        va="bottom",
        fontsize=sizes.value,
        parse_math=False,
    )


def _quality_sentence(report: KpiReport, right: int) -> str:
    """Cadence first (it is measured on fewer escalations), then routing, reopens, hand-backs."""
    total = report.escalations
    kept, measured = report.cadence_kept, report.cadence_measured
    if measured:
        cadence = (
            f"updates came as often as promised on {kept} of "
            f"{_count(measured, 'escalation')} ({_of(kept, measured)})"
        )
    else:
        cadence = "update cadence was not measured: no escalation raised here asks for updates"
    if right == total:
        routed = f"all {total} reached" if total > 1 else "it reached"
    else:
        routed = f"{right} of {total} ({_of(right, total)}) reached"
    reopened = report.reopened
    reopens = (
        f"{reopened} of {total} {_was(reopened)} reopened ({_of(reopened, total)})"
        if reopened
        else "none was reopened"
    )
    without = report.handed_back_without_work
    handed = (
        f"{without} {_was(without)} handed back before engineering worked on "
        f"{'it' if without == 1 else 'them'} ({_of(without, total)})"
        if without
        else "none was handed back without engineering work"
    )
    return _sentence([cadence, f"{routed} the right team first time, {reopens} and {handed}"])


def _quality(report: KpiReport) -> Chart:
    total = report.escalations
    right = round((report.right_team_first_time or 0.0) * total)
    measures = (
        ("Update cadence kept", "higher is better", report.cadence_kept, report.cadence_measured),
        ("Right team first time", "higher is better", right, total),
        ("Reopened", "lower is better", report.reopened, total),
        (
            "Handed back without engineering work",
            "lower is better",
            report.handed_back_without_work,
            total,
        ),
    )
    rows = tuple(
        (name, _of(part, whole), str(part), str(whole)) for name, _, part, whole in measures
    )
    headers = ("Measure", "Rate", "Escalations", "Out of")
    title = "Update cadence, right team first time, reopens and over-escalation"
    if not total:
        return Chart("quality", title, _NO_ESCALATIONS, headers, rows)
    sentence = _quality_sentence(report, right)
    bars = tuple(
        _Bar(
            f"{name}\n({direction})",
            100 * part / whole if whole else None,
            f"{_of(part, whole)}  ({part} of {whole})" if whole else "not measured",
        )
        for name, direction, part, whole in measures
    )
    return Chart("quality", title, sentence, headers, rows, partial(_plot_quality, bars))


def _plot_quality(bars: Sequence[_Bar], figure: Figure, sizes: _Sizes) -> None:
    axes = figure.add_subplot()
    _draw_bars(axes, bars, "Share of escalations", sizes)
    _percent_axis(axes)


def _lane_text(lane: LaneTime) -> str:
    if lane.mean_minutes is None:
        return "no stay ended yet"
    return f"{_span(lane.mean_minutes)}  ({_count(lane.stays, 'stay')})"


def _lanes(report: KpiReport) -> Chart:
    lanes = report.lanes
    rows = tuple((lane.lane, _span(lane.mean_minutes), str(lane.stays)) for lane in lanes)
    headers = ("Lane", "Mean time", "Stays ended")
    title = "Mean time spent in each lane of the board"
    if not report.escalations:
        return Chart("lanes", title, _NO_ESCALATIONS, headers, rows)
    if not report.measured_in_app:
        sentence = (
            "Time in lanes is measured on escalations raised in the app, and none of this "
            "period's was."
        )
        return Chart("lanes", title, sentence, headers, rows)
    timed = [lane for lane in lanes if lane.mean_minutes is not None]
    if not timed:
        return Chart("lanes", title, "No escalation has left a lane yet.", headers, rows)
    longest = sorted(timed, key=lambda lane: -(lane.mean_minutes or 0.0))[:2]
    described = [
        f"{lane.lane} ({_span(lane.mean_minutes)} on average over {_count(lane.stays, 'stay')})"
        for lane in longest
    ]
    clauses = [f"escalations stayed longest in {', then '.join(described)}"]
    untimed = [lane.lane for lane in lanes if lane.mean_minutes is None]
    if untimed:
        clauses.append(f"no stay in {_join(untimed, 'or')} has ended yet")
    bars = tuple(_Bar(lane.lane, lane.mean_minutes, _lane_text(lane)) for lane in lanes)
    return Chart("lanes", title, _sentence(clauses), headers, rows, partial(_plot_lanes, bars))


def _plot_lanes(bars: Sequence[_Bar], figure: Figure, sizes: _Sizes) -> None:
    axes = figure.add_subplot()
    _draw_bars(axes, bars, "Mean time in the lane, for stays that have ended", sizes)
    _span_axis(axes, max(bar.value or 0.0 for bar in bars))


def _busiest(teams: Sequence[TeamKpis], total: int) -> str:
    most = max(team.escalations for team in teams)
    leaders = [team.team for team in teams if team.escalations == most]
    if len(leaders) == 1:
        return f"{leaders[0]} received the most escalations ({most} of {total})"
    return f"{_join(leaders)} received the most escalations ({most} each of {total})"


def _teams(report: KpiReport) -> Chart:
    teams = sorted(report.by_team, key=lambda team: (-team.escalations, team.team))
    rows = tuple(
        (
            team.team,
            str(team.escalations),
            _mean(team.reassignments_mean),
            percent(team.right_team_first_time),
            str(team.handed_back_without_work),
        )
        for team in teams
    )
    headers = (
        "Team",
        "Escalations",
        "Reassignments per escalation",
        "Right team first time",
        "Handed back without work",
    )
    title = "Escalations and bounces between teams, by team"
    if not teams:
        return Chart("teams", title, _NO_ESCALATIONS, headers, rows)
    clauses = [_busiest(teams, report.escalations)]
    bounced = max(teams, key=lambda team: team.reassignments_mean)
    if bounced.reassignments_mean > 0:
        clauses.append(
            f"{bounced.team} bounced most: {_mean(bounced.reassignments_mean)} reassignments "
            f"per escalation, {percent(bounced.right_team_first_time)} right team first time"
        )
    else:
        clauses.append("no escalation was reassigned to another team")
    shown = teams[:_MOST_TEAMS]
    volume = tuple(_Bar(team.team, team.escalations, str(team.escalations)) for team in shown)
    first_time = tuple(
        _Bar(
            team.team,
            100 * team.right_team_first_time,
            f"{percent(team.right_team_first_time)}{_DOT}"
            + (
                f"{_mean(team.reassignments_mean)} reassignments each"
                if team.reassignments_mean
                else "none reassigned"
            ),
            _LIGHT,
        )
        for team in shown
    )
    note = f" (the {len(shown)} busiest of {len(teams)})" if len(shown) < len(teams) else ""
    return Chart(
        "teams",
        title,
        _sentence(clauses),
        headers,
        rows,
        partial(_plot_teams, volume, first_time, note),
    )


def _plot_teams(
    volume: Sequence[_Bar], first_time: Sequence[_Bar], note: str, figure: Figure, sizes: _Sizes
) -> None:
    # An empty column between the panels, so the left axis's last number and the right's
    # "0%" do not run together.
    grid = figure.add_gridspec(1, 3, width_ratios=(10, 1, 10))
    left = figure.add_subplot(grid[0, 0])
    right = figure.add_subplot(grid[0, 2], sharey=left)
    _draw_bars(left, volume, f"Escalations{note}", sizes)
    _count_axis(left, max(bar.value or 0.0 for bar in volume))
    _draw_bars(right, first_time, "Right team first time", sizes)
    _percent_axis(right, step=50)
    right.tick_params(axis="y", labelleft=False)


def _closure_sentence(closure: ClosureKpis) -> str:
    """The loop's completion and its weakest items, then follow-ups and repeat incidents."""
    clauses: list[str] = []
    if closure.closed:
        clauses.append(
            f"{closure.complete} of {_count(closure.closed, 'closed escalation')} "
            f"({percent(closure.completion_rate)}) completed the whole closure loop"
        )
        lowest = min((share for _, share in closure.items), default=1.0)
        if lowest < 1:
            missed = [name for name, share in closure.items if share == lowest]
            each = " each" if len(missed) > 1 else ""
            clauses.append(
                f"{_join(missed)} {_was(len(missed))} done least often ({percent(lowest)}{each})"
            )
        elif closure.items:
            clauses.append("every checklist item was done or waived")
    else:
        clauses.append("no escalation was closed in this period")
    overdue = closure.overdue_follow_ups
    clauses.append(
        f"{_count(overdue, 'follow-up')} {'is' if overdue == 1 else 'are'} overdue"
        if overdue
        else "no follow-up is overdue"
    )
    repeats = closure.repeat_incident_groups
    clauses.append(
        f"{_count(repeats, 'root cause')} came back in the same module within 30 days"
        if repeats
        else "no root cause came back within 30 days"
    )
    return _sentence(clauses)


def _closure(report: KpiReport) -> Chart:
    closure = report.closure
    complete = (
        f"{percent(closure.completion_rate)}  ({closure.complete} of {closure.closed})"
        if closure.closed
        else _DASH
    )
    rows = (
        ("Whole loop complete", complete),
        *((name, percent(share)) for name, share in closure.items),
        ("Overdue follow-ups", str(closure.overdue_follow_ups)),
        ("Repeat incident groups", str(closure.repeat_incident_groups)),
    )
    headers = ("Measure", "Figure")
    title = "Closure loop: completion, overdue follow-ups and repeat incidents"
    if not (closure.closed or closure.overdue_follow_ups or closure.repeat_incident_groups):
        sentence = (
            "No escalation was closed in this period." if report.escalations else _NO_ESCALATIONS
        )
        return Chart("closure", title, sentence, headers, rows)
    rates = (
        _Bar(
            "Whole loop complete",
            100 * closure.completion_rate if closure.completion_rate is not None else None,
            complete if closure.closed else "no escalation closed yet",
        ),
        *(_Bar(name, 100 * share, percent(share), _LIGHT) for name, share in closure.items),
    )
    tallies = (
        _Bar("Overdue follow-ups", closure.overdue_follow_ups, str(closure.overdue_follow_ups)),
        _Bar(
            "Repeat incident groups",
            closure.repeat_incident_groups,
            str(closure.repeat_incident_groups),
        ),
    )
    plot = partial(_plot_closure, rates, tallies)
    return Chart("closure", title, _closure_sentence(closure), headers, rows, plot)


def _plot_closure(
    rates: Sequence[_Bar], tallies: Sequence[_Bar], figure: Figure, sizes: _Sizes
) -> None:
    # The counts need their own scale; sharing the percentage axis would make 2 look like 2 %.
    left, right = figure.subplots(1, 2, width_ratios=(3, 2))
    _draw_bars(left, rates, "Closed escalations with the item done or waived", sizes)
    _percent_axis(left, step=50)
    _draw_bars(right, tallies, "Count", sizes)
    _count_axis(right, max(bar.value or 0.0 for bar in tallies))


# --- public API ---------------------------------------------------------------------------------


def charts(report: KpiReport) -> list[Chart]:
    """The dashboard's charts, in the order it shows them."""
    return [
        _volume(report),
        _sla(report),
        _acknowledge(report),
        _quality(report),
        _lanes(report),
        _teams(report),
        _closure(report),
    ]


@dataclass(frozen=True, slots=True)
class Headline:
    """One headline figure: what it is, its value, and the count behind it."""

    label: str
    value: str
    detail: str


def headlines(report: KpiReport) -> tuple[Headline, ...]:
    """The figures a manager reads first: volume, SLA, reopens, bounces, closure, follow-ups."""
    total = report.escalations
    known = sum(level.sla_known for level in report.by_severity)
    met = sum(level.sla_met for level in report.by_severity)
    closure = report.closure
    if report.tickets:
        volume = f"{percent(report.escalation_rate)} of {_count(report.tickets, 'ticket')}"
    else:
        volume = (
            _DOT.join(
                f"{level.escalations} {level.code}"
                for level in report.by_severity
                if level.escalations
            )
            or "none in this period"
        )
    return (
        Headline("Escalations", str(total), volume),
        Headline(
            "SLA met overall",
            _of(met, known),
            f"{met} of {known} responses within target" if known else "no response judged yet",
        ),
        Headline(
            "Reopen rate",
            percent(report.reopen_rate),
            f"{report.reopened} of {total} reopened" if total else "no escalations",
        ),
        Headline(
            "Reassignments per escalation",
            _mean(report.reassignments_mean),
            f"{percent(report.right_team_first_time)} right team first time"
            if total
            else "no escalations",
        ),
        Headline(
            "Closure-loop completion",
            percent(closure.completion_rate),
            f"{closure.complete} of {_count(closure.closed, 'closed escalation')}"
            if closure.closed
            else "no escalation closed yet",
        ),
        Headline(
            "Overdue follow-ups",
            str(closure.overdue_follow_ups),
            "follow-up actions past their due date",
        ),
    )


def _export_format(path: Path) -> str:
    """The file format the path's suffix names; a ValueError for one charts cannot be saved as."""
    suffix = Path(path).suffix.lower()
    file_format = EXPORT_FORMATS.get(suffix)
    if file_format is None:
        named = f"a {suffix} file" if suffix else "a file without an extension"
        raise ValueError(f"A chart can be saved as PNG, SVG or PDF, not as {named}.")
    return file_format


def save_figure(figure: Figure, path: Path, *, title: str) -> None:
    """Write figure to path as PNG, SVG or PDF (by the path's suffix), atomically.

    The file is rendered in memory first, so a failing render never touches the disk, then
    written beside path and renamed over it.
    """
    file_format = _export_format(path)
    metadata = {
        "Title": title,
        ("Software" if file_format == "png" else "Creator"): "Escalation Desk",
    }
    data = io.BytesIO()
    # TrueType (42) rather than Type 3 fonts, so the text of a PDF can be searched and copied.
    with rc_context({"pdf.fonttype": 42}):
        figure.savefig(data, format=file_format, dpi=_PNG_DPI, metadata=metadata)
    write_atomically(Path(path), data.getvalue())


def save_chart(chart: Chart, path: Path, *, size: tuple[float, float] = CHART_SIZE) -> None:
    """Write the chart, with its title, to path as PNG, SVG or PDF (by the path's suffix)."""
    _export_format(path)  # refused before the figure is built for nothing
    save_figure(chart.figure(size), path, title=chart.title)
