"""People's decisions on records: read the corrections form, store them, apply them.

A correction names a record by ``record_id`` (``<source_file>#p<page>[.<n>]``, as in the
reports). It is stored with the file's SHA-256 and the part after ``#`` (the record key), so it
keeps applying after the file is renamed or moved and after a new parser re-reads the stored
page texts. Ledger rows (``ledger:<file>#r<digest>``, the digest of the row's content) are
keyed by their record id alone.

Two decisions reach further than one record, for a physician who is not (or no longer) in the
group: ``not_ours_file`` excludes every record of the record's file (key ``*``), and
``not_ours_name`` every record printed with the record's name, in any file, now or later (key
``name:<folded name>``). A decision on the record itself comes first, then the file's, then the
name's.

A later ``fix`` of a record merges with the earlier one field by field (:func:`merge`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Final

import pandas as pd

from cme_batch.activities import clean_text, record_rows
from cme_batch.errors import InputTableError
from cme_batch.matching import name_tokens
from cme_batch.schema import TOPICS
from cme_batch.state import StateDB, StoredCorrection
from cme_batch.tables import read_date, read_table

log = logging.getLogger(__name__)

DECISIONS: Final[tuple[str, ...]] = ("confirm", "fix", "not_cme", "not_ours_file", "not_ours_name")

#: Decisions that exclude records as someone else's: every record of a file, or of a name.
NOT_OURS: Final[tuple[str, ...]] = ("not_ours_file", "not_ours_name")

#: Fields a correction may set, in form order.
FIELDS: Final[tuple[str, ...]] = (
    "physician_id",
    "activity_date",
    "credits",
    "category",
    "topics",
    "activity_title",
)

#: Columns of the corrections form (``corrections.csv``) the office fills in.
FORM_COLUMNS: Final[tuple[str, ...]] = ("record_id", "decision", *FIELDS, "note")

#: Read-only context columns written after the form columns (ignored when read back).
CONTEXT_COLUMNS: Final[tuple[str, ...]] = (
    "why",
    "found_physician_id",
    "found_date",
    "found_credits",
    "found_title",
)

#: Sheet read from a workbook: the report's review queue doubles as the corrections form.
REVIEW_SHEET: Final[str] = "Needs review"

NOT_CME_REASON: Final[str] = "marked not CME by a person"

#: Start of the exclusion reason of a record a person said is not our physician's.
NOT_OURS_REASON: Final[str] = "not our physician"

_NOT_OURS_SCOPE: Final[dict[str, str]] = {
    "not_ours_file": "a person's decision on every record of this file",
    "not_ours_name": "a person's decision on every record printed with this name",
}

_MAX_CREDITS = Decimal(1000)


@dataclass(frozen=True)
class Entry:
    """One validated row of a corrections file (values normalised to text)."""

    record_id: str
    decision: str
    values: dict[str, str] = field(default_factory=dict)
    note: str = ""
    where: str = ""


# -- reading the form --------------------------------------------------------------------------


@dataclass(frozen=True)
class Form:
    """A corrections form as read: the decisions of its good rows, the problems of the others."""

    entries: tuple[Entry, ...]
    problems: tuple[str, ...]


def read_corrections(
    path: Path, physician_ids: Iterable[str], known_source: Callable[[str], bool] | None = None
) -> list[Entry]:
    """Read and check a corrections CSV or workbook; rows without a decision are skipped.

    Args:
        path: ``corrections.csv``, or an ``.xlsx`` (its "Needs review" sheet when present).
        physician_ids: The roster's ids, to catch a mistyped ``physician_id``.
        known_source: Whether a record id's file is in the inbox or was ever seen there.

    Raises:
        InputTableError: Every bad row at once (unknown decision, bad date, unknown id, ...).
    """
    form = read_form(path, physician_ids, known_source)
    if form.problems:
        raise InputTableError(str(path), list(form.problems))
    return list(form.entries)


def read_form(
    path: Path, physician_ids: Iterable[str], known_source: Callable[[str], bool] | None = None
) -> Form:
    """Read a corrections form and check what can be checked before any document is read.

    A run does not stop on these problems at once: it reads the inbox first, so that a record
    id whose page or record turns out not to exist is reported with them, all in one go (see
    :func:`resolve`).

    Args:
        path: ``corrections.csv``, or an ``.xlsx`` (its "Needs review" sheet when present).
        physician_ids: The roster's ids, to catch a mistyped ``physician_id``.
        known_source: Whether a record id's file is in the inbox or was ever seen there; a
            record id naming any other file is a problem.

    Raises:
        InputTableError: The form itself cannot be read (no ``record_id`` or ``decision``
            column, not a table).
    """
    rows = _read_rows(path)
    known = set(physician_ids)
    entries: list[Entry] = []
    problems: list[str] = []
    seen: dict[str, Entry] = {}
    for where, row in rows:
        entry, row_problems = _entry(where, row, known)
        unknown = _unknown_source(where, row, known_source)
        problems.extend([*row_problems, *unknown])
        if entry is None or unknown:
            continue
        earlier = seen.get(entry.record_id)
        if earlier is not None and (earlier.decision, earlier.values) != (
            entry.decision,
            entry.values,
        ):
            problems.append(f"{where}: {entry.record_id} has another decision on {earlier.where}")
            continue
        seen[entry.record_id] = entry
        entries.append(entry)
    return Form(tuple(entries), tuple(problems))


def _read_rows(path: Path) -> list[tuple[str, dict[str, str]]]:
    if path.suffix.lower() in (".xlsx", ".xlsm") and path.is_file():
        return _read_workbook(path)
    frame = read_table(path)
    if "record_id" not in frame.columns or "decision" not in frame.columns:
        raise InputTableError(str(path), ["needs the columns record_id and decision"])
    records = frame.to_dict("records")
    return [
        (f"line {i + 2}", {str(k): str(v) for k, v in r.items()}) for i, r in enumerate(records)
    ]


def _read_workbook(path: Path) -> list[tuple[str, dict[str, str]]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many types for a bad file
        raise InputTableError(str(path), [f"cannot be read as a workbook: {exc}"]) from exc
    try:
        sheet = book[REVIEW_SHEET] if REVIEW_SHEET in book.sheetnames else book.worksheets[0]
        rows = list(sheet.iter_rows(values_only=True))
    finally:
        book.close()
    # The report puts a note on row 1 and the header below it; a hand-made sheet starts at row 1.
    header_at = next(
        (i for i, row in enumerate(rows[:5]) if {"record_id", "decision"} <= set(_names(row))), None
    )
    if header_at is None:
        raise InputTableError(
            f"{path} [{sheet.title}]", ["no header row with record_id and decision"]
        )
    names = _names(rows[header_at])
    found: list[tuple[str, dict[str, str]]] = []
    for offset, values in enumerate(rows[header_at + 1 :], start=header_at + 2):
        row = {n: _cell_text(v) for n, v in zip(names, values, strict=False) if n}
        if any(row.values()):
            found.append((f"{sheet.title} row {offset}", row))
    return found


def _names(header: tuple[object, ...]) -> list[str]:
    return [_cell_text(c).lower().replace(" ", "_") for c in header]


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        # Excel stores 1.5 credits as a binary float; its shortest repr is what was typed.
        return format(Decimal(repr(value)).normalize(), "f")
    return str(value).strip()


def _unknown_source(
    where: str, row: Mapping[str, str], known_source: Callable[[str], bool] | None
) -> list[str]:
    """The problem of a decided row whose record id names a file the inbox never had."""
    record_id = row.get("record_id", "").strip()
    decided = row.get("decision", "").strip()
    if known_source is None or not decided or "#" not in record_id:
        return []
    if record_id.startswith("ledger:"):
        return []
    source = split_record_id(record_id)[0]
    if known_source(source):
        return []
    return [f"{where}: {record_id}: no file {source!r} is in the inbox or has been seen in it"]


def _entry(
    where: str, row: Mapping[str, str], known_ids: set[str]
) -> tuple[Entry | None, list[str]]:
    decision = row.get("decision", "").strip().lower().replace("-", "_").replace(" ", "_")
    if not decision:
        return None, []
    record_id = row.get("record_id", "").strip()
    problems: list[str] = []
    if decision not in DECISIONS:
        problems.append(f"{where}: decision {decision!r} is not one of {', '.join(DECISIONS)}")
    if not record_id or ("#" not in record_id and not record_id.startswith("ledger:")):
        problems.append(f"{where}: record_id {record_id!r} is not a record id from the report")
    values: dict[str, str] = {}
    for name in FIELDS:
        raw = str(row.get(name, "") or "").strip()
        if not raw:
            continue
        value, problem = normalise(name, raw, known_ids)
        if problem:
            problems.append(f"{where}: {problem}")
        else:
            values[name] = value
    if decision == "fix" and not values and not any(str(row.get(n, "")).strip() for n in FIELDS):
        problems.append(f"{where}: decision fix but no corrected value ({', '.join(FIELDS)})")
    if problems:
        return None, problems
    note = clean_text(str(row.get("note", "") or ""))
    return Entry(record_id, decision, values, note, where), []


def normalise(name: str, raw: str, known_ids: set[str] | None = None) -> tuple[str, str]:
    """Check one corrected value and return it in stored form, or a problem.

    Returns:
        ``(value, "")`` when good, ``("", problem)`` otherwise.
    """
    if name == "physician_id":
        if known_ids is not None and raw not in known_ids:
            return "", f"physician_id {raw!r} is not on the roster"
        return raw, ""
    if name == "activity_date":
        date, problem = read_date(raw)
        return (date.isoformat(), "") if date else ("", f"activity_date {raw!r} {problem}")
    if name == "credits":
        try:
            # Excel with European settings writes 2,5.
            credits = Decimal(raw.replace(",", "."))
        except InvalidOperation:
            return "", f"credits {raw!r} is not a number"
        if not credits.is_finite() or credits < 0 or credits > _MAX_CREDITS:
            return "", f"credits {raw!r} is out of range (0 to {_MAX_CREDITS})"
        return format(credits.normalize(), "f"), ""
    if name == "category":
        category = raw.lower().removeprefix("category").strip().removesuffix(".0")
        return (category, "") if category in ("1", "2") else ("", f"category {raw!r} is not 1 or 2")
    if name == "topics":
        topics = sorted({t.strip() for t in raw.replace(",", ";").split(";") if t.strip()})
        unknown = [t for t in topics if t not in TOPICS]
        if unknown:
            return "", f"unknown topic(s) {', '.join(unknown)} (known: {', '.join(TOPICS)})"
        return ";".join(topics), ""
    return clean_text(raw), ""


# -- resolving record ids to (file content, record key) ---------------------------------------


def split_record_id(record_id: str) -> tuple[str, str]:
    """Split a record id into source file and record key: ``a/b.pdf#p2.1`` -> (a/b.pdf, p2.1)."""
    source, _, key = record_id.rpartition("#")
    return source, key


