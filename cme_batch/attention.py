"""What a run leaves for a person to do, and the one summary line and exit code that say it.

Cron mails whatever a job prints and tells failure from success by the exit code only, and
``--quiet`` hides warnings; so everything that needs a person (failed documents, records
awaiting review, notices that failed or cannot be sent, physicians no notice can reach, a
corrections form with decisions no run has read) is counted here, shown on the summary line and
reflected in the exit code (README, "Exit codes").
"""

from __future__ import annotations

from dataclasses import dataclass

from cme_batch.errors import ExitCode


@dataclass(frozen=True)
class NoticeCounts:
    """The notices step's part of what needs a person.

    Attributes:
        failed: Notices the outbox or the SMTP server did not take (retried next run).
        unsendable: Notices that cannot be sent: no e-mail address, or one that is not valid.
        need_office: Physicians no notice is planned for (lapsed, no usable renewal date).
        dry_run: Nothing was sent nor recorded: the counts are a preview, not a failure.
    """

    failed: int = 0
    unsendable: int = 0
    need_office: int = 0
    dry_run: bool = False


@dataclass(frozen=True)
class Attention:
    """Counts of what a run leaves for a person."""

    failed_documents: int = 0
    awaiting_review: int = 0
    notices: NoticeCounts | None = None
    #: ``corrections.csv`` holds decisions no run has read (it was left as it is).
    form_unread: bool = False

    def parts(self) -> list[str]:
        """The non-zero counts in words, most urgent first."""
        found: list[str] = []
        if self.failed_documents:
            found.append(_plural(self.failed_documents, "failed document"))
        if self.awaiting_review:
            found.append(_plural(self.awaiting_review, "record") + " awaiting review")
        notices = self.notices
        if notices is not None:
            if notices.failed:
                what = "that would fail" if notices.dry_run else "failed"
                found.append(_plural(notices.failed, "notice") + f" {what}")
            if notices.unsendable:
                found.append(
                    _plural(notices.unsendable, "notice") + " not sendable (e-mail address)"
                )
            if notices.need_office:
                found.append(_plural(notices.need_office, "physician") + " no notice can reach")
        if self.form_unread:
            found.append("corrections.csv has decisions no run has read")
        return found

    def sentence(self) -> str:
        """The sentence for the summary line: what needs a person, or that nothing does."""
        parts = self.parts()
        return f"Needs a person: {', '.join(parts)}." if parts else "Nothing needs a person."

    @property
    def notices_failed(self) -> bool:
        """Whether a notice that should have gone out did not (a dry run sends none)."""
        n = self.notices
        return n is not None and not n.dry_run and (n.failed + n.unsendable) > 0


def exit_code(base: ExitCode, attention: Attention) -> ExitCode:
    """The run's exit code: ``base`` (0 or 5), or 9 when only notices failed.

    Failed documents (5) are reported before failed notices (9): both need a person, the
    summary line counts both, and a wrong report is worse than a missed reminder.
    """
    if base == ExitCode.OK and attention.notices_failed:
        return ExitCode.NOTICES_FAILED
    return base


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"
