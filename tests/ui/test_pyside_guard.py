"""Guards against PySide6 6.12.0 on CPython 3.11 leaking a reference to None per void call."""

from __future__ import annotations

import sys

import pytest
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot


@pytest.mark.skipif(
    sys.version_info >= (3, 12), reason="None is immortal from Python 3.12: its count cannot move"
)
def test_void_methods_do_not_leak_references_to_none(qtbot: QtBot) -> None:
    label = QLabel()
    qtbot.addWidget(label)
    label.setText("warm-up")  # the first call may create caches
    before = sys.getrefcount(None)
    for number in range(1000):
        label.setText(str(number))
    # The leaky release dropped one reference per call: 1,000 here, and "none_dealloc" later.
    assert abs(sys.getrefcount(None) - before) < 50
