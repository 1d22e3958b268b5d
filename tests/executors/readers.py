"""Readers that misbehave on chosen files, run on real Dask workers (importable there).

Each reads the file for real (``cme_batch.process.read_file``) unless its file is the one it
misbehaves on. ``CME_TEST_MARKERS`` (set in the workers' environment by the test) is a folder
where each reader notes its attempts, so a test can see what ran where and how often.
"""

from __future__ import annotations

import dataclasses
import json
import os
import signal
import time
from pathlib import Path

from cme_batch.extract.document import ReadOptions
from cme_batch.fields import lexicon
from cme_batch.matching import RosterIndex
from cme_batch.process import DocResult, read_file

KILL_ONCE = "cert-0004.pdf"
POISON = "cert-0002.pdf"
RAISES = "cert-0003.pdf"
SLOW_FROM = "cert-0006.pdf"


def _note(path: str) -> Path:
    markers = Path(os.environ["CME_TEST_MARKERS"])
    name = Path(path).name
    with (markers / f"{name}.attempts").open("a") as fh:
        fh.write(f"{os.getpid()}\n")
    return markers / name


def attempts(markers: Path, name: str) -> int:
    """How many times a reader started on file ``name``."""
    path = markers / f"{name}.attempts"
    return len(path.read_text().split()) if path.exists() else 0


def kill_once(
    path: str, kind: str, sha256: str, roster: RosterIndex, options: ReadOptions
) -> DocResult:
    """Kills its worker (SIGKILL, as the OOM killer would) the first time it reads KILL_ONCE."""
    marker = _note(path)
    if Path(path).name == KILL_ONCE and not marker.with_name(marker.name + ".killed").exists():
        marker.with_name(marker.name + ".killed").touch()
        os.kill(os.getpid(), signal.SIGKILL)
    return read_file(path, kind, sha256, roster, options)


def poison(
    path: str, kind: str, sha256: str, roster: RosterIndex, options: ReadOptions
) -> DocResult:
    """Kills its worker every time it reads POISON (a file that crashes the native reader)."""
    _note(path)
    if Path(path).name == POISON:
        os.kill(os.getpid(), signal.SIGKILL)
    return read_file(path, kind, sha256, roster, options)


def raises(
    path: str, kind: str, sha256: str, roster: RosterIndex, options: ReadOptions
) -> DocResult:
    """Raises out of the task on RAISES (a bug outside the per-file error handling)."""
    _note(path)
    if Path(path).name == RAISES:
        raise RuntimeError("reader bug on purpose")
    return read_file(path, kind, sha256, roster, options)


def slow_late(
    path: str, kind: str, sha256: str, roster: RosterIndex, options: ReadOptions
) -> DocResult:
    """Takes 30 s on SLOW_FROM and every file after it, so the scheduler can be killed mid-run."""
    _note(path)
    if Path(path).name >= SLOW_FROM:
        time.sleep(30)
    return read_file(path, kind, sha256, roster, options)


def described(
    options: ReadOptions, in_force: tuple[tuple[str, str], ...] | None = None
) -> dict[str, object]:
    """The reading options as JSON-able facts (the lexicon by file name), and the lexicon in
    force (``options``' own unless ``in_force`` is given)."""
    facts = {k: v for k, v in dataclasses.asdict(options).items() if k != "lexicon"}
    facts["lexicon"] = [name for name, _ in options.lexicon]
    used = options.lexicon if in_force is None else in_force
    facts["lexicon in force"] = [name for name, _ in used]
    return facts


def notes_options(
    path: str, kind: str, sha256: str, roster: RosterIndex, options: ReadOptions
) -> DocResult:
    """Notes the options it was given, and the lexicon in force on its worker, then reads."""
    marker = _note(path)
    facts = described(options, lexicon.current().extensions)
    marker.with_name(marker.name + ".options").write_text(json.dumps(facts))
    return read_file(path, kind, sha256, roster, options)
