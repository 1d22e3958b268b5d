"""The run log: every line a run logs, at INFO and above, in ``OUT/run.log``.

The console shows warnings only (errors with ``--quiet``); the file keeps the full story of the
run for whoever reads the cron mail the next morning, ending with the run's summary line and
exit code. The logs of the last few runs are kept (``run.log.1`` is the one before, and so on),
so a failure is still there after the next night's run.
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Final

from cme_batch.errors import OutputError

#: Name of the log file inside the output folder.
RUN_LOG_NAME: Final[str] = "run.log"
#: How many earlier runs' logs are kept beside the current one (``run.log.1`` .. ``.N``).
KEEP_PREVIOUS: Final[int] = 4

_FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"


def quiet_console(level: int) -> None:
    """Make the console handlers show only ``level`` and above.

    The ``cme_batch`` logger is lowered to INFO while a run log is open; records propagate to
    the root handlers whatever the root logger's level, so the handlers filter themselves.
    """
    for handler in logging.getLogger().handlers:
        handler.setLevel(level)


def previous_logs(out: Path) -> list[Path]:
    """The kept logs of earlier runs, newest first."""
    found = (out / f"{RUN_LOG_NAME}.{n}" for n in range(1, KEEP_PREVIOUS + 1))
    return [p for p in found if p.exists()]


def _rotate(out: Path) -> None:
    """Shift ``run.log`` to ``run.log.1`` (and so on), dropping the oldest."""
    for n in range(KEEP_PREVIOUS, 0, -1):
        older = out / (RUN_LOG_NAME if n == 1 else f"{RUN_LOG_NAME}.{n - 1}")
        if older.exists():
            os.replace(older, out / f"{RUN_LOG_NAME}.{n}")


@contextlib.contextmanager
def run_log(out: Path) -> Iterator[Path]:
    """Write the ``cme_batch`` log to a new ``out/run.log`` during the block.

    Raises:
        OutputError: The output folder or the log cannot be written.
    """
    path = out / RUN_LOG_NAME
    try:
        out.mkdir(parents=True, exist_ok=True)
        _rotate(out)
        handler = logging.FileHandler(path, mode="w", encoding="utf-8")
    except OSError as exc:
        raise OutputError(f"cannot write the run log {path}: {exc.strerror}") from exc
    handler.setFormatter(logging.Formatter(_FORMAT))
    handler.setLevel(logging.INFO)
    logger = logging.getLogger("cme_batch")
    previous = logger.level
    if previous == logging.NOTSET or previous > logging.INFO:
        logger.setLevel(logging.INFO)
    logger.addHandler(handler)
    try:
        yield path
    finally:
        logger.removeHandler(handler)
        logger.setLevel(previous)
        handler.close()
