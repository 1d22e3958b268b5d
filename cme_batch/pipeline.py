"""Sequence the stages of one run: inbox, extraction, activity table, rules, outputs."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import hashlib
import json
import logging
import os
import platform
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from cme_batch import __version__, fastpath, guard, lastrun
from cme_batch import corrections as corr
from cme_batch.activities import build_table, mark_duplicates, record_rows
from cme_batch.attention import Attention, NoticeCounts
from cme_batch.attention import exit_code as final_exit_code
from cme_batch.errors import ExitCode, InputTableError, OutputError, Terminated
from cme_batch.executors import ExecutorSettings, make_executor
from cme_batch.extract import ocr
from cme_batch.extract.document import ReadOptions
from cme_batch.fields import lexicon, policy
from cme_batch.inbox import InboxFile, original_first, scan_for_run, triage
from cme_batch.incremental import Counts, extract_incremental
from cme_batch.ledger import LedgerWarning, load_ledger
from cme_batch.lock import hold
from cme_batch.matching import RosterIndex
from cme_batch.output import atomic_path, write_csv
from cme_batch.process import DocResult, Task
from cme_batch.roster import load_roster
from cme_batch.rules import Evaluation, RuleSet, RuleSettings, evaluate, load_rulesets
from cme_batch.runlog import run_log
from cme_batch.state import (
    CORRECTIONS_FORM,
    META_FORM_SHA256,
    META_OUTPUTS,
    META_OUTPUTS_FINGERPRINT,
    META_ROSTER_IDS,
    StateDB,
    StoredCorrection,
    open_state,
)

if TYPE_CHECKING:
    from cme_batch.report.model import ReportModel

from cme_batch.schema import (
    ACTIVITY_COLUMNS,
    CERTIFICATE_COLUMNS,
    COMPLIANCE_COLUMNS,
    DOCUMENT_COLUMNS,
    PHYSICIAN_COLUMNS,
)

log = logging.getLogger(__name__)

Progress = Callable[[int, int, str], None]
OnResult = Callable[[InboxFile, DocResult], None]
#: Work done with the finished run while its lock and state are still held (renewal notices);
#: returns what of it needs a person.
AfterRun = Callable[["RunResult", StateDB], NoticeCounts | None]
#: Called once the run is recorded as finished, still under its lock, with its id: stores the
#: run key of ``cme_batch.fastpath``.
Remember = Callable[["RunResult", StateDB, int], None]


@dataclass(frozen=True)
class RunOptions:
    """Everything one run needs, from the command line."""

    inbox: Path
    roster: Path
    out: Path
    ledgers: tuple[Path, ...] = ()
    as_of: dt.date = field(default_factory=dt.date.today)
    jobs: int = max(os.cpu_count() or 1, 1)
    page_timeout: float = ocr.DEFAULT_PAGE_TIMEOUT
    settings: RuleSettings = field(default_factory=RuleSettings)
    #: State database for incremental runs (``None``: read every file, remember nothing).
    state: Path | None = None
    #: A corrections form (CSV, or a workbook's "Needs review" sheet) to store before the run.
    corrections: Path | None = None
    #: Go on when the inbox is empty or lost most of its files (``--accept-inbox-shrink``).
    accept_inbox_shrink: bool = False
    #: Where files are read: the local worker pool (default) or a Dask cluster.
    executor: ExecutorSettings = field(default_factory=ExecutorSettings)
    #: An office's lexicon files, added to the built-in cue vocabulary (``fields.lexicon``).
    lexicon: tuple[Path, ...] = ()


@dataclass(frozen=True)
class Inputs:
    """The validated run-level inputs: roster, ledger rows and rule sets."""

    roster: pd.DataFrame
    ledger_rows: pd.DataFrame
    #: Warnings about ledger rows, printed by the run once people's decisions are applied.
    ledger_warnings: tuple[LedgerWarning, ...]
    rulesets: tuple[RuleSet, ...]


@dataclass(frozen=True)
class RunResult:
    """Outcome of a run: the tables, the evaluation and the exit code."""

    exit_code: ExitCode
    documents: pd.DataFrame
    activities: pd.DataFrame
    evaluation: Evaluation
    inputs: Inputs
    started_at: dt.datetime
    finished_at: dt.datetime
    warnings: tuple[str, ...] = ()
    #: How readable files were obtained (read, reused from the state, re-parsed); with a state.
    counts: Counts | None = None
    #: Files that were in the inbox at the previous run and are gone now; with a state.
    removed: int = 0
    #: The corrections form (``corrections.csv``); with a state.
    corrections_form: pd.DataFrame | None = None
    #: :func:`cme_batch.fastpath.inbox_digest` of the files this run listed; with a state.
    inbox_digest: str = ""
    #: Digest of the stored corrections as this run read them; with a state.
    corrections_digest: str = ""
    #: What the run leaves for a person (set once the run, notices included, is done).
    attention: Attention = field(default_factory=Attention)

    @property
    def failed(self) -> int:
        """Number of documents that failed."""
        return int((self.documents["status"] == "failed").sum()) if not self.documents.empty else 0


def load_inputs(options: RunOptions) -> Inputs:
    """Load and validate the lexicon, roster, ledgers and rule sets (run-level errors stop here).

    The lexicon is put in force in this process first: a bad lexicon file stops the run
    (:class:`~cme_batch.fields.lexicon.LexiconError`, exit code 7) before anything is read.
    """
    lexicon.configure(options.lexicon)
    roster = load_roster(options.roster)
    index = RosterIndex(roster)
    frames: list[pd.DataFrame] = []
    warnings: list[LedgerWarning] = []
    seen: dict[tuple[str, ...], tuple[str, str]] = {}
    for path in options.ledgers:
        rows, ledger_warnings = load_ledger(path, roster, index, seen)
        frames.append(rows)
        warnings.extend(ledger_warnings)
    ledger_rows = (
        pd.concat(frames, ignore_index=True)
        if frames
        else pd.DataFrame(columns=list(ACTIVITY_COLUMNS))
    )
    return Inputs(roster, ledger_rows, tuple(warnings), tuple(load_rulesets()))


def _document_row(
    file: InboxFile, result: DocResult | None, status: str = "", reason: str = ""
) -> dict[str, object]:
    if result is None:
        return {
            "source_file": file.rel_path,
            "sha256": file.sha256,
            "kind": file.kind,
            "pages": 0,
            "status": status,
            "reason": reason,
        }
    return {
        "source_file": file.rel_path,
        "sha256": file.sha256,
        "kind": result.kind,
        "pages": result.pages,
        "status": result.status,
        "reason": result.reason,
    }


def extract_documents(
    files: list[InboxFile],
    roster: pd.DataFrame,
    options: RunOptions,
    progress: Progress | None = None,
    on_result: OnResult | None = None,
) -> dict[str, DocResult]:
    """Read every readable file with the run's executor (see ``cme_batch.executors``).

    By default that is ``options.jobs`` local worker processes (see ``process``); with
    ``--executor dask``, a Dask cluster. ``on_result`` is called in this process as each file
    finishes (the state database stores it there and then, so this process is its only
    writer). A worker that crashes or hangs on a hostile file costs only that file.
    """
    # The workers read with the lexicon in force here, whatever starts them.
    read_options = ReadOptions(
        page_timeout=options.page_timeout, lexicon=lexicon.current().extensions
    )
    by_key = {f.rel_path: f for f in files}
    tasks = [Task(f.rel_path, str(f.path), f.kind, f.sha256) for f in files]
    done = 0

    def finished(task: Task, result: DocResult) -> None:
        nonlocal done
        if on_result:
            on_result(by_key[task.key], result)
        done += 1
        if progress:
            progress(done, len(tasks), task.key)

    executor = make_executor(options.executor, options.inbox)
    return executor.run(tasks, roster, read_options, options.jobs, finished)


def run_batch(
    options: RunOptions,
    inputs: Inputs,
    progress: Progress | None = None,
    state: StateDB | None = None,
    entries: tuple[corr.Entry, ...] = (),
    form_problems: tuple[str, ...] = (),
) -> RunResult:
    """Run extraction and the rules; returns the tables without writing reports.

    With a ``state``, only new or changed files are read (each stored as it finishes), the
    inbox's files are recorded, ``entries`` (a corrections form) are stored, and every stored
    correction is applied before duplicates and rules.

    Raises:
        InputTableError: The corrections form has problems (``form_problems``, found before
            reading, or record ids that name no record): all of them, once the inbox is read
            and stored, before any decision is stored or report written.
    """
    started = dt.datetime.now().astimezone()
    files = scan_for_run(options.inbox, options.roster, options.ledgers)
    # Before anything is read or recorded: an unmounted share must change nothing, so that the
    # next night compares with the same known files.
    known = state.present_files() if state is not None else {}
    guard.check_inbox(options.inbox, guard.compare(files, known), options.accept_inbox_shrink)
    doc_rows: list[dict[str, object]] = []
    first_by_hash: dict[str, str] = {}
    to_read: list[InboxFile] = []
    pending: list[tuple[InboxFile, str, str]] = []
    # Byte-identical files: the original is read and its copies are its duplicates.
    for file in sorted(files, key=original_first):
        status, reason = triage(file)
        if status:
            pending.append((file, status, reason))
        elif file.sha256 in first_by_hash:
            pending.append((file, "duplicate", f"same file as {first_by_hash[file.sha256]}"))
        else:
            first_by_hash[file.sha256] = file.rel_path
            to_read.append(file)
    to_read.sort(key=lambda f: f.rel_path)
    counts: Counts | None = None
    removed = 0
    if state is None:
        results = extract_documents(to_read, inputs.roster, options, progress)
    else:
        results, counts = extract_incremental(
            to_read,
            inputs.roster,
            state,
            lambda todo, store: extract_documents(todo, inputs.roster, options, progress, store),
        )
        removed = state.mark_files({f.rel_path: (f.sha256, f.size) for f in files if f.sha256})
    rows: list[dict[str, object]] = []
    for file in files:
        if file.rel_path in results:
            result = results[file.rel_path]
            doc_rows.append(_document_row(file, result))
            records = policy.checked_for_run(result.records, options.as_of)
            rows.extend(record_rows(file.rel_path, records))
    for file, status, reason in pending:
        doc_rows.append(_document_row(file, None, status, reason))
    documents = pd.DataFrame(doc_rows, columns=list(DOCUMENT_COLUMNS)).sort_values(
        "source_file", kind="stable"
    )
    table = build_table(rows)
    ledger_rows = inputs.ledger_rows
    warnings: list[str] = []
    form: pd.DataFrame | None = None
    corrections_digest = ""
    if state is not None:
        sha_of_source = {f.rel_path: f.sha256 for f in files if f.rel_path in results}
        stored, corrections_digest = _store_corrections(
            state, entries, ledger_rows, options, form_problems
        )
        table, used = corr.apply_corrections(table, stored, sha_of_source)
        ledger_rows, used_ledger = corr.apply_corrections(ledger_rows, stored, sha_of_source)
        ledger_sources = {f"ledger:{p.name}" for p in options.ledgers}
        orphans = corr.unmatched_ledger_decisions(stored, used_ledger, ledger_sources)
        form = corr.form_frame(
            pd.concat([table, ledger_rows], ignore_index=True), stored, sha_of_source, orphans
        )
        warnings += corr.warn_unmatched(
            stored, used | used_ledger, sha_of_source.values(), ledger_sources
        )
    warnings = [*_ledger_warnings(inputs.ledger_warnings, ledger_rows), *warnings]
    table = _mark_duplicates_of_counted(table)
    documents = _documents_all_duplicate(documents, table)
    if not ledger_rows.empty:
        table = pd.concat([table, ledger_rows], ignore_index=True)
    evaluation = evaluate(
        table, inputs.roster, options.as_of, options.settings, rulesets=inputs.rulesets
    )
    failed = int((documents["status"] == "failed").sum())
    outcome = RunResult(
        exit_code=ExitCode.DOCUMENTS_FAILED if failed else ExitCode.OK,
        documents=documents.reset_index(drop=True),
        activities=table.reset_index(drop=True),
        evaluation=evaluation,
        inputs=inputs,
        started_at=started,
        finished_at=dt.datetime.now().astimezone(),
        warnings=tuple(warnings),
        counts=counts,
        removed=removed,
        corrections_form=form,
        inbox_digest=fastpath.inbox_digest(files) if state is not None else "",
        corrections_digest=corrections_digest,
    )
    return with_attention(outcome, None)


def _ledger_warnings(warnings: tuple[LedgerWarning, ...], ledger_rows: pd.DataFrame) -> list[str]:
    """Log the ledger's warnings that still hold once people's decisions are applied.

    A row for a physician the roster could not name ("could be P001 or P005") is settled by a
    decision that gives it a physician or excludes it: from then on it is no longer warned
    about every run (the decision itself is listed by ``review list`` and ``corrections.csv``).

    Returns:
        The warnings that still hold, as logged.
    """
    settled: set[str] = set()
    if not ledger_rows.empty:
        decided = ledger_rows[ledger_rows["corrected_fields"].astype(str) != ""]
        for row in decided.to_dict("records"):
            if str(row["physician_id"] or "") or str(row["exclude_reason"] or ""):
                settled.add(str(row["record_id"]))
    held: list[str] = []
    for warning in warnings:
        if warning.record_id and warning.record_id in settled:
            log.info("%s: settled by a decision on %s", warning.text, warning.record_id)
            continue
        log.warning("%s", warning.text)
        held.append(warning.text)
    return held


def _store_corrections(
    state: StateDB,
    entries: tuple[corr.Entry, ...],
    ledger_rows: pd.DataFrame,
    options: RunOptions,
    form_problems: tuple[str, ...] = (),
) -> tuple[dict[tuple[str, str], StoredCorrection], str]:
    """Store a corrections form's decisions (after extraction, so new files resolve too).

    Nothing is stored when any row of the form has a problem (all are raised together).

    Returns:
        Every stored correction, and the digest of the corrections table taken just before
        they were read (see :class:`RunResult`).
    """
    if entries or form_problems:
        source = str(options.corrections or "corrections")
        ledger_ids = ledger_rows["record_id"].astype(str) if not ledger_rows.empty else ()
        added = 0
        for correction in corr.resolve(entries, state, ledger_ids, source, form_problems):
            earlier = state.corrections().get((correction.sha256, correction.record_key))
            merged, said = corr.merge(earlier, correction)
            for line in said:
                log.warning("%s: %s %s", source, correction.record_id, line)
            added += state.add_correction(merged)
        log.info("%s: %d decision(s), %d new or changed", source, len(entries), added)
    # Before reading, not after: a decision recorded by `cme-batch review` in between is then
    # missing from the digest too, so the next run's key differs and that run applies it.
    digest = state.corrections_digest()
    return state.corrections(), digest


def _mark_duplicates_of_counted(table: pd.DataFrame) -> pd.DataFrame:
    """Mark duplicates among the rows not already excluded.

    A record a person marked not CME must neither be kept as the original of a duplicate nor
    have its reason replaced by "duplicate of".
    """
    if table.empty:
        return mark_duplicates(table)
    excluded = table["exclude_reason"].astype(str) != ""
    if not excluded.any():
        return mark_duplicates(table)
    merged = pd.concat([mark_duplicates(table[~excluded]), table[excluded]])
    return merged.sort_values(["source_file", "record_id"], kind="stable").reset_index(drop=True)


def _documents_all_duplicate(documents: pd.DataFrame, table: pd.DataFrame) -> pd.DataFrame:
    """A document whose every activity duplicates another file's is itself a duplicate."""
    if table.empty:
        return documents
    documents = documents.copy()
    # One pass over the table and one over the documents: a per-source mask over the documents
    # made this quadratic, seconds for an inbox of a thousand files.
    reasons_by_source: dict[str, list[str]] = {}
    for source, reason in zip(
        table["source_file"], table["exclude_reason"].astype(str), strict=True
    ):
        reasons_by_source.setdefault(str(source), []).append(reason)
    updates: dict[str, str] = {}
    for source, reasons in reasons_by_source.items():
        if reasons and all(r.startswith("duplicate of ") for r in reasons):
            others = sorted({r.removeprefix("duplicate of ").split("#")[0] for r in reasons})
            updates[source] = f"same certificate as {', '.join(others)} (counted once)"
    if updates:
        mask = documents["source_file"].isin(list(updates))
        documents.loc[mask, "status"] = "duplicate"
        documents.loc[mask, "reason"] = documents.loc[mask, "source_file"].map(updates)
    return documents


