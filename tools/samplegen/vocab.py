"""Vocabulary: fictional names and providers, activity titles with their topics, credit systems.

Titles carry the topics a careful reader would assign from the wording (what the activity IS
about), not from a fixed keyword list: "Safe Prescribing of Opioids and Pain Management" is
``opioid_pain`` only; a clinical update has no topic at all.
"""

from __future__ import annotations

from .model import CreditSystem

# --------------------------------------------------------------------------------------------
# Credit systems. The "TM" is printed three ways on real certificates; each is its own system
# entry so that the truth's credit_type is exactly what is printed.
# --------------------------------------------------------------------------------------------


def _ama1(tm: str) -> CreditSystem:
    return CreditSystem(
        key="ama1",
        category="1",
        singular=f"AMA PRA Category 1 Credit{tm}",
        plural=f"AMA PRA Category 1 Credits{tm}",
    )


AMA1_TM = _ama1("™")
AMA1_TXT = _ama1("(TM)")
AMA1_PLAIN = _ama1("")
AMA1_VARIANTS = (AMA1_TM, AMA1_TM, AMA1_TXT, AMA1_PLAIN)
AMA2 = CreditSystem("ama2", "2", "AMA PRA Category 2 Credit™", "AMA PRA Category 2 Credits™")
SELF_CAT2 = CreditSystem(
    "self2", "2", "Category 2 credit (self-reported)", "Category 2 credits (self-reported)"
)
AOA_1A = CreditSystem("aoa1a", "1", "AOA Category 1-A credit", "AOA Category 1-A credits")
AOA_1B = CreditSystem("aoa1b", "1", "AOA Category 1-B credit", "AOA Category 1-B credits")
AOA_2A = CreditSystem("aoa2a", "2", "AOA Category 2-A credit", "AOA Category 2-A credits")
AOA_2B = CreditSystem("aoa2b", "2", "AOA Category 2-B credit", "AOA Category 2-B credits")
AAFP_P = CreditSystem("aafp_p", "1", "AAFP Prescribed credit", "AAFP Prescribed credits")
AAFP_E = CreditSystem("aafp_e", "2", "AAFP Elective credit", "AAFP Elective credits")
ANCC = CreditSystem("ancc", "", "ANCC contact hour", "ANCC contact hours")
HOURS_CAT1 = CreditSystem(
    "hours1", "1", "hour of AMA PRA Category 1 Credit™", "hours of AMA PRA Category 1 Credit™"
)

# --------------------------------------------------------------------------------------------
# People. Fictional; chosen to exercise accents, hyphens, apostrophes and particles.
# --------------------------------------------------------------------------------------------

FIRST_NAMES = (
    "Margaret",
    "Daniel",
    "Priya",
    "José",
    "Zoë",
    "Henrik",
    "Aisha",
    "Tomasz",
    "Leilani",
    "Oluwaseun",
    "Catherine",
    "Mateo",
    "Ingrid",
    "Rahul",
    "Siobhan",
    "Wei",
    "Beatriz",
    "Colm",
    "Naomi",
    "Anders",
    "Fatima",
    "Gregory",
    "Hana",
    "Emeka",
    "Lucía",
    "Theodore",
    "Mireille",
    "Rosalind",
    "Kwame",
    "Yasmin",
    "Benedikt",
    "Esther",
    "Ravi",
    "Noor",
    "Pilar",
    "Declan",
    "Chiara",
    "Samuel",
    "Adaeze",
    "Chidi",
    "Renée",
    "Joaquín",
    "Bronwyn",
    "Ilse",
)
MIDDLE_NAMES = (
    "A",
    "B",
    "C",
    "D",
    "E",
    "J",
    "K",
    "L",
    "M",
    "R",
    "S",
    "T",
    "Quinn",
    "Marie",
    "Lee",
    "Anne",
    "James",
    "Elena",
    "",
    "",
    "",
    "",
)
LAST_NAMES = (
    "Lindqvist",
    "O'Brien",
    "Müller",
    "van der Berg",
    "de la Cruz",
    "Nakamura-Reyes",
    "Abernathy",
    "Okafor",
    "Castellanos",
    "Whitcombe",
    "D'Amato",
    "Thorvaldsen",
    "Bianchi",
    "MacAuliffe",
    "Adeyemi",
    "Kowalczyk",
    "Haddad",
    "Fairbanks",
    "Sørensen",
    "Delacroix",
    "Pemberton",
    "Iyer",
    "Brennan-Walsh",
    "Quintero",
    "Halvorsen",
    "Achterberg",
    "Mbeki-Jones",
    "Ferreira",
    "Lachance",
    "St. Clair",
    "Novak",
    "Ruiz-Tagle",
    "Kealoha",
    "Yilmaz",
    "Osei",
    "von Ahlen",
    "Ó Murchú",
    "Zielinski",
    "Marchetti",
    "Ashworth",
    "Villanueva",
    "Drummond",
)

