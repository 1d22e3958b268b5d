"""Certificate layouts, each modeled on how a kind of real provider prints its certificates.

A layout is a function ``(canvas, spec, rng) -> Drawn``. It sets its own page size, draws one
or more pages (calling ``showPage`` between pages but not after the last), and reports the name
as printed and, for each activity that must become a truth row, the page offset and the
credit type exactly as printed. Variety inside a layout (fonts, accent color, wording, the form
of names, dates and credits, distracting dates) comes from ``rng`` so one layout yields many
looks.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from decimal import Decimal

from reportlab.lib.colors import Color
from reportlab.lib.pagesizes import landscape, letter
from reportlab.pdfgen.canvas import Canvas

from . import vocab
from .draw import Drawn, Pen, initials
from .fmt import DATE_FORMS, NAME_FORMS, fmt_credits, fmt_date, fmt_range, pick, plain, printed_name
from .model import Activity, PageSpec, Physician

Layout = Callable[[Canvas, PageSpec, random.Random], Drawn]

ACCME = (
    "{p} is accredited by the Accreditation Council for Continuing Medical Education (ACCME) "
    "to provide continuing medical education for physicians."
)
DESIGNATION = (
    "{p} designates this {kind} activity for a maximum of {n} {ct}. Physicians should claim "
    "only the credit commensurate with the extent of their participation in the activity."
)


def _name(spec: PageSpec, rng: random.Random, forms: tuple[str, ...] = NAME_FORMS) -> str:
    assert spec.physician is not None
    return printed_name(spec.physician, pick(rng, forms))


def _when(a: Activity, rng: random.Random, forms: tuple[str, ...] = DATE_FORMS) -> str:
    """The activity date as printed: a range for multi-day activities."""
    if a.start is not None and a.start != a.date:
        return fmt_range(a.start, a.date, rng)
    return fmt_date(a.date, pick(rng, forms))


def _issued(a: Activity, rng: random.Random) -> dt.date:
    """A distracting issue/print date a few days to weeks after completion."""
    return a.date + dt.timedelta(days=rng.randint(1, 40))


def _license_line(p: Physician | None, rng: random.Random) -> str:
    if p is None or not p.license_number:
        return ""
    return pick(
        rng,
        (
            "MA License #: {n}",
            "License No. {n} (MA)",
            "State license: MA {n}",
            "Massachusetts Medical License {n}",
        ),
    ).format(n=p.license_number)


def _cert_id(rng: random.Random, prefix: str = "") -> str:
    return f"{prefix}{rng.randint(100000, 999999)}-{rng.choice('ABCDEFGHJK')}{rng.randint(10, 99)}"


def _credit_sentence(a: Activity, rng: random.Random, verb: str = "is awarded") -> tuple[str, str]:
    """ "... is awarded 1.50 AMA PRA Category 1 Credits™"; returns (sentence, credit type)."""
    ct = a.system.printed(a.credits)
    amount = fmt_credits(a.credits, pick(rng, ("two_dp", "two_dp", "one_dp", "plain", "words")))
    return f"{verb} {amount} {ct}", ct


# ---------------------------------------------------------------------------------------------
# 1. Online CME portal: plain, centered, small print; a claim-by date and a print date.
# ---------------------------------------------------------------------------------------------


def portal_plain(c: Canvas, spec: PageSpec, rng: random.Random) -> Drawn:
    """Plain certificate printed from an online CME portal."""
    c.setPageSize(letter)
    pen = Pen(c, rng, "helv")
    a = spec.activities[0]
    w, h = letter
    name = _name(spec, rng)
    pen.logo(54, h - 90, initials(a.provider))
    pen.text(94, h - 72, a.provider, 1, 13, color=pen.accent)
    pen.text(
        94,
        h - 86,
        pick(rng, ("www.medlearn-cme.example", "Online Learning Center", "Education portal")),
        0,
        8.5,
    )
    pen.rule(54, h - 104, w - 54, 1.5)
    pen.text(
        w / 2,
        h - 170,
        pick(rng, ("Certificate of Completion", "CME Certificate", "Certificate of Credit")),
        1,
        24,
        "center",
    )
    pen.text(w / 2, h - 215, "This certifies that", 0, 12, "center")
    pen.text(w / 2, h - 250, name, 1, 20, "center")
    pen.text(
        w / 2,
        h - 285,
        pick(
            rng,
            (
                "has completed the enduring material",
                "has completed",
                "has successfully completed the online activity",
            ),
        ),
        0,
        12,
        "center",
    )
    y = pen.para(90, h - 315, a.title, w - 180, 1, 14, align="center")
    sent, ct = _credit_sentence(
        a, rng, pick(rng, ("and is awarded", "and has been awarded", "and is awarded a total of"))
    )
    y = pen.para(80, y - 12, sent + ".", w - 160, 0, 12, align="center")
    pen.text(w / 2, y - 14, f"Date of completion: {_when(a, rng)}", 0, 11, "center")
    lic = _license_line(spec.physician, rng)
    if lic and rng.random() < 0.5:
        pen.text(w / 2, y - 32, lic, 0, 10, "center")
    pen.para(72, 250, ACCME.format(p=a.provider), w - 144, 0, 8.5)
    pen.para(
        72,
        215,
        DESIGNATION.format(
            p=a.provider,
            kind="enduring material",
            n=fmt_credits(a.max_credits or a.credits, "two_dp"),
            ct=a.system.plural,
        ),
        w - 144,
        0,
        8.5,
    )
    pen.signature(72, 130, pick_signer(rng))
    pen.text(w - 72, 130, f"Certificate ID: {_cert_id(rng, 'C')}", 0, 8.5, "right")
    pen.text(
        w - 72,
        118,
        f"Claim credit by: {fmt_date(a.date + dt.timedelta(days=365), 'long')}",
        0,
        8.5,
        "right",
    )
    pen.text(w / 2, 40, f"Printed on {fmt_date(_issued(a, rng), 'us_slash')}", 0, 7.5, "center")
    return Drawn(name, [(0, a, ct)])


def pick_signer(rng: random.Random) -> tuple[str, str]:
    """A fictional signer and role."""
    return vocab.SIGNERS[rng.randrange(len(vocab.SIGNERS))]


# ---------------------------------------------------------------------------------------------
# 2. Hospital grand rounds: "attended"; a series table when several sessions are listed.
# ---------------------------------------------------------------------------------------------


def grand_rounds(c: Canvas, spec: PageSpec, rng: random.Random) -> Drawn:
    """Hospital department grand rounds certificate (attendance with credit)."""
    c.setPageSize(letter)
    pen = Pen(c, rng, "times")
    w, h = letter
    acts = spec.activities
    prov = acts[0].provider
    dept = pick(
        rng,
        (
            "Department of Medicine",
            "Department of Pediatrics",
            "Department of Family Medicine",
            "Department of Surgery",
        ),
    )
    pen.text(w / 2, h - 70, prov.upper(), 1, 16, "center", pen.accent)
    pen.text(
        w / 2, h - 88, f"{dept} \u00b7 Office of Continuing Medical Education", 0, 10, "center"
    )
    pen.rule(72, h - 98, w - 72, 1)
    pen.text(w / 2, h - 150, "Grand Rounds", 3, 30, "center", pen.accent)
    pen.text(w / 2, h - 175, "Certificate of Attendance and Credit", 0, 13, "center")
    name = _name(spec, rng)
    pen.text(w / 2, h - 220, name, 1, 18, "center")
    lic = _license_line(spec.physician, rng)
    if lic:
        pen.text(w / 2, h - 236, lic, 0, 9, "center")
    drawn = Drawn(name)
    if len(acts) == 1:
        a = acts[0]
        y = pen.para(
            80, h - 270, "attended the Grand Rounds presentation", w - 160, 0, 12, align="center"
        )
        y = pen.para(80, y - 4, f"\u201c{a.title}\u201d", w - 160, 3, 15, align="center")
        pen.text(
            w / 2,
            y - 8,
            f"held on {_when(a, rng)}, 12:00 - 1:00 PM, "
            f"{pick(rng, ('Amphitheater A', 'Main Auditorium', 'Webex'))}",
            0,
            11,
            "center",
        )
        sent, ct = _credit_sentence(a, rng, "and was awarded")
        pen.text(w / 2, y - 30, sent + ".", 0, 12, "center")
        drawn.rows.append((0, a, ct))
    else:
        pen.text(w / 2, h - 262, "attended the following Grand Rounds sessions:", 0, 12, "center")
        y = h - 295
        cols = (72, 160, w - 150)
        pen.text(cols[0], y, "Date", 1, 10)
        pen.text(cols[1], y, "Topic", 1, 10)
        pen.text(cols[2], y, "Credits", 1, 10)
        pen.rule(72, y - 5, w - 72, 0.6)
        y -= 22
        df = pick(rng, ("us_slash", "d_mon_y", "mon_dot"))
        for a in acts:
            pen.text(cols[0], y, fmt_date(a.date, df), 0, 10)
            y2 = pen.para(cols[1], y, a.title, cols[2] - cols[1] - 12, 0, 10)
            pen.text(cols[2], y, fmt_credits(a.credits, "two_dp"), 0, 10)
            y = min(y2, y - 13) - 8
            drawn.rows.append((0, a, acts[0].system.plural))
        pen.text(72, y - 6, f"Credit type: {acts[0].system.plural}", 2, 10)
    pen.para(
        72,
        190,
        DESIGNATION.format(
            p=prov,
            kind="regularly scheduled series",
            n="1.00 per session",
            ct=acts[0].system.plural,
        ),
        w - 144,
        0,
        8.5,
    )
    pen.signature(72, 110, pick_signer(rng))
    pen.text(w - 72, 110, f"Issued {fmt_date(_issued(acts[-1], rng), 'long')}", 0, 9, "right")
    return drawn


# ---------------------------------------------------------------------------------------------
# 3. Specialty society annual meeting: date range, claimed vs maximum, MOC aside.
# ---------------------------------------------------------------------------------------------


def annual_meeting(c: Canvas, spec: PageSpec, rng: random.Random) -> Drawn:
    """Specialty-society annual meeting certificate: range, claimed credits, maximum."""
    c.setPageSize(letter)
    pen = Pen(c, rng)
    w, h = letter
    a = spec.activities[0]
    soc = a.provider
    abbrev = initials(soc)
    c.setFillColor(pen.accent)
    c.rect(0, h - 110, w, 110, stroke=0, fill=1)
    pen.text(54, h - 55, soc, 1, 17, color=Color(1, 1, 1))
    pen.text(54, h - 78, a.title, 0, 13, color=Color(1, 1, 1))
    pen.text(
        54,
        h - 96,
        f"{_when(a, rng)} \u00b7 {a.venue or pick(rng, vocab.MEETING_CITIES)}",
        0,
        10,
        color=Color(1, 1, 1),
    )
    pen.text(54, h - 160, "CME Credit Certificate", 1, 22)
    name = _name(spec, rng)
    pen.text(54, h - 200, pick(rng, ("Participant:", "Attendee:", "Name:")), 0, 11)
    pen.text(140, h - 200, name, 1, 14)
    if rng.random() < 0.6:
        pen.text(54, h - 218, pick(rng, ("Member ID:", "Registration #:")), 0, 10)
        pen.text(140, h - 218, str(rng.randint(1000000, 9999999)), 0, 10)
    ct = a.system.printed(a.credits)
    claimed = fmt_credits(a.credits, pick(rng, ("two_dp", "one_dp", "plain")))
    maxn = fmt_credits(a.max_credits or a.credits, pick(rng, ("plain", "two_dp")))
    y = pen.para(
        54,
        h - 260,
        DESIGNATION.format(p=f"The {soc}", kind="live", n=maxn, ct=a.system.plural),
        w - 108,
        0,
        10,
    )
    y = pen.para(
        54,
        y - 8,
        f"The physician named above has claimed {claimed} {ct} for participation in the {a.title}.",
        w - 108,
        0,
        12,
    )
    if a.moc_points is not None:
        y = pen.para(
            54,
            y - 6,
            f"Successful completion of this CME activity enables the "
            f"participant to earn up to {plain(a.moc_points)} Medical Knowledge MOC "
            f"points in the ABIM Maintenance of Certification (MOC) program.",
            w - 108,
            2,
            9.5,
        )
    # A session transcript snippet: sessions with their own maxima, distracting numbers.
    y -= 14
    pen.text(54, y, "Sessions attended (selected)", 1, 10)
    y -= 14
    for _ in range(rng.randint(2, 4)):
        t = pick(rng, vocab.CLINICAL_TITLES)
        pen.text(64, y, f"\u2022 {t}", 0, 9)
        y -= 12
    pen.para(54, 170, ACCME.format(p=f"The {soc}"), w - 108, 0, 8.5)
    pen.signature(54, 100, pick_signer(rng))
    pen.text(
        w - 54,
        100,
        f"{abbrev} \u00b7 Certificate generated {fmt_date(_issued(a, rng), 'd_mon_y')}",
        0,
        8.5,
        "right",
    )
    return Drawn(name, [(0, a, ct)])


# ---------------------------------------------------------------------------------------------
# 4. Osteopathic: AOA Category 1-A / 2-B, one line per credit category.
# ---------------------------------------------------------------------------------------------


def osteopathic(c: Canvas, spec: PageSpec, rng: random.Random) -> Drawn:
    """Osteopathic CME certificate with AOA category lines."""
    c.setPageSize(letter)
    pen = Pen(c, rng, "times")
    w, h = letter
    acts = spec.activities
    prov = acts[0].provider
    pen.border(30, True)
    pen.text(w / 2, h - 90, prov, 1, 17, "center", pen.accent)
    pen.text(w / 2, h - 108, "Accredited by the American Osteopathic Association", 2, 10, "center")
    pen.text(w / 2, h - 160, "Certificate of CME Credit", 1, 24, "center")
    name = _name(spec, rng, ("full_middle_deg_hon", "first_mi_last_deg", "upper_full"))
    pen.text(w / 2, h - 200, "presented to", 2, 11, "center")
    pen.text(w / 2, h - 230, name, 1, 19, "center")
    aoa = f"AOA No. {rng.randint(100000, 999999)}"
    pen.text(w / 2, h - 248, aoa, 0, 9, "center")
    y = h - 290
    drawn = Drawn(name)
    for a in acts:
        y = pen.para(90, y, a.title, w - 180, 1, 13, align="center")
        pen.text(w / 2, y - 2, _when(a, rng), 0, 11, "center")
        ct = a.system.printed(a.credits)
        pen.text(w / 2, y - 22, f"{fmt_credits(a.credits, 'two_dp')} {ct}", 1, 12, "center")
        drawn.rows.append((0, a, ct))
        y -= 52
    pen.para(
        72,
        170,
        f"{prov} is accredited by the American Osteopathic Association to "
        "provide osteopathic continuing medical education for physicians. Category 1-A "
        "credit is awarded for formal, face-to-face osteopathic CME.",
        w - 144,
        0,
        8.5,
    )
    pen.seal(w - 120, 110, 38, "AOA CME")
    pen.signature(72, 100, pick_signer(rng))
    return drawn


# ---------------------------------------------------------------------------------------------
# 5. Family medicine: AAFP Prescribed / Elective; "reviewed and deemed acceptable for up to".
# ---------------------------------------------------------------------------------------------


def aafp(c: Canvas, spec: PageSpec, rng: random.Random) -> Drawn:
    """Family-medicine certificate in AAFP credit terms."""
    c.setPageSize(letter)
    pen = Pen(c, rng, "helv")
    w, h = letter
    a = spec.activities[0]
    pen.logo(w / 2 - 20, h - 95, initials(a.provider), 40)
    pen.text(w / 2, h - 115, a.provider, 1, 14, "center", pen.accent)
    pen.text(w / 2, h - 170, "CERTIFICATE OF PARTICIPATION", 1, 20, "center")
    name = _name(spec, rng)
    pen.text(w / 2, h - 210, name, 1, 18, "center")
    pen.rule(150, h - 216, w - 150, 0.6)
    pen.text(w / 2, h - 245, "has participated in", 0, 11, "center")
    y = pen.para(90, h - 270, a.title, w - 180, 1, 14, align="center")
    pen.text(w / 2, y - 4, f"{a.venue or 'Live activity'}, {_when(a, rng)}", 0, 11, "center")
    ct = a.system.printed(a.credits)
    amount = fmt_credits(a.credits, pick(rng, ("two_dp", "plain", "words")))
    y = pen.para(80, y - 36, f"and has reported {amount} {ct}.", w - 160, 1, 12, align="center")
    up_to = a.max_credits or a.credits
    pen.para(
        72,
        210,
        f"This Live activity, {a.title}, with a beginning date of "
        f"{fmt_date(a.start or a.date, 'long')}, has been reviewed and is acceptable for up "
        f"to {fmt_credits(up_to, 'two_dp')} {a.system.plural} by the American Academy of "
        "Family Physicians. Physicians should claim only the credit commensurate with the "
        "extent of their participation in the activity.",
        w - 144,
        0,
        8.5,
    )
    pen.text(72, 150, f"AAFP member #: {rng.randint(100000, 999999)}", 0, 9)
    pen.signature(w - 260, 110, pick_signer(rng))
    return Drawn(name, [(0, a, ct)])


# ---------------------------------------------------------------------------------------------
# 6. State-mandated topic course: names the MA requirement it fulfils; license number printed.
# ---------------------------------------------------------------------------------------------

_MANDATE_NOTE = {
    "opioid_pain": "meets the Massachusetts Board of Registration in Medicine requirement for "
    "education in pain management and opioid prescribing",
    "end_of_life": "meets the Massachusetts requirement for education in end-of-life care",
    "implicit_bias": "satisfies the Massachusetts Board's one-time implicit bias requirement",
    "child_abuse": "fulfils the mandated reporter training for Massachusetts physicians",
    "domestic_violence": "is approved by the Massachusetts Department of Public Health as a "
    "domestic and sexual violence training (M.G.L. c. 112, s. 264)",
    "dementia": "fulfils the Massachusetts training requirement on Alzheimer's disease and "
    "related dementias",
    "ehr": "meets the Massachusetts requirement for demonstrated proficiency in the use of "
    "electronic health records",
    "board_regulations": "addresses the Board of Registration in Medicine regulations",
    "risk_management": "qualifies as risk management study under 243 CMR 2.06",
}


def state_mandate(c: Canvas, spec: PageSpec, rng: random.Random) -> Drawn:
    """Massachusetts mandated-topic course certificate."""
    c.setPageSize(letter)
    pen = Pen(c, rng)
    w, h = letter
    a = spec.activities[0]
    c.setFillColor(Color(0.93, 0.93, 0.93))
    c.rect(40, h - 130, w - 80, 90, stroke=0, fill=1)
    pen.text(56, h - 70, a.provider, 1, 15, color=pen.accent)
    pen.text(56, h - 88, "Massachusetts Mandated Education Series", 2, 11)
    pen.text(56, h - 110, f"Course code: MA-{rng.randint(100, 999)}-{a.date.year}", 0, 9)
    pen.text(56, h - 175, "Certificate of Completion", 1, 22)
    name = _name(spec, rng)
    rows = [
        ("Participant", name),
        ("License", _license_line(spec.physician, rng) or "-"),
        ("Course", a.title),
        ("Completed", _when(a, rng)),
    ]
    ct = a.system.printed(a.credits)
    rows.append(
        ("Credit", f"{fmt_credits(a.credits, pick(rng, ('two_dp', 'words', 'plain')))} {ct}")
    )
    y = h - 215
    for label, val in rows:
        pen.text(56, y, f"{label}:", 1, 11)
        y = min(pen.para(150, y, val, w - 210, 0, 11), y - 14) - 8
    topic = a.topics[0] if a.topics else "risk_management"
    note = _MANDATE_NOTE.get(topic, _MANDATE_NOTE["risk_management"])
    y = pen.para(56, y - 10, f"This course {note}.", w - 112, 2, 10)
    pen.para(
        56,
        y - 8,
        "Keep this certificate for your records. The Board may request proof of "
        "completion during an audit. Certificates are valid for one full licensing cycle "
        f"after issue (issued {fmt_date(_issued(a, rng), 'us_slash')}).",
        w - 112,
        0,
        9,
    )
    pen.para(56, 180, ACCME.format(p=a.provider), w - 112, 0, 8.5)
    pen.signature(56, 110, pick_signer(rng))
    return Drawn(name, [(0, a, ct)])


# ---------------------------------------------------------------------------------------------
# 7. Malpractice insurer risk-management seminar: premium-discount fine print as distractor.
# ---------------------------------------------------------------------------------------------


def risk_insurer(c: Canvas, spec: PageSpec, rng: random.Random) -> Drawn:
    """Risk-management seminar certificate from a professional liability insurer."""
    c.setPageSize(letter)
    pen = Pen(c, rng, "helv")
    w, h = letter
    a = spec.activities[0]
    pen.text(54, h - 64, a.provider.upper(), 1, 12, color=pen.accent)
    pen.text(54, h - 78, "Department of Patient Safety & Risk Management", 0, 9.5)
    pen.rule(54, h - 86, w - 54, 2.5)
    pen.text(54, h - 140, "Risk Management Education", 1, 20)
    pen.text(54, h - 162, "Certificate of Completion", 0, 14)
    name = _name(spec, rng)
    y = pen.para(
        54,
        h - 205,
        f"{name} completed the {a.venue.lower() or 'live seminar'} "
        f"\u201c{a.title}\u201d on {_when(a, rng)}.",
        w - 108,
        0,
        12,
    )
    sent, ct = _credit_sentence(a, rng, "Credit awarded:")
    pen.text(54, y - 10, sent, 1, 12)
    y -= 40
    pen.text(
        54,
        y,
        f"Policy number: {rng.choice('BPMA')}{rng.randint(10000, 99999)}-{rng.randint(10, 99)}",
        0,
        10,
    )
    nxt = a.date.year + 1
    pen.text(
        54,
        y - 14,
        f"Premium credit period: {fmt_date(dt.date(nxt, 1, 1), 'long')} to "
        f"{fmt_date(dt.date(nxt, 12, 31), 'long')}",
        0,
        10,
    )
    pen.para(
        54,
        y - 40,
        "Completion of this program qualifies insured physicians for a 5% "
        "premium credit on renewal. Premium credit is not CME credit and has no bearing on "
        "the number of credits shown above. This program qualifies as risk management "
        "study for Massachusetts license renewal.",
        w - 108,
        2,
        9,
    )
    pen.para(54, 190, ACCME.format(p=a.provider), w - 108, 0, 8.5)
    pen.signature(54, 115, pick_signer(rng))
    return Drawn(name, [(0, a, ct)])


# ---------------------------------------------------------------------------------------------
# 8. Fancy landscape: double border, corner ornaments, script-like italic name, gold seal.
# ---------------------------------------------------------------------------------------------


def fancy_landscape(c: Canvas, spec: PageSpec, rng: random.Random) -> Drawn:
    """Decorative landscape certificate with borders and a script-like italic face."""
    c.setPageSize(landscape(letter))
    pen = Pen(c, rng, "times")
    w, h = landscape(letter)
    a = spec.activities[0]
    pen.border(22, True)
    c.setStrokeColor(pen.accent)
    for cx, cy in ((48, 48), (w - 48, 48), (48, h - 48), (w - 48, h - 48)):
        c.circle(cx, cy, 9)
        c.circle(cx, cy, 4)
    pen.text(w / 2, h - 88, a.provider, 1, 16, "center", pen.accent)
    pen.text(w / 2, h - 140, "Certificate of Achievement", 3, 36, "center")
    pen.text(w / 2, h - 175, "is hereby presented to", 2, 13, "center")
    name = _name(
        spec,
        rng,
        ("first_mi_last_deg", "first_last_md_dots_hon", "dr_first_mi_last", "full_middle_deg_hon"),
    )
    pen.text(w / 2, h - 222, name, 3, 30, "center")
    pen.rule(160, h - 232, w - 160, 0.8)
    pen.text(w / 2, h - 262, "in recognition of the successful completion of", 2, 13, "center")
    y = pen.para(110, h - 290, a.title, w - 220, 1, 17, align="center")
    sent, ct = _credit_sentence(a, rng, "for which is awarded")
    pen.text(w / 2, y - 4, f"{_when(a, rng)} \u2014 {sent}", 2, 12.5, "center")
    pen.seal(w / 2, 110, 44, "SEAL")
    # Two different people sign decorative certificates (director and chair).
    first, second = rng.sample(vocab.SIGNERS, 2)
    pen.signature(90, 100, first)
    pen.signature(w - 270, 100, second)
    return Drawn(name, [(0, a, ct)])


# ---------------------------------------------------------------------------------------------
# 9. Table style: boxed label | value rows, one block per activity.
# ---------------------------------------------------------------------------------------------


def table_style(c: Canvas, spec: PageSpec, rng: random.Random) -> Drawn:
    """Form-like certificate: a boxed table of label/value rows, one block per activity."""
    c.setPageSize(letter)
    pen = Pen(c, rng)
    w, h = letter
    acts = spec.activities
    pen.text(54, h - 70, acts[0].provider, 1, 15, color=pen.accent)
    pen.text(
        54,
        h - 100,
        pick(
            rng,
            (
                "Continuing Medical Education - Credit Verification",
                "Record of CME Participation",
                "CME Credit Statement",
            ),
        ),
        1,
        14,
    )
    name = _name(spec, rng)
    y = h - 135
    head = [("Physician", name)]
    lic = _license_line(spec.physician, rng)
    if lic:
        head.append(("License", lic.split(":")[-1].strip() if ":" in lic else lic))
    head.append(("Statement date", fmt_date(_issued(acts[-1], rng), pick(rng, DATE_FORMS))))
    lx, vx, rx = 54, 200, w - 54

    def row(label: str, val: str, yy: float) -> float:
        pen.text(lx + 6, yy - 14, label, 1, 10)
        yb = pen.para(vx + 6, yy - 14, val, rx - vx - 12, 0, 10, leading=13)
        bottom = min(yb + 13 - 8, yy - 20)
        c.setStrokeColor(Color(0.4, 0.4, 0.4))
        c.setLineWidth(0.5)
        c.rect(lx, bottom, rx - lx, yy - bottom)
        c.line(vx, bottom, vx, yy)
        return bottom

    for label, val in head:
        y = row(label, val, y)
    drawn = Drawn(name)
    df = pick(rng, DATE_FORMS)
    for i, a in enumerate(acts):
        y -= 16
        label = f"Activity {i + 1}" if len(acts) > 1 else "Activity"
        pen.text(lx, y, label, 1, 11, color=pen.accent)
        y -= 4
        ct = a.system.printed(a.credits)
        fields = [
            ("Title", a.title),
            ("Provider", a.provider),
            ("Format", a.venue or "Live"),
            ("Date(s)", fmt_range(a.start, a.date, rng) if a.start else fmt_date(a.date, df)),
            ("Credits earned", fmt_credits(a.credits, "two_dp")),
            ("Credit type", ct),
        ]
        if a.max_credits:
            fields.insert(5, ("Max. designated", fmt_credits(a.max_credits, "two_dp")))
        for label, val in fields:
            y = row(label, val, y)
        drawn.rows.append((0, a, ct))
    if y > 90:
        pen.para(
            54,
            y - 24,
            "This statement is issued for the physician's records. "
            + ACCME.format(p=acts[0].provider),
            w - 108,
            0,
            8.5,
        )
    return drawn


# ---------------------------------------------------------------------------------------------
# 10. Letter style: letterhead, address block, "Dear Dr. ..."; credits mentioned in prose.
# ---------------------------------------------------------------------------------------------


def letter_style(c: Canvas, spec: PageSpec, rng: random.Random) -> Drawn:
    """A confirmation letter on letterhead stating the credits in prose."""
    c.setPageSize(letter)
    pen = Pen(c, rng, "times")
    w, h = letter
    acts = spec.activities
    p = spec.physician
    assert p is not None
    prov = acts[0].provider
    pen.text(72, h - 66, prov, 1, 15, color=pen.accent)
    street = pick(rng, ("Longwood", "Commonwealth", "Main", "Water"))
    pen.text(
        72,
        h - 80,
        f"{rng.randint(10, 999)} {street}"
        f" Street \u00b7 {pick(rng, ('Boston', 'Worcester', 'Lowell', 'Salem'))}, MA "
        f"0{rng.randint(1000, 2799)}",
        0,
        9,
    )
    pen.rule(72, h - 88, w - 72, 0.8)
    letter_date = _issued(acts[-1], rng)
    pen.text(72, h - 125, fmt_date(letter_date, "long"), 0, 11)
    name = _name(spec, rng, ("first_mi_last_deg", "first_last_md_dots_hon", "upper_full"))
    y = h - 160
    for line in (
        name,
        f"{rng.randint(1, 400)} {pick(rng, ('Elm', 'Maple', 'Harbor', 'Pine'))} Avenue",
        f"{pick(rng, ('Newton', 'Quincy', 'Framingham', 'Beverly'))}, MA "
        f"0{rng.randint(1000, 2799)}",
    ):
        pen.text(72, y, line, 0, 11)
        y -= 14
    salutation = f"Dear Dr. {p.last_name}:"
    pen.text(72, y - 20, salutation, 0, 11)
    y -= 48
    drawn = Drawn(name)
    if len(acts) == 1:
        a = acts[0]
        sent, ct = _credit_sentence(a, rng, "has designated this activity for")
        body = (
            f"This letter confirms that you completed \u201c{a.title}\u201d on "
            f"{_when(a, rng)}. {prov} {sent}, and our records show you claimed "
            f"{fmt_credits(a.credits, 'two_dp')} credits."
        )
        y = pen.para(72, y, body, w - 144, 0, 11.5, leading=16)
        drawn.rows.append((0, a, ct))
    else:
        y = pen.para(
            72,
            y,
            "Our records show that you completed the following activities, "
            "for which you have been awarded the credits listed:",
            w - 144,
            0,
            11.5,
            leading=16,
        )
        y -= 6
        for a in acts:
            ct = a.system.printed(a.credits)
            y = pen.para(
                90,
                y,
                f"\u2022 {a.title} \u2014 {_when(a, rng)} \u2014 "
                f"{fmt_credits(a.credits, 'two_dp')} {ct}",
                w - 170,
                0,
                11,
                leading=15,
            )
            drawn.rows.append((0, a, ct))
    y = pen.para(
        72,
        y - 12,
        "Please retain this letter with your continuing education records. "
        "Should the Board of Registration in Medicine request documentation, this letter "
        "serves as your certificate of credit.",
        w - 144,
        0,
        11.5,
        leading=16,
    )
    pen.text(72, y - 20, "Sincerely,", 0, 11)
    pen.signature(72, y - 70, pick_signer(rng))
    return drawn


# ---------------------------------------------------------------------------------------------
# 11. Multi-page transcript: repeated header and footer, a totals row that is no activity.
# ---------------------------------------------------------------------------------------------

_SHORT_TYPE = {
    "ama1": "AMA PRA Cat 1",
    "ama2": "AMA PRA Cat 2",
    "aoa1a": "AOA 1-A",
    "aoa1b": "AOA 1-B",
    "aoa2a": "AOA 2-A",
    "aoa2b": "AOA 2-B",
    "aafp_p": "AAFP Prescribed",
    "aafp_e": "AAFP Elective",
    "self2": "Category 2",
    "hours1": "AMA PRA Cat 1",
}


def transcript(c: Canvas, spec: PageSpec, rng: random.Random) -> Drawn:
    """A CME transcript report: one row per activity over several pages."""
    c.setPageSize(letter)
    fam = rng.choice(["helv", "helv", "courier"])
    w, h = letter
    acts = sorted(spec.activities, key=lambda a: (a.date, a.title))
    issuer = pick(rng, vocab.TRANSCRIPT_ISSUERS)
    name = _name(spec, rng, ("last_comma_first_upper", "last_comma_first_mi", "first_mi_last_deg"))
    p = spec.physician
    assert p is not None
    period_start = min(a.date for a in acts).replace(day=1)
    period_end = max(a.date for a in acts) + dt.timedelta(days=rng.randint(3, 30))
    df = pick(rng, ("us_slash", "iso", "dd_mon_yyyy"))
    size = 8.5 if fam == "helv" else 7.5
    per_page = rng.randint(13, 17)
    pages = [acts[i : i + per_page] for i in range(0, len(acts), per_page)]
    drawn = Drawn(name, pages=len(pages))
    cols = (40, 100, 300, 440, w - 40)
    total = Decimal(0)
    for pi, chunk in enumerate(pages):
        pen = Pen(c, random.Random(spec.seed), fam)
        pen.text(40, h - 50, issuer, 1, 13, color=pen.accent)
        pen.text(w - 40, h - 50, "CME TRANSCRIPT", 1, 13, "right")
        pen.text(40, h - 70, f"Name: {name}", 0, 10)
        pen.text(
            40,
            h - 84,
            f"ID: {p.physician_id[-3:]}{p.license_number[-4:]}   License: MA {p.license_number}",
            0,
            9,
        )
        pen.text(
            w - 40,
            h - 70,
            f"Report period: {fmt_date(period_start, df)} - {fmt_date(period_end, df)}",
            0,
            9,
            "right",
        )
        pen.text(w - 40, h - 84, f"Run date: {fmt_date(period_end, df)}", 0, 9, "right")
        y = h - 115
        c.setFillColor(Color(0.88, 0.88, 0.88))
        c.rect(36, y - 5, w - 72, 16, stroke=0, fill=1)
        c.setFillColor(Color(0, 0, 0))
        for x, lab in zip(
            cols[:4], ("Date", "Activity Title", "Provider", "Credit Type"), strict=True
        ):
            pen.text(x, y, lab, 1, size + 0.5)
        pen.text(cols[4], y, "Credits", 1, size + 0.5, "right")
        y -= 20
        for a in chunk:
            pen.text(cols[0], y, fmt_date(a.date, df), 0, size)
            y1 = pen.para(cols[1], y, a.title, cols[2] - cols[1] - 8, 0, size, leading=size + 2)
            y2 = pen.para(cols[2], y, a.provider, cols[3] - cols[2] - 8, 0, size, leading=size + 2)
            short = _SHORT_TYPE[a.system.key]
            pen.text(cols[3], y, short, 0, size)
            pen.text(cols[4], y, fmt_credits(a.credits, "two_dp"), 0, size, "right")
            drawn.rows.append((pi, a, short))
            total += a.credits
            y = min(y1, y2) - 6
            pen.rule(40, y + size - 1, w - 40, 0.3, Color(0.6, 0.6, 0.6))
            y -= 4
        if pi == len(pages) - 1:
            pen.rule(40, y + 6, w - 40, 1.2, Color(0, 0, 0))
            pen.text(cols[1], y - 8, "TOTAL CREDITS", 1, size + 0.5)
            pen.text(cols[4], y - 8, fmt_credits(total, "two_dp"), 1, size + 0.5, "right")
        pen.text(
            40,
            40,
            f"{issuer} \u00b7 This transcript lists activities reported to us; it is "
            "not a license.",
            0,
            7.5,
        )
        pen.text(w - 40, 40, f"Page {pi + 1} of {len(pages)}", 0, 8, "right")
        if pi != len(pages) - 1:
            c.showPage()
    return drawn


# ---------------------------------------------------------------------------------------------
# 12. Category 2 self-report log: a filled-in form; rows are the physician's own entries.
# ---------------------------------------------------------------------------------------------


def cat2_log(c: Canvas, spec: PageSpec, rng: random.Random) -> Drawn:
    """A physician's Category 2 self-report log (printed form, typed entries)."""
    c.setPageSize(landscape(letter))
    pen = Pen(c, rng, "helv")
    w, h = landscape(letter)
    acts = spec.activities
    pen.text(40, h - 50, "AMA PRA Category 2 Credit\u2122 \u2014 Self-Reported Learning Log", 1, 15)
    name = _name(spec, rng, ("first_mi_last_deg", "first_last", "last_comma_first_mi"))
    pen.text(40, h - 74, f"Physician: {name}", 0, 11)
    lic = _license_line(spec.physician, rng)
    if lic:
        pen.text(360, h - 74, lic, 0, 10)
    pen.text(
        w - 40,
        h - 74,
        f"Cycle: {fmt_date(acts[0].date.replace(month=1, day=1), 'us_slash')}"
        f" - {fmt_date(acts[-1].date.replace(month=12, day=31), 'us_slash')}",
        0,
        9,
        "right",
    )
    cols = (40, 120, 420, 600, w - 40)
    y = h - 110
    for x, lab in zip(
        cols[:4], ("Date", "Activity / Description", "Source", "Credit type"), strict=True
    ):
        pen.text(x, y, lab, 1, 10)
    pen.text(cols[4], y, "Hours", 1, 10, "right")
    pen.rule(40, y - 5, w - 40, 1, Color(0, 0, 0))
    y -= 22
    df = pick(rng, ("us_slash", "iso", "mon_dot"))
    drawn = Drawn(name)
    for a in acts:
        pen.text(cols[0], y, fmt_date(a.date, df), 0, 9.5)
        y1 = pen.para(cols[1], y, a.title, cols[2] - cols[1] - 10, 0, 9.5, leading=12)
        y2 = pen.para(cols[2], y, a.provider, cols[3] - cols[2] - 10, 0, 9.5, leading=12)
        ct = a.system.printed(a.credits)
        pen.para(cols[3], y, ct, cols[4] - cols[3] - 40, 0, 9, leading=11)
        pen.text(cols[4], y, fmt_credits(a.credits, "one_dp"), 0, 9.5, "right")
        drawn.rows.append((0, a, ct))
        y = min(y1, y2, y - 22) - 6
        pen.rule(40, y + 10, w - 40, 0.3, Color(0.5, 0.5, 0.5))
    pen.text(40, 60, "I attest that the activities above were completed as described.", 2, 9)
    pen.signature(w - 260, 50, (name, "Physician"))
    return drawn


