"""KPIs of a workspace: the example's figures, filters, and a real ServiceNow export checked
against figures worked out from the CSV on its own."""

from __future__ import annotations

import csv
import threading
from collections import defaultdict
from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import event, select

from escalation_desk.domain.kpis import (
    epoch_minutes,
    handed_back_without_work,
    lane_stays,
    period_bounds,
    sla_verdict,
)
from escalation_desk.domain.lifecycle import Status
from escalation_desk.services import kpis as kpis_service
from escalation_desk.services.board import BoardService
from escalation_desk.services.kpis import KpiFilter, KpiService
from escalation_desk.services.ticket_import import TicketImportService
from escalation_desk.store import core
from escalation_desk.store.db import Workspace
from tests.conftest import NOW, UCI_LOG
from tests.workspaces import sqlite_only

LEVEL_OF_PRIORITY = {"1 - Critical": "P1", "2 - High": "P2", "3 - Moderate": "P3", "4 - Low": "P3"}


def latest_states() -> list[dict[str, str]]:
    """One row per incident, its latest state (the highest sys_mod_count), read plainly."""
    latest: dict[str, dict[str, str]] = {}
    with UCI_LOG.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            seen = latest.get(row["number"])
            if seen is None or int(row["sys_mod_count"]) >= int(seen["sys_mod_count"]):
                latest[row["number"]] = row
    return list(latest.values())


@pytest.fixture(scope="module")
def uci_expected() -> dict[str, object]:
    rows = latest_states()
    by_level: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in rows:
        by_level[LEVEL_OF_PRIORITY[row["priority"]]].append(row)
    return {
        "escalations": len(rows),
        "by_severity": {code: len(by_level[code]) for code in ("P1", "P2", "P3")},
        "reopen_rate": sum(int(r["reopen_count"]) > 0 for r in rows) / len(rows),
        "reassignments_mean": sum(int(r["reassignment_count"]) for r in rows) / len(rows),
        "sla_met_rate": {
            code: sum(r["made_sla"] == "TRUE" for r in members) / len(members)
            for code, members in by_level.items()
        },
        "march": sum(r["opened_at"][3:10] == "03-2016" for r in rows),
    }


def test_the_uci_export_gives_the_figures_of_its_csv(
    example_workspace: Workspace, uci_expected: dict[str, object]
) -> None:
    before = KpiService(example_workspace).report(NOW).as_json()
    TicketImportService(example_workspace).import_tickets(
        UCI_LOG, priorities={"4 - Low": "P3"}, zone=UTC
    )
    # Only the imported incidents: the example's own escalations are all in 2026.
    start, end = period_bounds(date(2016, 1, 1), date(2016, 12, 31), UTC)
    figures = KpiService(example_workspace).report(NOW, KpiFilter(start, end)).as_json()
    assert figures["escalations"] == uci_expected["escalations"] == 890
    assert figures["by_severity"] == uci_expected["by_severity"]
    assert figures["reopen_rate"] == pytest.approx(uci_expected["reopen_rate"])
    assert figures["reassignments_mean"] == pytest.approx(uci_expected["reassignments_mean"])
    expected_sla = uci_expected["sla_met_rate"]
    assert isinstance(expected_sla, dict)
    assert figures["sla_met_rate"] == pytest.approx(expected_sla)
    assert figures["measured_in_app"] == 0  # imported: their steps are not the app's to time
    everything = KpiService(example_workspace).report(NOW).as_json()
    assert everything["escalations"] == before["escalations"] + 890


def test_a_period_counts_what_was_escalated_in_it(
    example_workspace: Workspace, uci_expected: dict[str, object]
) -> None:
    TicketImportService(example_workspace).import_tickets(
        UCI_LOG, priorities={"4 - Low": "P3"}, zone=UTC
    )
    start, end = period_bounds(date(2016, 3, 1), date(2016, 3, 31), UTC)
    march = KpiService(example_workspace).report(NOW, KpiFilter(start, end))
    assert march.escalations == uci_expected["march"]
    assert (march.start, march.end) == (
        datetime(2016, 3, 1, tzinfo=UTC),
        datetime(2016, 4, 1, tzinfo=UTC),
    )


