"""Which renewal notices are due tonight: a pure function of the evaluation and the history.

A reminder threshold (days before the renewal date) fires on the first run whose
``days_to_renewal`` is at or below it, so a night without a run still sends it the next night;
when several have become due at once only the most urgent (smallest) is sent, and a threshold
is never sent after a more urgent one went out for the same renewal date. The history is keyed
by renewal date: a renewed license (a new date on the roster) starts a new set of notices.

Who is reminded: ``deficient``, ``urgent`` and ``needs_review`` physicians. Not ``compliant``
ones (unless the office turns on the once-per-cycle "all set" note), not ``not_applicable``
(limited or inactive licenses need no CME), and not ``lapsed``: once the renewal date has passed
a reminder to "complete by" that date is wrong, and the roster or the license needs a person, so
lapsed physicians are listed for the office in the digest instead.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Final

import pandas as pd

from cme_batch.notices.config import NoticeConfig
from cme_batch.report.model import REQUIREMENT_IDS, REQUIREMENT_LABELS
from cme_batch.rules.cycle import fmt
from cme_batch.rules.ruleset import Requirement as DeclaredRequirement
from cme_batch.state import StoredNotice

#: Physician statuses that get reminders.
REMIND_STATUSES: Final[frozenset[str]] = frozenset({"deficient", "urgent", "needs_review"})
REMINDER: Final[str] = "reminder"
ALL_SET: Final[str] = "all_set"


@dataclass(frozen=True)
class Requirement:
    """One requirement's standing, as a notice shows it."""

    label: str
    required: Decimal
    earned: Decimal
    status: str
    #: What is still needed, in words ("3 more risk-management credits"); "" when met.
    needed: str = ""
    #: The rules engine's note (e.g. how a requirement was met without credits).
    note: str = ""

    @property
    def met_without_credits(self) -> bool:
        """Met although fewer credits were counted than required (an attestation, a waiver)."""
        return self.status == "met" and self.earned < self.required


@dataclass(frozen=True)
class Notice:
    """One notice due in this run."""

    physician_id: str
    physician_name: str
    email: str
    renewal_date: dt.date
    days_to_renewal: int
    status: str
    missing: str
    kind: str
    threshold: int
    final: bool
    requirements: tuple[Requirement, ...]
    counted_credits: Decimal
    #: The previous attempt failed (or its outcome is unknown): this is a retry.
    retry: bool = False
    #: The Message-ID of an earlier attempt whose outcome is unknown; reused so a mail client
    #: shows a message that did arrive after all only once.
    message_id: str = ""
    #: How the notice addresses the physician ("Dr. Okafor"); the roster name when unknown.
    salutation: str = ""

    @property
    def needed(self) -> tuple[str, ...]:
        """What is still needed, one item per requirement, in the physician's terms."""
        return tuple(r.needed for r in self.requirements if r.needed)

    @property
    def key(self) -> tuple[str, str, str, int]:
        """The history key: physician, renewal date, kind, threshold."""
        return (self.physician_id, self.renewal_date.isoformat(), self.kind, self.threshold)


@dataclass(frozen=True)
class Unnotified:
    """A physician the office must look at because no notice can be sent."""

    physician_id: str
    physician_name: str
    renewal_date: dt.date | None
    status: str
    reason: str


@dataclass(frozen=True)
class Plan:
    """What this run should send, and whom it cannot remind."""

    due: tuple[Notice, ...]
    unnotified: tuple[Unnotified, ...]


def plan_notices(
    physicians: pd.DataFrame,
    compliance: pd.DataFrame,
    emails: Mapping[str, str],
    history: Iterable[StoredNotice],
    config: NoticeConfig,
    last_names: Mapping[str, str] | None = None,
) -> Plan:
    """Work out the notices due, from the rules engine's tables and the notices history.

    Args:
        physicians: The evaluation's physicians table (``physicians.csv`` columns).
        compliance: The evaluation's compliance table (``compliance.csv`` columns).
        emails: Roster ``email`` by physician id, as written on the roster (checked later).
        history: Every notice recorded in the state database.
        config: Thresholds and whether the "all set" note is on.
        last_names: Roster ``last_name`` by physician id, for "Dear Dr. Okafor".

    Returns:
        The notices due, in physician-id order, and the physicians who cannot be reminded.
    """
    past: dict[tuple[str, str, str], list[StoredNotice]] = {}
    for stored in history:
        past.setdefault((stored.physician_id, stored.renewal_date, stored.kind), []).append(stored)
    standing = _requirements(compliance, physicians)
    due: list[Notice] = []
    unnotified: list[Unnotified] = []
    for row in physicians.sort_values("physician_id", kind="stable").to_dict("records"):
        pid, status = str(row["physician_id"]), str(row["status"])
        name = str(row["physician_name"])
        renewal, days = _date(row.get("renewal_date")), _days(row.get("days_to_renewal"))
        if status == "not_applicable":
            continue
        if status == "lapsed":
            reason = "renewal date passed: check the license and update the roster"
            unnotified.append(Unnotified(pid, name, renewal, status, reason))
            continue
        if renewal is None or days is None:
            reason = "no usable renewal date: " + (str(row.get("missing") or "") or "see report")
            unnotified.append(Unnotified(pid, name, renewal, status, reason))
            continue
        if status in REMIND_STATUSES:
            kind, threshold = REMINDER, _threshold(days, config.thresholds)
        elif status == "compliant" and config.all_set:
            kind, threshold = ALL_SET, 0
        else:
            continue
        if threshold is None:
            continue
        earlier = past.get((pid, renewal.isoformat(), kind), [])
        # A reminder already delivered at this threshold or a more urgent one covers this one.
        if any(s.status == "delivered" and s.threshold <= threshold for s in earlier):
            continue
        previous = next((s for s in earlier if s.threshold == threshold), None)
        requirements = standing.get(pid, ())
        counted = next((r.earned for r in requirements if r.label == _TOTAL), Decimal(0))
        due.append(
            Notice(
                physician_id=pid,
                physician_name=name,
                email=str(emails.get(pid, "")),
                renewal_date=renewal,
                days_to_renewal=days,
                status=status,
                missing=str(row.get("missing") or ""),
                kind=kind,
                threshold=threshold,
                final=kind == REMINDER and threshold == config.final_threshold,
                requirements=requirements,
                counted_credits=counted,
                retry=previous is not None,
                message_id=previous.message_id if previous and previous.status == "sending" else "",
                salutation=_salutation(name, (last_names or {}).get(pid, "")),
            )
        )
    return Plan(tuple(due), tuple(unnotified))


