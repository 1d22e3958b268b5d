"""Decide, per inbox file, whether to read it, reuse what the state database holds, or re-parse.

A file whose content (SHA-256) is stored with the current :data:`EXTRACTION_VERSION` is reused
without being opened; stored with an older version, or parsed with another office lexicon (its
files' digest is part of the version, :attr:`cme_batch.fields.lexicon.Lexicon.version_tag`), its
stored page texts are parsed again (no OCR); unknown or previously failed content is read. Each
document read is committed to the state database as soon as its worker returns, so a killed run
loses at most the documents in flight.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

import cme_batch.state as statedb
from cme_batch.extract.model import PageText
from cme_batch.fields import lexicon
from cme_batch.fields.parse import parse_pages
from cme_batch.inbox import InboxFile
from cme_batch.matching import RosterIndex
from cme_batch.process import DocResult
from cme_batch.state import StateDB

log = logging.getLogger(__name__)

#: ``extract(files, on_result)``: read files, calling ``on_result`` as each one finishes.
Extractor = Callable[
    [list[InboxFile], Callable[[InboxFile, DocResult], None]], dict[str, DocResult]
]


@dataclass(frozen=True)
class Counts:
    """How a run got each readable file's result."""

    read: int = 0
    reused: int = 0
    reparsed: int = 0


def extract_incremental(
    files: list[InboxFile], roster: pd.DataFrame, state: StateDB, extract: Extractor
) -> tuple[dict[str, DocResult], Counts]:
    """Results for ``files`` (by relative path), reading only what the state does not hold."""
    stored = state.stored_documents()
    version = statedb.EXTRACTION_VERSION + lexicon.current().version_tag
    reuse: list[InboxFile] = []
    reparse: list[InboxFile] = []
    read: list[InboxFile] = []
    for file in files:
        doc = stored.get(file.sha256)
        # A failure is retried: the usual causes (a file still being copied, a worker crash
        # under memory pressure, an OCR timeout on a busy night) may not happen again.
        if doc is None or doc.status == "failed":
            read.append(file)
        elif doc.extraction_version == version:
            reuse.append(file)
        elif doc.has_pages:
            reparse.append(file)
        else:
            read.append(file)
    results: dict[str, DocResult] = {}
    loaded = state.load_results(f.sha256 for f in reuse)
    for file in reuse:
        results[file.rel_path] = loaded[file.sha256]
        log.debug("%s: unchanged since an earlier run: not read", file.rel_path)
    if reparse:
        index = RosterIndex(roster)
        for file in reparse:
            result = reparse_pages(stored[file.sha256].kind, state.load_pages(file.sha256), index)
            state.save_result(file.sha256, result, version)
            log.info(
                "%s: parsed again from stored text (extraction version %s)", file.rel_path, version
            )
            results[file.rel_path] = _without_texts(result)

    def store(file: InboxFile, result: DocResult) -> None:
        state.save_result(file.sha256, result, version)
        _log_read(file, result)

    for rel_path, result in extract(read, store).items():
        results[rel_path] = _without_texts(result)
    return results, Counts(read=len(read), reused=len(reuse), reparsed=len(reparse))


def reparse_pages(kind: str, pages: tuple[PageText, ...], roster: RosterIndex) -> DocResult:
    """A document's result from its stored page texts, as ``process`` makes it from a read."""
    outcomes = parse_pages(pages, roster)
    records = tuple(r for o in outcomes for r in o.records)
    texts = pages
    if records:
        return DocResult(kind, len(pages), "ok", "", records, texts)
    notes = list(dict.fromkeys(o.note for o in outcomes if o.note))
    if all(p.origin == "blank" for p in pages):
        reason = "every page is blank: check that the right side was scanned"
    else:
        reason = "; ".join(n for n in notes if n != "blank page") or "no certificate found"
    return DocResult(kind, len(pages), "no_certificate", reason, (), texts)


def _without_texts(result: DocResult) -> DocResult:
    # Page texts are in the database now; the run needs only the records, so memory does not
    # grow with the inbox's text.
    return DocResult(result.kind, result.pages, result.status, result.reason, result.records)


def _log_read(file: InboxFile, result: DocResult) -> None:
    what = f"{file.rel_path}: read ({result.kind}, {result.pages} page(s)): {result.status}"
    if result.status == "failed":
        log.warning("%s: %s", what, result.reason)
    elif result.reason:
        log.info("%s: %s", what, result.reason)
    else:
        log.info(
            "%s, %d activit%s",
            what,
            len(result.records),
            "y" if len(result.records) == 1 else "ies",
        )
