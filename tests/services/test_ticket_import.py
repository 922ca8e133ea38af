"""Helpdesk exports onto the board: all or nothing, priorities mapped, refs never doubled."""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from escalation_desk.cli import main
from escalation_desk.commands import ExitCode
from escalation_desk.domain.lifecycle import Status
from escalation_desk.services.board import BoardService
from escalation_desk.services.ticket_import import TicketImportService
from escalation_desk.store.db import Workspace
from tests.conftest import UCI_LOG
from tests.workspaces import fingerprint, sqlite_only

DATA = Path(__file__).parents[1] / "data"
NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


def digest(workspace: Workspace) -> str:
    return fingerprint(workspace)


def test_the_servicenow_log_needs_its_priorities_mapped_then_lands_whole(
    example_workspace: Workspace,
) -> None:
    service = TicketImportService(example_workspace)
    before = digest(example_workspace)
    refused = service.import_tickets(UCI_LOG)
    assert refused.refused == "The export has errors; nothing was imported."
    assert refused.priorities["4 - Low"] is None
    assert refused.priorities["1 - Critical"] == "P1"
    assert refused.problems[-1].message == (
        'The priority "4 - Low" matches no severity level (P1, P2, P3); '
        "choose the level it stands for."
    )
    assert digest(example_workspace) == before

    report = service.import_tickets(UCI_LOG, priorities={"4 - Low": "P3"}, zone=UTC)
    assert (report.refused, report.imported, report.format) == ("", 890, "servicenow")
    rows = {r.ref: r for r in BoardService(example_workspace).rows(NOW, include_closed=True)}
    assert sum(ref.startswith("INC") for ref in rows) == 890
    first = rows["INC0000045"]
    assert (first.status, first.severity, first.customer) == (Status.CLOSED, "P3", "Caller 2403")
    assert first.resolved_at == datetime(2016, 2, 29, 11, 29, tzinfo=UTC)
    assert first.closed_at == datetime(2016, 3, 5, 12, 0, tzinfo=UTC)
    assert first.team == "Support Tier 2"  # routed by the catch-all rule

    again = service.import_tickets(UCI_LOG, priorities={"4 - Low": "P3"})
    assert (again.imported, len(again.skipped)) == (0, 890)


def test_a_jira_export_lands_in_the_right_columns(example_workspace: Workspace) -> None:
    report = TicketImportService(example_workspace).import_tickets(
        DATA / "tickets" / "jira_export.csv", priorities={"Low": "P3"}, zone=UTC
    )
    assert report.refused == ""
    assert report.priorities == {"Highest": "P1", "Medium": "P3", "Low": "P3"}
    rows = {r.ref: r for r in BoardService(example_workspace).rows(NOW, include_closed=True)}
    assert rows["SUP-101"].status is Status.RESOLVED
    assert rows["SUP-101"].created_at == datetime(2024, 3, 12, 9, 41, tzinfo=UTC)
    assert rows["SUP-102"].status is Status.IN_PROGRESS
    assert rows["SUP-103"].status is Status.ESCALATED
    assert rows["SUP-101"].team == "Payments engineering"  # routed by its component


def test_a_dry_run_and_a_broken_file_change_nothing(example_workspace: Workspace) -> None:
    service = TicketImportService(example_workspace)
    before = digest(example_workspace)
    dry = service.import_tickets(DATA / "tickets" / "zendesk_export.csv", dry_run=True)
    assert (dry.refused, dry.imported) == ("", 3)
    broken = service.import_tickets(DATA / "truncated.xlsx")
    assert broken.refused.startswith("truncated.xlsx")
    assert digest(example_workspace) == before


def test_first_response_times_become_acknowledgements(example_workspace: Workspace) -> None:
    TicketImportService(example_workspace).import_tickets(
        DATA / "tickets" / "freshdesk_export.csv", priorities={"Low": "P3"}, zone=UTC
    )
    row = BoardService(example_workspace).row("88", NOW)
    assert row is not None
    assert row.acknowledged_at == datetime(2024, 3, 12, 10, 11, tzinfo=UTC)
    unanswered = BoardService(example_workspace).row("89", NOW)
    assert unanswered is not None
    assert unanswered.acknowledged_at is None


