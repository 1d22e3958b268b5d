"""The committed demo set ``sample_inbox/``: eight physicians, each with a story.

Every physician's documents are designed so that, as of :data:`AS_OF`, the reference evaluator
(:mod:`rules`) gives the status in :data:`EXPECTED`; :func:`build` asserts it.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from . import vocab
from .model import Activity, CreditSystem, DocSpec, PageSpec, Physician, TruthRow
from .rules import Earned, evaluate

AS_OF = dt.date(2026, 11, 27)
D = Decimal
d = dt.date


def _phys(
    pid: str,
    last: str,
    first: str,
    middle: str,
    lic: str,
    expires: dt.date,
    prescribes: bool,
    **kw: object,
) -> Physician:
    degree = str(kw.pop("degree", "MD"))
    slug = "".join(ch for ch in (first[0] + last).lower() if ch.isascii() and ch.isalpha())
    return Physician(
        pid,
        last,
        first,
        middle,
        degree,
        lic,
        expires,
        prescribes,
        kw.pop("first_licensed", d(2008, 7, 1)),  # type: ignore[arg-type]
        f"{slug}@harborview-physicians.example",
        **kw,
    )  # type: ignore[arg-type]


LINDQVIST = _phys(
    "P101", "Lindqvist", "Margaret", "Anne", "231874", d(2027, 5, 14), True, honorifics=("FACP",)
)
CASTELLANOS = _phys("P102", "Castellanos", "Daniel", "R", "244519", d(2027, 9, 2), False)
IYER = _phys("P103", "Iyer", "Priya", "", "252230", d(2027, 4, 19), False, honorifics=("PhD",))
OKAFOR_C = _phys(
    "P104",
    "Okafor",
    "Chidi",
    "Emeka",
    "238806",
    d(2027, 1, 20),
    True,
    serves_adults=False,
    ehr_alternative_route=True,
)
KOWALCZYK = _phys(
    "P105",
    "Kowalczyk",
    "Tomasz",
    "J",
    "L-60417",
    d(2027, 6, 30),
    False,
    license_type="limited",
    first_licensed=d(2025, 7, 1),
)
BRENNAN_WALSH = _phys("P106", "Brennan-Walsh", "Siobhan", "Marie", "229945", d(2026, 10, 3), True)
DE_LA_CRUZ = _phys("P107", "de la Cruz", "José", "Luis", "247712", d(2027, 6, 30), True)
OKAFOR_A = _phys("P108", "Okafor", "Adaeze", "N", "255081", d(2027, 8, 11), False, degree="DO")
ROSTER = [LINDQVIST, CASTELLANOS, IYER, OKAFOR_C, KOWALCZYK, BRENNAN_WALSH, DE_LA_CRUZ, OKAFOR_A]

#: A nurse named on the ANCC certificate; deliberately not on the roster.
NURSE = _phys("N900", "Thibodeaux", "Renée", "", "", d(2027, 1, 1), False, degree="RN")

EXPECTED: dict[str, tuple[str, str]] = {
    "P101": (
        "compliant",
        "all per-cycle and one-time requirements met; board regulations from "
        "the ledger; one-time trainings from earlier cycles on the transcript",
    ),
    "P102": (
        "deficient",
        "risk management short: only 4 of 10 credits this cycle (end-of-life, "
        "EHR and implicit bias were earned in earlier cycles and add nothing)",
    ),
    "P103": ("deficient", "one-time Alzheimer's/dementia training missing (serves adults)"),
    "P104": (
        "urgent",
        "renews 2027-01-20 (54 days after 2026-11-27) and is short: 30 of 50 "
        "credits, 8 of 10 risk management, no child-abuse or domestic-violence "
        "training; pediatrician (dementia n/a), EHR by alternative route",
    ),
    "P105": ("not_applicable", "limited license (resident): no CME required"),
    "P106": ("lapsed", "renewal date 2026-10-03 is before 2026-11-27"),
    "P107": (
        "deficient",
        "prescriber with no opioid credits this cycle: his opioid course "
        "(2024-11-02) belongs to the previous cycle",
    ),
    "P108": (
        "compliant",
        "DO with AOA credits; shares the surname Okafor with P104; wellness "
        "credits count toward risk management",
    ),
}


def _a(
    title: str,
    provider: str,
    date: dt.date,
    credits: str,
    system: CreditSystem,
    topics: tuple[str, ...] = (),
    **kw: object,
) -> Activity:
    return Activity(title, provider, date, D(credits), system, topics, **kw)  # type: ignore[arg-type]


def _filler(
    seed: int,
    total: str,
    start: dt.date,
    end: dt.date,
    providers: tuple[str, ...],
    system: CreditSystem = vocab.AMA1_TM,
) -> list[Activity]:
    """Clinical activities (no topic) whose credits add up to exactly ``total``."""
    rng = random.Random(seed)
    left = D(total)
    steps = [D("0.5"), D("0.75"), D("1"), D("1"), D("1.25"), D("1.5"), D("2"), D("2.5"), D("3")]
    titles = list(vocab.CLINICAL_TITLES)
    rng.shuffle(titles)
    out: list[Activity] = []
    span = (end - start).days
    while left > 0:
        c = min(rng.choice(steps), left)
        when = start + dt.timedelta(days=rng.randrange(span))
        out.append(Activity(titles[len(out) % len(titles)], rng.choice(providers), when, c, system))
        left -= c
    return out


def _t(topic: str, i: int = 0) -> tuple[str, tuple[str, ...]]:
    return vocab.TOPIC_TITLES[topic][i]


def _topic(
    topic: str,
    i: int,
    provider: str,
    date: dt.date,
    credits: str,
    system: CreditSystem = vocab.AMA1_TM,
    **kw: object,
) -> Activity:
    title, topics = _t(topic, i)
    return _a(title, provider, date, credits, system, topics, **kw)


def documents() -> tuple[list[DocSpec], list[dict[str, str]]]:
    """The sample inbox's documents and ledger rows."""
    sp = vocab.STATE_COURSE_PROVIDERS
    docs: list[DocSpec] = []
    seed = iter(range(1000, 2000))

    def doc(path: str, variant: str, pages: list[PageSpec], **kw: object) -> DocSpec:
        ds = DocSpec(path, variant, pages, next(seed), **kw)  # type: ignore[arg-type]
        docs.append(ds)
        return ds

    def page(layout: str, p: Physician, acts: list[Activity], **kw: object) -> PageSpec:
        return PageSpec(layout, p, acts, next(seed), **kw)  # type: ignore[arg-type]

    # --- P101 Lindqvist: compliant -----------------------------------------------------------
    lq_tr = _filler(
        11,
        "40",
        d(2025, 6, 1),
        d(2026, 10, 31),
        vocab.PORTAL_PROVIDERS + vocab.HOSPITAL_PROVIDERS[:2],
    ) + [
        _topic("risk_management", 0, vocab.INSURERS[0], d(2025, 11, 18), "2"),
        _topic("risk_management", 3, vocab.HOSPITAL_PROVIDERS[0], d(2026, 4, 22), "1.5"),
        _topic("end_of_life", 0, sp[0], d(2019, 3, 12), "2"),
        _topic("ehr", 0, sp[1], d(2018, 5, 20), "3"),
        _topic("child_abuse", 0, sp[2], d(2020, 9, 14), "1"),
        _topic("domestic_violence", 0, sp[3], d(2021, 2, 3), "2"),
        _topic("dementia", 0, sp[0], d(2025, 11, 5), "1"),
    ]
    doc("portal/Lindqvist_M_CME_transcript.pdf", "digital", [page("transcript", LINDQVIST, lq_tr)])
    lq_opioid = doc(
        "portal/certificate_opioid_prescribing_2026.pdf",
        "digital",
        [page("state_mandate", LINDQVIST, [_topic("opioid_pain", 0, sp[0], d(2026, 2, 10), "3")])],
    )
    doc(
        "scans/implicit_bias_lindqvist.jpg",
        "scanned",
        [
            page(
                "portal_plain",
                LINDQVIST,
                [
                    _topic(
                        "implicit_bias",
                        0,
                        vocab.PORTAL_PROVIDERS[1],
                        d(2025, 9, 18),
                        "2",
                        vocab.AMA1_TXT,
                    )
                ],
            )
        ],
        dpi=200,
    )
    # A scan of the printed opioid certificate: same certificate, different bytes.
    doc(
        "scans/scan_0007.pdf",
        "scanned",
        [lq_opioid.pages[0]],
        expected_status="duplicate",
        note=f"scan of the printout of {lq_opioid.path}",
        copy_of=lq_opioid.path,
        dpi=200,
    )

    # --- P102 Castellanos: deficient in risk management ---------------------------------------
    doc(
        "portal/NACHM_2025_annual_meeting_certificate.pdf",
        "digital",
        [
            page(
                "annual_meeting",
                CASTELLANOS,
                [
                    _a(
                        "2025 Annual Scientific Meeting",
                        vocab.SOCIETIES[1][0],
                        d(2025, 10, 15),
                        "18.5",
                        vocab.AMA1_TM,
                        start=d(2025, 10, 12),
                        max_credits=D("25"),
                        moc_points=D("18.5"),
                        venue="Providence, Rhode Island",
                    )
                ],
            )
        ],
    )
    doc(
        "scans/castellanos_grand_rounds.png",
        "scanned",
        [
            page(
                "grand_rounds",
                CASTELLANOS,
                [
                    _a(t, vocab.HOSPITAL_PROVIDERS[2], dd, "1", vocab.AMA1_TM)
                    for t, dd in (
                        (vocab.CLINICAL_TITLES[5], d(2026, 1, 8)),
                        (vocab.CLINICAL_TITLES[9], d(2026, 2, 12)),
                        (vocab.CLINICAL_TITLES[13], d(2026, 3, 12)),
                    )
                ],
            )
        ],
        dpi=200,
    )
    doc(
        "portal/Castellanos_credit_statement.pdf",
        "digital",
        [
            page(
                "table_style",
                CASTELLANOS,
                [
                    _a(
                        "Hospital Medicine Intensive Review",
                        vocab.UNIVERSITY_PROVIDERS[0],
                        d(2026, 5, 8),
                        "10",
                        vocab.AMA1_TM,
                        start=d(2026, 5, 4),
                        max_credits=D("32.5"),
                    ),
                    _topic("risk_management", 1, vocab.INSURERS[1], d(2026, 6, 17), "2"),
                    _topic("dementia", 1, sp[1], d(2026, 7, 9), "1"),
                ],
            )
        ],
    )
    doc(
        "photos/IMG_20260914_101522.jpg",
        "photo",
        [
            page(
                "fancy_landscape",
                CASTELLANOS,
                [
                    _a(
                        "Cardiology for the Hospitalist: A Two-Day Intensive",
                        vocab.FANCY_PROVIDERS[0],
                        d(2026, 9, 12),
                        "15",
                        vocab.AMA1_TM,
                        start=d(2026, 9, 11),
                    )
                ],
            )
        ],
        dpi=150,
    )
    doc(
        "archive/castellanos_mandated_trainings_2019-2023.pdf",
        "scanned",
        [
            page(
                "series_summary",
                CASTELLANOS,
                [
                    _topic("ehr", 1, sp[2], d(2019, 4, 2), "3"),
                    _topic("end_of_life", 1, sp[2], d(2020, 10, 6), "2"),
                    _topic("implicit_bias", 1, sp[2], d(2023, 1, 19), "2"),
                ],
            )
        ],
        dpi=200,
    )
    doc(
        "archive/castellanos_reporting_trainings_letter.pdf",
        "digital",
        [
            page(
                "letter_style",
                CASTELLANOS,
                [
                    _topic("child_abuse", 1, sp[3], d(2022, 3, 3), "1.5"),
                    _topic("domestic_violence", 0, sp[3], d(2022, 3, 4), "2"),
                ],
            )
        ],
    )

    # --- P103 Iyer: deficient, dementia training missing ---------------------------------------
    iy_tr = _filler(
        31,
        "38",
        d(2025, 5, 1),
        d(2026, 11, 1),
        vocab.PORTAL_PROVIDERS[:3] + vocab.UNIVERSITY_PROVIDERS[:2],
    ) + [
        _topic("risk_management", 4, vocab.HOSPITAL_PROVIDERS[1], d(2025, 12, 2), "2"),
        _topic("risk_management", 6, vocab.PORTAL_PROVIDERS[0], d(2026, 8, 19), "2"),
        _topic("implicit_bias", 2, sp[1], d(2025, 6, 24), "2"),
        _topic("end_of_life", 2, sp[1], d(2025, 8, 5), "2"),
        _topic("child_abuse", 2, sp[0], d(2019, 10, 1), "1"),
        _topic("domestic_violence", 1, sp[0], d(2019, 10, 2), "2"),
        _topic("ehr", 2, sp[0], d(2017, 2, 28), "3"),
    ]
    doc("scans/Iyer_transcript_scan.tif", "scanned", [page("transcript", IYER, iy_tr)], dpi=200)
    doc(
        "photos/iyer_risk_seminar.jpg",
        "photo",
        [
            page(
                "risk_insurer",
                IYER,
                [
                    _topic(
                        "risk_management",
                        2,
                        vocab.INSURERS[2],
                        d(2026, 3, 5),
                        "3",
                        venue="Live seminar",
                    )
                ],
            )
        ],
        dpi=150,
    )

    # --- P104 Chidi Okafor: urgent --------------------------------------------------------------
    doc(
        "portal/okafor_aafp_family_medicine_review.pdf",
        "digital",
        [
            page(
                "aafp",
                OKAFOR_C,
                [
                    _a(
                        "Family Medicine Board Review",
                        vocab.FAMILY_PROVIDERS[0],
                        d(2025, 9, 27),
                        "12",
                        vocab.AAFP_P,
                        start=d(2025, 9, 24),
                        max_credits=D("24"),
                        venue="Live activity",
                    )
                ],
            )
        ],
    )
    doc(
        "photos/IMG_4471.jpg",
        "photo",
        [
            page(
                "moc_combo",
                OKAFOR_C,
                [
                    _a(
                        vocab.CLINICAL_TITLES[21],
                        vocab.UNIVERSITY_PROVIDERS[1],
                        d(2026, 4, 16),
                        "10",
                        vocab.AMA1_TM,
                        moc_points=D("10"),
                    )
                ],
            )
        ],
        dpi=150,
    )
    doc(
        "archive/okafor_c_end_of_life_and_bias_letter.pdf",
        "digital",
        [
            page(
                "letter_style",
                OKAFOR_C,
                [
                    _topic("end_of_life", 3, sp[3], d(2014, 5, 6), "2"),
                    _topic("implicit_bias", 0, sp[3], d(2022, 10, 20), "2"),
                ],
            )
        ],
    )

    # --- P105 Kowalczyk: limited license ------------------------------------------------------
    doc(
        "portal/grand_rounds_kowalczyk.pdf",
        "digital",
        [
            page(
                "grand_rounds",
                KOWALCZYK,
                [
                    _a(
                        vocab.CLINICAL_TITLES[11],
                        vocab.HOSPITAL_PROVIDERS[0],
                        d(2026, 3, 19),
                        "1",
                        vocab.AMA1_TM,
                    )
                ],
            )
        ],
    )
    doc(
        "scans/kowalczyk_attendance.jpg",
        "scanned",
        [
            page(
                "attendance_only",
                KOWALCZYK,
                [
                    _a(
                        "Resident Research Day",
                        vocab.HOSPITAL_PROVIDERS[0],
                        d(2026, 5, 28),
                        "0",
                        vocab.AMA1_TM,
                    )
                ],
                credit_bearing=False,
            )
        ],
        expected_status="no_certificate",
        note="certificate of attendance, no credit designated",
        dpi=200,
    )

    # --- P106 Brennan-Walsh: lapsed -----------------------------------------------------------
    doc(
        "photos/brennan-walsh_cert.jpg",
        "photo",
        [
            page(
                "two_column",
                BRENNAN_WALSH,
                [
                    _a(
                        vocab.CLINICAL_TITLES[3],
                        vocab.PORTAL_PROVIDERS[2],
                        d(2026, 2, 2),
                        "2",
                        vocab.AMA1_TXT,
                        venue="Live webinar",
                    )
                ],
            )
        ],
        dpi=150,
    )

    # --- P107 de la Cruz: opioid credits missing this cycle --------------------------------------
    dc_tr = _filler(
        71,
        "40",
        d(2025, 7, 15),
        d(2026, 11, 10),
        vocab.PORTAL_PROVIDERS[3:] + vocab.HOSPITAL_PROVIDERS[3:],
    ) + [
        _topic("risk_management", 0, vocab.PORTAL_PROVIDERS[4], d(2025, 8, 21), "2"),
        _topic("risk_management", 1, vocab.INSURERS[0], d(2026, 2, 26), "2"),
        _topic("risk_management", 5, vocab.PORTAL_PROVIDERS[4], d(2026, 6, 3), "2"),
        _topic("implicit_bias", 1, sp[2], d(2026, 1, 14), "2"),
        _topic("end_of_life", 0, sp[2], d(2025, 9, 30), "2"),
        _topic("ehr", 0, sp[2], d(2019, 6, 11), "3"),
        _topic("child_abuse", 0, sp[1], d(2021, 4, 8), "1"),
        _topic("domestic_violence", 0, sp[1], d(2021, 4, 9), "2"),
        _topic("dementia", 2, sp[1], d(2026, 3, 25), "1"),
    ]
    doc("portal/deLaCruz_J_transcript.pdf", "digital", [page("transcript", DE_LA_CRUZ, dc_tr)])
    dc_op = doc(
        "archive/delacruz_opioid_2024.pdf",
        "digital",
        [page("state_mandate", DE_LA_CRUZ, [_topic("opioid_pain", 2, sp[1], d(2024, 11, 2), "3")])],
    )
    doc(
        "portal/delacruz_opioid_2024 (1).pdf",
        "digital",
        dc_op.pages,
        expected_status="duplicate",
        note=f"same file as {dc_op.path}",
        copy_of=dc_op.path,
        extra={"same_bytes": True},
    )

    # --- P108 Adaeze Okafor: compliant DO ------------------------------------------------------
    doc(
        "portal/Okafor_A_osteopathic_CME.pdf",
        "digital",
        [
            page(
                "osteopathic",
                OKAFOR_A,
                [
                    _a(
                        "Osteopathic Clinical Update 2025",
                        vocab.OSTEO_PROVIDERS[0],
                        d(2025, 10, 25),
                        "20",
                        vocab.AOA_1A,
                        start=d(2025, 10, 23),
                    ),
                    _a(
                        "Osteopathic Manipulative Treatment Workshop",
                        vocab.OSTEO_PROVIDERS[0],
                        d(2025, 10, 26),
                        "6",
                        vocab.AOA_2B,
                    ),
                ],
            )
        ],
    )
    doc(
        "archive/okafor_adaeze_one_time_trainings.pdf",
        "scanned",
        [
            page(
                "series_summary",
                OKAFOR_A,
                [
                    _topic("end_of_life", 1, sp[0], d(2017, 3, 9), "2"),
                    _topic("ehr", 2, sp[0], d(2016, 11, 30), "3"),
                ],
            )
        ],
        dpi=150,
    )
    doc(
        "portal/wellness_certificate.pdf",
        "digital",
        [
            page(
                "portal_plain",
                OKAFOR_A,
                [
                    _topic(
                        "wellness_burnout",
                        0,
                        vocab.PORTAL_PROVIDERS[5],
                        d(2026, 1, 30),
                        "3",
                        vocab.AMA1_PLAIN,
                    )
                ],
            )
        ],
    )
    doc(
        "photos/annual_meeting_okafor.jpg",
        "photo",
        [
            page(
                "annual_meeting",
                OKAFOR_A,
                [
                    _a(
                        "Annual Osteopathic Convention",
                        vocab.OSTEO_PROVIDERS[2],
                        d(2026, 5, 17),
                        "15",
                        vocab.AOA_1A,
                        start=d(2026, 5, 14),
                        max_credits=D("26"),
                    )
                ],
            )
        ],
        dpi=150,
    )
    doc(
        "scans/Okafor_A_cat2_log.pdf",
        "scanned",
        [
            page(
                "cat2_log",
                OKAFOR_A,
                [
                    _a(t, "Self-directed", dd, "1", vocab.SELF_CAT2)
                    for t, dd in zip(
                        vocab.JOURNAL_ITEMS[:4],
                        (d(2026, 2, 3), d(2026, 3, 10), d(2026, 4, 7), d(2026, 6, 22)),
                        strict=True,
                    )
                ],
            )
        ],
        dpi=200,
    )

    # --- A batch scan from the office copier: one certificate per page, two pages turned --------
    doc(
        "scans/batch_scan_2026-10-02.pdf",
        "scanned",
        [
            page("state_mandate", OKAFOR_C, [_topic("opioid_pain", 1, sp[3], d(2025, 5, 14), "3")]),
            page(
                "labels_below",
                OKAFOR_C,
                [_topic("risk_management", 2, vocab.INSURERS[1], d(2026, 6, 2), "3")],
                rotate=90,
            ),
            page(
                "table_style",
                OKAFOR_A,
                [
                    _topic("child_abuse", 0, sp[2], d(2024, 3, 1), "1"),
                    _topic("domestic_violence", 1, sp[2], d(2024, 3, 2), "2"),
                    _topic("dementia", 0, sp[2], d(2025, 9, 10), "1"),
                ],
            ),
            page(
                "osteopathic",
                OKAFOR_A,
                [
                    _topic(
                        "risk_management",
                        3,
                        vocab.OSTEO_PROVIDERS[1],
                        d(2025, 12, 4),
                        "4",
                        vocab.AOA_1A,
                    ),
                    _topic(
                        "implicit_bias",
                        0,
                        vocab.OSTEO_PROVIDERS[1],
                        d(2025, 12, 5),
                        "2",
                        vocab.AOA_1A,
                    ),
                ],
                rotate=180,
            ),
        ],
        dpi=150,
    )

    # --- Documents that are not credit certificates -------------------------------------------
    doc(
        "misc/cover_letter_castellanos.pdf",
        "digital",
        [page("cover_letter", CASTELLANOS, [], credit_bearing=False)],
        expected_status="no_certificate",
        note="cover letter",
    )
    doc(
        "misc/NACHM_2025_agenda.pdf",
        "digital",
        [
            page(
                "agenda",
                CASTELLANOS,
                [
                    _a(
                        "2025 Annual Scientific Meeting",
                        vocab.SOCIETIES[1][0],
                        d(2025, 10, 15),
                        "25",
                        vocab.AMA1_TM,
                        start=d(2025, 10, 12),
                        max_credits=D("25"),
                    )
                ],
                credit_bearing=False,
            )
        ],
        expected_status="no_certificate",
        note="conference agenda",
    )
    doc(
        "scans/nursing_contact_hours.pdf",
        "scanned",
        [
            page(
                "ancc_nursing",
                NURSE,
                [
                    _a(
                        _t("end_of_life", 3)[0],
                        vocab.NURSING_PROVIDERS[0],
                        d(2026, 4, 9),
                        "2.5",
                        vocab.ANCC,
                    )
                ],
                credit_bearing=False,
            )
        ],
        expected_status="no_certificate",
        note="ANCC nursing contact hours (non-physician credit)",
        dpi=150,
    )

    ledger = [
        _ledger(p, dd)
        for p, dd in (
            (LINDQVIST, d(2026, 4, 1)),
            (CASTELLANOS, d(2026, 1, 15)),
            (IYER, d(2025, 12, 30)),
            (OKAFOR_C, d(2025, 3, 3)),
            (BRENNAN_WALSH, d(2025, 2, 10)),
            (DE_LA_CRUZ, d(2026, 7, 7)),
            (OKAFOR_A, d(2026, 2, 20)),
        )
    ]
    return docs, ledger


