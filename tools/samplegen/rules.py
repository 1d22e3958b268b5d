"""A small reference evaluator of the Massachusetts rules (MA_RULES.md, current rule set).

Used only to check that the sample inbox's physicians have the statuses the README promises,
so a change to the sample design that breaks a story fails loudly. It is deliberately simple
and independent of ``cme_batch.rules``: if the two disagree, one of them is wrong.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from .model import Physician

RM_TOPICS = frozenset(
    {"risk_management", "opioid_pain", "end_of_life", "ehr", "board_regulations", "implicit_bias"}
)
WELLNESS_CAP = Decimal(7)
URGENT_DAYS = 90


@dataclass(frozen=True)
class Earned:
    """One counted activity: date, credits, category and topics."""

    date: dt.date
    credits: Decimal
    category: str
    topics: tuple[str, ...]


@dataclass
class Result:
    """Overall status and the requirements that are short."""

    status: str
    short: dict[str, Decimal] = field(default_factory=dict)
    earned: dict[str, Decimal] = field(default_factory=dict)


def _minus_two_years(d: dt.date) -> dt.date:
    try:
        return d.replace(year=d.year - 2)
    except ValueError:  # 29 February
        return d.replace(year=d.year - 2, day=28)


def evaluate(p: Physician, acts: list[Earned], as_of: dt.date) -> Result:
    """Evaluate one physician as of a date."""
    if p.license_type in ("limited", "inactive"):
        return Result("not_applicable")
    r = p.license_expires
    start = _minus_two_years(r)
    first = p.first_licensed if start < p.first_licensed <= r else None
    usable = [a for a in acts if a.date <= as_of and a.date <= r]

    def in_window(a: Earned) -> bool:
        return (first <= a.date if first else start < a.date) and a.date <= r

    window = [a for a in usable if in_window(a)]
    temp = p.license_type == "temporary_faculty"
    admin = p.license_type == "administrative"

    def total(sel: list[Earned]) -> Decimal:
        return sum((a.credits for a in sel), Decimal(0))

    e: dict[str, Decimal] = {}
    need: dict[str, Decimal] = {}
    e["total"], need["total"] = total(window), Decimal(25 if temp else 50)
    rm = total([a for a in window if RM_TOPICS & set(a.topics)])
    well = total(
        [a for a in window if "wellness_burnout" in a.topics and not RM_TOPICS & set(a.topics)]
    )
    e["risk_management"] = rm + min(well, WELLNESS_CAP)
    need["risk_management"] = Decimal(5 if temp else 10)
    e["board_regulations"] = total([a for a in window if "board_regulations" in a.topics])
    need["board_regulations"] = Decimal(2)
    if p.prescribes and not admin:
        e["opioid_pain"] = total([a for a in window if "opioid_pain" in a.topics])
        need["opioid_pain"] = Decimal(3)
    for topic, amount in (("end_of_life", 2), ("implicit_bias", 2)):
        e[topic] = total([a for a in usable if topic in a.topics])
        need[topic] = Decimal(amount)
    for topic in ("child_abuse", "domestic_violence"):
        # Trainings with no credit minimum: any completed course meets them.
        e[topic] = Decimal(len([a for a in usable if topic in a.topics]))
        need[topic] = Decimal(1)
    if not admin and not temp and not p.ehr_alternative_route:
        e["ehr"] = total([a for a in usable if "ehr" in a.topics and a.category == "1"])
        need["ehr"] = Decimal(3)
    if p.serves_adults and not admin:
        e["dementia"] = total([a for a in usable if "dementia" in a.topics])
        need["dementia"] = Decimal(1)
    short = {k: need[k] - e[k] for k in need if e[k] < need[k]}
    if as_of > r:
        status = "lapsed"
    elif not short:
        status = "compliant"
    elif (r - as_of).days <= URGENT_DAYS:
        status = "urgent"
    else:
        status = "deficient"
    return Result(status, short, e)
