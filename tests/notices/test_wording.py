"""A notice reads as a letter to the physician, from the real rules engine's tables."""

from __future__ import annotations

import datetime as dt
from datetime import date

from cme_batch.notices.config import NoticeConfig
from cme_batch.notices.message import build_message
from cme_batch.notices.plan import plan_notices
from tests.notices.factory import complete, evaluate_group, physician

AS_OF = date(2026, 11, 27)
RENEWAL = date(2027, 1, 20)


def _text_of_notice() -> tuple[str, str]:
    person = physician(
        "P104", RENEWAL, last_name="Okafor", first_name="Chidi", middle_name="Emeka",
        physician_name="Chidi Emeka Okafor, MD", ehr_alternative_route=True,
    )  # fmt: skip
    # Everything but the risk-management credits and the EHR training (met by attestation).
    acts = [
        a
        for a in complete("P104", date(2025, 6, 1))
        if not a["record_id"].endswith(("-rm", "-ehr"))
    ]
    ev = evaluate_group([person], acts, AS_OF)
    plan = plan_notices(
        ev.physicians, ev.compliance, {"P104": "cokafor@example.org"}, [], NoticeConfig(),
        {"P104": "Okafor"},
    )  # fmt: skip
    (notice,) = plan.due
    message = build_message(notice, NoticeConfig(), AS_OF, dt.datetime(2026, 11, 27, 2, 30))
    return (
        message.get_body(("plain",)).get_content(),  # type: ignore[union-attr]
        message.get_body(("html",)).get_content(),  # type: ignore[union-attr]
    )


def test_the_notice_speaks_to_the_physician_once_per_date() -> None:
    text, html = _text_of_notice()
    assert text.startswith("Dear Dr. Okafor,")
    assert "Dear Dr. Okafor," in html
    # What is still needed is a list in the physician's terms, not the report's fragment
    # ("needs ... by 2027-01-20"); the renewal date is written once, in words.
    assert "  - 3 more risk-management credits\n" in text
    assert "needs " not in text
    assert RENEWAL.isoformat() not in text and "January 20, 2027" in text


def test_a_requirement_met_without_credits_says_how() -> None:
    text, _html = _text_of_notice()
    ehr = next(line for line in text.splitlines() if "Electronic health records" in line)
    assert "0 of 3 (no credits needed: met by the attested alternative route" in ehr, ehr
    assert not ehr.rstrip().endswith("(met)")
