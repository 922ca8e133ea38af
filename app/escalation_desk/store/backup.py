"""Consistent copies of a workspace file, written atomically."""

from __future__ import annotations

import os
import sqlite3
import tempfile
from pathlib import Path


def copy_database(source: Path, target: Path) -> None:
    """Copy a live SQLite file with SQLite's backup API; ``target`` appears whole or not at all."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        with sqlite3.connect(source) as src, sqlite3.connect(tmp) as dst:
            src.backup(dst)
        # The copy keeps the source's WAL mode; a single-file copy is easier to send around.
        with sqlite3.connect(tmp) as dst:
            dst.execute("PRAGMA journal_mode = DELETE")
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
