"""The command line: stable options, exit codes and JSON that scripts rely on."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest

from escalation_desk import __version__
from escalation_desk.cli import main
from escalation_desk.commands import ExitCode
from escalation_desk.services.session import AppSession
from tests.conftest import EXAMPLE


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0
    assert capsys.readouterr().out.strip() == f"escalation-desk {__version__}"


@pytest.mark.parametrize("where", ["before", "after"])
def test_db_works_before_or_after_the_subcommand(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, where: str
) -> None:
    db = str(tmp_path / "fresh.escdesk")
    argv = (
        ["--db", db, "summary", "--json"]
        if where == "before"
        else ["summary", "--json", "--db", db]
    )
    code, out, _ = run(capsys, *argv)
    assert code == ExitCode.OK
    body = json.loads(out)
    # --db naming a new file creates an empty workspace, not the example.
    assert body["levels"] == []
    assert body["open_total"] == 0
    assert Path(body["path"]) == Path(db)


def test_the_default_data_dir_starts_with_the_example(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, _ = run(capsys, "summary", "--data-dir", str(tmp_path), "--json")
    assert code == ExitCode.OK
    body = json.loads(out)
    assert [lv["code"] for lv in body["levels"]] == ["P1", "P2", "P3"]
    assert body["open_total"] == 23
    assert (tmp_path / "workspace.escdesk").exists()
    assert (tmp_path / "logs" / "escalation-desk.log").exists()


def test_summary_text_lists_what_needs_attention(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, _ = run(capsys, "summary", "--data-dir", str(tmp_path))
    assert code == ExitCode.OK
    assert out.startswith("Quillpay Customer Support")
    assert "Open escalations: 23 (P1 3, P2 9, P3 11)" in out
    assert "Breached:" in out


def test_a_newer_workspace_is_rejected_with_exit_1(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db = tmp_path / "future.escdesk"
    assert run(capsys, "summary", "--db", str(db))[0] == ExitCode.OK
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    code, out, err = run(capsys, "summary", "--db", str(db))
    assert code == ExitCode.REJECTED
    assert out == ""
    assert "newer Escalation Desk" in err


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as done:
        main(["no-such-command"])
    assert done.value.code == ExitCode.USAGE
    with pytest.raises(SystemExit) as done:
        main(["--db", "a.escdesk", "--data-dir", str(tmp_path), "summary"])
    assert done.value.code == ExitCode.USAGE
    assert "not allowed with" in capsys.readouterr().err


def test_db_alone_logs_to_the_per_user_folder_not_beside_the_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db = tmp_path / "team.escdesk"
    assert run(capsys, "summary", "--db", str(db))[0] == ExitCode.OK
    assert (tmp_path / "xdg-data" / "escalation-desk" / "logs" / "escalation-desk.log").exists()
    assert not (tmp_path / "logs").exists()


@pytest.mark.parametrize(
    "argv",
    [
        ["--db", "a.escdesk", "summary", "--data-dir", "elsewhere"],
        ["summary", "--db", "a.escdesk", "--data-dir", "elsewhere"],
        ["--db", "", "summary"],
        ["summary", "--data-dir", "  "],
    ],
)
def test_conflicting_or_empty_locations_are_usage_errors(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as done:
        main(argv)
    assert done.value.code == ExitCode.USAGE
    err = capsys.readouterr().err
    assert "not allowed with argument --db" in err or "needs a path" in err


def test_an_unexpected_failure_is_one_sentence_and_a_logged_traceback(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_args: object) -> None:
        raise RuntimeError("the summary could not be computed")

    monkeypatch.setattr("escalation_desk.services.session.AppSession.summary", broken)
    code, _, err = run(capsys, "summary", "--data-dir", str(tmp_path))
    assert code == ExitCode.FAILED
    assert err.startswith("escalation-desk summary failed: the summary could not be computed.")
    assert "Traceback" not in err
    log = (tmp_path / "logs" / "escalation-desk.log").read_text()
    assert "RuntimeError: the summary could not be computed" in log


def test_matrix_json_is_the_documented_interface(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, _ = run(capsys, "matrix", "--json", "--data-dir", str(tmp_path))
    assert code == ExitCode.OK
    body = json.loads(out)
    assert body["version"] is None
    p1 = body["levels"][0]
    assert {
        "code",
        "name",
        "rank",
        "target_response_minutes",
        "update_every_minutes",
        "business_hours",
        "triggers",
        "contacts",
        "method",
        "owner_roles",
    } <= set(p1)
    assert (p1["code"], p1["target_response_minutes"], p1["business_hours"]) == ("P1", 30, False)
    assert p1["owner_roles"] == ["Dev Lead", "Support liaison"]
    assert {"kind", "text", "after_minutes", "customers_at_least"} <= set(p1["triggers"][0])
    assert body["routing"][0] == {
        **body["routing"][0],
        "order": 1,
        "team": "Infra / SRE",
        "role": "Security lead",
    }
    assert {"name", "team", "holder", "backup"} <= set(body["roles"][0])
    assert {"name", "tier"} <= set(body["teams"][0])


def test_lint_reports_findings_and_fails_on_errors(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, _ = run(capsys, "lint", "--json", "--data-dir", str(tmp_path))
    assert code == ExitCode.OK  # the example has warnings only
    findings = json.loads(out)
    assert findings
    assert {f["severity"] for f in findings} == {"warning"}
    assert set(findings[0]) == {"severity", "code", "message", "where"}

    session = AppSession(EXAMPLE)
    session.open(tmp_path / "workspace.escdesk")
    matrix = session.matrix()
    p2 = matrix.levels()[1]
    matrix.update_level(p2, replace(p2.level, contacts=()))
    session.close()
    code, out, _ = run(capsys, "lint", "--data-dir", str(tmp_path))
    assert code == ExitCode.REJECTED
    assert "error    level-no-contact" in out


def test_escalations_json_carries_owners_and_deadlines(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, _ = run(capsys, "escalations", "--open", "--json", "--data-dir", str(tmp_path))
    assert code == ExitCode.OK
    body = json.loads(out)
    assert len(body) == 23
    assert {e["status"] for e in body} <= {
        "new",
        "escalated",
        "acknowledged",
        "in_progress",
        "handed_back",
    }
    late = next(e for e in body if e["ref"] == "SUP-4236")
    assert set(late) >= {
        "ref",
        "title",
        "customer",
        "module",
        "severity",
        "status",
        "team",
        "role",
        "owner",
        "liaison",
        "matrix_version",
        "created_at",
        "escalated_at",
        "acknowledged_at",
        "resolved_at",
        "closed_at",
        "reopen_count",
        "deadlines",
    }
    assert late["created_at"].endswith("+00:00")
    resolution = next(d for d in late["deadlines"] if d["kind"] == "resolution")
    assert resolution["state"] == "breached"
    assert resolution["due_at"].endswith("+00:00")
    code, out, _ = run(capsys, "escalations", "--json", "--data-dir", str(tmp_path))
    assert len(json.loads(out)) == 36


def test_close_refuses_with_the_missing_items_then_closes_with_a_waiver(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, _ = run(capsys, "close", "SUP-4163", "--json", "--data-dir", str(tmp_path))
    assert code == ExitCode.REJECTED
    assert json.loads(out) == {"ref": "SUP-4163", "closed": False, "missing": ["Team debriefed"]}
    code, out, _ = run(
        capsys,
        "close",
        "SUP-4163",
        "--waive",
        "Team debriefed",
        "--reason",
        "Weekly review",
        "--data-dir",
        str(tmp_path),
    )
    assert code == ExitCode.OK
    assert out.strip() == "SUP-4163 closed."
    code, out, _ = run(capsys, "closure", "--json", "--data-dir", str(tmp_path))
    body = json.loads(out)
    assert set(body) == {"awaiting_closure", "follow_ups", "repeat_groups", "completion_rate"}
    assert "SUP-4163" not in {a["ref"] for a in body["awaiting_closure"]}
    assert body["repeat_groups"] == [
        {"root_cause": "Capacity", "module": "Database", "refs": ["SUP-4102", "SUP-4147"]}
    ]
    assert {"ref", "title", "owner", "due", "overdue"} == set(body["follow_ups"][0])
    assert 0 <= body["completion_rate"] <= 1


def test_reopen_puts_a_closed_escalation_back_in_progress(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    waive = ("--waive", "Team debriefed", "--reason", "Weekly review")
    assert run(capsys, "close", "SUP-4163", *waive, "--data-dir", str(tmp_path))[0] == 0
    code, out, _ = run(capsys, "reopen", "SUP-4163", "--data-dir", str(tmp_path))
    assert code == ExitCode.OK
    assert out.strip() == "SUP-4163 is in progress again."
    _, out, _ = run(capsys, "escalations", "--json", "--data-dir", str(tmp_path))
    reopened = next(e for e in json.loads(out) if e["ref"] == "SUP-4163")
    assert (reopened["status"], reopened["reopen_count"]) == ("in_progress", 1)
    code, _, err = run(capsys, "reopen", "SUP-4163", "--data-dir", str(tmp_path))
    assert code == ExitCode.REJECTED
    assert err.strip()


def test_advise_answers_in_the_documented_json(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, _ = run(
        capsys,
        "--data-dir",
        str(tmp_path / "data"),
        "advise",
        "--severity",
        "P1",
        "--elapsed",
        "2h30m",
        "--module",
        "Database",
        "--json",
    )
    assert code == 0
    body = json.loads(out)
    assert (body["decision"], body["level"], body["team"]) == ("escalate_now", "P1", "Infra / SRE")
    assert body["target_response_minutes"] == 30
    assert body["fired_triggers"][0]["kind"] == "time"


def test_advise_refuses_an_unknown_level_and_a_bad_duration(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    data = str(tmp_path / "data")
    code, _, err = run(capsys, "--data-dir", data, "advise", "--severity", "P9", "--elapsed", "1h")
    assert (code, err.strip()) == (1, "There is no severity level P9; use P1, P2, P3.")
    code, _, err = run(capsys, "--data-dir", data, "advise", "--elapsed", "soon")
    assert code == 2
    assert err.startswith('--elapsed: Could not read "soon" as a duration')
