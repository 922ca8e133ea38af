"""The command line: open the app, render its screens, and scripted subcommands.

Start-up is one story, told here in order:

1. arguments are parsed (``--db``/``--data-dir`` before or after a subcommand);
2. paths are resolved (``paths.resolve``): data directory, workspace file, log file;
3. logging starts, to the log file in the data directory;
4. a subcommand now runs without Qt: it opens the database, does its work and exits;
5. otherwise the GUI starts (``ui.app.run``): ``QApplication``, crash handler, main window
   shown, the workspace database opened on the first turn of the event loop so that the
   window paints before SQLAlchemy loads, then ``exec()``.

Subcommands live in the ``commands`` package; adding one is described there.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from escalation_desk import __version__, paths
from escalation_desk.commands import ExitCode, load_all

log = logging.getLogger(__name__)


def _add_location_options(parser: argparse.ArgumentParser, *, top_level: bool) -> None:
    # On a subparser the defaults are SUPPRESS, so that a value given before the subcommand
    # is not overwritten by the subparser's own default.
    default = None if top_level else argparse.SUPPRESS
    group = parser.add_argument_group("workspace location")
    where = group.add_mutually_exclusive_group()
    where.add_argument(
        "--db",
        metavar="FILE",
        default=default,
        help="workspace file to open (a new file starts as an empty workspace)",
    )
    where.add_argument(
        "--data-dir",
        metavar="DIR",
        default=default,
        help="data directory (workspace, logs, settings) instead of the per-user one",
    )


def build_parser() -> argparse.ArgumentParser:
    """The full parser, subcommands included."""
    parser = argparse.ArgumentParser(
        prog="escalation-desk",
        description="Escalation Desk: the escalation matrix, board and closure loop for "
        "support leads. Without a subcommand it opens the app.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--screenshot",
        metavar="DIR",
        help="render every screen at 1280x800 to DIR/<screen>.png and exit",
    )
    _add_location_options(parser, top_level=True)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for cmd in load_all().values():
        child = sub.add_parser(cmd.name, help=cmd.help, description=cmd.help)
        _add_location_options(child, top_level=False)
        cmd.configure(child)
    return parser


_handlers: list[logging.Handler] = []
LOG_MAX_BYTES = 1_000_000
LOG_KEEP = 3


def _rotate(log_file: Path) -> None:
    """Start a new log file when the current one is large, keeping the last few.

    Rotation at start-up rather than logging.handlers' size check on every record: that
    module costs 20 ms to import, paid before the window paints.
    """
    if not log_file.exists() or log_file.stat().st_size < LOG_MAX_BYTES:
        return
    for number in range(LOG_KEEP - 1, 0, -1):
        older = log_file.with_name(f"{log_file.name}.{number}")
        if older.exists():
            older.replace(log_file.with_name(f"{log_file.name}.{number + 1}"))
    log_file.replace(log_file.with_name(f"{log_file.name}.1"))


def setup_logging(app_paths: paths.AppPaths) -> None:
    """Log to a rotating file in the data directory, and warnings to stderr."""
    root = logging.getLogger()
    root.setLevel(logging.INFO)
    while _handlers:  # a second main() in one process (tests) replaces, not adds
        old = _handlers.pop()
        root.removeHandler(old)
        old.close()
    try:
        app_paths.log_dir.mkdir(parents=True, exist_ok=True)
        _rotate(app_paths.log_file)
        handler: logging.Handler = logging.FileHandler(app_paths.log_file, encoding="utf-8")
    except OSError as exc:  # a read-only data directory must not stop the app
        print(f"Logging to the terminal only: {exc}", file=sys.stderr)
        handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    console = logging.StreamHandler()
    console.setLevel(logging.WARNING)
    # Records marked file_only have been said to the user in a sentence already.
    console.addFilter(lambda record: not getattr(record, "file_only", False))
    for new in (handler, console):
        root.addHandler(new)
        _handlers.append(new)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the process exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    # The options may stand on either side of a subcommand, where argparse checks each side
    # on its own; the whole command line is checked here.
    if args.db is not None and args.data_dir is not None:
        parser.error("argument --data-dir: not allowed with argument --db")
    for option, value in (("--db", args.db), ("--data-dir", args.data_dir)):
        if value is not None and not value.strip():
            parser.error(f"argument {option}: needs a path")
    if args.command and args.screenshot:
        parser.error("--screenshot opens the app; it cannot be combined with a subcommand")
    app_paths = paths.resolve(db=args.db, data_dir=args.data_dir)
    setup_logging(app_paths)
    if args.command:
        return _run_command(args, app_paths)
    return _run_gui(app_paths, Path(args.screenshot) if args.screenshot else None)


def _run_command(args: argparse.Namespace, app_paths: paths.AppPaths) -> int:
    """Run a subcommand; an unexpected failure is logged whole and said in one sentence."""
    try:
        return int(load_all()[args.command].run(args, app_paths))
    except BrokenPipeError:
        # The reader left early (``| head``); point stdout at nothing so that the final flush
        # at exit does not fail a second time.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return ExitCode.OK
    except Exception as exc:
        log.exception("escalation-desk %s failed", args.command, extra={"file_only": True})
        print(
            f"escalation-desk {args.command} failed: {exc}. "
            f"The details are in {app_paths.log_file}.",
            file=sys.stderr,
        )
        return ExitCode.FAILED


def _run_gui(app_paths: paths.AppPaths, screenshot_dir: Path | None) -> int:
    try:
        from escalation_desk.ui.app import run  # noqa: PLC0415 - Qt only when the GUI starts
    except ImportError as exc:
        if not _is_missing_system_library(exc):
            raise
        print(
            f"Escalation Desk could not load Qt ({exc}).\n"
            "On Debian/Ubuntu, install Qt's system libraries with:\n"
            "  sudo apt-get install -y libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 "
            "libfontconfig1 libdbus-1-3 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 "
            "libxcb-shape0",
            file=sys.stderr,
        )
        return ExitCode.REJECTED
    return run(app_paths, screenshot_dir=screenshot_dir)


def _is_missing_system_library(exc: ImportError) -> bool:
    """Whether Qt failed to load for want of a system library (rather than a bug of ours)."""
    module = exc.name or ""
    return ".so" in str(exc) or module.startswith(("PySide6", "shiboken6"))