# ---------------------------------------------------------------------------------------------
# 13. Labels below values: underlined blanks with small captions underneath.
# ---------------------------------------------------------------------------------------------


def labels_below(c: Canvas, spec: PageSpec, rng: random.Random) -> Drawn:
    """Certificate whose fields are values on lines with the captions printed below."""
    c.setPageSize(letter)
    pen = Pen(c, rng)
    w, h = letter
    a = spec.activities[0]
    pen.border(36, False)
    pen.text(w / 2, h - 100, a.provider, 1, 15, "center", pen.accent)
    pen.text(
        w / 2, h - 140, pick(rng, ("CME CERTIFICATE", "CERTIFICATE OF CREDIT")), 1, 22, "center"
    )
    name = _name(spec, rng)
    ct = a.system.printed(a.credits)

    def field(x: float, y: float, width: float, val: str, cap: str, size: float = 12) -> None:
        pen.text(x + width / 2, y + 4, val, 0, size, "center")
        pen.rule(x, y, x + width, 0.7, Color(0, 0, 0))
        pen.text(x + width / 2, y - 11, cap, 2, 8, "center")

    field(80, h - 210, w - 160, name, "Participant name", 16)
    if len(a.title) < 62:
        field(80, h - 270, w - 160, a.title, "Activity title", 11)
    else:
        # Long titles wrap onto two lines above the rule, as filled-in forms do.
        pen.para(80, h - 252, a.title, w - 160, 0, 11, leading=14, align="center")
        field(80, h - 270, w - 160, "", "Activity title", 11)
    field(80, h - 330, 200, _when(a, rng, ("long", "us_slash", "d_mon_y")), "Date of activity")
    field(
        w - 280,
        h - 330,
        200,
        fmt_credits(a.credits, pick(rng, ("two_dp", "plain"))),
        "Credits claimed",
    )
    field(80, h - 390, w - 160, ct, "Type of credit")
    field(80, h - 450, 200, fmt_date(_issued(a, rng), "us_slash"), "Date issued")
    field(w - 280, h - 450, 200, a.venue or "Live", "Format")
    pen.para(80, 220, ACCME.format(p=a.provider), w - 160, 0, 8.5)
    pen.signature(w / 2 - 85, 140, pick_signer(rng))
    return Drawn(name, [(0, a, ct)])


