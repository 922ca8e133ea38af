"""The New workspace dialog proposes a free name and refuses an existing file."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from escalation_desk.ui.dialogs import NewWorkspaceDialog


def test_proposes_a_free_name_and_adds_the_suffix(qtbot: QtBot, tmp_path: Path) -> None:
    (tmp_path / "New workspace.escdesk").write_bytes(b"")
    dialog = NewWorkspaceDialog(tmp_path)
    qtbot.addWidget(dialog)
    assert dialog.path == tmp_path / "New workspace 2.escdesk"
    dialog.path_edit.setText(str(tmp_path / "Team EMEA"))
    assert dialog.path == tmp_path / "Team EMEA.escdesk"
    assert not dialog.with_example
    dialog.example_choice.setChecked(True)
    assert dialog.with_example


def test_refuses_an_existing_file_with_a_sentence(qtbot: QtBot, tmp_path: Path) -> None:
    (tmp_path / "taken.escdesk").write_bytes(b"x")
    dialog = NewWorkspaceDialog(tmp_path)
    qtbot.addWidget(dialog)
    dialog.path_edit.setText(str(tmp_path / "taken.escdesk"))
    dialog._on_accepted()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.error_label.text() == "taken.escdesk already exists; choose another name."
    dialog.path_edit.setText(str(tmp_path / "free"))
    dialog._on_accepted()
    assert dialog.result() == QDialog.DialogCode.Accepted
