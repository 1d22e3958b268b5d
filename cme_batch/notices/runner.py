"""Notices as a step of ``cme-batch run``: checked before the run, done after the reports.

The configuration and the SMTP password are checked before any file is read, so a typo in the
config file costs seconds, not a night's OCR.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from pathlib import Path

from cme_batch.attention import NoticeCounts
from cme_batch.notices.config import DEFAULT_FROM, NoticeConfig, NoticeConfigError, load_config
from cme_batch.notices.deliver import Outbox, SmtpSender, Transport
from cme_batch.notices.digest import write_digest
from cme_batch.notices.preview import write_previews
from cme_batch.notices.send import DRY_RUN, NOTICES_DIR, NoticeReport, process_notices
from cme_batch.pipeline import RunResult
from cme_batch.state import StateDB

log = logging.getLogger(__name__)


@dataclass
class NoticeStep:
    """The notices part of one run; call it after the reports (``run_with_state(after=...)``)."""

    config: NoticeConfig
    out: Path
    #: ``outbox``, ``smtp`` or ``dry_run``.
    mode: str
    password: str = field(default="", repr=False)
    now: dt.datetime | None = None
    report: NoticeReport | None = None
    written: list[Path] = field(default_factory=list)
    #: A dry run's message previews (``notices/dry-run/preview_*.txt``).
    previews: list[Path] = field(default_factory=list)

    def __call__(self, result: RunResult, state: StateDB) -> NoticeCounts:
        """Plan, deliver and record this run's notices, write the digest; returns the counts."""
        roster = result.inputs.roster
        emails = dict(
            zip(roster["physician_id"].astype(str), roster["email"].astype(str), strict=True)
        )
        evaluation = result.evaluation
        self.report = process_notices(
            evaluation.physicians,
            evaluation.compliance,
            emails,
            state,
            self.config,
            evaluation.as_of,
            self._transport(),
            self.now,
            dict(
                zip(
                    roster["physician_id"].astype(str),
                    roster["last_name"].astype(str),
                    strict=True,
                )
            ),
        )
        warnings = self.warnings()
        for warning in warnings:
            log.warning("%s", warning)
        self.written = write_digest(self.report, self.out, self.config.office, warnings)
        if self.mode == DRY_RUN:
            now = self.now or dt.datetime.now().astimezone()
            self.previews = write_previews(self.report, self.config, self.out, now)
        return self.report.counts()

    def warnings(self) -> list[str]:
        """Settings the office should fix before notices reach physicians."""
        if self.config.sender == DEFAULT_FROM:
            return [
                f"notices carry the placeholder sender {DEFAULT_FROM}: set notices.from to the "
                "office's address in the file given with --notices-config (docs/notices.md)"
            ]
        return []

    def _transport(self) -> Transport | None:
        if self.mode == DRY_RUN:
            return None
        if self.mode == "smtp":
            assert self.config.smtp is not None
            return SmtpSender(self.config.smtp, self.password)
        return Outbox(self.out / NOTICES_DIR)


def prepare(out: Path, config_path: Path | None, *, send: bool, dry_run: bool) -> NoticeStep:
    """Check the notice options and configuration before the run.

    Raises:
        NoticeConfigError: The file is bad, ``--send-notices`` without an ``[smtp]`` section, or
            the password variable the file names is not set.
    """
    config = load_config(config_path)
    password = ""
    if send:
        if config.smtp is None:
            where = f" in {config_path}" if config_path else " (give --notices-config FILE)"
            raise NoticeConfigError(f"--send-notices needs an [smtp] section{where}")
        if not dry_run:
            password = config.smtp.password()
    mode = DRY_RUN if dry_run else ("smtp" if send else "outbox")
    return NoticeStep(config=config, out=out, mode=mode, password=password)