def test_the_example_figures(example_workspace: Workspace) -> None:
    report = KpiService(example_workspace).report(NOW)
    board = BoardService(example_workspace).rows(NOW, include_closed=True)
    escalated = [r for r in board if r.escalated_at is not None]
    assert report.escalations == len(escalated)
    assert {lv.code: lv.escalations for lv in report.by_severity} == {
        code: sum(r.severity == code for r in escalated) for code in ("P1", "P2", "P3")
    }
    assert report.measured_in_app == report.escalations
    assert report.closure.closed > 0
    assert [name for name, _ in report.closure.items] == [
        "Root cause documented",
        "Procedure / KB updated",
        "Team debriefed",
    ]


def test_filters_by_severity_and_team(example_workspace: Workspace) -> None:
    service = KpiService(example_workspace)
    everything = service.report(NOW)
    p1 = service.report(NOW, KpiFilter(severity="P1"))
    assert p1.escalations == next(
        lv.escalations for lv in everything.by_severity if lv.code == "P1"
    )
    assert [lv.escalations for lv in p1.by_severity if lv.code != "P1"] == [0, 0]
    backend = service.report(NOW, KpiFilter(team="Backend"))
    assert [t.team for t in backend.by_team] == ["Backend"]
    assert backend.escalations == next(
        t.escalations for t in everything.by_team if t.team == "Backend"
    )
    levels, teams = service.choices()
    assert levels == ["P1", "P2", "P3"]
    assert "Backend" in teams


def test_an_unknown_severity_or_team_is_said(example_workspace: Workspace) -> None:
    service = KpiService(example_workspace)
    with pytest.raises(ValueError, match=r"^There is no severity level P9; use P1, P2, P3\.$"):
        service.report(NOW, KpiFilter(severity="P9"))
    with pytest.raises(ValueError, match=r"^There is no team called Nobody\.$"):
        service.report(NOW, KpiFilter(team="Nobody"))


def stamps_of(workspace: Workspace) -> list[dict[str, Any]]:
    """Every escalated escalation's stamps as epoch minutes, read through the store's types."""
    e = core.escalations.c
    columns = (
        e.source,
        e.escalated_at,
        e.acknowledged_at,
        e.started_at,
        e.handed_back_at,
        e.resolved_at,
        e.closed_at,
    )
    with workspace.query() as connection:
        rows = connection.execute(select(*columns).where(e.escalated_at.is_not(None))).mappings()
        return [
            {
                key: epoch_minutes(value) if key != "source" and value else value
                for key, value in row.items()
            }
            for row in rows
        ]


def test_the_sums_follow_the_domain_rules(example_workspace: Workspace) -> None:
    """SQLite sums the lanes (as the board keeps them) and hand-backs; the same rules applied
    row by row in Python must give the same figures."""
    board = BoardService(example_workspace)
    for row in board.rows(NOW):  # one hand-back without work, to have one
        if row.status is Status.ESCALATED:
            board.move(row.ref, Status.HANDED_BACK, "Ana", NOW)
    rows = stamps_of(example_workspace)
    report = KpiService(example_workspace).report(NOW)
    stays: dict[str, list[float]] = defaultdict(list)
    for row in rows:
        if row["source"]:
            continue
        for lane, minutes in lane_stays(
            row["escalated_at"],
            row["acknowledged_at"],
            row["started_at"],
            row["handed_back_at"],
            row["resolved_at"],
            row["closed_at"],
        ):
            stays[lane].append(minutes)
    for lane in report.lanes:
        assert lane.stays == len(stays[lane.lane]), lane.lane
        if stays[lane.lane]:
            expected = sum(stays[lane.lane]) / len(stays[lane.lane])
            assert lane.mean_minutes == pytest.approx(expected, abs=0.01), lane.lane
    without = sum(handed_back_without_work(r["started_at"], r["handed_back_at"]) for r in rows)
    assert report.handed_back_without_work == without > 0


