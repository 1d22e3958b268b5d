"""Dated conditions of a rule set: requirement exceptions and rule-set waivers.

Both are data declared in a rule file. A :class:`RequirementException` narrows when a requirement
applies by renewal date and by the physician's ``first_licensed`` date (the dementia course's
grace period); a :class:`Waiver` lifts some requirements for a period of renewal dates (the
COVID-19 waiver). Either may name a setting instead of a fixed date, or be chosen by an option
setting, so that a reading the sources leave open is a setting, not an edit of the engine.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Final

from cme_batch.rules.settings import RuleSettings

#: A date bound: a fixed date, or the name of a date setting (``settings.DATE_SETTINGS``).
DateBound = date | str

#: What an exception makes of a requirement.
EXCEPTION_STATUSES: Final[tuple[str, ...]] = ("not_applicable", "needs_review")
#: The bounds an exception may set, in the order its note's placeholders are documented.
EXCEPTION_BOUNDS: Final[tuple[str, ...]] = (
    "renewals_from",
    "renewals_to",
    "first_licensed_from",
    "first_licensed_to",
)


def resolve(bound: DateBound | None, settings: RuleSettings) -> date | None:
    """The date a bound stands for under ``settings``."""
    if bound is None or isinstance(bound, date):
        return bound
    return settings.date_setting(bound)


def _within(day: date, start: date | None, end: date | None) -> bool:
    return (start is None or start <= day) and (end is None or day <= end)


@dataclass(frozen=True)
class RequirementException:
    """A requirement is ``status`` (not its usual self) for the renewals and physicians given.

    All bounds are inclusive; an absent bound is open. ``only_with`` lists option settings and
    the values they must have for the exception to exist at all.
    """

    status: str
    note: str
    source: str
    renewals_from: DateBound | None = None
    renewals_to: DateBound | None = None
    first_licensed_from: DateBound | None = None
    first_licensed_to: DateBound | None = None
    only_with: Mapping[str, str] = field(default_factory=dict)

    @property
    def needs_first_licensed(self) -> bool:
        """Whether the exception depends on the physician's ``first_licensed`` date."""
        return self.first_licensed_from is not None or self.first_licensed_to is not None

    def enabled(self, settings: RuleSettings) -> bool:
        """Whether the option settings select this exception."""
        return all(settings.option(name) == value for name, value in self.only_with.items())

    def bounds(self, settings: RuleSettings) -> dict[str, date | None]:
        """Every bound resolved to a date (None when open)."""
        return {name: resolve(getattr(self, name), settings) for name in EXCEPTION_BOUNDS}

    def covers_renewal(self, renewal: date, settings: RuleSettings) -> bool:
        """Whether ``renewal`` lies in the exception's renewal dates."""
        b = self.bounds(settings)
        return _within(renewal, b["renewals_from"], b["renewals_to"])

    def covers_first_licensed(self, first_licensed: date, settings: RuleSettings) -> bool:
        """Whether a physician first licensed on ``first_licensed`` is one it speaks of."""
        b = self.bounds(settings)
        return _within(first_licensed, b["first_licensed_from"], b["first_licensed_to"])

    def describe(self, settings: RuleSettings) -> str:
        """The note with its ``{renewals_to}``-style placeholders filled in."""
        values = {k: ("" if v is None else v.isoformat()) for k, v in self.bounds(settings).items()}
        return self.note.format(**values)


@dataclass(frozen=True)
class Waiver:
    """A period of renewal dates for which some requirements were waived.

    ``keeps`` holds the requirements the waiver leaves in force (empty when the file lists
    ``waives`` instead); ``reading`` says which reading of the sources these dates and items
    follow, for the report. ``options`` are whole alternative readings chosen by a setting.
    """

    id: str
    renewals_from: date
    renewals_to: date
    waives: frozenset[str]
    source: str
    note: str
    keeps: frozenset[str] = frozenset()
    reading: str = ""
    options: Mapping[tuple[str, str], Waiver] = field(default_factory=dict)

    def covers(self, renewal: date) -> bool:
        """Whether the waiver covers a renewal on ``renewal`` (both ends inclusive)."""
        return self.renewals_from <= renewal <= self.renewals_to

    def with_settings(self, settings: RuleSettings) -> Waiver:
        """This waiver as the reading selected by ``settings`` has it."""
        for (setting, value), variant in self.options.items():
            if settings.option(setting) == value:
                return variant
        return self
