"""Output contracts, the cycle window, the missing sentence and explain()."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from rules_factory import (
    AS_OF,
    act,
    complete_2018,
    overall,
    physician,
    req,
    run,
    status_of,
    without,
)

from cme_batch.rules.cycle import cycle_window, fmt
from cme_batch.schema import (
    COMPLIANCE_COLUMNS,
    PHYSICIAN_COLUMNS,
    PHYSICIAN_STATUSES,
    REQUIREMENT_STATUSES,
)

BASE = complete_2018()


def test_columns_and_types() -> None:
    ev = run(BASE, [physician("P1"), physician("P2", license_type="limited")])
    assert tuple(ev.compliance.columns) == (*COMPLIANCE_COLUMNS, "rule_set", "note")
    assert tuple(ev.physicians.columns) == (*PHYSICIAN_COLUMNS, "license_type", "rule_set")
    assert tuple(ev.activity_status.columns[:4]) == (
        "physician_id",
        "record_id",
        "counted_toward",
        "excluded_reason",
    )
    assert len(ev.compliance) == 20  # one row per physician and requirement
    row = req(ev, "total")
    assert type(row["renewal_date"]) is date and type(row["cycle_start"]) is date
    assert isinstance(row["earned"], Decimal) and isinstance(row["required"], Decimal)
    assert set(ev.compliance.status) <= set(REQUIREMENT_STATUSES)
    assert set(ev.physicians.status) <= set(PHYSICIAN_STATUSES)
    assert overall(ev, "P2")["status"] == "not_applicable"
    assert overall(ev)["days_to_renewal"] == 107


def test_training_representation() -> None:
    ev = run(without(BASE, "dv"))
    row = req(ev, "domestic_violence")
    assert (row["required"], row["earned"], row["shortfall"]) == (Decimal(1), 0, Decimal(1))
    assert "training" in row["note"]


def test_domestic_violence_course_reported_for_checking() -> None:
    row = req(run(BASE), "domestic_violence")
    assert "Department of Public Health" in row["note"] and "Course dv (Provider)" in row["note"]


@pytest.mark.parametrize(
    ("renewal", "first", "start", "shortened"),
    [
        (date(2027, 3, 14), None, date(2025, 3, 15), False),
        (date(2027, 3, 14), date(2025, 3, 14), date(2025, 3, 15), False),  # on R-2y: outside
        (date(2027, 3, 14), date(2025, 3, 15), date(2025, 3, 15), False),
        (date(2027, 3, 14), date(2026, 7, 1), date(2026, 7, 1), True),
        (date(2028, 2, 29), None, date(2026, 3, 1), False),  # 29 Feb: R-2y is 28 Feb
    ],
)
def test_cycle_window(renewal: date, first: date | None, start: date, shortened: bool) -> None:
    window = cycle_window(renewal, first)
    assert (window.start, window.end, window.shortened) == (start, renewal, shortened)


def test_first_licensed_window_shown_in_compliance() -> None:
    ev = run(BASE, [physician(first_licensed=date(2026, 1, 1))])
    row = req(ev, "total")
    assert (row["cycle_start"], row["cycle_end"]) == (date(2026, 1, 1), date(2027, 3, 14))


@pytest.mark.parametrize(
    ("value", "text"),
    [("4.50", "4.5"), ("50", "50"), ("5E+1", "50"), ("0.10", "0.1"), ("0", "0"), ("0.00", "0")],
)
def test_fmt_without_float_noise(value: str, text: str) -> None:
    assert fmt(Decimal(value)) == text


def test_missing_sentence_like_the_spec() -> None:
    acts = [*without(BASE, "rm", "dem"), act("rm", date(2025, 7, 1), "0.5", "risk_management")]
    ev = run(acts, as_of=date(2025, 12, 1), people=[physician(license_expires=date(2027, 3, 14))])
    assert overall(ev)["missing"] == (
        "needs 3.5 more CME credits, 2.5 more risk-management credits and the one-time "
        "dementia training by 2027-03-14"
    )


def test_missing_empty_when_compliant() -> None:
    assert overall(run(BASE))["missing"] == ""


def test_explain_traces_every_activity() -> None:
    acts = [
        *BASE,
        act("late", date(2027, 1, 5), "1", source_file="late.pdf", page=3),
        act("dup", date(2025, 6, 1), "38", exclude_reason="duplicate of gen"),
        act("well", date(2025, 7, 1), "9", "wellness_burnout"),
    ]
    text = run(acts).explain("P1")
    assert "ma_2018" in text
    assert "Cycle window: 2025-03-15 through 2027-03-14 (both days count)" in text
    assert "- total (per cycle): earned 59 of 50 credits, shortfall 0: met" in text
    assert "op [op.pdf p.1]" in text
    assert "counted toward total (3), risk_management (3), opioid_pain (3)" in text
    assert "late [late.pdf p.3]" in text and "excluded: future-dated" in text
    assert "excluded: duplicate of gen" in text
    assert "counted toward total (9), risk_management (7)" in text
    assert "ehr [ehr.pdf p.1] 2016-05-01" in text and "before the cycle window" in text
    for record in ("gen", "rm", "br", "ib", "dv", "dem", "eol", "ehr", "ca"):
        assert f"- {record} [" in text


def test_explain_unknown_physician() -> None:
    with pytest.raises(KeyError):
        run(BASE).explain("P404")


def test_activity_status_lists_each_activity_once() -> None:
    ev = run(BASE)
    assert sorted(ev.activity_status.record_id) == sorted(a["record_id"] for a in BASE)
    assert status_of(ev, "op")["counted_toward"] == "total;risk_management;opioid_pain"
    assert ev.activity_status.excluded_reason.eq("").all()


def test_roster_yes_no_text_flags() -> None:
    person = physician(
        prescribes_controlled_substances="no", serves_adults="no", ehr_alternative_route="yes"
    )
    ev = run([], [person], AS_OF)
    assert req(ev, "opioid_pain")["status"] == "not_applicable"
    assert req(ev, "dementia")["status"] == "not_applicable"
    assert req(ev, "ehr")["status"] == "met"


def test_unknown_license_type_needs_review() -> None:
    ev = run(BASE, [physician(license_type="honorary")])
    assert overall(ev)["status"] == "needs_review"
    assert "unknown license type" in overall(ev)["missing"]


def test_cap_allocation_independent_of_row_order() -> None:
    wellness = [
        act("w1", date(2025, 7, 1), "5", "wellness_burnout"),
        act("w2", date(2025, 8, 1), "5", "wellness_burnout", category="2"),
        act("w3", date(2025, 6, 1), "5", "wellness_burnout", category="2"),
    ]
    forward, backward = run([*BASE, *wellness]), run([*reversed(wellness), *BASE])
    assert forward.explain("P1") == backward.explain("P1")
    # Category 1 fills the cap first, then by date: w1 5, w3 2, w2 nothing.
    assert "counted toward total (5), risk_management (5)" in forward.explain("P1")
    assert req(forward, "risk_management")["counted"] == "br;ib;op;rm;w1;w3"


def test_as_of_before_the_cycle_says_the_cycle_has_not_begun() -> None:
    # Renewal 2029-03-14: the cycle starts 2027-03-15, after the as-of date 2026-11-27.
    ev = run([], [physician("P1", license_expires=date(2029, 3, 14))])
    missing = str(overall(ev)["missing"])
    assert missing.startswith(
        "the cycle has not begun: it runs 2027-03-15 through 2029-03-14 and as of 2026-11-27"
    )
    assert "by 2029-03-14" in missing  # what is missing is still said
    # Inside the cycle, no such hint.
    assert "has not begun" not in str(overall(run([], [physician("P1")]))["missing"])
