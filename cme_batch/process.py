"""Process inbox files end to end (read, OCR, parse) in worker processes that may crash.

One file is the unit of work. Each worker is a separate process with a memory ceiling, so a
native library that crashes, hangs or runs away with memory on a hostile file costs that file
only: the parent sees exactly which file the worker was reading, records it as ``failed``,
starts a fresh worker and goes on with the batch.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import logging
import multiprocessing
import os
import re
import resource
import signal
import sys
import threading
import time
import traceback
from collections import Counter, deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from pathlib import Path

import pandas as pd

from cme_batch.extract.document import ReadOptions, Rereader, read_document
from cme_batch.extract.model import PageText
from cme_batch.fields import lexicon
from cme_batch.fields.parse import parse_pages, rows_missing_amounts
from cme_batch.fields.record import ActivityRecord, PageOutcome
from cme_batch.hashing import file_sha256
from cme_batch.matching import RosterIndex

log = logging.getLogger(__name__)

_ROSTER: RosterIndex | None = None
_OPTIONS = ReadOptions()


@dataclass(frozen=True)
class DocResult:
    """What one file yielded.

    Attributes:
        kind: ``pdf_text``, ``pdf_scanned``, ``pdf_mixed``, ``pdf_blank``, ``image`` (or
            ``pdf`` / ``image`` / ``unknown`` when the file could not be read).
        pages: Pages read.
        status: ``ok``, ``no_certificate`` or ``failed``.
        reason: For a non-ok status, what happened and what to do.
        records: The activities found (kept even when some pages failed, so nothing read is
            lost; the ``failed`` status makes a person look at the rest).
        page_texts: Each page as read, words and text (kept for the state database and
            re-extraction).
    """

    kind: str
    pages: int
    status: str
    reason: str
    records: tuple[ActivityRecord, ...]
    page_texts: tuple[PageText, ...] = ()


@dataclass(frozen=True)
class Task:
    """One file to read: its key in the results (the inbox-relative name) and scan facts.

    Attributes:
        key: The file's name as documents.csv shows it.
        path: The path to open.
        kind: The type sniffed from its bytes.
        sha256: The hash taken when the inbox was scanned ("" to skip the re-check).
    """

    key: str
    path: str
    kind: str
    sha256: str = ""


Worker = Callable[[str, str, str], DocResult]
Done = Callable[[Task, DocResult], None]


def init_worker(roster: pd.DataFrame, options: ReadOptions) -> None:
    """Per-process setup: the roster index and the main process's lexicon, once per worker."""
    global _ROSTER, _OPTIONS  # noqa: PLW0603 - per-process state of a worker
    lexicon.use(options.lexicon)
    _ROSTER = RosterIndex(roster)
    _OPTIONS = options


def process_file(path: str, kind: str, sha256: str = "") -> DocResult:
    """Read and parse one file; any failure becomes a ``failed`` result, never an exception.

    Args:
        path: The file.
        kind: Its sniffed type.
        sha256: The hash taken at scan time. The file is hashed again after reading; a file
            that changed meanwhile (still being copied or synced) was read in an unknown state,
            so its result is replaced by a ``failed`` one asking for a rerun.
    """
    assert _ROSTER is not None, "init_worker must run first"
    return read_file(path, kind, sha256, _ROSTER, _OPTIONS)


def read_file(
    path: str, kind: str, sha256: str, roster: RosterIndex, options: ReadOptions
) -> DocResult:
    """:func:`process_file` with the roster index and options given, not taken from the process.

    A Dask worker runs this: it may serve several runs (several rosters) one after another, so
    nothing a result depends on may come from process-wide state.
    """
    try:
        result = _process(Path(path), kind, roster, options)
    except Exception as exc:  # noqa: BLE001 - one document must never stop the batch
        log.error("%s: unexpected error: %s", path, exc)
        detail = traceback.format_exception_only(type(exc), exc)[-1].strip()
        return DocResult(
            kind,
            0,
            "failed",
            f"unexpected error while reading ({detail}); report it with the file",
            (),
        )
    if sha256:
        changed = _changed_since(Path(path), sha256)
        if changed:
            return DocResult(result.kind, 0, "failed", changed, ())
    return result


def _changed_since(path: Path, sha256: str) -> str:
    """Why the file is no longer the one scanned ("" when it is)."""
    try:
        digest = file_sha256(path)
    except FileNotFoundError:
        return "file disappeared while being read: put it back and rerun"
    except OSError as exc:
        return f"file could not be read again after reading ({exc.strerror}): rerun"
    if digest != sha256:
        return (
            "file changed while being read (still being copied or synced?): "
            "rerun when it is complete"
        )
    return ""


