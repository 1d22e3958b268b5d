"""Process one inbox file end to end (read, OCR, parse): the unit of work of a worker process."""

from __future__ import annotations

import logging
import traceback
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from cme_batch.extract.document import ReadOptions, read_document
from cme_batch.fields.parse import parse_pages
from cme_batch.fields.record import ActivityRecord
from cme_batch.matching import RosterIndex

log = logging.getLogger(__name__)

_ROSTER: RosterIndex | None = None
_OPTIONS = ReadOptions()


@dataclass(frozen=True)
class DocResult:
    """What one file yielded.

    Attributes:
        kind: ``pdf_text``, ``pdf_scanned``, ``pdf_mixed``, ``image``.
        pages: Pages read.
        status: ``ok``, ``no_certificate`` or ``failed``.
        reason: For a non-ok status, what happened and what to do.
        records: The activities found.
        page_texts: The text of each page (kept for the state database and re-extraction).
    """

    kind: str
    pages: int
    status: str
    reason: str
    records: tuple[ActivityRecord, ...]
    page_texts: tuple[tuple[int, str, str, float], ...] = ()


def init_worker(roster: pd.DataFrame, options: ReadOptions) -> None:
    """Pool initializer: build the roster index once per worker process."""
    global _ROSTER, _OPTIONS  # noqa: PLW0603 - per-process state of a worker
    _ROSTER = RosterIndex(roster)
    _OPTIONS = options


def process_file(path: str, kind: str) -> DocResult:
    """Read and parse one file; any failure becomes a ``failed`` result, never an exception."""
    assert _ROSTER is not None, "init_worker must run first"
    try:
        return _process(Path(path), kind, _ROSTER, _OPTIONS)
    except Exception as exc:  # noqa: BLE001 - one document must never stop the batch
        log.error("%s: unexpected error: %s", path, exc)
        detail = traceback.format_exception_only(type(exc), exc)[-1].strip()
        return DocResult(kind, 0, "failed", f"unexpected error while reading ({detail}); report it with the file", ())


def _process(path: Path, kind: str, roster: RosterIndex, options: ReadOptions) -> DocResult:
    document = read_document(path, kind, options)
    if document.error:
        return DocResult(document.kind, len(document.pages), "failed", document.error, ())
    outcomes = parse_pages(document.pages, roster)
    records = tuple(r for o in outcomes for r in o.records)
    texts = tuple((p.number, p.origin, p.text, p.confidence) for p in document.pages)
    if records:
        return DocResult(document.kind, len(document.pages), "ok", "", records, texts)
    notes = list(dict.fromkeys(o.note for o in outcomes if o.note))
    if all(p.origin == "blank" for p in document.pages):
        reason = "every page is blank: check that the right side was scanned"
    elif any("timed out" in n for n in notes):
        return DocResult(document.kind, len(document.pages), "failed", "; ".join(notes), (), texts)
    else:
        reason = "; ".join(n for n in notes if n != "blank page") or "no certificate found"
    return DocResult(document.kind, len(document.pages), "no_certificate", reason, (), texts)
