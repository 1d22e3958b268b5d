"""MA_RULES section 3a at its boundaries: the dementia grace period, the COVID-19 waiver's
readings and the domestic-violence enforcement setting.

Every expected answer is read off the specification's text, not off the engine:

- St. 2018 c. 220 took effect on 2018-08-09; physicians licensed on that date had until
  2022-08-08 to complete the one-time dementia course. First licensed on or before 2018-08-09:
  ``not_applicable`` (note naming the grace period) for renewals on or before 2022-08-08,
  required from then on. First licensed after 2018-08-09 and renewing before 2022-08-09:
  ``needs_review`` with a note. From 2022-08-09 on it applies as in section 2.
- COVID-19 waiver: renewals 2020-04-02 to 2020-12-31 need no credits; the statutory trainings
  still apply. The secondary reading keeps risk management and ends on 2021-12-31.
- Domestic violence: required as today by default; a setting makes renewals before 2017-11-01
  ``needs_review``.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from rules_factory import act, overall, physician, req, run

from cme_batch.rules import RuleSettings

ACT_DATE = date(2018, 8, 9)
GRACE_END = date(2022, 8, 8)


def complete(renewal: date, dementia: bool) -> list[dict[str, Any]]:
    """Everything of ma_2018 met for ``renewal`` (150 days before it), dementia optional."""
    day = renewal - timedelta(days=150)
    rows = [
        act("gen", day, "40"),
        act("rm", day, "3", "risk_management"),
        act("op", day, "3", "opioid_pain"),
        act("br", day, "2", "board_regulations", category="2"),
        act("ib", day, "2", "implicit_bias"),
        act("dv", day, "1", "domestic_violence"),
        act("eol", date(2010, 5, 1), "2", "end_of_life"),
        act("ehr", date(2010, 5, 1), "3", "ehr"),
        act("ca", date(2010, 1, 1), "1", "child_abuse"),
    ]
    if dementia:
        rows.append(act("dem", day, "1", "dementia"))
    return rows


def evaluate_dementia(
    renewal: date,
    first_licensed: date | None,
    dementia: bool = False,
    settings: RuleSettings | None = None,
    **roster: Any,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The dementia row and the physician row, as of 120 days before the renewal."""
    ev = run(
        complete(renewal, dementia),
        [physician(license_expires=renewal, first_licensed=first_licensed, **roster)],
        as_of=renewal - timedelta(days=120),
        settings=settings,
    )
    return req(ev, "dementia"), overall(ev)


# (renewal, first_licensed, dementia status, physician status), from section 3a's text.
GRACE_CASES = [
    # Licensed on the act's date, renewing on the grace period's last day: not yet required.
    (GRACE_END, ACT_DATE, "not_applicable", "compliant"),
    # ... and on the first day after it: required, and missing.
    (GRACE_END + timedelta(days=1), ACT_DATE, "short", "deficient"),
    # Licensed long before: the same.
    (GRACE_END, date(2000, 7, 1), "not_applicable", "compliant"),
    (GRACE_END + timedelta(days=1), date(2000, 7, 1), "short", "deficient"),
    # A renewal before the act itself: in the grace period too.
    (date(2018, 3, 1), date(2000, 7, 1), "not_applicable", "compliant"),
    # First licensed the day after the act, renewing by the grace end: the law is silent.
    (GRACE_END, ACT_DATE + timedelta(days=1), "needs_review", "needs_review"),
    (date(2020, 1, 15), date(2019, 6, 1), "needs_review", "needs_review"),
    # ... and from 2022-08-09 on it applies as in section 2.
    (GRACE_END + timedelta(days=1), ACT_DATE + timedelta(days=1), "short", "deficient"),
]


@pytest.mark.parametrize(
    ("renewal", "first", "status", "physician_status"),
    GRACE_CASES,
    ids=[f"renewal {c[0]} licensed {c[1]}" for c in GRACE_CASES],
)
def test_dementia_grace_period_boundaries(
    renewal: date, first: date, status: str, physician_status: str
) -> None:
    row, person = evaluate_dementia(renewal, first)
    assert row["status"] == status, row
    assert person["status"] == physician_status, person


def test_grace_period_note_names_the_grace_period() -> None:
    row, person = evaluate_dementia(GRACE_END, ACT_DATE)
    assert "grace period" in row["note"] and "2022-08-08" in row["note"]
    assert (row["required"], row["earned"], row["counted"]) == (0, 0, "")
    assert person["missing"] == ""


def test_law_silent_case_has_a_note_and_asks_for_a_decision() -> None:
    row, person = evaluate_dementia(GRACE_END, ACT_DATE + timedelta(days=1))
    assert "after 2018-08-09" in row["note"] and "decide" in row["note"]
    assert row["shortfall"] == 1  # what the course would still need, if it applies
    assert "decide whether the one-time dementia training applies" in person["missing"]
    # The open question is not stated as a shortage the physician owes.
    assert "needs" not in person["missing"]


def test_law_silent_case_with_the_course_done_still_goes_to_review() -> None:
    row, _ = evaluate_dementia(GRACE_END, ACT_DATE + timedelta(days=1), dementia=True)
    assert (row["status"], row["earned"], row["counted"]) == ("needs_review", 1, "dem")
    assert "met if it applies" in row["note"]


