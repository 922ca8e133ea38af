"""The team commands: set a server up, add members, copy a workspace up, open it by address."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from escalation_desk.commands import ExitCode
from escalation_desk.services.team import PASSWORD_VARIABLE
from tests.postgres import SUPERUSER, SUPERUSER_PASSWORD, TeamServer
from tests.test_cli import run


def _address(postgres: TeamServer, database: str, user: str) -> str:
    """An address as a person types it: no driver name, no password."""
    port = postgres.server.port
    return f"postgresql://{user}@127.0.0.1:{port}/{database}"


def test_a_lead_sets_up_a_server_adds_people_and_moves_a_workspace_up(
    postgres: TeamServer,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    postgres.sql("CREATE DATABASE cli_team")
    admin = _address(postgres, "cli_team", SUPERUSER)
    monkeypatch.setenv(PASSWORD_VARIABLE, SUPERUSER_PASSWORD)
    code, out, _ = run(capsys, "team-setup", admin)
    assert code == ExitCode.OK
    assert "set up" in out

    monkeypatch.setenv("ESCALATION_DESK_MEMBER_PASSWORD", "kim-secret")
    code, out, _ = run(capsys, "team-add-member", admin, "kim", "--role", "lead")
    assert (code, out.strip()) == (ExitCode.OK, "kim can now open the team workspace as lead.")
    code, _, err = run(capsys, "team-add-member", admin, "Kim Lee", "--role", "agent")
    assert code == ExitCode.REJECTED
    assert "cannot be a login name" in err

    monkeypatch.setenv(PASSWORD_VARIABLE, "kim-secret")
    kim = _address(postgres, "cli_team", "kim")
    local = tmp_path / "data"
    code, out, _ = run(capsys, "copy-to-team", kim, "--data-dir", str(local))
    assert code == ExitCode.OK
    assert out.startswith("Copied ")
    code, _, err = run(capsys, "copy-to-team", kim, "--data-dir", str(local))
    assert code == ExitCode.REJECTED
    assert "already holds a workspace" in err

    code, out, _ = run(capsys, "summary", "--json", "--db", kim)
    assert code == ExitCode.OK
    summary = json.loads(out)
    assert summary["path"] == f"kim@127.0.0.1:{postgres.server.port}/cli_team"
    assert summary["name"] == "Quillpay Customer Support"  # the example, copied up whole
    assert sum(level["open_count"] for level in summary["levels"]) > 0


def test_a_wrong_password_is_said_in_a_sentence(
    postgres: TeamServer, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(PASSWORD_VARIABLE, "not it")
    address = _address(postgres, "template_empty", postgres.LEAD[0])
    code, _, err = run(capsys, "summary", "--db", address)
    assert code == ExitCode.REJECTED
    assert "password authentication failed" in err