def resolve(
    entries: Sequence[Entry],
    state: StateDB,
    ledger_ids: Iterable[str],
    source: str,
    form_problems: Sequence[str] = (),
) -> list[StoredCorrection]:
    """Tie each entry to a stored record; every record id that matches nothing is a problem.

    Args:
        entries: The form's good rows.
        state: The state database, with this run's documents read.
        ledger_ids: The record ids of the ledgers' rows.
        source: The form's name, for messages.
        form_problems: The problems :func:`read_form` found, reported with these.

    Raises:
        InputTableError: Every problem of the form at once, in its row order: those found
            before reading and each record id that matches no record.
    """
    ledger = set(ledger_ids)
    found: list[StoredCorrection] = []
    problems: list[str] = []
    decided = state.corrections()
    for entry in entries:
        earlier = decided.get(("", entry.record_id))
        if entry.record_id not in ledger and earlier is not None:
            # The form lists ledger decisions whose row is gone (for review); reading it back
            # unchanged is no new decision and no error.
            if _stored(entry, "", entry.record_id).same_decision(earlier):
                continue
        stored, problem = resolve_one(entry, state, ledger)
        if problem:
            problems.append(f"{entry.where}: {problem}")
        elif stored is not None:
            found.append(_with_source(stored, source))
    if problems or form_problems:
        raise InputTableError(source, sorted([*form_problems, *problems], key=_row_order))
    return found