_TEXT_COLUMNS = (
    "source_file", "physician_name", "activity_title", "provider", "credit_type", "review_reason",
    "reason", "missing", "counted",
)  # fmt: skip


def write_outputs(
    result: RunResult, options: RunOptions, state: StateDB | None = None
) -> list[Path]:
    """Write the four CSVs and both reports into the output folder; returns the paths.

    Every file is written under a temporary name and renamed into place, so a run killed while
    writing leaves the previous reports whole. With a ``state``, ``corrections.csv`` (the
    corrections form) is written too, unless the office has edited it since (see
    :func:`_write_form`).
    """
    from cme_batch.report.excel import write_workbook
    from cme_batch.report.html import write_html

    out = options.out
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create the output folder {out}: {exc.strerror}") from exc
    fingerprint = _fingerprint(result, options) if state is not None else ""
    if state is not None and _outputs_current(state, out, fingerprint):
        log.info("nothing changed since the last run: the reports in %s are up to date", out)
        return []
    evaluation = result.evaluation
    # Rows excluded as duplicates stay in the workbook's Activities sheet with the reason, but
    # certificates.csv lists each activity once so that scripts summing it never double count;
    # for the same reason it leaves out what a person marked as not CME.
    reasons = result.activities["exclude_reason"].astype(str)
    certificates = result.activities[
        ~(
            reasons.str.startswith("duplicate of")
            | (reasons == corr.NOT_CME_REASON)
            | reasons.str.startswith(corr.NOT_OURS_REASON)
        )
    ]
    paths = {
        "certificates.csv": (certificates, CERTIFICATE_COLUMNS),
        "documents.csv": (result.documents, DOCUMENT_COLUMNS),
        "compliance.csv": (evaluation.compliance, COMPLIANCE_COLUMNS),
        "physicians.csv": (evaluation.physicians, PHYSICIAN_COLUMNS),
    }
    written = []
    for name, (frame, columns) in paths.items():
        write_csv(out / name, frame, columns, _TEXT_COLUMNS)
        written.append(out / name)
    if result.corrections_form is not None and state is not None:
        written += _write_form(result.corrections_form, options, state)
    model = build_model(result, options)
    for name, writer in (("report.xlsx", write_workbook), ("report.html", write_html)):
        try:
            with atomic_path(out / name) as tmp:
                writer(model, tmp)
        except OSError as exc:
            raise OutputError(f"cannot write {out / name}: {exc.strerror}") from exc
        written.append(out / name)
    if state is not None:
        _remember_outputs(state, written, fingerprint)
    log.info("wrote %s in %s", ", ".join(p.name for p in written), out)
    return written


