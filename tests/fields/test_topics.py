import pytest

from cme_batch.fields.topics import infer_topics


@pytest.mark.parametrize(
    ("title", "topics"),
    [
        ("Safe Prescribing of Opioids and Pain Management", ["opioid_pain"]),
        ("Serious Illness Conversations", ["end_of_life"]),
        ("Recognizing Unconscious Bias", ["implicit_bias"]),
        ("Reducing Diagnostic Error", ["risk_management"]),
        ("Medical Liability Update 2026", ["risk_management"]),
        ("Mandated Reporter Training", ["child_abuse"]),
        ("Alzheimer's Disease and Related Dementias", ["dementia"]),
        ("Intimate Partner Violence: Screening in Primary Care", ["domestic_violence"]),
        ("Meaningful Use of the Electronic Health Record", ["ehr"]),
        ("Reading the Board's Regulations, 243 CMR 1.00-3.00", ["board_regulations"]),
        ("Physician Burnout and Resilience", ["wellness_burnout"]),
        ("Palliative Care and Hospice Referral", ["end_of_life"]),
        ("Update in Heart Failure Management", []),
        ("Advances in Pediatric Asthma", []),
    ],
)
def test_topics_from_title(title: str, topics: list[str]) -> None:
    assert infer_topics(title) == topics


def test_requirement_statement_in_body_tags_topic() -> None:
    body = "This activity meets the Massachusetts Board's requirement for risk management study."
    assert infer_topics("Heart Failure Update", body) == ["risk_management"]


def test_passing_mention_in_body_does_not_tag() -> None:
    body = "Learning objectives: review diuretics; discuss opioids in dyspnea."
    assert infer_topics("Heart Failure Update", body) == []
