"""Plain-English sentences for the ``missing`` column of ``physicians.csv``."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from cme_batch.rules.counting import RequirementResult
from cme_batch.rules.cycle import fmt


def join_words(items: Sequence[str]) -> str:
    """``["a", "b", "c"]`` -> ``"a, b and c"``."""
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def _the(result: RequirementResult) -> str:
    once = "one-time " if result.requirement.one_time else ""
    return f"the {once}{result.requirement.name}"


def shortage_phrase(result: RequirementResult) -> str:
    """What one unmet requirement still needs, e.g. ``"4.5 more risk-management credits"``."""
    requirement = result.requirement
    if requirement.is_training or (requirement.one_time and result.earned == 0):
        return _the(result)
    amount = fmt(result.shortfall)
    noun = "credit" if result.shortfall == 1 else "credits"
    if result.category1_short >= result.shortfall:
        return f"{amount} more Category 1 {requirement.label} {noun}"
    if result.category1_short > 0:
        cat1 = fmt(result.category1_short)
        return f"{amount} more {requirement.label} {noun} (at least {cat1} Category 1)"
    return f"{amount} more {requirement.label} {noun}"


def missing_sentence(results: Sequence[RequirementResult], renewal: date) -> str:
    """Everything still needed before ``renewal``; empty when nothing is.

    Example: ``"needs 4.5 more risk-management credits and the one-time dementia training by
    2027-03-14"``. Flagged records that would help are named so a person can confirm them.
    """
    unmet = [
        r
        for r in results
        if r.status in ("short", "needs_review") and r.shortfall > 0 and not r.undetermined
    ]
    parts: list[str] = []
    if unmet:
        parts.append(f"needs {join_words([shortage_phrase(r) for r in unmet])} by {renewal}")
    open_questions = [r for r in results if r.undetermined]
    if open_questions:
        names = join_words([_the(r) for r in open_questions])
        parts.append(f"decide whether {names} applies to this renewal (see the note)")
    flagged = sorted({record for r in results for record in r.flagged})
    if flagged:
        helped = join_words([r.requirement.label for r in results if r.flagged])
        noun = "record" if len(flagged) == 1 else "records"
        parts.append(f"confirm flagged {noun} {', '.join(flagged)} (would count toward {helped})")
    return "; ".join(parts)


def waiver_sentence(reference: str, scope: frozenset[str] | None, known: Sequence[str]) -> str:
    """What the physician's individual waiver covers, for the ``missing`` column.

    ``known`` are the requirement ids of the rule set in force; a scope id outside it is named,
    because the waiver then changes nothing for that requirement.
    """
    if scope is None:
        return f"CME waiver applied ({reference}): all requirements waived"
    covered = [r for r in known if r in scope]
    text = f"CME waiver applied ({reference}): {', '.join(covered) or 'nothing'} waived"
    foreign = sorted(scope - set(known))
    if foreign:
        verb = "is not a requirement" if len(foreign) == 1 else "are not requirements"
        text += f" ({', '.join(foreign)} {verb} of this renewal's rule set)"
    return text
