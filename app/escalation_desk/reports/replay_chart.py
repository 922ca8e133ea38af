"""The what-if replay as a chart: escalations per team under each matrix, side by side."""

from __future__ import annotations

from matplotlib.figure import Figure

from escalation_desk.domain.replay import Replay

BEFORE = "#9aa5b1"  # the version compared against: a quiet grey
AFTER = "#0072B2"  # the draft: the colour the eye should follow
MOST_TEAMS = 12
FEWEST_ROWS = 5


def replay_figure(result: Replay) -> Figure:
    """Horizontal bars per team: the draft (B) and, when compared, the version (A).

    Teams are ordered by the draft's count, the busiest on top; every bar carries its number
    so that a printed copy reads without colour.
    """
    figure = Figure(figsize=(7.5, 4.2), layout="constrained")
    axes = figure.add_subplot()
    draft = result.b.by_team
    before = result.a.by_team if result.a else {}
    teams = sorted(set(draft) | set(before), key=lambda t: (draft.get(t, 0), before.get(t, 0)))
    teams = teams[-MOST_TEAMS:]
    if not teams:
        axes.set_axis_off()
        axes.text(0.5, 0.5, "No ticket escalates under either matrix.", ha="center", va="center")
        return figure
    positions = range(len(teams))
    height = 0.38 if result.a else 0.6
    series = [(result.b.label, draft, AFTER, 0.0)]
    if result.a:
        series = [
            (result.a.label, before, BEFORE, height / 2),
            (result.b.label, draft, AFTER, -height / 2),
        ]
    for label, counts, colour, offset in series:
        values = [counts.get(team, 0) for team in teams]
        bars = axes.barh([p + offset for p in positions], values, height, label=label, color=colour)
        axes.bar_label(bars, padding=3, fontsize=8)
    axes.set_yticks(list(positions), teams)
    # A few teams keep the bar size of five, with the room left below, not fat bars.
    top = len(teams) - 0.4
    axes.set_ylim(top - max(len(teams), FEWEST_ROWS), top)
    axes.set_xlabel("Escalations")
    axes.set_title("Escalations each team would have received", loc="left", fontsize=11)
    axes.spines[["top", "right"]].set_visible(False)
    axes.margins(x=0.12)
    axes.legend(loc="lower right", frameon=False, fontsize=8)
    return figure
