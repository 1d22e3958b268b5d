"""The cluster's unit of work: a few files, keyed by their content.

A batch's key is a digest of what its result depends on (each file's SHA-256 and type, the
extraction version, the reading options and the roster), never of when or where it runs. Dask
runs a task again when a worker dies, even one that had finished; with content keys a second
run computes the same result under the same key, so it is harmless, and the coordinator merges
results by file, never by completion order.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from cme_batch.extract.document import ReadOptions
from cme_batch.process import Task
from cme_batch.state import EXTRACTION_VERSION

#: Most files in one task: small files share a task so that the per-task cost (a few
#: milliseconds of scheduling and transfer) stays small against reading them.
MAX_FILES = 8
#: Most bytes in one task (one file larger than this is a task of its own).
MAX_BYTES = 4 << 20
#: Tasks per worker the batching aims for at least, so that the last tasks do not leave
#: workers idle while one works through a long batch (with 4, a 24-page run on two workers
#: ended with one worker reading a batch of three pages alone).
TASKS_PER_WORKER = 8


@dataclass(frozen=True)
class Batch:
    """Files read by one task, and the task's content key."""

    key: str
    tasks: tuple[Task, ...]


def roster_digest(roster: pd.DataFrame) -> str:
    """A digest of the roster's content (records depend on it through name matching)."""
    return hashlib.sha256(roster.to_csv(index=False).encode("utf-8")).hexdigest()


def context_digest(options: ReadOptions, roster: str) -> str:
    """A digest of everything besides the files a result depends on."""
    text = f"{EXTRACTION_VERSION}\n{options!r}\n{roster}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def batch_key(tasks: Sequence[Task], context: str) -> str:
    """The content key of a task reading ``tasks`` in ``context`` (see :func:`context_digest`)."""
    digest = hashlib.sha256(context.encode("utf-8"))
    for task in tasks:
        # A file without a scan-time hash is keyed by its path: it is read, but two runs of it
        # are not known to be the same content.
        digest.update(f"\n{task.sha256 or 'path:' + task.path}\0{task.kind}".encode())
    return f"cme-read-{digest.hexdigest()[:40]}"


def make_batches(
    tasks: Sequence[Task],
    context: str,
    sizes: Mapping[str, int],
    workers: int,
    max_files: int = MAX_FILES,
    max_bytes: int = MAX_BYTES,
) -> list[Batch]:
    """Group ``tasks`` (in their order) into batches of at most ``max_files`` and ``max_bytes``.

    An image, or a file larger than ``max_bytes``, is a batch of its own.

    Args:
        tasks: The files to read.
        context: :func:`context_digest` of the run.
        sizes: Bytes of each file by task key (a missing size counts as 0).
        workers: Worker threads of the cluster: batches get smaller so that each has several.
        max_files: Most files in a batch.
        max_bytes: Most bytes in a batch.
    """
    per_batch = max(1, min(max_files, math.ceil(len(tasks) / (TASKS_PER_WORKER * workers))))
    batches: list[Batch] = []
    current: list[Task] = []
    size = 0
    for task in tasks:
        grows = sizes.get(task.key, 0)
        if task.kind != "pdf":
            # An image is OCR, a second or more a page against Dask's few milliseconds a task:
            # batching it saves nothing and only makes the last task longer.
            grows = max(grows, max_bytes + 1)
        if current and (len(current) >= per_batch or size + grows > max_bytes):
            batches.append(Batch(batch_key(current, context), tuple(current)))
            current, size = [], 0
        current.append(task)
        size += grows
    if current:
        batches.append(Batch(batch_key(current, context), tuple(current)))
    return batches


def single(task: Task, context: str) -> Batch:
    """A batch of one file, read alone (a failed batch is read again file by file).

    Its key differs from that of an ordinary batch of the same file: a failed key may still be
    known to the scheduler when the file is submitted again, and Dask would hand back the
    failure instead of reading it.
    """
    return Batch(batch_key((task,), context).replace("cme-read-", "cme-alone-", 1), (task,))