def _fingerprint(result: RunResult, options: RunOptions) -> str:
    """A digest of everything the reports show, bar the run's own times.

    Equal digests mean a run would write the same CSVs, and reports that differ only in the
    Run sheet's start and finish times.
    """
    digest = hashlib.sha256()
    evaluation = result.evaluation
    frames = [result.documents, result.activities, evaluation.compliance, evaluation.physicians]
    frames += [evaluation.activity_status]
    if result.corrections_form is not None:
        frames.append(result.corrections_form)
    for frame in frames:
        digest.update(frame.to_csv(index=False).encode("utf-8"))
    context = (
        str(options.inbox), str(options.roster), [str(p) for p in options.ledgers],
        options.as_of.isoformat(), _stable(options.settings), int(result.exit_code),
        list(result.warnings), versions(),
    )  # fmt: skip
    digest.update(repr(context).encode("utf-8"))
    return digest.hexdigest()


def _stable(value: object) -> str:
    """A text form of rule settings that is the same in every process (sets sorted).

    ``repr`` of a frozenset follows string hashing, which Python salts per process.
    """

    def plain(item: object) -> object:
        if isinstance(item, set | frozenset):
            return sorted(map(str, item))
        return str(item)

    fields = dataclasses.asdict(value) if dataclasses.is_dataclass(value) else value  # type: ignore[arg-type]
    return json.dumps(fields, sort_keys=True, default=plain)


