"""The main window: navigation rail, screens, and every action, built in one place."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QLocale, QSettings, Qt, QTimer, QUrl, Signal, Slot
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QCloseEvent,
    QDesktopServices,
    QKeySequence,
    QUndoGroup,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QStackedWidget,
    QWidget,
)

from escalation_desk import __version__
from escalation_desk.paths import WORKSPACE_SUFFIX, AppPaths, is_team_address
from escalation_desk.services.errors import WorkspaceError
from escalation_desk.ui import theme
from escalation_desk.ui.dialogs import WORKSPACE_FILTER, NewWorkspaceDialog
from escalation_desk.ui.onboarding.agent import agent_name
from escalation_desk.ui.rail import NavigationRail
from escalation_desk.ui.screens import SCREENS, ScreenContext, ScreenSpec, ScreenWidget
from escalation_desk.ui.team import permit, permits_of

if TYPE_CHECKING:
    from escalation_desk.services.session import AppSession
    from escalation_desk.ui.about_dialog import AboutDialog
    from escalation_desk.ui.board.page import BoardPage
    from escalation_desk.ui.changes import ChangeWatch
    from escalation_desk.ui.connect_dialog import TeamAddressDialog
    from escalation_desk.ui.home.page import HomePage
    from escalation_desk.ui.onboarding.spotlight import WalkthroughPlayer
    from escalation_desk.ui.settings_dialog import SettingsDialog
    from escalation_desk.ui.shortcuts_dialog import ShortcutLine, ShortcutsDialog

log = logging.getLogger(__name__)

RECENT_LIMIT = 8


def recent_label(entry: str) -> str:
    """How the recent list names a workspace: a file's name, a team database with its server."""
    if is_team_address(entry):
        where = entry.split("://", 1)[1]
        database = where.rsplit("/", 1)[-1]
        return f"{database} (team, {where.rsplit('/', 1)[0]})"
    return Path(entry).name


def set_shortcut(action: QAction, sequence: QKeySequence) -> None:
    """Give ``action`` one shortcut.

    ``setShortcuts`` with a one-item list, because the first call of the overloaded
    ``setShortcut`` makes PySide build Qt's key enums in Python (about 30 ms, before the
    window can paint); the list overload takes the sequence as it is.
    """
    action.setShortcuts([sequence])


EXPORT_FILTER = "Excel workbooks (*.xlsx)"
CHEAT_SHEET_FILTERS = {"A4": "PDF on A4 paper (*.pdf)", "Letter": "PDF on US Letter paper (*.pdf)"}
TOUR_SHOWN_KEY = "onboarding/tourShown"
REFRESH_MS = 60_000  # deadlines count down: Home re-reads them every minute


