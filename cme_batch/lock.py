"""One run at a time per state database: an advisory lock file beside it.

``flock`` locks belong to the open file, so the kernel releases them when the holder exits for
any reason (a kill included): a stale lock file never blocks the next run. The file itself is
never deleted, since deleting it would let a third run lock a different inode than the second.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import os
from collections.abc import Iterator
from pathlib import Path

from cme_batch.errors import LockedError

#: Descriptors of locks this process holds. A forked worker inherits them, and with them the
#: lock: if the parent is killed, the workers finishing their page would keep the next run
#: out. Each child closes its copies as soon as it is forked.
_HELD: set[int] = set()


def _close_inherited() -> None:
    for fd in list(_HELD):
        with contextlib.suppress(OSError):
            os.close(fd)
    _HELD.clear()


os.register_at_fork(after_in_child=_close_inherited)


def lock_path(state: Path) -> Path:
    """The lock file of a state database: ``<state>.lock`` beside it."""
    return state.with_name(state.name + ".lock")


@contextlib.contextmanager
def hold(state: Path) -> Iterator[Path]:
    """Hold the run lock of ``state`` for the duration of the block.

    Raises:
        LockedError: Another process holds it; the message says since when and its pid.
    """
    path = lock_path(state)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise LockedError(
                f"another cme-batch run is using {state} since {_holder(fd)}; "
                "wait for it to finish (this run changed nothing)"
            ) from None
        since = dt.datetime.now().astimezone().isoformat(timespec="seconds")
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{since} (pid {os.getpid()})\n".encode(), 0)
        _HELD.add(fd)
        yield path
    finally:
        # Closing the descriptor releases the lock.
        _HELD.discard(fd)
        os.close(fd)


def _holder(fd: int) -> str:
    text = os.pread(fd, 200, 0).decode("utf-8", errors="replace").strip()
    return text or "an unknown time"