def _outputs_current(state: StateDB, out: Path, fingerprint: str) -> bool:
    """Whether the last run wrote this very content and every file it wrote is still as written."""
    if state.get_meta(META_OUTPUTS_FINGERPRINT) != fingerprint:
        return False
    recorded = json.loads(state.get_meta(META_OUTPUTS) or "{}")
    if not recorded:
        return False
    return all((out / n).is_file() and _digest(out / n) == sha for n, sha in recorded.items())


def _remember_outputs(state: StateDB, written: list[Path], fingerprint: str) -> None:
    state.set_meta(META_OUTPUTS, json.dumps({p.name: _digest(p) for p in written}, sort_keys=True))
    state.set_meta(META_OUTPUTS_FINGERPRINT, fingerprint)


def _write_form(form: pd.DataFrame, options: RunOptions, state: StateDB) -> list[Path]:
    """Write ``corrections.csv`` unless it holds edits no run has read yet.

    The office edits this file; overwriting it before its decisions were read with
    ``--corrections`` would lose their work, so it is only replaced when it is what the last
    run wrote or was read by this run.
    """
    path = options.out / CORRECTIONS_FORM
    if form_unread(options, state):
        log.warning(
            "%s has decisions no run has read yet: it was left as it is; run with --corrections %s",
            path, path,
        )  # fmt: skip
        return []
    columns = [*corr.FORM_COLUMNS, *corr.CONTEXT_COLUMNS]
    write_csv(path, form, columns, [*columns], for_excel=True)
    state.set_meta(META_FORM_SHA256, _digest(path))
    return [path]


