"""Benchmark fixtures: a year of 100,000 escalations raised in the app (KPIs, dashboard)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import insert, select, true

from escalation_desk.services.session import AppSession
from escalation_desk.store import core
from escalation_desk.store.facts import keep_facts
from tests.conftest import EXAMPLE

ESCALATIONS = 100_000
NOW = datetime(2026, 11, 26, 14, 0, tzinfo=UTC)
CHECKLIST = ("Root cause documented", "Procedure / KB updated", "Team debriefed")


@pytest.fixture(scope="session")
def history(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example plus a year of 100,000 escalations raised in the app: as in a real history,
    most are closed (with their closure checklists) and a few thousand still open; each has
    two logged updates, and the longest wait for one as the board keeps it."""
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
        rows, events, entries = [], [], []
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
            if status == "closed":  # its closure loop, done but for one debrief in five
                for position, name in enumerate(CHECKLIST):
                    done = position < 2 or n % 5
                    entries.append(
                        {
                            "escalation_id": first + n,
                            "position": position,
                            "name": name,
                            "done_at": created + timedelta(minutes=1900) if done else None,
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
        conn.execute(insert(core.checklist_entries), entries)
        keep_facts(conn, true())  # as the board and the closure loop keep them
    session.close()
    return path
