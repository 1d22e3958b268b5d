"""Exit codes and the exceptions that stop a whole run.

A problem with one document is never an exception that escapes the pipeline: it becomes a
``documents.csv`` row. The exceptions here are run-level problems, and the CLI maps each to one
exit code (see README, "Exit codes").
"""

from __future__ import annotations

import enum


class ExitCode(enum.IntEnum):
    """Process exit codes of ``cme-batch``; documented in README and stable."""

    OK = 0
    INTERNAL_ERROR = 1
    BAD_ARGUMENTS = 2
    MISSING_DEPENDENCY = 3
    BAD_INPUT_TABLE = 4
    DOCUMENTS_FAILED = 5
    LOCKED = 6
    BAD_RULES = 7
    OUTPUT_ERROR = 8
    NOTICES_FAILED = 9
    INTERRUPTED = 130
    TERMINATED = 143
    CLUSTER_UNAVAILABLE = 10


class CmeBatchError(Exception):
    """Base class of run-level errors; ``exit_code`` says how the CLI ends."""

    exit_code: ExitCode = ExitCode.INTERNAL_ERROR


class MissingDependencyError(CmeBatchError):
    """A program or Python package the run needs is not installed."""

    exit_code = ExitCode.MISSING_DEPENDENCY


class InputTableError(CmeBatchError):
    """The roster or a ledger cannot be read or has bad rows.

    Args:
        path: The file that was being read.
        problems: One human-readable line per bad row or column (all of them, not the first).
    """

    exit_code = ExitCode.BAD_INPUT_TABLE

    def __init__(self, path: str, problems: list[str]) -> None:
        self.path = path
        self.problems = problems
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"{path}: {len(problems)} problem(s):\n{lines}")


class OutputError(CmeBatchError):
    """The output folder cannot be created or written."""

    exit_code = ExitCode.OUTPUT_ERROR


class LockedError(CmeBatchError):
    """Another run holds the lock on the same state."""

    exit_code = ExitCode.LOCKED


class Terminated(KeyboardInterrupt):
    """The run was sent SIGTERM (``kill``): it stops as on Ctrl-C, previous reports kept."""