def form_unread(options: RunOptions, state: StateDB) -> bool:
    """Whether ``OUT/corrections.csv`` was edited since the last run wrote it and not read now."""
    path = options.out / CORRECTIONS_FORM
    read_now = options.corrections is not None and options.corrections.resolve() == path.resolve()
    return path.exists() and not read_now and _digest(path) != state.get_meta(META_FORM_SHA256)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run_with_state(
    options: RunOptions,
    inputs: Inputs,
    progress: Progress | None = None,
    *,
    write: bool = True,
    after: AfterRun | None = None,
    remember: Remember | None = None,
) -> tuple[RunResult, list[Path]]:
    """An incremental run: lock the state, read what is new, apply corrections, write outputs.

    The run is recorded in the state database (``runs``); a run that is killed stays
    ``running`` there, and the next run resumes from the documents already stored. ``after``
    runs once the reports are written, still under the lock (two runs must not both send a
    notice) and inside the run log; ``remember`` once the run is recorded as finished.

    The run key of ``cme_batch.fastpath`` is dropped when the run starts: whatever this run
    changes, only a key stored by ``remember`` at its end describes the state it leaves.

    Raises:
        LockedError: Another run uses the same state database.
    """
    assert options.state is not None, "run_with_state needs options.state"
    form = corr.Form((), ())
    if options.corrections is not None:
        # Its problems are reported once the inbox is read, with those of record ids that
        # name no record (found only then): all at once, on the first try.
        ids = inputs.roster["physician_id"].astype(str)
        form = corr.read_form(options.corrections, ids, _source_known(options))
    with hold(options.state):
        logging_to = run_log(options.out) if write else contextlib.nullcontext()
        with logging_to, open_state(options.state) as state:
            fastpath.forget(state)
            # `review fix --physician-id` checks the id against the roster of the last run.
            roster_ids = sorted(inputs.roster["physician_id"].astype(str))
            state.set_meta(META_ROSTER_IDS, json.dumps(roster_ids))
            run_id = state.start_run(
                options.as_of, str(options.inbox), str(options.out), versions()
            )
            log.info("run %d: inbox %s, state %s", run_id, options.inbox, options.state)
            try:
                result, written = _run_to_end(
                    options, inputs, progress, state, form, run_id, write, after
                )
            except (guard.InboxShrunkError, InputTableError) as exc:
                finished = dt.datetime.now().astimezone().isoformat(timespec="seconds")
                state.update_run(
                    run_id, status="stopped", exit_code=int(exc.exit_code), finished_at=finished
                )
                # Info: the console prints the error itself; the log must say how the run ended.
                log.info("run %d: stopped, no report changed: %s", run_id, exc)
                log.info("run %d: exit code %d", run_id, int(exc.exit_code))
                raise
            except KeyboardInterrupt as exc:
                code = ExitCode.TERMINATED if isinstance(exc, Terminated) else ExitCode.INTERRUPTED
                log.error(
                    "run %d: stopped (%s) before it finished; the previous reports were kept "
                    "and the next run resumes from what was read",
                    run_id, "SIGTERM" if isinstance(exc, Terminated) else "interrupted",
                )  # fmt: skip
                log.info("run %d: exit code %d", run_id, int(code))
                raise
            if remember is not None:
                remember(result, state, run_id)
            # Last, so that whoever opens the log finds how the run ended at its end.
            log.info("%s", run_summary(result, options.out))
            log.info("run %d: exit code %d", run_id, int(result.exit_code))
    return result, written