# ---------------------------------------------------------------------------------------------
# 14. Two columns: activity details on the left, participant and credit on the right.
# ---------------------------------------------------------------------------------------------


def two_column(c: Canvas, spec: PageSpec, rng: random.Random) -> Drawn:
    """Two-column certificate: a colored side panel and a details panel."""
    c.setPageSize(letter)
    pen = Pen(c, rng, "helv")
    w, h = letter
    a = spec.activities[0]
    c.setFillColor(Color(0.92, 0.94, 0.97))
    c.rect(0, 0, 210, h, stroke=0, fill=1)
    pen.logo(30, h - 90, initials(a.provider), 44)
    y = pen.para(30, h - 120, a.provider, 160, 1, 12)
    y = pen.para(30, y - 20, "ACTIVITY", 160, 1, 9)
    y = pen.para(30, y, a.title, 160, 0, 10.5)
    y = pen.para(30, y - 12, "FORMAT", 160, 1, 9)
    y = pen.para(30, y, a.venue or "Live webinar", 160, 0, 10.5)
    y = pen.para(30, y - 12, "ACTIVITY DATE", 160, 1, 9)
    y = pen.para(30, y, _when(a, rng), 160, 0, 10.5)
    y = pen.para(30, y - 12, "ACCREDITATION", 160, 1, 9)
    pen.para(30, y, ACCME.format(p=a.provider), 160, 0, 8)
    x0 = 250
    pen.text(x0, h - 100, "Certificate", 1, 30, color=pen.accent)
    pen.text(x0, h - 126, "of CME credit", 0, 16)
    name = _name(spec, rng)
    pen.text(x0, h - 190, "Awarded to", 2, 10)
    pen.para(x0, h - 210, name, w - x0 - 40, 1, 17)
    ct = a.system.printed(a.credits)
    pen.text(x0, h - 270, "Credits", 2, 10)
    pen.text(x0, h - 300, fmt_credits(a.credits, pick(rng, ("two_dp", "plain"))), 1, 28)
    pen.para(x0, h - 320, ct, w - x0 - 40, 0, 11)
    if a.moc_points is not None:
        pen.text(x0, h - 360, f"ABIM MOC points: {plain(a.moc_points)}", 0, 10)
    pen.text(x0, h - 400, f"Issued {fmt_date(_issued(a, rng), pick(rng, DATE_FORMS))}", 0, 9.5)
    pen.text(x0, h - 414, f"Verification code {_cert_id(rng)}", 0, 9.5)
    pen.signature(x0, 120, pick_signer(rng))
    return Drawn(name, [(0, a, ct)])


