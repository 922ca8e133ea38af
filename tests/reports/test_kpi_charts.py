"""The dashboard's charts: the sentences and tables on reports with known numbers, the bars,
the empty states, and the exports."""

from __future__ import annotations

from dataclasses import replace
from io import BytesIO
from pathlib import Path

import pytest
from matplotlib import rc_context
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib.text import Text

from escalation_desk.domain.kpis import (
    LANES,
    ClosureKpis,
    KpiReport,
    LaneTime,
    SeverityKpis,
    TeamKpis,
)
from escalation_desk.reports.kpi_charts import Chart, charts, headlines, percent, save_chart
from escalation_desk.services.kpis import KpiService
from escalation_desk.store.db import Workspace
from tests.conftest import NOW

KEYS = ["volume", "sla", "acknowledge", "quality", "lanes", "teams", "closure"]
SIGNATURES = {".png": b"\x89PNG\r\n\x1a\n", ".svg": b"<?xml", ".pdf": b"%PDF-"}


def level(
    code: str,
    escalations: int,
    target: int | None,
    judged: int,
    met: int,
    acknowledge: float | None,
    escalate: float | None = None,
    colour: str = "#0072B2",
) -> SeverityKpis:
    """One severity level's figures; its label is the code and a name."""
    names = {"P1": "Critical", "P2": "High", "P3": "Normal"}
    label = f"{code} {names.get(code, 'Other')}"
    return SeverityKpis(
        code, label, colour, escalations, target, judged, met, acknowledge, escalate
    )


def lanes(*minutes: tuple[int, float | None]) -> tuple[LaneTime, ...]:
    """The board's lanes in order, each with (stays, mean minutes)."""
    return tuple(
        LaneTime(lane, stays, mean) for lane, (stays, mean) in zip(LANES, minutes, strict=True)
    )


NO_LANES = lanes(*[(0, None)] * len(LANES))

# The example workspace's figures, written out so every sentence can be checked by hand.
REPORT = KpiReport(
    start=None,
    end=None,
    escalations=32,
    measured_in_app=32,
    by_severity=(
        level("P1", 6, 30, 5, 5, 20.0, 9.0, "#D55E00"),
        level("P2", 13, 120, 12, 11, 75.0, 30.0, "#E69F00"),
        level("P3", 13, 480, 11, 9, 330.0, 60.0, "#0072B2"),
    ),
    by_team=(
        TeamKpis("Backend", 11, 0.0, 1.0, 0),
        TeamKpis("Frontend", 4, 0.0, 1.0, 0),
        TeamKpis("Infra / SRE", 8, 0.0, 1.0, 0),
        TeamKpis("Payments engineering", 5, 0.0, 1.0, 0),
        TeamKpis("Product management", 2, 0.0, 1.0, 0),
        TeamKpis("Support Tier 2", 2, 0.0, 1.0, 0),
    ),
    lanes=lanes((27, 80.0), (22, 0.0), (15, 1040.0), (0, None), (7, 3900.0)),
    reassignments_mean=0.0,
    right_team_first_time=1.0,
    handed_back_without_work=0,
    reopened=1,
    cadence_measured=32,
    cadence_kept=19,
    closure=ClosureKpis(
        closed=7,
        complete=5,
        items=(
            ("Root cause documented", 1.0),
            ("Procedure / KB updated", 6 / 7),
            ("Team debriefed", 6 / 7),
        ),
        overdue_follow_ups=2,
        repeat_incident_groups=1,
    ),
)

EMPTY = KpiReport(None, None, 0, 0, (), (), NO_LANES, None, None, 0, 0, 0, 0)


def chart(report: KpiReport, key: str) -> Chart:
    return next(c for c in charts(report) if c.key == key)


def drawn(figure: Figure) -> Figure:
    """The figure after a draw, so that ticks and layout exist as a viewer sees them."""
    FigureCanvasAgg(figure).draw()  # type: ignore[no-untyped-call]  # untyped in the stubs
    return figure


def shown_texts(figure: Figure) -> list[str]:
    """Every visible, non-empty text of the drawn figure."""
    return [
        t.get_text()
        for t in drawn(figure).findobj(Text)
        if isinstance(t, Text) and t.get_visible() and t.get_text().strip()
    ]


def bars(axes: Axes) -> list[Rectangle]:
    """The bars of a bar chart, first on top."""
    return [p for p in axes.patches if isinstance(p, Rectangle)]


