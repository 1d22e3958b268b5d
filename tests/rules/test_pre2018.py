"""The earlier rule set: renewals 2012-02-01 to 2017-12-31."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from rules_factory import act, overall, physician, req, run

R = date(2016, 5, 1)
AS_OF = date(2016, 1, 1)
P = [physician(license_expires=R)]


def complete_2012() -> list[dict[str, object]]:
    return [
        act("cat1", date(2015, 1, 1), "31"),
        act("cat2", date(2015, 2, 1), "56", category="2"),
        act("rm", date(2015, 3, 1), "4", "risk_management"),
        act("br", date(2015, 4, 1), "2", "board_regulations", category="2"),
        act("op", date(2015, 5, 1), "3", "opioid_pain", category="2"),
        act("eol", date(2015, 6, 1), "2", "end_of_life"),
        act("ehr", date(2015, 7, 1), "3", "ehr"),
        act("ca", date(2001, 1, 1), "1", "child_abuse"),
        act("dv", date(2002, 1, 1), "1", "domestic_violence"),
    ]


def test_complete_pre2018_physician() -> None:
    ev = run(complete_2012(), P, AS_OF)
    assert set(ev.compliance.rule_set) == {"ma_2012"}
    assert req(ev, "total")["earned"] == Decimal(101)
    assert req(ev, "total")["required"] == Decimal(100)
    assert req(ev, "category1_min")["earned"] == Decimal(31 + 4 + 2 + 3)
    assert req(ev, "risk_management")["earned"] == Decimal(14)
    assert set(ev.compliance.status) == {"met"}
    assert overall(ev)["status"] == "compliant"
    assert "dementia" not in set(ev.compliance.requirement)
    assert "implicit_bias" not in set(ev.compliance.requirement)


def test_category1_minimum_of_40() -> None:
    acts = [a for a in complete_2012() if a["record_id"] != "cat1"]
    acts.append(act("cat1", date(2015, 1, 1), "31", category="2"))
    ev = run(acts, P, AS_OF)
    row = req(ev, "category1_min")
    assert (row["status"], row["earned"], row["shortfall"]) == ("short", Decimal(9), Decimal(31))
    assert req(ev, "total")["status"] == "met"
    assert "31 more Category 1 credits" in overall(ev)["missing"]


@pytest.mark.parametrize(("rm_category", "status"), [("1", "met"), ("2", "short")])
def test_risk_management_needs_4_category1(rm_category: str, status: str) -> None:
    # Risk-management Category 1 credit comes only from the EHR course (3) and, when it is
    # Category 1, the 3-credit risk course: 6 meets the minimum of 4, 3 falls 1 short.
    acts = [a for a in complete_2012() if a["record_id"] not in ("rm", "eol", "ehr")]
    acts += [
        act("rm", date(2015, 3, 1), "3", "risk_management", category=rm_category),
        act("eol", date(2015, 6, 1), "2", "end_of_life", category="2"),
        act("ehr", date(2015, 7, 1), "3", "ehr", category="1"),
    ]
    ev = run(acts, P, AS_OF)
    row = req(ev, "risk_management")
    expected_short = Decimal(0) if rm_category == "1" else Decimal(1)
    assert row["earned"] == Decimal(13)
    assert (row["status"], row["shortfall"]) == (status, expected_short)
    if status == "short":
        assert "Category 1" in row["note"]
        assert "1 more Category 1 risk-management credit" in overall(ev)["missing"]


def test_end_of_life_is_per_cycle_before_2018() -> None:
    acts = [a for a in complete_2012() if a["record_id"] != "eol"]
    acts.append(act("eol", date(2013, 6, 1), "2", "end_of_life"))
    ev = run(acts, P, AS_OF)
    assert req(ev, "end_of_life")["status"] == "short"


def test_ehr_only_from_2015_04_01_renewals() -> None:
    early = [physician(license_expires=date(2015, 3, 31))]
    ev = run([], early, date(2015, 1, 1))
    assert req(ev, "ehr")["status"] == "not_applicable"
    ev = run([], [physician(license_expires=date(2015, 4, 1))], date(2015, 1, 1))
    assert req(ev, "ehr")["status"] == "short"


def test_rule_set_switches_on_2018_01_01() -> None:
    ev = run([], [physician(license_expires=date(2017, 12, 31))], date(2017, 1, 1))
    assert req(ev, "total")["required"] == Decimal(100)
    ev = run([], [physician(license_expires=date(2018, 1, 1))], date(2017, 1, 1))
    assert req(ev, "total")["required"] == Decimal(50)
    assert overall(ev)["rule_set"] == "ma_2018"


def test_renewal_before_any_rule_set_needs_review() -> None:
    ev = run([], [physician(license_expires=date(2011, 6, 1))], date(2011, 1, 1))
    assert overall(ev)["status"] == "needs_review"
    assert "no MA rule set covers" in overall(ev)["missing"]
    assert ev.compliance.empty
