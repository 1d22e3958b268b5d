"""Synthetic rosters, activities and physicians tables for notice and packet tests."""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd

from cme_batch.rules import Evaluation, RuleSettings, evaluate, load_rulesets
from cme_batch.schema import ACTIVITY_COLUMNS
from tests.rules import rules_factory

RULESETS = tuple(load_rulesets())


def physician(pid: str, renewal: date, **overrides: Any) -> dict[str, Any]:
    """A roster row renewing on ``renewal`` (the rules tests' builder, another default date)."""
    return rules_factory.physician(pid, license_expires=renewal, **overrides)


def act(
    record_id: str,
    pid: str,
    when: date,
    credits: str,
    topics: str = "",
    category: str = "1",
    **overrides: Any,
) -> dict[str, Any]:
    """An activity row for ``pid`` (the rules tests' builder, physician first)."""
    return rules_factory.act(record_id, when, credits, topics, category, pid=pid, **overrides)


def complete(pid: str, start: date) -> list[dict[str, Any]]:
    """Activities meeting every ma_2018 requirement, dated from ``start`` (inside the window)."""
    d = start
    p = f"{pid}-"
    return [
        act(p + "gen", pid, d, "38"),
        act(p + "rm", pid, d, "3", "risk_management"),
        act(p + "op", pid, d, "3", "opioid_pain"),
        act(p + "br", pid, d, "2", "board_regulations", category="2"),
        act(p + "ib", pid, d, "2", "implicit_bias"),
        act(p + "dv", pid, d, "1", "domestic_violence"),
        act(p + "dem", pid, d, "1", "dementia"),
        act(p + "eol", pid, date(2019, 5, 1), "2", "end_of_life"),
        act(p + "ehr", pid, date(2016, 5, 1), "3", "ehr"),
        act(p + "ca", pid, date(2010, 1, 1), "1", "child_abuse"),
    ]


def evaluate_group(
    people: list[dict[str, Any]], acts: list[dict[str, Any]], as_of: date
) -> Evaluation:
    return evaluate(
        pd.DataFrame(acts, columns=list(ACTIVITY_COLUMNS)),
        pd.DataFrame(people),
        as_of,
        RuleSettings(),
        rulesets=RULESETS,
    )


def physicians_table(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """A physicians table as the engine writes it, from short dicts."""
    base = {"license_type": "full", "rule_set": "ma_2018", "missing": "needs 3 more CME credits"}
    return pd.DataFrame([{**base, **r} for r in rows])


EMPTY_COMPLIANCE = pd.DataFrame(
    columns=["physician_id", "requirement", "required", "earned", "status", "counted"]
)
