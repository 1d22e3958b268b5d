"""Rows that must not count, each with its reason visible; records awaiting review."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from rules_factory import (
    AS_OF,
    act,
    complete_2018,
    overall,
    req,
    run,
    status_of,
    without,
)

BASE = complete_2018()


def test_future_dated_activity_flagged_not_counted() -> None:
    ev = run([*BASE, act("late", date(2027, 1, 5), "10")])
    row = status_of(ev, "late")
    assert row["counted_toward"] == ""
    assert "future-dated" in row["excluded_reason"] and str(AS_OF) in row["excluded_reason"]
    assert "late" not in req(ev, "total")["counted"].split(";")
    assert req(ev, "total")["earned"] == Decimal(50)


def test_upstream_exclude_reason_passes_through() -> None:
    dup = act("gen-copy", date(2025, 6, 1), "38", exclude_reason="duplicate of gen")
    nonphys = act("nurse", date(2025, 6, 2), "5", exclude_reason="non-physician credit (ANCC)")
    ev = run([*without(BASE, "gen"), dup, nonphys])
    assert status_of(ev, "gen-copy")["excluded_reason"] == "duplicate of gen"
    assert status_of(ev, "nurse")["excluded_reason"] == "non-physician credit (ANCC)"
    assert req(ev, "total")["earned"] == Decimal(12)


def test_unmatched_rows_listed_under_empty_physician_id() -> None:
    ev = run([*BASE, act("stray", date(2025, 6, 1), "5", pid="")])
    row = status_of(ev, "stray")
    assert row["physician_id"] == ""
    assert row["excluded_reason"] == "not matched to a roster physician"
    assert req(ev, "total")["earned"] == Decimal(50)
    assert "stray" in ev.explain("")


def test_activity_of_physician_not_on_roster_is_listed() -> None:
    ev = run([*BASE, act("ghost", date(2025, 6, 1), "5", pid="P9")])
    row = status_of(ev, "ghost")
    assert row["physician_id"] == "P9"
    assert "not on the roster" in row["excluded_reason"]
    assert list(ev.physicians.physician_id) == ["P1"]


def test_rows_without_date_or_credits() -> None:
    ev = run([*BASE, act("nodate", None, "5"), act("nocred", date(2025, 6, 1), None)])
    assert status_of(ev, "nodate")["excluded_reason"] == "no activity date"
    assert status_of(ev, "nocred")["excluded_reason"] == "no credits recorded"
    assert req(ev, "total")["earned"] == Decimal(50)


def test_training_without_credits_still_meets_the_training() -> None:
    ev = run([*without(BASE, "ca"), act("ca", date(2012, 1, 1), None, "child_abuse")])
    assert req(ev, "child_abuse")["status"] == "met"
    assert status_of(ev, "ca")["counted_toward"] == "child_abuse"


def test_per_cycle_activity_before_window_says_no_carry_over() -> None:
    ev = run([*BASE, act("old", date(2024, 6, 1), "30")])
    reason = status_of(ev, "old")["excluded_reason"]
    assert "before the cycle window" in reason and "no carry-over" in reason


def test_old_one_time_course_counts_only_toward_one_time() -> None:
    ev = run(BASE)
    assert status_of(ev, "ehr")["counted_toward"] == "ehr"
    assert status_of(ev, "eol")["counted_toward"] == "end_of_life"


def test_activity_after_renewal_but_before_as_of_is_next_cycle() -> None:
    ev = run([*BASE, act("next", date(2027, 4, 1), "2", "dementia")], as_of=date(2027, 5, 1))
    assert "after the renewal date" in status_of(ev, "next")["excluded_reason"]
    assert overall(ev)["status"] == "lapsed"
    assert "has passed" in overall(ev)["missing"]


def test_flagged_record_needed_gives_needs_review() -> None:
    flagged = act("dem", date(2025, 12, 1), "1", "dementia", needs_review=True, review_reason="ocr")
    ev = run([*without(BASE, "dem"), flagged, act("gen2", date(2025, 6, 2), "1")])
    row = req(ev, "dementia")
    assert row["status"] == "needs_review"
    assert row["earned"] == Decimal(0) and row["shortfall"] == Decimal(1)
    assert row["counted"] == ""
    assert "met if the 1 flagged record (dem) are confirmed" in row["note"]
    assert overall(ev)["status"] == "needs_review"
    assert "confirm flagged record dem" in overall(ev)["missing"]
    reason = status_of(ev, "dem")["excluded_reason"]
    assert reason.startswith("needs review (ocr)") and "dementia" in reason


def test_flagged_records_that_leave_it_short_still_deficient() -> None:
    flagged = act("rm", date(2025, 7, 1), "1", "risk_management", needs_review=True)
    ev = run([*without(BASE, "rm"), flagged, act("gen2", date(2025, 6, 2), "3")])
    row = req(ev, "risk_management")
    assert row["status"] == "needs_review"
    assert "still short by 2" in row["note"]
    assert overall(ev)["status"] == "deficient"


def test_flagged_record_not_needed_leaves_met() -> None:
    extra = act("x", date(2025, 6, 2), "3", "risk_management", needs_review=True)
    ev = run([*BASE, extra])
    assert req(ev, "risk_management")["status"] == "met"
    assert "x" not in req(ev, "risk_management")["counted"]
    assert overall(ev)["status"] == "compliant"
    assert overall(ev)["missing"] == ""


def test_flagged_record_that_cannot_help_is_plain_short() -> None:
    flagged = act("gen", date(2025, 6, 1), "38", needs_review=True)  # general credits only
    ev = run([*without(BASE, "gen", "dem"), flagged])
    assert req(ev, "dementia")["status"] == "short"
    assert req(ev, "total")["status"] == "needs_review"


def test_short_elsewhere_outranks_needs_review() -> None:
    # Dated before the window, the flagged course can help only the one-time dementia rule.
    flagged = act("dem", date(2020, 12, 1), "1", "dementia", needs_review=True)
    ev = run([*without(BASE, "dem", "gen"), flagged])
    assert req(ev, "dementia")["status"] == "needs_review"
    assert req(ev, "total")["status"] == "short"
    assert overall(ev)["status"] == "deficient"
