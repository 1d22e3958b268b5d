"""Presentation views of a :class:`ReportModel`, shared by the Excel and HTML writers.

Only presentation happens here: missing values normalised, untrusted text cleaned, tables joined
and sorted for display, links built. Every compliance decision was taken by the rules engine.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, Final

import pandas as pd

from cme_batch.report.model import REQUIREMENT_IDS, REQUIREMENT_LABELS, STATUS_ORDER, ReportModel
from cme_batch.report.safe import clean_text, file_href

#: Statuses that mean a physician still has something to do.
SHORT_STATUSES: Final[frozenset[str]] = frozenset({"lapsed", "urgent", "deficient", "needs_review"})
#: Document statuses shown as failures: the file could not be read (exit code 5).
FAILED_DOCUMENT_STATUSES: Final[frozenset[str]] = frozenset({"failed"})
#: Statuses of files that were handled but count nothing: listed apart from failures.
NOT_COUNTED_DOCUMENT_STATUSES: Final[frozenset[str]] = frozenset(
    {"unsupported", "no_certificate", "skipped"}
)
#: Renewal windows of the dashboard: (first, last) days from the as-of date, both included.
RENEWAL_WINDOWS: Final[tuple[tuple[int, int], ...]] = ((0, 30), (31, 60), (61, 90))

Row = Mapping[Hashable, Any]


def is_missing(value: object) -> bool:
    """Return whether a table cell holds no value (None, NaN, NaT, pd.NA)."""
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


def text(value: object) -> str:
    """Return a cell as cleaned text (``""`` when missing)."""
    return "" if is_missing(value) else clean_text(value)


def as_date(value: object) -> dt.date | None:
    """Return a cell as a date (``None`` when missing)."""
    if is_missing(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


def as_decimal(value: object) -> Decimal | None:
    """Return a cell as a finite Decimal (``None`` when missing or not a number)."""
    if is_missing(value):
        return None
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def as_int(value: object) -> int | None:
    """Return a cell as an int (``None`` when missing)."""
    if is_missing(value):
        return None
    try:
        return int(str(value)) if not isinstance(value, int | float) else int(value)
    except ValueError:
        return None


def as_float(value: object) -> float | None:
    """Return a cell as a float (``None`` when missing)."""
    if is_missing(value):
        return None
    try:
        number = float(str(value))
    except ValueError:
        return None
    return None if math.isnan(number) else number


def as_bool(value: object) -> bool:
    """Return a cell as a bool (missing is ``False``)."""
    if is_missing(value):
        return False
    if isinstance(value, str):
        return value.strip().lower() in {"1", "true", "yes", "y"}
    return bool(value)


def split_ids(value: object) -> tuple[str, ...]:
    """Split a ``;``-separated cell into its cleaned, non-empty parts."""
    return tuple(p.strip() for p in text(value).split(";") if p.strip())


def requirement_label(requirement: str) -> str:
    """Return the human label of a requirement id (the id itself when unknown)."""
    return REQUIREMENT_LABELS.get(requirement, requirement.replace("_", " "))


def _records(frame: pd.DataFrame) -> list[Row]:
    return list(frame.to_dict("records"))


@dataclass(frozen=True)
class ActivityView:
    """One activity as shown in reports."""

    record_id: str
    physician_id: str
    physician_name: str
    title: str
    provider: str
    activity_date: dt.date | None
    credits: Decimal | None
    category: str
    credit_type: str
    topics: tuple[str, ...]
    source_file: str
    page: int | None
    href: str
    confidence: float | None
    needs_review: bool
    review_reason: str
    exclude_reason: str
    corrected_fields: tuple[str, ...]
    counted_toward: tuple[str, ...]
    excluded_reason: str

    @property
    def is_ledger(self) -> bool:
        """Whether the row came from a ledger (not a certificate in the inbox)."""
        return self.record_id.startswith("ledger:")

    @property
    def why_excluded(self) -> str:
        """The reason the row did not count (engine's reason, else the upstream one)."""
        return self.excluded_reason or self.exclude_reason

    @property
    def counted_labels(self) -> str:
        """The requirements the row counted toward, in words."""
        return ", ".join(requirement_label(r) for r in self.counted_toward)


@dataclass(frozen=True)
class RequirementView:
    """One requirement of one physician."""

    requirement: str
    label: str
    required: Decimal | None
    earned: Decimal | None
    shortfall: Decimal | None
    status: str
    cycle_start: dt.date | None
    cycle_end: dt.date | None
    counted: tuple[str, ...]
    note: str
    #: A one-time requirement: any activity dated up to the renewal date counts.
    one_time: bool = False

    @property
    def dates_counted(self) -> str:
        """Which activity dates count, said the same way as everywhere (both ends included)."""
        if self.one_time:
            return dates_up_to(self.cycle_end)
        return inclusive_window(self.cycle_start, self.cycle_end)


@dataclass(frozen=True)
class PhysicianView:
    """One physician with everything an audit packet shows."""

    physician_id: str
    name: str
    license_type: str
    rule_set: str
    renewal_date: dt.date | None
    days_to_renewal: int | None
    status: str
    missing: str
    anchor: str
    window_start: dt.date | None
    window_end: dt.date | None
    requirements: tuple[RequirementView, ...]
    counted: tuple[ActivityView, ...]
    excluded: tuple[ActivityView, ...]
    pending: tuple[ActivityView, ...]

    def requirement(self, requirement: str) -> RequirementView | None:
        """Return this physician's row for a requirement, if any."""
        for req in self.requirements:
            if req.requirement == requirement:
                return req
        return None


@dataclass(frozen=True)
class DocumentView:
    """One inbox file and its outcome."""

    source_file: str
    href: str
    sha256: str
    kind: str
    pages: int | None
    status: str
    reason: str


@dataclass(frozen=True)
class RenewalWindow:
    """Physicians renewing between ``first`` and ``last`` days after the as-of date."""

    first: int
    last: int
    total: int
    short: tuple[PhysicianView, ...]


@dataclass(frozen=True)
class Completion:
    """How many physicians to whom a requirement applies have met it."""

    requirement: str
    label: str
    applicable: int
    met: int

    @property
    def percent(self) -> int:
        """Whole percent met (0 when it applies to nobody)."""
        return round(100 * self.met / self.applicable) if self.applicable else 0


@dataclass(frozen=True)
class ReportView:
    """Everything the writers render, in display order."""

    physicians: tuple[PhysicianView, ...]
    activities: tuple[ActivityView, ...]
    review: tuple[ActivityView, ...]
    documents: tuple[DocumentView, ...]
    failed_documents: tuple[DocumentView, ...]
    #: Files read or seen that count nothing (no certificate, unsupported, skipped).
    not_counted_documents: tuple[DocumentView, ...]
    requirement_ids: tuple[str, ...]
    status_counts: tuple[tuple[str, int], ...]
    renewals: tuple[RenewalWindow, ...]
    completion: tuple[Completion, ...]


def urgency_key(phys: PhysicianView) -> tuple[int, int, str, str]:
    """Sort key: most urgent status first, then soonest renewal, then name."""
    rank = STATUS_ORDER.index(phys.status) if phys.status in STATUS_ORDER else len(STATUS_ORDER)
    days = phys.days_to_renewal if phys.days_to_renewal is not None else 10**6
    return (rank, days, phys.name.casefold(), phys.physician_id)


def _anchor(physician_id: str, used: set[str]) -> str:
    base = "p-" + (re.sub(r"[^A-Za-z0-9_-]", "_", physician_id)[:60] or "x")
    anchor, n = base, 1
    while anchor in used:
        n += 1
        anchor = f"{base}-{n}"
    used.add(anchor)
    return anchor


def _activity(row: Row, base: str, status: Row | None) -> ActivityView:
    page = as_int(row.get("page"))
    record_id = text(row.get("record_id"))
    source = text(row.get("source_file"))
    href = "" if record_id.startswith("ledger:") else file_href(base, source, page)
    return ActivityView(
        record_id=record_id,
        physician_id=text(row.get("physician_id")),
        physician_name=text(row.get("physician_name")),
        title=text(row.get("activity_title")),
        provider=text(row.get("provider")),
        activity_date=as_date(row.get("activity_date")),
        credits=as_decimal(row.get("credits")),
        category=text(row.get("category")),
        credit_type=text(row.get("credit_type")),
        topics=split_ids(row.get("topics")),
        source_file=source,
        page=page,
        href=href,
        confidence=as_float(row.get("confidence")),
        needs_review=as_bool(row.get("needs_review")),
        review_reason=text(row.get("review_reason")),
        exclude_reason=text(row.get("exclude_reason")),
        corrected_fields=split_ids(row.get("corrected_fields")),
        counted_toward=split_ids(status.get("counted_toward")) if status is not None else (),
        excluded_reason=text(status.get("excluded_reason")) if status is not None else "",
    )


def inclusive_window(start: dt.date | None, end: dt.date | None) -> str:
    """``2024-10-04 through 2026-10-03 (both days count)``: the one wording of a cycle window."""
    if start is None or end is None:
        return "–"
    return f"{start.isoformat()} through {end.isoformat()} (both days count)"


def dates_up_to(end: dt.date | None) -> str:
    """``any date up to 2026-10-03``: the dates a one-time requirement counts."""
    return f"any date up to {end.isoformat()}" if end is not None else "–"


@functools.cache
def _one_time_requirements() -> frozenset[tuple[str, str]]:
    """(rule set, requirement) pairs that are one-time, from the packaged rule sets."""
    from cme_batch.rules import load_rulesets

    return frozenset((rs.id, r.id) for rs in load_rulesets() for r in rs.requirements if r.one_time)


def _requirement(row: Row) -> RequirementView:
    req = text(row.get("requirement"))
    return RequirementView(
        one_time=(text(row.get("rule_set")), req) in _one_time_requirements(),
        requirement=req,
        label=requirement_label(req),
        required=as_decimal(row.get("required")),
        earned=as_decimal(row.get("earned")),
        shortfall=as_decimal(row.get("shortfall")),
        status=text(row.get("status")),
        cycle_start=as_date(row.get("cycle_start")),
        cycle_end=as_date(row.get("cycle_end")),
        counted=split_ids(row.get("counted")),
        note=text(row.get("note")),
    )


def _requirement_order(ids: Iterable[str]) -> tuple[str, ...]:
    present = set(ids)
    known = [r for r in REQUIREMENT_IDS if r in present]
    extra = sorted(present - set(REQUIREMENT_IDS))
    return tuple(known + extra)


def build_view(model: ReportModel) -> ReportView:
    """Turn the model's tables into display rows, sorted for the reports.

    Args:
        model: The report model.

    Returns:
        The view both writers render.
    """
    base = model.inbox_href_base
    status_by_phys: dict[str, dict[str, Row]] = {}
    counted_by_record: dict[str, list[str]] = {}
    excluded_by_record: dict[str, str] = {}
    for srow in _records(model.activity_status):
        pid, rid = text(srow.get("physician_id")), text(srow.get("record_id"))
        status_by_phys.setdefault(pid, {})[rid] = srow
        for req in split_ids(srow.get("counted_toward")):
            if req not in counted_by_record.setdefault(rid, []):
                counted_by_record[rid].append(req)
        reason = text(srow.get("excluded_reason"))
        if reason:
            excluded_by_record.setdefault(rid, reason)

    raw_activities = _records(model.activities)
    act_by_record: dict[str, Row] = {text(r.get("record_id")): r for r in raw_activities}

    activities = tuple(
        _activity(
            r,
            base,
            {
                "counted_toward": ";".join(counted_by_record.get(text(r.get("record_id")), [])),
                "excluded_reason": excluded_by_record.get(text(r.get("record_id")), ""),
            },
        )
        for r in raw_activities
    )
    activities = tuple(
        sorted(
            activities,
            key=lambda a: (
                a.physician_name.casefold(),
                a.activity_date or dt.date.min,
                a.record_id,
            ),
        )
    )

    reqs_by_phys: dict[str, list[RequirementView]] = {}
    for crow in _records(model.compliance):
        reqs_by_phys.setdefault(text(crow.get("physician_id")), []).append(_requirement(crow))
    requirement_ids = _requirement_order(
        r.requirement for reqs in reqs_by_phys.values() for r in reqs
    )

    acts_by_phys: dict[str, list[Row]] = {}
    for r in raw_activities:
        acts_by_phys.setdefault(text(r.get("physician_id")), []).append(r)

    used: set[str] = set()
    physicians: list[PhysicianView] = []
    for prow in _records(model.physicians):
        pid = text(prow.get("physician_id"))
        order = {rid: i for i, rid in enumerate(requirement_ids)}
        reqs = sorted(reqs_by_phys.get(pid, []), key=lambda r: order.get(r.requirement, 99))
        window = next((r for r in reqs if r.requirement == "total"), reqs[0] if reqs else None)
        considered: dict[str, ActivityView] = {}
        for rid, srow in status_by_phys.get(pid, {}).items():
            if rid in act_by_record:
                considered[rid] = _activity(act_by_record[rid], base, srow)
        for r in acts_by_phys.get(pid, []):
            rid = text(r.get("record_id"))
            if rid not in considered:
                considered[rid] = _activity(r, base, None)
        ordered = sorted(
            considered.values(), key=lambda a: (a.activity_date or dt.date.min, a.record_id)
        )
        physicians.append(
            PhysicianView(
                physician_id=pid,
                name=text(prow.get("physician_name")),
                license_type=text(prow.get("license_type")),
                rule_set=text(prow.get("rule_set")),
                renewal_date=as_date(prow.get("renewal_date")),
                days_to_renewal=as_int(prow.get("days_to_renewal")),
                status=text(prow.get("status")),
                missing=text(prow.get("missing")),
                anchor=_anchor(pid, used),
                window_start=window.cycle_start if window else None,
                window_end=window.cycle_end if window else None,
                requirements=tuple(reqs),
                counted=tuple(a for a in ordered if a.counted_toward),
                excluded=tuple(a for a in ordered if not a.counted_toward and a.why_excluded),
                pending=tuple(
                    a
                    for a in ordered
                    if not a.counted_toward and not a.why_excluded and a.needs_review
                ),
            )
        )
    physicians.sort(key=urgency_key)

    documents = tuple(
        sorted(
            (
                DocumentView(
                    source_file=text(d.get("source_file")),
                    href=file_href(base, text(d.get("source_file"))),
                    sha256=text(d.get("sha256")),
                    kind=text(d.get("kind")),
                    pages=as_int(d.get("pages")),
                    status=text(d.get("status")),
                    reason=text(d.get("reason")),
                )
                for d in _records(model.documents)
            ),
            key=lambda d: (d.status == "ok", d.source_file.casefold()),
        )
    )

    counts = Counter(p.status for p in physicians)
    status_counts = tuple((s, counts.get(s, 0)) for s in STATUS_ORDER) + tuple(
        sorted((s, n) for s, n in counts.items() if s not in STATUS_ORDER)
    )
    renewals = tuple(
        RenewalWindow(
            first=first,
            last=last,
            total=sum(1 for p in physicians if _within(p, first, last)),
            short=tuple(
                p for p in physicians if _within(p, first, last) and p.status in SHORT_STATUSES
            ),
        )
        for first, last in RENEWAL_WINDOWS
    )
    completion = tuple(_completion(req, physicians) for req in requirement_ids)
    return ReportView(
        physicians=tuple(physicians),
        activities=activities,
        review=tuple(a for a in activities if a.needs_review),
        documents=documents,
        failed_documents=tuple(d for d in documents if d.status in FAILED_DOCUMENT_STATUSES),
        not_counted_documents=tuple(
            d for d in documents if d.status in NOT_COUNTED_DOCUMENT_STATUSES
        ),
        requirement_ids=requirement_ids,
        status_counts=status_counts,
        renewals=renewals,
        completion=completion,
    )


def _completion(requirement: str, physicians: Iterable[PhysicianView]) -> Completion:
    statuses = [req.status for p in physicians if (req := p.requirement(requirement)) is not None]
    return Completion(
        requirement=requirement,
        label=requirement_label(requirement),
        applicable=sum(1 for s in statuses if s != "not_applicable"),
        met=sum(1 for s in statuses if s == "met"),
    )


def _within(phys: PhysicianView, first: int, last: int) -> bool:
    return phys.days_to_renewal is not None and first <= phys.days_to_renewal <= last