def with_attention(
    result: RunResult, notices: NoticeCounts | None, form_is_unread: bool = False
) -> RunResult:
    """``result`` with what it leaves for a person counted, and its exit code to match."""
    activities = result.activities
    review = int(activities["needs_review"].astype(bool).sum()) if not activities.empty else 0
    attention = Attention(
        failed_documents=result.failed,
        awaiting_review=review,
        notices=notices,
        form_unread=form_is_unread,
    )
    code = final_exit_code(result.exit_code, attention)
    return dataclasses.replace(result, attention=attention, exit_code=code)


def _source_known(options: RunOptions) -> Callable[[str], bool]:
    """Whether an inbox-relative path is in the inbox now or was seen there by a run."""
    seen: set[str] = set()
    if options.state is not None and options.state.is_file():
        with open_state(options.state) as state:
            seen = state.seen_paths()
    inbox = options.inbox

    def known(source: str) -> bool:
        return source in seen or (inbox / source).is_file()

    return known


def _run_to_end(
    options: RunOptions,
    inputs: Inputs,
    progress: Progress | None,
    state: StateDB,
    form: corr.Form,
    run_id: int,
    write: bool,
    after: AfterRun | None,
) -> tuple[RunResult, list[Path]]:
    """The body of :func:`run_with_state`: run, record, write outputs, notices."""
    result = run_batch(options, inputs, progress, state, form.entries, form.problems)
    counts = result.counts or Counts()
    state.update_run(
        run_id,
        files=len(result.documents),
        files_read=counts.read,
        files_reused=counts.reused,
        files_reparsed=counts.reparsed,
        files_removed=result.removed,
        files_failed=result.failed,
        activities=len(result.activities),
    )
    log.info(
        "run %d: %d file(s): %d read, %d unchanged, %d parsed again, %d removed",
        run_id, len(result.documents), counts.read, counts.reused, counts.reparsed,
        result.removed,
    )  # fmt: skip
    unread = write and result.corrections_form is not None and form_unread(options, state)
    written = write_outputs(result, options, state) if write else []
    notices = after(result, state) if after is not None else None
    result = with_attention(result, notices, unread)
    state.finish_run(run_id, int(result.exit_code))
    if write:
        lastrun.remember(
            state, run_id, options.inbox, options.roster, options.ledgers, options.as_of
        )
    return result, written


