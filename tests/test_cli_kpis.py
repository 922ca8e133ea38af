"""``escalation-desk kpis``: the documented JSON, filters, a period, and refusals."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from escalation_desk.cli import main
from tests.conftest import UCI_LOG


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_kpis_json_holds_the_documented_keys(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, _ = run(capsys, "--data-dir", str(tmp_path / "data"), "kpis", "--json")
    assert code == 0
    body = json.loads(out)
    assert body["escalations"] == sum(body["by_severity"].values()) > 0
    assert (
        set(body["sla_met_rate"])
        == set(body["time_to_acknowledge_median_minutes"])
        == {
            "P1",
            "P2",
            "P3",
        }
    )
    assert 0 <= body["reopen_rate"] <= 1
    assert 0 <= body["closure_completion_rate"] <= 1
    assert isinstance(body["repeat_incident_groups"], int)
    assert isinstance(body["reassignments_mean"], float)


def test_kpis_of_an_imported_export_for_a_period_and_severity(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    data = str(tmp_path / "data")
    code, _, err = run(
        capsys, "--data-dir", data, "import-escalations", str(UCI_LOG), "--priority", "4 - Low=P3"
    )
    assert code == 0, err
    code, out, _ = run(
        capsys,
        "--data-dir",
        data,
        "kpis",
        "--from",
        "2016-01-01",
        "--to",
        "2016-12-31",
        "--severity",
        "P1",
        "--tickets",
        "100",
        "--json",
    )
    body = json.loads(out)
    assert body["by_severity"]["P1"] == body["escalations"] > 0
    assert body["by_severity"]["P2"] == 0
    assert body["escalation_rate"] == body["escalations"] / 100
    assert body["from"].startswith("2016-01-01T00:00:00")


def test_kpis_text_and_refusals(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    data = str(tmp_path / "data")
    code, out, _ = run(capsys, "--data-dir", data, "kpis")
    assert code == 0
    assert out.splitlines()[1].split() == [
        "Level",
        "Count",
        "SLA",
        "met",
        "Breaches",
        "Ack",
        "median",
    ]
    code, _, err = run(capsys, "--data-dir", data, "kpis", "--team", "Nobody")
    assert (code, err.strip()) == (1, "There is no team called Nobody.")
    code, _, err = run(
        capsys, "--data-dir", data, "kpis", "--from", "2026-12-01", "--to", "2026-11-01"
    )
    assert code == 2
    assert err.strip() == "The period ends (2026-11-01) before it begins (2026-12-01)."
    with pytest.raises(SystemExit) as exited:
        main(["--data-dir", data, "kpis", "--from", "soon"])
    assert exited.value.code == 2
    assert "'soon' is not a date like 2026-11-26" in capsys.readouterr().err
