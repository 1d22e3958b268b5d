"""The blind set's layouts: each draws one certificate, letter, form or transcript.

Every layout is a function ``(pen, cert, rng) -> Drawn`` that starts and finishes its own
pages and reports which activity it printed on which of its pages. Layouts are modelled on
kinds of real documents (a national portal's completion certificate, a hospital CME office's
transcript, a society meeting's certificate with a separate claim date, a jointly accredited
certificate listing several credit types, an osteopathic activity report, a Category 2
self-claim form ...), each with its own wording, distractor dates and numbers.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from reportlab.lib.pagesizes import A4, landscape, letter

from . import people
from .model import Act, Cert
from .pen import Pen
from .wording import ama1_name, amount, any_date, fmt_date, fmt_range, plain


@dataclass
class Drawn:
    """What a layout printed: the name as printed and (page offset, activity) rows."""

    name: str
    rows: list[tuple[int, Act]] = field(default_factory=list)
    pages: int = 1


Layout = Callable[[Pen, Cert, random.Random], Drawn]
BLUES = ((0.12, 0.25, 0.45), (0.05, 0.35, 0.35), (0.35, 0.1, 0.2), (0.2, 0.2, 0.2))


#: Print, claim and issue dates never pass this day (the benchmark's as-of date is after it).
LATEST_STAMP = dt.date(2026, 11, 20)


def _later(d: dt.date, rng: random.Random, lo: int = 0, hi: int = 30) -> dt.date:
    return min(d + dt.timedelta(days=rng.randint(lo, hi)), max(d, LATEST_STAMP))


def _cert_id(rng: random.Random) -> str:
    return f"{rng.randint(100, 999)}-{rng.randint(100000, 999999)}"


def _designation(prov: str, maxc: Decimal, kind: str, rng: random.Random) -> str:
    phrase = rng.choice(
        [
            f"{prov} designates this {kind} for a maximum of {amount(maxc, rng)} "
            f"{ama1_name(maxc, rng)}.",
            f"This {kind} has been designated by {prov} for up to {amount(maxc, rng)} "
            f"{ama1_name(maxc, rng)}.",
        ]
    )
    return (
        phrase + " Physicians should claim only the credit commensurate with the extent "
        "of their participation in the activity."
    )


def _accredited(prov: str) -> str:
    return (
        f"{prov} is accredited by the Accreditation Council for Continuing Medical Education "
        "(ACCME) to provide continuing medical education for physicians."
    )


# ------------------------------------------------------------------ single certificates


def portal_completion(pen: Pen, cert: Cert, rng: random.Random) -> Drawn:
    """A national portal's completion certificate: colored band, statement, issue date."""
    a = cert.acts[0]
    assert cert.physician
    name = people.name_for(cert.physician, rng)
    pen.start(letter)
    w, h = pen.w, pen.h
    col = rng.choice(BLUES)
    pen.box(0, h - 80, w, 80, 0, col, stroke=False)
    pen.text(54, h - 50, a.provider, "Helvetica-Bold", 20, gray=1)
    pen.text(w - 54, h - 50, "Continuing Education", "Helvetica", 11, "right", gray=1)
    y = h - 150
    pen.text(
        w / 2,
        y,
        rng.choice(["Certificate of Completion", "CME Certificate"]),
        "Helvetica-Bold",
        24,
        "center",
    )
    y -= 50
    pen.text(
        w / 2,
        y,
        rng.choice(["This certifies that", "This is to certify that"]),
        "Helvetica",
        12,
        "center",
    )
    y -= 34
    pen.text(w / 2, y, name, "Helvetica-Bold", 20, "center")
    y -= 34
    pen.text(
        w / 2,
        y,
        rng.choice(
            [
                "has successfully completed the online activity",
                "has completed the enduring material",
                "completed the internet activity",
            ]
        ),
        "Helvetica",
        12,
        "center",
    )
    y -= 28
    y = pen.para(90, y, a.title, w - 180, "Helvetica-Bold", 14, align="center") - 10
    done = any_date(a.date, rng)
    cr = f"{amount(a.credits, rng)} {ama1_name(a.credits, rng)}"
    if rng.random() < 0.5:
        pen.text(w / 2, y, f"on {done} and was awarded {cr}.", "Helvetica", 12, "center")
    else:
        pen.text(w / 2, y, f"Date of completion: {done}", "Helvetica", 12, "center")
        y -= 18
        pen.text(w / 2, y, f"Credit awarded: {cr}", "Helvetica", 12, "center")
    y -= 70
    y = pen.para(72, y, _accredited(a.provider), w - 144, size=8.5)
    maxc = a.max_credits or a.credits
    pen.para(72, y - 4, _designation(a.provider, maxc, "enduring material", rng), w - 144, size=8.5)
    issued = _later(a.date, rng, 0, 25)
    pen.text(72, 60, f"Certificate ID {_cert_id(rng)}", "Helvetica", 8, gray=0.3)
    pen.text(w - 72, 60, f"Issued {any_date(issued, rng)}", "Helvetica", 8, "right", gray=0.3)
    pen.finish()
    return Drawn(name, [(0, a)])


def label_stack(pen: Pen, cert: Cert, rng: random.Random) -> Drawn:
    """A label/value certificate with release, expiry and earned dates (an online CME site)."""
    a = cert.acts[0]
    assert cert.physician
    name = people.name_for(cert.physician, rng, ("full_deg", "first_mi_last_deg", "first_last"))
    pen.start(letter)
    w, h = pen.w, pen.h
    pen.text(60, h - 70, a.provider, "Helvetica-Bold", 18)
    pen.text(60, h - 92, "CME/CE Certificate", "Helvetica", 13, gray=0.25)
    pen.rule(60, h - 104, w - 60, 1.2)
    release = a.date - dt.timedelta(days=rng.randint(40, 300))
    expiry = release + dt.timedelta(days=365 * rng.choice([1, 2, 3]))
    earned = rng.choice(["Date Earned", "Completion Date", "Date Completed"])
    got = rng.choice(["Credits Earned", "Credits Claimed", "Credit(s) Awarded"])
    fields = [
        (rng.choice(["Participant", "Learner", "Name"]), name),
        ("Activity Title", a.title),
        ("Activity ID", str(rng.randint(900000, 999999))),
        ("Release Date", any_date(release, rng)),
        ("Expiration Date", any_date(expiry, rng)),
        (earned, any_date(a.date, rng)),
        (got, f"{amount(a.credits, rng)} {ama1_name(a.credits, rng)}"),
    ]
    if a.max_credits and a.max_credits != a.credits:
        fields.append(("Credits Available", amount(a.max_credits, rng)))
    rng.shuffle(fields[3:5])
    y = h - 140
    for label, value in fields:
        pen.text(60, y, f"{label}:", "Helvetica-Bold", 10.5)
        y = pen.para(200, y, value, w - 260, size=10.5) - 8
    y -= 20
    y = pen.para(60, y, _accredited(a.provider), w - 120, size=8.5)
    pen.para(
        60,
        y - 4,
        _designation(a.provider, a.max_credits or a.credits, "enduring material", rng),
        w - 120,
        size=8.5,
    )
    pen.finish()
    return Drawn(name, [(0, a)])


