"""Where inbox files are read (``--executor``): this machine's process pool, or a Dask cluster.

Both sit behind :class:`~cme_batch.executors.base.Executor`: the pipeline hands over the files
to read and a callback, and gets one result per file, whichever executor read it.
"""

from cme_batch.executors.base import (
    ClusterError,
    Executor,
    ExecutorSettings,
    WorkerMismatchError,
    make_executor,
)

__all__ = ["ClusterError", "Executor", "ExecutorSettings", "WorkerMismatchError", "make_executor"]
