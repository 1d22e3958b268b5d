"""The Dask executor: files read on a Dask distributed cluster, results handled here.

This process (the coordinator) scans, batches and submits; the workers only read. Results come
back through ``as_completed`` and are handed to ``on_done`` one at a time, so this process is
the only writer of the state database (which never lives on the shared mount). At most a
window of tasks is in flight, and each future is released as soon as its result is taken, so
memory does not grow with the archive.

Dask runs a task at least once: a worker that dies has its tasks run again elsewhere, and a
task that keeps killing workers ends in ``KilledWorker``. A batch that fails that way (or
raises) is read again file by file, and a single file that still fails is recorded as
``failed`` with the reason, while the rest of the import goes on.
"""

from __future__ import annotations

import contextlib
import logging
import os
import time
from collections import deque
from collections.abc import Iterator, Sequence
from concurrent.futures import CancelledError
from pathlib import Path
from typing import Any

import pandas as pd

from cme_batch.errors import MissingDependencyError
from cme_batch.executors import batches as batching
from cme_batch.executors import facts
from cme_batch.executors.base import ClusterError, ExecutorSettings, WorkerMismatchError
from cme_batch.executors.remote import Item, Reader, SoftwareMismatch, read_batch
from cme_batch.extract.document import ReadOptions
from cme_batch.process import DocResult, Done, Task, read_file

log = logging.getLogger(__name__)

#: Tasks in flight per worker thread: enough that a worker never waits for the next one.
WINDOW_PER_THREAD = 2
#: Seconds to wait for the first worker of an existing cluster.
WORKER_WAIT = 60.0
#: Seconds to connect to a scheduler.
CONNECT_TIMEOUT = 30.0
#: Dask settings of the cluster ``--executor dask`` starts on this machine. Its work is a few
#: long, CPU-bound tasks with small results, which Dask's defaults for data-heavy work slow
#: down (``make bench-speed`` measures the difference against the local pool):
#:
#: - ``fork``: a worker starts as a copy of this process, with everything a reader needs
#:   already imported, as the local pool's workers do; ``spawn`` (the default) re-imports
#:   Dask, numpy, pandas and the readers in each worker, a CPU-second or more each, and again
#:   for every worker restarted after a crash.
#: - no ``MALLOC_TRIM_THRESHOLD_``: Dask sets it so that freed memory goes back to the system
#:   at once, which also fixes glibc's mmap threshold; every page-sized numpy and Pillow
#:   buffer is then mapped and unmapped anew, page faults and all (the sys time of a run
#:   tripled on scanned pages).
#: - no statistical profiler: it samples the reading thread's stack every 10 ms.
#: - no spilling or pausing: results are a few kilobytes of text, released as soon as they
#:   are stored, so there is nothing to spill; the nanny still restarts a worker past its
#:   memory limit (``terminate``), which is what bounds a runaway file, checked every 0.5 s.
#: - event-loop health ticks every second instead of every 20 ms, and system metrics every
#:   2 s: an idle two-worker cluster used 8% of a core, 1.7% with these.
LOCAL_CLUSTER_CONFIG: dict[str, object] = {
    "distributed.worker.multiprocessing-method": "fork",
    "distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None,
    "distributed.worker.profile.enabled": False,
    "distributed.worker.memory.target": False,
    "distributed.worker.memory.spill": False,
    "distributed.worker.memory.pause": False,
    "distributed.worker.memory.monitor-interval": "500ms",
    "distributed.admin.tick.interval": "1s",
    "distributed.admin.system-monitor.interval": "2s",
    # One task at a time per single-threaded worker (Dask's default 1.1 queues a second one):
    # a task queued on a worker counts as running there, so when a poison file kills the
    # worker its innocent neighbour in the queue would be blamed too.
    "distributed.scheduler.worker-saturation": 1.0,
}


