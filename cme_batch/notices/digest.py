"""The office's digest of one run's notices: ``OUT/notices/digest.html`` and ``digest.txt``.

Written every run that handles notices (replacing the last one), so the file always answers
"what went out last night, what failed, and whom could we not remind". A dry run writes its
digest into ``notices/dry-run/`` (with the previews of its messages) and leaves the real digest
alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from cme_batch.notices.render import render
from cme_batch.notices.send import DRY_RUN, NOTICES_DIR, NoticeReport
from cme_batch.output import write_text_atomic


def write_digest(
    report: NoticeReport, out: Path, office: str, warnings: Sequence[str] = ()
) -> list[Path]:
    """Render both digests into ``out/notices/`` (a dry run's into ``dry-run/``).

    Args:
        report: This run's notices.
        out: The output folder.
        office: The office's name, for the signature.
        warnings: What the office should fix in its settings (a placeholder sender).

    Returns:
        The paths written.
    """
    folder = out / NOTICES_DIR
    if report.mode == DRY_RUN:
        folder = folder / "dry-run"
    context = {
        "report": report, "office": office, "dry_run": report.mode == DRY_RUN,
        "warnings": list(warnings),
    }  # fmt: skip
    written = []
    for suffix in ("html", "txt"):
        path = folder / f"digest.{suffix}"
        write_text_atomic(path, render(f"digest.{suffix}.j2", **context))
        written.append(path)
    return written


def summary_line(report: NoticeReport) -> str:
    """One line for the console, e.g. ``notices: 3 delivered to the outbox, 1 failed``."""
    if report.mode == DRY_RUN:
        would = sum(1 for o in report.outcomes if o.status == "would_send")
        return (
            f"notices (dry run, nothing sent or recorded): {would} would be sent, "
            f"{len(report.failed)} cannot be sent, {len(report.unnotified)} need the office"
        )
    where = "written to the outbox" if report.mode == "outbox" else "sent"
    return (
        f"notices: {len(report.delivered)} {where}, {len(report.failed)} failed "
        f"(retried next run), {len(report.unnotified)} need the office"
    )
