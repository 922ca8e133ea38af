"""Bulk jobs pause Python's cycle collector while they make their objects, no longer."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from escalation_desk.services import exporting, ticket_import
from escalation_desk.services.board import BoardRow
from escalation_desk.services.collector import collector_paused
from escalation_desk.services.exporting import ExportService
from escalation_desk.services.ticket_import import TicketImportService
from escalation_desk.spreadsheets.workbook import SheetSpec
from escalation_desk.store.db import Workspace

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
JIRA = Path(__file__).parents[1] / "data" / "tickets" / "jira_export.csv"


@pytest.fixture
def collector_restored() -> Iterator[None]:
    was_enabled = gc.isenabled()
    yield
    if was_enabled:
        gc.enable()


@pytest.mark.usefixtures("collector_restored")
@pytest.mark.parametrize("enabled", [True, False])
def test_exporting_leaves_the_collector_as_it_was(
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


@pytest.mark.usefixtures("collector_restored")
def test_importing_tickets_pauses_the_collector_while_it_parses_and_writes(
    example_workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[tuple[str, bool]] = []
    parse, write = ticket_import.parse_tickets, ticket_import._write

    def parse_watched(*args: Any) -> Any:
        seen.append(("parse", gc.isenabled()))
        return parse(*args)

    def write_watched(*args: Any) -> None:
        seen.append(("write", gc.isenabled()))
        write(*args)

    monkeypatch.setattr(ticket_import, "parse_tickets", parse_watched)
    monkeypatch.setattr(ticket_import, "_write", write_watched)
    gc.enable()
    report = TicketImportService(example_workspace).import_tickets(
        JIRA, priorities={"Low": "P3"}, zone=UTC
    )
    assert report.imported > 0
    assert seen == [("parse", False), ("write", False)]
    assert gc.isenabled()


@pytest.mark.usefixtures("collector_restored")
def test_the_collector_comes_back_when_the_last_of_two_overlapping_jobs_ends() -> None:
    gc.enable()
    first_in, second_in, first_out = threading.Event(), threading.Event(), threading.Event()
    states: list[bool] = []

    def second_job() -> None:
        with collector_paused():
            second_in.set()
            first_out.wait(5)
            states.append(gc.isenabled())  # the first job has ended; this one goes on

    with collector_paused():
        first_in.set()
        worker = threading.Thread(target=second_job)
        worker.start()
        second_in.wait(5)
    first_out.set()
    worker.join(5)
    assert states == [False]
    assert gc.isenabled()