class DaskExecutor:
    """Reads files on a Dask cluster: an existing one (``--scheduler``) or one started here."""

    def __init__(self, settings: ExecutorSettings, inbox: Path, reader: Reader = read_file) -> None:
        """Set up the executor.

        Args:
            settings: Executor settings (scheduler address, TLS files, worker inbox path).
            inbox: The inbox's path on this machine.
            reader: Reads one file on a worker (a test seam: crashing or raising fakes).
        """
        self.settings = settings
        self.inbox = inbox
        self.reader = reader

    def run(
        self,
        tasks: Sequence[Task],
        roster: pd.DataFrame,
        options: ReadOptions,
        jobs: int,
        on_done: Done | None = None,
    ) -> dict[str, DocResult]:
        """See :meth:`cme_batch.executors.base.Executor.run`.

        Raises:
            ClusterError: The scheduler cannot be reached or went away (results handed to
                ``on_done`` before are kept; a rerun reads the rest).
            WorkerMismatchError: A worker's software differs, or it cannot see the inbox.
        """
        if not tasks:
            return {}
        with self._client(jobs, options) as client:
            return self._run(client, tasks, roster, options, on_done)

    # -----------------------------------------------------------------------------------------
    # Connecting

    @contextlib.contextmanager
    def _client(self, jobs: int, options: ReadOptions) -> Iterator[Any]:
        try:
            import dask
            from distributed import Client, LocalCluster
        except ImportError as exc:
            raise MissingDependencyError(
                "--executor dask needs the Dask packages: pip install 'cme-batch[dask]' "
                f"(missing {exc.name})"
            ) from exc
        address = self.settings.scheduler
        if address:
            _warn_if_plain(address)
            try:
                client = Client(address, security=self._security(), timeout=CONNECT_TIMEOUT)
            except (OSError, TimeoutError, ValueError) as exc:
                raise ClusterError(
                    f"cannot connect to the Dask scheduler at {address} ({exc}): check that "
                    "it runs ('dask scheduler') and the address and TLS options "
                    "(see docs/scale-out.md)"
                ) from exc
            try:
                yield client
            finally:
                _close(client)
            return
        memory = f"{options.memory_limit_mb}MiB" if options.memory_limit_mb > 0 else 0
        config = {
            **LOCAL_CLUSTER_CONFIG,
            "distributed.scheduler.allowed-failures": self.settings.allowed_failures,
        }
        # The settings stay in force for the cluster's whole life, not only while it starts:
        # a nanny reads the start method again each time it restarts a worker that died.
        with dask.config.set(config):
            cluster = LocalCluster(
                n_workers=max(jobs, 1),
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
                # Its HTTP server (health, metrics) on any free port: Dask's default 8787
                # warns when taken, by another cluster or another run.
                scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},
                memory_limit=memory,
                silence_logs=logging.ERROR,
                # One thread per tesseract, as in the local pool: a worker is one core.
                env={"OMP_THREAD_LIMIT": "1"},
            )
            try:
                client = Client(cluster)
                try:
                    yield client
                finally:
                    _close(client)
            finally:
                cluster.close()

    def _security(self) -> Any:
        """TLS settings from the options; without them, Dask's own configuration applies."""
        from distributed.security import Security

        given = self.settings
        if not (given.tls_ca_file or given.tls_cert or given.tls_key):
            return Security()  # reads distributed.comm.tls.* from the Dask configuration
        return Security(
            tls_ca_file=str(given.tls_ca_file) if given.tls_ca_file else None,
            tls_client_cert=str(given.tls_cert) if given.tls_cert else None,
            tls_client_key=str(given.tls_key) if given.tls_key else None,
            require_encryption=True,
        )

    # -----------------------------------------------------------------------------------------
    # Checking the workers

    def _check_workers(self, client: Any) -> tuple[str, list[str]]:
        """Refuse a cluster whose workers differ from this machine; returns the facts digest."""
        try:
            client.wait_for_workers(1, timeout=WORKER_WAIT)
        except TimeoutError as exc:
            raise ClusterError(
                f"no Dask worker joined the scheduler within {WORKER_WAIT:g} s: start workers "
                "with 'dask worker ADDRESS' (see docs/scale-out.md)"
            ) from exc
        here = facts.software_facts()
        there: dict[str, dict[str, str]] = client.run(facts.software_facts)
        for worker, theirs in sorted(there.items()):
            lines = facts.differences(here, theirs)
            if lines:
                raise WorkerMismatchError(facts.mismatch_message(worker, lines))
        inbox = self._worker_inbox()
        sees: dict[str, bool] = client.run(facts.inbox_visible, inbox)
        blind = sorted(w for w, ok in sees.items() if not ok)
        if blind:
            raise WorkerMismatchError(
                f"Dask worker(s) {', '.join(blind)} cannot see the inbox at {inbox}: mount it "
                "read-only at that path on every worker, or give its path there with "
                "--worker-inbox"
            )
        return facts.digest(here), sorted(there)

    def _worker_inbox(self) -> str:
        return self.settings.worker_inbox or str(self.inbox.resolve())

    def _worker_path(self, path: str) -> str:
        """The path of an inbox file as the workers see it."""
        if not self.settings.worker_inbox:
            return path
        relative = Path(path).resolve().relative_to(self.inbox.resolve())
        return str(Path(self.settings.worker_inbox, relative))

    # -----------------------------------------------------------------------------------------
    # Running

    def _run(
        self,
        client: Any,
        tasks: Sequence[Task],
        roster: pd.DataFrame,
        options: ReadOptions,
        on_done: Done | None,
    ) -> dict[str, DocResult]:
        from distributed import as_completed

        expected, workers = self._check_workers(client)
        threads = sum(client.nthreads().values()) or 1
        log.info("dask: %d worker(s), %d thread(s): %s", len(workers), threads, ", ".join(workers))
        roster_key = batching.roster_digest(roster)
        context = batching.context_digest(options, roster_key)
        sizes = {t.key: _size(t.path) for t in tasks}
        queue = deque(batching.make_batches(tasks, context, sizes, threads))
        # The roster goes to the workers once, not inside each task. It is a task's result,
        # not scattered data: the scheduler computes it again when the workers holding it die.
        roster_future = client.submit(_given, roster, key=f"cme-roster-{roster_key[:40]}")
        window = max(WINDOW_PER_THREAD * threads, 2)
        in_flight: dict[Any, batching.Batch] = {}
        results: dict[str, DocResult] = {}
        started = time.monotonic()

        def submit(batch: batching.Batch) -> Any:
            items: tuple[Item, ...] = tuple(
                (t.key, self._worker_path(t.path), t.kind, t.sha256) for t in batch.tasks
            )
            future = client.submit(
                read_batch, items, roster_future, roster_key, options, expected, self.reader,
                key=batch.key, pure=False,
            )  # fmt: skip
            in_flight[future] = batch
            return future

        def finish(task: Task, result: DocResult) -> None:
            if task.key in results:  # a re-run batch: the first result stands
                return
            results[task.key] = result
            if on_done:
                on_done(task, result)

        # Files of a failed batch are suspects: each is read alone, with nothing else on the
        # cluster, because a worker's death is blamed on every task the scheduler had given
        # it (a queued innocent file too). Only a file that kills workers when read alone is
        # recorded as the one to blame.
        suspects: deque[batching.Batch] = deque()
        isolated: set[str] = set()
        pending = as_completed()

        def refill() -> None:
            if suspects:
                if not in_flight:
                    suspect = suspects.popleft()
                    isolated.add(suspect.key)
                    pending.add(submit(suspect))
                return
            while queue and len(in_flight) < window:
                pending.add(submit(queue.popleft()))

        try:
            refill()
            while in_flight:
                for future in pending:
                    batch = in_flight.pop(future)
                    again = self._collect(future, batch, context, finish, batch.key in isolated)
                    future.release()
                    suspects.extend(again)
                    refill()
                # A suspect waits until the cluster is idle, which may leave as_completed empty.
                refill()
        except (OSError, TimeoutError) as exc:
            raise self._lost(tasks, results, exc) from exc
        finally:
            for future in in_flight:
                future.release()
            roster_future.release()
        _summary(results, time.monotonic() - started, len(workers))
        return results

    def _collect(
        self, future: Any, batch: batching.Batch, context: str, finish: Done, alone: bool
    ) -> list[batching.Batch]:
        """Hand a finished batch's results on; returns the batches to read again, alone.

        Args:
            future: The batch's future, done.
            batch: The batch it read.
            context: The run's context digest (keys of the batches read again).
            finish: Takes each file's result.
            alone: The batch ran with nothing else on the cluster, so a worker's death
                during it is its own doing.
        """
        try:
            # result() rather than the status: a result held by a worker that died after the
            # task finished is computed again by the scheduler, and result() waits for it.
            got = future.result()
        except CancelledError as exc:
            # Dask cancels every future when the client loses the scheduler.
            raise ClusterError(
                "the Dask scheduler went away during the run (or cancelled its work): the "
                "files read so far are stored; restart the scheduler and rerun to read the rest"
            ) from exc
        except SoftwareMismatch as exc:
            worker, theirs = exc.args
            lines = facts.differences(facts.software_facts(), theirs)
            raise WorkerMismatchError(facts.mismatch_message(worker, lines)) from exc
        except (OSError, TimeoutError):
            raise
        except Exception as error:  # noqa: BLE001 - a reader's failure is the file's, not the run's
            return self._failed(batch, error, context, finish, alone)
        by_key = {t.key: t for t in batch.tasks}
        for key, result in got:
            finish(by_key[key], result)
        return []

    def _failed(
        self, batch: batching.Batch, error: Exception, context: str, finish: Done, alone: bool
    ) -> list[batching.Batch]:
        from distributed import KilledWorker

        if len(batch.tasks) > 1 or (isinstance(error, KilledWorker) and not alone):
            # One file of the batch may be to blame, or a neighbour on the same worker: each
            # is read again on its own, so that only the one to blame fails.
            log.warning("dask: a batch of %d file(s) failed (%s): reading each alone",
                        len(batch.tasks), _describe(error))  # fmt: skip
            return [batching.single(t, context) for t in batch.tasks]
        task = batch.tasks[0]
        if isinstance(error, KilledWorker):
            reason = (
                "the reader's worker died each time it read this file (crashed, killed or out "
                "of memory): it may be damaged; rescan or re-download it and rerun"
            )
        else:
            reason = f"unexpected error while reading ({_describe(error)}); report it with the file"
        log.error("%s: %s", task.key, reason)
        finish(task, DocResult(task.kind, 0, "failed", reason, ()))
        return []

    def _lost(self, tasks: Sequence[Task], results: dict[str, DocResult], exc: Exception) -> Any:
        missing = len(tasks) - len(results)
        return ClusterError(
            f"lost the Dask scheduler ({exc}): {missing} file(s) not read; the files read so "
            "far are stored: restart the cluster and rerun to read the rest"
        )