# --------------------------------------------------------------------------------------------
# Providers, by kind. Generic invented names only.
# --------------------------------------------------------------------------------------------

PORTAL_PROVIDERS = (
    "MedLearn Online CME",
    "ClinicianPath Learning Network",
    "CMEdge Digital Education",
    "Beacon Point Continuing Education",
    "Northfield Online Medical Education",
    "PracticeReady CME Portal",
)
HOSPITAL_PROVIDERS = (
    "Harborview Medical Center",
    "Saint Brendan's Hospital",
    "Merrimack Valley Medical Center",
    "Quabbin Regional Hospital",
    "Cape Ann Community Hospital",
    "Pioneer Valley Health",
)
SOCIETIES = (
    ("American Society of Clinical Endocrinology Practice", "ASCEP"),
    ("North American College of Hospital Medicine", "NACHM"),
    ("Society for Ambulatory Cardiology", "SAC"),
    ("American Academy of Integrated Rheumatology", "AAIR"),
    ("Atlantic Gastroenterology Association", "AGA-East"),
    ("College of Emergency and Acute Care Physicians", "CEACP"),
)
OSTEO_PROVIDERS = (
    "New England Osteopathic Medical Association",
    "Bay State College of Osteopathic Medicine",
    "Osteopathic Physicians Education Council",
)
FAMILY_PROVIDERS = (
    "Commonwealth Academy of Family Physicians",
    "Granite Coast Family Medicine Review",
    "Family Practice Education Collaborative",
)
STATE_COURSE_PROVIDERS = (
    "Commonwealth Physician Education Alliance",
    "Bay State Clinical Learning Collaborative",
    "Harborview Medical Education Institute",
    "Massachusetts Regional CME Consortium",
)
INSURERS = (
    "Bayside Physicians Mutual Insurance Company",
    "Minuteman Medical Liability Trust",
    "Atlantic Providers Risk Retention Group",
)
FANCY_PROVIDERS = (
    "The Berkshire Institute for Clinical Excellence",
    "Harborview Medical Education Institute",
    "The Norfolk Academy of Medicine",
)
UNIVERSITY_PROVIDERS = (
    "Charlesbank University School of Medicine, Office of CME",
    "Tremont Medical College Continuing Education",
    "Mystic River University Division of Continuing Medical Education",
)
NURSING_PROVIDERS = (
    "Harborview Nursing Professional Development",
    "Coastal Nurses Education Council",
)
TRANSCRIPT_ISSUERS = (
    "CMEtrack Transcript Services",
    "Commonwealth Medical Society Education Center",
    "ClinicianPath Learning Network",
)
ALL_PHYSICIAN_PROVIDERS = (
    PORTAL_PROVIDERS
    + HOSPITAL_PROVIDERS
    + tuple(s for s, _ in SOCIETIES)
    + OSTEO_PROVIDERS
    + FAMILY_PROVIDERS
    + STATE_COURSE_PROVIDERS
    + INSURERS
    + FANCY_PROVIDERS
    + UNIVERSITY_PROVIDERS
)

