"""Settings of the rules engine: the open questions of the specification, each with its default.

Every choice the public sources leave open is a setting here rather than a guess in code, so an
office can change its reading without touching the engine. Rule files refer to the *option*
settings (``board_regulations``, ``implicit_bias``) by name and declare what each value changes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final, Literal

#: Settings a rule file may key variants on (``[requirements.options.<setting>.<value>]``), with
#: the values each may take. The first value is the default.
OPTION_CHOICES: Final[dict[str, tuple[str, ...]]] = {
    "board_regulations": ("total", "per_chapter"),
    "implicit_bias": ("one_time", "per_renewal"),
}

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
        if self.urgent_days < 0:
            raise ValueError(f"setting urgent_days={self.urgent_days}: must not be negative")

    def option(self, name: str) -> str:
        """The value of the option setting ``name`` (one of :data:`OPTION_CHOICES`)."""
        value = getattr(self, name)
        assert isinstance(value, str)
        return value
