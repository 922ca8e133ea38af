"""Saving files the way a desktop app must: all of the new file, or the old one untouched."""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path


def write_atomically(path: Path, data: bytes) -> None:
    """Write to a new file beside ``path``, then rename it over ``path`` in one step.

    A reader, or a crash half-way, sees the old file or the new one, never a torn one; on
    failure the old file is left as it was, no temporary file is left behind, and the OSError
    says in a sentence which file could not be written.
    """
    # A hidden name, so that a file manager open on the folder does not flash a second file.
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    try:
        # 0o666 lets the umask decide the permissions, as for any file the user saves.
        descriptor = os.open(temporary, flags, 0o666)
    except OSError as error:
        raise _failure(path, error) from error
    try:
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException as error:
        with contextlib.suppress(OSError):
            temporary.unlink()
        if isinstance(error, OSError):
            raise _failure(path, error) from error
        raise


def _failure(path: Path, error: OSError) -> OSError:
    reason = error.strerror or str(error) or type(error).__name__
    return OSError(f"Could not write {path.name}: {reason.rstrip('.')}.")