# --- order, titles and sentences ----------------------------------------------------------------


def test_the_charts_come_in_dashboard_order_with_titles_that_say_what_they_show() -> None:
    found = charts(REPORT)
    assert [c.key for c in found] == KEYS
    assert [c.title for c in found] == [
        "Escalations by severity",
        "Responses within target, by severity",
        "Median time to acknowledge, against the target",
        "Update cadence, right team first time, reopens and over-escalation",
        "Mean time spent in each lane of the board",
        "Escalations and bounces between teams, by team",
        "Closure loop: completion, overdue follow-ups and repeat incidents",
    ]


def test_each_sentence_reads_the_numbers_of_its_chart() -> None:
    sentences = {c.key: c.sentence for c in charts(REPORT)}
    assert sentences == {
        "volume": "32 escalations: 6 P1 (19%), 13 P2 (41%) and 13 P3 (41%).",
        "sla": (
            "P3 met its 8 h response target 82% of the time (2 breaches in 11); "
            "P2 met its 2 h response target 92% of the time (1 breach in 12); "
            "P1 met its 30 min response target every time (5 of 5)."
        ),
        "acknowledge": (
            "Median time to acknowledge was within target at every level: "
            "P1 20 min against 30 min, P2 1 h 15 min against 2 h and P3 5 h 30 min against 8 h."
        ),
        "quality": (
            "Updates came as often as promised on 19 of 32 escalations (59%); all 32 reached "
            "the right team first time, 1 of 32 was reopened (3%) and none was handed back "
            "without engineering work."
        ),
        "lanes": (
            "Escalations stayed longest in Resolved (2 days 17 h on average over 7 stays), "
            "then In progress (17 h on average over 15 stays); no stay in Handed back has "
            "ended yet."
        ),
        "teams": (
            "Backend received the most escalations (11 of 32); no escalation was reassigned "
            "to another team."
        ),
        "closure": (
            "5 of 7 closed escalations (71%) completed the whole closure loop; Procedure / KB "
            "updated and Team debriefed were done least often (86% each); 2 follow-ups are "
            "overdue; 1 root cause came back in the same module within 30 days."
        ),
    }


def test_the_sla_sentence_names_breaches_and_is_honest_about_unjudged_levels() -> None:
    report = replace(
        REPORT,
        by_severity=(
            level("P1", 4, 30, 4, 4, 12.0),
            level("P2", 13, 120, 13, 12, 70.0),
            level("P3", 5, 480, 0, 0, None),
        ),
    )
    assert chart(report, "sla").sentence == (
        "P2 met its 2 h response target 92% of the time (1 breach in 13); "
        "P1 met its 30 min response target every time (4 of 4); "
        "no P3 response has been judged yet."
    )


def test_a_level_that_missed_every_time_or_has_no_target_says_so() -> None:
    report = replace(
        REPORT,
        by_severity=(
            level("P1", 3, 30, 3, 0, 45.0),
            level("P4", 2, None, 0, 0, 90.0),
            level("P5", 0, 60, 0, 0, None),  # no escalations: nothing to say
        ),
    )
    assert chart(report, "sla").sentence == (
        "P1 missed its 30 min response target every time (3 breaches in 3); "
        "P4 has no response target."
    )
    assert chart(report, "acknowledge").sentence == (
        "P1 took a median 45 min to acknowledge, over its 30 min target; "
        "P4 took a median 1 h 30 min and has no target."
    )


def test_acknowledging_over_target_comes_first_and_the_rest_are_within() -> None:
    report = replace(
        REPORT,
        by_severity=(
            level("P1", 6, 30, 5, 5, 20.0),
            level("P2", 13, 120, 12, 11, 75.0),
            level("P3", 13, 480, 11, 4, 660.0),
        ),
    )
    assert chart(report, "acknowledge").sentence == (
        "P3 took a median 11 h to acknowledge, over its 8 h target; "
        "P1 20 min against 30 min and P2 1 h 15 min against 2 h were within target."
    )


def test_volume_names_the_escalation_rate_when_tickets_are_known() -> None:
    report = replace(REPORT, tickets=400)
    assert chart(report, "volume").sentence == (
        "32 escalations from 400 tickets (8%): 6 P1 (19%), 13 P2 (41%) and 13 P3 (41%)."
    )
    quiet = replace(report, by_severity=(*REPORT.by_severity, level("P4", 0, None, 0, 0, None)))
    assert chart(quiet, "volume").sentence.endswith("13 P3 (41%); none at P4.")


