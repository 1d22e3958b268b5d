"""One run's notices: plan, deliver each, record each outcome, write the digest.

"Never twice, never lost": the ``notices`` table of the state database is the only memory of
what went out. A notice is recorded ``delivered`` only after the outbox file is in place or the
SMTP server accepted it; a refused or undeliverable one is recorded ``failed`` and planned again
on the next run. An SMTP send is recorded ``sending`` before the message leaves, so a run killed
between the server's acceptance and the record is noticed: the next run sends it again under
the same Message-ID (mail programs show one message) and the digest says so.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

import pandas as pd

from cme_batch.attention import NoticeCounts
from cme_batch.notices.address import address_problem, header_text
from cme_batch.notices.config import NoticeConfig
from cme_batch.notices.deliver import DeliveryError, Transport
from cme_batch.notices.message import build_message, message_id
from cme_batch.notices.plan import REMIND_STATUSES, Notice, Unnotified, plan_notices
from cme_batch.state import StateDB, StoredNotice

log = logging.getLogger(__name__)

#: Folder inside the output folder for the outbox and the digest.
NOTICES_DIR: Final[str] = "notices"
DRY_RUN: Final[str] = "dry_run"


@dataclass(frozen=True)
class Outcome:
    """What happened to one planned notice in this run."""

    notice: Notice
    #: ``delivered``, ``failed`` or ``would_send`` (dry run).
    status: str
    #: Where it went (file or server), or why it failed.
    detail: str
    #: An earlier attempt's outcome was unknown (a run stopped mid-send): sent again.
    resent: bool = False


@dataclass(frozen=True)
class NoticeReport:
    """Everything the digest shows about one run's notices."""

    mode: str
    as_of: dt.date
    outcomes: tuple[Outcome, ...]
    unnotified: tuple[Unnotified, ...]
    #: Reminders delivered on earlier runs this cycle to physicians who are still not compliant.
    earlier: tuple[StoredNotice, ...]

    @property
    def delivered(self) -> tuple[Outcome, ...]:
        """Notices delivered (or written to the outbox) in this run."""
        return tuple(o for o in self.outcomes if o.status == "delivered")

    @property
    def failed(self) -> tuple[Outcome, ...]:
        """Notices that could not be delivered; planned again on the next run."""
        return tuple(o for o in self.outcomes if o.status == "failed")

    @property
    def unsendable(self) -> tuple[Outcome, ...]:
        """Failed notices that no server was asked to take: no or no valid e-mail address."""
        return tuple(o for o in self.failed if address_problem(o.notice.email))

    def counts(self) -> NoticeCounts:
        """What of this run's notices needs a person (for the summary line and exit code)."""
        unsendable = len(self.unsendable)
        return NoticeCounts(
            failed=len(self.failed) - unsendable,
            unsendable=unsendable,
            need_office=len(self.unnotified),
            dry_run=self.mode == DRY_RUN,
        )


def file_stem(notice: Notice) -> str:
    """The outbox file name of a notice, fixed by its key, safe whatever the physician id is."""
    pid = re.sub(r"[^A-Za-z0-9_-]+", "-", notice.physician_id)[:40].strip("-") or "x"
    if pid != notice.physician_id:
        pid += "-" + hashlib.sha256(notice.physician_id.encode("utf-8")).hexdigest()[:8]
    return f"notice_{pid}_{notice.renewal_date.isoformat()}_{notice.kind}_{notice.threshold}d"