def society_meeting(pen: Pen, cert: Cert, rng: random.Random) -> Drawn:
    """A specialty society's meeting certificate (landscape): dates, venue, and a claim box."""
    a = cert.acts[0]
    assert cert.physician and a.start
    name = people.name_for(
        cert.physician, rng, ("full_deg", "first_mi_last_deg", "first_last_deg_hon")
    )
    pen.start(landscape(letter))
    w, h = pen.w, pen.h
    pen.box(24, 24, w - 48, h - 48, 2.5)
    pen.box(32, 32, w - 64, h - 64, 0.6)
    pen.text(w / 2, h - 90, a.provider, "Times-Bold", 22, "center")
    pen.text(w / 2, h - 118, a.title, "Times-Italic", 17, "center")
    pen.text(
        w / 2,
        h - 140,
        f"{fmt_range(a.start, a.date, rng)}  \u2022  {a.kind}",
        "Times-Roman",
        12,
        "center",
    )
    pen.text(
        w / 2,
        h - 200,
        rng.choice(["Certificate of Participation", "Certificate of CME Credit"]),
        "Times-Bold",
        26,
        "center",
    )
    pen.text(w / 2, h - 235, "awarded to", "Times-Italic", 13, "center")
    pen.text(w / 2, h - 272, name, "Times-Bold", 24, "center")
    pen.text(
        w / 2,
        h - 305,
        rng.choice(
            [
                f"who participated in the meeting and claimed {amount(a.credits, rng)} "
                f"{ama1_name(a.credits, rng)}",
                f"for attendance, {amount(a.credits, rng)} {ama1_name(a.credits, rng)} claimed",
            ]
        ),
        "Times-Roman",
        13,
        "center",
    )
    maxc = a.max_credits or a.credits
    pen.para(
        80, h - 350, _designation(a.provider, maxc, "live activity", rng), w - 360, "Times-Roman", 9
    )
    claim = _later(a.date, rng, 3, 45)
    pen.box(w - 260, 60, 190, 70, 0.8)
    pen.text(w - 250, 112, "CME record", "Helvetica-Bold", 9)
    pen.text(w - 250, 96, f"Date claimed: {any_date(claim, rng)}", "Helvetica", 9)
    pen.text(w - 250, 82, f"Credits claimed: {amount(a.credits, rng)}", "Helvetica", 9)
    pen.text(w - 250, 68, f"Confirmation no. {rng.randint(10000, 99999)}", "Helvetica", 9)
    pen.rule(90, 90, 300, 0.6)
    pen.text(90, 78, "President", "Times-Italic", 10)
    pen.finish()
    return Drawn(name, [(0, a)])


def joint_accredited(pen: Pen, cert: Cert, rng: random.Random) -> Drawn:
    """A jointly accredited certificate listing AMA, ANCC, ACPE, AAPA credit and MOC points."""
    a = cert.acts[0]
    assert cert.physician
    name = people.name_for(cert.physician, rng)
    pen.start(letter)
    w, h = pen.w, pen.h
    pen.text(54, h - 64, a.provider, "Helvetica-Bold", 16)
    pen.text(54, h - 82, "Interprofessional Continuing Education", "Helvetica-Oblique", 10)
    y = h - 140
    pen.text(w / 2, y, "Certificate of Participation", "Helvetica-Bold", 22, "center")
    y -= 40
    pen.text(w / 2, y, name, "Helvetica-Bold", 17, "center")
    y -= 26
    y = (
        pen.para(
            80,
            y,
            f"participated in \u201c{a.title}\u201d, {a.kind}, {any_date(a.date, rng)}.",
            w - 160,
            size=11,
            align="center",
        )
        - 16
    )
    y = (
        pen.para(
            60,
            y,
            f"In support of improving patient care, {a.provider} is jointly "
            "accredited by the Accreditation Council for Continuing Medical "
            "Education (ACCME), the Accreditation Council for Pharmacy Education "
            "(ACPE), and the American Nurses Credentialing Center (ANCC), to "
            "provide continuing education for the healthcare team.",
            w - 120,
            size=9,
        )
        - 12
    )
    c = a.credits
    rows = [
        ["Physicians", f"{ama1_name(c, rng)}", amount(c, rng)],
        ["Nurses", "ANCC contact hours", amount(c, rng)],
        [
            "Pharmacists",
            f"ACPE, UAN JA{rng.randint(1000000, 9999999)}-9999-25-{rng.randint(100, 999)}-L01-P",
            f"{c:.1f} ({c / 10:.2f} CEUs)",
        ],
        ["Physician assistants", "AAPA Category 1 CME credits", amount(c, rng)],
    ]
    if rng.random() < 0.6:
        rows.append(["ABIM diplomates", "MOC points (Medical Knowledge)", plain(c)])
    rows.append(["Participants", "IPCE credits", amount(c, rng)])
    pen.text(60, y, "Credit awarded", "Helvetica-Bold", 11)
    y = pen.table(
        60,
        y - 18,
        [("Profession", 130, "left"), ("Credit type", 280, "left"), ("Amount", 80, "right")],
        rows,
        9,
    )
    pen.text(
        60,
        70,
        f"Activity {rng.randint(20000, 29999)}  \u2022  issued "
        f"{any_date(_later(a.date, rng, 1, 20), rng)}",
        "Helvetica",
        8,
        gray=0.35,
    )
    pen.finish()
    return Drawn(name, [(0, a)])


