from __future__ import annotations

import dataclasses

import pytest

from cme_batch.report.model import ReportModel
from cme_batch.report.views import build_view
from tests.report.factory import make_model


def test_model_rejects_a_table_missing_contract_columns(model: ReportModel) -> None:
    with pytest.raises(ValueError, match="activities.*credits"):
        dataclasses.replace(model, activities=model.activities.drop(columns=["credits"]))


def test_model_is_frozen(model: ReportModel) -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        model.inbox_href_base = "x"  # type: ignore[misc]


def test_for_physician_keeps_only_that_physician(model: ReportModel) -> None:
    pid = model.physicians["physician_id"].iloc[5]
    own = model.for_physician(pid)
    assert set(own.physicians["physician_id"]) == {pid}
    assert set(own.compliance["physician_id"]) == {pid}
    assert set(own.activity_status["physician_id"]) == {pid}
    assert set(own.activities["physician_id"]) <= {pid}
    assert set(own.documents["source_file"]) <= set(own.activities["source_file"])
    with pytest.raises(KeyError):
        model.for_physician("nobody")


def test_view_sorts_by_urgency_and_counts_statuses(model: ReportModel) -> None:
    view = build_view(model)
    order = ["lapsed", "urgent", "deficient", "needs_review", "compliant", "not_applicable"]
    ranks = [order.index(p.status) for p in view.physicians]
    assert ranks == sorted(ranks)
    assert sum(n for _, n in view.status_counts) == len(model.physicians)
    assert len(view.activities) == len(model.activities)
    assert {a.record_id for a in view.review} == set(
        model.activities.loc[model.activities["needs_review"], "record_id"]
    )


def test_view_accounts_for_every_counted_record(model: ReportModel) -> None:
    view = build_view(model)
    for p in view.physicians:
        counted = {rid for r in p.requirements for rid in r.counted}
        assert counted == {a.record_id for a in p.counted}, p.physician_id


def test_factory_makes_large_groups_with_every_status() -> None:
    big = make_model(210, seed=5)
    assert len(big.physicians) == 210
    assert big.physicians["physician_id"].is_unique
    assert big.activities["record_id"].is_unique
    statuses = set(big.physicians["status"])
    assert {"compliant", "deficient", "urgent", "needs_review", "not_applicable"} <= statuses
