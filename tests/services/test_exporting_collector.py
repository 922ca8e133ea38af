"""Exporting pauses Python's cycle collector only while it builds the sheets."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from escalation_desk.services.exporting import ExportService
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
    example_workspace: Workspace, tmp_path: Path, enabled: bool
) -> None:
    seen: list[bool] = []
    service = ExportService(example_workspace)
    sheets = service.sheets

    def watched(now: datetime) -> list:  # type: ignore[type-arg]
        seen.append(gc.isenabled())
        return sheets(now)

    service.sheets = watched  # type: ignore[method-assign]
    (gc.enable if enabled else gc.disable)()
    service.export(tmp_path / "managers.xlsx", NOW)
    assert seen == [False]
    assert gc.isenabled() is enabled
    assert (tmp_path / "managers.xlsx").exists()