_TOPIC_PHRASE = {
    "risk_management": "risk management study",
    "opioid_pain": "education in pain management and opioid prescribing",
    "end_of_life": "end-of-life care",
    "ehr": "proficiency in the use of electronic health records",
    "implicit_bias": "implicit bias in health care",
    "child_abuse": "training on the identification and reporting of child abuse and neglect",
    "domestic_violence": "domestic violence and sexual violence training",
    "dementia": "training on Alzheimer's disease and related dementias",
    "wellness_burnout": "risk management study (physician wellness)",
    "board_regulations": "study of the Board's regulations",
}


def state_mandate(pen: Pen, cert: Cert, rng: random.Random) -> Drawn:
    """A state medical society's online course on a mandated topic, saying which it meets."""
    a = cert.acts[0]
    assert cert.physician
    name = people.name_for(
        cert.physician, rng, ("full_deg", "first_mi_last_deg", "last_first_full")
    )
    pen.start(letter)
    w, h = pen.w, pen.h
    pen.text(w / 2, h - 70, a.provider, "Times-Bold", 20, "center")
    pen.text(w / 2, h - 90, "Online Continuing Medical Education", "Times-Italic", 12, "center")
    pen.rule(100, h - 102, w - 100, 0.8)
    y = h - 160
    pen.text(w / 2, y, name, "Times-Bold", 19, "center")
    y -= 30
    pen.text(
        w / 2, y, rng.choice(["has completed the course", "completed"]), "Times-Roman", 12, "center"
    )
    y -= 26
    y = pen.para(90, y, a.title, w - 180, "Times-Bold", 14, align="center") - 8
    pen.text(
        w / 2,
        y,
        f"{rng.choice(['on', 'Completed'])} {any_date(a.date, rng)}",
        "Times-Roman",
        12,
        "center",
    )
    y -= 22
    pen.text(
        w / 2,
        y,
        f"{amount(a.credits, rng)} {ama1_name(a.credits, rng)}",
        "Times-Roman",
        12,
        "center",
    )
    y -= 50
    if a.topics:
        req = " and ".join(_TOPIC_PHRASE[t] for t in a.topics)
        pen.para(
            80,
            y,
            rng.choice(
                [
                    f"This course meets the Massachusetts Board of Registration in Medicine's "
                    f"requirement for {req}.",
                    f"Completion of this course may be applied toward the Board of Registration in "
                    f"Medicine's licensure requirement for {req}.",
                ]
            ),
            w - 160,
            "Times-Roman",
            10.5,
        )
        y -= 50
    pen.para(80, y, _accredited(a.provider), w - 160, "Times-Roman", 8.5)
    pen.finish()
    return Drawn(name, [(0, a)])


def insurer_risk(pen: Pen, cert: Cert, rng: random.Random) -> Drawn:
    """A liability insurer's risk program: policy number and premium-credit distractors."""
    a = cert.acts[0]
    assert cert.physician
    name = people.name_for(cert.physician, rng)
    pen.start(letter)
    w, h = pen.w, pen.h
    col = rng.choice(BLUES)
    pen.box(40, h - 110, 14, 70, 0, col, stroke=False)
    pen.text(66, h - 66, a.provider, "Helvetica-Bold", 17)
    pen.text(66, h - 86, "Patient Safety & Risk Education", "Helvetica", 11, gray=0.3)
    y = h - 160
    pen.text(66, y, "Certificate of Completion", "Helvetica-Bold", 20)
    y -= 36
    pen.text(66, y, "Insured:", "Helvetica", 10)
    pen.text(150, y, name, "Helvetica-Bold", 12)
    y -= 18
    pen.text(66, y, "Policy no.:", "Helvetica", 10)
    pen.text(150, y, f"PL-{rng.randint(10000, 99999)}-{rng.randint(10, 99)}", "Helvetica", 10)
    y -= 30
    pen.text(66, y, "Program:", "Helvetica", 10)
    y = pen.para(150, y, a.title, w - 220, "Helvetica-Bold", 12) - 6
    pen.text(66, y, "Format:", "Helvetica", 10)
    pen.text(150, y, a.kind, "Helvetica", 10)
    y -= 18
    pen.text(66, y, "Completed:", "Helvetica", 10)
    pen.text(150, y, any_date(a.date, rng), "Helvetica", 10)
    y -= 18
    pen.text(66, y, "Credit:", "Helvetica", 10)
    pen.text(150, y, f"{amount(a.credits, rng)} {ama1_name(a.credits, rng)}", "Helvetica", 10)
    y -= 40
    pct = rng.choice([2, 3, 5])
    y = (
        pen.para(
            66,
            y,
            f"Completion of this program qualifies the insured for a {pct}% "
            f"risk-management premium credit at the next renewal, subject to "
            "underwriting guidelines.",
            w - 132,
            size=9,
        )
        - 6
    )
    y = pen.para(66, y, _accredited(a.provider), w - 132, size=8.5)
    pen.finish()
    return Drawn(name, [(0, a)])


def aoa_certificate(pen: Pen, cert: Cert, rng: random.Random) -> Drawn:
    """An osteopathic CME certificate in AOA Category 1-A hours."""
    a = cert.acts[0]
    assert cert.physician
    name = people.name_for(cert.physician, rng, ("full_deg", "first_mi_last_deg", "dr_first_last"))
    pen.start(letter)
    w, h = pen.w, pen.h
    pen.box(36, 36, w - 72, h - 72, 1.6)
    pen.text(w / 2, h - 90, a.provider, "Times-Bold", 17, "center")
    pen.text(w / 2, h - 150, "Certificate of Attendance", "Times-BoldItalic", 26, "center")
    pen.text(w / 2, h - 195, name, "Times-Bold", 20, "center")
    when = fmt_range(a.start, a.date, rng) if a.start else any_date(a.date, rng)
    y = (
        pen.para(
            80,
            h - 230,
            f"attended {a.title}, {when}, and is awarded "
            f"{amount(a.credits, rng)} hours of AOA Category 1-A CME credit.",
            w - 160,
            "Times-Roman",
            13,
            align="center",
        )
        - 20
    )
    maxc = a.max_credits or a.credits
    y = pen.para(
        80,
        y,
        f"{a.provider} is accredited by the American Osteopathic Association "
        "to provide osteopathic continuing medical education for physicians. "
        f"{a.provider} designates this program for a maximum of "
        f"{amount(maxc, rng)} AOA Category 1-A credits and will report CME "
        "and specialty credits commensurate with the extent of the "
        "physician's participation in this activity.",
        w - 160,
        "Times-Roman",
        9.5,
    )
    pen.text(80, 80, f"AOA No. {rng.randint(1000000, 9999999)}", "Times-Roman", 9)
    pen.text(w - 80, 80, f"Program no. {rng.randint(100000, 999999)}", "Times-Roman", 9, "right")
    pen.finish()
    return Drawn(name, [(0, a)])


