"""The screens the rail offers; each is built the first time it is needed, after first paint."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QSettings
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:
    from escalation_desk.services.session import AppSession


class ScreenWidget(Protocol):
    """What the window asks of a screen: to show the open workspace as of ``now``."""

    def refresh_from(self, session: AppSession, now: datetime) -> None: ...


@dataclass(frozen=True, slots=True)
class ScreenContext:
    """What the window lends its screens: the undo history, and a way to show another screen
    at a row (the linter's click-to-jump)."""

    undo_stack: QUndoStack
    navigate: Callable[[str, str, str], None]  # (screen key, row, column)
    settings: QSettings  # UI choices a screen remembers (lane grouping, filters)
    play_walkthrough: Callable[[str], object] = lambda _title: None  # over the whole window
    window: QWidget | None = None  # what a walkthrough step's widget is picked from


@dataclass(frozen=True, slots=True)
class ScreenSpec:
    """A rail entry: key, title, SVG icon name, shortcut, and how to build its widget."""

    key: str
    title: str
    icon: str
    shortcut: str
    build: Callable[[ScreenContext], QWidget]
    # The title as the View menu lists it, its access key marked with "&".
    menu_title: str = ""


# Each builder imports its screen's module when called: a screen's widgets (and their Qt
# enums, which PySide creates in Python at first use) cost nothing before the window paints.
def _build_home(_context: ScreenContext) -> QWidget:
    from escalation_desk.ui.home.page import HomePage  # noqa: PLC0415 - see above

    return HomePage()


def _build_matrix(context: ScreenContext) -> QWidget:
    from escalation_desk.ui.matrix.page import MatrixPage  # noqa: PLC0415 - see above

    return MatrixPage(context)


def _build_routing(context: ScreenContext) -> QWidget:
    from escalation_desk.ui.routing.page import RoutingPage  # noqa: PLC0415 - see above

    return RoutingPage(context)


def _build_board(context: ScreenContext) -> QWidget:
    from escalation_desk.ui.board.page import BoardPage  # noqa: PLC0415 - see above

    return BoardPage(context)


def _build_closure(context: ScreenContext) -> QWidget:
    from escalation_desk.ui.closure.page import ClosurePage  # noqa: PLC0415 - see above

    return ClosurePage(context)


def _build_onboarding(context: ScreenContext) -> QWidget:
    from escalation_desk.ui.onboarding.page import OnboardingPage  # noqa: PLC0415 - see above

    return OnboardingPage(context)


def _build_reports(context: ScreenContext) -> QWidget:
    from escalation_desk.ui.reports.page import ReportsPage  # noqa: PLC0415 - see above

    return ReportsPage(context)


SCREENS: tuple[ScreenSpec, ...] = (
    ScreenSpec("home", "Home", "home", "Ctrl+1", _build_home, "&Home"),
    ScreenSpec("matrix", "Matrix", "matrix", "Ctrl+2", _build_matrix, "&Matrix"),
    ScreenSpec("routing", "Routing", "routing", "Ctrl+3", _build_routing, "Routin&g"),
    ScreenSpec("board", "Board", "board", "Ctrl+4", _build_board, "&Board"),
    ScreenSpec("closure", "Closure", "closure", "Ctrl+5", _build_closure, "&Closure"),
    ScreenSpec(
        "onboarding", "Onboarding", "onboarding", "Ctrl+6", _build_onboarding, "O&nboarding"
    ),
    ScreenSpec("reports", "Reports", "reports", "Ctrl+7", _build_reports, "Re&ports"),
)