# ---------------------------------------------------------------------------------------------
# 15. MOC combination: CME credits and ABMS MOC points side by side in a small table.
# ---------------------------------------------------------------------------------------------


def moc_combo(c: Canvas, spec: PageSpec, rng: random.Random) -> Drawn:
    """University CME certificate listing CME credits beside ABMS board MOC points."""
    c.setPageSize(letter)
    pen = Pen(c, rng, "times")
    w, h = letter
    a = spec.activities[0]
    pen.text(w / 2, h - 80, a.provider, 1, 14, "center", pen.accent)
    pen.rule(100, h - 90, w - 100, 0.8)
    pen.text(w / 2, h - 140, "Statement of Credit", 1, 24, "center")
    name = _name(spec, rng)
    pen.text(w / 2, h - 185, name, 1, 18, "center")
    y = pen.para(
        90,
        h - 215,
        f"successfully completed {a.title}, {_when(a, rng)}, and earned:",
        w - 180,
        0,
        12,
        align="center",
    )
    y -= 12
    ct = a.system.printed(a.credits)
    moc = a.moc_points if a.moc_points is not None else a.credits
    table = [
        ("Credit / points", "Amount"),
        (ct, fmt_credits(a.credits, "two_dp")),
        (f"ABIM MOC {pick(rng, ('Medical Knowledge', 'Practice Assessment'))} points", plain(moc)),
        ("ABP MOC Part 2 points", "0"),
    ]
    for i, (lab, val) in enumerate(table):
        style = 1 if i == 0 else 0
        pen.text(150, y, lab, style, 11)
        pen.text(w - 150, y, val, style, 11, "right")
        pen.rule(140, y - 5, w - 140, 0.4, Color(0.5, 0.5, 0.5))
        y -= 20
    pen.para(
        90,
        y - 14,
        "MOC points are reported to the certifying board with the participant's "
        "permission and are not CME credits.",
        w - 180,
        2,
        9.5,
        align="center",
    )
    pen.para(72, 170, ACCME.format(p=a.provider), w - 144, 0, 8.5)
    pen.signature(72, 100, pick_signer(rng))
    return Drawn(name, [(0, a, ct)])