def aafp_certificate(pen: Pen, cert: Cert, rng: random.Random) -> Drawn:
    """A family-medicine certificate in AAFP Prescribed credit with a term of approval."""
    a = cert.acts[0]
    assert cert.physician
    name = people.name_for(cert.physician, rng)
    pen.start(letter)
    w, h = pen.w, pen.h
    pen.text(54, h - 66, a.provider, "Helvetica-Bold", 16)
    pen.rule(54, h - 78, w - 54, 2)
    y = h - 130
    pen.text(54, y, "Certificate of Completion", "Helvetica-Bold", 20)
    y -= 40
    pen.text(54, y, "Presented to", "Helvetica", 10)
    pen.text(160, y, name, "Helvetica-Bold", 14)
    y -= 24
    pen.text(54, y, "Activity", "Helvetica", 10)
    y = pen.para(160, y, a.title, w - 220, "Helvetica-Bold", 11) - 6
    pen.text(54, y, "Date(s)", "Helvetica", 10)
    when = fmt_range(a.start, a.date, rng) if a.start else any_date(a.date, rng)
    pen.text(160, y, when, "Helvetica", 11)
    y -= 20
    pen.text(54, y, "Location", "Helvetica", 10)
    pen.text(160, y, a.kind, "Helvetica", 11)
    y -= 20
    pen.text(54, y, "Credits claimed", "Helvetica", 10)
    pen.text(160, y, f"{amount(a.credits, rng)} AAFP Prescribed credits", "Helvetica-Bold", 11)
    y -= 40
    begin = (a.start or a.date) - dt.timedelta(days=rng.randint(30, 200))
    maxc = a.max_credits or a.credits
    y = pen.para(
        54,
        y,
        f"The AAFP has reviewed {a.title} and deemed it acceptable for up to "
        f"{amount(maxc, rng)} Live AAFP Prescribed credits. Term of Approval is "
        f"from {fmt_date(begin, 'us_slash')} to "
        f"{fmt_date(begin + dt.timedelta(days=364), 'us_slash')}. Physicians "
        "should claim only the credit commensurate with the extent of their "
        "participation in the activity.",
        w - 108,
        size=9,
    )
    pen.finish()
    return Drawn(name, [(0, a)])


def landscape_award(pen: Pen, cert: Cert, rng: random.Random) -> Drawn:
    """A decorative landscape award: big name (a long name breaks), date written out."""
    a = cert.acts[0]
    assert cert.physician
    name = people.name_for(
        cert.physician, rng, ("full_deg", "first_last_deg_hon", "first_mi_last_deg")
    )
    pen.start(landscape(letter))
    w, h = pen.w, pen.h
    col = rng.choice(BLUES)
    pen.c.setStrokeColorRGB(*col)
    pen.box(20, 20, w - 40, h - 40, 6)
    pen.box(34, 34, w - 68, h - 68, 1)
    pen.c.setStrokeGray(0)
    pen.text(w / 2, h - 85, a.provider.upper(), "Times-Roman", 13, "center")
    pen.text(w / 2, h - 140, "Certificate of Achievement", "Times-BoldItalic", 34, "center")
    pen.text(w / 2, h - 180, "is hereby presented to", "Times-Italic", 13, "center")
    y = h - 225
    if len(name) > 26:  # the name wraps: surname on the next line, as on real awards
        first, _, rest = name.partition(" ")
        pen.text(w / 2, y, first, "Times-Bold", 30, "center")
        y -= 34
        pen.text(w / 2, y, rest, "Times-Bold", 30, "center")
    else:
        pen.text(w / 2, y, name, "Times-Bold", 30, "center")
    y -= 36
    pen.text(
        w / 2, y, "in recognition of the successful completion of", "Times-Italic", 13, "center"
    )
    y -= 26
    y = pen.para(120, y, a.title, w - 240, "Times-Bold", 16, align="center") - 4
    pen.text(
        w / 2,
        y,
        f"{amount(a.credits, rng)} {ama1_name(a.credits, rng)}",
        "Times-Roman",
        13,
        "center",
    )
    y -= 28
    pen.text(
        w / 2,
        y,
        rng.choice(
            [f"Given this {fmt_date(a.date, 'ordinal_words')}", f"Awarded {any_date(a.date, rng)}"]
        ),
        "Times-Italic",
        13,
        "center",
    )
    pen.rule(90, 78, 280, 0.6)
    pen.text(90, 66, "Director, Continuing Medical Education", "Times-Italic", 10)
    pen.rule(w - 280, 78, w - 90, 0.6)
    pen.text(w - 280, 66, "Course Director", "Times-Italic", 10)
    pen.finish()
    return Drawn(name, [(0, a)])


def two_column(pen: Pen, cert: Cert, rng: random.Random) -> Drawn:
    """A two-column design: a shaded side panel of captions over values, text on the right."""
    a = cert.acts[0]
    p = cert.physician
    assert p
    name = people.name_for(p, rng, ("full_deg", "first_mi_last_deg", "upper_last_first"))
    pen.start(letter)
    w, h = pen.w, pen.h
    pen.box(0, 0, 200, h, 0, (0.9, 0.92, 0.95), stroke=False)
    y = h - 90
    entries = [
        ("LEARNER", name),
        ("MA LICENSE", p.license_number if rng.random() < 0.6 else ""),
        ("DATE COMPLETED", any_date(a.date, rng)),
        ("CREDITS", amount(a.credits, rng)),
        ("CREDIT TYPE", "AMA PRA Category 1"),
    ]
    for cap, val in entries:
        if not val:
            continue
        pen.text(24, y, cap, "Helvetica-Bold", 7.5, gray=0.35)
        y = pen.para(24, y - 14, val, 160, "Helvetica", 10.5) - 14
    x = 230
    pen.text(x, h - 90, a.provider, "Helvetica-Bold", 15)
    pen.text(x, h - 130, "Transcript of Credit", "Helvetica", 22)
    y = pen.para(x, h - 175, a.title, w - x - 50, "Helvetica-Bold", 13) - 10
    y = (
        pen.para(
            x,
            y,
            f"{a.kind}. Learners who completed the activity and its evaluation "
            "receive credit as shown at left.",
            w - x - 50,
            size=10,
        )
        - 20
    )
    y = pen.para(x, y, _accredited(a.provider), w - x - 50, size=8.5) - 4
    pen.para(
        x,
        y,
        _designation(a.provider, a.max_credits or a.credits, "activity", rng),
        w - x - 50,
        size=8.5,
    )
    pen.finish()
    return Drawn(name, [(0, a)])