def _process(path: Path, kind: str, roster: RosterIndex, options: ReadOptions) -> DocResult:
    review = functools.partial(_second_opinion, roster=roster, path=path)
    document = read_document(path, kind, options, review=review)
    if document.error:
        return DocResult(document.kind, len(document.pages), "failed", document.error, ())
    outcomes = parse_pages(document.pages, roster)
    records = tuple(r for o in outcomes for r in o.records)
    texts = document.pages
    pages = len(document.pages)
    lost = _unread_parts(document.pages, document.warnings)
    if lost:
        # Part of the file was not read: what was read is kept, but the file is not complete,
        # so it fails (exit code 5) and a person looks at the missing pages.
        if records:
            lost += f"; {len(records)} activity(ies) from the other pages were kept"
        return DocResult(document.kind, pages, "failed", lost, records, texts)
    if records:
        return DocResult(document.kind, pages, "ok", "", records, texts)
    if all(p.origin == "blank" for p in document.pages):
        reason = "every page is blank: check that the right side was scanned"
    else:
        notes = dict.fromkeys(o.note for o in outcomes if o.note and o.note != "blank page")
        reason = "; ".join(notes) or "no certificate found"
    return DocResult(document.kind, pages, "no_certificate", reason, (), texts)


def _read_alike(outcome: PageOutcome) -> Counter[tuple[object, ...]]:
    """The complete records of a reading (date and credits read) as (physician, date, credits)."""
    return Counter(
        (r.physician_id, r.activity_date, r.credits)
        for r in outcome.records
        if r.credits is not None and r.activity_date is not None
    )


def _complete(outcome: PageOutcome) -> int:
    return sum(_read_alike(outcome).values())


def _adds_to(trial: PageOutcome, best: PageOutcome, overrule: bool = False) -> bool:
    """Whether ``trial`` reads more complete records and keeps every one ``best`` read.

    A second reading is trusted to add what the first missed, not to overrule it: sparse
    reading of a table splits "1.34" into "1" and "34", which would replace right amounts
    with wrong ones while seeming to read more rows. Only a reading tesseract is more
    confident in than the first (``overrule``) may change what the first read.
    """
    if _complete(trial) <= _complete(best):
        return False
    return overrule or not (_read_alike(best) - _read_alike(trial))


#: Words of a page about credit: a page that has them but gave no activity is read again.
_ABOUT_CREDIT = re.compile(r"credit|\bCME\b|certif|transcript|AMA\s*PRA|contact\s+hours", re.I)


#: Mean word confidence a second reading needs to be kept. On the evaluation sets the readings
#: that recovered lost columns and tables measured 0.87-0.94; one at 0.76 had turned a garbled
#: column header into a credit amount.
_TRUSTED_REREAD = 0.8


def _short(page: PageText, outcome: PageOutcome) -> bool:
    """Whether an OCR page's reading looks incomplete.

    Incomplete: rows without amounts, records without credits or date, or no activity at all
    on a page that speaks of credit.
    """
    if page.origin != "ocr" or page.timed_out:
        return False
    if rows_missing_amounts(page.text, outcome):
        return True
    if any(r.activity_date is None for r in outcome.records):
        return True
    return not outcome.records and bool(_ABOUT_CREDIT.search(page.text))


def _readings(
    page: PageText, again: Rereader
) -> Iterator[tuple[str, Callable[[], PageText | None]]]:
    """Other readings of a short page, likeliest first, made one at a time while allowed.

    The page as one column of whole lines (``--psm 4``) with its table rules removed keeps a
    table's rows and cells where the default layout analysis dropped a column or a whole
    ruled table; a page turned the way the orientation detector says (or upside down) mends
    a turned page tesseract read with its words reversed; sparse text (``--psm 11``) keeps
    isolated words. A phone photo is first read again as photographed, without its light
    flattened. A page is read whole at most twice (see ``MAX_WHOLE_READS``; a photo three
    times, its two light settings counting as one), so most short pages get the first of
    these only.
    """
    if again.photographed:
        yield "photo as it is", again.as_is
    yield "--psm 4, rules removed", lambda: again.whole(4, unruled=True)
    if page.rotation == 0:
        yield "turned", again.turned
    yield "--psm 11", lambda: again.whole(11)


