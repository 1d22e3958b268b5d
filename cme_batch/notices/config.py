"""The notices configuration file (TOML): when notices go out, their sender, and the SMTP server.

Example (every key optional except ``smtp.host`` when ``[smtp]`` is present)::

    [notices]
    thresholds = [120, 90, 60, 30, 14]     # days before the renewal date
    all_set = false                        # also a "you are all set" note, once per cycle
    from = "Medical Staff Office <cme@example.org>"
    reply_to = "cme@example.org"
    office = "Medical Staff Office"
    how_to_send = "Reply to this message with your certificates attached."

    [smtp]
    host = "smtp.example.org"
    port = 587
    starttls = true
    username = "cme"
    password_env = "CME_SMTP_PASSWORD"     # the password is read from this variable
    timeout = 30

The password is never written in the file nor given on the command line: the file names an
environment variable, read only when ``--send-notices`` actually connects.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from cme_batch.errors import CmeBatchError, ExitCode
from cme_batch.notices.address import split_mailbox, valid_address

#: Days before the renewal date at which a deficient physician is reminded; the last is final.
DEFAULT_THRESHOLDS: Final[tuple[int, ...]] = (120, 90, 60, 30, 14)
#: A placeholder (``.invalid`` is reserved): the outbox's files are sent from the office's own
#: mail program; sending by SMTP requires ``notices.from``.
DEFAULT_FROM: Final[str] = "Medical Staff Office <cme-office@example.invalid>"
DEFAULT_HOW_TO_SEND: Final[str] = (
    "Reply to this message with your certificates attached (PDF or a clear photo of each "
    "page), or bring them to the Medical Staff Office."
)

_NOTICE_KEYS: Final = {"thresholds", "all_set", "from", "reply_to", "office", "how_to_send"}
_SMTP_KEYS: Final = {"host", "port", "starttls", "username", "password_env", "timeout"}


class NoticeConfigError(CmeBatchError):
    """The notices configuration file cannot be read or holds a bad value."""

    exit_code = ExitCode.BAD_ARGUMENTS


@dataclass(frozen=True)
class SmtpConfig:
    """Where and how to send notices by SMTP."""

    host: str
    port: int = 587
    starttls: bool = True
    username: str = ""
    password_env: str = ""
    timeout: float = 30.0

    def password(self) -> str:
        """The password from the environment variable the file names ("" when no login).

        Raises:
            NoticeConfigError: A username is set but the variable is unset or empty.
        """
        if not self.username:
            return ""
        value = os.environ.get(self.password_env, "") if self.password_env else ""
        if not value:
            raise NoticeConfigError(
                f"smtp.username is set but the password variable "
                f"{self.password_env or '(smtp.password_env)'} is not set in the environment"
            )
        return value


@dataclass(frozen=True)
class NoticeConfig:
    """Everything about notices that an office may set."""

    thresholds: tuple[int, ...] = DEFAULT_THRESHOLDS
    all_set: bool = False
    sender: str = DEFAULT_FROM
    reply_to: str = ""
    office: str = "Medical Staff Office"
    how_to_send: str = DEFAULT_HOW_TO_SEND
    smtp: SmtpConfig | None = field(default=None)

    @property
    def final_threshold(self) -> int:
        """The last reminder's threshold (the smallest); its notice says it is the final one."""
        return min(self.thresholds)


def load_config(path: Path | None) -> NoticeConfig:
    """Read and check a notices configuration file; ``None`` gives the defaults.

    Raises:
        NoticeConfigError: The file cannot be read, is not TOML, or has an unknown key or a bad
            value (the message names the file and the key).
    """
    if path is None:
        return NoticeConfig()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise NoticeConfigError(f"--notices-config {path}: cannot read it: {exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise NoticeConfigError(f"--notices-config {path}: not valid TOML: {exc}") from exc
    try:
        return _parse(data)
    except (TypeError, ValueError) as exc:
        raise NoticeConfigError(f"--notices-config {path}: {exc}") from exc


def _parse(data: Mapping[str, object]) -> NoticeConfig:
    unknown = set(data) - {"notices", "smtp"}
    if unknown:
        raise ValueError(f"unknown section(s) {sorted(unknown)}; expected [notices] and [smtp]")
    notices = _section(data, "notices", _NOTICE_KEYS)
    thresholds = notices.get("thresholds", list(DEFAULT_THRESHOLDS))
    if (
        not isinstance(thresholds, list)
        or not thresholds
        or not all(isinstance(t, int) and not isinstance(t, bool) and t > 0 for t in thresholds)
    ):
        raise ValueError("notices.thresholds must be a list of whole days, each 1 or more")
    sender = _text(notices, "from", DEFAULT_FROM)
    if not valid_address(split_mailbox(sender)[1]):
        raise ValueError(f"notices.from {sender!r} is not an email address")
    reply_to = _text(notices, "reply_to", "")
    if reply_to and not valid_address(reply_to):
        raise ValueError(f"notices.reply_to {reply_to!r} is not an email address")
    smtp = None
    if "smtp" in data:
        raw = _section(data, "smtp", _SMTP_KEYS)
        host = _text(raw, "host", "")
        if not host:
            raise ValueError("smtp.host is required in [smtp]")
        if "from" not in notices:
            raise ValueError("notices.from (the sender address) is required to send by SMTP")
        port = raw.get("port", 587)
        if not isinstance(port, int) or isinstance(port, bool) or not 0 < port < 65536:
            raise ValueError("smtp.port must be a port number")
        timeout = raw.get("timeout", 30)
        if not isinstance(timeout, int | float) or isinstance(timeout, bool) or timeout <= 0:
            raise ValueError("smtp.timeout must be a positive number of seconds")
        smtp = SmtpConfig(
            host=host,
            port=port,
            starttls=_flag(raw, "starttls", True),
            username=_text(raw, "username", ""),
            password_env=_text(raw, "password_env", ""),
            timeout=float(timeout),
        )
    return NoticeConfig(
        thresholds=tuple(sorted(set(thresholds), reverse=True)),
        all_set=_flag(notices, "all_set", False),
        sender=sender,
        reply_to=reply_to,
        office=_text(notices, "office", "Medical Staff Office"),
        how_to_send=_text(notices, "how_to_send", DEFAULT_HOW_TO_SEND),
        smtp=smtp,
    )


def _section(data: Mapping[str, object], name: str, keys: set[str]) -> dict[str, object]:
    section = data.get(name, {})
    if not isinstance(section, dict):
        raise ValueError(f"[{name}] must be a table")
    unknown = set(section) - keys
    if unknown:
        raise ValueError(f"unknown key(s) in [{name}]: {', '.join(sorted(unknown))}")
    return section


def _text(section: Mapping[str, object], key: str, default: str) -> str:
    value = section.get(key, default)
    if not isinstance(value, str):
        raise ValueError(f"{key} must be text")
    return value.strip()


def _flag(section: Mapping[str, object], key: str, default: bool) -> bool:
    value = section.get(key, default)
    if not isinstance(value, bool):
        raise ValueError(f"{key} must be true or false")
    return value