def _ledger(p: Physician, when: dt.date) -> dict[str, str]:
    title, topics = _t("board_regulations", 0)
    return {
        "physician_id": p.physician_id,
        "physician_name": f"{p.first_name} {p.last_name}, {p.degree}",
        "activity_title": title,
        "provider": "Self-study",
        "activity_date": when.isoformat(),
        "credits": "2",
        "category": "2",
        "credit_type": "Category 2 (self-reported)",
        "topics": ";".join(topics),
    }


def check_statuses(truth: list[TruthRow], ledger: list[dict[str, str]]) -> dict[str, str]:
    """Evaluate every roster physician from the truth rows and ledger; assert the stories hold."""
    got: dict[str, str] = {}
    for p in ROSTER:
        acts = [
            Earned(r.activity_date, r.credits, r.category, r.topics)
            for r in truth
            if r.physician_id == p.physician_id
        ]
        acts += [
            Earned(
                dt.date.fromisoformat(r["activity_date"]),
                D(r["credits"]),
                r["category"],
                tuple(r["topics"].split(";")),
            )
            for r in ledger
            if r["physician_id"] == p.physician_id
        ]
        res = evaluate(p, acts, AS_OF)
        got[p.physician_id] = res.status
        want = EXPECTED[p.physician_id][0]
        if res.status != want:
            raise AssertionError(
                f"{p.physician_id}: intended {want}, design gives {res.status} "
                f"(short {res.short}, earned {res.earned})"
            )
    return got


