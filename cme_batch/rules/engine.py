"""The rules engine: activities and roster in, compliance findings out.

``evaluate`` selects each physician's rule set by renewal date, works out the cycle window,
decides which activities may count and why the others may not, and asks
:mod:`cme_batch.rules.counting` for each requirement's finding. The result tables are sorted by
physician id and rule-file order, so the order of input rows never changes an output.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Final

import pandas as pd

from cme_batch.rules.conditions import Waiver
from cme_batch.rules.counting import (
    RequirementResult,
    applicability,
    base_exclusion,
    evaluate_requirement,
)
from cme_batch.rules.cycle import Window, cycle_window
from cme_batch.rules.records import Activity, Physician, activities_from, physicians_from
from cme_batch.rules.ruleset import RuleSet, load_rulesets, select_ruleset
from cme_batch.rules.settings import RuleSettings
from cme_batch.rules.wording import missing_sentence, waiver_sentence
from cme_batch.schema import COMPLIANCE_COLUMNS, LICENSE_TYPES, PHYSICIAN_COLUMNS

DEFAULT_SETTINGS: Final = RuleSettings()
COMPLIANCE_OUTPUT_COLUMNS: Final = (*COMPLIANCE_COLUMNS, "rule_set", "note")
PHYSICIAN_OUTPUT_COLUMNS: Final = (*PHYSICIAN_COLUMNS, "license_type", "rule_set")
ACTIVITY_STATUS_COLUMNS: Final = (
    "physician_id",
    "record_id",
    "counted_toward",
    "excluded_reason",
    "source_file",
    "page",
    "activity_date",
    "credits",
)
UNMATCHED: Final = "not matched to a roster physician"


@dataclass(frozen=True)
class ActivityOutcome:
    """What became of one activity for one physician."""

    activity: Activity
    counted_toward: tuple[str, ...]
    excluded_reason: str


@dataclass(frozen=True)
class PhysicianResult:
    """Everything decided for one physician; the tables and ``explain`` are views of this."""

    physician: Physician
    ruleset: RuleSet | None
    window: Window | None
    as_of: date
    status: str
    missing: str
    results: tuple[RequirementResult, ...] = ()
    outcomes: tuple[ActivityOutcome, ...] = ()
    #: The rule-set waiver (COVID-19) covering the renewal, as the chosen reading has it.
    waiver: Waiver | None = None

    @property
    def days_to_renewal(self) -> int | None:
        """Days from the as-of date to the renewal date (negative once it has passed)."""
        renewal = self.physician.renewal
        return None if renewal is None else (renewal - self.as_of).days


@dataclass(frozen=True)
class Evaluation:
    """The engine's answer: three tables and a per-physician explanation."""

    compliance: pd.DataFrame
    physicians: pd.DataFrame
    activity_status: pd.DataFrame
    as_of: date
    details: dict[str, PhysicianResult] = field(repr=False)
    unmatched: tuple[ActivityOutcome, ...] = field(default=(), repr=False)

    def explain(self, physician_id: str) -> str:
        """The reasoning for one physician, traceable to record ids, files and pages.

        ``physician_id=""`` lists the activities not matched to any roster physician.

        Raises:
            KeyError: the physician is not on the roster.
        """
        from cme_batch.rules.explain import explain_physician, explain_unmatched

        if physician_id == "":
            return explain_unmatched(self.unmatched, self.as_of)
        if physician_id not in self.details:
            raise KeyError(f"physician {physician_id!r} is not on the roster")
        return explain_physician(self.details[physician_id])


def _outcomes(
    physician: Physician,
    ruleset: RuleSet,
    window: Window,
    activities: Sequence[Activity],
    excluded: dict[str, str],
    results: Sequence[RequirementResult],
) -> tuple[ActivityOutcome, ...]:
    toward: dict[str, list[str]] = defaultdict(list)
    would: dict[str, list[str]] = defaultdict(list)
    for result in results:
        for record in result.contributions:
            toward[record].append(result.requirement.id)
        for record in result.flagged:
            would[record].append(result.requirement.id)
    outcomes = []
    for activity in sorted(activities, key=lambda a: a.sort_key):
        rid = activity.record_id
        reason = excluded.get(rid, "")
        if not reason and activity.needs_review:
            reason = (
                f"needs review ({activity.review_reason or 'flagged'}): not counted until confirmed"
            )
            if would[rid]:
                reason += f"; would count toward {', '.join(would[rid])}"
        elif not reason and not toward[rid]:
            reason = _why_not_counted(physician, ruleset, window, activity)
        outcomes.append(ActivityOutcome(activity, tuple(toward[rid]), reason))
    return tuple(outcomes)