# --------------------------------------------------------------------------------------------
# Activity titles. (title, topics). Several wordings per topic so topic inference is exercised.
# --------------------------------------------------------------------------------------------

TOPIC_TITLES: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = {
    "opioid_pain": (
        ("Safe Prescribing of Opioids and Pain Management", ("opioid_pain",)),
        ("Opioid Stewardship for the Prescribing Clinician", ("opioid_pain",)),
        ("Managing Chronic Pain: Alternatives to Opioid Therapy", ("opioid_pain",)),
        ("Buprenorphine in Office-Based Practice: Treating Opioid Use Disorder", ("opioid_pain",)),
        ("Tapering Long-Term Opioid Therapy Safely", ("opioid_pain",)),
        ("Using the Prescription Monitoring Program in Everyday Prescribing", ("opioid_pain",)),
    ),
    "end_of_life": (
        ("Serious Illness Conversations in Primary Care", ("end_of_life",)),
        ("End-of-Life Care: Hospice, Palliation and Advance Directives", ("end_of_life",)),
        ("Talking About Goals of Care with Seriously Ill Patients", ("end_of_life",)),
        ("Palliative Care Essentials and the MOLST Form", ("end_of_life",)),
    ),
    "implicit_bias": (
        ("Recognizing Unconscious Bias in Clinical Decision-Making", ("implicit_bias",)),
        ("Implicit Bias in Healthcare: From Awareness to Action", ("implicit_bias",)),
        ("Health Equity and the Hidden Curriculum of Bias", ("implicit_bias",)),
    ),
    "child_abuse": (
        ("Mandated Reporter Training: Recognizing and Reporting Child Abuse", ("child_abuse",)),
        ("Child Maltreatment: The Clinician's Duty to Report (51A)", ("child_abuse",)),
        ("Protecting Children: Identifying Abuse and Neglect in Practice", ("child_abuse",)),
    ),
    "domestic_violence": (
        (
            "Domestic and Sexual Violence Training for Health Professionals (DPH approved)",
            ("domestic_violence",),
        ),
        ("Intimate Partner Violence: Screening and Response", ("domestic_violence",)),
    ),
    "dementia": (
        ("Alzheimer's Disease and Related Dementias: Diagnosis and Care", ("dementia",)),
        ("Caring for Patients with Dementia: Communication and Safety", ("dementia",)),
        ("Early Detection of Cognitive Impairment in Older Adults", ("dementia",)),
    ),
    "ehr": (
        ("Electronic Health Record Proficiency for Massachusetts Physicians", ("ehr",)),
        ("Meaningful Use of the EHR: Documentation, Interoperability and Safety", ("ehr",)),
        ("Getting the Most from Your EHR: Order Sets, Alerts and Patient Portals", ("ehr",)),
    ),
    "board_regulations": (
        ("Reading the Board's Regulations: 243 CMR 1.00-3.00", ("board_regulations",)),
        (
            "Massachusetts Medical Practice Law and Board of Registration Regulations",
            ("board_regulations",),
        ),
    ),
    "risk_management": (
        ("Reducing Diagnostic Error in Ambulatory Care", ("risk_management",)),
        ("Medical Liability: Lessons from Closed Claims", ("risk_management",)),
        ("Informed Consent and Documentation That Protects Patients", ("risk_management",)),
        ("Communication and Resolution After Adverse Events", ("risk_management",)),
        ("Patient Safety Fundamentals: Handoffs and Test-Result Follow-Up", ("risk_management",)),
        ("Telehealth Risk Management: Consent, Privacy and Documentation", ("risk_management",)),
        ("Preventing Medication Errors in the Outpatient Setting", ("risk_management",)),
    ),
    "wellness_burnout": (
        (
            "Physician Burnout: Building Personal and Organizational Resilience",
            ("wellness_burnout",),
        ),
        ("Clinician Well-Being and Sustainable Practice", ("wellness_burnout",)),
        ("Mindfulness and Resilience for Busy Physicians", ("wellness_burnout",)),
    ),
}

