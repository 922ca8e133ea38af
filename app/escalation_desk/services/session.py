"""The open workspace of one app window, and what the window asks of it."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from escalation_desk.paths import AppPaths
    from escalation_desk.services.board import BoardService
    from escalation_desk.services.closure import ClosureService
    from escalation_desk.services.directory import DirectoryService
    from escalation_desk.services.escalations import EscalationService
    from escalation_desk.services.exporting import ExportService
    from escalation_desk.services.importing import ImportService
    from escalation_desk.services.kpis import KpiService
    from escalation_desk.services.matrix import MatrixService
    from escalation_desk.services.onboarding import OnboardingService
    from escalation_desk.services.overview import HomeSummary
    from escalation_desk.services.preferences import PreferencesService
    from escalation_desk.services.replay import ReplayService
    from escalation_desk.services.routing import RoutingService
    from escalation_desk.services.ticket_import import TicketImportService
    from escalation_desk.services.versions import VersionService
    from escalation_desk.store.changes import ChangeListener
    from escalation_desk.store.db import Workspace


class AppSession:
    """Holds the current workspace; switching workspaces closes the previous one.

    The modules behind it (SQLAlchemy above all, about 0.5 s to import) are imported on the
    first call that needs them, so that a window holding a session paints before they load.
    """

    def __init__(self, example_source: Path) -> None:
        self._example = example_source
        self._workspace: Workspace | None = None

    @property
    def workspace(self) -> Workspace:
        """The open workspace; asking before one is open is a programming error."""
        if self._workspace is None:
            raise RuntimeError("no workspace is open")
        return self._workspace

    @property
    def is_open(self) -> bool:
        """Whether a workspace is open."""
        return self._workspace is not None

    @property
    def path(self) -> Path | None:
        """The open workspace's file."""
        return self._workspace.path if self._workspace else None

    def open(self, path: Path, *, example_if_new: bool = False) -> None:
        """Open ``path``; a new file starts empty, or as the example when asked."""
        from escalation_desk.services import workspace as ws  # noqa: PLC0415 - see class doc

        opened = ws.open_existing(path, example=self._example if example_if_new else None)
        self._replace(opened)

    def connect(self, address: str, password: str | None = None) -> None:
        """Switch to the team workspace at ``address`` (postgresql://user@host/database)."""
        from escalation_desk.services import team  # noqa: PLC0415 - see class doc

        self._replace(team.connect(address, password))

    def open_location(self, app_paths: AppPaths) -> None:
        """Open what the command line named: a team workspace, or a file."""
        if app_paths.team_address:
            self.connect(app_paths.team_address)
        else:
            self.open(app_paths.workspace, example_if_new=not app_paths.explicit_workspace)

    def create(self, path: Path, *, with_example: bool) -> None:
        """Create a workspace at ``path`` and switch to it."""
        from escalation_desk.services import workspace as ws  # noqa: PLC0415 - see class doc

        self._replace(ws.create_workspace(path, example=self._example if with_example else None))

    def save_copy(self, target: Path) -> Path:
        """Write a consistent copy of the open workspace."""
        from escalation_desk.services import workspace as ws  # noqa: PLC0415 - see class doc

        return ws.save_copy(self.workspace, target)

    def exporter(self) -> ExportService:
        """The managers' workbook writer on the open workspace."""
        from escalation_desk.services.exporting import ExportService  # noqa: PLC0415 - see class doc

        return ExportService(self.workspace)

    def importer(self) -> ImportService:
        """The matrix importer on the open workspace."""
        from escalation_desk.services.importing import ImportService  # noqa: PLC0415 - see class doc

        return ImportService(self.workspace)

    def ticket_importer(self) -> TicketImportService:
        """The helpdesk-export importer on the open workspace."""
        from escalation_desk.services.ticket_import import (  # noqa: PLC0415 - see class doc
            TicketImportService,
        )

        return TicketImportService(self.workspace)

    def summary(self, now: datetime | None = None) -> HomeSummary:
        """The Home screen's figures."""
        from escalation_desk.services.overview import summarize  # noqa: PLC0415 - see class doc

        return summarize(self.workspace, now or datetime.now(UTC))

    def matrix(self) -> MatrixService:
        """The matrix service on the open workspace."""
        from escalation_desk.services.matrix import MatrixService  # noqa: PLC0415 - see class doc

        return MatrixService(self.workspace)

    def directory(self) -> DirectoryService:
        """The people-and-roles directory on the open workspace."""
        from escalation_desk.services.directory import DirectoryService  # noqa: PLC0415 - see class doc

        return DirectoryService(self.workspace)

    def routing(self) -> RoutingService:
        """The routing service on the open workspace."""
        from escalation_desk.services.routing import RoutingService  # noqa: PLC0415 - see class doc

        return RoutingService(self.workspace)

    def versions(self) -> VersionService:
        """The versions service on the open workspace."""
        from escalation_desk.services.versions import VersionService  # noqa: PLC0415 - see class doc

        return VersionService(self.workspace)

    def board(self) -> BoardService:
        """The board service on the open workspace."""
        from escalation_desk.services.board import BoardService  # noqa: PLC0415 - see class doc

        return BoardService(self.workspace)

    def escalations(self) -> EscalationService:
        """The escalation-creation service on the open workspace."""
        from escalation_desk.services.escalations import (  # noqa: PLC0415 - see class doc
            EscalationService,
        )

        return EscalationService(self.workspace)

    def onboarding(self) -> OnboardingService:
        """The advisor, walkthroughs, practice and agents' records on the open workspace."""
        from escalation_desk.services.onboarding import (  # noqa: PLC0415 - see class doc
            OnboardingService,
        )

        return OnboardingService(self.workspace)

    def kpis(self) -> KpiService:
        """The KPI figures of the open workspace."""
        from escalation_desk.services.kpis import KpiService  # noqa: PLC0415 - see class doc

        return KpiService(self.workspace)

    def replay(self) -> ReplayService:
        """The what-if replay of past tickets against the open workspace's matrix."""
        from escalation_desk.services.replay import ReplayService  # noqa: PLC0415 - see class doc

        return ReplayService(self.workspace)

    def closure(self) -> ClosureService:
        """The closure-loop service on the open workspace."""
        from escalation_desk.services.closure import ClosureService  # noqa: PLC0415 - see class doc

        return ClosureService(self.workspace)

    def preferences(self) -> PreferencesService:
        """The workspace defaults (File > Settings) of the open workspace."""
        from escalation_desk.services.preferences import (  # noqa: PLC0415 - see class doc
            PreferencesService,
        )

        return PreferencesService(self.workspace)

    def change_listener(self) -> ChangeListener | None:
        """What hears other people's changes to escalations: a team workspace's, else None."""
        if not self.workspace.is_team:
            return None
        from escalation_desk.store.changes import ChangeListener  # noqa: PLC0415 - see class doc

        return ChangeListener(self.workspace.engine.url)

    def close(self) -> None:
        """Close the open workspace, if any."""
        if self._workspace is not None:
            self._workspace.close()
            self._workspace = None

    def _replace(self, opened: Workspace) -> None:
        self.close()
        self._workspace = opened
