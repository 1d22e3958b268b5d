"""A notice as a standard email message: plain text with an HTML alternative.

Built with the stdlib :class:`email.message.EmailMessage` (policy ``default``), so headers are
encoded by the library, never assembled by hand. Roster names go only into the ``To`` display
name (through :class:`email.headerregistry.Address`, after :func:`header_text`), and the
address must already have passed :func:`valid_address`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime

from cme_batch.notices.address import header_text, split_mailbox, valid_address
from cme_batch.notices.config import NoticeConfig
from cme_batch.notices.plan import Notice
from cme_batch.notices.render import render


def message_id(notice: Notice, sender: str) -> str:
    """A Message-ID fixed by the notice's key, so a retried notice keeps its identity."""
    if notice.message_id:
        return notice.message_id
    digest = hashlib.sha256("\x1f".join(map(str, notice.key)).encode("utf-8")).hexdigest()[:24]
    domain = split_mailbox(sender)[1].rpartition("@")[2] or "localhost"
    return f"<cme-notice-{digest}@{domain}>"


def build_message(
    notice: Notice, config: NoticeConfig, as_of: dt.date, now: dt.datetime
) -> EmailMessage:
    """The email for one notice.

    Raises:
        ValueError: The notice's address is not valid (callers check it first and report it).
    """
    address = notice.email.strip()
    if not valid_address(address):
        raise ValueError(f"not a valid address: {address!r}")
    context = {
        "notice": notice,
        "office": config.office,
        "how_to_send": config.how_to_send,
        "reply_to": config.reply_to,
        "as_of": as_of,
    }
    subject = header_text(render("notice_subject.txt.j2", **context))
    message = EmailMessage(policy=policy.default)
    sender_name, sender_address = split_mailbox(config.sender)
    message["From"] = _address(sender_name, sender_address)
    local, _, domain = address.rpartition("@")
    message["To"] = Address(header_text(notice.physician_name), local, domain)
    if config.reply_to:
        message["Reply-To"] = _address("", config.reply_to)
    message["Subject"] = subject
    message["Date"] = format_datetime(now)
    message["Message-ID"] = message_id(notice, config.sender)
    # RFC 3834: machine-generated, so vacation responders do not answer it.
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(render("notice.txt.j2", **context))
    message.add_alternative(render("notice.html.j2", subject=subject, **context), subtype="html")
    return message


def _address(name: str, address: str) -> Address:
    local, _, domain = address.rpartition("@")
    return Address(header_text(name), local, domain)