#: Clinical titles that carry no topic of the vocabulary.
CLINICAL_TITLES: tuple[str, ...] = (
    "Update in the Management of Type 2 Diabetes",
    "Heart Failure with Preserved Ejection Fraction: What's New",
    "Interpreting Pulmonary Function Tests",
    "Atrial Fibrillation: Anticoagulation Decisions in 2025",
    "Thyroid Nodules: Evaluation and Follow-Up",
    "Community-Acquired Pneumonia in Adults",
    "Hypertension Guidelines: A Practical Review",
    "Acute Kidney Injury in Hospitalized Patients",
    "Inflammatory Bowel Disease for the Generalist",
    "Lipid Management and Cardiovascular Risk",
    "Sepsis Recognition and Early Management",
    "Skin Cancer Screening in Primary Care",
    "Osteoporosis: Screening, Treatment and Drug Holidays",
    "Asthma and COPD Overlap",
    "Evaluation of Syncope",
    "Obesity Pharmacotherapy: GLP-1 Receptor Agonists",
    "Gout Flares and Urate-Lowering Therapy",
    "Headache Red Flags in the Emergency Department",
    "Chronic Kidney Disease: Slowing Progression",
    "Anemia Work-Up in Adults",
    "Rheumatoid Arthritis: Early Diagnosis",
    "Pediatric Fever Without a Source",
    "Depression Screening and Management in Primary Care",
    "Low Back Pain: Imaging and Referral",
    "Antibiotic Stewardship in Outpatient Practice",
    "Adult Immunization Schedule Update",
    "Point-of-Care Ultrasound for Hospitalists",
    "Perioperative Medicine: Assessing Cardiac Risk",
    "Venous Thromboembolism Prophylaxis",
    "Cirrhosis Complications: A Case-Based Review",
    "Sleep Apnea: Diagnosis and Treatment Options",
    "Stroke Prevention After Transient Ischemic Attack",
    "Lung Cancer Screening with Low-Dose CT",
    "Hepatitis C Treatment in Primary Care",
    "Menopause Management Update",
    "Diabetic Foot Care and Ulcer Prevention",
    "Managing Hyponatremia",
    "Endocrine Emergencies: Case Conference",
    "Tick-Borne Illness in New England",
    "Osteopathic Manipulative Treatment for Low Back Pain",
)

JOURNAL_ITEMS: tuple[str, ...] = (
    "Journal reading: NEJM review of hypertension trials",
    "Journal reading: JAMA clinical guideline synopsis",
    "Podcast: Internal medicine weekly update",
    "Teaching medical students (precepting)",
    "Self-assessment: board review question bank",
    "Journal club: Annals of Internal Medicine",
    "Reading: practice guideline on atrial fibrillation",
    "Online search and learning at point of care (UpToDate)",
)

VENUES = (
    "Live webinar",
    "Enduring online activity",
    "Live activity, Boston, MA",
    "Live activity, Worcester, MA",
    "Live activity, Springfield, MA",
    "Hybrid live/virtual",
    "Enduring material (self-paced)",
    "Regularly scheduled series",
)

MEETING_CITIES = (
    "Boston, Massachusetts",
    "Providence, Rhode Island",
    "Hartford, Connecticut",
    "Portland, Maine",
    "Baltimore, Maryland",
    "Chicago, Illinois",
)

SIGNERS = (
    ("Eleanor V. Prescott, MD", "Director, Continuing Medical Education"),
    ("Marcus T. Hollingsworth, DO", "CME Program Chair"),
    ("Linnea Farrow, MEd", "Manager, Accredited Education"),
    ("Anand Suresh, MD, MPH", "Chair, Education Committee"),
    ("Rebecca Okonkwo-Hale, PhD", "Vice President, Professional Development"),
)
