"""Titles, providers and the printed forms of dates and amounts, as real providers vary them.

Topic titles are labelled with the Massachusetts topics a reader would give them. Many are
worded without the usual key words (a liability course that never says "risk management", a
palliative-care course about the last days of life); clinical titles include the traps
(cardiovascular "risk", board-exam "review", "pain" that is not opioid prescribing).
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

#: (title, topics) for activities on a Massachusetts-mandated or risk topic.
TOPIC_TITLES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("When Patients Sue: Liability, Lawsuits and the Deposition", ("risk_management",)),
    ("Handoffs and Care Transitions: Closing the Loop", ("risk_management",)),
    ("Reporting Patient-Safety Events Without Blame", ("risk_management",)),
    ("Documentation Pitfalls That End Up in Court", ("risk_management",)),
    ("Disclosure and Apology After an Adverse Outcome", ("risk_management",)),
    ("Diagnostic Error in the Ambulatory Setting: A Claims Review", ("risk_management",)),
    ("Informed Consent: What the Record Must Show", ("risk_management",)),
    ("Malpractice Claims in Obstetrics: Lessons Learned", ("risk_management",)),
    ("Getting More From the Chart: EHR Efficiency for Busy Clinicians", ("ehr",)),
    ("Patient Portals, Inbox Overload and Secure Messaging", ("ehr",)),
    ("Electronic Health Records: Proficiency in Daily Practice", ("ehr",)),
    ("Interoperability and Health Information Exchange for Clinicians", ("ehr",)),
    ("The Final Days of Life: Caring for the Dying Patient", ("end_of_life",)),
    ("Serious Illness Conversations and Advance Care Planning", ("end_of_life",)),
    ("Hospice Referral and Comfort-Focused Care", ("end_of_life",)),
    ("End-of-Life Care: Goals, Values and the Family Meeting", ("end_of_life",)),
    ("Safe Storage and Disposal of Controlled Substances", ("opioid_pain",)),
    ("Prescribing Opioids Safely for Acute and Chronic Pain", ("opioid_pain",)),
    ("Buprenorphine in Primary Care: Treating Opioid Use Disorder", ("opioid_pain",)),
    ("Tapering Long-Term Opioid Therapy", ("opioid_pain",)),
    ("Naloxone Co-Prescribing and Overdose Prevention", ("opioid_pain",)),
    ("Implicit Bias in Health Care: Recognizing and Reducing It", ("implicit_bias",)),
    ("Stereotype Threat and Hidden Assumptions at the Bedside", ("implicit_bias",)),
    ("Equity in the Exam Room: How Unconscious Attitudes Shape Care", ("implicit_bias",)),
    ("Mandated Reporter Training: Recognizing Child Abuse and Neglect", ("child_abuse",)),
    ("Suspected Maltreatment of Children: The Clinician's Duty to Report", ("child_abuse",)),
    ("Caring for Survivors of Sexual Assault", ("domestic_violence",)),
    ("Intimate Partner Violence: Screening and Response", ("domestic_violence",)),
    ("Domestic and Sexual Violence: A Training for Physicians", ("domestic_violence",)),
    ("Alzheimer's Disease and Related Dementias: Diagnosis and Care", ("dementia",)),
    ("Cognitive Impairment in Older Adults: Recognition and Next Steps", ("dementia",)),
    ("Caring for Patients With Memory Loss and Their Caregivers", ("dementia",)),
    ("Physician Resilience and Burnout Prevention", ("wellness_burnout",)),
    ("Sustaining Joy in Medicine: Well-Being for Clinicians", ("wellness_burnout",)),
    ("Study of the Board's Regulations, 243 CMR 1.00-3.00", ("board_regulations",)),
    (
        "Pain Management, Opioid Stewardship and Professional Liability",
        ("opioid_pain", "risk_management"),
    ),
)

#: Clinical titles, no topic (some carry the words that trap a keyword matcher).
CLINICAL_TITLES: tuple[str, ...] = (
    "Heart Failure With Preserved Ejection Fraction: An Update",
    "Cardiovascular Risk Reduction in Type 2 Diabetes",
    "Internal Medicine Board Review: Nephrology",
    "Low Back Pain: Imaging Choices and Red Flags",
    "Atrial Fibrillation and Anticoagulation Decisions",
    "Sepsis Recognition in the Emergency Department",
    "Chronic Kidney Disease Staging and Referral",
    "Pediatric Asthma: Controller Therapy",
    "Thyroid Nodules: From Ultrasound to Biopsy",
    "Migraine Prevention: New Agents",
    "Community-Acquired Pneumonia in Adults",
    "Osteoporosis Screening and Treatment",
    "Interpreting Liver Enzymes",
    "Hypertension in Pregnancy",
    "Inflammatory Bowel Disease: Biologic Therapy",
    "Skin Cancer Detection for Primary Care",
    "Syncope Evaluation: Who Needs Admission?",
    "Perioperative Anticoagulation Management",
    "Rheumatoid Arthritis: Treat to Target",
    "Anemia in the Older Adult",
    "Hospital Medicine Update: Venous Thromboembolism",
    "Obesity Pharmacotherapy: What Is New",
    "Managing Chest Pain in the Office",
    "Concussion in Young Athletes",
    "Fracture Risk Assessment With FRAX",
    "Lung Cancer Screening: Shared Decision Making",
    "Hepatitis C Treatment in Primary Care",
    "Neonatal Jaundice",
    "Diabetic Foot Ulcers",
    "Antibiotic Stewardship in Urgent Care",
)

PORTALS = (
    "Northgate Clinical Learning",
    "MedCompass Online CME",
    "Pinnacle Physician Education",
    "ClinicalPath Learning Network",
)
QBANKS = ("Keystone Knowledge Review", "ClearCase Self-Assessment")
POINT_OF_CARE = ("BedsideAnswer Clinical Reference", "QuickEvidence Point-of-Care")
HOSPITALS = (
    "Merrimack Valley Medical Center",
    "St. Brendan's Hospital",
    "Charles River Health",
    "Cape Ann Regional Hospital",
)
SOCIETIES = (
    ("New England Society of Hospital Medicine", "Annual Scientific Assembly"),
    ("American College of Clinical Endocrinology", "Annual Clinical Congress"),
    ("Northeast Gastroenterology Society", "Fall Postgraduate Course"),
    ("Society for Emergency Care Practice", "National Meeting"),
)
JOINT_PROVIDERS = (
    "Harborlight Interprofessional Education",
    "Bay State Collaborative for Continuing Education",
)
STATE_SOCIETY = ("Commonwealth Medical Society", "Bay Colony Medical Society")
INSURERS = (
    "Granite Mutual Physicians Insurance",
    "ProShield Medical Liability Company",
    "Risk Partners Reciprocal",
)
OSTEO = (
    "Massachusetts Osteopathic Physicians Association",
    "New England College of Osteopathic Continuing Education",
)
FAMILY = ("Massachusetts Academy of Family Practice", "Family Medicine Review Institute")
UNIVERSITIES = (
    "Pioneer Valley School of Medicine Office of CME",
    "Beacon University School of Medicine",
)
VENUES = (
    "Boston, Massachusetts",
    "Providence, RI",
    "Hartford Marriott Downtown",
    "Virtual (live stream)",
    "Portland, Maine",
    "Hyatt Regency Cambridge",
)
READING_SOURCES = (
    "New England Journal of Clinical Practice",
    "Annals of Hospital Practice",
    "Journal of Primary Care Medicine",
    "Clinical Guidelines Digest",
)
CAT2_ITEMS = (
    "Read review article on hyponatremia management",
    "Teaching residents: ambulatory morning report",
    "Reviewed guideline on hypertension targets",
    "Read case series on drug-induced liver injury",
    "Consulted references for a complex anticoagulation case",
    "Journal club preparation: SGLT2 inhibitors",
    "Read 243 CMR 2.00 (licensing regulations)",
)
CAT2_KIND = ("Reading", "Teaching", "Self-study", "Research")

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
DATE_FORMS = (
    "long",
    "us_slash",
    "us_short_year",
    "iso",
    "d_mon_y",
    "mon_abbr",
    "dd_mon_yyyy_upper",
    "weekday_long",
    "us_dash",
)


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def fmt_date(d: dt.date, form: str) -> str:
    """A date as one provider or another prints it."""
    m = MONTHS[d.month - 1]
    if form == "long":
        return f"{m} {d.day}, {d.year}"
    if form == "us_slash":
        return f"{d.month:02d}/{d.day:02d}/{d.year}"
    if form == "us_short_year":
        return f"{d.month}/{d.day}/{d.year}"
    if form == "iso":
        return d.isoformat()
    if form == "d_mon_y":
        return f"{d.day} {m} {d.year}"
    if form == "mon_abbr":
        return f"{m[:3]}. {d.day}, {d.year}" if len(m) > 4 else f"{m} {d.day}, {d.year}"
    if form == "dd_mon_yyyy_upper":
        return f"{d.day:02d}-{m[:3].upper()}-{d.year}"
    if form == "weekday_long":
        return f"{d.strftime('%A')}, {m} {d.day}, {d.year}"
    if form == "us_dash":
        return f"{d.month:02d}-{d.day:02d}-{d.year}"
    if form == "ordinal_words":
        return f"the {_ordinal(d.day)} day of {m}, {d.year}"
    raise ValueError(form)


def any_date(d: dt.date, rng: random.Random, forms: tuple[str, ...] = DATE_FORMS) -> str:
    """``d`` in a form drawn from ``forms``."""
    return fmt_date(d, forms[rng.randrange(len(forms))])


def fmt_range(start: dt.date, end: dt.date, rng: random.Random) -> str:
    """A meeting's dates: "October 12-15, 2025", "Sept. 30 - Oct. 3, 2025", "3/5/2025 - 3/8/2025"."""
    ms, me = MONTHS[start.month - 1], MONTHS[end.month - 1]
    k = rng.randrange(4)
    if k == 3:
        return f"{fmt_date(start, 'us_short_year')} \u2013 {fmt_date(end, 'us_short_year')}"
    if start.month == end.month:
        if k == 0:
            return f"{ms} {start.day}\u2013{end.day}, {end.year}"
        if k == 1:
            return f"{start.day}-{end.day} {ms} {end.year}"
        return f"{ms[:3]} {start.day} - {end.day}, {end.year}"
    if k == 0:
        return f"{ms} {start.day} \u2013 {me} {end.day}, {end.year}"
    return f"{ms[:3]}. {start.day} - {me[:3]}. {end.day}, {end.year}"


def amount(c: Decimal, rng: random.Random, forms: str = "2dp 1dp plain") -> str:
    """A credit amount: "1.50", "1.5", "1.25" (one decimal only when nothing is lost)."""
    form = rng.choice(forms.split())
    if form == "2dp":
        return f"{c:.2f}"
    if form == "1dp" and c == c.quantize(Decimal("0.1")):
        return f"{c:.1f}"
    return plain(c)


def plain(c: Decimal) -> str:
    """Credits without trailing zeros ("1.5", "12", "0.25")."""
    return format(c.normalize(), "f")


AMA1_NAMES = (
    "AMA PRA Category 1 Credit\u2122",
    "AMA PRA Category 1 Credits\u2122",
    "AMA PRA Category 1 Credit(s)\u2122",
    "AMA PRA Category 1 Credits(TM)",
    "AMA PRA Category 1 credits",
)


def ama1_name(c: Decimal, rng: random.Random) -> str:
    """The printed name of AMA PRA Category 1 Credit, singular for exactly one."""
    name = rng.choice(AMA1_NAMES)
    if c == 1 and name.endswith("Credits\u2122"):
        return "AMA PRA Category 1 Credit\u2122"
    return name
