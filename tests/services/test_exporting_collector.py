"""Exporting pauses Python's cycle collector while it builds and writes the sheets, no longer."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from escalation_desk.services import exporting
from escalation_desk.services.board import BoardRow
from escalation_desk.services.exporting import ExportService
from escalation_desk.spreadsheets.workbook import SheetSpec
from escalation_desk.store.db import Workspace

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


@pytest.fixture
def collector_restored() -> Iterator[None]:
    was_enabled = gc.isenabled()
    yield
    if was_enabled:
        gc.enable()


@pytest.mark.usefixtures("collector_restored")
@pytest.mark.parametrize("enabled", [True, False])
def test_the_collector_is_left_as_it_was(
    example_workspace: Workspace, tmp_path: Path, enabled: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[bool] = []
    built = exporting.open_escalations_sheet

    def watched(rows: list[BoardRow]) -> tuple[SheetSpec, exporting.OpenNow]:
        seen.append(gc.isenabled())
        return built(rows)

    monkeypatch.setattr(exporting, "open_escalations_sheet", watched)
    (gc.enable if enabled else gc.disable)()
    ExportService(example_workspace).export(tmp_path / "managers.xlsx", NOW)
    assert seen == [False]
    assert gc.isenabled() is enabled
    assert (tmp_path / "managers.xlsx").exists()