def test_quality_counts_reopens_bounces_and_hand_backs() -> None:
    report = replace(
        REPORT,
        escalations=20,
        right_team_first_time=0.85,
        reopened=3,
        handed_back_without_work=1,
        cadence_measured=0,
        cadence_kept=0,
    )
    assert chart(report, "quality").sentence == (
        "Update cadence was not measured: no escalation raised here asks for updates; "
        "17 of 20 (85%) reached the right team first time, 3 of 20 were reopened (15%) and "
        "1 was handed back before engineering worked on it (5%)."
    )


def test_the_team_that_bounces_most_is_named_and_ties_share_the_lead() -> None:
    report = replace(
        REPORT,
        escalations=20,
        by_team=(
            TeamKpis("Backend", 8, 0.25, 0.75, 0),
            TeamKpis("Frontend", 8, 0.0, 1.0, 0),
            TeamKpis("Payments engineering", 4, 1.5, 0.5, 1),
        ),
    )
    teams = chart(report, "teams")
    assert teams.sentence == (
        "Backend and Frontend received the most escalations (8 each of 20); Payments "
        "engineering bounced most: 1.5 reassignments per escalation, 50% right team first time."
    )
    assert teams.rows == (
        ("Backend", "8", "0.2", "75%", "0"),
        ("Frontend", "8", "0.0", "100%", "0"),
        ("Payments engineering", "4", "1.5", "50%", "1"),
    )


def test_lanes_of_imported_escalations_are_not_passed_off_as_measured() -> None:
    report = replace(REPORT, measured_in_app=0, lanes=NO_LANES)
    lane_chart = chart(report, "lanes")
    assert lane_chart.empty
    assert lane_chart.sentence == (
        "Time in lanes is measured on escalations raised in the app, and none of this period's was."
    )


def test_closure_without_closed_escalations_still_reports_follow_ups() -> None:
    report = replace(REPORT, closure=ClosureKpis(0, 0, (), overdue_follow_ups=1))
    closure = chart(report, "closure")
    assert not closure.empty
    assert closure.sentence == (
        "No escalation was closed in this period; 1 follow-up is overdue; "
        "no root cause came back within 30 days."
    )
    assert "no escalation closed yet" in shown_texts(closure.figure())
    done = replace(REPORT, closure=ClosureKpis(2, 2, (("Root cause documented", 1.0),), 0, 0))
    complete = chart(done, "closure")
    assert {"100%  (2 of 2)", "0", "1"} <= set(shown_texts(complete.figure()))
    assert complete.sentence == (
        "2 of 2 closed escalations (100%) completed the whole closure loop; every checklist "
        "item was done or waived; no follow-up is overdue; no root cause came back within "
        "30 days."
    )


@pytest.mark.parametrize(
    ("share", "shown"),
    [(None, "\u2014"), (0.0, "0%"), (0.004, "<1%"), (0.5, "50%"), (0.996, "99%"), (1.0, "100%")],
)
def test_percentages_never_round_to_all_or_nothing(share: float | None, shown: str) -> None:
    assert percent(share) == shown


# --- the numbers behind the bars ----------------------------------------------------------------


def test_the_tables_hold_the_numbers_the_bars_show() -> None:
    tables = {c.key: (c.headers, c.rows) for c in charts(REPORT)}
    assert tables["volume"] == (
        ("Severity", "Escalations", "Share", "Mean time to escalate"),
        (
            ("P1 Critical", "6", "19%", "9 min"),
            ("P2 High", "13", "41%", "30 min"),
            ("P3 Normal", "13", "41%", "1 h"),
        ),
    )
    assert tables["sla"] == (
        ("Severity", "Response target", "Judged", "Met", "Breaches", "Within target"),
        (
            ("P1 Critical", "30 min", "5", "5", "0", "100%"),
            ("P2 High", "2 h", "12", "11", "1", "92%"),
            ("P3 Normal", "8 h", "11", "9", "2", "82%"),
        ),
    )
    assert tables["acknowledge"][1] == (
        ("P1 Critical", "20 min", "30 min", "67%"),
        ("P2 High", "1 h 15 min", "2 h", "63%"),
        ("P3 Normal", "5 h 30 min", "8 h", "69%"),
    )
    assert tables["quality"][1] == (
        ("Update cadence kept", "59%", "19", "32"),
        ("Right team first time", "100%", "32", "32"),
        ("Reopened", "3%", "1", "32"),
        ("Handed back without engineering work", "0%", "0", "32"),
    )
    assert tables["lanes"][1] == (
        ("Escalated", "1 h 20 min", "27"),
        ("Acknowledged", "under a minute", "22"),
        ("In progress", "17 h", "15"),
        ("Handed back", "\u2014", "0"),
        ("Resolved", "2 days 17 h", "7"),
    )
    assert tables["teams"][1][0] == ("Backend", "11", "0.0", "100%", "0")
    assert tables["closure"][1] == (
        ("Whole loop complete", "71%  (5 of 7)"),
        ("Root cause documented", "100%"),
        ("Procedure / KB updated", "86%"),
        ("Team debriefed", "86%"),
        ("Overdue follow-ups", "2"),
        ("Repeat incident groups", "1"),
    )