def _second_opinion(page: PageText, again: Rereader, roster: RosterIndex, path: Path) -> PageText:
    """Read an OCR page again when its reading looks incomplete; keep a better reading.

    Asked by the reader right after a page's first reading, while its prepared image is in
    memory (nothing is rendered twice). Only pages the parser finds short (dated rows with
    no credits, records missing credits, or no activity on a page about credit) pay for
    another reading, and a reading is kept only when it yields more complete records. On the
    evaluation sets this recovered transcript scans whose credits column the default layout
    analysis dropped, tables dropped whole, and upside-down pages.
    """
    outcome = parse_pages((page,), roster)[0]
    if not _short(page, outcome):
        return page
    kept, best = page, outcome
    for how, read in _readings(page, again):
        if again.whole_reads_left <= 0:
            break
        trial_page = read()
        # A poor reading found more only by reading noise as numbers ("52" from a
        # garbled header): new values are trusted from confident readings only.
        if trial_page is None or trial_page.timed_out or trial_page.confidence < _TRUSTED_REREAD:
            continue
        trial = parse_pages((trial_page,), roster)[0]
        if _adds_to(trial, best, overrule=trial_page.confidence > page.confidence):
            log.info("%s: page %d read again (%s): more was read", path, page.number, how)
            kept, best = trial_page, trial
        if best.records and not _short(kept, best):
            break
    return kept


def _unread_parts(pages: Sequence[PageText], warnings: Sequence[str]) -> str:
    """Pages whose text is missing (OCR gave up) and parts of the file not read, grouped."""
    by_warning: dict[str, list[int]] = {}
    for page in pages:
        if page.timed_out:
            for warning in page.warnings or ("OCR gave up",):
                by_warning.setdefault(warning, []).append(page.number)
    parts = [
        f"page{'s' if len(numbers) > 1 else ''} {', '.join(map(str, numbers))}: {warning}"
        for warning, numbers in by_warning.items()
    ]
    return "; ".join([*parts, *warnings])


# ---------------------------------------------------------------------------------------------
# The worker pool


def _limit_memory(megabytes: int) -> None:
    """Cap this process's address space: past it allocations fail instead of the OOM killer.

    A failed allocation becomes ``MemoryError`` in Python (a ``failed`` document) or, in a
    native library that cannot cope, a crash of this worker (also a ``failed`` document).
    The cap is inherited by the tesseract processes the worker starts.
    """
    if megabytes <= 0:
        return
    limit = megabytes << 20
    try:
        _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ValueError, OSError) as exc:  # not permitted here: the timeouts still apply
        log.warning("cannot limit worker memory: %s", exc)


#: ``prctl`` option: the signal the kernel sends this process when its parent thread dies.
_PR_SET_PDEATHSIG = 1


def _end_group(*_args: object) -> None:
    """End this worker and the programs it started (tesseract): its whole process group."""
    if os.getpgrp() == os.getpid():
        os.killpg(os.getpid(), signal.SIGKILL)
    os.kill(os.getpid(), signal.SIGKILL)


