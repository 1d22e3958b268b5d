"""Counting one physician's activities toward one requirement.

Everything here is driven by the :class:`~cme_batch.rules.ruleset.Requirement` data: which
topics and category qualify, per-cycle versus one-time, caps, Category 1 sub-minimums and
alternative routes. Nothing is specific to a state or a requirement id.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_CEILING, Decimal

from cme_batch.rules.conditions import Waiver
from cme_batch.rules.cycle import Window, fmt
from cme_batch.rules.records import Activity, Physician
from cme_batch.rules.ruleset import Requirement, RuleSet
from cme_batch.rules.settings import RuleSettings

ZERO = Decimal(0)
#: Prorated minimums are rounded up to this step, so proration never asks for 0.37 credits.
PRORATION_STEP = Decimal("0.5")


@dataclass(frozen=True)
class RequirementResult:
    """The finding for one physician and requirement."""

    requirement: Requirement
    required: Decimal
    earned: Decimal
    shortfall: Decimal
    status: str
    #: Confirmed records counted, with the credits each contributed (1 per record for a training).
    contributions: Mapping[str, Decimal] = field(default_factory=dict)
    #: Flagged (needs_review) records that would count if a person confirms them.
    flagged: tuple[str, ...] = ()
    #: Whether the requirement stays unmet even if every flagged record is confirmed.
    deficient: bool = False
    #: Category 1 credits still missing toward ``min_category1``.
    category1_short: Decimal = ZERO
    notes: tuple[str, ...] = ()
    #: ``needs_review`` because the rules do not settle whether it applies (not flagged records).
    undetermined: bool = False
    #: ``not_applicable`` through the physician's individual waiver; activities still counted.
    waived: bool = False

    @property
    def counted(self) -> tuple[str, ...]:
        """The record ids counted, sorted."""
        return tuple(sorted(self.contributions))

    @property
    def note(self) -> str:
        """The notes as one sentence list for the ``note`` column."""
        return "; ".join(self.notes)


def base_exclusion(
    activity: Activity, renewal: date, as_of: date, settings: RuleSettings
) -> str | None:
    """Why an activity counts toward nothing at all for this renewal, or None if it may count.

    Window, topic and category checks are per requirement and come later.
    """
    if activity.exclude_reason:
        return activity.exclude_reason
    if activity.activity_date is None:
        return "no activity date"
    if activity.activity_date > as_of:
        return f"future-dated: {activity.activity_date} is after the as-of date {as_of}"
    if activity.activity_date > renewal:
        return f"dated after the renewal date {renewal}: belongs to the next cycle"
    if (
        activity.credit_type in settings.board_certification_types
        and not settings.grant_board_certification_credit
    ):
        return (
            f"{activity.credit_type} credit is not granted "
            "(setting grant_board_certification_credit is off)"
        )
    return None


@dataclass(frozen=True)
class Applicability:
    """Whether a requirement applies to a physician, and if not, why.

    ``status`` is ``applies``, ``not_applicable`` or ``needs_review`` (the rules leave it open);
    ``note`` says why for the last two. ``waived`` marks the physician's individual waiver.
    """

    status: str
    note: str = ""
    waived: bool = False


APPLIES = Applicability("applies")


def _structural(requirement: Requirement, physician: Physician, ruleset: RuleSet) -> str | None:
    """Why the requirement is not one this physician or renewal has at all, or None."""
    rule = requirement.applies_to
    renewal = physician.renewal
    assert renewal is not None
    kind = physician.license_type
    if kind in ruleset.no_cme_license_types:
        return f"no CME required for a {kind} license"
    if kind not in rule.license_types:
        article = "an" if kind[:1] in "aeiou" else "a"
        return f"license type: does not apply to {article} {kind} license"
    if rule.prescribers_only and not physician.prescriber:
        return "not a prescriber: applies only to physicians who prescribe controlled substances"
    if rule.serves_adults_only and not physician.serves_adults:
        return "not serving adults: applies only to physicians who serve adult populations"
    if rule.renewals_from is not None and renewal < rule.renewals_from:
        return f"not yet in force: applies to renewals on or after {rule.renewals_from}"
    if rule.renewals_to is not None and renewal > rule.renewals_to:
        return f"no longer in force: applies to renewals on or before {rule.renewals_to}"
    return None


def _exception(
    requirement: Requirement, physician: Physician, settings: RuleSettings
) -> Applicability | None:
    """The first of the requirement's exceptions that speaks to this physician, if any."""
    renewal = physician.renewal
    assert renewal is not None
    for exception in requirement.exceptions:
        if not exception.enabled(settings) or not exception.covers_renewal(renewal, settings):
            continue
        note = exception.describe(settings)
        if exception.needs_first_licensed:
            if physician.first_licensed is None:
                # Never guess the licensing date: which side of the line decides the answer.
                return Applicability(
                    "needs_review",
                    f"first_licensed is not on the roster and decides this exception: {note}",
                )
            if not exception.covers_first_licensed(physician.first_licensed, settings):
                continue
        return Applicability(exception.status, note)
    return None


