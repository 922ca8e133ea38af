"""Qt fixtures: a main window on a fresh workspace, and message boxes that never block."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from escalation_desk import paths
from escalation_desk.ui.app import build_window
from escalation_desk.ui.main_window import MainWindow


@dataclass
class Messages:
    """Message boxes the code under test tried to show: (kind, title, text)."""

    shown: list[tuple[str, str, str]] = field(default_factory=list)
    answer: QMessageBox.StandardButton = QMessageBox.StandardButton.Yes

    def texts(self) -> list[str]:
        return [text for _, _, text in self.shown]


@pytest.fixture(autouse=True)
def messages(monkeypatch: pytest.MonkeyPatch) -> Messages:
    """Record message boxes instead of showing modal dialogs."""
    record = Messages()

    def fake(kind: str):  # type: ignore[no-untyped-def]
        def show(_parent, title, text, *args, **kwargs):  # type: ignore[no-untyped-def]
            record.shown.append((kind, title, text))
            return record.answer

        return staticmethod(show)

    for kind in ("warning", "critical", "information", "question", "about"):
        monkeypatch.setattr(QMessageBox, kind, fake(kind))
    return record


@pytest.fixture
def window(qtbot: QtBot, app_paths: paths.AppPaths) -> Iterator[MainWindow]:
    """The main window on the data directory's default workspace (the example)."""
    win = build_window(app_paths)
    qtbot.addWidget(win)
    win.show()
    assert win.open_initial_workspace()
    yield win
    win.close()
