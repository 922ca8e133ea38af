"""The managers' workbook: every sheet filled from the workspace, and the matrix round trip."""

from __future__ import annotations

import string
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from escalation_desk.cli import main
from escalation_desk.commands import ExitCode
from escalation_desk.domain.durations import Duration
from escalation_desk.domain.matrix import (
    EscalationStep,
    SeverityLevel,
    Trigger,
    TriggerKind,
    UpdatesBy,
)
from escalation_desk.domain.snapshot import MatrixSnapshot
from escalation_desk.services.board import BoardService
from escalation_desk.services.exporting import SHEETS, ExportService, matrix_sheet
from escalation_desk.services.importing import ImportService
from escalation_desk.services.kpis import KpiService
from escalation_desk.services.matrix import MatrixService
from escalation_desk.spreadsheets.matrix_import import parse_matrix, read_trigger
from escalation_desk.spreadsheets.reading import read_sheets
from escalation_desk.spreadsheets.workbook import write_workbook
from escalation_desk.store.db import Workspace

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


def test_the_workbook_holds_every_sheet_filled_from_the_workspace(
    example_workspace: Workspace, tmp_path: Path
) -> None:
    target = tmp_path / "managers.xlsx"
    ExportService(example_workspace).export(target, NOW)
    sheets = {s.name: s.rows for s in read_sheets(target)}
    assert tuple(sheets) == SHEETS
    assert [r[0] for r in sheets["Matrix"][1:]] == ["P1", "P2", "P3"]
    open_rows = [r for r in BoardService(example_workspace).rows(NOW) if r.status.is_open]
    open_refs = {r.ref for r in open_rows}
    assert {r[0] for r in sheets["Open escalations"][1:]} == open_refs
    assert "SUP-4163" in {r[1] for r in sheets["Closure review"][1:]}
    kpis = {r[0]: r for r in sheets["KPI summary"][1:]}
    report = KpiService(example_workspace).report(NOW)
    assert list(kpis)[:3] == ["P1", "P2", "P3"]
    assert {"Reopened", "Closure loop complete", "Follow-ups overdue"} <= set(kpis)
    assert sum(r[2] for r in sheets["KPI summary"][1:4]) == len(open_refs)
    # Breached now: the levels' counts add up to the board's, and there are some to count.
    assert sum(r[3] for r in sheets["KPI summary"][1:4]) == sum(r.breached for r in open_rows) > 0
    # The same figures as the Reports screen: escalations, responses within target per level.
    for level in report.by_severity:
        assert kpis[level.code][1] == level.escalations
        assert kpis[level.code][4] == pytest.approx(level.sla_met_rate, abs=0.001)
    assert kpis["Closure loop complete"][4] == 0.714
    assert kpis["Follow-ups overdue"][1] == report.closure.overdue_follow_ups
    loaded = openpyxl.load_workbook(target)
    assert loaded["KPI summary"]["E2"].number_format == "0%"
    with zipfile.ZipFile(target) as archive:
        charts = [archive.read(f"xl/charts/chart{n}.xml").decode() for n in (1, 2)]
    # Both charts plot the three levels, not the measures under them.
    assert all("'KPI summary'!$A$2:$A$4" in chart for chart in charts)
    assert loaded["Matrix"].page_setup.orientation == "landscape"


def test_the_exported_matrix_imports_back_the_same(
    example_workspace: Workspace, empty_workspace: Workspace, tmp_path: Path
) -> None:
    target = tmp_path / "managers.xlsx"
    ExportService(example_workspace).export(target, NOW)
    report = ImportService(empty_workspace).import_matrix(target)
    assert report.refused == ""
    before = [r.level for r in MatrixService(example_workspace).levels()]
    after = [r.level for r in MatrixService(empty_workspace).levels()]
    assert after == before


