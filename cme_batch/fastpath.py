"""The fast path of ``cme-batch run``: a rerun that finds nothing changed ends before pandas loads.

Starting Python with pandas and the readers takes longer than everything else a rerun without
changes does, so ``cme-batch run`` first decides, with the standard library only, whether it
would do exactly what the last run did:

- The *run key* is a SHA-256 over everything that decides what a run writes and how it ends
  (:func:`prepare` and :func:`remember` build it from the same parts): the options (paths as
  given and resolved, the as-of date resolved, the notice options; not ``--jobs`` nor
  ``--quiet``), the content of the roster, ledgers, corrections form and notices settings, the
  inbox as a run lists it (each file's path, size, type and SHA-256), the corrections and the
  notices history stored in the state database, and the software (cme-batch's own files, rule
  sets and templates, the extraction version, Python, the installed distributions, the
  tesseract binary).
- A run that wrote its reports stores its key in the state's ``meta`` table (under the run
  lock, after its notices), with its summary line and exit code. Every run forgets the stored
  key when it starts, so only the last completed run's key is ever there.
- :func:`rerun` computes the key again under the run lock. When it is equal, every file the last
  run wrote is still as written and the corrections form holds no edits, the run is recorded as
  having kept those outputs (``runs.kept_outputs_of``), ``run.log`` says so, and the caller
  repeats the summary line and the exit code. Nothing is read, evaluated, written or sent.

Whatever differs or fails here leads to a normal run, which is always correct, only slower.
The inbox listing and the stored corrections enter the key as the run saw them (when it listed
the inbox and before it read the corrections), and the input files are hashed before they are
read, so a change made while a run is going makes the next key differ, never the other way.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import logging
import os
import shutil
import sys
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Final

import cme_batch
from cme_batch import state as statedb
from cme_batch.assets import template_root
from cme_batch.hashing import file_sha256
from cme_batch.inbox import InboxFile, scan_for_run
from cme_batch.lock import hold
from cme_batch.runlog import run_log
from cme_batch.state import StateDB, default_path, open_state

log = logging.getLogger(__name__)

#: Options that change neither what a run writes nor how it ends: how many workers read, what
#: the console shows, and whether this check is made at all. Every other option, including any
#: added later, is part of the key.
_NEUTRAL_OPTIONS: Final = frozenset({"jobs", "quiet", "full"})


class _Different(Exception):
    """Something this run would see differs from the last run: do the whole run."""


@dataclass(frozen=True)
class Prepared:
    """What a ``run`` is asked to do, and the parts of its key known before it reads anything.

    Attributes:
        state: The state database (``--state`` or ``OUT/state.sqlite``).
        inbox: ``--inbox`` as given.
        out: ``--out`` as given.
        roster: ``--roster`` as given.
        ledgers: ``--ledger`` files as given.
        as_of: The as-of date, resolved.
        notices: Notices are handled (no ``--no-notices``).
        dry_run: ``--dry-run``: notices are shown, not sent nor recorded.
        parts: Digests of the options, the input files and the software.
    """

    state: Path
    inbox: Path
    out: Path
    roster: Path
    ledgers: tuple[Path, ...]
    as_of: dt.date
    notices: bool
    dry_run: bool
    parts: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Kept:
    """A rerun that found nothing changed: what it recorded and what the console repeats."""

    run_id: int
    kept_from: int
    exit_code: int
    summary: str
    failed: int
    #: The notices digest the kept run wrote (the first file), if it handled notices.
    notices_digest: Path | None


def prepare(args: argparse.Namespace) -> Prepared | None:
    """The fast path's view of a ``run`` (``args.as_of`` already resolved), or ``None``.

    ``None`` means the fast path never applies: another command, or ``--physician``, whose
    packet is written after the run's lock is released.

    Raises:
        OSError: The software could not be hashed (the caller then does a normal run).
    """
    if args.command != "run" or args.physician is not None or not args.inbox.is_dir():
        return None
    state = args.state or default_path(args.out)
    options = {k: _plain(v) for k, v in sorted(vars(args).items()) if k not in _NEUTRAL_OPTIONS}
    options["state, resolved"] = _plain(state)
    inputs = {
        "roster": _file_part(args.roster),
        "ledgers": [_file_part(p) for p in args.ledger],
        "corrections": _file_part(args.corrections) if args.corrections else None,
        "notices_config": _file_part(args.notices_config) if args.notices_config else None,
        "lexicon": [_file_part(p) for p in getattr(args, "lexicon", [])],
    }
    return Prepared(
        state=state,
        inbox=args.inbox,
        out=args.out,
        roster=args.roster,
        ledgers=tuple(args.ledger),
        as_of=args.as_of,
        notices=not args.no_notices,
        dry_run=args.dry_run,
        parts={
            "options": _digest_of(options),
            "inputs": _digest_of(inputs),
            "software": software_digest(),
        },
    )


def rerun(prepared: Prepared) -> Kept | None:
    """Keep the last run's outputs if nothing changed since it; ``None`` means do the run.

    Holds the run lock while it checks and records, as a run does. Any error (the lock held by
    another run included) is logged at debug level and gives ``None``: the normal run then
    does the work, or reports the problem as it always does.
    """
    if not prepared.state.is_file():
        return None
    try:
        with hold(prepared.state), open_state(prepared.state) as state:
            return _rerun(prepared, state)
    except _Different as exc:
        log.debug("fast path not taken: %s", exc)
    except Exception:  # noqa: BLE001 - whatever fails here, the normal run is still correct
        log.debug("fast path not taken: it failed", exc_info=True)
    return None


def _rerun(prepared: Prepared, state: StateDB) -> Kept:
    text = state.get_meta(statedb.META_FAST_RERUN)
    if not text:
        raise _Different("no completed run has stored its key")
    stored = json.loads(text)
    expected: Mapping[str, str] = stored["parts"]

    def same(name: str, value: str) -> None:
        if value != expected.get(name):
            raise _Different(f"{name} changed since run {stored['run']}")

    for name in ("options", "inputs", "software"):
        same(name, prepared.parts[name])
    same("corrections", state.corrections_digest())
    same("notices", _notices_part(state, prepared))
    _outputs_as_written(state, prepared.out, stored.get("extra_outputs", {}))
    # Last: listing the inbox hashes every file, the one check that costs time.
    same("inbox", inbox_digest(scan_for_run(prepared.inbox, prepared.roster, prepared.ledgers)))
    kept = state.run(int(stored["run"]))
    if kept is None:
        raise _Different(f"run {stored['run']} is not in the state database")
    # Every run forgets the key when it starts; a run recorded since by a cme-batch that knows
    # nothing of the key (an older one), or an explain or packet run, did not.
    if state.runs_since(int(stored["run"])):
        raise _Different(f"other runs used the state since run {stored['run']}")
    exit_code = int(stored["exit_code"])
    run_id = state.record_kept_run(
        prepared.as_of, str(prepared.inbox), str(prepared.out), kept, exit_code
    )
    failed = int(str(kept.get("files_failed") or 0))
    with run_log(prepared.out):
        log.info("run %d: inbox %s, state %s", run_id, prepared.inbox, prepared.state)
        log.info(
            "run %d: nothing changed since run %d (inbox files, inputs, options, corrections, "
            "notices and software are the same, and its outputs are as it wrote them): "
            "the reports in %s were kept, exit code %d",
            run_id, kept["id"], prepared.out, exit_code,
        )  # fmt: skip
        if failed:
            log.info(
                "run %d: %d file(s) that failed in run %d were not read again; "
                "run with --full to read them again",
                run_id, failed, kept["id"],
            )  # fmt: skip
        log.info("%s", stored["summary"])
        log.info("run %d: exit code %d", run_id, exit_code)
    extra = list(stored.get("extra_outputs", {}))
    return Kept(
        run_id=run_id,
        kept_from=int(str(kept["id"])),
        exit_code=exit_code,
        summary=str(stored["summary"]),
        failed=failed,
        notices_digest=prepared.out / extra[0] if extra and prepared.notices else None,
    )


def _outputs_as_written(state: StateDB, out: Path, extra: Mapping[str, str]) -> None:
    """Check that every file the last run wrote is still as it wrote it.

    Raises:
        _Different: One is missing or differs, or the corrections form holds edits no run
            has read (a normal run warns about those).
    """
    recorded: dict[str, str] = json.loads(state.get_meta(statedb.META_OUTPUTS) or "{}")
    if not recorded:
        raise _Different("no outputs are recorded")
    for name, sha in {**recorded, **extra}.items():
        path = out / name
        if not path.is_file() or file_sha256(path) != sha:
            raise _Different(f"{path} is not as the last run wrote it")
    form = out / statedb.CORRECTIONS_FORM
    if form.is_file() and file_sha256(form) != state.get_meta(statedb.META_FORM_SHA256):
        raise _Different(f"{form} was edited since the last run wrote it")


def remember(
    state: StateDB,
    prepared: Prepared,
    *,
    run_id: int,
    exit_code: int,
    summary: str,
    inbox: str,
    corrections: str,
    extra_outputs: Iterable[Path] = (),
) -> bool:
    """Store the key of a run that has written its outputs (and done its notices).

    Called under the run lock, with the inbox and corrections digests the run took when it
    listed the inbox and read the corrections. Nothing is stored when a notice is waiting to be
    retried: the next run must try it again. Never raises: without a stored key the next run is
    a normal one.

    Args:
        state: The run's state database.
        prepared: The run's :func:`prepare` result.
        run_id: The run's id in ``runs``.
        exit_code: The run's exit code, repeated by a rerun that keeps its outputs.
        summary: The run's final summary line, repeated likewise.
        inbox: :func:`inbox_digest` of the files the run listed.
        corrections: ``state.corrections_digest()`` as the run read the corrections.
        extra_outputs: Files written besides the reports (the notices digest).

    Returns:
        Whether a key was stored.
    """
    try:
        notices = _notices_part(state, prepared)
        extra = {}
        for path in extra_outputs:
            try:
                name = str(path.relative_to(prepared.out))
            except ValueError:
                name = str(path.resolve())
            extra[name] = file_sha256(path)
        record = {
            "parts": {**prepared.parts, "inbox": inbox, "corrections": corrections,
                      "notices": notices},
            "run": run_id,
            "exit_code": exit_code,
            "summary": summary,
            "extra_outputs": extra,
        }  # fmt: skip
        state.set_meta(statedb.META_FAST_RERUN, json.dumps(record, sort_keys=True))
    except _Different as exc:
        log.info("run %d: the next run does the whole run again: %s", run_id, exc)
    except Exception:  # noqa: BLE001 - the run is done; without a key the next one is normal
        log.debug("run %d: run key not stored", run_id, exc_info=True)
    else:
        return True
    forget(state)
    return False


def forget(state: StateDB) -> None:
    """Drop the stored key: a run is starting, and it may change what the key describes."""
    state.delete_meta(statedb.META_FAST_RERUN)


def _notices_part(state: StateDB, prepared: Prepared) -> str:
    """The notices history's digest; a failed or unsettled notice means no fast rerun.

    Raises:
        _Different: Notices are on and one is to be retried (a run would try it again).
    """
    if prepared.notices and state.notices_pending():
        raise _Different("a notice failed or its outcome is unknown: it is retried")
    return state.notices_digest()


def inbox_digest(files: Iterable[InboxFile]) -> str:
    """SHA-256 of an inbox listing: every file's path, size, type, content hash and skip reason.

    The listing's order is :func:`cme_batch.inbox.scan_inbox`'s (sorted by path).
    """
    digest = hashlib.sha256()
    for f in files:
        digest.update(json.dumps([f.rel_path, f.size, f.kind, f.sha256, f.skip_reason]).encode())
        digest.update(b"\n")
    return digest.hexdigest()


def software_digest() -> str:
    """SHA-256 of what decides how the same inputs are read and reported.

    cme-batch's own files (code, rule sets, field tables) and templates, so that any change to
    them, released or not, counts; the extraction and schema versions as this process sees them;
    Python; the installed distributions and their versions (pandas, openpyxl, ...); and the
    tesseract binary, or the replay engine's recordings (a missing tesseract fails here, so the
    normal run reports it).

    Raises:
        OSError: tesseract is not installed, or a file cannot be read.
    """
    digest = hashlib.sha256()
    package = Path(cme_batch.__file__).resolve().parent
    for name, data in _tree(package):
        digest.update(name.encode() + b"\0" + hashlib.sha256(data).digest())
    for name, data in _tree(template_root()):
        digest.update(b"templates/" + name.encode() + b"\0" + hashlib.sha256(data).digest())
    # The OCR engine as extract/engine.py chooses it (read from the environment here: that
    # module imports PIL, which the fast path must not).
    if os.environ.get("CME_BATCH_OCR_ENGINE", "").strip().lower() == "replay":
        binary = os.path.realpath(os.environ.get("CME_BATCH_OCR_RECORDINGS", "") or ".")
        info = os.stat(binary)
    else:
        tesseract = shutil.which(os.environ.get("CME_BATCH_TESSERACT") or "tesseract")
        if tesseract is None:
            raise OSError("tesseract is not installed")
        binary = os.path.realpath(tesseract)
        info = os.stat(binary)
    system = os.uname()
    context = {
        "extraction_version": statedb.EXTRACTION_VERSION,
        "schema_version": statedb.SCHEMA_VERSION,
        "python": sys.version,
        "platform": [system.sysname, system.machine],
        "distributions": _distributions(),
        "tesseract": [binary, info.st_size, info.st_mtime_ns],
    }
    digest.update(json.dumps(context, sort_keys=True).encode())
    return digest.hexdigest()


def _tree(root: Traversable, prefix: str = "") -> Iterator[tuple[str, bytes]]:
    """Every file below ``root`` (compiled-code caches left out), sorted by path."""
    for entry in sorted(root.iterdir(), key=lambda e: e.name):
        if entry.name == "__pycache__":
            continue
        name = prefix + entry.name
        if entry.is_dir():
            yield from _tree(entry, name + "/")
        elif entry.is_file():
            yield name, entry.read_bytes()


def _distributions() -> list[str]:
    """Names (with versions) of the distributions installed where this Python imports from.

    Reading ``importlib.metadata`` would cost more than the rest of the check; the
    ``*.dist-info`` folder names carry name and version.
    """
    found: set[str] = set()
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        found.update(n for n in names if n.endswith((".dist-info", ".egg-info")))
    return sorted(found)


def _file_part(path: Path) -> str:
    """An input file's digest, or why there is none (the normal run then reports the problem)."""
    try:
        return file_sha256(path)
    except OSError as exc:
        return f"unreadable: {type(exc).__name__}"


def _plain(value: object) -> object:
    """An option's value as JSON: paths as given and resolved, dates as ISO text."""
    if isinstance(value, Path):
        return [str(value), os.path.realpath(value)]
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return repr(value)


def _digest_of(value: object) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True).encode()).hexdigest()