def _row_order(problem: str) -> int:
    """The form row a problem is about ("line 7: ...", "Needs review row 9: ...")."""
    m = re.match(r"(?:line|[^:]*\brow) (\d+):", problem)
    return int(m.group(1)) if m else 0


def resolve_one(
    entry: Entry, state: StateDB, ledger_ids: set[str] | None
) -> tuple[StoredCorrection | None, str]:
    """Tie one entry to a stored record; ``ledger_ids`` None accepts any ledger record id."""
    if entry.record_id.startswith("ledger:"):
        if entry.decision in NOT_OURS:
            return None, (
                f"{entry.record_id}: {entry.decision} is for certificate files; a ledger row "
                "of someone not in the group is deleted from the ledger (or marked not_cme)"
            )
        if _OLD_LEDGER_ID.search(entry.record_id):
            return None, (
                f"{entry.record_id} is a line-number id of an older cme-batch: ledger rows are "
                "now named by their content (ledger:FILE#r...); take the id from the report"
            )
        if ledger_ids is not None and entry.record_id not in ledger_ids:
            return None, f"{entry.record_id} is not a row of the ledgers given with --ledger"
        return _stored(entry, "", entry.record_id), ""
    path, key = split_record_id(entry.record_id)
    sha = state.sha_of_path(path)
    if sha is None:
        return None, f"{entry.record_id}: no file {path!r} has been seen in the inbox"
    rows = _stored_rows(state, path, sha)
    if key not in rows:
        listed = ", ".join(rows) or "none"
        return None, f"{entry.record_id}: {path} has no record {key!r} (its records: {listed})"
    if entry.decision == "not_ours_file":
        return _stored(entry, sha, "*", f"{path}#*"), ""
    if entry.decision == "not_ours_name":
        printed = str(rows[key]["physician_name"])
        folded = name_key(printed)
        if not folded:
            return None, (
                f"{entry.record_id}: the record has no printed name; use not_ours_file "
                "(the whole file) instead"
            )
        return _stored(entry, "", f"name:{folded}", f"name:{printed}"), ""
    return _stored(entry, sha, key), ""


