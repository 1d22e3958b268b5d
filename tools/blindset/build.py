"""The composition of the blind set: who earned what, in which layout, captured how.

About 40% digital, 40% scanned, 20% phone photos; every credit layout digital and scanned at
least once and most of them photographed; bundles, pages without credit, and duplicates (a
byte-identical download, a scan of a printout). Deterministic for a seed.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from samplegen.model import Physician

from . import people
from . import wording as W
from .layouts import CREDIT_LAYOUTS, MULTI
from .model import AAFP_P, AMA1, AMA2, ANCC, AOA1A, AOA1B, AOA2A, AOA2B, SELF2, Act, Cert, Doc

FIRST_DAY = dt.date(2023, 3, 1)
LAST_DAY = dt.date(2026, 10, 31)
Q = Decimal("0.25")
DO_LAYOUTS = ("aoa_certificate", "aoa_activity_report")
#: Layouts that are also photographed (a two-page transcript is not; nor are a few others).
PHOTOGRAPHED = tuple(
    k
    for k in CREDIT_LAYOUTS
    if k not in ("office_transcript", "joint_accredited", "qbank_statement", "two_column")
)
SCAN_EFFECTS = ("stain", "crop", "holes", "skew_heavy", "fold", "color", "lowres")
PHOTO_EFFECTS = ("curl", "shadow", "blur", "motion", "low_light")


class _Maker:
    """Draws activities, keeping (physician, date, credits) unique across the set."""

    def __init__(self, rng: random.Random, roster: list[Physician]) -> None:
        self.rng = rng
        self.roster = roster
        self.used: set[tuple[str, dt.date, Decimal]] = set()

    def date(self) -> dt.date:
        return FIRST_DAY + dt.timedelta(days=self.rng.randrange((LAST_DAY - FIRST_DAY).days))

    def credits(self, lo: float, hi: float, step: Decimal = Q) -> Decimal:
        c = (Decimal(str(self.rng.uniform(lo, hi))) / step).quantize(Decimal(1)) * step
        return max(c, step)

    def title(self, p_topic: float, topics: tuple[str, ...] = ()) -> tuple[str, tuple[str, ...]]:
        rng = self.rng
        if topics or rng.random() < p_topic:
            pool = [t for t in W.TOPIC_TITLES if not topics or set(t[1]) & set(topics)]
            return pool[rng.randrange(len(pool))]
        return rng.choice(W.CLINICAL_TITLES), ()

    def who(self, layout: str) -> Physician:
        if layout in DO_LAYOUTS:
            return self.rng.choice([p for p in self.roster if p.degree == "DO"])
        return self.rng.choice(self.roster)

    def unique(self, p: Physician, act: Act) -> Act:
        """``act`` with its date moved until no other activity of ``p`` repeats it."""
        a = act
        while (p.physician_id, a.date, a.credits) in self.used:
            shift = dt.timedelta(days=self.rng.randint(1, 9))
            a = Act(
                a.title,
                a.provider,
                a.date - shift,
                a.credits,
                a.system,
                a.topics,
                (a.start - shift) if a.start else None,
                a.max_credits,
                a.kind,
            )
        self.used.add((p.physician_id, a.date, a.credits))
        return a

    def acts(self, layout: str, p: Physician) -> list[Act]:
        """Activities for one certificate of ``layout``."""
        rng = self.rng
        lo, hi = MULTI.get(layout, (1, 1))
        n = rng.randint(lo, hi)
        out: list[Act] = []
        for i in range(n):
            a = self._one(layout, i)
            for _ in range(20):  # a list does not repeat a title
                if a.title not in {b.title for b in out}:
                    break
                a = self._one(layout, i)
            out.append(self.unique(p, a))
        if layout in MULTI and layout != "cat2_form":
            # One provider per list, as printed in its header.
            first = out[0].provider
            keep_other = layout in ("office_transcript", "aoa_activity_report")
            out = [
                a
                if keep_other and rng.random() < 0.3
                else Act(
                    a.title,
                    first,
                    a.date,
                    a.credits,
                    a.system,
                    a.topics,
                    a.start,
                    a.max_credits,
                    a.kind,
                )
                for a in out
            ]
        return out

    def _one(self, layout: str, i: int) -> Act:  # noqa: C901 - one branch per layout
        rng = self.rng
        d = self.date()
        if layout in ("portal_completion", "label_stack"):
            t, tp = self.title(0.35)
            c = Decimal(rng.choice(["0.25", "0.5", "0.75", "1", "1", "1.25", "1.5", "2", "3"]))
            mx = c if rng.random() < 0.6 else c + Decimal(rng.choice(["0.5", "1", "2"]))
            return Act(t, rng.choice(W.PORTALS), d, c, AMA1, tp, max_credits=mx)
        if layout == "society_meeting":
            soc, meeting = rng.choice(W.SOCIETIES)
            c = self.credits(8, 28)
            return Act(
                f"{d.year} {meeting}",
                soc,
                d,
                c,
                AMA1,
                (),
                start=d - dt.timedelta(days=rng.randint(2, 4)),
                max_credits=c + self.credits(2, 10),
                kind=rng.choice(W.VENUES),
            )
        if layout == "joint_accredited":
            t, tp = self.title(0.4)
            return Act(
                t,
                rng.choice(W.JOINT_PROVIDERS),
                d,
                self.credits(1, 6, Decimal("0.5")),
                AMA1,
                tp,
                kind=rng.choice(["live webinar", "in-person workshop", "enduring material"]),
            )
        if layout == "state_mandate":
            t, tp = self.title(
                1.0,
                (
                    "opioid_pain",
                    "end_of_life",
                    "implicit_bias",
                    "child_abuse",
                    "domestic_violence",
                    "dementia",
                    "ehr",
                    "risk_management",
                ),
            )
            return Act(
                t,
                rng.choice(W.STATE_SOCIETY),
                d,
                Decimal(rng.choice(["1", "1.5", "2", "2", "3"])),
                AMA1,
                tp,
            )
        if layout == "insurer_risk":
            t, tp = self.title(1.0, ("risk_management", "opioid_pain"))
            return Act(
                t,
                rng.choice(W.INSURERS),
                d,
                Decimal(rng.choice(["1", "1.5", "2", "2.5", "3", "4"])),
                AMA1,
                tp,
                kind=rng.choice(["Live seminar", "Online module", "Webinar"]),
            )
        if layout == "aoa_certificate":
            t, tp = self.title(0.3)
            c = self.credits(2, 12, Decimal("0.5"))
            return Act(
                t,
                rng.choice(W.OSTEO),
                d,
                c,
                AOA1A,
                tp,
                start=d - dt.timedelta(days=rng.randint(1, 2)) if c > 6 else None,
                max_credits=c + (Decimal(rng.choice([0, 0, 2, 4]))),
            )
        if layout == "aafp_certificate":
            t, tp = self.title(0.3)
            c = self.credits(2, 20)
            return Act(
                t,
                rng.choice(W.FAMILY),
                d,
                c,
                AAFP_P,
                tp,
                start=d - dt.timedelta(days=rng.randint(1, 3)) if c > 7 else None,
                max_credits=c + self.credits(0, 6),
                kind=rng.choice(W.VENUES),
            )
        if layout in ("landscape_award", "two_column", "attendance_letter", "moc_combo"):
            t, tp = self.title(0.0 if layout == "moc_combo" else 0.35)
            pool = {
                "landscape_award": W.UNIVERSITIES,
                "two_column": W.PORTALS + W.UNIVERSITIES,
                "attendance_letter": W.HOSPITALS + W.UNIVERSITIES,
                "moc_combo": W.QBANKS + W.UNIVERSITIES,
            }[layout]
            c = Decimal(rng.choice(["1", "1.5", "2", "2.5", "3", "4", "6", "0.75"]))
            return Act(
                t,
                rng.choice(pool),
                d,
                c,
                AMA1,
                tp,
                max_credits=c if rng.random() < 0.7 else c + 1,
                kind=rng.choice(W.VENUES + ("Online course", "Live webinar")),
            )
        if layout == "office_transcript":
            t, tp = self.title(0.25)
            prov = rng.choice(
                W.HOSPITALS
                if i == 0 or rng.random() < 0.7
                else W.UNIVERSITIES + tuple(s for s, _ in W.SOCIETIES)
            )
            return Act(t, prov, d, self.credits(0.25, 4), AMA1, tp)
        if layout == "qbank_statement":
            return Act(
                rng.choice(W.CLINICAL_TITLES),
                rng.choice(W.QBANKS),
                d,
                self.credits(1, 6, Decimal("0.5")),
                AMA1,
            )
        if layout == "poc_log":
            return Act(
                rng.choice(W.CLINICAL_TITLES), rng.choice(W.POINT_OF_CARE), d, Decimal("0.5"), AMA1
            )
        if layout == "rss_summary":
            t, tp = self.title(0.2)
            return Act(
                t, rng.choice(W.HOSPITALS), d, Decimal(rng.choice(["1", "1", "1.5"])), AMA1, tp
            )
        if layout == "aoa_activity_report":
            t, tp = self.title(0.25)
            sys_ = rng.choices([AOA1A, AOA1B, AOA2A, AOA2B], [5, 2, 2, 1])[0]
            return Act(t, rng.choice(W.OSTEO + W.UNIVERSITIES), d, self.credits(1, 8), sys_, tp)
        if layout == "cat2_form":
            item = rng.choice(W.CAT2_ITEMS)
            tp = ("board_regulations",) if "243 CMR" in item else ()
            return Act(
                item,
                rng.choice(W.READING_SOURCES + ("Self-directed",)),
                d,
                Decimal(rng.choice(["0.5", "1", "1", "1.5", "2", "3"])),
                rng.choice([SELF2, AMA2]),
                tp,
                kind=rng.choice(W.CAT2_KIND),
            )
        if layout == "web_transcript":
            t, tp = self.title(0.3)
            return Act(
                t,
                rng.choice(W.PORTALS),
                d,
                Decimal(rng.choice(["0.25", "0.5", "0.75", "1", "1.5", "2"])),
                AMA1,
                tp,
            )
        if layout in ("attendance_only", "fax_cover"):
            t, _ = self.title(0.0)
            return Act(t, rng.choice(W.HOSPITALS), d, Decimal(0), AMA1)
        if layout == "nursing_contact":
            t, _ = self.title(0.0)
            return Act(t, rng.choice(W.JOINT_PROVIDERS), d, Decimal("1.5"), ANCC)
        raise ValueError(layout)


def build(seed: int = 13) -> tuple[list[Physician], list[Doc]]:
    """The roster and the document plan of the blind set for ``seed``."""
    rng = random.Random(seed)
    roster = people.roster(rng)
    mk = _Maker(rng, roster)
    seeds = iter(range(seed * 100000, seed * 100000 + 90000))
    counter = iter(range(1, 10000))
    docs: list[Doc] = []

    def cert(layout: str, rotate: int = 0, who: Physician | None = None) -> Cert:
        p = who or mk.who(layout)
        credit = layout not in ("attendance_only", "nursing_contact", "fax_cover")
        return Cert(layout, p, mk.acts(layout, p), next(seeds), credit, rotate)

    def path(variant: str, ext: str, c: Cert, effects: tuple[str, ...]) -> str:
        i = next(counter)
        p = c.physician
        slug = "".join(ch for ch in people.ascii_fold(p.last_name if p else "x") if ch.isalpha())
        if variant == "photo":
            return rng.choice(
                [f"phone/IMG_{4100 + i * 7}.jpg", f"phone/PXL_2025{i:04d}_{i * 13:06d}.jpg"]
            )
        if variant == "scanned":
            base = rng.choice([f"scan_{i:04d}", f"{slug}_scanned_{i}", f"MFP{i:05d}"])
            if "fax" in effects:
                base = f"fax_{i:03d}"
            return f"scanned/{base}.{ext}"
        base = rng.choice([f"certificate-{i}", f"{slug}_cme_{i:03d}", f"Download_{i}", f"CME {i}"])
        return f"downloads/{base}.pdf"

    def add(variant: str, certs: list[Cert], effects: tuple[str, ...] = (), **kw: object) -> Doc:
        multi = len(certs) > 1 or certs[0].layout == "office_transcript"
        if variant == "digital":
            ext, dpi = "pdf", 200
        elif variant == "scanned":
            if "fax" in effects:
                ext = rng.choice(["pdf", "tif"]) if multi else rng.choice(["pdf", "tif", "png"])
                dpi = 200
            else:
                ext = (
                    rng.choice(["pdf", "pdf", "tif"])
                    if multi
                    else rng.choice(["pdf", "jpg", "jpg", "pdf"])
                )
                dpi = 150 if "lowres" in effects else rng.choice([200, 200, 240, 300])
                if dpi == 300 and multi:
                    dpi = 200
        else:
            ext, dpi = "jpg", rng.choice([170, 190, 210])
        d = Doc(
            path(variant, ext, certs[0], effects), variant, certs, next(seeds), effects, dpi, **kw
        )  # type: ignore[arg-type]
        docs.append(d)
        return d

    def scan_fx() -> tuple[str, ...]:
        k = rng.choice([1, 1, 2])
        return tuple(sorted(rng.sample(SCAN_EFFECTS, k)))

    def photo_fx(screen: bool = False) -> tuple[str, ...]:
        fx = tuple(sorted(rng.sample(PHOTO_EFFECTS, rng.choice([1, 2]))))
        return ("screen",) + tuple(f for f in fx if f in ("blur", "motion")) if screen else fx

    for layout in CREDIT_LAYOUTS:
        add("digital", [cert(layout)])
        add("scanned", [cert(layout, rotate=90 if layout == "label_stack" else 0)], scan_fx())
    for layout in PHOTOGRAPHED:
        add("photo", [cert(layout)], photo_fx(screen=layout in ("web_transcript", "poc_log")))
    # A second look at the commonest kinds, and fax-machine copies.
    for layout in (
        "state_mandate",
        "insurer_risk",
        "portal_completion",
        "office_transcript",
        "society_meeting",
        "label_stack",
    ):
        add("digital", [cert(layout)])
    for layout in ("attendance_letter", "cat2_form", "aoa_certificate", "state_mandate"):
        add("scanned", [cert(layout)], ("fax",))
    add("scanned", [cert("office_transcript")], ("stain",))
    add("photo", [cert("portal_completion")], photo_fx(screen=True))
    # Bundles: several certificates of one physician in one file.
    p = mk.who("x")
    add("digital", [cert(k, who=p) for k in ("insurer_risk", "state_mandate", "landscape_award")])
    p = mk.who("x")
    add(
        "scanned",
        [
            cert("fax_cover", who=p),
            cert("attendance_letter", who=p),
            cert("portal_completion", who=p),
        ],
        ("fax",),
    )
    p = mk.who("x")
    add(
        "scanned",
        [
            cert("two_column", who=p),
            cert("society_meeting", who=p, rotate=180),
            cert("joint_accredited", who=p),
        ],
        ("crop",),
    )
    # Pages without physician credit.
    add(
        "digital",
        [cert("attendance_only")],
        status="no_certificate",
        note="certificate of attendance, no credit designated",
    )
    add(
        "photo",
        [cert("attendance_only")],
        photo_fx(),
        status="no_certificate",
        note="certificate of attendance, no credit designated",
    )
    add(
        "scanned",
        [cert("nursing_contact")],
        scan_fx(),
        status="no_certificate",
        note="nursing contact hours (non-physician credit)",
    )
    # Duplicates: the same download twice, and a scan of a printed certificate.
    singles = [
        d
        for d in docs
        if d.variant == "digital"
        and len(d.certs) == 1
        and d.status == "ok"
        and d.certs[0].layout not in MULTI
    ]
    orig = singles[rng.randrange(len(singles))]
    docs.append(
        Doc(
            orig.path[:-4] + " (1).pdf",
            "digital",
            orig.certs,
            next(seeds),
            status="duplicate",
            note=f"same file as {orig.path}",
            copy_of=orig.path,
            extra={"same_bytes": True},
        )
    )
    orig2 = rng.choice([d for d in singles if d is not orig])
    docs.append(
        Doc(
            f"scanned/printout_{next(counter):04d}.pdf",
            "scanned",
            orig2.certs,
            next(seeds),
            ("crop",),
            200,
            status="duplicate",
            note=f"scan of the printout of {orig2.path}",
            copy_of=orig2.path,
        )
    )
    return roster, docs
