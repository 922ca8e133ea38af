"""``escalation-desk replay``: the JSON scripts read, the tables leads read, and refusals."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from escalation_desk.cli import main
from escalation_desk.commands import ExitCode
from escalation_desk.services.session import AppSession
from tests.conftest import EXAMPLE
from tests.services.test_replay import BILLING_EXPORT, route_billing_to_payments

DATA = Path(__file__).parent / "data"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A data folder whose workspace published the example as version 1, then routed
    Billing to Payments engineering in the draft."""
    folder = tmp_path / "data"
    session = AppSession(EXAMPLE)
    session.open(folder / "workspace.escdesk", example_if_new=True)
    route_billing_to_payments(session.workspace)
    session.close()
    return folder


@pytest.fixture
def billing_export(tmp_path: Path) -> Path:
    path = tmp_path / "billing.csv"
    path.write_text(BILLING_EXPORT, encoding="utf-8")
    return path


def test_replay_json_compares_the_draft_with_a_version(
    capsys: pytest.CaptureFixture[str], data_dir: Path, billing_export: Path
) -> None:
    code, out, err = run(
        capsys,
        "replay",
        str(billing_export),
        "--against",
        "1",
        "--json",
        "--data-dir",
        str(data_dir),
    )
    assert (code, err) == (ExitCode.OK, "")
    body = json.loads(out)
    assert list(body) == [
        "file",
        "format",
        "tickets",
        "without_created",
        "as_of",
        "a",
        "b",
        "difference",
    ]
    assert (body["file"], body["format"], body["tickets"]) == ("billing.csv", "generic", 6)
    assert body["a"]["label"] == "version 1"
    assert body["b"]["label"] == "draft"
    assert body["a"]["by_team"]["Backend"] == 3
    assert body["b"]["by_team"]["Backend"] == 1
    assert body["difference"]["by_team"]["Payments engineering"] == {"a": 1, "b": 3, "change": 2}
    assert body["difference"]["moves"] == [
        {"from": "Backend", "to": "Payments engineering", "tickets": 2}
    ]
    assert [m["ref"] for m in body["difference"]["moved"]] == ["BILL-1", "BILL-2"]
    assert body["b"]["by_week"] == {"2026-W10": 5}
    assert body["b"]["by_level"]["P1"]["escalations"] == 4


def test_replay_without_a_version_replays_the_draft_alone(
    capsys: pytest.CaptureFixture[str], data_dir: Path
) -> None:
    jira = str(DATA / "tickets" / "jira_export.csv")
    code, out, _ = run(capsys, "replay", jira, "--json", "--data-dir", str(data_dir))
    assert code == ExitCode.OK
    body = json.loads(out)
    assert (body["a"], body["difference"]) == (None, None)
    assert body["b"]["unmapped_priorities"] == {"Low": 1}

    argv = ["replay", jira, "--priority", "Low=P3", "--json", "--data-dir", str(data_dir)]
    body = json.loads(run(capsys, *argv)[1])
    assert (body["b"]["unmapped_priorities"], body["b"]["replayed"]) == ({}, 3)


def test_replay_text_is_a_table_with_the_change_and_the_moves(
    capsys: pytest.CaptureFixture[str], data_dir: Path, billing_export: Path
) -> None:
    code, out, _ = run(
        capsys, "replay", str(billing_export), "--against", "1", "--data-dir", str(data_dir)
    )
    assert code == ExitCode.OK
    lines = out.splitlines()
    assert lines[0] == "Replayed billing.csv (generic): 6 tickets."
    team_table = lines.index(next(line for line in lines if line.startswith("Escalations by team")))
    assert lines[team_table].split()[-3:] == ["1", "draft", "change"]
    rows = {
        line.rsplit(None, 3)[0]: line.split()[-3:]
        for line in lines[team_table + 1 : team_table + 4]
    }
    assert rows == {
        "Payments engineering": ["1", "3", "+2"],
        "Backend": ["3", "1", "-2"],
        "Infra / SRE": ["1", "1", "0"],
    }
    assert "  Backend -> Payments engineering: 2 tickets (BILL-1, BILL-2)" in lines


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["replay", "{data}/truncated.xlsx"], "truncated.xlsx"),
        (
            ["replay", "{data}/no-such-file.csv"],
            "no-such-file.csv does not exist or is not a file.",
        ),
        (["replay", "{data}/tickets/jira_export.csv", "--against", "9"], "There is no version 9."),
    ],
)
def test_a_file_it_cannot_read_or_a_missing_version_exits_2_with_one_sentence(
    capsys: pytest.CaptureFixture[str], data_dir: Path, argv: list[str], message: str
) -> None:
    filled = [arg.format(data=DATA) for arg in argv]
    code, out, err = run(capsys, *filled, "--data-dir", str(data_dir))
    assert code == ExitCode.USAGE
    assert out == ""
    assert err.startswith(message)
    assert err.count("\n") == 1


def test_a_priority_option_without_a_level_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], data_dir: Path
) -> None:
    with pytest.raises(SystemExit) as done:
        main(["replay", "x.csv", "--priority", "Low", "--data-dir", str(data_dir)])
    assert done.value.code == ExitCode.USAGE
    assert 'takes RAW=LEVEL, like "4 - Low=P3", not "Low"' in capsys.readouterr().err