# ---------------------------------------------------------------------------------------------
# 16. Series summary: a course of several dated sessions on one certificate.
# ---------------------------------------------------------------------------------------------


def series_summary(c: Canvas, spec: PageSpec, rng: random.Random) -> Drawn:
    """A course-series certificate listing 2-3 sessions, each with its own date and credits."""
    c.setPageSize(letter)
    pen = Pen(c, rng, "helv")
    w, h = letter
    acts = spec.activities
    prov = acts[0].provider
    pen.text(54, h - 64, prov, 1, 14, color=pen.accent)
    pen.text(54, h - 100, "Course Series \u2014 Credit Summary", 1, 18)
    name = _name(spec, rng)
    pen.text(54, h - 128, "Learner", 2, 9)
    pen.text(54, h - 143, name, 1, 13)
    lic = _license_line(spec.physician, rng)
    if lic:
        pen.text(330, h - 143, lic, 0, 10)
    y = h - 185
    drawn = Drawn(name)
    df = pick(rng, DATE_FORMS)
    for i, a in enumerate(acts, 1):
        ct = a.system.printed(a.credits)
        c.setStrokeColor(pen.accent)
        c.setLineWidth(0.8)
        c.roundRect(54, y - 62, w - 108, 72, 6)
        pen.text(66, y - 6, f"Session {i}", 1, 10, color=pen.accent)
        y1 = pen.para(130, y - 6, a.title, w - 250, 1, 11)
        pen.text(
            130,
            y1 - 2,
            f"{pick(rng, ('Completed', 'Date', 'Attended'))}: {fmt_date(a.date, df)}",
            0,
            10,
        )
        pen.text(w - 66, y - 6, fmt_credits(a.credits, "two_dp"), 1, 14, "right")
        pen.text(w - 66, y - 22, "credits", 0, 8, "right")
        pen.text(130, y1 - 16, ct, 2, 9.5)
        drawn.rows.append((0, a, ct))
        y -= 88
    pen.para(
        54,
        y - 10,
        "Each session is a separate certified activity. " + ACCME.format(p=prov),
        w - 108,
        0,
        8.5,
    )
    pen.signature(54, 100, pick_signer(rng))
    return drawn


