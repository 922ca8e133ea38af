"""Consistent copies of a workspace file, written atomically."""

from __future__ import annotations

import os
import sqlite3
import tempfile
from contextlib import closing
from pathlib import Path


def copy_database(source: Path, target: Path) -> None:
    """Copy a live SQLite file with SQLite's backup API; ``target`` appears whole or not at all."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        # closing(): a sqlite3 connection's own "with" ends a transaction, not the connection,
        # and an open connection would keep Windows from renaming the file below.
        with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(tmp)) as dst:
            src.backup(dst)
            # The copy keeps the source's WAL mode; a single file is easier to send around.
            dst.execute("PRAGMA journal_mode = DELETE")
        _fsync(tmp)
        os.replace(tmp, target)
        _fsync(target.parent)
    finally:
        tmp.unlink(missing_ok=True)


def _fsync(path: Path) -> None:
    """Flush a file, or a folder's entry list, to the disk (folders: where the OS allows)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:  # Windows cannot open a folder this way; its rename is durable enough
        return
    try:
        os.fsync(fd)
    except OSError:  # Windows wants write access to flush; the copy was closed cleanly
        pass
    finally:
        os.close(fd)