_OLD_LEDGER_ID = re.compile(r"#row\d+$")


def name_key(printed: str) -> str:
    """The folded form of a printed name that ``not_ours_name`` decisions are keyed by."""
    return " ".join(name_tokens(printed))


def record_keys(state: StateDB, path: str, sha256: str) -> list[str]:
    """Record keys of a stored document, as the activity table numbers them."""
    return list(_stored_rows(state, path, sha256))


def _stored_rows(state: StateDB, path: str, sha256: str) -> dict[str, dict[str, object]]:
    if state.lookup(sha256) is None:
        return {}
    result = state.load_result(sha256)
    rows = record_rows(path, result.records)
    return {split_record_id(str(r["record_id"]))[1]: r for r in rows}


def _stored(entry: Entry, sha256: str, key: str, record_id: str = "") -> StoredCorrection:
    values = {} if entry.decision in NOT_OURS else entry.values
    return StoredCorrection(
        sha256=sha256,
        record_key=key,
        record_id=record_id or entry.record_id,
        decision=entry.decision,
        physician_id=values.get("physician_id"),
        activity_date=values.get("activity_date"),
        credits=values.get("credits"),
        category=values.get("category"),
        topics=values.get("topics"),
        activity_title=values.get("activity_title"),
        note=entry.note,
    )


def _with_source(c: StoredCorrection, source: str) -> StoredCorrection:
    return dataclasses.replace(c, source=source)