# ---------------------------------------------------------------------------------------------
# Documents that are not credit certificates: they produce no truth rows.
# ---------------------------------------------------------------------------------------------


def cover_letter(c: Canvas, spec: PageSpec, rng: random.Random) -> Drawn:
    """A physician's cover letter sending certificates to the medical-staff office."""
    c.setPageSize(letter)
    pen = Pen(c, rng, "times")
    w, h = letter
    p = spec.physician
    assert p is not None
    name = _name(spec, rng, ("first_mi_last_deg",))
    d = dt.date(2026, rng.randint(6, 10), rng.randint(1, 28))
    pen.text(72, h - 80, fmt_date(d, "long"), 0, 11)
    y = h - 120
    for line in ("Medical Staff Office", "Harborview Medical Center", "Attn: Credentialing"):
        pen.text(72, y, line, 0, 11)
        y -= 14
    pen.text(72, y - 16, "Re: CME documentation for license renewal", 1, 11)
    y = pen.para(72, y - 50, "To the Medical Staff Office:", w - 144, 0, 11.5)
    y = pen.para(
        72,
        y - 8,
        f"Enclosed please find copies of my CME certificates for the current "
        f"licensing cycle. My Massachusetts license ({p.license_number}) renews on "
        f"{fmt_date(p.license_expires, 'long')}. I believe the enclosed certificates "
        "cover the risk management, opioid prescribing and implicit bias requirements; "
        "the remaining credits are on my society transcript. Please let me know if "
        "anything is missing.",
        w - 144,
        0,
        11.5,
        leading=16,
    )
    pen.text(72, y - 20, "With thanks,", 0, 11)
    pen.signature(72, y - 70, (name, "Department of Medicine"))
    return Drawn(name)


