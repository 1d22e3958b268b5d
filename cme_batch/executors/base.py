"""The executor interface, its settings from the command line, and the errors it raises."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import pandas as pd

from cme_batch.errors import CmeBatchError, ExitCode
from cme_batch.extract.document import ReadOptions
from cme_batch.process import DocResult, Done, Task

#: The ``--executor`` choices.
EXECUTORS = ("local", "dask")


class ClusterError(CmeBatchError):
    """The Dask cluster could not be reached, or was lost during the run.

    Results that arrived before are stored in the state database already: a rerun reads only
    what is missing.
    """

    exit_code = ExitCode.CLUSTER_UNAVAILABLE


class WorkerMismatchError(CmeBatchError):
    """A Dask worker has other software than this machine, or cannot see the inbox.

    Its results could differ from a local run's, so no work is started.
    """

    exit_code = ExitCode.MISSING_DEPENDENCY


@dataclass(frozen=True)
class ExecutorSettings:
    """How and where files are read (``--executor`` and the Dask options).

    Attributes:
        kind: ``local`` (this machine's worker processes) or ``dask``.
        scheduler: Address of an existing Dask scheduler (``tcp://`` or ``tls://``); empty
            with ``dask`` starts a cluster on this machine (one worker process per job).
        tls_ca_file: CA certificate that signed the scheduler's and workers' certificates.
        tls_cert: This client's certificate (PEM).
        tls_key: This client's private key (PEM); may be inside ``tls_cert``.
        worker_inbox: The inbox's path as mounted on the workers (empty: the same path).
        allowed_failures: Worker deaths a task may cause before its file is recorded as
            ``failed`` (applies to the cluster started here; a running scheduler has its own).
    """

    kind: str = "local"
    scheduler: str = ""
    tls_ca_file: Path | None = None
    tls_cert: Path | None = None
    tls_key: Path | None = None
    worker_inbox: str = ""
    allowed_failures: int = 2


class Executor(Protocol):
    """Reads inbox files somewhere and hands every result back to this process."""

    def run(
        self,
        tasks: Sequence[Task],
        roster: pd.DataFrame,
        options: ReadOptions,
        jobs: int,
        on_done: Done | None = None,
    ) -> dict[str, DocResult]:
        """Read every task; every task gets exactly one result.

        Args:
            tasks: The files to read.
            roster: The roster the records are matched against.
            options: Reading options.
            jobs: Worker processes (local pool, or the cluster started on this machine).
            on_done: Called in this process once per task as its result arrives (the state
                database is written there, by this process only).

        Returns:
            Task key to result.
        """
        ...


def make_executor(settings: ExecutorSettings, inbox: Path) -> Executor:
    """The executor ``settings`` ask for; ``inbox`` is the inbox's path on this machine."""
    if settings.kind == "local":
        from cme_batch.executors.local import LocalExecutor

        return LocalExecutor()
    if settings.kind == "dask":
        from cme_batch.executors.cluster import DaskExecutor

        return DaskExecutor(settings, inbox)
    raise ValueError(f"unknown executor {settings.kind!r}")
