"""What the blind set is made of: credit systems, activities, certificates and files."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from samplegen.model import Physician

Variant = Literal["digital", "scanned", "photo"]


@dataclass(frozen=True)
class System:
    """A credit system.

    Attributes:
        key: short id.
        category: ``"1"``, ``"2"``, or ``""`` for credit that is not physician credit.
        truth: the credit type recorded in the truth (what a reader would write down).
    """

    key: str
    category: str
    truth: str


AMA1 = System("ama1", "1", "AMA PRA Category 1 Credit")
AMA2 = System("ama2", "2", "AMA PRA Category 2 Credit")
SELF2 = System("cat2", "2", "Category 2 (self-claimed)")
AOA1A = System("aoa1a", "1", "AOA Category 1-A")
AOA1B = System("aoa1b", "1", "AOA Category 1-B")
AOA2A = System("aoa2a", "2", "AOA Category 2-A")
AOA2B = System("aoa2b", "2", "AOA Category 2-B")
AAFP_P = System("aafp_p", "1", "AAFP Prescribed")
ANCC = System("ancc", "", "ANCC contact hours")
NONE = System("none", "", "")


@dataclass(frozen=True)
class Act:
    """One activity as earned by one physician.

    ``date`` is the truth date: the completion date, or the last day of a multi-day activity.
    ``max_credits`` is the provider's designation, printed as a distractor where it differs.
    """

    title: str
    provider: str
    date: dt.date
    credits: Decimal
    system: System
    topics: tuple[str, ...] = ()
    start: dt.date | None = None
    max_credits: Decimal | None = None
    kind: str = ""


@dataclass
class Cert:
    """One certificate, letter, form or transcript (one or more pages of a file).

    Attributes:
        layout: a key of ``layouts.LAYOUTS``.
        physician: whose it is (None for a page naming nobody).
        acts: what it lists; only physician credit becomes truth.
        seed: seed of the layout's own choices (wording, name and date forms).
        credit_bearing: False for pages that carry no physician credit.
        rotate: degrees clockwise a scanner feeds the page turned (0, 90, 180, 270).
    """

    layout: str
    physician: Physician | None
    acts: list[Act]
    seed: int
    credit_bearing: bool = True
    rotate: int = 0


@dataclass
class Doc:
    """One file of the set.

    Attributes:
        path: relative path with extension.
        variant: digital, scanned or photo (the slice it is scored in).
        certs: certificates in file order.
        seed: seed of the degradation.
        effects: how it was captured ("fax", "stain", "crop", "curl", "screen", ...).
        dpi: scan or camera resolution (pixels per inch of paper).
        status: expected ``documents.csv`` status.
        note: free text for ``documents_truth.csv``.
        copy_of: path of the file this one repeats (byte-identical copy, or scan of its print).
    """

    path: str
    variant: Variant
    certs: list[Cert]
    seed: int
    effects: tuple[str, ...] = ()
    dpi: int = 200
    status: str = "ok"
    note: str = ""
    copy_of: str = ""
    extra: dict[str, object] = field(default_factory=dict)

    @property
    def layout(self) -> str:
        """Layout names, ``+``-joined for a bundle."""
        names: list[str] = []
        for c in self.certs:
            if c.layout not in names:
                names.append(c.layout)
        return "+".join(names)