def test_wall_clock_responses_are_judged_by_the_domain_rule(example_workspace: Workspace) -> None:
    """SQL judges the responses of levels on the wall clock; ``sla_verdict`` applied row by row
    to the same epoch minutes must give the same counts and medians."""
    e, level = core.escalations.c, core.severity_levels.c
    with example_workspace.query() as connection:
        rows = connection.execute(
            select(level.code, level.target_response_minutes, e.made_sla)
            .add_columns(e.escalated_at, e.acknowledged_at)
            .join(core.severity_levels, level.id == e.severity_id)
            .where(e.escalated_at.is_not(None), level.target_response_business.is_(False))
        ).all()
    known: dict[str, int] = defaultdict(int)
    met: dict[str, int] = defaultdict(int)
    times: dict[str, list[float]] = defaultdict(list)
    for code, target, made_sla, escalated_at, acknowledged_at in rows:
        escalated = epoch_minutes(escalated_at)
        response = None if acknowledged_at is None else epoch_minutes(acknowledged_at) - escalated
        if response is not None:
            times[code].append(response)
        verdict = sla_verdict(made_sla, response, epoch_minutes(NOW) - escalated, target)
        known[code] += verdict is not None
        met[code] += bool(verdict)
    report = KpiService(example_workspace).report(NOW)
    judged = {lv.code: lv for lv in report.by_severity if lv.code in known}
    assert len(judged) >= 2
    assert sum(known.values()) > sum(met.values()) > 0
    for code, figures in judged.items():
        assert (figures.sla_known, figures.sla_met) == (known[code], met[code]), code
        middle = sorted(times[code])
        half = len(middle) // 2
        expected = middle[half] if len(middle) % 2 else (middle[half - 1] + middle[half]) / 2
        assert figures.acknowledge_median_minutes == expected, code


@sqlite_only
def test_the_report_sorts_no_escalations(example_workspace: Workspace) -> None:
    """SQLite reads the counts per severity and team in the KPI index's order, and the medians
    in the response index's: sorting a hundred thousand rows for a GROUP BY, or the response
    times for a median, is what made the report slow."""
    executed: list[tuple[str, Any]] = []

    def seen(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        executed.append((statement, parameters))

    event.listen(example_workspace.engine, "before_cursor_execute", seen)
    try:
        KpiService(example_workspace).report(NOW)
    finally:
        event.remove(example_workspace.engine, "before_cursor_execute", seen)
    plans = []
    with example_workspace.engine.connect() as connection:
        for statement, parameters in executed:
            if statement.lstrip().startswith("SELECT"):
                plan = connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)
                plans.append(" / ".join(row[3] for row in plan))
    assert not [plan for plan in plans if "TEMP B-TREE FOR GROUP BY" in plan]
    assert any("COVERING INDEX ix_escalations_kpis" in plan for plan in plans)
    medians = [plan for plan in plans if "INDEX ix_escalations_response" in plan]
    assert medians
    assert not [plan for plan in medians if "TEMP B-TREE" in plan]


def test_the_report_is_the_same_read_on_one_thread_or_two(
    example_workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The facts' pass goes to a second thread unless the caller asks for one (the export)."""
    threads: list[str] = []
    summed = kpis_service._fact_sums

    def watched(*args: Any) -> Any:
        threads.append(threading.current_thread().name)
        return summed(*args)

    monkeypatch.setattr(kpis_service, "_fact_sums", watched)
    service = KpiService(example_workspace)
    two = service.report(NOW)
    one = service.report(NOW, beside=False)
    assert one == two
    assert one.closure.closed > 0
    assert threads[0].startswith("kpi-facts")
    assert threads[1] == threading.current_thread().name
