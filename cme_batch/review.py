"""``cme-batch review``: list the records that need a person, and record their decisions.

Works on the state database alone (no inbox, roster or OCR), so it is quick to use between
runs; a decision recorded here applies from the next ``cme-batch run``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from cme_batch.activities import record_rows
from cme_batch.corrections import (
    FIELDS,
    Entry,
    decision_for,
    merge,
    normalise,
    resolve_one,
    split_record_id,
)
from cme_batch.errors import CmeBatchError, ExitCode
from cme_batch.fields import policy
from cme_batch.lastrun import META_LAST_INPUTS
from cme_batch.output import format_cell
from cme_batch.state import META_ROSTER_IDS, WITHDRAWN, StateDB, StoredCorrection, open_state

#: Columns of ``review list``.
LIST_COLUMNS = ("record_id", "decision", "physician_id", "activity_date", "credits", "why_or_note")


class ReviewError(CmeBatchError):
    """A review command names an unknown record or a bad value."""

    exit_code = ExitCode.BAD_ARGUMENTS


@dataclass(frozen=True)
class ReviewRow:
    """One line of ``review list``."""

    record_id: str
    decision: str
    physician_id: str
    activity_date: str
    credits: str
    why_or_note: str


def open_existing(path: Path) -> StateDB:
    """Open a state database that a run has made (review never creates one).

    Raises:
        ReviewError: There is no database at ``path``.
    """
    if not path.is_file():
        raise ReviewError(
            f"no state database at {path}: run 'cme-batch run' first, or pass --state"
        )
    return open_state(path)


def review_rows(state: StateDB, include_decided: bool = True) -> list[ReviewRow]:
    """Records of the files in the inbox at the last run that need review or have a decision."""
    present = state.present_files()
    corrections = state.corrections()
    known = {h for h in present.values() if state.lookup(h) is not None}
    results = state.load_results(known)
    as_of = _last_as_of(state)
    rows: list[ReviewRow] = []
    for path, sha in present.items():
        if sha not in results:
            continue
        records = results[sha].records
        if as_of is not None:
            # As the last run judged them: a date after its as-of date is a review reason.
            records = tuple(policy.checked_for_run(records, as_of))
        for row in record_rows(path, records):
            found = decision_for(row, corrections, {path: sha})
            decided = found[1] if found is not None else None
            if decided is None and not row["needs_review"]:
                continue
            if decided is not None and not include_decided:
                continue
            rows.append(_line(row, decided))
    if include_decided:
        rows.extend(_ledger_decisions(corrections.values()))
    return rows


def _last_as_of(state: StateDB) -> dt.date | None:
    """The as-of date of the last reporting run, when one is recorded."""
    text = state.get_meta(META_LAST_INPUTS)
    if not text:
        return None
    try:
        return dt.date.fromisoformat(json.loads(text)["as_of"])
    except (ValueError, KeyError, TypeError):
        return None


def _ledger_decisions(corrections: Iterable[StoredCorrection]) -> list[ReviewRow]:
    """Decisions on ledger rows (the ledgers are not in the state: only what was decided)."""
    return [
        ReviewRow(
            c.record_id,
            c.decision,
            c.physician_id or "",
            c.activity_date or "",
            c.credits or "",
            c.note,
        )  # fmt: skip
        for c in sorted(corrections, key=lambda c: c.record_id)
        if not c.sha256 and c.record_id.startswith("ledger:")
    ]


def _line(row: Mapping[str, object], decided: StoredCorrection | None) -> ReviewRow:
    if decided is None:
        return ReviewRow(
            str(row["record_id"]), "", str(row["physician_id"]),
            format_cell(row["activity_date"], False), format_cell(row["credits"], False),
            str(row["review_reason"]),
        )  # fmt: skip
    return ReviewRow(
        str(row["record_id"]),
        decided.decision,
        decided.physician_id or str(row["physician_id"]),
        decided.activity_date or format_cell(row["activity_date"], False),
        decided.credits or format_cell(row["credits"], False),
        decided.note,
    )


def record_decision(
    state: StateDB, record_id: str, decision: str, values: Mapping[str, str | None], note: str
) -> tuple[StoredCorrection, list[str]]:
    """Check and store one decision made on the command line.

    A ``fix`` merges with an earlier ``fix`` of the same record field by field
    (:func:`cme_batch.corrections.merge`).

    Returns:
        The decision stored, and one line per earlier value it replaced or kept.

    Raises:
        ReviewError: A bad value (a physician id not on the last run's roster included), a fix
            without values, or a record id the database lacks.
    """
    roster = state.get_meta(META_ROSTER_IDS)
    known = set(json.loads(roster)) if roster else None
    checked: dict[str, str] = {}
    for name in FIELDS:
        raw = values.get(name)
        if raw is None or not raw.strip():
            continue
        value, problem = normalise(name, raw.strip(), known)
        if problem:
            if name == "physician_id":
                problem += " of the last run: check the id in physicians.csv"
            raise ReviewError(problem)
        checked[name] = value
    if decision == "fix" and not checked:
        raise ReviewError(
            f"fix needs at least one of --{', --'.join(f.replace('_', '-') for f in FIELDS)}"
        )
    stored, problem = resolve_one(Entry(record_id, decision, checked, note), state, None)
    if stored is None:
        raise ReviewError(f"{problem}; see 'cme-batch review list'")
    stored = dataclasses.replace(stored, source="cme-batch review")
    stored, said = merge(state.corrections().get((stored.sha256, stored.record_key)), stored)
    state.add_correction(stored)
    return stored, said


def withdraw_decision(state: StateDB, record_id: str, note: str = "") -> StoredCorrection:
    """Take back the decision on a record: from the next run it is read as it was.

    For a decision that no longer applies: above all one on a ledger row that the office has
    since corrected in the ledger itself, which every run would otherwise warn about. The
    decision stays in the database as history.

    Returns:
        The decision withdrawn.

    Raises:
        ReviewError: The record has no decision.
    """
    current = state.corrections()
    found = next((c for c in current.values() if c.record_id == record_id), None)
    if found is None and not record_id.startswith("ledger:"):
        path, key = split_record_id(record_id)
        sha = state.sha_of_path(path)
        found = current.get((sha, key)) if sha is not None else None
    if found is None:
        raise ReviewError(f"{record_id} has no decision to withdraw; see 'cme-batch review list'")
    state.add_correction(
        StoredCorrection(
            found.sha256,
            found.record_key,
            found.record_id,
            WITHDRAWN,
            note=note,
            source="cme-batch review",
        )  # fmt: skip
    )
    return found
