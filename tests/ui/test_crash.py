"""Uncaught exceptions are logged, shown with a copyable report, and never swallowed."""

from __future__ import annotations

import sys
import threading

import pytest
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLabel, QPushButton
from pytestqt.qtbot import QtBot

from escalation_desk.services.editing import ChangedElsewhereError
from escalation_desk.ui.crash import CrashHandler
from escalation_desk.ui.crash_dialog import CrashDialog


def raise_and_capture(exc: BaseException):  # type: ignore[no-untyped-def]
    try:
        raise exc
    except BaseException:
        return sys.exc_info()


def test_an_uncaught_exception_is_logged_shown_and_announced(
    qtbot: QtBot, caplog: pytest.LogCaptureFixture
) -> None:
    shown: list[tuple[str, str]] = []
    handler = CrashHandler("/tmp/x.log", show=lambda s, r, _h: shown.append((s, r)))
    with qtbot.waitSignal(handler.crashed) as crashed:
        handler.handle(*raise_and_capture(RuntimeError("the board could not be drawn")))
    assert crashed.args == ["the board could not be drawn"]
    assert shown[0][0] == "the board could not be drawn"
    assert "Traceback" in shown[0][1]
    assert "RuntimeError: the board could not be drawn" in shown[0][1]
    assert "Uncaught exception" in caplog.text
    assert "RuntimeError" in caplog.text


def test_a_concurrent_edit_offers_a_reload_instead_of_a_crash(qtbot: QtBot) -> None:
    shown: list[str] = []
    asked: list[str] = []
    handler = CrashHandler(
        "/tmp/x.log",
        show=lambda s, r, h: shown.append(s),
        ask_reload=lambda message: asked.append(message) or True,
    )
    with qtbot.waitSignal(handler.reload_requested):
        handler.handle(*raise_and_capture(ChangedElsewhereError("P1 was changed elsewhere.")))
    assert asked == ["P1 was changed elsewhere."]
    assert shown == []


def test_exceptions_in_worker_threads_reach_the_window(qtbot: QtBot) -> None:
    shown: list[str] = []
    handler = CrashHandler("/tmp/x.log", show=lambda s, r, h: shown.append(s))
    before = sys.excepthook
    handler.install()
    try:
        worker = threading.Thread(target=lambda: 1 / 0)
        with qtbot.waitSignal(handler.crashed, timeout=3000):
            worker.start()
            worker.join()
    finally:
        handler.uninstall()
    assert shown == ["division by zero"]
    assert sys.excepthook is before  # uninstall gives back whatever hook was there


def test_the_dialog_copies_the_report(qtbot: QtBot) -> None:
    dialog = CrashDialog("boom", "Traceback ...\nValueError: boom", "/tmp/x.log")
    qtbot.addWidget(dialog)
    copy = dialog.findChild(QPushButton, "copyReport")
    assert copy is not None
    copy.click()
    assert QGuiApplication.clipboard().text() == "Traceback ...\nValueError: boom"


def test_a_failing_listener_cannot_make_the_dialog_loop(qtbot: QtBot) -> None:
    shown: list[str] = []
    handler = CrashHandler("/tmp/x.log", show=lambda s, r, h: shown.append(s))

    def refresh_that_fails_again(_summary: str) -> None:
        # What a window's refresh would do if the workspace stayed broken.
        handler.handle(*raise_and_capture(OSError("disk is gone")))

    handler.crashed.connect(refresh_that_fails_again)
    handler.handle(*raise_and_capture(OSError("disk is gone")))
    assert shown == ["disk is gone"]


def test_an_exception_on_a_worker_thread_is_shown_on_the_gui_thread(qtbot: QtBot) -> None:
    shown_on: list[str] = []
    handler = CrashHandler(
        "/tmp/x.log", show=lambda s, r, h: shown_on.append(threading.current_thread().name)
    )
    worker = threading.Thread(
        target=lambda: handler.handle(*raise_and_capture(ValueError("in a QRunnable"))),
        name="worker",
    )
    with qtbot.waitSignal(handler.crashed, timeout=3000):
        worker.start()
        worker.join()
    assert shown_on == [threading.main_thread().name]


def test_markup_in_the_message_is_shown_as_text(qtbot: QtBot) -> None:
    dialog = CrashDialog("'<' not supported between 'str' and 'int'", "...", "/tmp/<x>.log")
    qtbot.addWidget(dialog)
    headline = dialog.findChildren(QLabel)[0]
    # Escaped in the label's rich text, so the reader sees the "<" instead of losing the rest.
    assert "&#x27;&lt;&#x27; not supported between" in headline.text()
    assert "/tmp/&lt;x&gt;.log" in headline.text()
