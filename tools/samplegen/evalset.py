"""The labeled evaluation set: ~110 documents over every layout, drawn from one seed.

Mix (by design, checked by tests): about 45% digital, 35% scanned, 20% photo; 1-3 activities
per certificate plus multi-page transcripts, Category 2 logs, batch scans with a turned page,
documents that are not certificates, and duplicates (same bytes; scan of a printout).
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from . import vocab
from .layouts import CAPACITY, NON_CREDIT_LAYOUTS
from .model import Activity, CreditSystem, DocSpec, PageSpec, Physician

#: Single-certificate layouts that carry credit (transcript and cat2_log are added apart).
CERT_LAYOUTS = (
    "portal_plain",
    "grand_rounds",
    "annual_meeting",
    "osteopathic",
    "aafp",
    "state_mandate",
    "risk_insurer",
    "fancy_landscape",
    "table_style",
    "letter_style",
    "labels_below",
    "two_column",
    "moc_combo",
    "series_summary",
)
MANDATED = (
    "opioid_pain",
    "end_of_life",
    "implicit_bias",
    "child_abuse",
    "domestic_violence",
    "dementia",
    "ehr",
    "board_regulations",
)
Q = Decimal("0.25")


def make_roster(rng: random.Random, n: int = 30) -> list[Physician]:
    """``n`` fictional physicians; two of them share a surname."""
    firsts = list(vocab.FIRST_NAMES)
    lasts = list(vocab.LAST_NAMES)
    rng.shuffle(firsts)
    rng.shuffle(lasts)
    out: list[Physician] = []
    used_lic: set[str] = set()
    for i in range(n):
        last = lasts[i % len(lasts)] if i != n - 1 else out[0].last_name  # shared surname
        first = firsts[i % len(firsts)]
        lic = str(rng.randint(200000, 279999))
        while lic in used_lic:
            lic = str(rng.randint(200000, 279999))
        used_lic.add(lic)
        degree = "DO" if rng.random() < 0.2 else "MD"
        hon = rng.choice([(), (), (), ("FACP",), ("PhD",), ("MPH",), ("PhD", "FACC")])
        birthday = dt.date(2000, rng.randint(1, 12), rng.randint(1, 28))
        year = rng.choice([2026, 2027, 2027, 2028])
        expires = birthday.replace(year=year)
        slug = "".join(ch for ch in (first[0] + last).lower() if ch.isascii() and ch.isalpha())
        out.append(
            Physician(
                physician_id=f"E{i + 1:03d}",
                last_name=last,
                first_name=first,
                middle_name=rng.choice(vocab.MIDDLE_NAMES),
                degree=degree,
                license_number=lic,
                license_expires=expires,
                prescribes=rng.random() < 0.7,
                first_licensed=dt.date(rng.randint(1995, 2020), rng.randint(1, 12), 1),
                email=f"{slug}{i}@example.org",
                license_type=rng.choice(
                    ["full"] * 12 + ["administrative", "temporary_faculty", "limited"]
                ),
                serves_adults=rng.random() < 0.85,
                ehr_alternative_route=rng.random() < 0.2,
                honorifics=hon,
            )
        )
    return out


def _date(rng: random.Random) -> dt.date:
    return dt.date(2023, 1, 1) + dt.timedelta(days=rng.randrange(1420))


def _credits(rng: random.Random, lo: float, hi: float) -> Decimal:
    c = Decimal(str(rng.uniform(lo, hi))).quantize(Q)
    return max(c, Q)


def _title(
    rng: random.Random, topic_p: float = 0.35, topics: tuple[str, ...] | None = None
) -> tuple[str, tuple[str, ...]]:
    if topics or rng.random() < topic_p:
        t = rng.choice(topics or tuple(vocab.TOPIC_TITLES))
        return rng.choice(vocab.TOPIC_TITLES[t])
    return rng.choice(vocab.CLINICAL_TITLES), ()


def _ama(rng: random.Random) -> CreditSystem:
    return rng.choice(vocab.AMA1_VARIANTS)


def activities_for(layout: str, rng: random.Random, n: int) -> list[Activity]:
    """Realistic activities for a layout: provider kind, credit system and amounts."""
    out: list[Activity] = []
    if layout == "annual_meeting":
        soc = rng.choice(vocab.SOCIETIES)[0]
        end = _date(rng)
        claimed = _credits(rng, 6, 30)
        kind = rng.choice(["Scientific Meeting", "Meeting", "Conference", "Clinical Congress"])
        return [
            Activity(
                f"{end.year} Annual {kind}",
                soc,
                end,
                claimed,
                _ama(rng),
                (),
                start=end - dt.timedelta(days=rng.randint(2, 4)),
                max_credits=claimed + _credits(rng, 1, 12),
                moc_points=claimed if rng.random() < 0.4 else None,
                venue=rng.choice(vocab.MEETING_CITIES),
            )
        ]
    for _ in range(n):
        d = _date(rng)
        if layout == "grand_rounds":
            title, topics = _title(rng, 0.25)
            prov = out[0].provider if out else rng.choice(vocab.HOSPITAL_PROVIDERS)
            sys_ = out[0].system if out else _ama(rng)
            out.append(
                Activity(title, prov, d, Decimal(rng.choice(["1", "1", "1", "1.5"])), sys_, topics)
            )
            continue
        if layout == "osteopathic":
            title, topics = _title(rng, 0.3)
            system = rng.choice(
                [vocab.AOA_1A, vocab.AOA_1A, vocab.AOA_1B, vocab.AOA_2A, vocab.AOA_2B]
            )
            prov = out[0].provider if out else rng.choice(vocab.OSTEO_PROVIDERS)
            out.append(Activity(title, prov, d, _credits(rng, 1, 20), system, topics))
            continue
        if layout == "aafp":
            title, topics = _title(rng, 0.3)
            c = _credits(rng, 1, 24)
            out.append(
                Activity(
                    title,
                    rng.choice(vocab.FAMILY_PROVIDERS),
                    d,
                    c,
                    rng.choice([vocab.AAFP_P, vocab.AAFP_P, vocab.AAFP_E]),
                    topics,
                    start=d - dt.timedelta(days=rng.randint(0, 3)) if c > 6 else None,
                    max_credits=c + _credits(rng, 0, 8),
                    venue=rng.choice(vocab.VENUES),
                )
            )
            continue
        if layout == "state_mandate":
            title, topics = _title(rng, 1.0, MANDATED)
            out.append(
                Activity(
                    title,
                    rng.choice(vocab.STATE_COURSE_PROVIDERS),
                    d,
                    Decimal(rng.choice(["1", "1.5", "2", "2", "3", "3", "0.5"])),
                    _ama(rng),
                    topics,
                )
            )
            continue
        if layout == "risk_insurer":
            title, topics = _title(rng, 1.0, ("risk_management", "risk_management", "opioid_pain"))
            out.append(
                Activity(
                    title,
                    rng.choice(vocab.INSURERS),
                    d,
                    Decimal(rng.choice(["1", "1.5", "2", "2.5", "3", "4"])),
                    _ama(rng),
                    topics,
                    venue=rng.choice(["Live seminar", "Online module", "Webinar"]),
                )
            )
            continue
        if layout == "series_summary":
            title, topics = _title(rng, 0.4)
            prov = (
                out[0].provider
                if out
                else rng.choice(vocab.UNIVERSITY_PROVIDERS + vocab.STATE_COURSE_PROVIDERS)
            )
            out.append(Activity(title, prov, d, _credits(rng, 0.5, 3), _ama(rng), topics))
            continue
        if layout == "cat2_log":
            out.append(
                Activity(
                    rng.choice(vocab.JOURNAL_ITEMS),
                    rng.choice(["Self-directed", "Self", "Journal", "Online reference"]),
                    d,
                    rng.choice([Decimal("0.5"), Decimal("1"), Decimal("1"), Decimal("2")]),
                    rng.choice([vocab.SELF_CAT2, vocab.AMA2]),
                    (),
                )
            )
            continue
        if layout == "transcript":
            title, topics = _title(rng, 0.25)
            system = rng.choices([_ama(rng), vocab.AMA2, vocab.AAFP_P], [8, 1, 1])[0]
            out.append(
                Activity(
                    title,
                    rng.choice(vocab.ALL_PHYSICIAN_PROVIDERS),
                    d,
                    _credits(rng, 0.25, 4),
                    system,
                    topics,
                )
            )
            continue
        # Generic certificates: any provider kind, mostly AMA Category 1.
        title, topics = _title(rng)
        prov = rng.choice(
            vocab.PORTAL_PROVIDERS
            + vocab.FANCY_PROVIDERS
            + vocab.UNIVERSITY_PROVIDERS
            + vocab.HOSPITAL_PROVIDERS
        )
        system = rng.choices([_ama(rng), vocab.HOURS_CAT1, vocab.AMA2], [12, 2, 1])[0]
        c = Decimal(
            rng.choice(
                [
                    "0.25",
                    "0.5",
                    "0.75",
                    "1",
                    "1",
                    "1.25",
                    "1.5",
                    "1.5",
                    "2",
                    "2",
                    "2.5",
                    "3",
                    "4",
                    "6",
                    "8",
                    "12",
                ]
            )
        )
        out.append(
            Activity(
                title,
                prov,
                d,
                c,
                system,
                topics,
                max_credits=c if rng.random() < 0.7 else c + Decimal(2),
                moc_points=c if layout == "moc_combo" or rng.random() < 0.15 else None,
                venue=rng.choice(vocab.VENUES),
            )
        )
    return out


def _n_for(layout: str, rng: random.Random) -> int:
    lo, hi = CAPACITY.get(layout, (1, 1))
    if hi == 1:
        return 1
    # Mostly single-activity certificates, as in real inboxes.
    return lo if rng.random() < 0.5 else rng.randint(lo, hi)


def build(seed: int = 7) -> tuple[list[Physician], list[DocSpec]]:
    """The roster and document specifications of the evaluation set for ``seed``."""
    rng = random.Random(seed)
    roster = make_roster(rng)
    nurse = Physician(
        "N999",
        "Ashford",
        "Colleen",
        "M",
        "RN",
        "",
        dt.date(2027, 1, 1),
        False,
        dt.date(2010, 1, 1),
        "",
    )
    seeds = iter(range(seed * 100000, seed * 100000 + 90000))
    docs: list[DocSpec] = []
    counter = iter(range(1, 100000))

    def who(layout: str) -> Physician:
        if layout == "osteopathic":
            dos = [p for p in roster if p.degree == "DO"] or roster
            return rng.choice(dos)
        return rng.choice(roster)

    def page(layout: str, n: int | None = None, **kw: object) -> PageSpec:
        p = nurse if layout == "ancc_nursing" else who(layout)
        k = n if n is not None else _n_for(layout, rng)
        acts = activities_for(
            layout if layout not in NON_CREDIT_LAYOUTS else "portal_plain", rng, k
        )
        if layout == "ancc_nursing":
            a = acts[0]
            acts = [
                Activity(
                    a.title,
                    rng.choice(vocab.NURSING_PROVIDERS),
                    a.date,
                    a.credits,
                    vocab.ANCC,
                    a.topics,
                )
            ]
        if layout == "agenda":
            acts = activities_for("annual_meeting", rng, 1)
        return PageSpec(
            layout, p, acts, next(seeds), credit_bearing=layout not in NON_CREDIT_LAYOUTS, **kw
        )  # type: ignore[arg-type]

    def name(variant: str, fmt: str, p: PageSpec) -> str:
        i = next(counter)
        ph = p.physician
        slug = "".join(
            ch for ch in (ph.last_name if ph else "doc") if ch.isascii() and ch.isalnum()
        )
        if variant == "photo":
            return f"photos/IMG_{20250000 + i * 37:08d}_{i:04d}.jpg"
        if variant == "scanned":
            base = rng.choice([f"Scan_{i:04d}", f"scan{i:03d}_{slug}", f"copier_{i:05d}"])
            return f"scans/{base}.{fmt}"
        base = rng.choice(
            [f"certificate_{i:04d}", f"{slug}_CME_{i:03d}", f"cert-{i}", f"{p.layout}_{i:03d}"]
        )
        return f"{rng.choice(['portal', 'portal', 'archive'])}/{base}.pdf"

    def scan_fmt(multi: bool) -> str:
        if multi:
            return rng.choice(["pdf", "pdf", "tif"])
        return rng.choices(["pdf", "jpg", "png", "tif"], [4, 3, 2, 1])[0]

    def add(variant: str, pages: list[PageSpec], **kw: object) -> DocSpec:
        multi = len(pages) > 1 or pages[0].layout == "transcript"
        fmt = scan_fmt(multi) if variant == "scanned" else "pdf"
        dpi = (
            rng.choice([150, 200, 200, 300])
            if variant == "scanned"
            else (rng.choice([150, 170]) if variant == "photo" else 200)
        )
        if variant == "scanned" and dpi == 300 and fmt in ("pdf", "jpg") and multi:
            dpi = 200  # keep multi-page 300 dpi colour-free scans from dominating the run time
        ds = DocSpec(
            name(variant, fmt, pages[0]),
            variant,
            pages,  # type: ignore[arg-type]
            next(seeds),
            dpi=dpi,
            **kw,
        )  # type: ignore[arg-type]
        docs.append(ds)
        return ds

    # Transcripts and Category 2 logs.
    for v in ("digital", "digital", "scanned", "scanned"):
        add(v, [page("transcript", rng.randint(15, 40))])
    for v in ("digital", "scanned", "photo"):
        add(v, [page("cat2_log")])
    # Single certificates: every layout several times, variants in the target mix.
    variants = ["digital"] * 40 + ["scanned"] * 27 + ["photo"] * 20
    rng.shuffle(variants)
    for i, v in enumerate(variants):
        layout = CERT_LAYOUTS[i % len(CERT_LAYOUTS)]
        rot = rng.choice([90, 180, 270]) if v == "scanned" and rng.random() < 0.15 else 0
        add(v, [page(layout, rotate=rot)])
    # Not certificates.
    notes = {
        "cover_letter": "cover letter",
        "agenda": "conference agenda",
        "attendance_only": "certificate of attendance, no credit designated",
        "ancc_nursing": "ANCC nursing contact hours (non-physician credit)",
    }
    for layout, vs in (
        ("cover_letter", ("digital", "scanned")),
        ("agenda", ("digital", "photo")),
        ("attendance_only", ("scanned", "photo")),
        ("ancc_nursing", ("digital", "scanned")),
    ):
        for v in vs:
            add(v, [page(layout, 1)], expected_status="no_certificate", note=notes[layout])
    # Batch scans: a different certificate on each page, one page turned.
    for _ in range(3):
        pages = [
            page(rng.choice(CERT_LAYOUTS[:8] + ("table_style", "two_column")), 1)
            for _ in range(rng.randint(3, 4))
        ]
        pages[rng.randrange(len(pages))].rotate = rng.choice([90, 180, 270])
        add("scanned", pages)
    # Duplicates: the same file twice, and a scan of a printed portal certificate.
    originals = [
        d
        for d in docs
        if d.variant == "digital"
        and d.expected_status == "ok"
        and d.pages[0].layout != "transcript"
    ]
    for k, orig in enumerate(rng.sample(originals, 4)):
        if k < 2:
            folder = "zz_resubmitted" if orig.path > "portal" else "portal"
            dup_path = f"{folder}/{orig.path.rsplit('/', 1)[1][:-4]} (1).pdf"
            docs.append(
                DocSpec(
                    dup_path,
                    "digital",
                    orig.pages,
                    next(seeds),
                    expected_status="duplicate",
                    note=f"same file as {orig.path}",
                    copy_of=orig.path,
                    extra={"same_bytes": True},
                )
            )
        else:
            docs.append(
                DocSpec(
                    f"scans/zz_printout_scan_{k}.{rng.choice(['pdf', 'jpg'])}",
                    "scanned",
                    orig.pages,
                    next(seeds),
                    dpi=200,
                    expected_status="duplicate",
                    note=f"scan of the printout of {orig.path}",
                    copy_of=orig.path,
                )
            )
    return roster, docs