def _given(value: object) -> object:
    """A task that returns its argument: data the scheduler can recompute after a loss."""
    return value


def _describe(error: BaseException | None) -> str:
    if error is None:
        return "no detail"
    text = str(error).strip().splitlines()
    return f"{type(error).__name__}: {text[0]}" if text else type(error).__name__


def _size(path: str) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return 0


def _warn_if_plain(address: str) -> None:
    host = address.split("://", 1)[-1].rsplit(":", 1)[0].strip("[]")
    if address.startswith("tls://") or host in ("127.0.0.1", "localhost", "::1"):
        return
    log.warning(
        "the Dask scheduler %s is not encrypted: physician names and license numbers travel in "
        "clear, and anyone who reaches its port can run code on the workers; use tls:// "
        "(see docs/scale-out.md)",
        address,
    )


def _summary(results: dict[str, DocResult], seconds: float, workers: int) -> None:
    pages = sum(r.pages for r in results.values())
    rate = pages / seconds if seconds > 0 else 0.0
    log.info(
        "dask: %d file(s), %d page(s) in %.1f s (%.2f pages/s) on %d worker(s)",
        len(results), pages, seconds, rate, workers,
    )  # fmt: skip


def _close(client: Any) -> None:
    with contextlib.suppress(Exception):  # closing a client whose scheduler is gone
        client.close(timeout=5)