def run_summary(result: RunResult, out: Path) -> str:
    """The line ``cme-batch run`` ends with, ``--quiet`` or not (and a kept rerun repeats).

    It carries every count that needs a person (:mod:`cme_batch.attention`), so the one line
    cron mails with ``--quiet`` is enough to know whether to look.
    """
    docs = result.documents
    statuses = result.evaluation.physicians["status"].value_counts().to_dict()
    summary = ", ".join(f"{n} {s}" for s, n in sorted(statuses.items()))
    ok = int((docs["status"] == "ok").sum())
    return (
        f"cme-batch: {len(docs)} files ({ok} ok, {result.failed} failed), "
        f"{len(result.activities)} activities, physicians: {summary}. "
        f"{result.attention.sentence()} Reports in {out}{os.sep}"
    )


def versions() -> dict[str, str]:
    """Versions of the software a run used, for the Run sheet."""
    found = {"cme-batch": __version__, "python": platform.python_version()}
    try:
        found["tesseract"] = ocr.tesseract_version()
    except Exception:  # noqa: BLE001 - reporting only
        found["tesseract"] = "not available"
    found["pandas"] = pd.__version__
    found["platform"] = f"{platform.system()} {platform.machine()}"
    found["argv"] = " ".join(sys.argv[1:2])
    return found