def readme_status_table() -> str:
    """Markdown table of the intended statuses."""
    lines = ["| physician_id | name | renewal | expected_status | why |", "|---|---|---|---|---|"]
    for p in ROSTER:
        st, why = EXPECTED[p.physician_id]
        lines.append(
            f"| {p.physician_id} | {p.first_name} {p.last_name}, {p.degree} | "
            f"{p.license_expires.isoformat()} | {st} | {why} |"
        )
    return "\n".join(lines)


def readme(docs: list[DocSpec], rows: list[TruthRow]) -> str:
    """``sample_inbox/README.md``, generated so it never drifts from the files."""
    per_doc: dict[str, int] = {}
    for r in rows:
        per_doc[r.source_file] = per_doc.get(r.source_file, 0) + 1
    file_lines = [
        "| file | variant | layout(s) | who | truth rows | expected status |",
        "|---|---|---|---|---|---|",
    ]
    for doc in sorted(docs, key=lambda x: x.path):
        who = ", ".join(
            dict.fromkeys(
                p.physician.physician_id
                for p in doc.pages
                if p.physician and p.physician.physician_id in EXPECTED
            )
        )
        status = doc.expected_status + (f" ({doc.note})" if doc.note else "")
        file_lines.append(
            f"| `{doc.path}` | {doc.variant} | {doc.layout} | {who or '-'} | "
            f"{per_doc.get(doc.path, 0)} | {status} |"
        )
    return f"""# sample_inbox: fictional CME certificates for the demo

Every person, provider, license number and address here is invented. The files are generated
by `tools/make_sample_inbox.py` from fixed seeds (package `tools/samplegen/`); rerunning it
rewrites identical bytes:

    python tools/make_sample_inbox.py

Evaluate as of **{AS_OF.isoformat()}** (the statuses below depend on that date):

    cme-batch run --inbox sample_inbox --roster sample_inbox/roster.csv \\
        --ledger sample_inbox/ledger.csv --out out --as-of {AS_OF.isoformat()}

(`make demo` runs exactly this.) The roster and ledger given on the command line are not read
as documents; this README and the truth files (`truth.csv`, `documents_truth.csv`,
`expected_status.csv`) are, and appear in `documents.csv` as `unsupported` plain text: the tool
reports every file it finds rather than silently skipping any.

## What is in the folder

- `portal/` digital PDFs with a text layer (portal downloads, transcripts, society certificates).
- `scans/` image-only PDFs, a 1-bit PNG, a Group 4 multi-page TIFF and JPEG scans from an
  office copier: skewed 0.5-3 degrees, speckled, blurred, JPEG artefacts. The batch scan
  `scans/batch_scan_2026-10-02.pdf` holds a different certificate on each page; page 2 is
  turned 90 degrees and page 4 is upside down.
- `photos/` phone photos (JPEG): perspective, uneven light and shadow, paper on a desk.
- `archive/` older certificates (one-time trainings from earlier cycles) and one original of
  a duplicate.
- `misc/` a cover letter and a conference agenda (no certificate).
- Not documents (the scanner is given the roster and ledger paths; the rest are reported as
  unsupported files): `roster.csv` (8 physicians), `ledger.csv` (self-reported Category 2
  reading of the Board's regulations), `expected_status.csv`, `truth.csv` (expected
  `certificates.csv` rows plus `variant` and `layout`), `documents_truth.csv` (expected status
  of every document), and this README.

## Intended physician statuses as of {AS_OF.isoformat()}

{readme_status_table()}

P104 and P108 share the surname Okafor: matching must use first names (and license numbers
where printed).

## Documents

{chr(10).join(file_lines)}

## Conventions of the truth files

- One truth row per credit-bearing activity; `page` is 1-based (images are page 1).
- `physician_name` is the name as printed; `activity_date` is the completion date or the last
  day of a range; `credits` are the credits claimed or awarded (never the "maximum of"
  designation, never MOC points), as a plain decimal.
- `category`: AMA PRA Category 1, AOA 1-A and 1-B, and AAFP Prescribed are 1; AMA PRA
  Category 2, AOA 2-A/2-B, AAFP Elective and self-reported learning are 2.
- `credit_type` is the credit phrase as printed (a transcript's abbreviation such as
  `AMA PRA Cat 1`, a certificate's `AMA PRA Category 1 Credits™`).
- No rows for: the cover letter, the agenda, the attendance-only certificate, the ANCC
  nursing certificate, and duplicates. Of two copies of the same certificate, the one whose
  path sorts first is the original (`ok`); the other is `duplicate`.
- `topics` says what an activity is about (from the title), `;`-separated and sorted.
"""
