"""Settings of the rules engine: the open questions of the specification, each with its default.

Every choice the public sources leave open is a setting here rather than a guess in code, so an
office can change its reading without touching the engine. Rule files refer to the *option*
settings (``board_regulations``, ``implicit_bias``, ``covid_waiver``,
``domestic_violence_enforcement``) by name and declare what each value changes, and to the *date*
settings (``dementia_grace_end``) in place of a fixed date.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Final, Literal

#: Settings a rule file may key variants on (``[requirements.options.<setting>.<value>]``), with
#: the values each may take. The first value is the default.
OPTION_CHOICES: Final[dict[str, tuple[str, ...]]] = {
    "board_regulations": ("total", "per_chapter"),
    "implicit_bias": ("one_time", "per_renewal"),
    "covid_waiver": ("board_policy", "specialty_society"),
    "domestic_violence_enforcement": ("as_today", "review_before_2017_11_01"),
}

#: Date settings a rule file may use in place of a date (``renewals_to = { setting = "..." }``).
DATE_SETTINGS: Final[tuple[str, ...]] = ("dementia_grace_end",)

#: ``credit_type`` values that mark credit granted for board certification, residency or
#: fellowship (Board policy 94-05) rather than for a CME activity.
DEFAULT_BOARD_CERTIFICATION_TYPES: Final[frozenset[str]] = frozenset(
    {"board_certification", "residency", "fellowship"}
)


@dataclass(frozen=True)
class RuleSettings:
    """How the engine reads the points the sources leave open.

    Attributes:
        board_regulations: ``"total"`` (2 credits in all, 2024 chart) or ``"per_chapter"``
            (2 credits for each of 243 CMR 1.00-3.00, 2017 policy wording).
        implicit_bias: ``"one_time"`` (2024 guidelines) or ``"per_renewal"`` (2021 announcement).
        covid_waiver: Which reading of the COVID-19 waiver (Board policy 20-03) applies:
            ``"board_policy"`` (the Board-citing sources: renewals to 2020-12-31, credits waived)
            or ``"specialty_society"`` (one secondary source: risk management still required,
            renewals to 2021-12-31). The rule file declares what each reading keeps.
        domestic_violence_enforcement: ``"as_today"`` (the training is required for every
            renewal of the rule set) or ``"review_before_2017_11_01"`` (renewals before
            2017-11-01 are ``needs_review``: the Board's first enforcement date is not known).
        dementia_grace_end: The last renewal date of the dementia course's grace period for
            physicians licensed when St. 2018 c. 220 took effect.
        first_renewal_proration: Prorate per-cycle credit minimums when the window is shortened
            by ``first_licensed``. No source supports it, so it is off.
        grant_board_certification_credit: Count activities whose ``credit_type`` is one of
            ``board_certification_types``. The Board's values are not known here, so none.
        board_certification_types: The ``credit_type`` values treated as board-certification,
            residency or fellowship credit.
        urgent_days: A deficient physician whose renewal is this many days away or fewer is
            ``urgent``.
        state: The state whose rule sets apply.
    """

    board_regulations: Literal["total", "per_chapter"] = "total"
    implicit_bias: Literal["one_time", "per_renewal"] = "one_time"
    covid_waiver: Literal["board_policy", "specialty_society"] = "board_policy"
    domestic_violence_enforcement: Literal["as_today", "review_before_2017_11_01"] = "as_today"
    dementia_grace_end: date = date(2022, 8, 8)
    first_renewal_proration: bool = False
    grant_board_certification_credit: bool = False
    board_certification_types: frozenset[str] = field(
        default_factory=lambda: DEFAULT_BOARD_CERTIFICATION_TYPES
    )
    urgent_days: int = 90
    state: str = "MA"

    def __post_init__(self) -> None:
        """Reject values a rule file could not interpret, before any physician is evaluated."""
        for name, choices in OPTION_CHOICES.items():
            value = getattr(self, name)
            if value not in choices:
                raise ValueError(f"setting {name}={value!r}: expected one of {choices}")
        if not isinstance(self.dementia_grace_end, date):
            raise ValueError(
                f"setting dementia_grace_end={self.dementia_grace_end!r}: expected a date"
            )
        if self.urgent_days < 0:
            raise ValueError(f"setting urgent_days={self.urgent_days}: must not be negative")

    def date_setting(self, name: str) -> date:
        """The value of the date setting ``name`` (one of :data:`DATE_SETTINGS`)."""
        value = getattr(self, name)
        assert isinstance(value, date)
        return value

    def option(self, name: str) -> str:
        """The value of the option setting ``name`` (one of :data:`OPTION_CHOICES`)."""
        value = getattr(self, name)
        assert isinstance(value, str)
        return value
