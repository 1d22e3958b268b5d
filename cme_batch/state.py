"""The state database: what earlier runs read, so that a nightly run reads only what is new.

One SQLite file (stdlib ``sqlite3``) remembers every inbox file by content hash: its pages, page
texts and extracted records, the paths it was seen under, each run, and the corrections people
made. Documents are keyed by SHA-256, so a renamed or moved file is recognised without reading
it, and a file removed from the inbox keeps its history.

The database is in WAL mode and each document is stored in one transaction: a run killed at any
moment leaves a consistent database, and the next run goes on from the last stored document.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sqlite3
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Final

from cme_batch.errors import CmeBatchError, ExitCode
from cme_batch.extract.model import PageText, Word

if TYPE_CHECKING:
    from cme_batch.fields.record import ActivityRecord
    from cme_batch.process import DocResult

# The types above are imported where they are built, not here: the fast path of an unchanged
# rerun (``cme_batch.fastpath``) uses this module before, and instead of, the readers, and
# ``cme_batch.process`` pulls in PIL and pdfium.

#: Version of the text-to-records parsing (``cme_batch.fields``). Bump it whenever a change to
#: the field parsers changes what records a page yields: the next run then re-parses every stored
#: document from its stored page texts (no re-OCR), and corrections still apply by record key.
EXTRACTION_VERSION: Final[str] = "5"

#: Version of the database layout below; a database written by a newer cme-batch is refused.
#: Columns that an older cme-batch can ignore are added on open (see :data:`_ADDED_COLUMNS`)
#: without a new version, so such a database still opens with that older cme-batch.
SCHEMA_VERSION: Final[int] = 1

#: Columns added to schema 1 after its release: (table, column, declaration).
_ADDED_COLUMNS: Final[tuple[tuple[str, str, str], ...]] = (
    # The run whose outputs a rerun that found nothing changed kept (``cme_batch.fastpath``);
    # NULL for a run that did the work.
    ("runs", "kept_outputs_of", "INTEGER"),
    # A page's positioned words (see :func:`_words_json`); NULL for a page stored before words
    # were kept, which is then re-parsed from its flat text.
    ("pages", "words", "TEXT"),
)

#: File name of the state database inside the output folder when ``--state`` is not given.
DEFAULT_NAME: Final[str] = "state.sqlite"

#: The decision stored when a person takes a decision back: the record then has none.
WITHDRAWN: Final[str] = "withdrawn"
#: File name of the corrections form the runs write beside the reports.
CORRECTIONS_FORM: Final[str] = "corrections.csv"

#: ``meta`` keys. ``outputs``: the files the last run wrote (name in the output folder ->
#: SHA-256); ``outputs_fingerprint``: a digest of what they show; ``form_sha256``: the digest of
#: the corrections form as last written; ``fast_rerun``: the run key of the last run and what a
#: rerun that finds nothing changed repeats (see ``cme_batch.fastpath``).
META_OUTPUTS: Final[str] = "outputs"
META_OUTPUTS_FINGERPRINT: Final[str] = "outputs_fingerprint"
META_FORM_SHA256: Final[str] = "form_sha256"
META_FAST_RERUN: Final[str] = "fast_rerun"
#: The roster's physician ids at the last run (a JSON list), for ``review fix --physician-id``.
META_ROSTER_IDS: Final[str] = "roster_ids"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS documents (
    sha256 TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    pages INTEGER NOT NULL,
    status TEXT NOT NULL,
    reason TEXT NOT NULL,
    extraction_version TEXT NOT NULL,
    first_read TEXT NOT NULL,
    last_read TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS pages (
    sha256 TEXT NOT NULL REFERENCES documents(sha256) ON DELETE CASCADE,
    number INTEGER NOT NULL,
    origin TEXT NOT NULL,
    text TEXT NOT NULL,
    confidence REAL NOT NULL,
    PRIMARY KEY (sha256, number)
);
CREATE TABLE IF NOT EXISTS records (
    sha256 TEXT NOT NULL REFERENCES documents(sha256) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    page INTEGER NOT NULL,
    item INTEGER NOT NULL,
    physician_name TEXT,
    physician_id TEXT NOT NULL,
    activity_title TEXT,
    provider TEXT,
    activity_date TEXT,
    credits TEXT,
    category TEXT NOT NULL,
    credit_type TEXT NOT NULL,
    topics TEXT NOT NULL,
    confidence REAL NOT NULL,
    review_reasons TEXT NOT NULL,
    field_confidence TEXT NOT NULL,
    PRIMARY KEY (sha256, seq)
);
CREATE TABLE IF NOT EXISTS files (
    path TEXT PRIMARY KEY,
    sha256 TEXT NOT NULL,
    size INTEGER NOT NULL,
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    present INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS files_sha256 ON files(sha256);
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    status TEXT NOT NULL,
    as_of TEXT NOT NULL,
    inbox TEXT NOT NULL,
    out TEXT NOT NULL,
    extraction_version TEXT NOT NULL,
    versions TEXT NOT NULL,
    files INTEGER,
    files_read INTEGER,
    files_reused INTEGER,
    files_reparsed INTEGER,
    files_removed INTEGER,
    files_failed INTEGER,
    activities INTEGER,
    exit_code INTEGER,
    kept_outputs_of INTEGER
);
CREATE TABLE IF NOT EXISTS corrections (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    sha256 TEXT NOT NULL,
    record_key TEXT NOT NULL,
    record_id TEXT NOT NULL,
    decision TEXT NOT NULL,
    physician_id TEXT,
    activity_date TEXT,
    credits TEXT,
    category TEXT,
    topics TEXT,
    activity_title TEXT,
    note TEXT NOT NULL,
    source TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS corrections_key ON corrections(sha256, record_key, id);
CREATE TABLE IF NOT EXISTS notices (
    physician_id TEXT NOT NULL,
    renewal_date TEXT NOT NULL,
    kind TEXT NOT NULL,
    threshold INTEGER NOT NULL,
    status TEXT NOT NULL,
    channel TEXT NOT NULL,
    address TEXT NOT NULL,
    message_id TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    first_attempt TEXT NOT NULL,
    last_attempt TEXT NOT NULL,
    as_of TEXT NOT NULL,
    error TEXT NOT NULL,
    PRIMARY KEY (physician_id, renewal_date, kind, threshold)
);
"""


