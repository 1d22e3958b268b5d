"""The renewal cycle window and number formatting shared by the engine and its texts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal


def years_before(day: date, years: int) -> date:
    """``day`` moved back ``years`` years; 29 February becomes 28 February (243 CMR 2.06)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


@dataclass(frozen=True)
class Window:
    """The days whose activities count toward per-cycle requirements, both ends inclusive.

    The specification's window is ``(R - 2y, R]``; ``start`` is the first day that counts
    (``R - 2y + 1 day``, or ``first_licensed`` when that lies inside the window).
    """

    start: date
    end: date
    full_start: date
    shortened: bool

    def __contains__(self, day: object) -> bool:
        """Whether an activity on ``day`` falls in the window."""
        return isinstance(day, date) and self.start <= day <= self.end

    @property
    def fraction(self) -> Decimal:
        """The share of a full cycle the window covers (1 unless shortened)."""
        full = (self.end - self.full_start).days + 1
        return Decimal((self.end - self.start).days + 1) / Decimal(full)


def cycle_window(renewal: date, first_licensed: date | None) -> Window:
    """The cycle window for a renewal on ``renewal``."""
    full_start = years_before(renewal, 2) + timedelta(days=1)
    if first_licensed is not None and full_start < first_licensed <= renewal:
        return Window(start=first_licensed, end=renewal, full_start=full_start, shortened=True)
    return Window(start=full_start, end=renewal, full_start=full_start, shortened=False)


def fmt(number: Decimal) -> str:
    """A credit amount without float noise or exponent: ``Decimal("4.50")`` -> ``"4.5"``."""
    text = format(number.normalize(), "f")
    return "0" if text in ("-0", "") else text
