"""Human-readable reasoning for one physician (``cme-batch explain``)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from cme_batch.rules.counting import RequirementResult
from cme_batch.rules.cycle import Window, fmt
from cme_batch.rules.records import Activity

if TYPE_CHECKING:
    from cme_batch.rules.engine import ActivityOutcome, PhysicianResult


def _credits(amount: Decimal) -> str:
    return f"{fmt(amount)} credit" + ("" if amount == 1 else "s")


def describe_activity(activity: Activity) -> str:
    """One activity as an auditor finds it: id, file and page, date, credits, title."""
    credits = "no credits" if activity.credits is None else _credits(activity.credits)
    category = f", Category {activity.category}" if activity.category else ""
    topics = f", topics {', '.join(sorted(activity.topics))}" if activity.topics else ""
    title = f' "{activity.title}"' if activity.title else ""
    return (
        f"{activity.record_id} [{activity.where or 'no source file'}] "
        f"{activity.activity_date or 'no date'}, {credits}{category}{topics}{title}"
    )


def _requirement_line(result: RequirementResult) -> str:
    requirement = result.requirement
    unit = (
        "training" if requirement.is_training else ("credit" if result.required == 1 else "credits")
    )
    frequency = "one-time" if requirement.one_time else "per cycle"
    if result.status == "not_applicable":
        # Every not_applicable says why: license type, prescriber, adults, dates, waivers.
        line = f"- {requirement.id}: not_applicable, why: {result.note or 'no reason recorded'}"
        if result.waived:
            line += f"\n    would have earned {fmt(result.earned)} (counted for the record)"
    else:
        line = (
            f"- {requirement.id} ({frequency}): earned {fmt(result.earned)} of "
            f"{fmt(result.required)} {unit}, shortfall {fmt(result.shortfall)}: {result.status}"
        )
        if result.note:
            line += f"\n    note: {result.note}"
    if result.counted:
        line += f"\n    counted: {', '.join(result.counted)}"
    line += f"\n    source: {requirement.source}"
    return line


def _outcome_line(
    outcome: ActivityOutcome, results: Sequence[RequirementResult], detail_window: Window | None
) -> str:
    activity = outcome.activity
    line = f"- {describe_activity(activity)}\n    "
    if outcome.counted_toward:
        parts = []
        for result in results:
            amount = result.contributions.get(activity.record_id)
            if amount is None:
                continue
            waived = ", waived" if result.waived else ""
            if result.requirement.is_training:
                parts.append(result.requirement.id + (" (waived)" if waived else ""))
            else:
                parts.append(f"{result.requirement.id} ({fmt(amount)}{waived})")
        line += f"counted toward {', '.join(parts)}"
        window = detail_window
        if window is not None and activity.activity_date not in window:
            line += (
                " (before the cycle window: one-time requirements only, nothing added to totals)"
            )
        if outcome.excluded_reason:
            line += f"; {outcome.excluded_reason}"
    else:
        line += f"excluded: {outcome.excluded_reason}"
    return line


def explain_physician(detail: PhysicianResult) -> str:
    """The reasoning behind one physician's status, requirement by requirement."""
    physician = detail.physician
    lines = [
        f"{physician.physician_id} {physician.name} ({physician.license_type} license)",
        f"As of {detail.as_of}; renewal date {physician.renewal}"
        + (f" ({detail.days_to_renewal} days)" if detail.days_to_renewal is not None else ""),
    ]
    if detail.ruleset is not None:
        ruleset = detail.ruleset
        lines.append(f"Rule set: {ruleset.id}, {ruleset.title} (source: {ruleset.source})")
    if detail.window is not None:
        window = detail.window
        lines.append(
            f"Cycle window: {window.start} through {window.end} (both days count)"
            + (" (starts at first_licensed)" if window.shortened else "")
            + f"; one-time requirements count any date up to {window.end}"
        )
    if detail.waiver is not None:
        waiver = detail.waiver
        lines.append(
            f"Rule-set waiver: {waiver.id} covers renewals {waiver.renewals_from} to "
            f"{waiver.renewals_to}; reading used: {waiver.reading or 'as declared'}; waives "
            f"{', '.join(sorted(waiver.waives))} (source: {waiver.source})"
        )
    if physician.waiver:
        scope = physician.waiver_scope
        covered = "all requirements" if scope is None else ", ".join(sorted(scope))
        lines.append(
            f"Individual waiver: {physician.waiver} (roster cme_waiver), covering {covered}; "
            "activities are still listed and counted"
        )
    lines.append(f"Status: {detail.status}" + (f": {detail.missing}" if detail.missing else ""))
    if detail.results:
        lines.append("Requirements:")
        lines.extend(_requirement_line(r) for r in detail.results)
    lines.append("Activities:")
    if not detail.outcomes:
        lines.append("- none on file")
    lines.extend(_outcome_line(o, detail.results, detail.window) for o in detail.outcomes)
    return "\n".join(lines)


def explain_unmatched(outcomes: Sequence[ActivityOutcome], as_of: date) -> str:
    """Activities that belong to no roster physician."""
    lines = [f"Activities not matched to a roster physician (as of {as_of}):"]
    if not outcomes:
        lines.append("- none")
    lines.extend(f"- {describe_activity(o.activity)}: {o.excluded_reason}" for o in outcomes)
    return "\n".join(lines)