def _ask_kernel_for_death_signal(signum: int) -> bool:
    """Linux's ``PR_SET_PDEATHSIG``: ``signum`` when the parent dies; False where unavailable."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return int(libc.prctl(_PR_SET_PDEATHSIG, signum, 0, 0, 0)) == 0
    except (OSError, AttributeError):
        return False


def _watch_parent(parent: int) -> None:
    """Elsewhere than Linux: end the worker once it is orphaned (re-parented)."""
    while os.getppid() == parent:
        time.sleep(1.0)
    _end_group()


def die_with_parent(parent: int) -> None:
    """Make this worker end when the process that started it ends, however that ends.

    A parent stopped by ``kill -9``, the OOM killer or a crash runs no clean-up; its workers
    would read on, holding the inbox files and the state database open. The worker leads its
    own process group so that ending it ends the tesseract it runs too (the parent's
    :meth:`_Slot.stop` kills the group likewise); the kernel sends it SIGTERM when the parent
    dies, and SIGTERM (from the kernel or anyone) ends the group at once.

    Args:
        parent: The parent's pid, as the parent saw it before starting the worker.
    """
    with contextlib.suppress(OSError):
        os.setpgid(0, 0)
    signal.signal(signal.SIGTERM, _end_group)
    if not _ask_kernel_for_death_signal(signal.SIGTERM):
        threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()
    if os.getppid() != parent:  # the parent died before the request was made
        _end_group()


def _worker_main(
    conn: Connection, roster: pd.DataFrame, options: ReadOptions, worker: Worker, parent: int
) -> None:
    """A worker process: read tasks from ``conn`` until told to stop, send back results."""
    # Ctrl-C and kill are the parent's to handle; it stops the workers itself.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    die_with_parent(parent)
    _limit_memory(options.memory_limit_mb)
    init_worker(roster, options)
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        path, kind, sha256 = message
        conn.send(worker(path, kind, sha256))


class _Slot:
    """One worker process, its pipe, and the task it is reading (None when idle)."""

    def __init__(self, roster: pd.DataFrame, options: ReadOptions, worker: Worker) -> None:
        context = multiprocessing.get_context()
        self.conn, child = context.Pipe()
        self.process: BaseProcess = context.Process(
            target=_worker_main,
            args=(child, roster, options, worker, os.getpid()),
            daemon=True,
        )
        self.process.start()
        child.close()
        self.task: Task | None = None
        self.started = 0.0

    def give(self, task: Task) -> None:
        self.task = task
        self.started = time.monotonic()
        self.conn.send((task.path, task.kind, task.sha256))

    def kill(self) -> None:
        """Kill the worker and what it started (its process group, see :func:`die_with_parent`)."""
        pid = self.process.pid
        try:
            # Only a group the worker leads: before its setpgid the group is the parent's.
            if pid is not None and os.getpgid(pid) == pid:
                os.killpg(pid, signal.SIGKILL)
                return
        except OSError:
            pass
        self.process.kill()

    def stop(self, kill: bool = False) -> None:
        if kill:
            self.kill()
        else:
            try:
                self.conn.send(None)
            except OSError:
                self.kill()
        self.process.join(timeout=5)
        if self.process.is_alive():
            self.kill()
            self.process.join()
        self.conn.close()


def _crash_reason(process: BaseProcess) -> str:
    code = process.exitcode
    how = f"exit code {code}"
    if code is not None and code < 0:
        try:
            how = signal.Signals(-code).name
        except ValueError:
            how = f"signal {-code}"
    return (
        f"the reader crashed on this file ({how}): it may be damaged; "
        "rescan or re-download it and rerun"
    )


def run_documents(
    tasks: Sequence[Task],
    roster: pd.DataFrame,
    options: ReadOptions,
    jobs: int,
    on_done: Done | None = None,
    worker: Worker = process_file,
) -> dict[str, DocResult]:
    """Read every task in ``jobs`` worker processes; every task gets a result.

    A worker that dies (segfault, abort, ``os._exit``) or exceeds ``options.document_timeout``
    on a file costs only that file: it gets a ``failed`` result naming what happened, and a
    new worker takes the next file. Even with ``jobs == 1`` files are read in a worker, so a
    crash never takes the run down.

    Args:
        tasks: The files to read.
        roster: The roster, to build each worker's index.
        options: Reading options.
        jobs: Worker processes.
        on_done: Called in the parent after each file, in completion order.
        worker: The function a worker runs per file (a test seam: crashing or hanging fakes).

    Returns:
        Task key to result.
    """
    queue = deque(tasks)
    results: dict[str, DocResult] = {}
    slots: list[_Slot] = []

    def finish(slot: _Slot, result: DocResult) -> None:
        assert slot.task is not None
        task, slot.task = slot.task, None
        results[task.key] = result
        if on_done:
            on_done(task, result)

    try:
        while queue or any(s.task for s in slots):
            while queue and len(slots) < max(jobs, 1):
                slots.append(_Slot(roster, options, worker))
            for slot in slots:
                if slot.task is None and queue:
                    slot.give(queue.popleft())
            busy = [s for s in slots if s.task is not None]
            now = time.monotonic()
            wait_for = max(0.05, min(s.started + options.document_timeout - now for s in busy))
            ready = wait([x for s in busy for x in (s.conn, s.process.sentinel)], timeout=wait_for)
            for slot in busy:
                assert slot.task is not None
                if slot.conn in ready:
                    try:
                        finish(slot, slot.conn.recv())
                        continue
                    except (EOFError, OSError):
                        pass  # the worker died mid-send: handled as a crash below
                if slot.conn in ready or slot.process.sentinel in ready:
                    slot.process.join(timeout=5)
                    log.error(
                        "%s: worker crashed (exit code %s)", slot.task.key, slot.process.exitcode
                    )
                    reason = _crash_reason(slot.process)
                elif time.monotonic() - slot.started > options.document_timeout:
                    log.error(
                        "%s: reading exceeded %g s; worker stopped",
                        slot.task.key,
                        options.document_timeout,
                    )
                    reason = (
                        f"reading took longer than {options.document_timeout:g} s and was "
                        "stopped: split the file or rescan it more cleanly"
                    )
                else:
                    continue
                finish(slot, DocResult(slot.task.kind, 0, "failed", reason, ()))
                slot.stop(kill=True)
                slots.remove(slot)
    finally:
        for slot in slots:
            slot.stop(kill=slot.task is not None)
    return results
