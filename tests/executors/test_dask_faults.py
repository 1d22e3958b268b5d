"""The Dask executor on a real ``LocalCluster`` when things go wrong.

Workers are killed for real (SIGKILL from inside the task, as the OOM killer or a crashing
native library would), tasks raise, and the scheduler process is killed mid-run.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from cme_batch.executors import ClusterError, ExecutorSettings, WorkerMismatchError
from cme_batch.executors import cluster as cluster_module
from cme_batch.executors.cluster import DaskExecutor
from cme_batch.executors.local import LocalExecutor
from cme_batch.executors.remote import Reader
from cme_batch.process import DocResult, read_file
from tests.executors import readers
from tests.executors.conftest import FILES, Cluster, import_with

pytestmark = pytest.mark.slow


def _executor(address: str, inbox: Path, reader: Reader = read_file) -> DaskExecutor:
    return DaskExecutor(ExecutorSettings(kind="dask", scheduler=address), inbox, reader)


def _stored(state: Path, inbox: Path) -> dict[str, tuple[str, int]]:
    """File name to (status, pages stored) for every document in the state database."""
    names = {hashlib.sha256(p.read_bytes()).hexdigest(): p.name for p in inbox.iterdir()}
    with sqlite3.connect(state) as db:
        rows = db.execute(
            "SELECT d.sha256, d.status, (SELECT COUNT(*) FROM pages p WHERE p.sha256 = d.sha256) "
            "FROM documents d"
        ).fetchall()
    return {names[sha]: (status, pages) for sha, status, pages in rows}


def _records(results: dict[str, DocResult]) -> dict[str, tuple[object, ...]]:
    return {k: (r.status, r.pages, r.records) for k, r in sorted(results.items())}


def _reading_with(
    own: bool,
    local_cluster: Cluster,
    reader: Reader,
    inbox: Path,
    allowed_failures: int,
    monkeypatch: pytest.MonkeyPatch,
    markers: Path,
) -> DaskExecutor:
    """An executor whose cluster is either the one it starts itself (``own``: forked workers,
    as ``--executor dask`` runs) or a separate ``LocalCluster`` (spawned workers, like
    ``dask worker`` processes)."""
    if own:
        monkeypatch.setenv("CME_TEST_MARKERS", str(markers))  # forked workers inherit it
        settings = ExecutorSettings(kind="dask", allowed_failures=allowed_failures)
        return DaskExecutor(settings, inbox, reader)
    cluster = local_cluster(allowed_failures=allowed_failures)
    return _executor(cluster.scheduler_address, inbox, reader)


@pytest.mark.parametrize("own", [False, True], ids=["spawned-cluster", "own-cluster"])
def test_worker_killed_mid_batch_costs_a_rerun_and_each_file_once(
    own: bool,
    local_cluster: Cluster,
    inbox: Path,
    roster: Path,
    markers: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    executor = _reading_with(own, local_cluster, readers.kill_once, inbox, 3, monkeypatch, markers)
    got = import_with(executor, inbox, roster, tmp_path / "state.sqlite")
    # The worker really died once, and its batch ran again: at least once...
    assert (markers / f"{readers.KILL_ONCE}.killed").exists()
    assert readers.attempts(markers, readers.KILL_ONCE) == 2
    # ...but every file's result was handed over, and stored, exactly once.
    assert Counter(got.done) == Counter(f"cert-{n:04d}.pdf" for n in range(FILES))
    assert all(r.status == "ok" for r in got.results.values())
    # The same records as this machine's own pool reads.
    local = import_with(LocalExecutor(), inbox, roster, tmp_path / "local.sqlite")
    assert _records(got.results) == _records(local.results)
    stored = _stored(tmp_path / "state.sqlite", inbox)
    assert len(stored) == FILES and set(stored.values()) == {("ok", 1)}


@pytest.mark.parametrize("own", [False, True], ids=["spawned-cluster", "own-cluster"])
def test_a_file_that_keeps_killing_workers_fails_alone(
    own: bool,
    local_cluster: Cluster,
    inbox: Path,
    roster: Path,
    markers: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    executor = _reading_with(own, local_cluster, readers.poison, inbox, 1, monkeypatch, markers)
    got = import_with(executor, inbox, roster, tmp_path / "state.sqlite")
    poisoned = got.results.pop(readers.POISON)
    assert poisoned.status == "failed"
    assert "worker died each time it read this file" in poisoned.reason
    assert len(got.results) == FILES - 1
    assert all(r.status == "ok" and r.records for r in got.results.values())
    # Its batch was read again file by file: its neighbours were read more than once.
    assert readers.attempts(markers, readers.POISON) >= 2
    stored = _stored(tmp_path / "state.sqlite", inbox)
    assert stored.pop(readers.POISON)[0] == "failed"
    assert set(stored.values()) == {("ok", 1)}


def test_a_task_that_raises_fails_its_file_only(
    local_cluster: Cluster, inbox: Path, roster: Path, tmp_path: Path
) -> None:
    cluster = local_cluster()
    got = import_with(
        _executor(cluster.scheduler_address, inbox, readers.raises),
        inbox, roster, tmp_path / "state.sqlite",
    )  # fmt: skip
    failed = got.results.pop(readers.RAISES)
    assert failed.status == "failed"
    assert "RuntimeError: reader bug on purpose" in failed.reason
    assert all(r.status == "ok" for r in got.results.values()) and len(got.results) == FILES - 1


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _dask(*args: str, env: dict[str, str]) -> subprocess.Popen[bytes]:
    """``dask scheduler`` or ``dask worker`` as its own process, as IT would start them."""
    return subprocess.Popen(
        [sys.executable, "-m", "dask", *args],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
    )  # fmt: skip


def test_scheduler_gone_stops_the_run_and_a_restart_reads_only_the_rest(
    local_cluster: Cluster, inbox: Path, roster: Path, markers: Path, tmp_path: Path
) -> None:
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    env = {**os.environ, "CME_TEST_MARKERS": str(markers)}
    scheduler = _dask("scheduler", "--host", "127.0.0.1", "--port", str(port),
                      "--no-dashboard", env=env)  # fmt: skip
    worker = _dask("worker", address, "--nworkers", "2", "--nthreads", "1", "--no-dashboard",
                   "--host", "127.0.0.1", env=env)  # fmt: skip
    state = tmp_path / "state.sqlite"

    killed: list[float] = []
    before_kill: list[str] = []

    def kill_scheduler_after_three(done: list[str]) -> None:
        if len(done) == 3:
            scheduler.kill()
            killed.append(time.monotonic())
            before_kill.extend(done)

    try:
        with pytest.raises(ClusterError, match="scheduler"):
            executor = _executor(address, inbox, readers.slow_late)
            import_with(executor, inbox, roster, state, kill_scheduler_after_three)
        # Noticed at once, not after the slow tasks still to run (30 s each). Timed from the
        # kill: which files the workers take first is Dask's choice, so the third may be slow.
        assert killed and time.monotonic() - killed[0] < 20
    finally:
        for process in (worker, scheduler):
            process.kill()
            process.wait()
    first = _stored(state, inbox)
    # What was handed over before the kill is stored; the run stopped long before the end
    # (each worker was in the middle of a slow file, at most one more each could land).
    assert set(before_kill) <= set(first) and 3 <= len(first) <= 3 + 2
    # The import is restarted on a new cluster: only what is missing is read.
    cluster = local_cluster()
    got = import_with(_executor(cluster.scheduler_address, inbox), inbox, roster, state)
    assert got.counts.reused == len(first)
    assert got.counts.read == FILES - len(first)
    assert len(_stored(state, inbox)) == FILES
    assert all(r.status == "ok" for r in got.results.values())


@pytest.mark.tesseract  # the run facts ask the tesseract program itself
def test_a_worker_with_other_traineddata_is_refused_by_name(
    local_cluster: Cluster, inbox: Path, roster: Path, tmp_path: Path
) -> None:
    from cme_batch.executors import facts

    listing = subprocess.run(
        ["tesseract", "--list-langs"], capture_output=True, text=True, check=True
    ).stdout
    tessdata = Path(listing.split('"')[1])
    other = tmp_path / "tessdata"
    other.mkdir()
    for lang in facts.TRAINEDDATA:
        (other / f"{lang}.traineddata").write_bytes(
            (tessdata / f"{lang}.traineddata").read_bytes() + (b"\0" if lang == "eng" else b"")
        )
    cluster = local_cluster(TESSDATA_PREFIX=str(other))
    with pytest.raises(WorkerMismatchError) as caught:
        import_with(
            _executor(cluster.scheduler_address, inbox), inbox, roster, tmp_path / "s.sqlite"
        )
    message = str(caught.value)
    assert "tcp://127.0.0.1:" in message and "eng.traineddata" in message
    assert "osd.traineddata" not in message  # only the difference is named
    assert not (tmp_path / "s.sqlite").exists() or not _stored(tmp_path / "s.sqlite", inbox)


def test_workers_that_cannot_see_the_inbox_are_refused(
    local_cluster: Cluster, inbox: Path, roster: Path, tmp_path: Path
) -> None:
    cluster = local_cluster()
    settings = ExecutorSettings(
        kind="dask", scheduler=cluster.scheduler_address, worker_inbox=str(tmp_path / "nowhere")
    )
    with pytest.raises(WorkerMismatchError, match="cannot see the inbox"):
        import_with(DaskExecutor(settings, inbox), inbox, roster, tmp_path / "s.sqlite")


def test_no_scheduler_at_the_address_is_a_clear_error(
    inbox: Path, roster: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cluster_module, "CONNECT_TIMEOUT", 2.0)
    address = f"tcp://127.0.0.1:{_free_port()}"
    with pytest.raises(ClusterError, match="cannot connect to the Dask scheduler"):
        import_with(_executor(address, inbox), inbox, roster, tmp_path / "s.sqlite")
