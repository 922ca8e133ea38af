"""Qt-free subcommands for scripts; each module here registers its commands with ``@command``.

Adding a subcommand: write a function ``(args, app_paths) -> ExitCode`` in a module of this
package, decorate it with ``@command(name, help, configure)``, and list the module in
``MODULES``.
"""

from __future__ import annotations

import argparse
import importlib
from collections.abc import Callable
from dataclasses import dataclass
from enum import IntEnum

from escalation_desk.paths import AppPaths

MODULES = (
    "summary",
    "matrix",
    "escalations",
    "closure",
    "importing",
    "exporting",
    "advising",
    "reporting",
    "replay",
    "team",
)


class ExitCode(IntEnum):
    """What the process tells its caller."""

    OK = 0
    REJECTED = 1  # the input was refused and nothing changed
    USAGE = 2  # the command line itself was wrong (argparse uses 2 as well)
    FAILED = 3  # something unexpected went wrong; the log file has the details


Runner = Callable[[argparse.Namespace, AppPaths], ExitCode]
Configure = Callable[[argparse.ArgumentParser], None]


@dataclass(frozen=True, slots=True)
class Command:
    """A subcommand: its help line, its arguments and the function that runs it."""

    name: str
    help: str
    configure: Configure
    run: Runner


COMMANDS: dict[str, Command] = {}


def _no_arguments(_parser: argparse.ArgumentParser) -> None:
    """A subcommand without options of its own."""


def command(
    name: str, help: str, configure: Configure = _no_arguments
) -> Callable[[Runner], Runner]:
    """Register a subcommand."""

    def register(run: Runner) -> Runner:
        COMMANDS[name] = Command(name, help, configure, run)
        return run

    return register


def load_all() -> dict[str, Command]:
    """Every subcommand, after importing the modules that define them."""
    for module in MODULES:
        importlib.import_module(f"{__name__}.{module}")
    return COMMANDS