def process_notices(
    physicians: pd.DataFrame,
    compliance: pd.DataFrame,
    emails: Mapping[str, str],
    state: StateDB,
    config: NoticeConfig,
    as_of: dt.date,
    transport: Transport | None,
    now: dt.datetime | None = None,
    last_names: Mapping[str, str] | None = None,
) -> NoticeReport:
    """Send (or, with ``transport=None``, only plan: a dry run) this run's notices.

    Args:
        physicians: The evaluation's physicians table.
        compliance: The evaluation's compliance table.
        emails: Roster ``email`` by physician id.
        state: The state database (its ``notices`` table is read, and written unless dry).
        config: The notices configuration.
        as_of: The run's as-of date (shown in the notices).
        transport: The outbox or an SMTP sender; ``None`` for a dry run that records nothing.
        now: The clock for the ``Date`` header (tests inject it).
        last_names: Roster ``last_name`` by physician id (the notices' salutation).

    Returns:
        What happened, for the digest and the console.
    """
    now = now or dt.datetime.now().astimezone()
    history = state.notices()
    plan = plan_notices(physicians, compliance, emails, history, config, last_names)
    outcomes = []
    try:
        for notice in plan.due:
            outcomes.append(_one(notice, state, config, as_of, transport, now))
    finally:
        if transport is not None:
            transport.close()
    sent_now = {o.notice.key for o in outcomes}
    return NoticeReport(
        mode=DRY_RUN if transport is None else transport.channel,
        as_of=as_of,
        outcomes=tuple(outcomes),
        unnotified=plan.unnotified,
        earlier=_earlier(history, physicians, sent_now),
    )


def _one(
    notice: Notice,
    state: StateDB,
    config: NoticeConfig,
    as_of: dt.date,
    transport: Transport | None,
    now: dt.datetime,
) -> Outcome:
    resent = bool(notice.message_id)
    problem = address_problem(notice.email)
    if transport is None:
        return Outcome(notice, "would_send" if not problem else "failed", problem, resent)
    stamp = now.isoformat(timespec="seconds")
    record = StoredNotice(
        physician_id=notice.physician_id,
        renewal_date=notice.renewal_date.isoformat(),
        kind=notice.kind,
        threshold=notice.threshold,
        status="failed",
        channel=transport.channel,
        address=header_text(notice.email, 254),
        message_id=message_id(notice, config.sender),
        first_attempt=stamp,
        last_attempt=stamp,
        as_of=as_of.isoformat(),
        error=problem,
    )
    if problem:
        log.warning("notice for %s not sent: %s", notice.physician_id, problem)
        state.record_notice(record)
        return Outcome(notice, "failed", problem, resent)
    message = build_message(notice, config, as_of, now)
    attempts = 1
    if transport.channel == "smtp":
        state.record_notice(_replace(record, status="sending", error=""))
        attempts = 0
    try:
        where = transport.deliver(message, file_stem(notice))
    except DeliveryError as exc:
        log.error("notice for %s not delivered (retried next run): %s", notice.physician_id, exc)
        state.record_notice(_replace(record, error=str(exc), attempts=attempts))
        return Outcome(notice, "failed", str(exc), resent)
    state.record_notice(_replace(record, status="delivered", attempts=attempts))
    log.info(
        "notice %s %dd for %s delivered to %s", notice.kind, notice.threshold,
        notice.physician_id, where,
    )  # fmt: skip
    return Outcome(notice, "delivered", where, resent)


def _replace(record: StoredNotice, **changes: object) -> StoredNotice:
    import dataclasses

    return dataclasses.replace(record, **changes)  # type: ignore[arg-type]


def _earlier(
    history: list[StoredNotice], physicians: pd.DataFrame, sent_now: set[tuple[str, str, str, int]]
) -> tuple[StoredNotice, ...]:
    """The last reminder delivered this cycle to each physician still to be reminded."""
    current = {
        str(r["physician_id"]): str(r["renewal_date"])
        for r in physicians.to_dict("records")
        if r["status"] in REMIND_STATUSES
    }
    last: dict[str, StoredNotice] = {}
    for stored in history:
        key = (stored.physician_id, stored.renewal_date, stored.kind, stored.threshold)
        if (
            stored.status == "delivered"
            and current.get(stored.physician_id) == stored.renewal_date
            and key not in sent_now
        ):
            previous = last.get(stored.physician_id)
            if previous is None or stored.threshold < previous.threshold:
                last[stored.physician_id] = stored
    return tuple(last[p] for p in sorted(last))
