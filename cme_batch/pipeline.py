"""Sequence the stages of one run: inbox, extraction, activity table, rules, outputs."""

from __future__ import annotations

import datetime as dt
import logging
import os
import platform
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from cme_batch import __version__
from cme_batch.activities import build_table, mark_duplicates, record_rows
from cme_batch.errors import ExitCode, OutputError
from cme_batch.extract import ocr
from cme_batch.extract.document import ReadOptions
from cme_batch.inbox import READABLE_KINDS, InboxFile, scan_inbox, triage
from cme_batch.ledger import load_ledger
from cme_batch.matching import RosterIndex
from cme_batch.output import write_csv
from cme_batch.process import DocResult, Task, run_documents
from cme_batch.roster import load_roster
from cme_batch.rules import Evaluation, RuleSet, RuleSettings, evaluate, load_rulesets
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


@dataclass(frozen=True)
class Inputs:
    """The validated run-level inputs: roster, ledger rows and rule sets."""

    roster: pd.DataFrame
    ledger_rows: pd.DataFrame
    ledger_warnings: tuple[str, ...]
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

    @property
    def failed(self) -> int:
        """Number of documents that failed."""
        return int((self.documents["status"] == "failed").sum()) if not self.documents.empty else 0


def load_inputs(options: RunOptions) -> Inputs:
    """Load and validate the roster, ledgers and rule sets (run-level errors stop here)."""
    roster = load_roster(options.roster)
    index = RosterIndex(roster)
    frames: list[pd.DataFrame] = []
    warnings: list[str] = []
    for path in options.ledgers:
        rows, ledger_warnings = load_ledger(path, roster, index)
        frames.append(rows)
        warnings.extend(ledger_warnings)
    ledger_rows = (
        pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=list(ACTIVITY_COLUMNS))
    )
    return Inputs(roster, ledger_rows, tuple(warnings), tuple(load_rulesets()))


def _document_row(file: InboxFile, result: DocResult | None, status: str = "", reason: str = "") -> dict[str, object]:
    if result is None:
        return {
            "source_file": file.rel_path,
            "sha256": file.sha256,
            "kind": file.kind if file.kind not in READABLE_KINDS else file.kind,
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
) -> dict[str, DocResult]:
    """Read every readable file in ``options.jobs`` worker processes (see ``process``).

    A worker that crashes or hangs on a hostile file costs only that file.
    """
    read_options = ReadOptions(page_timeout=options.page_timeout)
    tasks = [Task(f.rel_path, str(f.path), f.kind, f.sha256) for f in files]
    done = 0

    def finished(task: Task, _result: DocResult) -> None:
        nonlocal done
        done += 1
        if progress:
            progress(done, len(tasks), task.key)

    return run_documents(tasks, roster, read_options, options.jobs, finished)


def run_batch(options: RunOptions, inputs: Inputs, progress: Progress | None = None) -> RunResult:
    """Run extraction and the rules; returns the tables without writing anything."""
    started = dt.datetime.now().astimezone()
    exclude = [p for p in (options.roster, *options.ledgers) if p.exists()]
    files = scan_inbox(options.inbox, exclude=exclude)
    doc_rows: list[dict[str, object]] = []
    first_by_hash: dict[str, str] = {}
    to_read: list[InboxFile] = []
    pending: list[tuple[InboxFile, str, str]] = []
    for file in files:
        status, reason = triage(file)
        if status:
            pending.append((file, status, reason))
        elif file.sha256 in first_by_hash:
            pending.append((file, "duplicate", f"same file as {first_by_hash[file.sha256]}"))
        else:
            first_by_hash[file.sha256] = file.rel_path
            to_read.append(file)
    results = extract_documents(to_read, inputs.roster, options, progress)
    rows: list[dict[str, object]] = []
    for file in files:
        if file.rel_path in results:
            result = results[file.rel_path]
            doc_rows.append(_document_row(file, result))
            rows.extend(record_rows(file.rel_path, result.records))
    for file, status, reason in pending:
        doc_rows.append(_document_row(file, None, status, reason))
    documents = pd.DataFrame(doc_rows, columns=list(DOCUMENT_COLUMNS)).sort_values("source_file", kind="stable")
    table = mark_duplicates(build_table(rows))
    documents = _documents_all_duplicate(documents, table)
    if not inputs.ledger_rows.empty:
        table = pd.concat([table, inputs.ledger_rows], ignore_index=True)
    evaluation = evaluate(table, inputs.roster, options.as_of, options.settings, rulesets=inputs.rulesets)
    failed = int((documents["status"] == "failed").sum())
    return RunResult(
        exit_code=ExitCode.DOCUMENTS_FAILED if failed else ExitCode.OK,
        documents=documents.reset_index(drop=True),
        activities=table.reset_index(drop=True),
        evaluation=evaluation,
        inputs=inputs,
        started_at=started,
        finished_at=dt.datetime.now().astimezone(),
        warnings=inputs.ledger_warnings,
    )


def _documents_all_duplicate(documents: pd.DataFrame, table: pd.DataFrame) -> pd.DataFrame:
    """A document whose every activity duplicates another file's is itself a duplicate."""
    if table.empty:
        return documents
    documents = documents.copy()
    for source, group in table.groupby("source_file"):
        reasons = group["exclude_reason"].astype(str)
        if len(group) and reasons.str.startswith("duplicate of ").all():
            others = sorted({r.removeprefix("duplicate of ").split("#")[0] for r in reasons})
            mask = documents["source_file"] == source
            documents.loc[mask, "status"] = "duplicate"
            documents.loc[mask, "reason"] = f"same certificate as {', '.join(others)} (counted once)"
    return documents


_TEXT_COLUMNS = (
    "source_file", "physician_name", "activity_title", "provider", "credit_type", "review_reason",
    "reason", "missing", "counted",
)  # fmt: skip


def write_outputs(result: RunResult, options: RunOptions) -> list[Path]:
    """Write the four CSVs and both reports into the output folder; returns the paths."""
    from cme_batch.report.excel import write_workbook
    from cme_batch.report.html import write_html

    out = options.out
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create the output folder {out}: {exc.strerror}") from exc
    evaluation = result.evaluation
    # Rows excluded as duplicates stay in the workbook's Activities sheet with the reason, but
    # certificates.csv lists each activity once so that scripts summing it never double count.
    certificates = result.activities[
        ~result.activities["exclude_reason"].astype(str).str.startswith("duplicate of")
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
    model = build_model(result, options)
    written.append(write_workbook(model, out / "report.xlsx"))
    written.append(write_html(model, out / "report.html"))
    return written


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
        exit_status="ok" if result.exit_code == ExitCode.OK else f"finished; {result.failed} document(s) failed",
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
