"""Where notices go: ``.eml`` files in the outbox folder, or an SMTP server.

A transport delivers one message or raises :class:`DeliveryError` for that message; it never
decides what was sent (the state database does, see :mod:`cme_batch.notices.send`).
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from email import policy
from email.message import EmailMessage
from pathlib import Path
from typing import Protocol

from cme_batch.notices.config import SmtpConfig
from cme_batch.output import atomic_path

log = logging.getLogger(__name__)


class DeliveryError(Exception):
    """One message could not be delivered; the text says why (shown in the digest)."""


class Transport(Protocol):
    """Something that delivers messages: the outbox folder or an SMTP server."""

    #: ``outbox`` or ``smtp``, recorded with each notice.
    channel: str

    def deliver(self, message: EmailMessage, name: str) -> str:
        """Deliver one message; ``name`` is its file name stem. Returns where it went."""

    def close(self) -> None:
        """Release the connection, if any."""


class Outbox:
    """Writes each message as a standard ``.eml`` file (CRLF line ends) into a folder.

    The file name is fixed by the notice, and the file is written under a temporary name and
    renamed, so writing a notice again (a retry after a crash) replaces it rather than adding a
    second copy. ``X-Unsent: 1`` makes Outlook open the file as a message ready to send.
    """

    channel = "outbox"

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def deliver(self, message: EmailMessage, name: str) -> str:
        """Write ``name.eml``; an unwritable folder is a failed delivery, retried next run."""
        del message["X-Unsent"]
        message["X-Unsent"] = "1"
        path = self.folder / f"{name}.eml"
        try:
            with atomic_path(path) as tmp:
                tmp.write_bytes(message.as_bytes(policy=policy.SMTP))
        except OSError as exc:
            raise DeliveryError(f"cannot write {path}: {exc.strerror}") from exc
        return str(path)

    def close(self) -> None:
        """Nothing to release."""


class SmtpSender:
    """Sends through one SMTP connection per run, opened on the first message.

    A connection that cannot be opened (server down, TLS or login refused) fails every
    message of this run with the same reason rather than waiting for a timeout each time.
    """

    channel = "smtp"

    def __init__(self, config: SmtpConfig, password: str) -> None:
        self.config = config
        self._password = password
        self._smtp: smtplib.SMTP | None = None
        self._broken = ""

    def _connect(self) -> smtplib.SMTP:
        if self._broken:
            raise DeliveryError(self._broken)
        if self._smtp is not None:
            return self._smtp
        config = self.config
        try:
            smtp = smtplib.SMTP(config.host, config.port, timeout=config.timeout)
            smtp.ehlo()
            if config.starttls:
                smtp.starttls(context=ssl.create_default_context())
                smtp.ehlo()
            if config.username:
                smtp.login(config.username, self._password)
        except (OSError, smtplib.SMTPException) as exc:
            self._broken = f"SMTP server {config.host}:{config.port}: {_reason(exc)}"
            raise DeliveryError(self._broken) from exc
        self._smtp = smtp
        return smtp

    def deliver(self, message: EmailMessage, name: str) -> str:
        """Send one message; a refusal fails this message only."""
        smtp = self._connect()
        try:
            refused = smtp.send_message(message)
        except smtplib.SMTPServerDisconnected as exc:
            self._smtp = None
            raise DeliveryError(f"the SMTP server closed the connection: {_reason(exc)}") from exc
        except (smtplib.SMTPException, OSError) as exc:
            self._reset()
            raise DeliveryError(f"the SMTP server refused it: {_reason(exc)}") from exc
        if refused:
            raise DeliveryError(f"the SMTP server refused {', '.join(refused)}")
        return f"{self.config.host}:{self.config.port}"

    def _reset(self) -> None:
        """Make the connection usable for the next message after a refusal."""
        if self._smtp is None:
            return
        try:
            self._smtp.rset()
        except (smtplib.SMTPException, OSError):
            self._smtp = None

    def close(self) -> None:
        """Say QUIT (a server that is gone already is no error here)."""
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except (smtplib.SMTPException, OSError):
                log.debug("SMTP QUIT failed", exc_info=True)
            self._smtp = None


def _reason(exc: BaseException) -> str:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return "; ".join(f"{rcpt}: {_code(v)}" for rcpt, v in exc.recipients.items())
    if isinstance(exc, smtplib.SMTPResponseException):
        return _code((exc.smtp_code, exc.smtp_error))
    return str(exc) or type(exc).__name__


def _code(reply: tuple[int, bytes | str]) -> str:
    code, text = reply
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return f"{code} {' '.join(text.split())}"