def agenda(c: Canvas, spec: PageSpec, rng: random.Random) -> Drawn:
    """A conference agenda: times, sessions and the designation, but no one's credit."""
    c.setPageSize(letter)
    pen = Pen(c, rng, "helv")
    w, h = letter
    a = spec.activities[0]
    pen.text(54, h - 64, a.provider, 1, 14, color=pen.accent)
    y = pen.para(54, h - 92, f"{a.title} \u2014 Program Agenda", w - 108, 1, 15)
    pen.text(54, y - 2, _when(a, rng), 0, 11)
    y -= 40
    t = dt.datetime(2025, 1, 1, 7, 30)
    for _ in range(rng.randint(9, 13)):
        pen.text(54, y, t.strftime("%I:%M %p").lstrip("0"), 1, 10)
        pen.text(
            140,
            y,
            pick(rng, vocab.CLINICAL_TITLES + ("Break and exhibits", "Lunch", "Panel discussion")),
            0,
            10,
        )
        y -= 22
        t += dt.timedelta(minutes=rng.choice([30, 45, 60]))
    pen.para(
        54,
        y - 20,
        DESIGNATION.format(
            p=a.provider,
            kind="live",
            n=fmt_credits(a.max_credits or a.credits, "two_dp"),
            ct=a.system.plural,
        ),
        w - 108,
        0,
        9,
    )
    return Drawn("")