def test_sla_bars_are_percentages_in_severity_colours_with_breaches_written_on() -> None:
    figure = chart(REPORT, "sla").figure()
    axes = figure.axes[0]
    found = bars(axes)
    assert [round(b.get_width(), 1) for b in found] == [100.0, 91.7, 81.8]
    assert [b.get_facecolor() for b in found] == [to_rgba(lv.colour) for lv in REPORT.by_severity]
    assert axes.get_xlim() == (0.0, 100.0)
    texts = shown_texts(figure)
    for label in ("100%  (no breach in 5)", "92%  (1 breach in 12)", "82%  (2 breaches in 11)"):
        assert label in texts
    assert {"0%", "50%", "100%"} <= set(texts)  # the axis reads in percent, 0 to 100
    assert "Responses within target, by severity" in texts


def test_a_level_with_nothing_judged_shows_a_note_instead_of_a_bar() -> None:
    report = replace(REPORT, by_severity=(REPORT.by_severity[0], level("P3", 5, 480, 0, 0, None)))
    figure = chart(report, "sla").figure()
    assert [b.get_width() for b in bars(figure.axes[0])] == [100.0, 0.0]
    assert "none judged yet" in shown_texts(figure)


def test_time_axes_read_in_spans_and_bars_in_minutes() -> None:
    figure = chart(REPORT, "lanes").figure()
    texts = shown_texts(figure)
    assert {"1 day", "2 days", "3 days"} <= set(texts)
    for label in ("1 h 20 min  (27 stays)", "2 days 17 h  (7 stays)", "no stay ended yet"):
        assert label in texts
    acknowledge = shown_texts(chart(REPORT, "acknowledge").figure())
    assert "20 min  (target 30 min)" in acknowledge
    assert "target" in acknowledge  # the dashed target line is named


def test_a_level_with_an_unusable_colour_is_drawn_grey() -> None:
    report = replace(REPORT, by_severity=(replace(REPORT.by_severity[0], colour="not a colour"),))
    figure = chart(report, "volume").figure()
    assert bars(figure.axes[0])[0].get_facecolor() == to_rgba("#777777")


def test_only_the_busiest_teams_are_drawn_and_the_axis_says_so() -> None:
    many = tuple(TeamKpis(f"Team {n:02d}", 30 - n, 0.0, 1.0, 0) for n in range(15))
    teams = chart(replace(REPORT, by_team=many), "teams")
    assert len(teams.rows) == 15  # the table lists every team
    figure = teams.figure()
    assert len(bars(figure.axes[0])) == 12
    assert "Escalations (the 12 busiest of 15)" in shown_texts(figure)


def test_names_with_dollar_signs_are_drawn_as_typed() -> None:
    team = "Billing $ and $ refunds"
    figure = chart(replace(REPORT, by_team=(TeamKpis(team, 32, 0.0, 1.0, 0),)), "teams").figure()
    buffer = BytesIO()
    # SVG text kept as text: mathtext would have drawn "$ and $" as a formula's glyphs.
    with rc_context({"svg.fonttype": "none"}):
        figure.savefig(buffer, format="svg")
    assert team in buffer.getvalue().decode()


# --- empty states -------------------------------------------------------------------------------


def test_an_empty_period_shows_a_sentence_in_every_chart_instead_of_empty_axes() -> None:
    for empty in charts(EMPTY):
        assert empty.empty, empty.key
        assert empty.sentence == "No escalations in this period."
        figure = empty.figure()
        assert len(figure.axes) == 1
        assert not figure.axes[0].axison
        assert not bars(figure.axes[0])
        assert "No escalations in this period." in shown_texts(figure)


