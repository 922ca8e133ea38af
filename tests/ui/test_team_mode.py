"""Team mode in the window: connecting, roles on the controls, the live board, copying up."""

from __future__ import annotations

import gc
import sys
from datetime import UTC, datetime
from typing import TypeVar

import pytest
from PySide6.QtWidgets import QAbstractItemView
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from escalation_desk.services.board import BoardService
from escalation_desk.services.errors import NotAllowedError
from escalation_desk.store import core
from escalation_desk.ui.board.page import BoardPage
from escalation_desk.ui.crash import CrashHandler
from escalation_desk.ui.main_window import MainWindow
from escalation_desk.ui.matrix.page import MatrixPage
from escalation_desk.ui.onboarding.page import OnboardingPage
from tests.postgres import TeamServer
from tests.ui.conftest import Messages

Page = TypeVar("Page")


@pytest.fixture(autouse=True)
def connections_left_open_show_here() -> None:
    """Collect garbage before each test, so that a connection an earlier test left open
    fails this module (psycopg warns as it is collected) rather than a later, unrelated one."""
    gc.collect()


@pytest.fixture(autouse=True)
def no_stored_passwords(monkeypatch: pytest.MonkeyPatch) -> None:
    """Only the password typed counts: none from the environment or this machine's keyring."""
    monkeypatch.delenv("ESCALATION_DESK_DB_PASSWORD", raising=False)
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")


def address(postgres: TeamServer, database: str, login: tuple[str, str]) -> str:
    """The address a member types: no password in it."""
    return f"postgresql://{login[0]}@127.0.0.1:{postgres.server.port}/{database}"


def connect(window: MainWindow, postgres: TeamServer, database: str, login: tuple[str, str]):  # type: ignore[no-untyped-def]
    dialog = window.open_connect_dialog(address(postgres, database, login))
    dialog.password.setText(login[1])
    dialog.ok_button.click()
    assert not dialog.isVisible(), dialog.error.text()


def test_a_wrong_password_is_said_in_the_dialog_and_the_right_one_switches(
    window: MainWindow, postgres: TeamServer
) -> None:
    database = postgres.fresh_database("example")
    before = window.windowTitle()
    dialog = window.open_connect_dialog()
    dialog.address.setText(address(postgres, database, TeamServer.AGENT))
    dialog.password.setText("not-the-password")
    dialog.ok_button.click()

    assert dialog.isVisible()
    assert dialog.error.isVisible()
    assert "password" in dialog.error.text()
    assert window.windowTitle() == before

    dialog.password.setText(TeamServer.AGENT[1])
    dialog.ok_button.click()

    assert not dialog.isVisible()
    assert window.windowTitle() == f"{database} — team (agent) — Escalation Desk"
    assert "signed in as agent" in window._workspace_label.text()
    recent = window.recent_menu.actions()[0]
    assert recent.data() == address(postgres, database, TeamServer.AGENT)
    assert TeamServer.AGENT[1] not in str(window._settings.value("recentWorkspaces"))


def test_an_agent_reads_the_matrix_but_works_the_board(
    window: MainWindow, postgres: TeamServer
) -> None:
    matrix = window.screen_widget("matrix")
    assert isinstance(matrix, MatrixPage)
    own_tip = matrix.add_button.toolTip()
    connect(window, postgres, postgres.fresh_database("example"), TeamServer.AGENT)

    for button in (matrix.add_button, matrix.triggers_button, matrix.import_button):
        assert not button.isEnabled()
        assert "signed in as agent" in button.toolTip()
    assert matrix.grid.editTriggers() == QAbstractItemView.EditTrigger.NoEditTriggers
    assert not window.settings_action.isEnabled()
    board = window.screen_widget("board")
    assert isinstance(board, BoardPage)
    assert board.new_button.isEnabled()
    assert board.detail.update_button.isEnabled()

    # Back on a local file, the lead's controls and their own tips return.
    assert window.open_workspace(window._paths.workspace)
    assert matrix.add_button.isEnabled()
    assert matrix.add_button.toolTip() == own_tip
    assert matrix.grid.editTriggers() != QAbstractItemView.EditTrigger.NoEditTriggers


def manager_on(window: MainWindow, postgres: TeamServer, key: str, page_type: type[Page]) -> Page:
    """Screen ``key`` of the example on the team server, signed in as a manager."""
    connect(window, postgres, postgres.fresh_database("example"), TeamServer.MANAGER)
    window.show_screen(key)
    page = window.screen_widget(key)
    assert isinstance(page, page_type)
    return page