def attendance_letter(pen: Pen, cert: Cert, rng: random.Random) -> Drawn:
    """A letter confirming attendance and credit, dated later than the activity."""
    a = cert.acts[0]
    p = cert.physician
    assert p
    full = people.printed_name(p, rng.choice(["full_deg", "first_mi_last_deg"]))
    pen.start(letter)
    w, h = pen.w, pen.h
    pen.text(72, h - 60, a.provider, "Times-Bold", 15)
    pen.text(72, h - 76, "Office of Continuing Medical Education", "Times-Roman", 10)
    pen.rule(72, h - 84, w - 72, 0.5)
    y = h - 130
    pen.text(72, y, any_date(_later(a.date, rng, 5, 60), rng), "Times-Roman", 11)
    y -= 36
    for line in (
        full,
        f"{rng.randint(10, 999)} {rng.choice(['Elm', 'Beacon', 'Main'])} Street",
        rng.choice(["Worcester, MA 01608", "Lowell, MA 01852", "Quincy, MA 02169"]),
    ):
        pen.text(72, y, line, "Times-Roman", 11)
        y -= 14
    y -= 18
    pen.text(72, y, f"Dear {people.salutation(p)}:", "Times-Roman", 11)
    y -= 24
    body = rng.choice(
        [
            f"Thank you for participating in {a.title}, held {any_date(a.date, rng)} "
            f"({a.kind}). Our records show that you attended and were awarded "
            f"{amount(a.credits, rng)} {ama1_name(a.credits, rng)}.",
            f"This letter confirms your attendance at \u201c{a.title}\u201d on "
            f"{any_date(a.date, rng)}. You claimed {amount(a.credits, rng)} "
            f"{ama1_name(a.credits, rng)} for this activity.",
        ]
    )
    y = pen.para(72, y, body, w - 144, "Times-Roman", 11, 15) - 10
    y = (
        pen.para(
            72,
            y,
            _accredited(a.provider) + " Please keep this letter for your records; "
            "no separate certificate will be issued.",
            w - 144,
            "Times-Roman",
            11,
            15,
        )
        - 24
    )
    pen.text(72, y, "Sincerely,", "Times-Roman", 11)
    pen.text(72, y - 44, "CME Program Coordinator", "Times-Roman", 11)
    pen.finish()
    return Drawn(full, [(0, a)])


def moc_combo(pen: Pen, cert: Cert, rng: random.Random) -> Drawn:
    """A CME-and-MOC certificate: credit and board points, and the date points were sent."""
    a = cert.acts[0]
    assert cert.physician
    name = people.name_for(cert.physician, rng)
    pen.start(A4)
    w, h = pen.w, pen.h
    pen.text(w / 2, h - 80, a.provider, "Helvetica-Bold", 15, "center")
    pen.text(
        w / 2, h - 130, "Certificate of CME Credit and MOC Points", "Helvetica-Bold", 18, "center"
    )
    y = h - 180
    pen.text(w / 2, y, name, "Helvetica-Bold", 16, "center")
    y -= 28
    pts = a.credits if rng.random() < 0.5 else a.credits + 1
    y = (
        pen.para(
            70,
            y,
            f"successfully completed {a.title} on {any_date(a.date, rng)}, earning "
            f"{amount(a.credits, rng)} {ama1_name(a.credits, rng)} and "
            f"{plain(pts)} ABIM MOC Medical Knowledge points.",
            w - 140,
            size=11.5,
            align="center",
        )
        - 20
    )
    y = (
        pen.para(
            70,
            y,
            "Successful completion of this CME activity, which includes "
            "participation in the evaluation component, enables the participant "
            "to earn up to the MOC points shown in the American Board of Internal "
            "Medicine's Maintenance of Certification program.",
            w - 140,
            size=9,
        )
        - 10
    )
    pen.text(70, y, f"Diplomate ID: {rng.randint(100000, 999999)}", "Helvetica", 9)
    pen.text(
        70,
        y - 14,
        f"Points reported to ABIM on {any_date(_later(a.date, rng, 2, 30), rng)}",
        "Helvetica",
        9,
    )
    pen.finish()
    return Drawn(name, [(0, a)])


# ------------------------------------------------------------------ lists and transcripts


def _footer(pen: Pen, i: int, n: int, stamp: str) -> None:
    pen.text(54, 30, stamp, "Helvetica", 7.5, gray=0.3)
    pen.text(pen.w - 54, 30, f"Page {i + 1} of {n}", "Helvetica", 7.5, "right", gray=0.3)