def _why_not_counted(
    physician: Physician, ruleset: RuleSet, window: Window, activity: Activity
) -> str:
    """Why a usable activity ended up counting toward nothing."""
    if physician.license_type in ruleset.no_cme_license_types:
        return f"no CME required for a {physician.license_type} license"
    if activity.activity_date not in window:
        return (
            f"before the cycle window starting {window.start} and no one-time requirement "
            "it meets applies (no carry-over)"
        )
    if activity.credits is None:
        return "no credits recorded"
    if activity.credits <= 0:
        return "zero credits"
    return "counts toward no requirement that applies to this physician"


def _evaluate_physician(
    physician: Physician,
    activities: Sequence[Activity],
    rulesets: Sequence[RuleSet],
    as_of: date,
    settings: RuleSettings,
    known_ids: frozenset[str],
) -> PhysicianResult:
    renewal = physician.renewal
    problem = physician.problem
    if not problem and physician.license_type not in LICENSE_TYPES:
        problem = f"unknown license type {physician.license_type!r}"
    unknown = sorted((physician.waiver_scope or frozenset()) - known_ids)
    if not problem and unknown:
        problem = (
            f"cme_waiver_scope names unknown requirement(s) {', '.join(unknown)}; "
            f"known: {', '.join(sorted(known_ids))}"
        )
    ruleset = None if renewal is None else select_ruleset(rulesets, settings.state, renewal)
    if not problem and ruleset is None:
        problem = f"no {settings.state} rule set covers the renewal date {renewal}"
    if problem or renewal is None or ruleset is None:
        outcomes = tuple(
            ActivityOutcome(a, (), f"physician cannot be evaluated: {problem}")
            for a in sorted(activities, key=lambda a: a.sort_key)
        )
        return PhysicianResult(
            physician, ruleset, None, as_of, "needs_review", problem, (), outcomes
        )

    window = cycle_window(renewal, physician.first_licensed)
    waiver = ruleset.waiver_for(renewal, settings)
    excluded: dict[str, str] = {}
    usable: list[Activity] = []
    for activity in activities:
        reason = base_exclusion(activity, renewal, as_of, settings)
        if reason is None:
            usable.append(activity)
        else:
            excluded[activity.record_id] = reason
    results = tuple(
        evaluate_requirement(
            requirement.with_settings(settings),
            physician,
            window,
            usable,
            settings,
            applicability(requirement, physician, ruleset, waiver, settings),
        )
        for requirement in ruleset.requirements
    )
    status, missing = _overall(physician, ruleset, results, as_of, settings, waiver)
    missing = _before_the_cycle(window, as_of, status, missing)
    outcomes = _outcomes(physician, ruleset, window, activities, excluded, results)
    return PhysicianResult(
        physician, ruleset, window, as_of, status, missing, results, outcomes, waiver
    )


def _before_the_cycle(window: Window, as_of: date, status: str, missing: str) -> str:
    """Say so when the as-of date is before the cycle starts: "needs 50 more" is then expected.

    Nothing dated after the as-of date counts, so a cycle that has not begun shows everything
    short; without this hint it reads as a physician far behind.
    """
    if as_of >= window.start or status in ("not_applicable", "compliant"):
        return missing
    hint = (
        f"the cycle has not begun: it runs {window.start} through {window.end} and as of "
        f"{as_of} nothing in it can have been done yet"
    )
    return f"{hint}; {missing}" if missing else hint


def _overall(
    physician: Physician,
    ruleset: RuleSet,
    results: Sequence[RequirementResult],
    as_of: date,
    settings: RuleSettings,
    waiver: Waiver | None,
) -> tuple[str, str]:
    """The physician's status and the ``missing`` sentence.

    ``missing`` ends with what waivers did, so every report that shows the status says a
    waiver was applied (and which reading of the COVID-19 waiver was used).
    """
    renewal = physician.renewal
    assert renewal is not None
    if physician.license_type in ruleset.no_cme_license_types:
        return "not_applicable", ""
    waivers = []
    if waiver is not None:
        lifted = [r.requirement.id for r in results if r.note == waiver.note] or ["nothing"]
        waivers.append(
            f"rule-set waiver {waiver.id} applied: {', '.join(lifted)} waived "
            f"(reading used: {waiver.reading or 'as declared'})"
        )
    if physician.waiver:
        waivers.append(
            waiver_sentence(physician.waiver, physician.waiver_scope, ruleset.requirement_ids)
        )
    missing = missing_sentence(results, renewal)
    if as_of > renewal:
        stale = (
            f"renewal date {renewal} has passed (as of {as_of}): the roster is stale or the "
            "license lapsed"
        )
        status, parts = "lapsed", [stale, missing]
    elif any(r.deficient for r in results):
        urgent = (renewal - as_of).days <= settings.urgent_days
        status, parts = ("urgent" if urgent else "deficient"), [missing]
    elif any(r.status == "needs_review" for r in results):
        status, parts = "needs_review", [missing]
    else:
        status, parts = "compliant", []
    return status, "; ".join(p for p in (*parts, *waivers) if p)


