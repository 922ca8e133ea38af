"""Every path the app uses: the data directory, the workspace file, logs, bundled resources."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

APP_NAME = "escalation-desk"
WORKSPACE_SUFFIX = ".escdesk"
DEFAULT_WORKSPACE_NAME = f"workspace{WORKSPACE_SUFFIX}"
# Where a script gives the password of a team workspace (never in a file of the app's).
DB_PASSWORD_VARIABLE = "ESCALATION_DESK_DB_PASSWORD"


@dataclass(frozen=True, slots=True)
class AppPaths:
    """Where this run keeps its files."""

    data_dir: Path
    workspace: Path
    explicit_workspace: bool  # True when --db named the file: it starts empty, not as the example
    team_address: str | None = None  # --db postgresql://...: a team workspace on a server

    @property
    def log_dir(self) -> Path:
        """Log files, one click away from Help."""
        return self.data_dir / "logs"

    @property
    def log_file(self) -> Path:
        """The current log file."""
        return self.log_dir / f"{APP_NAME}.log"

    @property
    def backups_dir(self) -> Path:
        """Where "Save a copy" proposes to write."""
        return self.data_dir / "backups"


def default_data_dir() -> Path:
    """The per-user data directory of the platform (XDG on Linux)."""
    import platformdirs  # noqa: PLC0415 - only needed when no --data-dir is given

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def resolve(db: str | None = None, data_dir: str | None = None) -> AppPaths:
    """The paths for a run, from ``--db`` and ``--data-dir`` when given."""
    base = Path(data_dir).expanduser() if data_dir else default_data_dir()
    if db and is_team_address(db):
        base = base.resolve()
        return AppPaths(
            base, base / DEFAULT_WORKSPACE_NAME, explicit_workspace=True, team_address=db
        )
    if db:
        return AppPaths(base.resolve(), Path(db).expanduser().resolve(), explicit_workspace=True)
    base = base.resolve()
    return AppPaths(base, base / DEFAULT_WORKSPACE_NAME, explicit_workspace=False)


def is_team_address(location: str) -> bool:
    """Whether ``--db`` names a database on a server rather than a file."""
    return location.lower().startswith(("postgresql:", "postgresql+", "postgres:"))


def _bundle_root() -> Path:
    """Where resources/ and data/ live: frozen bundle, installed wheel, or the source tree."""
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen)
    package = Path(__file__).resolve().parent
    if (package / "resources").is_dir():  # a wheel carries them inside the package
        return package
    return package.parents[1]  # the source tree: app/escalation_desk -> repository root


def resource(*parts: str) -> Path:
    """A file under resources/ (icons, style sheets, walkthrough content)."""
    return _bundle_root().joinpath("resources", *parts)


def data_file(*parts: str) -> Path:
    """A file under data/ (the example workspace)."""
    return _bundle_root().joinpath("data", *parts)
