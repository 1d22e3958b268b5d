"""Topic cues and traps (cme_batch/fields/topics.toml), one case per cue family and per trap.

The titles are written for these tests in the way real CME catalogues word each mandated
topic; none is taken from an evaluation document.
"""

import pytest

from cme_batch.fields import lexicon
from cme_batch.fields.topics import infer_topics, requirement_statements, without_traps


@pytest.mark.parametrize(
    ("title", "topics"),
    [
        # risk management: the study, liability and claims
        ("Risk Management Essentials for the Office Practice", ["risk_management"]),
        ("Medical Liability Update 2026", ["risk_management"]),
        ("Why Physicians Get Sued: Lawsuits and How to Avoid Them", ["risk_management"]),
        ("Malpractice Claims in Emergency Medicine", ["risk_management"]),
        ("Medico-Legal Pitfalls for the New Attending", ["risk_management"]),
        ("What Closed Claims Teach Us", ["risk_management"]),
        # risk management: patient safety, errors, event reporting
        ("Reducing Diagnostic Error", ["risk_management"]),
        ("Preventing Medication Errors in Ambulatory Care", ["risk_management"]),
        ("Reporting Patient Safety Events and Near Misses", ["risk_management"]),
        ("Learning from Safety Event Reporting", ["risk_management"]),
        ("Missed Test Results: Closing the Loop", ["risk_management"]),
        # risk management: disclosure, consent, handoffs and transitions, documentation
        ("Disclosure of Adverse Events and Apology", ["risk_management"]),
        ("Communication and Resolution Programs", ["risk_management"]),
        ("Informed Consent in Procedural Practice", ["risk_management"]),
        ("Safer Handoffs in the Hospital", ["risk_management"]),
        ("Care Transitions: From Discharge to Home", ["risk_management"]),
        ("Transitions of Care for Older Adults", ["risk_management"]),
        ("Documentation Risks in the Telehealth Visit", ["risk_management"]),
        ("Professional Boundaries for Clinicians", ["risk_management"]),
        # opioid education and pain management
        ("Safe Prescribing of Opioids and Pain Management", ["opioid_pain"]),
        ("Managing Pain Without Overusing Opioids", ["opioid_pain"]),
        ("Controlled Substances: Safe Storage and Disposal", ["opioid_pain"]),
        ("Safe Storage and Disposal of Prescription Medications", ["opioid_pain"]),
        ("Checking the Prescription Monitoring Program", ["opioid_pain"]),
        ("Using the PDMP in Primary Care", ["opioid_pain"]),
        ("Buprenorphine for Opioid Use Disorder", ["opioid_pain"]),
        ("Medications for Addiction Treatment in the Emergency Department", ["opioid_pain"]),
        ("Naloxone and Overdose Prevention", ["opioid_pain"]),
        ("Screening for Substance Use Disorders", ["opioid_pain"]),
        ("Prescribing for Acute Pain After Surgery", ["opioid_pain"]),
        # end-of-life care
        ("Serious Illness Conversations", ["end_of_life"]),
        ("Palliative Care and Hospice Referral", ["end_of_life"]),
        ("Caring for Dying Patients", ["end_of_life"]),
        ("The Final Days of Life: Symptom Relief at the Bedside", ["end_of_life"]),
        ("Advance Care Planning and the Health Care Proxy", ["end_of_life"]),
        ("Goals of Care and Code Status Discussions", ["end_of_life"]),
        ("Withdrawing and Withholding Life-Sustaining Treatment", ["end_of_life"]),
        ("Grief and Bereavement for Families", ["end_of_life"]),
        # EHR
        ("Meaningful Use of the Electronic Health Record", ["ehr"]),
        ("EHR Efficiency: Templates and Shortcuts", ["ehr"]),
        ("Getting More from the Patient Portal", ["ehr"]),
        ("In-Basket Management for Busy Clinicians", ["ehr"]),
        ("E-Prescribing and Computerized Provider Order Entry", ["ehr"]),
        ("Health Information Exchange and Interoperability", ["ehr"]),
        # the Board's regulations
        ("Reading the Board's Regulations, 243 CMR 1.00-3.00", ["board_regulations"]),
        ("Massachusetts Medical Practice Law and Board Regulations", ["board_regulations"]),
        ("Licensing Regulations for Physicians", ["board_regulations"]),
        # implicit bias
        ("Recognizing Unconscious Bias", ["implicit_bias"]),
        ("Implicit Bias in Healthcare", ["implicit_bias"]),
        ("Stereotype Threat in the Clinical Encounter", ["implicit_bias"]),
        ("Hidden Assumptions and Patient Care", ["implicit_bias"]),
        ("Microaggressions in Medicine", ["implicit_bias"]),
        ("Weight Bias in Clinical Practice", ["implicit_bias"]),
        ("Health Disparities and the Role of Clinician Bias", ["implicit_bias"]),
        # child abuse, mandated reporting
        ("Mandated Reporter Training", ["child_abuse"]),
        ("Recognizing Child Abuse and Neglect", ["child_abuse"]),
        ("Abusive Head Trauma in Infants", ["child_abuse"]),
        ("Filing a 51A: The Clinician's Duty", ["child_abuse"]),
        ("Mandatory Reporting of Suspected Child Maltreatment", ["child_abuse"]),
        # domestic and sexual violence
        ("Intimate Partner Violence: Screening in Primary Care", ["domestic_violence"]),
        ("Caring for Survivors of Sexual Assault", ["domestic_violence"]),
        ("Domestic and Sexual Violence: What Clinicians Need to Know", ["domestic_violence"]),
        ("Coercive Control and Safety Planning", ["domestic_violence"]),
        # dementia
        ("Alzheimer's Disease and Related Dementias", ["dementia"]),
        ("Alzheimer\u2019s and the Aging Brain", ["dementia"]),
        ("Mild Cognitive Impairment in Primary Care", ["dementia"]),
        ("Memory Loss: Evaluation in the Office", ["dementia"]),
        # wellness
        ("Physician Burnout and Resilience", ["wellness_burnout"]),
        # nothing mandated
        ("Update in Heart Failure Management", []),
        ("Advances in Pediatric Asthma", []),
        ("Osteopathic Manipulative Treatment for Low Back Pain", []),
    ],
)
def test_topics_from_title(title: str, topics: list[str]) -> None:
    assert infer_topics(title) == topics