def office_transcript(pen: Pen, cert: Cert, rng: random.Random) -> Drawn:
    """A hospital CME office's transcript: paginated table, generated stamp, total."""
    p = cert.physician
    assert p
    name = people.name_for(p, rng, ("full_deg", "last_first_mi", "first_last"))
    acts = sorted(cert.acts, key=lambda a: a.date)
    hosp = acts[0].provider
    per_page = rng.choice([12, 14, 16])
    chunks = [acts[i : i + per_page] for i in range(0, len(acts), per_page)]
    gen = _later(acts[-1].date, rng, 5, 40)
    stamp = (
        f"Generated {fmt_date(gen, 'us_slash')} {rng.randint(1, 12)}:"
        f"{rng.randint(10, 59)} {rng.choice(['AM', 'PM'])} \u2022 {name}"
    )
    type_col = rng.choice(["AMA PRA Category 1 Credit\u2122", "AMA Cat 1", "CME Category 1"])
    drawn = Drawn(name, pages=len(chunks))
    for i, chunk in enumerate(chunks):
        pen.start(letter)
        h = pen.h
        y = h - 60
        if i == 0:
            pen.text(54, y, hosp, "Helvetica-Bold", 15)
            pen.text(
                54,
                y - 18,
                "Continuing Medical Education \u2013 Learner Transcript",
                "Helvetica",
                11,
            )
            y -= 48
            pen.text(54, y, f"Name: {name}", "Helvetica", 10)
            start = dt.date(acts[0].date.year, 1, 1)
            pen.text(
                330,
                y,
                f"Date range: {fmt_date(start, 'us_slash')} - {fmt_date(gen, 'us_slash')}",
                "Helvetica",
                10,
            )
            y -= 30
        rows = []
        for a in chunk:
            title = a.title if a.provider == hosp else f"{a.title} ({a.provider})"
            rows.append(
                [fmt_date(a.date, "us_slash"), title, type_col, amount(a.credits, rng, "2dp")]
            )
            drawn.rows.append((i, a))
        y = pen.table(
            54,
            y,
            [
                ("Date", 70, "left"),
                ("Activity", 290, "left"),
                ("Credit type", 110, "left"),
                ("Credits", 34, "right"),
            ],
            rows,
            8.5,
            17,
            wrap_col=1,
        )
        if i == len(chunks) - 1:
            total = sum((a.credits for a in acts), Decimal(0))
            pen.text(54 + 470, y - 4, f"Total: {total:.2f}", "Helvetica-Bold", 9, "right")
        _footer(pen, i, len(chunks), stamp)
        pen.finish()
    return drawn


def qbank_statement(pen: Pen, cert: Cert, rng: random.Random) -> Drawn:
    """A question-bank statement of credit and MOC points, one row per module."""
    p = cert.physician
    assert p
    name = people.name_for(p, rng, ("full_deg", "first_last", "first_mi_last_deg"))
    acts = sorted(cert.acts, key=lambda a: a.date)
    pen.start(letter)
    w, h = pen.w, pen.h
    pen.text(54, h - 64, acts[0].provider, "Helvetica-Bold", 17)
    pen.text(54, h - 84, "Statement of CME Credit and MOC Points", "Helvetica", 12)
    y = h - 120
    pen.text(54, y, f"Learner: {name}", "Helvetica", 10)
    pen.text(330, y, f"ABIM ID: {rng.randint(100000, 999999)}", "Helvetica", 10)
    y -= 16
    y0 = dt.date(acts[0].date.year, 1, 1)
    pen.text(
        54,
        y,
        f"Statement period: {any_date(y0, rng)} to "
        f"{any_date(dt.date(acts[-1].date.year, 12, 31), rng)}",
        "Helvetica",
        10,
    )
    y -= 34
    rows = [
        [
            any_date(a.date, rng, ("us_slash", "iso", "mon_abbr")),
            a.title,
            amount(a.credits, rng, "2dp"),
            plain(a.credits),
        ]
        for a in acts
    ]
    y = pen.table(
        54,
        y,
        [
            ("Date completed", 90, "left"),
            ("Module", 270, "left"),
            ("AMA PRA Cat. 1", 75, "right"),
            ("MOC pts", 55, "right"),
        ],
        rows,
        8.5,
        17,
        wrap_col=1,
    )
    total = sum((a.credits for a in acts), Decimal(0))
    pen.text(54 + 435, y - 4, f"Total {total:.2f}", "Helvetica-Bold", 9, "right")
    pen.para(
        54,
        90,
        _accredited(acts[0].provider)
        + " "
        + _designation(acts[0].provider, Decimal(40), "enduring material", rng),
        w - 108,
        size=8,
    )
    pen.finish()
    return Drawn(name, [(0, a) for a in acts])


def poc_log(pen: Pen, cert: Cert, rng: random.Random) -> Drawn:
    """A point-of-care learning certificate: searches listed with their dates and credit."""
    p = cert.physician
    assert p
    name = people.name_for(p, rng, ("full_deg", "first_mi_last_deg", "first_last_deg_hon"))
    acts = sorted(cert.acts, key=lambda a: a.date)
    pen.start(letter)
    w, h = pen.w, pen.h
    pen.text(w / 2, h - 64, acts[0].provider, "Helvetica-Bold", 16, "center")
    pen.text(
        w / 2, h - 86, "CME Certificate \u2013 Point-of-Care Learning", "Helvetica", 12, "center"
    )
    y = h - 126
    pen.text(w / 2, y, "Awarded to", "Helvetica", 10, "center")
    pen.text(w / 2, y - 20, name, "Helvetica-Bold", 14, "center")
    y -= 46
    sub = _later(acts[-1].date, rng, 1, 20)
    y = (
        pen.para(
            70,
            y,
            f"for researching clinical questions. Credits submitted on "
            f"{any_date(sub, rng)}; each qualifying search earns 0.5 "
            f"{ama1_name(Decimal('0.5'), rng)}.",
            w - 140,
            size=10,
            align="center",
        )
        - 16
    )
    rows = [[fmt_date(a.date, "us_slash"), a.title, amount(a.credits, rng)] for a in acts]
    pen.table(
        70,
        y,
        [("Date", 80, "left"), ("Topic reviewed", 320, "left"), ("Credit", 70, "right")],
        rows,
        9,
        17,
        wrap_col=1,
    )
    pen.finish()
    return Drawn(name, [(0, a) for a in acts])


def rss_summary(pen: Pen, cert: Cert, rng: random.Random) -> Drawn:
    """A regularly scheduled series (grand rounds) attendance summary with speakers."""
    p = cert.physician
    assert p
    name = people.name_for(p, rng, ("last_first_mi", "full_deg", "upper_last_first"))
    acts = sorted(cert.acts, key=lambda a: a.date)
    pen.start(letter)
    w, h = pen.w, pen.h
    pen.text(54, h - 60, acts[0].provider, "Times-Bold", 16)
    series = rng.choice(
        [
            "Department of Medicine Grand Rounds",
            "Surgery Morbidity Conference",
            "Pediatrics Noon Conference",
        ]
    )
    pen.text(54, h - 80, f"Regularly Scheduled Series \u2013 {series}", "Times-Roman", 12)
    pen.text(54, h - 110, f"Attendance summary for {name}", "Times-Bold", 11)
    speakers = [
        "Dr. R. Castellano",
        "Dr. Amy Whitcombe",
        "Dr. S. Iyer",
        "Dr. Paul Brandt",
        "Dr. T. Osei",
    ]
    rows = [
        [
            any_date(a.date, rng, ("us_slash", "mon_abbr")),
            a.title,
            rng.choice(speakers),
            amount(a.credits, rng),
        ]
        for a in acts
    ]
    y = pen.table(
        54,
        h - 140,
        [
            ("Session date", 85, "left"),
            ("Topic", 250, "left"),
            ("Speaker", 110, "left"),
            ("Credit", 50, "right"),
        ],
        rows,
        8.5,
        17,
        ruled=rng.random() < 0.5,
        wrap_col=1,
    )
    pen.para(
        54,
        y - 20,
        _accredited(acts[0].provider) + " Each session is designated for a "
        f"maximum of 1 {ama1_name(Decimal(1), rng)}.",
        w - 108,
        "Times-Roman",
        9,
    )
    pen.finish()
    return Drawn(name, [(0, a) for a in acts])


