"""KPIs over 100,000 escalations (issue 8: under 500 ms).

The floor measured in the same run is SQLite itself handing the same columns of the same rows
to Python (the sqlite3 module, one query, nothing else): no KPI can be read faster.
"""

from __future__ import annotations

import sqlite3
import statistics
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import insert, select

from escalation_desk.services.kpis import KpiService
from escalation_desk.services.session import AppSession
from escalation_desk.store import core
from tests.conftest import EXAMPLE

ESCALATIONS = 100_000
NOW = datetime(2026, 11, 26, 14, 0, tzinfo=UTC)
GOAL_S = 0.5


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example plus a year of 100,000 escalations raised in the app: as in a real history,
    most are closed and a few hundred still open; each has two logged updates, and the
    longest wait for one as the board keeps it."""
    path = tmp_path_factory.mktemp("kpis") / "history.escdesk"
    session = AppSession(EXAMPLE)
    session.open(path, example_if_new=True)
    stages = ("escalated", "acknowledged", "in_progress", "handed_back", "resolved", "closed")
    with session.workspace.write() as s:
        conn = s.connection()
        levels = list(conn.scalars(select(core.severity_levels.c.id)))
        teams = list(conn.scalars(select(core.teams.c.id)))
        first = (
            conn.scalar(select(core.escalations.c.id).order_by(core.escalations.c.id.desc())) or 0
        ) + 1
        rows, events = [], []
        for n in range(ESCALATIONS):
            created = NOW - timedelta(minutes=5 * n + 60)
            # Nineteen in twenty closed; the rest spread over the open stages and resolved.
            status = "closed" if n % 20 else stages[(n // 20) % len(stages)]
            step = stages.index(status)

            def at(
                stage: int, minutes: int, created: datetime = created, step: int = step
            ) -> datetime | None:
                return created + timedelta(minutes=minutes) if step >= stage else None

            rows.append(
                {
                    "ref": f"KPI-{n}",
                    "title": "x",
                    "severity_id": levels[n % len(levels)],
                    "status": status,
                    "team_id": teams[n % len(teams)],
                    "customer_impact": "",
                    "tried": "",
                    "reproduce": "",
                    "created_at": created,
                    "escalated_at": created + timedelta(minutes=n % 40),
                    "acknowledged_at": at(1, 45 + n % 90),
                    "started_at": at(2, 150),
                    "handed_back_at": at(3, 200) if n % 5 == 0 else None,
                    "resolved_at": at(4, 400 + n % 600),
                    "closed_at": at(5, 2000),
                    "reopen_count": int(n % 17 == 0),
                    "reassignment_count": n % 3,
                    "longest_update_gap_minutes": 45.0 + n % 40,
                    "version": 1,
                }
            )
            for minutes in (60, 120):
                events.append(
                    {
                        "escalation_id": first + n,
                        "at": created + timedelta(minutes=minutes),
                        "kind": "update_logged",
                    }
                )
        conn.execute(insert(core.escalations), rows)
        conn.execute(insert(core.escalation_events), events)
    session.close()
    return path


def median_of(action: Any, rounds: int = 5) -> float:
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


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