@pytest.mark.parametrize(
    "title",
    [
        "Cardiovascular Risk Management in Diabetes",
        "Lipid Management and Cardiovascular Risk",
        "Fall Risk Assessment in the Elderly",
        "Suicide Risk Assessment in the Emergency Department",
        "Perioperative Medicine: Assessing Cardiac Risk",
        "Risk Factors for Stroke",
        "Caring for High-Risk Pregnancies",
    ],
)
def test_clinical_risk_is_not_risk_management(title: str) -> None:
    assert "risk_management" not in infer_topics(title)


@pytest.mark.parametrize(
    "title",
    ["Minuteman Medical Liability Trust", "Atlantic Providers Risk Retention Group"],
)
def test_a_liability_insurers_name_is_not_a_risk_course(title: str) -> None:
    # An insurer's name where a title was expected says who sponsored, not what was taught.
    assert infer_topics(title) == []


def test_clinical_risk_trap_keeps_the_rest_of_the_title() -> None:
    # The trap cuts only the look-alike words: the title's patient-safety words still tag.
    assert infer_topics("Fall Risk and Patient Safety on the Ward") == ["risk_management"]


@pytest.mark.parametrize(
    "title",
    [
        "ABIM Board Certification Review",
        "Internal Medicine Board Review Course",
        "Self-assessment: board review question bank",
        "Family Medicine Board Exam Preparation",
        "Maintenance of Certification: Knowledge Check",
    ],
)
def test_board_exam_review_is_not_the_boards_regulations(title: str) -> None:
    assert "board_regulations" not in infer_topics(title)


@pytest.mark.parametrize(
    "title",
    [
        "Chronic Pain Physiology",
        "Neurobiology of Chronic Pain",
        "Low Back Pain: Imaging and Referral",
        "Imaging for Neck Pain",
        "Chest Pain Evaluation in the Emergency Department",
        "Osteopathic Manipulative Treatment for Low Back Pain",
    ],
)
def test_pain_as_a_clinical_subject_is_not_opioid_education(title: str) -> None:
    # The Board's training is pain management and opioid prescribing (M.G.L. c. 94C s. 18(e)):
    # pain as a clinical subject (its physiology, imaging, manual therapy) is not it.
    assert "opioid_pain" not in infer_topics(title)


def test_pain_management_counts_as_the_opioid_training() -> None:
    # "Effective pain management" is one of the statute's named subjects.
    assert infer_topics("Pain Management in Primary Care") == ["opioid_pain"]
    assert infer_topics("Managing Chronic Pain") == ["opioid_pain"]


@pytest.mark.parametrize(
    "title",
    [
        "Cognitive Bias in Diagnostic Reasoning",
        "Publication Bias in Clinical Trials",
        "Selection Bias in Observational Studies",
    ],
)
def test_bias_in_reasoning_or_research_is_not_implicit_bias(title: str) -> None:
    assert "implicit_bias" not in infer_topics(title)