def aoa_activity_report(pen: Pen, cert: Cert, rng: random.Random) -> Drawn:
    """An osteopathic CME activity report: sponsor first, date in the middle, category codes."""
    p = cert.physician
    assert p
    name = people.name_for(p, rng, ("last_first_full", "upper_last_first", "full_deg"))
    acts = sorted(cert.acts, key=lambda a: a.date)
    pen.start(landscape(letter))
    h = pen.h
    pen.text(40, h - 50, "Osteopathic CME Activity Report", "Helvetica-Bold", 15)
    cyc = dt.date(acts[0].date.year - (acts[0].date.year - 2022) % 3, 1, 1)
    pen.text(
        40,
        h - 70,
        f"Member: {name}    AOA No. {rng.randint(100000, 999999)}    "
        f"CME cycle {cyc.year}-{cyc.year + 2}",
        "Helvetica",
        10,
    )
    code = {"aoa1a": "1-A", "aoa1b": "1-B", "aoa2a": "2-A", "aoa2b": "2-B"}
    rows = [
        [
            a.provider,
            a.title,
            fmt_date(a.date, rng.choice(["us_slash", "us_slash", "iso"])),
            code[a.system.key],
            amount(a.credits, rng, "2dp"),
        ]
        for a in acts
    ]
    y = pen.table(
        40,
        h - 100,
        [
            ("Sponsor", 210, "left"),
            ("Program", 290, "left"),
            ("Date", 80, "left"),
            ("Cat.", 40, "center"),
            ("Credits", 50, "right"),
        ],
        rows,
        8,
        16,
        wrap_col=1,
    )
    y -= 10
    for k in ("1-A", "1-B", "2-A", "2-B"):
        tot = sum((a.credits for a in acts if code[a.system.key] == k), Decimal(0))
        if tot:
            pen.text(40, y, f"Category {k} total: {tot:.2f}", "Helvetica-Bold", 9)
            y -= 14
    _footer(pen, 0, 1, f"Printed {fmt_date(_later(acts[-1].date, rng, 3, 30), 'us_slash')}")
    pen.finish()
    return Drawn(name, [(0, a) for a in acts])


def cat2_form(pen: Pen, cert: Cert, rng: random.Random) -> Drawn:
    """A Category 2 self-claim log, filled in by hand (an oblique typewriter face, uneven)."""
    p = cert.physician
    assert p
    name = people.printed_name(p, rng.choice(["first_last", "full_deg", "first_mi_last_deg"]))
    acts = sorted(cert.acts, key=lambda a: a.date)
    pen.start(letter)
    h = pen.h
    pen.text(
        54,
        h - 60,
        rng.choice(
            [
                "Category 2 CME Self-Report Form",
                "Record of AMA PRA Category 2 Credit\u2122 Activities",
            ]
        ),
        "Helvetica-Bold",
        15,
    )
    pen.text(
        54,
        h - 78,
        "Physician-directed learning: list each activity, its date and the hours spent.",
        "Helvetica",
        9,
    )
    pen.text(54, h - 110, "Physician name:", "Helvetica", 10)
    hand = "Courier-Oblique"
    pen.text(150, h - 110, name, hand, 12)
    pen.rule(148, h - 113, 420, 0.4)
    cols = [
        ("Date", 80, "left"),
        ("Activity / source", 280, "left"),
        ("Type", 90, "left"),
        ("Hours", 50, "right"),
    ]
    y = h - 150
    pen.table(54, y, cols, [], 9)
    y -= 24
    for a in acts:
        jit = rng.uniform(-1.5, 1.5)
        pen.text(57, y + jit, fmt_date(a.date, rng.choice(["us_short_year", "us_slash"])), hand, 10)
        title = a.title if rng.random() < 0.5 else f"{a.title} - {a.provider}"
        pen.para(137, y + jit, title, 270, hand, 9.5, 11)
        pen.text(417, y + jit, a.kind, hand, 9.5)
        pen.text(54 + 496, y + jit, plain(a.credits), hand, 10.5, "right")
        y -= 30
        pen.rule(54, y + 18, 554, 0.3, 0.6)
    total = sum((a.credits for a in acts), Decimal(0))
    pen.text(460, y - 6, "Total hours:", "Helvetica-Bold", 9, "right")
    pen.text(54 + 496, y - 6, plain(total), hand, 11, "right")
    signed = _later(acts[-1].date, rng, 1, 30)
    pen.text(54, y - 50, "Signature:", "Helvetica", 9)
    pen.rule(110, y - 52, 300, 0.4)
    pen.text(320, y - 50, "Date:", "Helvetica", 9)
    pen.text(352, y - 50, fmt_date(signed, "us_short_year"), hand, 10)
    pen.finish()
    return Drawn(name, [(0, a) for a in acts])