class StateError(CmeBatchError):
    """The state database cannot be opened or was written by a newer cme-batch."""

    exit_code = ExitCode.OUTPUT_ERROR


@dataclass(frozen=True)
class StoredDocument:
    """What the database knows about one file content."""

    sha256: str
    kind: str
    pages: int
    status: str
    reason: str
    extraction_version: str
    has_pages: bool


@dataclass(frozen=True)
class StoredCorrection:
    """A person's decision on one record, as stored.

    ``sha256`` and ``record_key`` (the part of the record id after ``#``) identify the record
    whatever the file is called now; ledger rows have ``sha256`` "" and the whole record id as
    key. Field values are text as entered (``None``: not changed).
    """

    sha256: str
    record_key: str
    record_id: str
    decision: str
    physician_id: str | None = None
    activity_date: str | None = None
    credits: str | None = None
    category: str | None = None
    topics: str | None = None
    activity_title: str | None = None
    note: str = ""
    source: str = ""
    created_at: str = ""

    def same_decision(self, other: StoredCorrection) -> bool:
        """Whether two corrections say the same thing (their origin and time aside)."""
        return _decision_tuple(self) == _decision_tuple(other)


@dataclass(frozen=True)
class StoredNotice:
    """One renewal notice as recorded in the ``notices`` table.

    The key is (``physician_id``, ``renewal_date``, ``kind``, ``threshold``): a renewal date is
    one cycle, so a renewed license (a new date on the roster) starts a fresh set of notices.
    ``status`` is ``sending`` (handed to the server, outcome not yet known), ``delivered`` (the
    ``.eml`` is in the outbox, or the SMTP server accepted it) or ``failed`` (retried next run).
    """

    physician_id: str
    renewal_date: str
    kind: str
    threshold: int
    status: str
    channel: str
    address: str
    message_id: str
    attempts: int = 1
    first_attempt: str = ""
    last_attempt: str = ""
    as_of: str = ""
    error: str = ""


def _decision_tuple(c: StoredCorrection) -> tuple[str | None, ...]:
    return (
        c.sha256, c.record_key, c.decision, c.physician_id, c.activity_date, c.credits,
        c.category, c.topics, c.activity_title, c.note,
    )  # fmt: skip


