"""A simulated year of nightly runs: every threshold once, none after compliance, none for
limited or inactive licenses, a missed stretch of nights, and a renewed license."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from pathlib import Path

from cme_batch.notices.config import NoticeConfig
from cme_batch.notices.deliver import Outbox
from cme_batch.notices.send import process_notices
from cme_batch.state import open_state
from tests.notices.factory import act, complete, evaluate_group, physician

RENEWAL = date(2027, 3, 14)
START = RENEWAL - timedelta(days=200)
BOOST_DAY = RENEWAL - timedelta(days=75)  # P2 sends in the missing certificates here


def test_a_year_of_nightly_runs(tmp_path: Path) -> None:
    people = [
        physician("P1", RENEWAL),  # deficient all year
        physician("P2", RENEWAL),  # deficient until 75 days before renewal
        physician("P3", RENEWAL, license_type="limited"),
        physician("P4", RENEWAL, license_type="inactive"),
        physician("P5", RENEWAL),  # compliant all year
    ]
    base = [
        act("P1-a", "P1", date(2026, 1, 5), "10"),
        act("P2-a", "P2", date(2026, 1, 5), "10"),
        act("P3-a", "P3", date(2026, 1, 5), "1"),
        *complete("P5", date(2026, 1, 5)),
    ]
    late = [a for a in complete("P2", date(2026, 1, 5))]
    sent: list[tuple[str, int, int]] = []  # physician, threshold, days left when sent
    with open_state(tmp_path / "state.sqlite") as state:
        day = START
        while day <= RENEWAL + timedelta(days=165):  # a whole year of nights, past the renewal
            acts = base + (late if day >= BOOST_DAY else [])
            evaluation = evaluate_group(people, acts, day)
            report = process_notices(
                evaluation.physicians, evaluation.compliance,
                {p["physician_id"]: p["email"] for p in people}, state, NoticeConfig(), day,
                Outbox(tmp_path / "outbox"),
            )  # fmt: skip
            assert not report.failed
            sent += [
                (o.notice.physician_id, o.notice.threshold, o.notice.days_to_renewal)
                for o in report.delivered
            ]
            day += timedelta(days=1)
    assert [(p, t) for p, t, _ in sent if p == "P1"] == [
        ("P1", 120),
        ("P1", 90),
        ("P1", 60),
        ("P1", 30),
        ("P1", 14),
    ]
    # Each fires on the first night its threshold is reached, never late.
    assert all(days == threshold for _, threshold, days in sent)
    assert [(p, t) for p, t, _ in sent if p == "P2"] == [("P2", 120), ("P2", 90)]
    assert not [s for s in sent if s[0] in ("P3", "P4", "P5")]
    assert Counter(p for p, _, _ in sent) == {"P1": 5, "P2": 2}
    assert len(list((tmp_path / "outbox").glob("*.eml"))) == 7


def test_missed_nights_send_only_the_most_urgent_and_never_go_back(tmp_path: Path) -> None:
    people = [physician("P1", RENEWAL)]
    acts = [act("a", "P1", date(2026, 1, 5), "10")]
    outbox = Outbox(tmp_path / "outbox")
    with open_state(tmp_path / "state.sqlite") as state:

        def night(days_left: int) -> list[int]:
            as_of = RENEWAL - timedelta(days=days_left)
            ev = evaluate_group(people, acts, as_of)
            report = process_notices(
                ev.physicians, ev.compliance, {"P1": "p1@example.org"}, state, NoticeConfig(),
                as_of, outbox,
            )  # fmt: skip
            return [o.notice.threshold for o in report.delivered]

        assert night(130) == []  # before the first threshold
        assert night(85) == [90]  # 120 and 90 both due after missed nights: only 90
        assert night(85) == []  # a second run the same night sends nothing
        assert night(100) == []  # an as-of date back in time never sends the skipped 120
        assert night(20) == [30]
        assert night(3) == [14]
        assert night(-1) == []  # lapsed: the office is told instead
        assert night(0) == []
    # A renewed license (new renewal date on the roster) starts a fresh cycle of notices.
    renewed = [physician("P1", RENEWAL.replace(year=2029))]
    with open_state(tmp_path / "state.sqlite") as state:
        as_of = RENEWAL.replace(year=2029) - timedelta(days=100)
        ev = evaluate_group(renewed, acts, as_of)
        report = process_notices(
            ev.physicians, ev.compliance, {"P1": "p1@example.org"}, state, NoticeConfig(),
            as_of, outbox,
        )  # fmt: skip
        assert [o.notice.threshold for o in report.delivered] == [120]