def merge(
    earlier: StoredCorrection | None, later: StoredCorrection
) -> tuple[StoredCorrection, list[str]]:
    """Combine a later decision on a record with the earlier one.

    A ``fix`` after a ``fix`` (or a ``confirm``) keeps every field the later one does not set,
    so correcting the credits does not undo an earlier corrected date. Any other later decision
    replaces the earlier one whole.

    Returns:
        The decision to store, and one line per earlier value it replaces or keeps (empty when
        nothing was decided before).
    """
    if earlier is None or earlier.same_decision(later):
        return later, []
    said: list[str] = []
    if later.decision == "fix" and earlier.decision in ("fix", "confirm"):
        values: dict[str, str | None] = {}
        for name in FIELDS:
            before, now = getattr(earlier, name), getattr(later, name)
            values[name] = now if now is not None else before
            if now is None and before is not None:
                said.append(f"keeps {name} {before} from the earlier fix")
            elif before is not None and now != before:
                said.append(f"replaces {name} {before} (earlier fix) with {now}")
        merged = dataclasses.replace(later, **values)  # type: ignore[arg-type]
        merged = dataclasses.replace(merged, note=later.note or earlier.note)
        return merged, said
    earlier_values = [f"{n} {getattr(earlier, n)}" for n in FIELDS if getattr(earlier, n)]
    what = f" ({', '.join(earlier_values)})" if earlier_values else ""
    if earlier.decision != later.decision or earlier_values:
        said.append(f"replaces the earlier {earlier.decision} decision{what}")
    return later, said


# -- applying them -----------------------------------------------------------------------------


def correction_key(row: Mapping[str, object], sha_of_source: Mapping[str, str]) -> tuple[str, str]:
    """The (sha256, record key) under which a correction of this activity row is stored."""
    record_id = str(row["record_id"])
    if record_id.startswith("ledger:"):
        return "", record_id
    sha = sha_of_source.get(str(row["source_file"]), "")
    return sha, split_record_id(record_id)[1]


def decision_for(
    row: Mapping[str, object],
    corrections: Mapping[tuple[str, str], StoredCorrection],
    sha_of_source: Mapping[str, str],
) -> tuple[tuple[str, str], StoredCorrection] | None:
    """The decision that applies to an activity row, and the key it is stored under.

    The record's own decision comes first, then one on the row's whole file, then one on its
    printed name.
    """
    key = correction_key(row, sha_of_source)
    keys = [key]
    if key[0]:
        keys.append((key[0], "*"))
        printed = name_key(str(row.get("physician_name") or ""))
        if printed:
            keys.append(("", f"name:{printed}"))
    for candidate in keys:
        found = corrections.get(candidate)
        if found is not None:
            return candidate, found
    return None


def apply_corrections(
    table: pd.DataFrame,
    corrections: Mapping[tuple[str, str], StoredCorrection],
    sha_of_source: Mapping[str, str],
) -> tuple[pd.DataFrame, set[tuple[str, str]]]:
    """Apply people's decisions to the activity table (before duplicates and rules).

    confirm / fix: the given fields replace the read ones, ``needs_review`` is cleared;
    not_cme: ``exclude_reason`` is set. ``corrected_fields`` names what a person set.

    Returns:
        The corrected table and the keys of the corrections that matched a row.
    """
    if table.empty or not corrections:
        return table, set()
    table = table.copy()
    used: set[tuple[str, str]] = set()
    for idx, raw in zip(table.index, table.to_dict("records"), strict=True):
        row = {str(k): v for k, v in raw.items()}
        decided = decision_for(row, corrections, sha_of_source)
        if decided is None:
            continue
        key, correction = decided
        used.add(key)
        changed: list[str] = []
        if correction.decision == "not_cme":
            table.at[idx, "exclude_reason"] = NOT_CME_REASON
            changed.append("exclude_reason")
        elif correction.decision in NOT_OURS:
            reason = f"{NOT_OURS_REASON} ({_NOT_OURS_SCOPE[correction.decision]})"
            table.at[idx, "exclude_reason"] = reason
            changed.append("exclude_reason")
        else:
            for name in FIELDS:
                text = getattr(correction, name)
                if text is not None:
                    table.at[idx, name] = _typed(name, text)  # type: ignore[assignment]
                    changed.append(name)
        if row["needs_review"]:
            changed.append("needs_review")
        table.at[idx, "needs_review"] = False
        table.at[idx, "review_reason"] = ""
        table.at[idx, "corrected_fields"] = ";".join(changed)
    return table, used