def applicability(
    requirement: Requirement,
    physician: Physician,
    ruleset: RuleSet,
    waiver: Waiver | None,
    settings: RuleSettings,
) -> Applicability:
    """Whether ``requirement`` applies to ``physician``, and why not when it does not.

    First match wins: who and which renewals the requirement is for, a rule-set waiver (the
    COVID-19 waiver), an exception that makes it ``not_applicable`` (the dementia grace period),
    the physician's individual waiver, then an exception that sends it to review.
    """
    reason = _structural(requirement, physician, ruleset)
    if reason is not None:
        return Applicability("not_applicable", reason)
    if waiver is not None and requirement.id in waiver.waives:
        return Applicability("not_applicable", waiver.note)
    exception = _exception(requirement, physician, settings)
    if exception is not None and exception.status == "not_applicable":
        return exception
    if physician.waived(requirement.id):
        return Applicability("not_applicable", f"waived: {physician.waiver}", waived=True)
    return exception or APPLIES


def qualifies(requirement: Requirement, activity: Activity, window: Window) -> bool:
    """Whether a usable activity (see :func:`base_exclusion`) counts toward ``requirement``."""
    if not requirement.one_time and activity.activity_date not in window:
        return False  # no carry-over: per-cycle requirements only see this window
    if requirement.topics and not activity.topics & requirement.topics:
        return False
    if requirement.category == "1" and activity.category != "1":
        return False
    if requirement.is_training:
        return True  # a training needs the activity, not a credit amount
    return activity.credits is not None and activity.credits > 0


def allocate(requirement: Requirement, activities: Iterable[Activity]) -> dict[str, Decimal]:
    """Credits each activity contributes, applying the requirement's caps.

    An activity counts once however many of its topics qualify. A cap limits activities that
    qualify *only* through the capped topics (a wellness course also tagged risk management is
    not capped). Category 1 activities fill a cap first, so a Category 2 course can never push
    Category 1 credit out of a ``min_category1`` count; then date order, so results do not
    depend on row order.
    """
    remaining = [cap.limit for cap in requirement.caps]
    contributions: dict[str, Decimal] = {}
    for activity in sorted(activities, key=lambda a: (a.category != "1", a.sort_key)):
        if requirement.is_training:
            contributions[activity.record_id] = Decimal(1)
            continue
        assert activity.credits is not None
        amount = activity.credits
        through = activity.topics & requirement.topics
        for index, cap in enumerate(requirement.caps):
            if through and through <= cap.topics:
                amount = min(amount, remaining[index])
                remaining[index] -= amount
        if amount > 0:
            contributions[activity.record_id] = amount
    return contributions


def _required(
    requirement: Requirement, physician: Physician, window: Window, settings: RuleSettings
) -> tuple[Decimal, str | None]:
    amount = requirement.amount_for(physician.license_type)
    if (
        settings.first_renewal_proration
        and window.shortened
        and not requirement.one_time
        and not requirement.is_training
    ):
        steps = (amount * window.fraction / PRORATION_STEP).to_integral_value(ROUND_CEILING)
        prorated = steps * PRORATION_STEP
        return prorated, f"prorated from {fmt(amount)} for a first cycle from {window.start}"
    return amount, None


def _shortfall(
    requirement: Requirement,
    required: Decimal,
    contributions: Mapping[str, Decimal],
    by_id: Mapping[str, Activity],
) -> tuple[Decimal, Decimal, Decimal]:
    """Earned, shortfall and Category 1 shortfall for a set of contributions."""
    earned = sum(contributions.values(), ZERO)
    short = max(required - earned, ZERO)
    cat1_short = ZERO
    if requirement.min_category1 is not None:
        cat1 = sum((c for r, c in contributions.items() if by_id[r].category == "1"), ZERO)
        cat1_short = max(requirement.min_category1 - cat1, ZERO)
    return earned, max(short, cat1_short), cat1_short


