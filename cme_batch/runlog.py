"""The run log: every line a run logs, at INFO and above, in ``OUT/run.log``.

The console shows warnings only (errors with ``--quiet``); the file keeps the full story of the
last run for whoever reads the cron mail the next morning.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from pathlib import Path

#: Name of the log file inside the output folder.
RUN_LOG_NAME = "run.log"

_FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"


def quiet_console(level: int) -> None:
    """Make the console handlers show only ``level`` and above.

    The ``cme_batch`` logger is lowered to INFO while a run log is open; records propagate to
    the root handlers whatever the root logger's level, so the handlers filter themselves.
    """
    for handler in logging.getLogger().handlers:
        handler.setLevel(level)


@contextlib.contextmanager
def run_log(out: Path) -> Iterator[Path]:
    """Write the ``cme_batch`` log to ``out/run.log`` (replaced each run) during the block."""
    out.mkdir(parents=True, exist_ok=True)
    path = out / RUN_LOG_NAME
    handler = logging.FileHandler(path, mode="w", encoding="utf-8")
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
