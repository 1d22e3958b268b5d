"""The report model: everything a report writer renders, built once by the pipeline."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Final

import pandas as pd

from cme_batch import schema

#: Requirement ids in the order reports show them.
REQUIREMENT_IDS: Final[tuple[str, ...]] = (
    "total",
    "category1_min",
    "risk_management",
    "board_regulations",
    "opioid_pain",
    "end_of_life",
    "ehr",
    "implicit_bias",
    "child_abuse",
    "domestic_violence",
    "dementia",
)

#: Human labels of the requirement ids.
REQUIREMENT_LABELS: Final[Mapping[str, str]] = {
    "total": "Total credits",
    "category1_min": "Category 1 minimum",
    "risk_management": "Risk management",
    "board_regulations": "Board regulations",
    "opioid_pain": "Opioids / pain management",
    "end_of_life": "End-of-life care",
    "ehr": "Electronic health records",
    "implicit_bias": "Implicit bias",
    "child_abuse": "Child abuse reporting",
    "domestic_violence": "Domestic and sexual violence",
    "dementia": "Alzheimer's disease and dementia",
}

#: Overall statuses, most urgent first (the order reports sort by).
STATUS_ORDER: Final[tuple[str, ...]] = (
    "lapsed",
    "urgent",
    "deficient",
    "needs_review",
    "compliant",
    "not_applicable",
)

COMPLIANCE_MODEL_COLUMNS: Final[tuple[str, ...]] = schema.COMPLIANCE_COLUMNS + ("rule_set", "note")
PHYSICIAN_MODEL_COLUMNS: Final[tuple[str, ...]] = schema.PHYSICIAN_COLUMNS + (
    "license_type",
    "rule_set",
)
ACTIVITY_STATUS_COLUMNS: Final[tuple[str, ...]] = (
    "physician_id",
    "record_id",
    "counted_toward",
    "excluded_reason",
)


@dataclass(frozen=True)
class RuleSetRef:
    """A rule set used in the run."""

    name: str
    version: str


@dataclass(frozen=True, eq=False)
class RunInfo:
    """Facts about one run, shown on the Run sheet and in the HTML header and footer.

    Attributes:
        as_of: The date the evaluation is "as of".
        rule_sets: The rule sets applied (name and version).
        inbox: The inbox folder as given on the command line.
        roster: The roster file as given.
        ledgers: The ledger files as given.
        started_at: When the run started.
        finished_at: When the run finished (before the reports were written).
        counts: Named counts (files, pages, activities, physicians, ...).
        versions: Software versions (cme-batch, python, tesseract, ...).
        exit_status: The outcome in words, e.g. ``"ok"`` or ``"completed with 3 failed files"``.
    """

    as_of: dt.date
    rule_sets: tuple[RuleSetRef, ...]
    inbox: str
    roster: str
    ledgers: tuple[str, ...] = ()
    started_at: dt.datetime | None = None
    finished_at: dt.datetime | None = None
    counts: Mapping[str, int] = field(default_factory=dict)
    versions: Mapping[str, str] = field(default_factory=dict)
    exit_status: str = ""


def _check_columns(name: str, frame: pd.DataFrame, required: Sequence[str]) -> None:
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise ValueError(f"report model: table {name!r} lacks columns {', '.join(missing)}")


@dataclass(frozen=True, eq=False)
class ReportModel:
    """Everything the writers render; built by the pipeline from the stages' tables.

    Attributes:
        run: Run facts.
        documents: One row per inbox file (:data:`cme_batch.schema.DOCUMENT_COLUMNS`).
        activities: One row per activity (:data:`cme_batch.schema.ACTIVITY_COLUMNS`).
        compliance: One row per physician and requirement (:data:`COMPLIANCE_MODEL_COLUMNS`).
        physicians: One row per roster physician (:data:`PHYSICIAN_MODEL_COLUMNS`).
        activity_status: One row per (physician, activity) the rules engine considered
            (:data:`ACTIVITY_STATUS_COLUMNS`).
        inbox_href_base: Relative path from the output folder to the inbox, for links
            (e.g. ``"../inbox"``); empty when the inbox is the output folder.
    """

    run: RunInfo
    documents: pd.DataFrame
    activities: pd.DataFrame
    compliance: pd.DataFrame
    physicians: pd.DataFrame
    activity_status: pd.DataFrame
    inbox_href_base: str = ""

    def __post_init__(self) -> None:
        """Check every table carries its contract's columns."""
        _check_columns("documents", self.documents, schema.DOCUMENT_COLUMNS)
        _check_columns("activities", self.activities, schema.ACTIVITY_COLUMNS)
        _check_columns("compliance", self.compliance, COMPLIANCE_MODEL_COLUMNS)
        _check_columns("physicians", self.physicians, PHYSICIAN_MODEL_COLUMNS)
        _check_columns("activity_status", self.activity_status, ACTIVITY_STATUS_COLUMNS)

    def for_physician(self, physician_id: str) -> ReportModel:
        """Return a model holding only one physician's rows (for an audit packet).

        Args:
            physician_id: The roster id.

        Returns:
            A model whose tables mention no other physician.

        Raises:
            KeyError: When the id is not in ``physicians``.
        """
        phys = self.physicians[self.physicians["physician_id"] == physician_id]
        if phys.empty:
            raise KeyError(physician_id)
        status = self.activity_status[self.activity_status["physician_id"] == physician_id]
        records = set(status["record_id"])
        acts = self.activities
        acts = acts[(acts["physician_id"] == physician_id) | acts["record_id"].isin(records)]
        files = set(acts["source_file"])
        docs = self.documents[self.documents["source_file"].isin(files)]
        comp = self.compliance[self.compliance["physician_id"] == physician_id]
        return ReportModel(
            run=self.run,
            documents=docs.reset_index(drop=True),
            activities=acts.reset_index(drop=True),
            compliance=comp.reset_index(drop=True),
            physicians=phys.reset_index(drop=True),
            activity_status=status.reset_index(drop=True),
            inbox_href_base=self.inbox_href_base,
        )
