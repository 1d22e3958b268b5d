"""What a ``--dry-run`` shows: each notice's text, in a folder of its own.

A dry run sends, writes to the outbox and records nothing, so an office checking the wording
before the first real night needs the messages themselves. They are written as plain text
(``To``, ``Subject``, the message) into ``OUT/notices/dry-run/``, never as ``.eml`` files a mail
program would offer to send, beside the dry run's own digest and apart from the real one.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Final

from cme_batch.notices.config import NoticeConfig
from cme_batch.notices.message import build_message
from cme_batch.notices.send import NOTICES_DIR, NoticeReport, file_stem
from cme_batch.output import write_text_atomic

#: The dry run's folder inside ``OUT/notices/``.
DRY_RUN_DIR: Final[str] = "dry-run"


def dry_run_folder(out: Path) -> Path:
    """``OUT/notices/dry-run``."""
    return out / NOTICES_DIR / DRY_RUN_DIR


def write_previews(
    report: NoticeReport, config: NoticeConfig, out: Path, now: dt.datetime
) -> list[Path]:
    """Write one ``.txt`` preview per notice that would be sent; older previews are removed.

    Returns:
        The previews written, in the report's order.
    """
    folder = dry_run_folder(out)
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("preview_*.txt"):
        old.unlink()
    written = []
    for outcome in report.outcomes:
        if outcome.status != "would_send":
            continue
        message = build_message(outcome.notice, config, report.as_of, now)
        body = message.get_body(("plain",))
        text = body.get_content() if body is not None else ""
        path = folder / f"preview_{file_stem(outcome.notice)}.txt"
        write_text_atomic(
            path,
            f"From: {message['From']}\nTo: {message['To']}\nSubject: {message['Subject']}\n\n"
            f"{text}",
        )
        written.append(path)
    return written