def _now() -> str:
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")


def default_path(out: Path) -> Path:
    """The state database used when ``--state`` is not given: beside the reports."""
    return out / DEFAULT_NAME


class StateDB:
    """An open state database. Use :func:`open_state`."""

    def __init__(self, path: Path, connection: sqlite3.Connection) -> None:
        self.path = path
        self._db = connection

    # -- lifecycle -----------------------------------------------------------------------------

    def close(self) -> None:
        """Close the connection (the WAL is checkpointed by SQLite on last close)."""
        self._db.close()

    def __enter__(self) -> StateDB:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- documents -----------------------------------------------------------------------------

    def lookup(self, sha256: str) -> StoredDocument | None:
        """The stored document with this content hash, if any."""
        row = self._db.execute(
            "SELECT d.sha256, kind, pages, status, reason, extraction_version,"
            " EXISTS(SELECT 1 FROM pages p WHERE p.sha256 = d.sha256)"
            " FROM documents d WHERE d.sha256 = ?",
            (sha256,),
        ).fetchone()
        if row is None:
            return None
        return _stored_document(row)

    def stored_documents(self) -> dict[str, StoredDocument]:
        """Every stored document by hash (one query: a rerun over thousands of files)."""
        rows = self._db.execute(
            "SELECT sha256, kind, pages, status, reason, extraction_version,"
            " sha256 IN (SELECT DISTINCT sha256 FROM pages) FROM documents"
        ).fetchall()
        return {str(r[0]): _stored_document(r) for r in rows}

    def load_result(self, sha256: str) -> DocResult:
        """The stored outcome of a document, records included, page texts left out."""
        return self.load_results([sha256])[sha256]

    def load_results(self, hashes: Iterable[str]) -> dict[str, DocResult]:
        """Stored outcomes of many documents, read in a few queries."""
        from cme_batch.process import DocResult

        wanted = list(dict.fromkeys(hashes))
        docs: dict[str, tuple[str, int, str, str]] = {}
        records: dict[str, list[ActivityRecord]] = {h: [] for h in wanted}
        # SQLite limits bound parameters per statement; 500 is well under every build's limit.
        for chunk in _chunks(wanted, 500):
            marks = ",".join("?" * len(chunk))
            # Only "?" placeholders are interpolated into these statements.
            for row in self._db.execute(
                "SELECT sha256, kind, pages, status, reason FROM documents"  # noqa: S608
                f" WHERE sha256 IN ({marks})",
                chunk,
            ):
                docs[row[0]] = (row[1], row[2], row[3], row[4])
            for row in self._db.execute(
                f"SELECT * FROM records WHERE sha256 IN ({marks}) ORDER BY sha256, seq",  # noqa: S608
                chunk,
            ):
                records[row[0]].append(_record_from_row(row))
        missing = [h for h in wanted if h not in docs]
        if missing:
            raise KeyError(f"not in the state database: {', '.join(missing)}")
        return {
            h: DocResult(docs[h][0], docs[h][1], docs[h][2], docs[h][3], tuple(records[h]))
            for h in wanted
        }

    def load_pages(self, sha256: str) -> tuple[PageText, ...]:
        """The stored pages of a document, in page order, with their words where kept."""
        rows = self._db.execute(
            "SELECT number, text, origin, confidence, words FROM pages WHERE sha256 = ?"
            " ORDER BY number",
            (sha256,),
        ).fetchall()
        return tuple(_page_from_row(n, t, o, c, w) for n, t, o, c, w in rows)

    def save_result(self, sha256: str, result: DocResult, version: str | None = None) -> None:
        """Store one document's outcome, pages and records in one transaction.

        Replaces what was stored for the same content (a re-read or a re-parse). ``version``
        is the extraction version its records were parsed with (default
        :data:`EXTRACTION_VERSION`; an office lexicon adds to it).
        """
        now = _now()
        with self._db:
            self._db.execute("DELETE FROM records WHERE sha256 = ?", (sha256,))
            self._db.execute("DELETE FROM pages WHERE sha256 = ?", (sha256,))
            self._db.execute(
                "INSERT INTO documents VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT(sha256) DO UPDATE SET kind = excluded.kind, pages = excluded.pages,"
                " status = excluded.status, reason = excluded.reason,"
                " extraction_version = excluded.extraction_version, last_read = excluded.last_read",
                (
                    sha256,
                    result.kind,
                    result.pages,
                    result.status,
                    result.reason,
                    version or EXTRACTION_VERSION,
                    now,
                    now,
                ),
            )
            self._db.executemany(
                "INSERT INTO pages (sha256, number, origin, text, confidence, words)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (
                    (sha256, p.number, p.origin, p.text, p.confidence, _words_json(p))
                    for p in result.page_texts
                ),
            )
            self._db.executemany(
                "INSERT INTO records VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (_record_to_row(sha256, seq, r) for seq, r in enumerate(result.records)),
            )

    def document_count(self) -> int:
        """Number of stored documents (tests use it to see a run's progress)."""
        return int(self._db.execute("SELECT COUNT(*) FROM documents").fetchone()[0])

    # -- files (paths seen in the inbox) ------------------------------------------------------

    def mark_files(self, seen: Mapping[str, tuple[str, int]]) -> int:
        """Record the inbox's files (path -> (sha256, size)); those gone are kept as absent.

        Returns:
            How many files were present before and are gone now (a rename is not a removal).
        """
        now = _now()
        with self._db:
            before = dict(
                self._db.execute("SELECT path, sha256 FROM files WHERE present = 1").fetchall()
            )
            self._db.execute("UPDATE files SET present = 0 WHERE present = 1")
            self._db.executemany(
                "INSERT INTO files VALUES (?, ?, ?, ?, ?, 1) ON CONFLICT(path) DO UPDATE SET"
                " sha256 = excluded.sha256, size = excluded.size, last_seen = excluded.last_seen,"
                " present = 1",
                ((path, sha, size, now, now) for path, (sha, size) in seen.items()),
            )
        kept = {sha for sha, _ in seen.values()}
        return sum(1 for path, sha in before.items() if path not in seen and sha not in kept)

    def sha_of_path(self, path: str) -> str | None:
        """The content hash last seen at an inbox path (present now or not)."""
        row = self._db.execute("SELECT sha256 FROM files WHERE path = ?", (path,)).fetchone()
        return str(row[0]) if row else None

    def seen_paths(self) -> set[str]:
        """Every inbox path a run has listed, present now or not."""
        return {str(r[0]) for r in self._db.execute("SELECT path FROM files")}

    def present_files(self) -> dict[str, str]:
        """Inbox paths seen by the last run, with their content hash."""
        rows = self._db.execute(
            "SELECT path, sha256 FROM files WHERE present = 1 AND sha256 != '' ORDER BY path"
        )
        return {str(p): str(s) for p, s in rows}

    # -- runs ----------------------------------------------------------------------------------

    def start_run(self, as_of: dt.date, inbox: str, out: str, versions: Mapping[str, str]) -> int:
        """Record the start of a run; a run killed before :meth:`finish_run` stays ``running``."""
        with self._db:
            cursor = self._db.execute(
                "INSERT INTO runs"
                " (started_at, status, as_of, inbox, out, extraction_version, versions)"
                " VALUES (?, 'running', ?, ?, ?, ?, ?)",
                (
                    _now(),
                    as_of.isoformat(),
                    inbox,
                    out,
                    EXTRACTION_VERSION,
                    json.dumps(dict(versions)),
                ),
            )
        return int(cursor.lastrowid or 0)

    def update_run(self, run_id: int, **counts: int | str | None) -> None:
        """Set counters or the status of a run (column names as in the ``runs`` table)."""
        allowed = {
            "status", "files", "files_read", "files_reused", "files_reparsed", "files_removed",
            "files_failed", "activities", "exit_code", "finished_at",
        }  # fmt: skip
        unknown = set(counts) - allowed
        if unknown:
            raise ValueError(f"unknown run columns: {sorted(unknown)}")
        if not counts:
            return
        assignments = ", ".join(f"{k} = ?" for k in counts)
        with self._db:
            self._db.execute(
                f"UPDATE runs SET {assignments} WHERE id = ?",  # noqa: S608 - names checked above
                (*counts.values(), run_id),
            )

    def finish_run(self, run_id: int, exit_code: int) -> None:
        """Mark a run finished with its exit code."""
        self.update_run(run_id, status="finished", exit_code=exit_code, finished_at=_now())

    def runs(self) -> list[dict[str, object]]:
        """Every run, oldest first, as dictionaries of the ``runs`` columns."""
        cursor = self._db.execute("SELECT * FROM runs ORDER BY id")
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor]

    def run(self, run_id: int) -> dict[str, object] | None:
        """One run as a dictionary of the ``runs`` columns, or ``None``."""
        cursor = self._db.execute("SELECT * FROM runs WHERE id = ?", (run_id,))
        names = [d[0] for d in cursor.description]
        row = cursor.fetchone()
        return None if row is None else dict(zip(names, row, strict=True))

    def runs_since(self, run_id: int) -> int:
        """Runs started after ``run_id`` other than reruns that kept ``run_id``'s outputs.

        Counts every such run, finished or not, whichever cme-batch recorded it.
        """
        row = self._db.execute(
            "SELECT COUNT(*) FROM runs WHERE id > ? AND kept_outputs_of IS NOT ?",
            (run_id, run_id),
        )
        return int(row.fetchone()[0])

    def record_kept_run(
        self, as_of: dt.date, inbox: str, out: str, kept: Mapping[str, object], exit_code: int
    ) -> int:
        """Record a finished run that found nothing changed and kept run ``kept``'s outputs.

        One statement, so the run is recorded whole or not at all. Nothing was read: every
        readable file counts as reused; the file, failure and activity counts are ``kept``'s.

        Returns:
            The new run's id.
        """
        reused = sum(int(str(kept.get(k) or 0)) for k in ("files_read", "files_reused",
                                                            "files_reparsed"))  # fmt: skip
        now = _now()
        with self._db:
            cursor = self._db.execute(
                "INSERT INTO runs (started_at, finished_at, status, as_of, inbox, out,"
                " extraction_version, versions, files, files_read, files_reused, files_reparsed,"
                " files_removed, files_failed, activities, exit_code, kept_outputs_of)"
                " VALUES (?, ?, 'finished', ?, ?, ?, ?, ?, ?, 0, ?, 0, 0, ?, ?, ?, ?)",
                (
                    now, now, as_of.isoformat(), inbox, out, kept["extraction_version"],
                    kept["versions"], kept["files"], reused, kept["files_failed"],
                    kept["activities"], exit_code, kept["id"],
                ),
            )  # fmt: skip
        return int(cursor.lastrowid or 0)

    # -- corrections ---------------------------------------------------------------------------

    def add_correction(self, correction: StoredCorrection) -> bool:
        """Store a correction unless the latest one for the record says the same.

        Returns:
            Whether a row was added (reading the same corrections file twice adds nothing).
        """
        latest = self.corrections().get((correction.sha256, correction.record_key))
        if latest is not None and latest.same_decision(correction):
            return False
        with self._db:
            self._db.execute(
                "INSERT INTO corrections (sha256, record_key, record_id, decision, physician_id,"
                " activity_date, credits, category, topics, activity_title, note, source,"
                " created_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    correction.sha256, correction.record_key, correction.record_id,
                    correction.decision, correction.physician_id, correction.activity_date,
                    correction.credits, correction.category, correction.topics,
                    correction.activity_title, correction.note, correction.source,
                    correction.created_at or _now(),
                ),
            )  # fmt: skip
        return True

    def corrections(self) -> dict[tuple[str, str], StoredCorrection]:
        """The latest correction of each record, keyed by (sha256, record_key).

        Older corrections stay in the table as the history of decisions. A record whose latest
        correction is :data:`WITHDRAWN` (``cme-batch review withdraw``) has none.
        """
        rows = self._db.execute(
            "SELECT sha256, record_key, record_id, decision, physician_id, activity_date, credits,"
            " category, topics, activity_title, note, source, created_at FROM corrections c"
            " WHERE id = (SELECT MAX(id) FROM corrections d"
            "  WHERE d.sha256 = c.sha256 AND d.record_key = c.record_key)"
        )
        found = {}
        for row in rows:
            correction = StoredCorrection(*row)
            if correction.decision != WITHDRAWN:
                found[(correction.sha256, correction.record_key)] = correction
        return found

    # -- notices -------------------------------------------------------------------------------

    def notices(self) -> list[StoredNotice]:
        """Every notice attempted, one row per (physician, renewal date, kind, threshold)."""
        rows = self._db.execute(
            "SELECT physician_id, renewal_date, kind, threshold, status, channel, address,"
            " message_id, attempts, first_attempt, last_attempt, as_of, error FROM notices"
            " ORDER BY physician_id, renewal_date, kind, threshold"
        )
        return [StoredNotice(*row) for row in rows]

    def record_notice(self, notice: StoredNotice) -> None:
        """Store the outcome of an attempt; ``attempts`` adds up and the first attempt is kept.

        Pass ``attempts=0`` to finish an attempt already recorded as ``sending``.

        Each attempt is committed on its own, before the next message goes out, so a run killed
        mid-way leaves every notice already delivered recorded as such.
        """
        with self._db:
            self._db.execute(
                "INSERT INTO notices VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT(physician_id, renewal_date, kind, threshold) DO UPDATE SET"
                " status = excluded.status, channel = excluded.channel,"
                " address = excluded.address, message_id = excluded.message_id,"
                " attempts = notices.attempts + excluded.attempts,"
                " last_attempt = excluded.last_attempt,"
                " as_of = excluded.as_of, error = excluded.error",
                (
                    notice.physician_id, notice.renewal_date, notice.kind, notice.threshold,
                    notice.status, notice.channel, notice.address, notice.message_id,
                    notice.attempts,
                    notice.first_attempt or _now(), notice.last_attempt or _now(),
                    notice.as_of, notice.error,
                ),
            )  # fmt: skip

    def notices_pending(self) -> int:
        """Notices whose last attempt failed or whose outcome is unknown (retried next run)."""
        row = self._db.execute("SELECT COUNT(*) FROM notices WHERE status != 'delivered'")
        return int(row.fetchone()[0])

    # -- digests of what people and runs decided (the run key of ``cme_batch.fastpath``) -------

    def corrections_digest(self) -> str:
        """SHA-256 of every stored correction, history included: a new decision changes it."""
        return self._table_digest("SELECT * FROM corrections ORDER BY id")

    def notices_digest(self) -> str:
        """SHA-256 of the notices history (which notices went out, failed or are pending)."""
        return self._table_digest(
            "SELECT * FROM notices ORDER BY physician_id, renewal_date, kind, threshold"
        )

    def _table_digest(self, query: str) -> str:
        digest = hashlib.sha256()
        for row in self._db.execute(query):
            digest.update(json.dumps(row).encode("utf-8") + b"\n")
        return digest.hexdigest()

    # -- meta ----------------------------------------------------------------------------------

    def get_meta(self, key: str) -> str | None:
        """A value of the ``meta`` table."""
        row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return str(row[0]) if row else None

    def delete_meta(self, key: str) -> None:
        """Remove a value of the ``meta`` table (nothing happens if there is none)."""
        with self._db:
            self._db.execute("DELETE FROM meta WHERE key = ?", (key,))

    def set_meta(self, key: str, value: str) -> None:
        """Set a value of the ``meta`` table."""
        with self._db:
            self._db.execute(
                "INSERT INTO meta VALUES (?, ?)"
                " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, value),
            )