def test_after_the_grace_period_a_course_meets_it() -> None:
    row, person = evaluate_dementia(GRACE_END + timedelta(days=1), ACT_DATE, dementia=True)
    assert (row["status"], row["earned"]) == ("met", 1)
    assert person["status"] == "compliant"


@pytest.mark.parametrize(
    ("renewal", "status"), [(GRACE_END, "needs_review"), (GRACE_END + timedelta(days=1), "short")]
)
def test_unknown_first_licensed_is_never_guessed(renewal: date, status: str) -> None:
    row, _ = evaluate_dementia(renewal, None)
    assert row["status"] == status
    if status == "needs_review":
        assert "first_licensed is not on the roster" in row["note"]


def test_grace_end_is_a_setting() -> None:
    later = RuleSettings(dementia_grace_end=date(2023, 1, 31))
    assert evaluate_dementia(date(2023, 1, 31), ACT_DATE, settings=later)[0]["status"] == (
        "not_applicable"
    )
    assert evaluate_dementia(date(2023, 2, 1), ACT_DATE, settings=later)[0]["status"] == "short"
    row, _ = evaluate_dementia(date(2023, 1, 31), ACT_DATE + timedelta(days=1), settings=later)
    assert row["status"] == "needs_review" and "2023-01-31" in row["note"]


def test_grace_end_setting_must_be_a_date() -> None:
    with pytest.raises(ValueError, match="dementia_grace_end"):
        RuleSettings(dementia_grace_end="2022-08-08")  # type: ignore[arg-type]


def test_not_serving_adults_outranks_the_grace_period() -> None:
    row, _ = evaluate_dementia(GRACE_END, ACT_DATE, serves_adults=False)
    assert row["status"] == "not_applicable" and "not serving adults" in row["note"]


# COVID-19 waiver (section 2 and 3a): (renewal, total status, reading setting).
COVID_CASES = [
    (date(2020, 4, 1), "short", "board_policy"),
    (date(2020, 4, 2), "not_applicable", "board_policy"),
    (date(2020, 12, 31), "not_applicable", "board_policy"),
    (date(2021, 1, 1), "short", "board_policy"),
    (date(2021, 1, 1), "not_applicable", "specialty_society"),
    (date(2021, 12, 31), "not_applicable", "specialty_society"),
    (date(2022, 1, 1), "short", "specialty_society"),
]


@pytest.mark.parametrize(
    ("renewal", "total", "reading"), COVID_CASES, ids=[f"{c[0]} {c[2]}" for c in COVID_CASES]
)
def test_covid_waiver_window(renewal: date, total: str, reading: str) -> None:
    settings = RuleSettings(covid_waiver=reading)  # type: ignore[arg-type]
    ev = run([], [physician(license_expires=renewal)], renewal - timedelta(days=10), settings)
    assert req(ev, "total")["status"] == total
    # The statutory trainings are never waived.
    for kept in ("opioid_pain", "end_of_life", "ehr", "child_abuse", "domestic_violence"):
        assert req(ev, kept)["status"] == "short", kept


def test_covid_board_reading_waives_risk_management_and_says_so() -> None:
    ev = run([], [physician(license_expires=date(2020, 6, 15))], date(2020, 6, 1))
    row = req(ev, "risk_management")
    assert row["status"] == "not_applicable"
    assert "20-03" in row["note"] and "Board-citing sources" in row["note"]
    missing = overall(ev)["missing"]
    assert "covid_policy_20_03 applied" in missing and "Board-citing sources" in missing
    assert "reading used" in ev.explain("P1")


def test_covid_secondary_reading_keeps_risk_management_and_says_so() -> None:
    settings = RuleSettings(covid_waiver="specialty_society")
    ev = run([], [physician(license_expires=date(2020, 6, 15))], date(2020, 6, 1), settings)
    assert req(ev, "risk_management")["status"] == "short"
    assert req(ev, "total")["status"] == "not_applicable"
    assert "specialty society" in req(ev, "total")["note"]
    assert "specialty society" in overall(ev)["missing"]


def test_no_covid_sentence_outside_the_waiver() -> None:
    ev = run([], [physician(license_expires=date(2021, 1, 1))], date(2020, 12, 1))
    assert "covid" not in overall(ev)["missing"].lower()
    assert "Rule-set waiver" not in ev.explain("P1")


# Domestic violence before 2017-11-01 (section 3a): required by default; a setting sends it to
# review. The earlier rule set (section 3) applies to these renewals.
REVIEW_DV = RuleSettings(domestic_violence_enforcement="review_before_2017_11_01")


@pytest.mark.parametrize(
    ("renewal", "settings", "status"),
    [
        (date(2017, 10, 31), RuleSettings(), "short"),
        (date(2017, 10, 31), REVIEW_DV, "needs_review"),
        (date(2017, 11, 1), REVIEW_DV, "short"),
        (date(2012, 2, 1), REVIEW_DV, "needs_review"),
    ],
)
def test_domestic_violence_enforcement_setting(
    renewal: date, settings: RuleSettings, status: str
) -> None:
    ev = run([], [physician(license_expires=renewal)], renewal - timedelta(days=10), settings)
    row = req(ev, "domestic_violence")
    assert row["rule_set"] == "ma_2012"
    assert row["status"] == status
    if status == "needs_review":
        assert "enforcement date" in row["note"]