def evaluate_requirement(
    requirement: Requirement,
    physician: Physician,
    window: Window,
    usable: Sequence[Activity],
    settings: RuleSettings,
    applies: Applicability = APPLIES,
) -> RequirementResult:
    """The finding for one requirement, given the physician's usable activities."""
    qualifying = [a for a in usable if qualifies(requirement, a, window)]
    confirmed = [a for a in qualifying if not a.needs_review]
    if applies.status == "not_applicable":
        # A waiver never hides activities: what would count is still counted, for the record.
        counted = allocate(requirement, confirmed) if applies.waived else {}
        earned = sum(counted.values(), ZERO)
        return RequirementResult(
            requirement,
            ZERO,
            earned,
            ZERO,
            "not_applicable",
            counted,
            notes=(applies.note,),
            waived=applies.waived,
        )
    required, proration_note = _required(requirement, physician, window, settings)
    notes: list[str] = [proration_note] if proration_note else []
    by_id = {a.record_id: a for a in qualifying}
    contributions = allocate(requirement, confirmed)
    earned, shortfall, cat1_short = _shortfall(requirement, required, contributions, by_id)
    notes.extend(_describe(requirement, confirmed, contributions, cat1_short))
    if applies.status == "needs_review":
        # The rules leave open whether it applies: report what was earned, decide nothing.
        met = "met if it applies" if shortfall == 0 else f"short by {fmt(shortfall)} if it applies"
        return RequirementResult(
            requirement,
            required,
            earned,
            shortfall,
            "needs_review",
            contributions,
            category1_short=cat1_short,
            notes=(applies.note, met, *notes),
            undetermined=True,
        )

    route = requirement.alternative_route
    if shortfall > 0 and route is not None and getattr(physician, route, False):
        notes.append(f"met by the attested alternative route ({route} on the roster)")
        return RequirementResult(
            requirement, required, earned, ZERO, "met", contributions, notes=tuple(notes)
        )
    if shortfall == 0:
        return RequirementResult(
            requirement, required, earned, ZERO, "met", contributions, notes=tuple(notes)
        )

    with_flagged = allocate(requirement, qualifying)
    _, shortfall_all, _ = _shortfall(requirement, required, with_flagged, by_id)
    flagged = tuple(sorted(r for r in with_flagged if by_id[r].needs_review))
    if flagged and shortfall_all < shortfall:
        count = f"{len(flagged)} flagged record{'s' if len(flagged) > 1 else ''}"
        if shortfall_all == 0:
            notes.append(f"met if the {count} ({', '.join(flagged)}) are confirmed")
        else:
            notes.append(
                f"still short by {fmt(shortfall_all)} even if the {count} "
                f"({', '.join(flagged)}) are confirmed"
            )
        return RequirementResult(
            requirement,
            required,
            earned,
            shortfall,
            "needs_review",
            contributions,
            flagged=flagged,
            deficient=shortfall_all > 0,
            category1_short=cat1_short,
            notes=tuple(notes),
        )
    return RequirementResult(
        requirement,
        required,
        earned,
        shortfall,
        "short",
        contributions,
        deficient=True,
        category1_short=cat1_short,
        notes=tuple(notes),
    )


def _describe(
    requirement: Requirement,
    confirmed: Sequence[Activity],
    contributions: Mapping[str, Decimal],
    cat1_short: Decimal,
) -> list[str]:
    """Notes that explain how a number was reached (caps, units, sub-minimums, checks)."""
    notes: list[str] = []
    if requirement.is_training:
        notes.append(
            "training: one qualifying activity needed; required and earned count activities"
        )
    for cap in requirement.caps:
        capped = [
            a
            for a in confirmed
            if a.topics & requirement.topics <= cap.topics and a.credits is not None
        ]
        recorded = sum((a.credits for a in capped if a.credits is not None), ZERO)
        if recorded > cap.limit:
            topics = ", ".join(sorted(cap.topics))
            notes.append(f"{topics} counted up to {fmt(cap.limit)} ({fmt(recorded)} recorded)")
    if requirement.min_category1 is not None and cat1_short > 0:
        notes.append(
            f"needs {fmt(cat1_short)} more Category 1 of the {fmt(requirement.min_category1)}"
        )
    if requirement.verify and contributions:
        by_id = {a.record_id: a for a in confirmed}
        courses = "; ".join(
            f"{by_id[r].title or '(untitled)'} ({by_id[r].provider or 'provider unknown'})"
            for r in sorted(contributions)
        )
        notes.append(f"{requirement.verify}: {courses}")
    return notes