def open_state(path: Path) -> StateDB:
    """Open (creating if needed) the state database at ``path``.

    Raises:
        StateError: The file is not a cme-batch state database, cannot be created, or was
            written by a newer cme-batch.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # sqlite3 opens a transaction before the first write of each ``with self._db`` block and
        # commits at its end, so every block below is all-or-nothing.
        connection = sqlite3.connect(path, timeout=30)
        connection.execute("PRAGMA journal_mode = WAL")
        # NORMAL in WAL mode: a commit survives a killed process (only power loss may drop the
        # last commits), and committing one document at a time stays cheap.
        connection.execute("PRAGMA synchronous = NORMAL")
        connection.execute("PRAGMA foreign_keys = ON")
        connection.executescript(_SCHEMA)
    except (sqlite3.Error, OSError) as exc:
        raise StateError(f"cannot open the state database {path}: {exc}") from exc
    state = StateDB(path, connection)
    stored = state.get_meta("schema_version")
    if stored is None:
        state.set_meta("schema_version", str(SCHEMA_VERSION))
    elif int(stored) > SCHEMA_VERSION:
        state.close()
        raise StateError(
            f"the state database {path} was written by a newer cme-batch (schema {stored});"
            " upgrade cme-batch or use another --state"
        )
    try:
        _add_columns(connection)
    except sqlite3.Error as exc:
        state.close()
        raise StateError(f"cannot update the state database {path}: {exc}") from exc
    return state


def _add_columns(connection: sqlite3.Connection) -> None:
    """Add the columns of :data:`_ADDED_COLUMNS` that a database made earlier lacks."""
    for table, column, declaration in _ADDED_COLUMNS:
        # Names come from the constant above, never from input.
        names = {row[1] for row in connection.execute(f"PRAGMA table_info({table})")}
        if column not in names:
            connection.execute(f"ALTER TABLE {table} ADD COLUMN {column} {declaration}")


def _words_json(page: PageText) -> str | None:
    """A page's words and geometry as compact JSON, or ``None`` when it has no words.

    Each word is ``[text, x0, top, x1, bottom, size, conf, line]``, lengths in points rounded
    to 0.01 (far below any tolerance in :mod:`cme_batch.extract.layout`).
    """
    if not page.words:
        return None
    doc = {
        "width": round(page.width, 2),
        "height": round(page.height, 2),
        "rotation": page.rotation,
        "settings": page.settings,
        "warnings": list(page.warnings),
        "words": [
            [
                w.text,
                round(w.x0, 2),
                round(w.top, 2),
                round(w.x1, 2),
                round(w.bottom, 2),
                round(w.size, 2),
                w.conf,
                w.line,
            ]
            for w in page.words
        ],
    }
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":"))


def _page_from_row(number: int, text: str, origin: str, conf: float, words: str | None) -> PageText:
    """A stored page back as :class:`PageText`, with its words when they were stored."""
    if not words:
        return PageText(number=number, text=text, origin=origin, confidence=conf)
    doc = json.loads(words)
    return PageText(
        number=number,
        text=text,
        origin=origin,
        confidence=conf,
        rotation=int(doc.get("rotation", 0)),
        warnings=tuple(doc.get("warnings", ())),
        words=tuple(
            Word(str(t), float(a), float(b), float(c), float(d), float(e), float(f), int(g))
            for t, a, b, c, d, e, f, g in doc["words"]
        ),
        width=float(doc.get("width", 0.0)),
        height=float(doc.get("height", 0.0)),
        settings=str(doc.get("settings", "")),
    )


def _stored_document(row: tuple[object, ...]) -> StoredDocument:
    sha, kind, pages, status, reason, version, has_pages = row
    return StoredDocument(
        str(sha),
        str(kind),
        int(str(pages)),
        str(status),
        str(reason),
        str(version),
        bool(has_pages),
    )


def _record_to_row(sha256: str, seq: int, r: ActivityRecord) -> tuple[object, ...]:
    return (
        sha256, seq, r.page, r.item, r.physician_name, r.physician_id, r.activity_title,
        r.provider, r.activity_date.isoformat() if r.activity_date else None,
        str(r.credits) if r.credits is not None else None, r.category, r.credit_type,
        json.dumps(list(r.topics)), r.confidence, json.dumps(list(r.review_reasons)),
        json.dumps(r.field_confidence),
    )  # fmt: skip


def _record_from_row(row: tuple[object, ...]) -> ActivityRecord:
    (
        _sha, _seq, page, item, name, pid, title, provider, date, credits, category,
        credit_type, topics, confidence, reasons, field_conf,
    ) = row  # fmt: skip
    from cme_batch.fields.record import ActivityRecord

    return ActivityRecord(
        page=int(str(page)),
        item=int(str(item)),
        physician_name=None if name is None else str(name),
        physician_id=str(pid),
        activity_title=None if title is None else str(title),
        provider=None if provider is None else str(provider),
        activity_date=dt.date.fromisoformat(str(date)) if date else None,
        credits=Decimal(str(credits)) if credits is not None else None,
        category=str(category),
        credit_type=str(credit_type),
        topics=tuple(json.loads(str(topics))),
        confidence=float(str(confidence)),
        review_reasons=tuple(json.loads(str(reasons))),
        field_confidence=dict(json.loads(str(field_conf))),
    )


def _chunks(items: list[str], size: int) -> Iterator[list[str]]:
    """Split a list into chunks of at most ``size`` items."""
    for start in range(0, len(items), size):
        yield items[start : start + size]
