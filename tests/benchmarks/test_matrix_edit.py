"""An edit on a 50-level, 500-rule workspace: saved, re-read, re-linted and redrawn.

Goal (issue 3): the whole edit answers within 50 ms. The floor, measured in the same run, is
SQLAlchemy's own cost for the smallest such write: one row updated in its own transaction.
"""

from __future__ import annotations

import statistics
import time
from dataclasses import replace
from pathlib import Path
from typing import Any, cast

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtGui import QUndoStack
from pytestqt.qtbot import QtBot
from sqlalchemy import update

from escalation_desk.domain.durations import Duration
from escalation_desk.domain.matrix import Trigger, TriggerKind
from escalation_desk.domain.routing import MatchOn, RoutingRule
from escalation_desk.services.session import AppSession
from escalation_desk.store import tables as t
from escalation_desk.ui.matrix.page import MatrixPage
from escalation_desk.ui.screens import ScreenContext
from tests.conftest import EXAMPLE

LEVELS = 50
RULES = 500
GOAL_S = 0.050


@pytest.fixture(scope="module")
def big_workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example grown to 50 levels and 500 routing rules."""
    path = tmp_path_factory.mktemp("big") / "big.escdesk"
    session = AppSession(EXAMPLE)
    session.open(path, example_if_new=True)
    matrix, routing = session.matrix(), session.routing()
    template = matrix.levels()[1].level
    for number in range(4, LEVELS + 1):
        level = replace(
            template,
            code=f"P{number}",
            name=f"Level {number}",
            target_response=Duration(120 + number * 10),
            triggers=(Trigger(TriggerKind.SCOPE, f"Condition {number}"),),
        )
        matrix.add_level(level)
    teams, roles = routing.team_names(), routing.role_names()
    for number in range(13, RULES + 1):
        routing.add_rule(
            RoutingRule(
                number,
                MatchOn.MODULE,
                f"Module {number}",
                teams[number % len(teams)],
                roles[number % len(roles)],
            )
        )
    session.close()
    return path


def test_an_edit_on_a_big_matrix_answers_within_50_ms(
    benchmark: Any, big_workspace: Path, qtbot: QtBot
) -> None:
    session = AppSession(EXAMPLE)
    session.open(big_workspace)
    page = MatrixPage(ScreenContext(QUndoStack(), lambda *_: None, QSettings()))
    qtbot.addWidget(page)
    page.refresh_from(session, cast(Any, None))
    assert page.model.rowCount() == LEVELS
    targets = iter(range(10_000))

    def edit() -> None:
        record = page.model.record(20)
        page.write_level(record.level.code, replace(record.level, method=f"Method {next(targets)}"))

    def floor() -> None:
        with session.workspace.write() as s:
            s.execute(
                update(t.SeverityLevel)
                .where(t.SeverityLevel.code == "P21")
                .values(hand_back=f"Floor {next(targets)}")
            )

    floor_samples = []
    for _ in range(30):
        began = time.perf_counter()
        floor()
        floor_samples.append(time.perf_counter() - began)
    benchmark.pedantic(edit, rounds=30, iterations=1, warmup_rounds=2)
    median = float(benchmark.stats.stats.median)
    ratio = median / statistics.median(floor_samples)
    benchmark.extra_info.update(median_ms=round(median * 1000, 1), ratio_to_floor=round(ratio, 1))
    print(
        f"\nedit: {median * 1000:.1f} ms, floor {statistics.median(floor_samples) * 1000:.1f} ms,"
        f" ratio {ratio:.1f}"
    )
    session.close()
    assert median <= GOAL_S