def build_model(result: RunResult, options: RunOptions) -> ReportModel:
    """Assemble the report model from a run's tables."""
    from cme_batch.report.model import ReportModel, RuleSetRef, RunInfo

    used = set(result.evaluation.physicians["rule_set"].astype(str))
    refs = tuple(
        RuleSetRef(name=r.id, version=f"effective {r.effective_from.isoformat()}")
        for r in result.inputs.rulesets
        if r.id in used
    )
    docs = result.documents
    counts = {
        "files": len(docs),
        "files ok": int((docs["status"] == "ok").sum()),
        "files failed": int((docs["status"] == "failed").sum()),
        "pages": int(pd.to_numeric(docs["pages"], errors="coerce").fillna(0).sum()),
        "activities": len(result.activities),
        "needs review": int(result.activities["needs_review"].astype(bool).sum()),
        "physicians": len(result.evaluation.physicians),
    }
    run = RunInfo(
        as_of=options.as_of,
        rule_sets=refs,
        inbox=str(options.inbox),
        roster=str(options.roster),
        ledgers=tuple(str(p) for p in options.ledgers),
        # Excel cannot store time zones; the Run sheet shows local time.
        started_at=result.started_at.replace(tzinfo=None),
        finished_at=result.finished_at.replace(tzinfo=None),
        counts=counts,
        versions=versions(),
        exit_status="ok"
        if result.exit_code == ExitCode.OK
        else f"finished; {result.failed} document(s) failed",
    )
    try:
        base = os.path.relpath(options.inbox.resolve(), options.out.resolve()).replace(os.sep, "/")
    except ValueError:
        base = options.inbox.resolve().as_uri()
    return ReportModel(
        run=run,
        documents=result.documents,
        activities=result.activities,
        compliance=result.evaluation.compliance,
        physicians=result.evaluation.physicians,
        activity_status=result.evaluation.activity_status,
        inbox_href_base=base,
    )
