"""Content keys and batching of the cluster's tasks (no cluster needed)."""

from __future__ import annotations

import dataclasses

import pandas as pd

from cme_batch.executors.batches import (
    MAX_BYTES,
    batch_key,
    context_digest,
    make_batches,
    roster_digest,
    single,
)
from cme_batch.extract.document import ReadOptions
from cme_batch.process import Task

ROSTER = pd.DataFrame({"physician_id": ["P1"], "last_name": ["Doe"]})
CONTEXT = context_digest(ReadOptions(), roster_digest(ROSTER))


def _tasks(count: int) -> list[Task]:
    return [Task(f"f{n:03d}.pdf", f"/inbox/f{n:03d}.pdf", "pdf", f"{n:064x}") for n in range(count)]


def test_the_key_follows_content_not_names_or_places() -> None:
    task = _tasks(1)[0]
    moved = dataclasses.replace(task, key="renamed.pdf", path="/elsewhere/renamed.pdf")
    assert batch_key([task], CONTEXT) == batch_key([moved], CONTEXT)
    changed = dataclasses.replace(task, sha256="f" * 64)
    assert batch_key([task], CONTEXT) != batch_key([changed], CONTEXT)


def test_the_key_changes_with_what_a_result_depends_on() -> None:
    task = _tasks(1)[0]
    keys = {
        batch_key([task], CONTEXT),
        batch_key([task], context_digest(ReadOptions(page_timeout=5), roster_digest(ROSTER))),
        batch_key(
            [task], context_digest(ReadOptions(), roster_digest(ROSTER.assign(last_name="Roe")))
        ),
    }
    assert len(keys) == 3


def test_batches_keep_order_and_every_file_once() -> None:
    tasks = _tasks(200)
    batches = make_batches(tasks, CONTEXT, {}, workers=2)
    assert [t for b in batches for t in b.tasks] == tasks
    assert max(len(b.tasks) for b in batches) == 8
    assert len({b.key for b in batches}) == len(batches)


def test_few_files_are_spread_over_the_workers() -> None:
    batches = make_batches(_tasks(32), CONTEXT, {}, workers=2)
    assert len(batches) == 16 and {len(b.tasks) for b in batches} == {2}
    assert all(len(b.tasks) == 1 for b in make_batches(_tasks(16), CONTEXT, {}, workers=2))


def test_images_get_tasks_of_their_own() -> None:
    tasks = _tasks(200)
    tasks[10:13] = [dataclasses.replace(t, kind="png") for t in tasks[10:13]]
    batches = make_batches(tasks, CONTEXT, {}, workers=2)
    assert [t for b in batches for t in b.tasks] == tasks
    alone = [b.tasks for b in batches if any(t.kind == "png" for t in b.tasks)]
    assert alone == [(t,) for t in tasks[10:13]]
    assert max(len(b.tasks) for b in batches) == 8


def test_large_files_get_tasks_of_their_own() -> None:
    tasks = _tasks(6)
    sizes = {t.key: MAX_BYTES // 2 + 1 for t in tasks}
    batches = make_batches(tasks, CONTEXT, sizes, workers=1)
    assert [len(b.tasks) for b in batches] == [1] * 6


def test_a_file_read_alone_has_a_key_of_its_own() -> None:
    task = _tasks(1)[0]
    alone = single(task, CONTEXT).key
    assert alone.startswith("cme-alone-") and alone != batch_key([task], CONTEXT)
    assert alone.removeprefix("cme-alone-") == batch_key([task], CONTEXT).removeprefix("cme-read-")