def _compliance_rows(detail: PhysicianResult) -> list[dict[str, object]]:
    physician, window, ruleset = detail.physician, detail.window, detail.ruleset
    assert window is not None and ruleset is not None
    return [
        {
            "physician_id": physician.physician_id,
            "physician_name": physician.name,
            "renewal_date": physician.renewal,
            "cycle_start": window.start,
            "cycle_end": window.end,
            "requirement": r.requirement.id,
            "required": r.required,
            "earned": r.earned,
            "shortfall": r.shortfall,
            "status": r.status,
            "counted": ";".join(r.counted),
            "rule_set": ruleset.id,
            "note": r.note,
        }
        for r in detail.results
    ]


def _status_rows(physician_id: str, outcomes: Sequence[ActivityOutcome]) -> list[dict[str, object]]:
    return [
        {
            "physician_id": physician_id,
            "record_id": o.activity.record_id,
            "counted_toward": ";".join(o.counted_toward),
            "excluded_reason": o.excluded_reason,
            "source_file": o.activity.source_file,
            "page": o.activity.page,
            "activity_date": o.activity.activity_date,
            "credits": o.activity.credits,
        }
        for o in outcomes
    ]


def evaluate(
    activities: pd.DataFrame,
    roster: pd.DataFrame,
    as_of: date,
    settings: RuleSettings = DEFAULT_SETTINGS,
    *,
    rulesets: Sequence[RuleSet] | None = None,
) -> Evaluation:
    """Evaluate every roster physician's compliance as of ``as_of``.

    Args:
        activities: The activity table (``schema.ACTIVITY_COLUMNS``).
        roster: The roster table (see docs/architecture.md).
        as_of: The evaluation date; activities after it are future-dated and never count.
        settings: How to read the specification's open questions.
        rulesets: Rule sets to use; default: the packaged rule files.

    Returns:
        The findings; see :class:`Evaluation`.

    Raises:
        RuleFileError: a packaged or given rule file is invalid.
        ValueError: the roster has an empty or repeated physician id.
    """
    if rulesets is None:
        rulesets = load_rulesets()
    physicians = physicians_from(roster)
    known_ids = frozenset(
        rid
        for ruleset in rulesets
        if ruleset.state == settings.state
        for rid in ruleset.requirement_ids
    )
    by_physician: dict[str, list[Activity]] = defaultdict(list)
    for activity in activities_from(activities):
        by_physician[activity.physician_id].append(activity)
    details = {
        p.physician_id: _evaluate_physician(
            p, by_physician.pop(p.physician_id, []), rulesets, as_of, settings, known_ids
        )
        for p in sorted(physicians, key=lambda p: p.physician_id)
    }
    # What is left belongs to no roster physician: keep it visible rather than dropping it.
    unmatched = tuple(
        ActivityOutcome(
            a, (), UNMATCHED if pid == "" else f"physician id {pid!r} is not on the roster"
        )
        for pid in sorted(by_physician)
        for a in sorted(by_physician[pid], key=lambda a: a.sort_key)
    )
    compliance = [row for d in details.values() if d.results for row in _compliance_rows(d)]
    physician_rows = [
        {
            "physician_id": d.physician.physician_id,
            "physician_name": d.physician.name,
            "renewal_date": d.physician.renewal,
            "days_to_renewal": d.days_to_renewal,
            "status": d.status,
            "missing": d.missing,
            "license_type": d.physician.license_type,
            "rule_set": d.ruleset.id if d.ruleset else "",
        }
        for d in details.values()
    ]
    status_rows = [row for pid, d in details.items() for row in _status_rows(pid, d.outcomes)]
    status_rows += [row for o in unmatched for row in _status_rows(o.activity.physician_id, [o])]
    return Evaluation(
        compliance=pd.DataFrame(compliance, columns=list(COMPLIANCE_OUTPUT_COLUMNS)),
        physicians=pd.DataFrame(physician_rows, columns=list(PHYSICIAN_OUTPUT_COLUMNS)),
        activity_status=pd.DataFrame(status_rows, columns=list(ACTIVITY_STATUS_COLUMNS)),
        as_of=as_of,
        details=details,
        unmatched=unmatched,
    )
