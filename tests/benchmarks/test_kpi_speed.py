"""KPIs over 100,000 escalations (issue 8: under 500 ms).

The floor measured in the same run is SQLite itself handing the same columns of the same rows
to Python (the sqlite3 module, one query, nothing else): no KPI can be read faster.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from escalation_desk.services.kpis import KpiService
from escalation_desk.services.session import AppSession
from tests.benchmarks.conftest import ESCALATIONS
from tests.benchmarks.timing import median_of
from tests.conftest import EXAMPLE

NOW = datetime(2026, 11, 26, 14, 0, tzinfo=UTC)
GOAL_S = 0.5


def test_kpis_over_100000_escalations(benchmark: Any, history: Path) -> None:
    session = AppSession(EXAMPLE)
    session.open(history)
    service = KpiService(session.workspace)
    columns = (
        "severity_id, team_id, source, created_at, escalated_at, acknowledged_at, started_at,"
        " handed_back_at, resolved_at, closed_at, reopen_count, reassignment_count, made_sla"
    )

    def floor() -> None:
        with sqlite3.connect(history) as plain:
            plain.execute(f"SELECT {columns} FROM escalations").fetchall()

    floor_s = median_of(floor)
    report = service.report(NOW)
    assert report.escalations >= ESCALATIONS
    benchmark.pedantic(lambda: service.report(NOW), rounds=5, iterations=1)
    ours = float(benchmark.stats.stats.median)
    benchmark.extra_info.update(floor_s=round(floor_s, 3), ratio=round(ours / floor_s, 2))
    print(f"\nKPIs: {ours:.3f} s; sqlite3 reading the same rows: {floor_s:.3f} s")
    session.close()
    assert ours < GOAL_S