def _typed(name: str, text: str) -> str | dt.date | Decimal:
    if name == "activity_date":
        return dt.date.fromisoformat(text)
    if name == "credits":
        return Decimal(text)
    return text


def warn_unmatched(
    corrections: Mapping[tuple[str, str], StoredCorrection],
    used: set[tuple[str, str]],
    present: Iterable[str],
    ledgers: Iterable[str] = (),
) -> list[str]:
    """Warn about corrections of files still in the inbox that no longer match a record.

    A new parser may split or merge a page's records; the decision is kept but a person has to
    look again. Likewise a decision on a ledger row (``ledgers``: the ``ledger:FILE`` sources of
    this run) whose row was changed or removed: it is never applied to another row. Corrections
    of files that left the inbox, and of ledgers not given, are history and stay silent.
    """
    inbox = set(present)
    given = set(ledgers)
    warnings = []
    for c in unmatched_ledger_decisions(corrections, used, given):
        warnings.append(
            f"{c.record_id}: the {c.decision} decision matches no row of "
            f"{c.record_id.split('#')[0].removeprefix('ledger:')} any more (the row was changed "
            "or removed, or the id is a line number from an older cme-batch): it is not "
            "applied; it is listed in corrections.csv; find the row's id in the report and "
            "decide again, or, if the ledger itself was corrected, take it back with "
            f"'cme-batch review withdraw {c.record_id}'"
        )
    for key, c in sorted(corrections.items()):
        if key not in used and c.sha256 in inbox and c.record_key != "*":
            warnings.append(
                f"{c.record_id}: the {c.decision} decision no longer matches a record of this file "
                "(it was read differently); check it in the review list"
            )
    for text in warnings:
        log.warning("%s", text)
    return warnings


def unmatched_ledger_decisions(
    corrections: Mapping[tuple[str, str], StoredCorrection],
    used: set[tuple[str, str]],
    ledgers: set[str],
) -> list[StoredCorrection]:
    """Decisions on rows of the ledgers given (``ledger:FILE``) that match no row of them."""
    return [
        c
        for key, c in sorted(corrections.items())
        if key not in used and not c.sha256 and c.record_id.split("#")[0] in ledgers
    ]


# -- the form the office edits -----------------------------------------------------------------


def form_frame(
    table: pd.DataFrame,
    corrections: Mapping[tuple[str, str], StoredCorrection],
    sha_of_source: Mapping[str, str],
    orphans: Iterable[StoredCorrection] = (),
) -> pd.DataFrame:
    """``corrections.csv``: records that need review plus every decision already made.

    Undecided rows have a blank ``decision``; decided rows show the stored values, so the file
    can be edited and read back with ``--corrections`` without losing earlier decisions.
    ``orphans`` (decisions on ledger rows that are gone) are listed with why they no longer
    apply.
    """
    rows: list[dict[str, object]] = []
    for c in orphans:
        entry: dict[str, object] = {"record_id": c.record_id, "decision": c.decision}
        entry.update({n: getattr(c, n) for n in FIELDS})
        entry["note"] = c.note
        entry["why"] = "not applied: no ledger row has this content any more (changed or removed)"
        rows.append(entry)
    for raw in table.to_dict("records"):
        row = {str(k): v for k, v in raw.items()}
        decided = decision_for(row, corrections, sha_of_source)
        correction = decided[1] if decided is not None else None
        if correction is None and not row["needs_review"]:
            continue
        found = {
            "why": row["review_reason"],
            "found_physician_id": row["physician_id"],
            "found_date": row["activity_date"],
            "found_credits": row["credits"],
            "found_title": row["activity_title"],
        }
        entry = {"record_id": row["record_id"], **found}
        if correction is not None:
            entry["decision"] = correction.decision
            entry["note"] = correction.note
            entry.update({n: getattr(correction, n) for n in FIELDS})
            entry["why"] = ""
        rows.append(entry)
    columns = [*FORM_COLUMNS, *CONTEXT_COLUMNS]
    return pd.DataFrame(rows, columns=columns).sort_values("record_id", kind="stable")