def web_transcript(pen: Pen, cert: Cert, rng: random.Random) -> Drawn:
    """A portal's "My transcript" page printed from a browser (print header and URL footer)."""
    p = cert.physician
    assert p
    name = people.name_for(p, rng, ("full_deg", "first_last"))
    acts = sorted(cert.acts, key=lambda a: a.date, reverse=True)
    pen.start(letter)
    w, h = pen.w, pen.h
    printed = _later(acts[0].date, rng, 1, 60)
    pen.text(
        30,
        h - 20,
        f"{printed.month}/{printed.day}/{printed.year % 100:02d}, "
        f"{rng.randint(1, 12)}:{rng.randint(10, 59)} PM",
        "Helvetica",
        7.5,
    )
    pen.text(w / 2, h - 20, "My Learning | Transcript", "Helvetica", 7.5, "center")
    pen.text(
        30,
        18,
        f"https://learn.{acts[0].provider.split()[0].lower()}.example/transcript",
        "Helvetica",
        7.5,
    )
    pen.text(w - 30, 18, "1/1", "Helvetica", 7.5, "right")
    pen.box(30, h - 80, w - 60, 40, 0, (0.15, 0.3, 0.5), stroke=False)
    pen.text(44, h - 66, acts[0].provider, "Helvetica-Bold", 14, gray=1)
    pen.text(w - 44, h - 66, f"Signed in as {name}", "Helvetica", 9, "right", gray=1)
    pen.text(44, h - 112, "My Transcript", "Helvetica-Bold", 18)
    pen.text(44, h - 130, f"{len(acts)} completed activities", "Helvetica", 9, gray=0.4)
    rows = [
        [
            a.title,
            any_date(a.date, rng, ("mon_abbr", "us_short_year")),
            amount(a.credits, rng),
            "AMA PRA Category 1",
            "View certificate",
        ]
        for a in acts
    ]
    pen.table(
        44,
        h - 160,
        [
            ("Activity", 250, "left"),
            ("Completed", 80, "left"),
            ("Credits", 45, "right"),
            ("Type", 100, "left"),
            ("", 60, "left"),
        ],
        rows,
        8.5,
        18,
        wrap_col=0,
        header_fill=(0.95, 0.95, 0.95),
    )
    pen.finish()
    return Drawn(name, [(0, a) for a in acts])


# ------------------------------------------------------------------ pages without credit


def attendance_only(pen: Pen, cert: Cert, rng: random.Random) -> Drawn:
    """A certificate of attendance for an activity not designated for credit."""
    a = cert.acts[0]
    assert cert.physician
    name = people.name_for(cert.physician, rng)
    pen.start(landscape(letter))
    w, h = pen.w, pen.h
    pen.box(30, 30, w - 60, h - 60, 2)
    pen.text(w / 2, h - 100, a.provider, "Times-Bold", 18, "center")
    pen.text(w / 2, h - 160, "Certificate of Attendance", "Times-BoldItalic", 28, "center")
    pen.text(w / 2, h - 210, name, "Times-Bold", 22, "center")
    pen.para(
        120,
        h - 250,
        f"attended {a.title} on {any_date(a.date, rng)}. This program was "
        "not designated for AMA PRA Category 1 Credit\u2122; no CME credit is "
        "awarded for it.",
        w - 240,
        "Times-Roman",
        13,
        align="center",
    )
    pen.finish()
    return Drawn(name, [])


def nursing_contact(pen: Pen, cert: Cert, rng: random.Random) -> Drawn:
    """Nursing contact hours for a nurse: no physician credit."""
    a = cert.acts[0]
    name = "Colleen M. Ashby, RN, BSN"
    pen.start(letter)
    w, h = pen.w, pen.h
    pen.text(w / 2, h - 80, a.provider, "Helvetica-Bold", 16, "center")
    pen.text(
        w / 2, h - 130, "Nursing Continuing Professional Development", "Helvetica", 13, "center"
    )
    pen.text(w / 2, h - 180, name, "Helvetica-Bold", 16, "center")
    pen.para(
        80,
        h - 215,
        f"completed {a.title} on {any_date(a.date, rng)} and is awarded "
        f"{amount(a.credits, rng)} ANCC contact hours.",
        w - 160,
        size=12,
        align="center",
    )
    pen.para(
        80,
        h - 290,
        f"{a.provider} is accredited as a provider of nursing continuing "
        "professional development by the American Nurses Credentialing "
        "Center's Commission on Accreditation.",
        w - 160,
        size=9,
    )
    pen.finish()
    return Drawn(name, [])


def fax_cover(pen: Pen, cert: Cert, rng: random.Random) -> Drawn:
    """A fax cover sheet sent ahead of the certificates it covers."""
    p = cert.physician
    assert p
    pen.start(letter)
    w, h = pen.w, pen.h
    pen.text(72, h - 90, "FAX", "Helvetica-Bold", 40)
    y = h - 150
    sent = cert.acts[0].date if cert.acts else dt.date(2026, 10, 1)
    for k, v in (
        ("To", "Medical Staff Office"),
        ("From", f"Office of Dr. {p.last_name}"),
        ("Date", any_date(sent, rng)),
        ("Pages", "including cover"),
        ("Re", "CME certificates for license renewal"),
    ):
        pen.text(72, y, f"{k}:", "Helvetica-Bold", 12)
        pen.text(160, y, v, "Helvetica", 12)
        y -= 26
    pen.para(
        72,
        y - 20,
        "Please find attached the continuing education certificates for the "
        "renewal file. Call with any questions.",
        w - 144,
        size=11,
    )
    pen.finish()
    return Drawn(people.printed_name(p, "dr_first_last"), [])


LAYOUTS: dict[str, Layout] = {
    "portal_completion": portal_completion,
    "label_stack": label_stack,
    "society_meeting": society_meeting,
    "joint_accredited": joint_accredited,
    "state_mandate": state_mandate,
    "insurer_risk": insurer_risk,
    "aoa_certificate": aoa_certificate,
    "aafp_certificate": aafp_certificate,
    "landscape_award": landscape_award,
    "two_column": two_column,
    "attendance_letter": attendance_letter,
    "moc_combo": moc_combo,
    "office_transcript": office_transcript,
    "qbank_statement": qbank_statement,
    "poc_log": poc_log,
    "rss_summary": rss_summary,
    "aoa_activity_report": aoa_activity_report,
    "cat2_form": cat2_form,
    "web_transcript": web_transcript,
    "attendance_only": attendance_only,
    "nursing_contact": nursing_contact,
    "fax_cover": fax_cover,
}
#: Layouts that never carry physician credit.
NON_CREDIT = frozenset({"attendance_only", "nursing_contact", "fax_cover"})
#: Layouts that list several activities, with how many (low, high).
MULTI = {
    "office_transcript": (12, 26),
    "qbank_statement": (3, 7),
    "poc_log": (3, 8),
    "rss_summary": (3, 6),
    "aoa_activity_report": (4, 9),
    "cat2_form": (3, 5),
    "web_transcript": (3, 7),
}
CREDIT_LAYOUTS = tuple(k for k in LAYOUTS if k not in NON_CREDIT)
