"""The .eml files: parseable by the stdlib, hostile roster and certificate text inert,
bad addresses reported (never guessed), dry runs record nothing, the config file checked."""

from __future__ import annotations

from datetime import date
from email import message_from_bytes, policy
from email.parser import BytesParser
from pathlib import Path

import pytest

from cme_batch.cli import main
from cme_batch.notices.config import NoticeConfig, NoticeConfigError, load_config
from cme_batch.notices.deliver import Outbox
from cme_batch.notices.digest import write_digest
from cme_batch.notices.send import process_notices
from cme_batch.state import open_state
from tests.notices.factory import EMPTY_COMPLIANCE, physicians_table

AS_OF = date(2026, 11, 27)
HOSTILE_NAME = "Eve <script>alert(1)</script>\r\nBcc: victim@evil.example\r\n\r\n<b>x</b>"
HOSTILE_MISSING = "confirm flagged record <img src=x onerror=alert(1)>.pdf#p1"


def physicians(**email_overrides: str) -> tuple[object, dict[str, str]]:
    renewal = date(2027, 1, 20)
    table = physicians_table(
        [
            {"physician_id": "P1", "physician_name": HOSTILE_NAME, "renewal_date": renewal,
             "days_to_renewal": 54, "status": "needs_review", "missing": HOSTILE_MISSING},
            {"physician_id": "P2", "physician_name": "No Address", "renewal_date": renewal,
             "days_to_renewal": 54, "status": "deficient"},
            {"physician_id": "P3", "physician_name": "Injected Address",
             "renewal_date": renewal, "days_to_renewal": 54, "status": "deficient"},
            {"physician_id": "P4", "physician_name": "Lapsed", "renewal_date": date(2026, 10, 3),
             "days_to_renewal": -55, "status": "lapsed"},
            {"physician_id": "P5", "physician_name": "All Set", "renewal_date": renewal,
             "days_to_renewal": 54, "status": "compliant", "missing": ""},
        ]
    )  # fmt: skip
    emails = {
        "P1": "eve@example.org",
        "P2": "",
        "P3": "p3@example.org\r\nBcc: x@evil.example",
        "P4": "p4@example.org",
        "P5": "p5@example.org",
    }
    emails.update(email_overrides)
    return table, emails


def run_once(tmp_path: Path, config: NoticeConfig | None = None, dry: bool = False):  # type: ignore[no-untyped-def]
    table, emails = physicians()
    config = config or NoticeConfig()
    with open_state(tmp_path / "state.sqlite") as state:
        transport = None if dry else Outbox(tmp_path / "notices")
        report = process_notices(table, EMPTY_COMPLIANCE, emails, state, config, AS_OF, transport)  # type: ignore[arg-type]
        stored = state.notices()
    write_digest(report, tmp_path, config.office)
    return report, stored


def test_hostile_names_are_inert_in_the_eml(tmp_path: Path) -> None:
    report, _ = run_once(tmp_path)
    files = sorted((tmp_path / "notices").glob("*.eml"))
    assert [f.name for f in files] == ["notice_P1_2027-01-20_reminder_60d.eml"]
    raw = files[0].read_bytes()
    parsed = BytesParser(policy=policy.default).parsebytes(raw)
    assert parsed["Bcc"] is None
    assert [a.addr_spec for a in parsed["To"].addresses] == ["eve@example.org"]
    assert "\n" not in str(parsed["To"]) and "Bcc" in str(parsed["To"])  # kept as inert text
    header_block = raw.split(b"\r\n\r\n", 1)[0]
    assert not any(line.startswith(b"Bcc:") for line in header_block.split(b"\r\n"))
    html = parsed.get_body(("html",)).get_content()
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<img" not in html and "&lt;img src=x" in html
    text = parsed.get_body(("plain",)).get_content()
    assert HOSTILE_MISSING in text  # plain text is not HTML-escaped
    assert parsed.get_content_type() == "multipart/alternative"
    digest = (tmp_path / "notices" / "digest.html").read_text(encoding="utf-8")
    assert "<script>" not in digest and "<img" not in digest


