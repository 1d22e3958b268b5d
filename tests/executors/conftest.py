"""Real Dask clusters for the executor tests: two single-threaded worker processes each."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from cme_batch.executors.base import Executor
from cme_batch.extract.document import ReadOptions
from cme_batch.inbox import InboxFile, scan_for_run, triage
from cme_batch.incremental import Counts, extract_incremental
from cme_batch.process import DocResult, Task
from cme_batch.roster import load_roster
from cme_batch.state import open_state
from tests.state.certs import write_inbox, write_roster

distributed = pytest.importorskip("distributed")

FILES = 24


@pytest.fixture()
def roster(tmp_path: Path) -> Path:
    return write_roster(tmp_path / "roster.csv")


@pytest.fixture()
def inbox(tmp_path: Path) -> Path:
    folder = tmp_path / "inbox"
    write_inbox(folder, FILES)
    return folder


@pytest.fixture()
def markers(tmp_path: Path) -> Path:
    folder = tmp_path / "markers"
    folder.mkdir()
    return folder


Cluster = Callable[..., Any]


@pytest.fixture()
def local_cluster(markers: Path) -> Iterator[Cluster]:
    """Start a ``LocalCluster`` (2 workers, 1 thread each); closed after the test."""
    import dask

    started: list[Any] = []

    def start(allowed_failures: int = 3, **env: str) -> Any:
        settings = {
            "distributed.scheduler.allowed-failures": allowed_failures,
            # As docs/scale-out.md tells IT to configure its scheduler.
            "distributed.scheduler.worker-saturation": 1.0,
        }
        with dask.config.set(settings):
            cluster = distributed.LocalCluster(
                n_workers=2,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
                env={"CME_TEST_MARKERS": str(markers), **env},
            )
        started.append(cluster)
        return cluster

    yield start
    for cluster in started:
        cluster.close()


@dataclass
class Imported:
    """What an import through an executor left: results, counts and each ``on_done`` call."""

    results: dict[str, DocResult]
    counts: Counts
    done: list[str] = field(default_factory=list)


def readable(inbox: Path, roster: Path) -> list[InboxFile]:
    return [f for f in scan_for_run(inbox, roster, ()) if not triage(f)[0]]


def import_with(
    executor: Executor,
    inbox: Path,
    roster: Path,
    state: Path,
    on_each: Callable[[list[str]], None] | None = None,
) -> Imported:
    """Read ``inbox`` into the state database at ``state`` as a run does (incrementally).

    ``on_each`` is called with the keys handed over so far, after each one is stored.
    """
    files = readable(inbox, roster)
    table = load_roster(roster)
    calls: list[str] = []

    def extract(
        todo: list[InboxFile], store: Callable[[InboxFile, DocResult], None]
    ) -> dict[str, DocResult]:
        by_key = {f.rel_path: f for f in todo}
        tasks = [Task(f.rel_path, str(f.path), f.kind, f.sha256) for f in todo]

        def on_done(task: Task, result: DocResult) -> None:
            calls.append(task.key)
            store(by_key[task.key], result)
            if on_each:
                on_each(calls)

        return executor.run(tasks, table, ReadOptions(), 2, on_done)

    with open_state(state) as db:
        results, counts = extract_incremental(files, table, db, extract)
    return Imported(results, counts, calls)