def test_sections_without_data_yet_say_what_is_missing() -> None:
    report = replace(
        REPORT,
        by_severity=(level("P1", 2, 30, 0, 0, None),),
        lanes=NO_LANES,
        closure=ClosureKpis(),
    )
    sentences = {c.key: c.sentence for c in charts(report) if c.empty}
    assert sentences == {
        "sla": "No response has been judged yet: none has been answered or passed its target.",
        "acknowledge": "No escalation has been acknowledged yet.",
        "lanes": "No escalation has left a lane yet.",
        "closure": "No escalation was closed in this period.",
    }


def test_without_targets_no_response_can_be_judged() -> None:
    report = replace(REPORT, by_severity=(level("P1", 2, None, 0, 0, 15.0),))
    assert chart(report, "sla").sentence == (
        "No response can be judged: no severity level sets a response target."
    )


def test_a_dashboard_figure_can_leave_the_title_to_its_card() -> None:
    titled = shown_texts(chart(REPORT, "volume").figure())
    untitled = shown_texts(chart(REPORT, "volume").figure(titled=False))
    assert "Escalations by severity" in titled
    assert "Escalations by severity" not in untitled


# --- exports ------------------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", list(SIGNATURES))
def test_every_chart_exports_to_png_svg_and_pdf(tmp_path: Path, suffix: str) -> None:
    # Every chart of the example, and an empty state, which draws no axes at all.
    exports = [(c.key, c) for c in charts(REPORT)] + [("empty", charts(EMPTY)[0])]
    for name, found in exports:
        target = tmp_path / f"{name}{suffix}"
        save_chart(found, target)
        data = target.read_bytes()
        assert data.startswith(SIGNATURES[suffix]), name
        if suffix == ".svg":
            assert b"<svg" in data
    assert sorted(p.suffix for p in tmp_path.iterdir()) == [suffix] * (len(KEYS) + 1)


def test_a_pdf_export_keeps_its_text_searchable(tmp_path: Path) -> None:
    target = tmp_path / "sla.pdf"
    save_chart(chart(REPORT, "sla"), target)
    data = target.read_bytes()
    assert b"/FontFile2" in data  # TrueType embedded (pdf.fonttype 42)
    assert b"/Subtype /Type3" not in data


@pytest.mark.parametrize("name", ["chart.jpg", "chart", "chart.PNG.txt"])
def test_another_suffix_is_refused_and_nothing_is_written(tmp_path: Path, name: str) -> None:
    with pytest.raises(ValueError, match=r"^A chart can be saved as PNG, SVG or PDF, not as .*\.$"):
        save_chart(chart(REPORT, "volume"), tmp_path / name)
    assert list(tmp_path.iterdir()) == []


def test_the_suffix_is_read_whatever_its_case(tmp_path: Path) -> None:
    target = tmp_path / "Volume.PNG"
    save_chart(chart(REPORT, "volume"), target)
    assert target.read_bytes().startswith(SIGNATURES[".png"])


# --- headline figures ---------------------------------------------------------------------------


def test_headlines_give_the_figures_a_manager_reads_first() -> None:
    shown = [(h.label, h.value, h.detail) for h in headlines(REPORT)]
    assert shown == [
        ("Escalations", "32", "6 P1 \u00b7 13 P2 \u00b7 13 P3"),
        ("SLA met overall", "89%", "25 of 28 responses within target"),
        ("Reopen rate", "3%", "1 of 32 reopened"),
        ("Reassignments per escalation", "0.0", "100% right team first time"),
        ("Closure-loop completion", "71%", "5 of 7 closed escalations"),
        ("Overdue follow-ups", "2", "follow-up actions past their due date"),
    ]
    assert [h.value for h in headlines(EMPTY)] == ["0", "\u2014", "\u2014", "\u2014", "\u2014", "0"]


# --- the example workspace ----------------------------------------------------------------------


def test_the_example_workspace_fills_every_chart(example_workspace: Workspace) -> None:
    report = KpiService(example_workspace).report(NOW)
    found = charts(report)
    assert [c.key for c in found] == KEYS
    assert not any(c.empty for c in found)
    assert found[0].sentence.startswith(f"{report.escalations} escalations: ")
    for each in found:
        assert each.sentence.endswith(".")
        assert len(shown_texts(each.figure())) > len(each.rows)