@pytest.mark.parametrize("title", ["Elder Abuse and Neglect", "Mandated Reporting of Elder Abuse"])
def test_elder_abuse_is_not_child_abuse(title: str) -> None:
    assert "child_abuse" not in infer_topics(title)


@pytest.mark.parametrize(
    "title",
    [
        "Safe Storage of Firearms in the Home",
        "Alcohol Withdrawal Treatment",
        "Final Weeks of Pregnancy",
        "Sudden Cardiac Death in Athletes",
        "Amyloid Deposition in the Heart",
    ],
)
def test_look_alike_wording_tags_nothing(title: str) -> None:
    assert infer_topics(title) == []


def test_requirement_statement_in_body_tags_topic() -> None:
    body = "This activity meets the Massachusetts Board's requirement for risk management study."
    assert infer_topics("Heart Failure Update", body) == ["risk_management"]


@pytest.mark.parametrize(
    ("body", "topics"),
    [
        (
            "This program fulfills the requirement for training in end-of-life care.",
            ["end_of_life"],
        ),
        (
            "This course satisfies the Board's requirement in pain management and opioid use.",
            ["opioid_pain"],
        ),
        (
            "Approved by the Department of Public Health to meet the Chapter 260 training in\n"
            "domestic and sexual violence.",
            ["domestic_violence"],
        ),
        (
            "This activity meets the requirement for the one-time course on Alzheimer's disease.",
            ["dementia"],
        ),
        (
            "Completion qualifies for 2.00 credits of risk management study as defined in "
            "243 CMR 2.06(5).",
            ["risk_management"],
        ),
        (
            "This activity meets the criteria for studying the Board's regulations.",
            ["board_regulations"],
        ),
    ],
)
def test_requirement_statement_families(body: str, topics: list[str]) -> None:
    assert infer_topics("Annual Clinical Update", body) == topics


def test_statement_wrapped_over_two_lines_is_read_whole() -> None:
    body = "This activity meets the Massachusetts Board of Registration in Medicine's\n" + (
        "requirement for education in end-of-life care\nCourse Director: A. Smith"
    )
    statements = requirement_statements(body)
    assert any("end-of-life" in s for s in statements)
    assert infer_topics("Grand Rounds", body) == ["end_of_life"]


def test_decimal_point_does_not_end_a_statement() -> None:
    body = "This activity meets the requirements of 2.00 Risk Management Credit as prescribed."
    assert requirement_statements(body) == [body[:-1]]
    assert infer_topics("Grand Rounds", body) == ["risk_management"]


def test_risk_statement_citing_the_regulation_is_not_the_boards_regulations() -> None:
    # "as defined in 243 CMR 2.06" cites the rule; it is not a course on reading the rules.
    body = "Meets the criteria for risk management study as defined in 243 CMR 2.06(5)(d)."
    assert infer_topics("Grand Rounds", body) == ["risk_management"]


def test_risk_study_named_with_the_board_is_not_the_boards_regulations() -> None:
    body = "Qualifies as risk management study of the Board of Registration in Medicine."
    assert infer_topics("Grand Rounds", body) == ["risk_management"]


def test_passing_mention_in_body_does_not_tag() -> None:
    body = "Learning objectives: review diuretics; discuss opioids in dyspnea."
    assert infer_topics("Heart Failure Update", body) == []


def test_statement_run_on_stops_after_one_line() -> None:
    body = "This activity is approved for AMA PRA Category 1 Credit\nfor 1.5 hours\n" + (
        "Objectives: discuss opioids in dyspnea"
    )
    assert infer_topics("Heart Failure Update", body) == []


def test_trap_text_is_cut_not_the_whole_title() -> None:
    traps = lexicon.current().topics["risk_management"].trap
    assert "Patient Safety" in without_traps("Cardiovascular Risk and Patient Safety", traps)
    assert "Cardiovascular" not in without_traps("Cardiovascular Risk and Patient Safety", traps)


def test_risk_statement_on_a_course_that_counts_as_risk_management_adds_no_topic() -> None:
    # An opioid course counts toward risk management by the rules; the certificate's
    # "qualifies as risk management study" is the same fact, not a second topic.
    body = "This program qualifies as risk management study for Massachusetts license renewal."
    assert infer_topics("Safe Prescribing of Opioids", body) == ["opioid_pain"]
    # A wellness course fills only part of the bucket: the statement is kept.
    assert infer_topics("Physician Burnout", body) == ["risk_management", "wellness_burnout"]
    # A risk-management title keeps its own topic.
    assert infer_topics("Risk Management in Opioid Prescribing", body) == [
        "opioid_pain",
        "risk_management",
    ]
