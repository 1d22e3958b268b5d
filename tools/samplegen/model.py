"""Dataclasses shared by the generator: who, what was earned, and how a document is laid out."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

Variant = Literal["digital", "scanned", "photo"]


@dataclass(frozen=True)
class Physician:
    """One roster physician (fictional)."""

    physician_id: str
    last_name: str
    first_name: str
    middle_name: str
    degree: str  # "MD" or "DO"
    license_number: str
    license_expires: dt.date
    prescribes: bool
    first_licensed: dt.date
    email: str
    license_type: str = "full"
    serves_adults: bool = True
    ehr_alternative_route: bool = False
    #: Post-nominals some certificates print after the degree (e.g. "PhD", "FACP").
    honorifics: tuple[str, ...] = ()

    def roster_row(self) -> dict[str, str]:
        """The roster CSV row, booleans as yes/no and dates ISO."""
        return {
            "physician_id": self.physician_id,
            "last_name": self.last_name,
            "first_name": self.first_name,
            "middle_name": self.middle_name,
            "degree": self.degree,
            "license_number": self.license_number,
            "license_expires": self.license_expires.isoformat(),
            "prescribes_controlled_substances": "yes" if self.prescribes else "no",
            "first_licensed": self.first_licensed.isoformat(),
            "email": self.email,
            "license_type": self.license_type,
            "serves_adults": "yes" if self.serves_adults else "no",
            "ehr_alternative_route": "yes" if self.ehr_alternative_route else "no",
        }


@dataclass(frozen=True)
class CreditSystem:
    """A credit system as a certificate names it.

    Attributes:
        key: short id (``ama1``, ``ama2``, ``aoa1a``, ``aafp_p``, ``ancc`` ...).
        category: ``"1"``, ``"2"`` or ``""`` for non-physician credit (no truth row).
        singular: printed name after an amount of exactly 1 ("1.00 AMA PRA Category 1 Credit").
        plural: printed name after any other amount.
    """

    key: str
    category: str
    singular: str
    plural: str

    def printed(self, credits: Decimal) -> str:
        """The phrase printed after ``credits``."""
        return self.singular if credits == 1 else self.plural


@dataclass(frozen=True)
class Activity:
    """One credit-bearing activity as earned by one physician.

    ``date`` is what the truth records: the completion date or the last day of a range.
    ``start`` is set for multi-day activities. ``max_credits`` is the designation ("designated
    for a maximum of 20 ..."), printed as a distractor beside the credits actually claimed.
    """

    title: str
    provider: str
    date: dt.date
    credits: Decimal
    system: CreditSystem
    topics: tuple[str, ...] = ()
    start: dt.date | None = None
    max_credits: Decimal | None = None
    moc_points: Decimal | None = None
    #: Free text printed near the title (location, format, speakers); never in the truth.
    venue: str = ""

    @property
    def category(self) -> str:
        """``"1"`` or ``"2"`` (``""`` for non-physician credit)."""
        return self.system.category


@dataclass
class PageSpec:
    """One certificate (one or more pages of a document) to draw.

    Attributes:
        layout: layout name (a key of ``layouts.LAYOUTS``).
        physician: whose certificate it is (None for documents naming nobody, e.g. an agenda).
        activities: activities printed; only those of physician credit systems become truth.
        seed: seed of the layout's own choices (wording, colors, name and date forms).
        rotate: degrees clockwise the page is turned when scanned (0, 90, 180, 270).
        credit_bearing: False for attendance-only, ANCC and non-certificates: no truth rows.
    """

    layout: str
    physician: Physician | None
    activities: list[Activity]
    seed: int
    rotate: int = 0
    credit_bearing: bool = True


@dataclass
class DocSpec:
    """One file of a set.

    Attributes:
        path: path relative to the set folder, forward slashes, with the final extension.
        variant: digital (text-layer PDF), scanned or photo.
        pages: certificates in file order (a batch scan holds several).
        seed: seed of the degradation.
        expected_status: ``ok``, ``no_certificate`` or ``duplicate``.
        note: free text for ``documents_truth.csv`` (e.g. of which file it is a duplicate).
        copy_of: path of an earlier document whose bytes this one repeats (same PDF, two
            folders), or whose printout this one is a scan of (a duplicate with other bytes).
        dpi: rasterization resolution for scans and photos.
    """

    path: str
    variant: Variant
    pages: list[PageSpec]
    seed: int
    expected_status: str = "ok"
    note: str = ""
    copy_of: str = ""
    dpi: int = 200
    extra: dict[str, object] = field(default_factory=dict)

    @property
    def layout(self) -> str:
        """Layout name recorded in the truth (``+``-joined for a batch scan)."""
        names: list[str] = []
        for p in self.pages:
            if p.layout not in names:
                names.append(p.layout)
        return "+".join(names)


@dataclass(frozen=True)
class TruthRow:
    """One expected ``certificates.csv`` row."""

    source_file: str
    page: int
    physician_name: str
    physician_id: str
    activity_title: str
    provider: str
    activity_date: dt.date
    credits: Decimal
    category: str
    credit_type: str
    topics: tuple[str, ...]
    variant: str
    layout: str
