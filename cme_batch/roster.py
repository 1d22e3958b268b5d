"""Load and validate the physician roster."""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

import pandas as pd

from cme_batch.errors import InputTableError
from cme_batch.rules import load_rulesets
from cme_batch.rules.records import parse_waiver_scope
from cme_batch.schema import LICENSE_TYPES, ROSTER_OPTIONAL_DEFAULTS, ROSTER_REQUIRED_COLUMNS
from cme_batch.tables import NOT_A_DATE, parse_bool, read_date, read_table

_BOOL_COLUMNS = ("prescribes_controlled_substances", "serves_adults", "ehr_alternative_route")


def display_name(first: str, middle: str, last: str, degree: str) -> str:
    """Format a roster name for reports: "Jane Q. Doe, MD"."""
    middle_part = ""
    if middle:
        middle_part = f"{middle}." if len(middle) == 1 else middle
    name = " ".join(p for p in (first, middle_part, last) if p)
    return f"{name}, {degree}" if degree else name


def _waiver_problems(
    line: int, reference: str, scope: str, requirement_ids: Collection[str]
) -> tuple[str, list[str]]:
    """The normalised ``cme_waiver_scope`` and what is wrong with the row's waiver columns."""
    problems: list[str] = []
    if scope and not reference:
        problems.append(
            f"line {line}: cme_waiver_scope {scope!r} is set but cme_waiver is empty: "
            "write the waiver's reference (e.g. the Board's letter and date) in cme_waiver"
        )
    try:
        ids = parse_waiver_scope(scope)
    except ValueError as exc:
        return scope, [*problems, f"line {line}: cme_waiver_scope {exc}"]
    if ids is None:
        return ("all" if reference else ""), problems
    unknown = sorted(ids - set(requirement_ids))
    if unknown:
        problems.append(
            f"line {line}: cme_waiver_scope names unknown requirement(s) "
            f"{', '.join(repr(u) for u in unknown)}; write 'all' or ids from: "
            f"{', '.join(sorted(requirement_ids))}"
        )
    return ";".join(sorted(ids)), problems


def load_roster(path: Path, requirement_ids: Collection[str] | None = None) -> pd.DataFrame:
    """Read and check the roster; every problem is reported at once.

    Args:
        path: CSV or XLSX with the columns of ``schema.ROSTER_REQUIRED_COLUMNS``.
        requirement_ids: The requirement ids a ``cme_waiver_scope`` may name; default: those of
            the packaged rule sets.

    Returns:
        The typed roster described in docs/architecture.md.

    Raises:
        InputTableError: With one line per bad column or row (line numbers as in the file).
    """
    if requirement_ids is None:
        requirement_ids = {rid for ruleset in load_rulesets() for rid in ruleset.requirement_ids}
    frame = read_table(path)
    missing = [c for c in ROSTER_REQUIRED_COLUMNS if c not in frame.columns]
    if missing:
        raise InputTableError(str(path), [f"missing column(s): {', '.join(missing)}"])
    for column, default in ROSTER_OPTIONAL_DEFAULTS.items():
        if column not in frame.columns:
            frame[column] = default
        frame[column] = frame[column].where(frame[column] != "", default)
    problems: list[str] = []
    records = []
    seen: dict[str, int] = {}
    for index, row in enumerate(frame.to_dict("records")):
        line = index + 2  # the header is line 1
        record: dict[str, object] = {str(k): v for k, v in row.items()}
        pid = str(row["physician_id"])
        if not pid:
            problems.append(f"line {line}: physician_id is empty")
        elif pid in seen:
            problems.append(
                f"line {line}: duplicate physician_id {pid!r} (also on line {seen[pid]})"
            )
        else:
            seen[pid] = line
        if not row["last_name"] or not row["first_name"]:
            problems.append(f"line {line}: first_name and last_name are required")
        expires, problem = read_date(str(row["license_expires"]))
        if expires is None:
            problems.append(
                f"line {line}: license_expires {row['license_expires']!r} {problem or NOT_A_DATE}"
            )
        record["license_expires"] = expires
        first_licensed, problem = read_date(str(row["first_licensed"]))
        if problem:
            problems.append(f"line {line}: first_licensed {row['first_licensed']!r} {problem}")
        record["first_licensed"] = first_licensed
        for column in _BOOL_COLUMNS:
            raw = str(row[column])
            value = (
                parse_bool(raw) if raw else parse_bool(ROSTER_OPTIONAL_DEFAULTS.get(column, "no"))
            )
            if value is None:
                problems.append(f"line {line}: {column} {raw!r} is not yes/no")
            record[column] = bool(value)
        license_type = str(row["license_type"]).lower()
        if license_type not in LICENSE_TYPES:
            problems.append(
                f"line {line}: license_type {row['license_type']!r} is not one of "
                f"{', '.join(LICENSE_TYPES)}"
            )
        record["license_type"] = license_type
        record["cme_waiver_scope"], waiver_problems = _waiver_problems(
            line, str(row["cme_waiver"]), str(row["cme_waiver_scope"]), requirement_ids
        )
        problems.extend(waiver_problems)
        record["physician_name"] = display_name(
            str(row["first_name"]),
            str(row["middle_name"]),
            str(row["last_name"]),
            str(row["degree"]),
        )
        records.append(record)
    if problems:
        raise InputTableError(str(path), problems)
    if not records:
        raise InputTableError(str(path), ["the roster has no physicians"])
    return pd.DataFrame.from_records(records)
