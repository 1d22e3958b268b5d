"""The default executor: this machine's crash-isolated worker processes (``cme_batch.process``)."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from cme_batch.extract.document import ReadOptions
from cme_batch.process import DocResult, Done, Task, run_documents


class LocalExecutor:
    """Reads files in ``jobs`` local worker processes, exactly as runs always have."""

    def run(
        self,
        tasks: Sequence[Task],
        roster: pd.DataFrame,
        options: ReadOptions,
        jobs: int,
        on_done: Done | None = None,
    ) -> dict[str, DocResult]:
        """See :meth:`cme_batch.executors.base.Executor.run`."""
        return run_documents(tasks, roster, options, jobs, on_done)