def test_export_on_the_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "out.xlsx"
    assert main(["export", str(target), "--data-dir", str(tmp_path / "d")]) == ExitCode.OK
    assert capsys.readouterr().out.strip() == f"Wrote {target}."
    assert [s.name for s in read_sheets(target)] == list(SHEETS)
    assert main(["export", str(tmp_path / "out.csv"), "--data-dir", str(tmp_path / "d")]) == 2
    assert "written as .xlsx" in capsys.readouterr().err


# Names as leads write them: words without the separators a contacts cell splits on.
_WORD = st.text(string.ascii_letters, min_size=2, max_size=8).filter(
    lambda w: w.casefold() not in {"and", "at", "after", "tier", "immediately", "once"}
)
_NAME = st.lists(_WORD, min_size=1, max_size=3).map(" ".join)
_SCOPE = _NAME.filter(lambda text: read_trigger(text).kind is TriggerKind.SCOPE)
_WRITTEN_TRIGGERS = (
    Trigger(TriggerKind.TIME, "No progress after 4 hrs", Duration(240)),
    Trigger(TriggerKind.TIME, "No resolution in 2 business days", Duration(960, business=True)),
    Trigger(TriggerKind.IMPACT, "3 or more customers affected", customers_at_least=3),
    Trigger(TriggerKind.IMPACT, "One customer affected", customers_at_least=1),
    Trigger(TriggerKind.IMPACT, "System outage", system_wide=True),
)
_MINUTES = st.integers(min_value=1, max_value=60 * 24 * 5)
_DURATION = st.builds(Duration, _MINUTES, st.booleans())


@st.composite
def _level(draw: st.DrawFn, rank: int) -> SeverityLevel:
    roles = draw(st.lists(_NAME, min_size=0, max_size=3, unique_by=str.casefold))
    steps = tuple(
        EscalationStep(minutes, role=name)
        for minutes, name in zip(
            sorted(draw(st.lists(st.integers(0, 600), min_size=len(roles), max_size=len(roles)))),
            roles,
            strict=True,
        )
    )
    scope = draw(st.lists(_SCOPE, max_size=2, unique=True))
    written = draw(st.lists(st.sampled_from(_WRITTEN_TRIGGERS), max_size=3, unique=True))
    return SeverityLevel(
        code=f"P{rank}",
        name=draw(_NAME),
        rank=rank,
        colour=draw(st.sampled_from(("#D55E00", "#0072B2", "#009E73"))),
        target_response=draw(st.none() | _DURATION),
        update_every=draw(st.none() | _DURATION),
        target_resolution=draw(st.none() | _DURATION),
        method=draw(st.sampled_from(("", "Phone", "Jira ticket with link"))),
        contacts=tuple(roles),
        # Either owner may be missing without the other taking its place.
        engineer_role=roles[0] if roles and draw(st.booleans()) else None,
        liaison_role=roles[-1] if len(roles) > 1 else None,
        updates_by=draw(st.sampled_from(UpdatesBy)),
        hand_back=draw(st.sampled_from(("", "When the fix is live"))),
        triggers=(*written, *(Trigger(TriggerKind.SCOPE, text) for text in scope)),
        steps=steps,
    )


@st.composite
def _matrix(draw: st.DrawFn) -> tuple[SeverityLevel, ...]:
    count = draw(st.integers(min_value=1, max_value=4))
    return tuple(draw(_level(rank)) for rank in range(1, count + 1))


@settings(
    max_examples=40,
    deadline=None,
    derandomize=True,  # the same examples on every run: CI never fails on a new draw
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(levels=_matrix())
def test_any_matrix_survives_export_and_import(
    levels: tuple[SeverityLevel, ...], tmp_path: Path
) -> None:
    target = tmp_path / "matrix.xlsx"
    write_workbook(target, [matrix_sheet(MatrixSnapshot(levels=levels))])
    parsed = parse_matrix(
        read_sheets(target)[0], known_roles=[r for lv in levels for r in lv.contacts]
    )
    assert parsed.ok, parsed.problems
    assert tuple(parsed.levels) == levels
