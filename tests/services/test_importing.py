"""Importing a matrix: all or nothing, and --replace/--merge for a workspace that has one."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from escalation_desk.cli import main
from escalation_desk.commands import ExitCode
from escalation_desk.domain.closure import Gate
from escalation_desk.services.closure import ClosureService
from escalation_desk.services.importing import ImportMode, ImportService
from escalation_desk.services.matrix import MatrixService
from escalation_desk.store.db import Workspace
from tests.workspaces import fingerprint

DATA = Path(__file__).parents[1] / "data"


def test_a_matrix_imports_into_an_empty_workspace(empty_workspace: Workspace) -> None:
    report = ImportService(empty_workspace).import_matrix(DATA / "matrix_title_rows.xlsx")
    assert report.refused == ""
    assert report.imported == 3
    levels = [r.level for r in MatrixService(empty_workspace).levels()]
    assert [(lv.code, lv.rank) for lv in levels] == [("P1", 1), ("P2", 2), ("P3", 3)]
    assert "Product Manager" in levels[0].contacts
    # Each imported level is closed through the loop: the default checklist, blocking on P1.
    templates = ClosureService(empty_workspace).templates()
    assert [item.name for item in templates["P1"]] == [
        "Root cause documented",
        "Procedure / KB updated",
        "Team debriefed",
    ]
    assert {item.gate for item in templates["P1"]} == {Gate.BLOCKING}
    assert {item.gate for item in templates["P3"]} == {Gate.WARNING}


def test_a_sheet_with_errors_changes_nothing(example_workspace: Workspace) -> None:
    before = fingerprint(example_workspace)
    report = ImportService(example_workspace).import_matrix(
        DATA / "matrix_bad_cells.xlsx", mode=ImportMode.REPLACE
    )
    assert report.refused == "The sheet has errors; nothing was imported."
    assert report.imported == 0
    assert [lv.level.code for lv in MatrixService(example_workspace).levels()] == ["P1", "P2", "P3"]
    assert fingerprint(example_workspace) == before


def test_an_existing_matrix_needs_replace_or_merge(example_workspace: Workspace) -> None:
    service = ImportService(example_workspace)
    refused = service.import_matrix(DATA / "matrix_semicolons.csv")
    assert "choose --replace or --merge" in refused.refused
    merged = service.import_matrix(DATA / "matrix_semicolons.csv", mode=ImportMode.MERGE)
    assert merged.imported == 2
    levels = {r.level.code: r.level for r in MatrixService(example_workspace).levels()}
    assert set(levels) == {"P1", "P2", "P3"}  # P3 kept by a merge
    assert levels["P1"].method == "Phone + Teams"
    assert levels["P1"].colour == "#D55E00"  # a merge keeps the lead's colours


def test_the_command_reports_problems_as_json(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code = main(
        [
            "import-matrix",
            str(DATA / "matrix_bad_cells.xlsx"),
            "--json",
            "--db",
            str(tmp_path / "w.escdesk"),
        ]
    )
    body = json.loads(capsys.readouterr().out)
    assert code == ExitCode.REJECTED
    assert body["imported"] == 0
    assert {"row": 2, "column": "Target response time", "severity": "error"}.items() <= (
        body["problems"][0].items()
    )
    code = main(
        [
            "import-matrix",
            str(DATA / "matrix_title_rows.xlsx"),
            "--dry-run",
            "--db",
            str(tmp_path / "w.escdesk"),
        ]
    )
    assert code == ExitCode.OK
    assert "would import 3 levels" in capsys.readouterr().out


def test_a_merge_keeps_what_the_sheet_has_no_column_for(example_workspace: Workspace) -> None:
    before = {r.level.code: r.level for r in MatrixService(example_workspace).levels()}
    report = ImportService(example_workspace).import_matrix(
        DATA / "matrix_title_rows.xlsx", mode=ImportMode.MERGE
    )
    assert report.refused == ""
    after = {r.level.code: r.level for r in MatrixService(example_workspace).levels()}
    # No "Target resolution", steps or colour columns: those stay as they were.
    for code in ("P1", "P2", "P3"):
        assert after[code].target_resolution == before[code].target_resolution
        assert after[code].steps == before[code].steps
        assert after[code].colour == before[code].colour
    assert after["P1"].contacts == ("Dev Lead", "Product Manager")  # the sheet's column wins


def test_a_merge_keeps_the_order_the_lead_gave_the_other_levels(
    example_workspace: Workspace, tmp_path: Path
) -> None:
    matrix = MatrixService(example_workspace)
    matrix.move_level("P3", 2)
    sheet = tmp_path / "p1.csv"
    sheet.write_text("Severity,Escalate to,Response time\nP1,Dev Lead,15 min\n", encoding="utf-8")
    service = ImportService(example_workspace)
    parsed = service.read_matrix(sheet)
    assert [c.text for c in service.changes(parsed, ImportMode.MERGE)] == [
        "Target response 30 min → 15 min",
        "Contact removed: Product Manager",
        "Contact removed: Incident commander",
    ]
    assert service.apply(parsed, mode=ImportMode.MERGE).refused == ""
    assert [r.level.code for r in matrix.levels()] == ["P1", "P3", "P2"]