def test_import_escalations_on_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    export = str(DATA / "tickets" / "jira_export.csv")
    where = ("--data-dir", str(tmp_path))
    assert main(["import-escalations", export, "--json", *where]) == ExitCode.REJECTED
    body = json.loads(capsys.readouterr().out)
    assert {"imported", "created_roles", "problems", "refused"} <= set(body)
    assert body["problems"][0]["column"] == "Priority"
    assert main(["import-escalations", export, *where]) == ExitCode.REJECTED
    assert 'for example --priority "Low=P3"' in capsys.readouterr().out
    assert main(["import-escalations", export, "--priority", "Low=P3", *where]) == ExitCode.OK
    assert capsys.readouterr().out.strip() == "imported 3 escalations (jira)"
    with pytest.raises(SystemExit) as refused:  # argparse says it and exits with 2
        main(["import-escalations", export, "--priority", "Low", *where])
    assert refused.value.code == ExitCode.USAGE
    assert 'takes RAW=LEVEL, like "4 - Low=P3", not "Low"' in capsys.readouterr().err


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("not_a_workbook.xlsx", "neither an .xlsx workbook nor a CSV file"),
        ("renamed.xlsb.xlsx", "binary workbook (.xlsb)"),
        ("zip_bomb.xlsx", "zip bomb"),
        ("truncated.xlsx", "not a spreadsheet Escalation Desk can read"),
    ],
)
def test_hostile_exports_are_refused_and_change_nothing(
    example_workspace: Workspace, name: str, words: str
) -> None:
    before = digest(example_workspace)
    report = TicketImportService(example_workspace).import_tickets(DATA / name)
    assert words in report.refused
    assert report.imported == 0
    assert digest(example_workspace) == before


@pytest.fixture
def berlin(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The computer's zone is Europe/Berlin (CET in winter, CEST in summer)."""
    monkeypatch.setenv("TZ", "Europe/Berlin")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def write_export(path: Path, *rows: str) -> Path:
    path.write_text("Ref,Title,Priority,Created\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


@pytest.mark.usefixtures("berlin")
def test_times_keep_their_offset_and_naive_ones_follow_that_dates_local_rules(
    example_workspace: Workspace, tmp_path: Path
) -> None:
    export = write_export(
        tmp_path / "zones.csv",
        "Z-1,Winter,High,2024-01-15 09:00",
        "Z-2,Summer,High,2024-07-15 09:00",
        "Z-3,Written in UTC,High,2024-01-15T09:00:00Z",
    )
    assert TicketImportService(example_workspace).import_tickets(export).refused == ""
    board = BoardService(example_workspace)
    created = {ref: board.row(ref, NOW).created_at for ref in ("Z-1", "Z-2", "Z-3")}  # type: ignore[union-attr]
    assert created == {
        "Z-1": datetime(2024, 1, 15, 8, 0, tzinfo=UTC),
        "Z-2": datetime(2024, 7, 15, 7, 0, tzinfo=UTC),
        "Z-3": datetime(2024, 1, 15, 9, 0, tzinfo=UTC),
    }


def test_tickets_without_a_priority_need_a_level_too(
    example_workspace: Workspace, tmp_path: Path
) -> None:
    export = write_export(tmp_path / "blank.csv", "B-1,Has one,High,", "B-2,Has none,,")
    service = TicketImportService(example_workspace)
    refused = service.import_tickets(export)
    assert refused.problems[-1].message == (
        "Some tickets have no priority; choose the level (P1, P2, P3) they get."
    )
    report = service.import_tickets(export, priorities={"": "P3"})
    assert (report.refused, report.imported) == ("", 2)
    row = BoardService(example_workspace).row("B-2", NOW)
    assert row is not None
    assert row.severity == "P3"


@sqlite_only
def test_imported_times_are_stored_in_the_form_the_app_writes(
    example_workspace: Workspace,
) -> None:
    TicketImportService(example_workspace).import_tickets(
        DATA / "tickets" / "jira_export.csv", priorities={"Low": "P3"}, zone=UTC
    )
    with sqlite3.connect(example_workspace.path) as raw:
        imported, made_in_app = (
            raw.execute("SELECT created_at FROM escalations WHERE ref = ?", (ref,)).fetchone()[0]
            for ref in ("SUP-101", "SUP-4163")
        )
    assert imported == "2024-03-12 09:41:00.000000"
    assert len(imported) == len(made_in_app)  # so that text comparisons in SQL order them