class MainWindow(QMainWindow):
    """Hosts the screens; talks to the workspace only through ``AppSession``."""

    #: Emitted after a workspace was opened, with its location (a file, or user@host/db).
    workspace_opened = Signal(str)

    def __init__(self, session: AppSession, settings: QSettings, app_paths: AppPaths) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.setWindowTitle("Escalation Desk")
        self._session = session
        self._settings = settings
        self._paths = app_paths
        # One undo history per screen: Ctrl+Z on the Board must not undo a Matrix edit made
        # on a screen out of sight. The group follows the screen on show.
        self.undo_group = QUndoGroup(self)
        self._stacks: dict[str, QUndoStack] = {}
        self._specs: dict[str, ScreenSpec] = {}
        self._built: dict[str, QWidget] = {}
        self._screen_action: dict[str, QAction] = {}
        self.player: WalkthroughPlayer | None = None  # the walkthrough playing, if any
        self._watch: ChangeWatch | None = None  # a team workspace's word of others' changes
        self._stack = QStackedWidget()
        self._loading = QLabel("Opening the workspace…")
        self._loading.setObjectName("loadingLabel")
        self._stack.addWidget(self._loading)
        self.rail = NavigationRail()
        self._create_actions()
        self._create_menus()
        for spec in SCREENS:
            self._add_screen(spec)

        central = QWidget()
        row = QHBoxLayout(central)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        row.addWidget(self.rail)
        row.addWidget(self._stack, 1)
        self.setCentralWidget(central)
        self._workspace_label = QLabel("No workspace open")
        self.statusBar().addPermanentWidget(self._workspace_label)

        self._refresh_timer = QTimer(self)
        self._refresh_timer.setInterval(REFRESH_MS)
        self._refresh_timer.timeout.connect(self._on_refresh_timer_timeout)
        self._restore_geometry()
        self._screen_action["home"].setChecked(True)

    # -- actions and menus -------------------------------------------------------------
    def _create_actions(self) -> None:
        def make(name: str, text: str, tip: str, shortcut: QKeySequence | None = None) -> QAction:
            action = QAction(text, self)
            action.setObjectName(name)
            action.setStatusTip(tip)
            action.setToolTip(tip)
            if shortcut is not None:
                set_shortcut(action, shortcut)
            self.addAction(action)
            return action

        keys = QKeySequence.StandardKey

        def standard(key: QKeySequence.StandardKey, fallback: str) -> QKeySequence:
            # Some platforms bind no key to a standard action (Quit on Windows and on Qt's
            # offscreen/minimal platforms); fall back to the key most desktops use.
            bound = QKeySequence(key)
            return bound if not bound.isEmpty() else QKeySequence(fallback)

        self.new_action = make(
            "newWorkspace",
            "&New workspace…",
            "Create an empty workspace or one with the example team",
            standard(keys.New, "Ctrl+N"),
        )
        self.open_action = make(
            "openWorkspace",
            "&Open workspace…",
            "Open an Escalation Desk workspace file",
            standard(keys.Open, "Ctrl+O"),
        )
        self.connect_action = make(
            "connectTeam",
            "Connect to &team workspace…",
            "Open the workspace your team shares on a PostgreSQL server",
        )
        self.copy_up_action = make(
            "copyToTeam",
            "Cop&y this workspace to a team server…",
            "Put this workspace into an empty team database, for the whole team to share",
        )
        self.save_copy_action = make(
            "saveCopy",
            "Save a &copy…",
            "Write a copy of this workspace to a file (of a team workspace too)",
            standard(keys.SaveAs, "Ctrl+Shift+S"),
        )
        self.export_action = make(
            "exportWorkbook",
            "&Export workbook for managers…",
            "Write the matrix, routing, open escalations, closure review and KPIs as one .xlsx",
        )
        self.quit_action = make(
            "quit", "&Quit", "Close Escalation Desk", standard(keys.Quit, "Ctrl+Q")
        )
        self.undo_action = self.undo_group.createUndoAction(self, "&Undo")
        self.undo_action.setObjectName("undo")
        set_shortcut(self.undo_action, standard(keys.Undo, "Ctrl+Z"))
        self.redo_action = self.undo_group.createRedoAction(self, "&Redo")
        self.redo_action.setObjectName("redo")
        self.redo_action.setShortcuts([QKeySequence(keys.Redo), QKeySequence("Ctrl+Shift+Z")])
        self.refresh_action = make(
            "refresh",
            "&Reload",
            "Read the workspace again (from its file or its team server)",
            standard(keys.Refresh, "F5"),
        )
        self.log_folder_action = make(
            "openLogFolder",
            "Open the &log folder",
            "Show the folder with Escalation Desk's log files",
        )
        self.about_action = make(
            "about", "&About Escalation Desk", "Version and licences of the bundled libraries"
        )
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)
        self.settings_action = make(
            "settings",
            "&Settings…",
            "The workspace defaults: calendar, closure checklist gates, deadline thresholds",
            standard(keys.Preferences, "Ctrl+,"),
        )
        self.settings_action.setMenuRole(QAction.MenuRole.PreferencesRole)
        # F1 plays the tour; Ctrl+/ is the key many desktop apps give their shortcut list.
        self.shortcuts_action = make(
            "keyboardShortcuts",
            "&Keyboard shortcuts…",
            "Every keyboard shortcut of the window and its screens",
            QKeySequence("Ctrl+/"),
        )
        self.history_action = make(
            "undoHistory",
            "Undo &history…",
            "Every change of this session; click one to go back to it",
            QKeySequence("Ctrl+H"),
        )
        self.history_action.triggered.connect(self._on_history_action_triggered)
        self.tour_action = make(
            "playTour",
            "&Tour of Escalation Desk",
            "Play the two-minute tour of the screens again",
            standard(keys.HelpContents, "F1"),
        )
        self.cheat_sheet_action = make(
            "printCheatSheet",
            "&Print the escalation cheat sheet…",
            "A one-page PDF of the matrix and routing for a new agent's desk",
            standard(keys.Print, "Ctrl+P"),
        )
        self.tour_action.triggered.connect(self._on_tour_action_triggered)
        self.cheat_sheet_action.triggered.connect(self._on_cheat_sheet_action_triggered)

        self.new_action.triggered.connect(self._on_new_action_triggered)
        self.open_action.triggered.connect(self._on_open_action_triggered)
        self.save_copy_action.triggered.connect(self._on_save_copy_action_triggered)
        self.connect_action.triggered.connect(self._on_connect_action_triggered)
        self.copy_up_action.triggered.connect(self._on_copy_up_action_triggered)
        self.export_action.triggered.connect(self._on_export_action_triggered)
        self.quit_action.triggered.connect(self.close)
        self.refresh_action.triggered.connect(self.refresh)
        self.log_folder_action.triggered.connect(self._on_log_folder_action_triggered)
        self.about_action.triggered.connect(self._on_about_action_triggered)
        self.settings_action.triggered.connect(self._on_settings_action_triggered)
        self.shortcuts_action.triggered.connect(self._on_shortcuts_action_triggered)
        self._screen_actions = QActionGroup(self)
        self._screen_actions.setExclusive(True)

    def _create_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        file_menu.setToolTipsVisible(True)  # a disabled action says why in its tooltip
        file_menu.addAction(self.new_action)
        file_menu.addAction(self.open_action)
        self.recent_menu = QMenu("Open &recent", self)
        self.recent_menu.setObjectName("recentMenu")
        file_menu.addMenu(self.recent_menu)
        file_menu.addAction(self.connect_action)
        file_menu.addSeparator()
        file_menu.addAction(self.save_copy_action)
        file_menu.addAction(self.copy_up_action)
        file_menu.addAction(self.export_action)
        file_menu.addSeparator()
        file_menu.addAction(self.settings_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        edit_menu = bar.addMenu("&Edit")
        edit_menu.addAction(self.undo_action)
        edit_menu.addAction(self.redo_action)
        edit_menu.addSeparator()
        edit_menu.addAction(self.history_action)
        self.view_menu = bar.addMenu("&View")
        self.view_menu.addAction(self.refresh_action)
        self.view_menu.addSeparator()
        help_menu = bar.addMenu("&Help")
        help_menu.addAction(self.tour_action)
        help_menu.addAction(self.shortcuts_action)
        help_menu.addAction(self.cheat_sheet_action)
        help_menu.addSeparator()
        help_menu.addAction(self.log_folder_action)
        help_menu.addSeparator()
        help_menu.addAction(self.about_action)
        self._rebuild_recent_menu()

    def _add_screen(self, spec: ScreenSpec) -> None:
        action = QAction(theme.rail_icon(spec.icon), spec.menu_title or spec.title, self)
        # The rail shows the plain title: a marked one would give its button an Alt+letter
        # shortcut of its own, taken from the menu bar's.
        action.setIconText(spec.title)
        action.setObjectName(f"show_{spec.key}")
        action.setCheckable(True)
        set_shortcut(action, QKeySequence(spec.shortcut))
        tip = f"Show {spec.title} ({spec.shortcut})"
        action.setStatusTip(tip)
        action.setToolTip(tip)
        action.triggered.connect(lambda _checked=False, key=spec.key: self.show_screen(key))
        self._screen_actions.addAction(action)
        self.addAction(action)
        self.view_menu.addAction(action)
        self.rail.add_entry(spec.key, action)
        self._specs[spec.key] = spec
        self._screen_action[spec.key] = action

    # -- screens ---------------------------------------------------------------------------
    def screen_keys(self) -> list[str]:
        """Every screen, in rail order."""
        return list(self._specs)

    def screen_widget(self, key: str) -> QWidget:
        """Screen ``key``'s widget, built (and filled, if a workspace is open) on first use."""
        widget = self._built.get(key)
        if widget is None:
            widget = self._specs[key].build(
                ScreenContext(
                    self._stack_of(key),
                    self.go_to,
                    self._settings,
                    play_walkthrough=self.play_walkthrough,
                    window=self,
                )
            )
            self._built[key] = widget
            self._stack.addWidget(widget)
            if self._session.is_open:
                self._apply_permits(widget)
                cast("ScreenWidget", widget).refresh_from(self._session, datetime.now(UTC))
        return widget

    @property
    def home(self) -> HomePage:
        """The Home screen."""
        return cast("HomePage", self.screen_widget("home"))

    def current_screen(self) -> str:
        """The key of the screen on show ("" while the workspace is still opening)."""
        widget = self._stack.currentWidget()
        return next((key for key, built in self._built.items() if built is widget), "")

    @property
    def undo_stack(self) -> QUndoStack:
        """The undo history of the screen on show."""
        return self._stack_of(self.current_screen() or "home")

    def _stack_of(self, key: str) -> QUndoStack:
        stack = self._stacks.get(key)
        if stack is None:
            stack = self._stacks[key] = QUndoStack(self)
            self.undo_group.addStack(stack)
        return stack

    def go_to(self, key: str, row: str, column: str = "") -> None:
        """Show screen ``key`` with ``row`` (and ``column``) selected: the linter's jump."""
        self.show_screen(key)
        widget = self._built[key]
        focus = getattr(widget, "focus_location", None)
        if focus is not None and row:
            focus(row, column)

    def show_screen(self, key: str) -> None:
        """Bring screen ``key`` to the front and light its rail button."""
        fresh = key not in self._built
        widget = self.screen_widget(key)
        if not fresh and self._session.is_open:
            # Another screen may have changed what this one shows (a level's target, a
            # closed escalation): it is read again as it comes into view.
            cast("ScreenWidget", widget).refresh_from(self._session, datetime.now(UTC))
        self._stack.setCurrentWidget(widget)
        self._screen_action[key].setChecked(True)
        self.undo_group.setActiveStack(self._stack_of(key))

    # -- walkthroughs ------------------------------------------------------------------------
    def play_walkthrough(self, title: str) -> WalkthroughPlayer | None:
        """Play walkthrough ``title`` over the window; finishing it counts for the agent."""
        if not self._session.is_open:
            return None
        try:
            walkthrough = self._session.onboarding().walkthrough(title)
        except ValueError as exc:
            QMessageBox.warning(self, "Cannot play the walkthrough", str(exc))
            return None
        # Imported on use: the overlay's widgets cost nothing until a walkthrough plays.
        from escalation_desk.ui.onboarding.spotlight import WalkthroughPlayer  # noqa: PLC0415

        if self.player is not None:
            self.player.skip()  # one walkthrough at a time
        player = WalkthroughPlayer(self, walkthrough, self.show_screen)
        player.finished.connect(lambda completed: self._on_walkthrough_finished(title, completed))
        self.player = player
        player.start()
        return player

    def offer_first_tour(self) -> None:
        """The tour, once: on the first start of the app on this computer."""
        if self._session.is_open and not self._settings.value(TOUR_SHOWN_KEY, False, bool):
            self._settings.setValue(TOUR_SHOWN_KEY, True)
            self.play_walkthrough(_tour_title())

    def _on_walkthrough_finished(self, title: str, completed: bool) -> None:
        self.player = None
        if not completed or not self._session.is_open or not permits_of(self._session).works_board:
            return  # a manager's session records no progress: a manager changes nothing
        self._session.onboarding().complete_walkthrough(
            agent_name(self._settings), title, datetime.now(UTC)
        )
        self.statusBar().showMessage(f"Walkthrough completed: {title}", 8000)
        onboarding = self._built.get("onboarding")
        if onboarding is not None:
            cast("ScreenWidget", onboarding).refresh_from(self._session, datetime.now(UTC))

    # -- workspace ---------------------------------------------------------------------------
    def open_initial_workspace(self) -> bool:
        """The team workspace or file named on the command line, else the last one used, else
        the default.

        A last file that has gone or is refused drops out of the recent list (after the
        refusal was shown), and the default workspace opens instead. A last team workspace
        that cannot be reached stays in the list: the server may be back tomorrow.
        """
        if self._paths.team_address:
            return self.connect_to_team(self._paths.team_address)
        if not self._paths.explicit_workspace:
            last = self._recent()[:1]
            if last and is_team_address(last[0]):
                if self._reconnect_quietly(last[0]):
                    return True
            elif last and Path(last[0]).exists() and self.open_workspace(Path(last[0])):
                return True
            elif last:
                self._forget(last[0])
        return self.open_workspace(
            self._paths.workspace, example_if_new=not self._paths.explicit_workspace
        )

    def connect_to_team(self, address: str) -> bool:
        """Switch to the team workspace at ``address``; a refusal leaves the current one."""
        try:
            self._session.connect(address)
        except WorkspaceError as exc:
            log.warning("Refused team workspace %s: %s", address, exc)
            QMessageBox.warning(self, "Cannot open the team workspace", str(exc))
            return False
        self._after_switch()
        return True

    def _reconnect_quietly(self, address: str) -> bool:
        # At start-up, a server that is down or a password no longer kept is no reason for a
        # message box before the window has anything in it: the status bar says it.
        try:
            self._session.connect(address)
        except WorkspaceError as exc:
            log.warning("Could not reconnect to %s: %s", address, exc)
            self.statusBar().showMessage(f"{exc} File > Connect to team workspace… tries again.")
            return False
        self._after_switch()
        return True

    def open_workspace(self, path: Path, *, example_if_new: bool = False) -> bool:
        """Switch to the workspace at ``path``; a refused file leaves the current one open."""
        try:
            self._session.open(path, example_if_new=example_if_new)
        except WorkspaceError as exc:
            log.warning("Refused workspace %s: %s", path, exc)
            QMessageBox.warning(self, "Cannot open workspace", str(exc))
            return False
        self._after_switch()
        return True

    def refresh(self) -> None:
        """Re-read every built screen from the workspace."""
        if not self._session.is_open:
            return
        now = datetime.now(UTC)
        for widget in self._built.values():
            cast("ScreenWidget", widget).refresh_from(self._session, now)
        if not self._refresh_timer.isActive():
            self._refresh_timer.start()

    def _after_switch(self) -> None:
        workspace = self._session.workspace
        for stack in self._stacks.values():
            stack.clear()
        self._remember(self._recent_entry())
        if workspace.is_team:
            role = workspace.role.value
            self.setWindowTitle(f"{workspace.name} — team ({role}) — Escalation Desk")
            self._workspace_label.setText(f"{workspace.location} · signed in as {role}")
        else:
            self.setWindowTitle(f"{workspace.name} — Escalation Desk")
            self._workspace_label.setText(workspace.location)
        permit(
            self.copy_up_action,
            not workspace.is_team,
            "This is already a team workspace; Save a copy… writes it to a file.",
        )
        permits = permits_of(self._session)
        permit(self.settings_action, permits.edits_process, permits.why_not_process)
        # The screens read the workspace first: a screen applying the role redraws what it
        # shows, which must by then be this workspace's, not the last one's.
        self.refresh()
        for widget in self._built.values():
            self._apply_permits(widget)
        self._watch_changes()
        if self._stack.currentWidget() is self._loading:
            self.show_screen("home")
        self.workspace_opened.emit(workspace.location)

    def _apply_permits(self, widget: QWidget) -> None:
        """Let a screen disable what the signed-in role may not do (screens that change
        nothing have no ``apply_permits``)."""
        apply = getattr(widget, "apply_permits", None)
        if apply is not None:
            apply(permits_of(self._session))

    def _recent_entry(self) -> str:
        """The open workspace as the recent list keeps it: a file, or an address without a
        password."""
        workspace = self._session.workspace
        return f"postgresql://{workspace.location}" if workspace.is_team else workspace.location

    # -- live updates from a team server -------------------------------------------------------
    def _watch_changes(self) -> None:
        """Listen to the team server of the open workspace; a file has nobody else to hear."""
        self._stop_watching()
        listener = self._session.change_listener()
        if listener is None:
            return
        # Imported on use: only team workspaces listen.
        from escalation_desk.ui.changes import ChangeWatch  # noqa: PLC0415

        self._watch = ChangeWatch(listener, self)
        self._watch.escalations_changed.connect(self._on_watch_escalations_changed)
        self._watch.lost.connect(self._on_watch_lost)

    def _stop_watching(self) -> None:
        if self._watch is not None:
            self._watch.stop()
            self._watch.deleteLater()
            self._watch = None

    def pause_refresh(self) -> None:
        """Stop re-reading every minute after an error, so that a failing read cannot loop."""
        if self._refresh_timer.isActive():
            self._refresh_timer.stop()
            self.statusBar().showMessage(
                "Automatic refresh paused after an error; press F5 to reload."
            )

    # -- recent workspaces and geometry (QSettings, never the database) ----------------------
    def _recent(self) -> list[str]:
        value = self._settings.value("recentWorkspaces", [])
        if isinstance(value, str):  # QSettings gives a lone string for a one-item list
            return [value]
        return [str(v) for v in value] if isinstance(value, list) else []

    def _remember(self, entry: str) -> None:
        entries = [entry, *(p for p in self._recent() if p != entry)][:RECENT_LIMIT]
        self._settings.setValue("recentWorkspaces", entries)
        self._rebuild_recent_menu()

    def _rebuild_recent_menu(self) -> None:
        self.recent_menu.clear()
        entries = self._recent()
        for number, entry in enumerate(entries, start=1):
            action = self.recent_menu.addAction(f"&{number} {recent_label(entry)}")
            action.setStatusTip(entry)
            action.setData(entry)
            action.triggered.connect(lambda _checked=False, p=entry: self._open_recent(p))
        self.recent_menu.setEnabled(bool(entries))

    def _open_recent(self, entry: str) -> None:
        """Open a recent workspace; a file that no longer exists is said so and forgotten.

        A team workspace whose password is not kept asks for it.
        """
        if is_team_address(entry):
            from escalation_desk.services.team import password_for  # noqa: PLC0415 - on use

            if password_for(entry) is None:
                self.open_connect_dialog(entry)
            else:
                self.connect_to_team(entry)
            return
        if not Path(entry).exists():
            QMessageBox.warning(
                self,
                "Workspace not found",
                f"{entry} no longer exists; it was removed from the recent workspaces.",
            )
            self._forget(entry)
            return
        self.open_workspace(Path(entry))

    def _forget(self, entry: str) -> None:
        self._settings.setValue("recentWorkspaces", [p for p in self._recent() if p != entry])
        self._rebuild_recent_menu()

    def _restore_geometry(self) -> None:
        geometry = self._settings.value("mainWindow/geometry")
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(1280, 800)

    def closeEvent(self, event: QCloseEvent) -> None:
        """Remember the window's place and size, and release the workspace."""
        self._settings.setValue("mainWindow/geometry", self.saveGeometry())
        self._settings.sync()
        self._refresh_timer.stop()
        self._stop_watching()
        self._session.close()
        super().closeEvent(event)

    # -- slots ---------------------------------------------------------------------------------
    @Slot()
    def _on_new_action_triggered(self) -> None:
        dialog = NewWorkspaceDialog(self._paths.data_dir, self)
        if dialog.exec() != NewWorkspaceDialog.DialogCode.Accepted:
            return
        try:
            self._session.create(dialog.path, with_example=dialog.with_example)
        except WorkspaceError as exc:
            QMessageBox.warning(self, "Cannot create workspace", str(exc))
            return
        self._after_switch()

    @Slot()
    def _on_open_action_triggered(self) -> None:
        start = str(self._session.path.parent if self._session.path else self._paths.data_dir)
        chosen, _ = QFileDialog.getOpenFileName(self, "Open workspace", start, WORKSPACE_FILTER)
        if chosen:
            self.open_workspace(Path(chosen))

    @Slot()
    def _on_save_copy_action_triggered(self) -> None:
        if not self._session.is_open:
            return
        stamp = datetime.now().strftime("%Y-%m-%d %H%M")
        stem = self._session.workspace.name
        proposal = self._paths.backups_dir / f"{stem} {stamp}{WORKSPACE_SUFFIX}"
        self._paths.backups_dir.mkdir(parents=True, exist_ok=True)
        chosen, _ = QFileDialog.getSaveFileName(
            self, "Save a copy", str(proposal), WORKSPACE_FILTER
        )
        if not chosen:
            return
        try:
            written = self._session.save_copy(Path(chosen))
        except (WorkspaceError, OSError) as exc:
            QMessageBox.warning(self, "Cannot save a copy", str(exc))
            return
        self.statusBar().showMessage(f"Saved a copy to {written}", 8000)

    def open_connect_dialog(self, address: str = "") -> TeamAddressDialog:
        """File > Connect to team workspace: the window switches once the server says yes."""
        from escalation_desk.ui.connect_dialog import TeamAddressDialog  # noqa: PLC0415

        dialog = TeamAddressDialog(
            "Connect to team workspace",
            "The workspace your team shares on a PostgreSQL server. Your lead or administrator "
            "gives you the address and a login; what you may change depends on your role.",
            "Connect",
            self._session.connect,
            address,
            self,
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._on_connect_dialog_accepted(dialog.keyring_note))
        dialog.open()
        return dialog

    def _on_connect_dialog_accepted(self, keyring_note: str) -> None:
        self._after_switch()
        if keyring_note:
            QMessageBox.information(self, "Password not kept", keyring_note)

    def open_copy_up_dialog(self) -> TeamAddressDialog | None:
        """File > Copy this workspace to a team server: into an empty, set-up database."""
        if not self._session.is_open or self._session.workspace.is_team:
            return None
        from escalation_desk.services.team import copy_up  # noqa: PLC0415 - on use
        from escalation_desk.ui.connect_dialog import TeamAddressDialog  # noqa: PLC0415

        workspace = self._session.workspace
        dialog = TeamAddressDialog(
            "Copy this workspace to a team server",
            f"Copies {workspace.name} (matrix, routing, board and history) into an empty team "
            "database that `escalation-desk team-setup` has prepared. Sign in as a lead; this "
            "file stays as it is.",
            "Copy",
            lambda address, password: copy_up(workspace, address, password),
            "",
            self,
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(
            lambda: self._on_copy_up_dialog_accepted(
                dialog.address.text().strip(), dialog.typed_password(), dialog.result_value
            )
        )
        dialog.open()
        return dialog

    def _on_copy_up_dialog_accepted(self, address: str, password: str | None, rows: object) -> None:
        answer = QMessageBox.question(
            self,
            "Copied to the team server",
            f"Copied {rows} rows to {address}. Switch to the team workspace now?",
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            self._session.connect(address, password)
        except WorkspaceError as exc:
            QMessageBox.warning(self, "Cannot open the team workspace", str(exc))
            return
        self._after_switch()

    @Slot()
    def _on_connect_action_triggered(self) -> None:
        self.open_connect_dialog()

    @Slot()
    def _on_copy_up_action_triggered(self) -> None:
        self.open_copy_up_dialog()

    @Slot(object)
    def _on_watch_escalations_changed(self, ids: object) -> None:
        # Someone changed escalations: the board reads those rows again, and Home (counts,
        # deadlines) if it is on show; other screens read everything when they are shown.
        assert isinstance(ids, set)
        board = self._built.get("board")
        if board is not None:
            cast("BoardPage", board).reload_escalations(ids)
        if self.current_screen() == "home":
            self.home.refresh_from(self._session, datetime.now(UTC))

    @Slot(str)
    def _on_watch_lost(self, sentence: str) -> None:
        self.statusBar().showMessage(sentence)

    @Slot()
    def _on_export_action_triggered(self) -> None:
        if not self._session.is_open:
            return
        stem = self._session.workspace.name
        proposal = Path.home() / f"{stem} escalations {datetime.now():%Y-%m-%d}.xlsx"
        chosen, _ = QFileDialog.getSaveFileName(
            self, "Export workbook for managers", str(proposal), EXPORT_FILTER
        )
        if not chosen:
            return
        target = Path(chosen).with_suffix(".xlsx")
        # Imported on use: the window paints before the spreadsheet modules load.
        from escalation_desk.spreadsheets.safety import SpreadsheetError  # noqa: PLC0415

        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self._session.exporter().export(target, datetime.now(UTC))
        except (SpreadsheetError, OSError) as exc:
            QMessageBox.warning(self, "Cannot export the workbook", str(exc))
            return
        finally:
            QApplication.restoreOverrideCursor()
        self.statusBar().showMessage(f"Exported the workbook to {target}", 8000)

    @Slot()
    def _on_log_folder_action_triggered(self) -> None:
        self._paths.log_dir.mkdir(parents=True, exist_ok=True)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self._paths.log_dir)))

    def open_about(self) -> AboutDialog:
        """The About dialog, window-modal: version, licences, and the log folder's button."""
        # Imported on use: reading package metadata is no part of the first paint.
        from escalation_desk.ui.about_dialog import AboutDialog  # noqa: PLC0415

        dialog = AboutDialog(__version__, self.log_folder_action.trigger, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def open_settings(self) -> SettingsDialog | None:
        """The Settings dialog on the open workspace; saving re-reads every screen."""
        if not self._session.is_open:
            return None
        # Imported on use: the dialog brings the preferences service and SQLAlchemy with it.
        from escalation_desk.ui.settings_dialog import SettingsDialog  # noqa: PLC0415

        dialog = SettingsDialog(self._session.preferences(), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(self._on_settings_dialog_accepted)
        dialog.open()
        return dialog

    def shortcut_lines(self) -> list[ShortcutLine]:
        """Every keyboard shortcut, read from the live actions of the menus and the screens.

        Every screen is built first: a screen's own keys (the board's moves) exist only once
        its widgets do.
        """
        from escalation_desk.ui.onboarding.spotlight import WalkthroughPlayer  # noqa: PLC0415
        from escalation_desk.ui.shortcuts_dialog import shortcut_lines  # noqa: PLC0415

        screens = [(self._specs[key].title, self.screen_widget(key)) for key in self.screen_keys()]
        overlays = [("Walkthrough", WalkthroughPlayer)]
        return shortcut_lines(self.menuBar(), self.actions(), screens, overlays)

    def open_shortcuts(self) -> ShortcutsDialog:
        """The list of keyboard shortcuts."""
        from escalation_desk.ui.shortcuts_dialog import ShortcutsDialog  # noqa: PLC0415

        dialog = ShortcutsDialog(self.shortcut_lines(), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        return dialog

    @Slot()
    def _on_about_action_triggered(self) -> None:
        self.open_about()

    @Slot()
    def _on_settings_action_triggered(self) -> None:
        self.open_settings()

    @Slot()
    def _on_settings_dialog_accepted(self) -> None:
        # Thresholds and the default calendar change what the board and Home show.
        self.refresh()
        self.statusBar().showMessage("Settings saved", 8000)

    @Slot()
    def _on_shortcuts_action_triggered(self) -> None:
        self.open_shortcuts()

    @Slot()
    def _on_tour_action_triggered(self) -> None:
        self.play_walkthrough(_tour_title())

    @Slot()
    def _on_cheat_sheet_action_triggered(self) -> None:
        if not self._session.is_open:
            return
        team = self._session.workspace.name
        letter = QLocale().measurementSystem() == QLocale.MeasurementSystem.ImperialUSSystem
        filters = [CHEAT_SHEET_FILTERS["Letter"], CHEAT_SHEET_FILTERS["A4"]]
        if not letter:
            filters.reverse()
        proposal = Path.home() / f"{team} escalation cheat sheet.pdf"
        chosen, chosen_filter = QFileDialog.getSaveFileName(
            self, "Print the escalation cheat sheet", str(proposal), ";;".join(filters), filters[0]
        )
        if not chosen:
            return
        paper = next((p for p, f in CHEAT_SHEET_FILTERS.items() if f == chosen_filter), "A4")
        target = Path(chosen).with_suffix(".pdf")
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            source = self._session.onboarding().write_cheat_sheet(target, paper=paper, team=team)
        except OSError as exc:
            QMessageBox.warning(self, "Cannot write the cheat sheet", str(exc))
            return
        finally:
            QApplication.restoreOverrideCursor()
        self.statusBar().showMessage(f"Cheat sheet ({paper}, {source}) written to {target}", 8000)
        # Opened in the PDF viewer, where printing is one more click.
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(target)))

    @Slot()
    def _on_history_action_triggered(self) -> None:
        # Imported here: QUndoView brings the item-view classes, whose enums PySide builds in
        # Python on first use, a cost the first paint need not pay.
        from PySide6.QtWidgets import QDialog, QUndoView, QVBoxLayout  # noqa: PLC0415

        dialog = QDialog(self)
        dialog.setWindowTitle("Undo history")
        dialog.setObjectName("undoHistory")
        view = QUndoView(self.undo_group, dialog)
        view.setEmptyLabel("Opened workspace")
        layout = QVBoxLayout(dialog)
        layout.addWidget(view)
        dialog.resize(420, 360)
        dialog.show()

    @Slot()
    def _on_refresh_timer_timeout(self) -> None:
        # Only the screen on show, and only one whose figures move with time: a minute's
        # tick must not reset a grid the lead is typing into.
        widget = self._stack.currentWidget()
        if self._session.is_open and getattr(widget, "changes_with_time", False):
            cast("ScreenWidget", widget).refresh_from(self._session, datetime.now(UTC))


def _tour_title() -> str:
    """The built-in tour's title, from a module the window needs only when a tour plays."""
    from escalation_desk.domain.walkthrough import TOUR  # noqa: PLC0415 - 25 ms off start-up

    return TOUR
