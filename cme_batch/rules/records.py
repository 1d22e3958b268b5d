"""Roster and activity rows as small frozen records the engine can reason about.

The engine reads the DataFrames once, here, and never touches pandas cells again: pandas may
hand back ``NaN``/``NaT``/``pd.NA`` for a missing value depending on dtype, and converting in one
place keeps that noise out of the rules.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

import pandas as pd

_TRUE = frozenset({"yes", "y", "true", "t", "1", "x"})
_FALSE = frozenset({"no", "n", "false", "f", "0", ""})
_REQUIREMENT_ID = re.compile(r"^[a-z][a-z0-9_]*$")


def is_missing(value: object) -> bool:
    """Whether a cell holds no value (None, NaN, NaT, pd.NA)."""
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


def as_text(value: object) -> str:
    """A cell as a stripped string; missing is the empty string."""
    return "" if is_missing(value) else str(value).strip()


def as_date(value: object) -> date | None:
    """A cell as a ``datetime.date``; missing is None.

    Raises:
        ValueError: the cell holds something that is not a date.
    """
    if is_missing(value):
        return None
    if isinstance(value, datetime):  # includes pd.Timestamp; check before date (subclass)
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        return date.fromisoformat(value.strip()) if value.strip() else None
    raise ValueError(f"not a date: {value!r}")


def as_decimal(value: object) -> Decimal | None:
    """A cell as a ``Decimal``; missing is None.

    Raises:
        ValueError: the cell holds something that is not a number.
    """
    if is_missing(value):
        return None
    if isinstance(value, Decimal):
        return value
    if isinstance(value, bool):
        raise ValueError(f"not a number: {value!r}")
    try:
        # str() keeps a float such as 1.5 exact instead of its binary expansion.
        number = Decimal(str(value).strip()) if str(value).strip() else None
    except InvalidOperation:
        raise ValueError(f"not a number: {value!r}") from None
    return number


def as_bool(value: object, default: bool) -> bool:
    """A roster flag (bool, or yes/no text as in ``ROSTER_OPTIONAL_DEFAULTS``).

    Raises:
        ValueError: the text is neither yes nor no.
    """
    if is_missing(value):
        return default
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return default if text == "" else False
    raise ValueError(f"not yes/no: {value!r}")


def as_int(value: object) -> int | None:
    """A page number; missing is None."""
    if is_missing(value):
        return None
    return int(str(value).split(".")[0]) if not isinstance(value, int) else value


@dataclass(frozen=True)
class Activity:
    """One row of the activity table, typed."""

    record_id: str
    physician_id: str
    activity_date: date | None
    credits: Decimal | None
    category: str
    topics: frozenset[str]
    needs_review: bool
    review_reason: str
    exclude_reason: str
    credit_type: str
    source_file: str
    page: int | None
    title: str
    provider: str

    @property
    def where(self) -> str:
        """Where a person finds the record: file and page."""
        return self.source_file + (f" p.{self.page}" if self.page is not None else "")

    @property
    def sort_key(self) -> tuple[date, str]:
        """Chronological, then by id: makes results independent of input row order."""
        return (self.activity_date or date.min, self.record_id)


@dataclass(frozen=True)
class Physician:
    """One roster row, typed; ``problem`` is set when the row cannot be evaluated."""

    physician_id: str
    name: str
    license_type: str
    renewal: date | None
    first_licensed: date | None
    prescriber: bool
    serves_adults: bool
    ehr_alternative_route: bool
    problem: str = ""
    #: The office's reference of a CME waiver the Board granted (roster ``cme_waiver``).
    waiver: str = ""
    #: The requirement ids the waiver covers; None means all (roster ``cme_waiver_scope``).
    waiver_scope: frozenset[str] | None = None

    def waived(self, requirement_id: str) -> bool:
        """Whether the physician's individual waiver covers ``requirement_id``."""
        if not self.waiver:
            return False
        return self.waiver_scope is None or requirement_id in self.waiver_scope


WAIVER_SCOPE_ALL = "all"


def parse_waiver_scope(text: str) -> frozenset[str] | None:
    """A ``cme_waiver_scope`` cell: ``all`` (or blank) is None, else the ``;``-separated ids.

    Raises:
        ValueError: ``all`` is mixed with ids, or an id is not a well-formed requirement id.
    """
    parts = [p.strip().lower() for p in text.split(";")]
    ids = [p for p in parts if p]
    if not ids or ids == [WAIVER_SCOPE_ALL]:
        return None
    if WAIVER_SCOPE_ALL in ids:
        raise ValueError(f"{text!r}: 'all' cannot be combined with requirement ids")
    malformed = [i for i in ids if not _REQUIREMENT_ID.match(i)]
    if malformed:
        raise ValueError(
            f"{text!r}: {', '.join(repr(m) for m in malformed)} is not a requirement id "
            "(write 'all' or ids separated by ';', e.g. 'dementia;ehr')"
        )
    return frozenset(ids)


