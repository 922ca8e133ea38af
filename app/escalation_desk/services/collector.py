"""Python's cycle collector paused while a bulk job makes objects by the hundred thousand."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_pauses = 0  # jobs under way that asked for the pause
_was_enabled = False  # the collector's state before the first of them


@contextmanager
def collector_paused() -> Iterator[None]:
    """The cycle collector off for the block, then as it was before the first pause began.

    Reading or writing a hundred thousand rows makes hundreds of thousands of objects and
    next to no reference cycles, yet the collector walks them all again and again: a fifth of
    an export's time, a third of a ticket file's parse. An export and an import may run at
    once on two threads; the collector comes back on when the last of them ends.
    """
    global _pauses, _was_enabled
    with _lock:
        if _pauses == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _pauses += 1
    try:
        yield
    finally:
        with _lock:
            _pauses -= 1
            if _pauses == 0 and _was_enabled:
                gc.enable()