def attendance_only(c: Canvas, spec: PageSpec, rng: random.Random) -> Drawn:
    """A certificate of attendance with no credit designation at all."""
    c.setPageSize(landscape(letter))
    pen = Pen(c, rng, "times")
    w, h = landscape(letter)
    a = spec.activities[0]
    pen.border(26, True)
    pen.text(w / 2, h - 110, "Certificate of Attendance", 3, 34, "center", pen.accent)
    pen.text(w / 2, h - 160, "This is to certify that", 2, 13, "center")
    name = _name(spec, rng)
    pen.text(w / 2, h - 205, name, 3, 26, "center")
    pen.text(w / 2, h - 245, "attended", 2, 13, "center")
    pen.para(110, h - 275, a.title, w - 220, 1, 16, align="center")
    pen.text(w / 2, h - 330, f"{_when(a, rng)} \u00b7 {a.provider}", 0, 12, "center")
    pen.text(
        w / 2,
        h - 360,
        "This certificate documents attendance only. No continuing "
        "education credit is designated for this activity.",
        2,
        10,
        "center",
    )
    pen.signature(w / 2 - 85, 100, pick_signer(rng))
    return Drawn(name)


def ancc_nursing(c: Canvas, spec: PageSpec, rng: random.Random) -> Drawn:
    """A nursing certificate in ANCC contact hours (non-physician credit)."""
    c.setPageSize(letter)
    pen = Pen(c, rng, "helv")
    w, h = letter
    a = spec.activities[0]
    pen.text(w / 2, h - 80, a.provider, 1, 15, "center", pen.accent)
    pen.text(w / 2, h - 130, "Certificate of Successful Completion", 1, 20, "center")
    name = _name(spec, rng)
    pen.text(w / 2, h - 175, name, 1, 17, "center")
    pen.para(
        90,
        h - 210,
        f"has completed \u201c{a.title}\u201d on {_when(a, rng)} and is awarded "
        f"{fmt_credits(a.credits, 'two_dp')} {a.system.printed(a.credits)}.",
        w - 180,
        0,
        12,
        align="center",
    )
    pen.para(
        72,
        200,
        f"{a.provider} is accredited as a provider of nursing continuing "
        "professional development by the American Nurses Credentialing Center's Commission "
        "on Accreditation. Contact hours are not AMA PRA credits.",
        w - 144,
        0,
        9,
    )
    pen.signature(72, 110, ("Joanna Pruitt, MSN, RN-BC", "Nurse Planner"))
    return Drawn(name)


LAYOUTS: dict[str, Layout] = {
    "portal_plain": portal_plain,
    "grand_rounds": grand_rounds,
    "annual_meeting": annual_meeting,
    "osteopathic": osteopathic,
    "aafp": aafp,
    "state_mandate": state_mandate,
    "risk_insurer": risk_insurer,
    "fancy_landscape": fancy_landscape,
    "table_style": table_style,
    "letter_style": letter_style,
    "transcript": transcript,
    "cat2_log": cat2_log,
    "labels_below": labels_below,
    "two_column": two_column,
    "moc_combo": moc_combo,
    "series_summary": series_summary,
    "cover_letter": cover_letter,
    "agenda": agenda,
    "attendance_only": attendance_only,
    "ancc_nursing": ancc_nursing,
}

#: Layouts that never produce truth rows.
NON_CREDIT_LAYOUTS = frozenset({"cover_letter", "agenda", "attendance_only", "ancc_nursing"})

#: How many activities a layout can hold (transcripts are built separately).
CAPACITY: dict[str, tuple[int, int]] = {
    "grand_rounds": (1, 3),
    "osteopathic": (1, 2),
    "table_style": (1, 3),
    "letter_style": (1, 2),
    "cat2_log": (3, 8),
    "series_summary": (2, 3),
    "transcript": (15, 40),
}
