"""A 100,000-row ticket import and a 100,000-escalation export against the libraries' own floor.

Goals, each floor measured in the same run:
(a) importing a 100,000-row helpdesk CSV into a fresh workspace, against the csv module reading
    the same file plus sqlite3's executemany storing its rows in one transaction: goal 1.5x;
(b) exporting the managers' workbook from 100,000 escalations, against openpyxl's write-only
    mode writing the values of its Open escalations sheet: goal 1.3x, and the export's peak
    resident memory (VmHWM growth, in a process of its own) under 300 MB.
"""

from __future__ import annotations

import csv
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import closing
from datetime import UTC, datetime
from itertools import count
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from escalation_desk.services.example import load_example
from escalation_desk.services.exporting import ExportService
from escalation_desk.services.ticket_import import TicketImportReport, TicketImportService
from escalation_desk.spreadsheets.tickets import TicketFormat
from escalation_desk.store.db import Workspace, open_workspace
from tests.benchmarks.spreadsheet_data import write_ticket_export
from tests.conftest import EXAMPLE

TICKETS = 100_000
NOW = datetime(2026, 11, 26, 14, 0, tzinfo=UTC)
ROUNDS = 3
IMPORT_GOAL = 1.5
EXPORT_GOAL = 1.3
EXPORT_MEMORY_GOAL = 300 * 2**20
PRIORITIES = {"Low": "P3"}  # the example's levels are P1..P3; "Low" ranks fourth
PROBE = Path(__file__).with_name("spreadsheet_data.py")


@pytest.fixture(scope="module")
def ticket_export(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generic helpdesk CSV of 100,000 tickets, four in six still open."""
    path = tmp_path_factory.mktemp("export") / "tickets.csv"
    write_ticket_export(path, TICKETS)
    return path


def example_at(path: Path) -> Workspace:
    """The example workspace (levels P1..P3, a catch-all routing rule) at ``path``."""
    workspace = open_workspace(path)
    load_example(workspace, EXAMPLE, NOW)
    return workspace


def import_tickets(workspace: Workspace, export: Path) -> TicketImportReport:
    """The import as the app runs it, every ticket or none."""
    return TicketImportService(workspace).import_tickets(
        export, fmt=TicketFormat.GENERIC, priorities=PRIORITIES, zone=UTC
    )


@pytest.fixture(scope="module")
def busy_workspace(
    tmp_path_factory: pytest.TempPathFactory, ticket_export: Path
) -> Iterator[Workspace]:
    """The example plus the 100,000 tickets, imported as the app imports them."""
    workspace = example_at(tmp_path_factory.mktemp("busy") / "busy.escdesk")
    assert import_tickets(workspace, ticket_export).imported == TICKETS
    yield workspace
    workspace.close()


def read_and_store(export: Path, database: Path) -> int:
    """The floor of an import: the csv module reads the file, sqlite3 stores its rows."""
    with export.open(newline="", encoding="utf-8") as file:
        header, *rows = csv.reader(file)
    columns = len(header)
    with closing(sqlite3.connect(database)) as db:
        db.execute(f"CREATE TABLE tickets ({', '.join(f'c{n}' for n in range(columns))})")
        with db:  # one transaction, committed at the end
            db.executemany(f"INSERT INTO tickets VALUES ({', '.join('?' * columns)})", rows)
    return len(rows)


def write_plain(path: Path, headers: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
    """The floor of an export: openpyxl's write-only mode streaming plain values."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Open escalations")
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    workbook.save(path)


def ratio_to_floor(
    benchmark: Any,
    action: Callable[..., object],
    floor: Callable[[], object],
    fresh: Callable[[], tuple[Any, ...]],
    names: tuple[str, str],
) -> float:
    """Median of the app's samples over the median of the floor's.

    The samples alternate (a floor sample in each round's untimed setup, then the app's timed
    one on what ``fresh`` made for it), so that a busy moment of the machine weighs on both
    sides alike.
    """
    floor()  # warm-up: libraries imported, the file in the page cache
    samples: list[float] = []

    def floor_sample() -> tuple[tuple[Any, ...], dict[str, Any]]:
        began = time.perf_counter()
        floor()
        samples.append(time.perf_counter() - began)
        return fresh(), {}

    benchmark.pedantic(action, setup=floor_sample, rounds=ROUNDS, iterations=1)
    ours = float(benchmark.stats.stats.median)
    floor_s = statistics.median(samples)
    ratio = ours / floor_s
    benchmark.extra_info.update(floor_median_s=round(floor_s, 3), ratio=ratio)
    print(f"\n{names[0]}: {ours:.3f} s, {names[1]}: {floor_s:.3f} s, ratio {ratio:.2f}")
    return ratio


def test_importing_100000_tickets_against_reading_and_storing_them(
    benchmark: Any, ticket_export: Path, tmp_path: Path
) -> None:
    numbers = count()
    workspaces: list[Workspace] = []
    reports: list[TicketImportReport] = []

    def floor() -> None:
        assert read_and_store(ticket_export, tmp_path / f"floor-{next(numbers)}.db") == TICKETS

    def fresh() -> tuple[Workspace]:
        workspaces.append(example_at(tmp_path / f"fresh-{next(numbers)}.escdesk"))
        return (workspaces[-1],)

    def import_all(workspace: Workspace) -> None:
        reports.append(import_tickets(workspace, ticket_export))

    try:
        ratio = ratio_to_floor(
            benchmark, import_all, floor, fresh, ("import", "csv read + sqlite3 executemany")
        )
    finally:
        for workspace in workspaces:
            workspace.close()
    assert [(r.refused, r.imported) for r in reports] == [("", TICKETS)] * ROUNDS
    assert ratio <= IMPORT_GOAL


def test_exporting_100000_escalations_against_openpyxl_write_only(
    benchmark: Any, busy_workspace: Workspace, tmp_path: Path
) -> None:
    service = ExportService(busy_workspace)
    open_sheet = next(s for s in service.sheets(NOW) if s.name == "Open escalations")
    headers, rows = open_sheet.headers, [tuple(row) for row in open_sheet.rows]
    assert len(rows) > TICKETS // 2

    ratio = ratio_to_floor(
        benchmark,
        service.export,
        lambda: write_plain(tmp_path / "floor.xlsx", headers, rows),
        lambda: (tmp_path / "workbook.xlsx", NOW),
        ("export", f"openpyxl write-only, {len(rows)} x {len(headers)} values"),
    )
    probe = subprocess.run(
        [
            sys.executable,
            str(PROBE),
            str(busy_workspace.path),
            str(tmp_path / "probe.xlsx"),
            NOW.isoformat(),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )
    grown = int(probe.stdout.split()[-1])
    benchmark.extra_info.update(peak_rss_growth_mb=round(grown / 2**20))
    print(f"export peak memory: VmHWM grew {grown / 2**20:.0f} MB")
    assert ratio <= EXPORT_GOAL
    assert grown < EXPORT_MEMORY_GOAL
