"""Checks that stop a run before it gives a wrong answer because of where its inputs are.

Two mistakes an office makes with folders, each of which the tool would otherwise turn into a
wrong report: an output folder inside the inbox (the tool writes into the read-only inbox and
then reads its own reports as failed documents every night), and an inbox that is empty or
has lost most of its files because a network share did not mount (every compliant physician
turns deficient and renewal notices go out to people who need none).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from cme_batch.errors import CmeBatchError, ExitCode
from cme_batch.inbox import InboxFile

log = logging.getLogger(__name__)

#: The option that accepts a real shrink of the inbox (documented in README).
ACCEPT_SHRINK_OPTION: Final[str] = "--accept-inbox-shrink"

#: A run stops when more than this share of the files the last run saw are gone.
GONE_SHARE: Final[float] = 0.5


class FolderOverlapError(CmeBatchError):
    """The output folder or state database is inside the inbox, or the inbox inside the output."""

    exit_code = ExitCode.BAD_ARGUMENTS


class InboxShrunkError(CmeBatchError):
    """The inbox is empty, or most files the state knows are gone (is the share mounted?)."""

    exit_code = ExitCode.BAD_ARGUMENTS


def check_folders(inbox: Path, out: Path, state: Path | None = None) -> None:
    """Refuse an output folder (or state database) inside the inbox, and the reverse.

    Paths are compared resolved (symbolic links followed), so two names of one folder are
    recognised.

    Raises:
        FolderOverlapError: Saying which folder is inside which, and what to do.
    """
    root = inbox.resolve()
    target = out.resolve()
    if target == root:
        raise FolderOverlapError(
            f"--out {out} is the inbox itself: the inbox is never written to; "
            "give an output folder outside the inbox"
        )
    if target.is_relative_to(root):
        raise FolderOverlapError(
            f"--out {out} is inside --inbox {inbox}: the inbox is never written to, and the "
            "reports would be read as documents on the next run; give an output folder "
            "outside the inbox"
        )
    if root.is_relative_to(target):
        raise FolderOverlapError(
            f"--inbox {inbox} is inside --out {out}: the run's own reports would be read as "
            "documents; keep the inbox and the output folder apart"
        )
    if state is not None and state.resolve().is_relative_to(root):
        raise FolderOverlapError(
            f"--state {state} is inside --inbox {inbox}: the inbox is never written to; "
            "keep the state database outside the inbox"
        )


@dataclass(frozen=True)
class Shrink:
    """How the inbox compares with what the last run saw."""

    known: int
    gone: int
    present: int

    @property
    def empty(self) -> bool:
        """No file in the inbox (system files aside)."""
        return self.present == 0


def compare(files: Iterable[InboxFile], known: Mapping[str, str]) -> Shrink:
    """Compare the inbox's files with the files the last run saw (path -> SHA-256).

    A file counts as gone when neither its path nor its content is in the inbox any more: a
    renamed or moved file is not a loss. System files (``kind == "system"``) are not counted,
    so a share that shows only a ``.DS_Store`` is still empty.
    """
    listed = [f for f in files if f.kind != "system"]
    paths = {f.rel_path for f in listed}
    hashes = {f.sha256 for f in listed if f.sha256}
    gone = sum(1 for path, sha in known.items() if path not in paths and sha not in hashes)
    return Shrink(known=len(known), gone=gone, present=len(listed))


def check_inbox(inbox: Path, shrink: Shrink, accept: bool) -> None:
    """Stop the run when the inbox is empty or lost most of its files, unless accepted.

    Raises:
        InboxShrunkError: Saying what was found, that nothing changed, and the way out.
    """
    if accept:
        if shrink.empty or shrink.gone:
            log.warning(
                "%s: %d of %d known file(s) gone, %d file(s) present; accepted with %s",
                inbox, shrink.gone, shrink.known, shrink.present, ACCEPT_SHRINK_OPTION,
            )  # fmt: skip
        return
    if shrink.known and shrink.gone > shrink.known * GONE_SHARE:
        what = (
            f"{shrink.gone} of {shrink.known} known files are gone from --inbox {inbox}: "
            "is the share mounted?"
        )
    elif shrink.empty:
        what = f"--inbox {inbox} has no files: is the share mounted, and is it the right folder?"
    else:
        return
    message = (
        f"{what} Nothing was read, no report was changed and no notice was sent. If the files "
        f"were really removed, run again with {ACCEPT_SHRINK_OPTION}."
    )
    # Into run.log; the console gets the message once, from the command line's error handler.
    log.info("stopped: %s", message)
    raise InboxShrunkError(message)