def test_a_manager_reads_the_board_without_acting_on_it(
    window: MainWindow, postgres: TeamServer
) -> None:
    board = manager_on(window, postgres, "board", BoardPage)

    assert board.detail.ref  # an escalation is on show, read-only
    assert not board.new_button.isEnabled()
    assert not board.detail.update_button.isEnabled()
    assert "signed in as manager" in board.detail.update_button.toolTip()
    assert board.detail.handoff_button.isEnabled()
    assert window.windowTitle().endswith("— team (manager) — Escalation Desk")


def test_a_manager_asks_the_advisor_and_practises_but_keeps_no_record(
    window: MainWindow, postgres: TeamServer
) -> None:
    page = manager_on(window, postgres, "onboarding", OnboardingPage)
    advisor = page.advisor
    advisor.module.setCurrentText("Billing")
    advisor.customers.setValue(12)
    advisor.elapsed.setText("20 min")
    advisor.advise_button.click()
    assert advisor.decision.text() == "Escalate now · P1 Critical"  # routed: an agent could act
    assert not advisor.create_button.isEnabled()
    assert "signed in as manager" in advisor.create_button.toolTip()

    practice = page.practice
    practice.check_button.click()
    assert practice.result.text().startswith("Score ")
    assert "Not added to any record: you are signed in as manager." in practice.result.text()
    with window._session.workspace.query() as connection:
        assert connection.scalar(select(func.count()).select_from(core.agent_progress)) == 0


def test_a_change_made_by_someone_else_shows_on_the_open_board(
    window: MainWindow, postgres: TeamServer, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    database = postgres.fresh_database("example")
    connect(window, postgres, database, TeamServer.LEAD)
    window.show_screen("board")
    board = window.screen_widget("board")
    assert isinstance(board, BoardPage)
    ref = board.detail.ref
    full_reads: list[int] = []
    monkeypatch.setattr(board, "reload", lambda: full_reads.append(1))

    colleague = postgres.open(database, TeamServer.AGENT)
    try:
        BoardService(colleague).log_update(
            ref, "Customer confirmed the workaround", "a colleague", datetime.now(UTC)
        )
    finally:
        colleague.close()

    def shown() -> bool:
        texts = [board.detail.timeline.item(i).text() for i in range(board.detail.timeline.count())]
        return any("Customer confirmed the workaround" in text for text in texts)

    qtbot.waitUntil(shown, timeout=5000)  # the minute timer would take 60 s
    assert full_reads == []  # only the changed escalation was read again

    # The due-to-escalate list is recomputed on a pool thread; let it finish before its
    # workspace closes (switching while it runs drops a checked-out connection unclosed).
    qtbot.waitUntil(lambda: not board.watch._running, timeout=5000)
    # A file workspace has nobody else to hear: the listener's connection is let go.
    assert window.open_workspace(window._paths.workspace)
    assert window._watch is None


def test_copying_the_example_up_into_an_empty_team_database(
    window: MainWindow, postgres: TeamServer, messages: Messages
) -> None:
    database = postgres.fresh_database("empty")
    local_rows = len(window._session.board().rows(datetime.now(UTC)))
    dialog = window.open_copy_up_dialog()
    assert dialog is not None
    dialog.address.setText(address(postgres, database, TeamServer.LEAD))
    dialog.password.setText(TeamServer.LEAD[1])
    dialog.ok_button.click()

    assert not dialog.isVisible(), dialog.error.text()
    assert any(text.startswith("Copied ") for text in messages.texts())
    assert window.windowTitle() == f"{database} — team (lead) — Escalation Desk"
    assert len(window._session.board().rows(datetime.now(UTC))) == local_rows
    assert not window.copy_up_action.isEnabled()  # already a team workspace


def test_copying_into_a_database_that_is_not_empty_is_refused_in_the_dialog(
    window: MainWindow, postgres: TeamServer
) -> None:
    database = postgres.fresh_database("example")
    dialog = window.open_copy_up_dialog()
    assert dialog is not None
    dialog.address.setText(address(postgres, database, TeamServer.LEAD))
    dialog.password.setText(TeamServer.LEAD[1])
    dialog.ok_button.click()

    assert dialog.isVisible()
    assert dialog.error.text()
    assert window.windowTitle().endswith(" — Escalation Desk")
    assert "team" not in window.windowTitle()


def test_a_refused_change_is_said_in_a_message_not_a_crash_dialog(qtbot: QtBot) -> None:
    crashes: list[str] = []
    refusals: list[str] = []
    handler = CrashHandler(
        "/tmp/x.log", show=lambda s, _r, _h: crashes.append(s), refuse=refusals.append
    )
    sentence = "Not saved: you are signed in as agent. Only a lead changes the matrix."
    try:
        raise NotAllowedError(sentence)
    except NotAllowedError:
        handler.handle(*sys.exc_info())  # type: ignore[arg-type]
    assert refusals == [sentence]
    assert crashes == []