def _waiver(row: dict[str, object]) -> tuple[str, frozenset[str] | None]:
    """The waiver reference and scope of a roster row.

    Raises:
        ValueError: a scope without a reference, or a malformed scope.
    """
    reference = as_text(row.get("cme_waiver"))
    scope_text = as_text(row.get("cme_waiver_scope"))
    if scope_text and not reference:
        raise ValueError(
            f"cme_waiver_scope {scope_text!r} is set but cme_waiver (the waiver's reference) "
            "is empty"
        )
    return reference, parse_waiver_scope(scope_text)


def _physician_name(row: dict[str, object]) -> str:
    name = as_text(row.get("physician_name"))
    if name:
        return name
    parts = [as_text(row.get(k)) for k in ("first_name", "middle_name", "last_name")]
    full = " ".join(p for p in parts if p)
    degree = as_text(row.get("degree"))
    return f"{full}, {degree}" if degree and full else full


def physicians_from(roster: pd.DataFrame) -> list[Physician]:
    """Typed physicians from the roster table.

    A row whose values cannot be read is kept with ``problem`` set so the physician is reported
    as needing review instead of the whole batch failing.

    Raises:
        ValueError: a physician id is empty or appears twice (results would be ambiguous).
    """
    physicians: list[Physician] = []
    seen: set[str] = set()
    for raw in roster.to_dict("records"):
        row = {str(k): v for k, v in raw.items()}
        pid = as_text(row.get("physician_id"))
        if not pid or pid in seen:
            raise ValueError(f"roster physician_id {pid!r} is empty or repeated")
        seen.add(pid)
        problem = ""
        try:
            renewal = as_date(row.get("license_expires"))
            first = as_date(row.get("first_licensed"))
            prescriber = as_bool(row.get("prescribes_controlled_substances"), False)
            adults = as_bool(row.get("serves_adults"), True)
            route = as_bool(row.get("ehr_alternative_route"), False)
            waiver, scope = _waiver(row)
        except ValueError as exc:
            renewal, first, prescriber, adults, route = None, None, False, True, False
            waiver, scope = "", None
            problem = f"unreadable roster value: {exc}"
        if renewal is None and not problem:
            problem = "no renewal date (license_expires) on the roster"
        physicians.append(
            Physician(
                physician_id=pid,
                name=_physician_name(row),
                license_type=as_text(row.get("license_type")).lower() or "full",
                renewal=renewal,
                first_licensed=first,
                prescriber=prescriber,
                serves_adults=adults,
                ehr_alternative_route=route,
                problem=problem,
                waiver=waiver,
                waiver_scope=scope,
            )
        )
    return physicians


def activities_from(table: pd.DataFrame) -> list[Activity]:
    """Typed activities from the activity table.

    A cell that cannot be read does not stop the batch: the row is kept with an
    ``exclude_reason`` saying what is wrong, so it shows up as excluded.
    """
    activities: list[Activity] = []
    for raw in table.to_dict("records"):
        row = {str(k): v for k, v in raw.items()}
        exclude = as_text(row.get("exclude_reason"))
        try:
            when = as_date(row.get("activity_date"))
        except ValueError:
            when, exclude = None, exclude or f"unreadable date {row.get('activity_date')!r}"
        try:
            credits = as_decimal(row.get("credits"))
        except ValueError:
            credits, exclude = None, exclude or f"unreadable credits {row.get('credits')!r}"
        source_file = as_text(row.get("source_file"))
        page = as_int(row.get("page"))
        record_id = as_text(row.get("record_id")) or f"{source_file}#p{page or 0}"
        topics = frozenset(t.strip() for t in as_text(row.get("topics")).split(";") if t.strip())
        category = as_text(row.get("category"))
        activities.append(
            Activity(
                record_id=record_id,
                physician_id=as_text(row.get("physician_id")),
                activity_date=when,
                credits=credits,
                category=category[:-2] if category.endswith(".0") else category,
                topics=topics,
                needs_review=_flag(row.get("needs_review")),
                review_reason=as_text(row.get("review_reason")),
                exclude_reason=exclude,
                credit_type=as_text(row.get("credit_type")).lower(),
                source_file=source_file,
                page=page,
                title=as_text(row.get("activity_title")),
                provider=as_text(row.get("provider")),
            )
        )
    return activities


def _flag(value: object) -> bool:
    # An unreadable needs_review value is treated as flagged: a record is never counted silently
    # when we cannot tell whether a person still has to look at it.
    try:
        return as_bool(value, False)
    except ValueError:
        return True