def test_bad_addresses_are_reported_not_guessed_and_retried(tmp_path: Path) -> None:
    report, stored = run_once(tmp_path)
    failed = {o.notice.physician_id: o.detail for o in report.failed}
    assert failed["P2"] == "no email address on the roster"
    assert "not one valid address" in failed["P3"]
    assert [u.physician_id for u in report.unnotified] == ["P4"]
    assert {n.physician_id: n.status for n in stored} == {
        "P1": "delivered", "P2": "failed", "P3": "failed"
    }  # fmt: skip
    digest = (tmp_path / "notices" / "digest.txt").read_text(encoding="utf-8")
    assert "no email address on the roster" in digest and "P4" in digest
    assert "p3@example.org Bcc: x@evil.example" in digest  # shown flattened on one line
    assert not any(line.lstrip().startswith("Bcc:") for line in digest.splitlines())
    report, _ = run_once(tmp_path)  # still failing next run, and still reported
    assert sorted(o.notice.physician_id for o in report.failed) == ["P2", "P3"]
    assert not report.delivered


def test_dry_run_records_and_writes_nothing(tmp_path: Path) -> None:
    report, stored = run_once(tmp_path, dry=True)
    assert stored == []
    assert [o.notice.physician_id for o in report.outcomes if o.status == "would_send"] == ["P1"]
    assert not list(tmp_path.glob("notices/*.eml"))
    assert not (tmp_path / "notices" / "digest.html").exists()
    assert (tmp_path / "notices" / "dry-run" / "digest.html").exists()


def test_all_set_note_once_per_cycle_when_turned_on(tmp_path: Path) -> None:
    report, _ = run_once(tmp_path, NoticeConfig(all_set=True))
    assert ("P5", "all_set") in {(o.notice.physician_id, o.notice.kind) for o in report.delivered}
    report, _ = run_once(tmp_path, NoticeConfig(all_set=True))
    assert "P5" not in {o.notice.physician_id for o in report.outcomes}
    eml = (tmp_path / "notices" / "notice_P5_2027-01-20_all_set_0d.eml").read_bytes()
    assert "all set" in message_from_bytes(eml, policy=policy.default)["Subject"].lower() or (
        "complete" in message_from_bytes(eml, policy=policy.default)["Subject"]
    )


def test_config_file_is_checked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    good = tmp_path / "n.toml"
    good.write_text(
        '[notices]\nthresholds = [30, 120]\nfrom = "Office <cme@example.org>"\n'
        '[smtp]\nhost = "127.0.0.1"\nport = 2525\nusername = "u"\npassword_env = "CME_TEST_PW"\n'
    )
    config = load_config(good)
    assert config.thresholds == (120, 30) and config.final_threshold == 30
    assert config.smtp is not None
    monkeypatch.delenv("CME_TEST_PW", raising=False)
    with pytest.raises(NoticeConfigError, match="CME_TEST_PW"):
        config.smtp.password()
    monkeypatch.setenv("CME_TEST_PW", "s3cret")
    assert config.smtp.password() == "s3cret"
    bad = tmp_path / "bad.toml"
    bad.write_text("[notices]\nthreshold = [30]\n")
    with pytest.raises(NoticeConfigError, match="threshold"):
        load_config(bad)
    bad.write_text("[smtp]\nport = 25\n")
    with pytest.raises(NoticeConfigError, match="smtp.host"):
        load_config(bad)
    bad.write_text('[smtp]\nhost = "127.0.0.1"\n')
    with pytest.raises(NoticeConfigError, match="notices.from"):
        load_config(bad)


def test_cli_checks_notice_options_before_reading(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    roster = tmp_path / "roster.csv"
    roster.write_text("x\n")
    args = ["run", "--inbox", str(inbox), "--roster", str(roster), "--out", str(tmp_path / "o")]
    assert main([*args, "--send-notices"]) == 2  # no [smtp] section to send with
    assert main([*args, "--no-notices", "--dry-run"]) == 2
    assert not (tmp_path / "o").exists()
