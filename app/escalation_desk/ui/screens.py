"""The screens the rail offers; each is built the first time it is needed, after first paint."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:
    from escalation_desk.services.session import AppSession


class ScreenWidget(Protocol):
    """What the window asks of a screen: to show the open workspace as of ``now``."""

    def refresh_from(self, session: AppSession, now: datetime) -> None: ...


@dataclass(frozen=True, slots=True)
class ScreenSpec:
    """A rail entry: key, title, SVG icon name, shortcut, and how to build its widget."""

    key: str
    title: str
    icon: str
    shortcut: str
    build: Callable[[], QWidget]


# Each builder imports its screen's module when called: a screen's widgets (and their Qt
# enums, which PySide creates in Python at first use) cost nothing before the window paints.
def _build_home() -> QWidget:
    from escalation_desk.ui.home.page import HomePage  # noqa: PLC0415 - see above

    return HomePage()


SCREENS: tuple[ScreenSpec, ...] = (ScreenSpec("home", "Home", "home", "Ctrl+1", _build_home),)
