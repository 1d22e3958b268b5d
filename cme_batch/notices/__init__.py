"""Renewal notices: who is due a reminder, the messages, their delivery and the office digest.

Modules, in the order a run uses them: :mod:`~cme_batch.notices.config` (the TOML file),
:mod:`~cme_batch.notices.plan` (which notices are due), :mod:`~cme_batch.notices.message`
(the email), :mod:`~cme_batch.notices.deliver` (outbox or SMTP), :mod:`~cme_batch.notices.send`
(deliver and record each) and :mod:`~cme_batch.notices.digest` (the office's summary).
"""

from cme_batch.notices.config import NoticeConfig, NoticeConfigError, SmtpConfig, load_config
from cme_batch.notices.plan import Notice, Plan, plan_notices
from cme_batch.notices.send import NoticeReport, process_notices

__all__ = [
    "Notice",
    "NoticeConfig",
    "NoticeConfigError",
    "NoticeReport",
    "Plan",
    "SmtpConfig",
    "load_config",
    "plan_notices",
    "process_notices",
]