_TOTAL: Final[str] = REQUIREMENT_LABELS["total"]


def _threshold(days: int, thresholds: Sequence[int]) -> int | None:
    """The most urgent threshold reached, or ``None`` before the first one."""
    reached = [t for t in thresholds if days <= t]
    return min(reached) if reached else None


def _salutation(name: str, last_name: str) -> str:
    """``Dr. Okafor`` for a physician whose last name the roster gives, else the name."""
    last = " ".join(last_name.split())
    return f"Dr. {last}" if last else name


@functools.cache
def _declared() -> dict[tuple[str, str], DeclaredRequirement]:
    """The packaged rule sets' requirements by (rule set, requirement id)."""
    from cme_batch.rules import load_rulesets

    return {(rs.id, r.id): r for rs in load_rulesets() for r in rs.requirements}


def _needed(row: Mapping[Hashable, object], missing: str) -> str:
    """What one unmet requirement still needs, as the ``missing`` sentence words it.

    The phrase is taken from the engine's sentence where it is found there (it knows the
    Category 1 part of a shortfall), so the notice and the report never disagree.
    """
    status, shortfall = str(row["status"]), _decimal(row.get("shortfall"))
    if status not in ("short", "needs_review") or shortfall <= 0:
        return ""
    rid = str(row["requirement"])
    declared = _declared().get((str(row.get("rule_set") or ""), rid))
    label = declared.label if declared else rid.replace("_", " ")
    earned = _decimal(row.get("earned"))
    if declared is not None and (declared.is_training or (declared.one_time and earned == 0)):
        once = "one-time " if declared.one_time else ""
        return f"the {once}{declared.name}"
    amount = fmt(shortfall)
    pattern = (
        rf"{re.escape(amount)} more (?:Category 1 )?{re.escape(label)} credits?"
        r"(?: \(at least [\d.]+ Category 1\))?"
    )
    found = re.search(pattern, missing)
    noun = "credit" if shortfall == 1 else "credits"
    return found.group(0) if found else f"{amount} more {label} {noun}"


def _requirements(
    compliance: pd.DataFrame, physicians: pd.DataFrame
) -> dict[str, tuple[Requirement, ...]]:
    """Each physician's applicable requirements, in report order."""
    order = {rid: i for i, rid in enumerate(REQUIREMENT_IDS)}
    missing = dict(
        zip(
            physicians["physician_id"].astype(str),
            physicians["missing"].fillna("").astype(str),
            strict=True,
        )
    )
    found: dict[str, list[tuple[int, Requirement]]] = {}
    for row in compliance.to_dict("records"):
        if row["status"] == "not_applicable":
            continue
        rid = str(row["requirement"])
        note = row.get("note")
        requirement = Requirement(
            label=REQUIREMENT_LABELS.get(rid, rid.replace("_", " ")),
            required=_decimal(row.get("required")),
            earned=_decimal(row.get("earned")),
            status=str(row["status"]),
            needed=_needed(row, missing.get(str(row["physician_id"]), "")),
            note=""
            if note is None or (isinstance(note, float) and math.isnan(note))
            else str(note),
        )
        found.setdefault(str(row["physician_id"]), []).append(
            (order.get(rid, len(order)), requirement)
        )
    return {
        pid: tuple(r for _, r in sorted(rows, key=lambda x: x[0])) for pid, rows in found.items()
    }


def _decimal(value: object) -> Decimal:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return Decimal(0)
    return value if isinstance(value, Decimal) else Decimal(str(value))


def _date(value: object) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and value:
        return dt.date.fromisoformat(value)
    return None


def _days(value: object) -> int | None:
    if value is None or bool(pd.isna(value)):  # type: ignore[call-overload]
        return None
    return int(str(value)) if isinstance(value, str) else int(value)  # type: ignore[call-overload]
