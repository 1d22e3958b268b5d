"""Delivery to a real SMTP server on 127.0.0.1 (aiosmtpd), including one that refuses."""

from __future__ import annotations

import socket
from datetime import date
from email import message_from_bytes, policy
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from cme_batch.notices.config import NoticeConfig, SmtpConfig
from cme_batch.notices.deliver import SmtpSender
from cme_batch.notices.digest import write_digest
from cme_batch.notices.send import process_notices
from cme_batch.state import open_state
from tests.notices.factory import EMPTY_COMPLIANCE, physicians_table

AS_OF = date(2026, 11, 27)
PHYSICIANS = physicians_table(
    [
        {"physician_id": "P1", "physician_name": "Ann One, MD", "renewal_date": date(2027, 1, 20),
         "days_to_renewal": 54, "status": "urgent"},
        {"physician_id": "P2", "physician_name": "Bob Two, MD", "renewal_date": date(2027, 2, 1),
         "days_to_renewal": 66, "status": "deficient"},
    ]
)  # fmt: skip
EMAILS = {"P1": "ann@example.org", "P2": "bob@refuse.example"}


class Handler:
    def __init__(self, refuse: str = "") -> None:
        self.refuse = refuse
        self.messages: list[tuple[list[str], bytes]] = []

    async def handle_RCPT(
        self,
        server: Any,
        session: Any,
        envelope: Any,
        address: str,  # noqa: N802
        options: Any,
    ) -> str:
        if self.refuse and address.endswith(self.refuse):
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.messages.append((list(envelope.rcpt_tos), envelope.original_content))
        return "250 Message accepted"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture()
def port() -> int:
    return free_port()


def serve(handler: Handler, port: int) -> Controller:
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    return controller


def config(port: int) -> NoticeConfig:
    return NoticeConfig(
        sender="Office <office@example.org>",
        smtp=SmtpConfig(host="127.0.0.1", port=port, starttls=False, timeout=5),
    )


def night(tmp_path: Path, port: int) -> Any:
    cfg = config(port)
    assert cfg.smtp is not None
    with open_state(tmp_path / "state.sqlite") as state:
        report = process_notices(
            PHYSICIANS, EMPTY_COMPLIANCE, EMAILS, state, cfg, AS_OF, SmtpSender(cfg.smtp, "")
        )
        stored = {(n.physician_id, n.threshold): n for n in state.notices()}
    write_digest(report, tmp_path, cfg.office)
    return report, stored


def test_refused_message_is_recorded_retried_and_reported(tmp_path: Path, port: int) -> None:
    refusing = Handler(refuse="@refuse.example")
    controller = serve(refusing, port)
    try:
        report, stored = night(tmp_path, port)
    finally:
        controller.stop()
    assert [o.notice.physician_id for o in report.delivered] == ["P1"]
    assert [o.notice.physician_id for o in report.failed] == ["P2"]
    assert "550" in report.failed[0].detail
    assert stored[("P1", 60)].status == "delivered"
    assert stored[("P2", 90)].status == "failed" and "550" in stored[("P2", 90)].error
    assert "550" in (tmp_path / "notices" / "digest.html").read_text(encoding="utf-8")
    assert len(refusing.messages) == 1
    rcpts, data = refusing.messages[0]
    assert rcpts == ["ann@example.org"]
    parsed = message_from_bytes(data, policy=policy.default)
    assert parsed["To"].addresses[0].addr_spec == "ann@example.org"

    accepting = Handler()
    controller = serve(accepting, port)
    try:
        report, stored = night(tmp_path, port)  # the next night: only the failed one again
        again, _ = night(tmp_path, port)  # and the night after: nothing
    finally:
        controller.stop()
    assert [(o.notice.physician_id, o.notice.retry) for o in report.delivered] == [("P2", True)]
    assert stored[("P2", 90)].status == "delivered" and stored[("P2", 90)].attempts == 2
    assert [r for r, _ in accepting.messages] == [["bob@refuse.example"]]
    assert again.outcomes == ()


def test_server_down_fails_every_notice_and_they_go_out_next_run(tmp_path: Path, port: int) -> None:
    report, stored = night(tmp_path, port)  # nothing listens on the port
    assert len(report.failed) == 2 and not report.delivered
    assert {n.status for n in stored.values()} == {"failed"}
    handler = Handler()
    controller = serve(handler, port)
    try:
        report, stored = night(tmp_path, port)
    finally:
        controller.stop()
    assert len(report.delivered) == 2 and len(handler.messages) == 2
    assert {n.status for n in stored.values()} == {"delivered"}


def test_send_interrupted_after_acceptance_is_resent_with_the_same_message_id(
    tmp_path: Path, port: int
) -> None:
    handler = Handler()
    controller = serve(handler, port)
    try:
        report, stored = night(tmp_path, port)
        first_id = stored[("P1", 60)].message_id
        # Simulate a run killed between the server's acceptance and the record.
        with open_state(tmp_path / "state.sqlite") as state:
            state._db.execute("UPDATE notices SET status = 'sending' WHERE physician_id = 'P1'")
            state._db.commit()
        report, stored = night(tmp_path, port)
    finally:
        controller.stop()
    assert [(o.notice.physician_id, o.resent) for o in report.delivered] == [("P1", True)]
    ids = [message_from_bytes(d, policy=policy.default)["Message-ID"] for _, d in handler.messages]
    assert ids.count(first_id) == 2  # a mail program shows it once
