"""The ``cme-batch`` command line: parse arguments, run, map the outcome to an exit code."""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import math
import os
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cme_batch import __version__, fastpath
from cme_batch.errors import CmeBatchError, ExitCode, OutputError, Terminated
from cme_batch.runlog import quiet_console

if TYPE_CHECKING:
    from cme_batch.notices.runner import NoticeStep
    from cme_batch.pipeline import Remember, RunResult
    from cme_batch.state import StateDB

log = logging.getLogger("cme_batch")


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from exc


def _jobs(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("--jobs must be 1 or more")
    return value


def _seconds(text: str) -> float:
    """A positive number of seconds (``0`` used to mean the default silently)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not math.isfinite(value) or value <= 0:
        raise argparse.ArgumentTypeError(
            f"{text!r}: give a number of seconds above 0 (leave the option out for the "
            "default, 120)"
        )
    return value


def _add_run_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--inbox", required=True, type=Path, help="folder of certificates (read-only)"
    )
    parser.add_argument("--roster", required=True, type=Path, help="roster CSV or XLSX")
    parser.add_argument("--out", required=True, type=Path, help="output folder")
    parser.add_argument(
        "--ledger", action="append", default=[], type=Path,
        help="self-reported activities CSV or XLSX (repeatable)",
    )  # fmt: skip
    parser.add_argument(
        "--as-of", type=_date, default=None, help="evaluation date YYYY-MM-DD (default today)"
    )
    parser.add_argument(
        "--jobs", type=_jobs, default=None, help="worker processes (default: all cores)"
    )
    parser.add_argument(
        "--quiet", action="store_true", help="only a final summary line and errors (for cron)"
    )
    parser.add_argument(
        "--page-timeout", type=_seconds, default=None, help="seconds one page's OCR may take"
    )
    parser.add_argument(
        "--state", type=Path, default=None,
        help="state database remembering earlier runs (default OUT/state.sqlite)",
    )  # fmt: skip
    parser.add_argument(
        "--corrections", type=Path, default=None,
        help="corrections form to store before the run: corrections.csv, or report.xlsx's "
        "'Needs review' sheet",
    )  # fmt: skip
    parser.add_argument(
        "--accept-inbox-shrink", action="store_true",
        help="go on although the inbox is empty or most files the last run saw are gone "
        "(without it such a run stops: is the share mounted?)",
    )  # fmt: skip
    parser.add_argument(
        "--lexicon", action="append", default=[], type=Path,
        help="the office's own cue words and credit systems (TOML), added to the built-in "
        "lexicon (repeatable; see docs/extraction.md)",
    )  # fmt: skip
    _add_executor_arguments(parser)


def _add_executor_arguments(parser: argparse.ArgumentParser) -> None:
    """``--executor`` and the Dask cluster's options (see docs/scale-out.md)."""
    group = parser.add_argument_group("reading on a Dask cluster (docs/scale-out.md)")
    group.add_argument(
        "--executor", choices=("local", "dask"), default="local",
        help="where files are read: this machine's worker processes (default) or a Dask "
        "cluster (started here with --jobs workers unless --scheduler is given)",
    )  # fmt: skip
    group.add_argument(
        "--scheduler", default=None, metavar="ADDRESS",
        help="an existing Dask scheduler, e.g. tls://scheduler.example.org:8786",
    )  # fmt: skip
    group.add_argument("--tls-ca-file", type=Path, default=None, help="CA certificate (PEM)")
    group.add_argument("--tls-cert", type=Path, default=None, help="client certificate (PEM)")
    group.add_argument("--tls-key", type=Path, default=None, help="client private key (PEM)")
    group.add_argument(
        "--worker-inbox", default=None, metavar="PATH",
        help="the inbox's path as mounted on the workers (default: the same as --inbox)",
    )  # fmt: skip


def _executor(args: argparse.Namespace) -> object:
    from cme_batch.executors import ExecutorSettings

    dask_only = ("scheduler", "tls_ca_file", "tls_cert", "tls_key", "worker_inbox")
    given = [f"--{n.replace('_', '-')}" for n in dask_only if getattr(args, n) is not None]
    if given and args.executor != "dask":
        raise _ArgError(f"{', '.join(given)} need(s) --executor dask")
    return ExecutorSettings(
        kind=args.executor,
        scheduler=args.scheduler or "",
        tls_ca_file=args.tls_ca_file,
        tls_cert=args.tls_cert,
        tls_key=args.tls_key,
        worker_inbox=args.worker_inbox or "",
    )


def _add_notice_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--no-notices", action="store_true",
        help="write no renewal notices (default: due notices go to OUT/notices/ as .eml files)",
    )  # fmt: skip
    parser.add_argument(
        "--send-notices", action="store_true",
        help="send due notices through the SMTP server of --notices-config",
    )  # fmt: skip
    parser.add_argument(
        "--notices-config", type=Path, default=None,
        help="notices settings (TOML): thresholds, sender, [smtp] server; see docs/notices.md",
    )  # fmt: skip
    parser.add_argument(
        "--dry-run", action="store_true",
        help="notices: show what would be sent; send, write and record none (reports are "
        "still written)",
    )  # fmt: skip


def _add_review_commands(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    where = argparse.ArgumentParser(add_help=False)
    where.add_argument(
        "--state", type=Path, default=None, help="state database (default OUT/state.sqlite)"
    )
    where.add_argument(
        "--out", type=Path, default=None, help="output folder whose state.sqlite to use"
    )
    review = sub.add_parser(
        "review", help="list records that need a person's decision, or record one"
    )
    commands = review.add_subparsers(dest="review_command", required=True)
    listing = commands.add_parser(
        "list", parents=[where], help="records that need review, and decisions made"
    )
    listing.add_argument("--pending", action="store_true", help="only records without a decision")
    for name, text in (
        ("confirm", "the record is right as read: it counts without review"),
        ("fix", "set corrected values (the record then counts without review)"),
        ("not-cme", "the record is not CME: it never counts"),
        ("not-ours", "not our physician: none of the file's records (or the name's) counts"),
        ("withdraw", "take a decision back: the record is read as it was (history is kept)"),
    ):
        command = commands.add_parser(name, parents=[where], help=text)
        command.add_argument("record_id", help="record id as shown in the reports (file#pPAGE)")
        command.add_argument("--note", default="", help="why (kept with the decision)")
        if name == "not-ours":
            command.add_argument(
                "--scope", choices=("file", "name"), default="file",
                help="file: every record of the record's file (default); name: every record "
                "printed with the record's name, in any file, now and later",
            )  # fmt: skip
        if name == "fix":
            command.add_argument("--physician-id", default=None)
            command.add_argument("--activity-date", default=None, help="YYYY-MM-DD")
            command.add_argument("--credits", default=None)
            command.add_argument("--category", default=None, help="1 or 2")
            command.add_argument(
                "--topics",
                default=None,
                help="topic ids separated by ';' (quote them: --topics 'ehr;opioid_pain')",
            )
            command.add_argument("--activity-title", default=None)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (documented in README, "Command line")."""
    parser = argparse.ArgumentParser(
        prog="cme-batch",
        description="Read CME certificates and report Massachusetts license-renewal compliance.",
    )
    parser.add_argument("--version", action="version", version=f"cme-batch {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="process the inbox and write the reports")
    _add_run_arguments(run)
    run.add_argument(
        "--physician", default=None, help="also write this physician's audit packet (HTML)"
    )
    _add_notice_arguments(run)
    run.add_argument(
        "--full", action="store_true",
        help="do the whole run even when nothing changed since the last one (by default such a "
        "rerun keeps the last run's reports and ends at once; see docs/state.md)",
    )  # fmt: skip
    explain = sub.add_parser("explain", help="print the reasoning for one physician")
    explain.add_argument("physician_id")
    _add_run_arguments(explain)
    packet = sub.add_parser(
        "packet",
        help="write shareable audit packets (folder and zip): summary, counted activities, "
        "copies of the counted certificates",
    )
    packet.add_argument("physician_id", nargs="?", default=None, help="roster id")
    packet.add_argument("--all", action="store_true", help="a packet for every roster physician")
    _add_run_arguments(packet)
    _add_review_commands(sub)
    for command in (explain, packet):
        _inputs_may_come_from_the_last_run(command)
    return parser


def _inputs_may_come_from_the_last_run(parser: argparse.ArgumentParser) -> None:
    """``explain`` and ``packet``: ``--inbox`` and ``--roster`` default to the last run's."""
    for action in parser._actions:
        if action.dest in ("inbox", "roster"):
            action.required = False
            action.default = None
            action.help = f"{action.help} (default: the last run's, from the state)"


def use_last_run_inputs(args: argparse.Namespace) -> None:
    """Fill ``explain``/``packet`` inputs not given from the last run; print what differs.

    Without this a forgotten ``--ledger`` or ``--as-of`` silently gives another answer than
    the report (see :mod:`cme_batch.lastrun`).
    """
    from cme_batch.lastrun import fill_in, recall
    from cme_batch.state import default_path

    state = args.state or default_path(args.out)
    given = {
        "inbox": args.inbox,
        "roster": args.roster,
        "ledgers": args.ledger,
        "as_of": args.as_of,
    }
    filled, notes = fill_in(given, recall(state), args.command)
    for note in notes:
        print(f"cme-batch: {note}", file=sys.stderr)
    if filled["inbox"] is None or filled["roster"] is None:
        raise _ArgError(
            f"{args.command}: give --inbox and --roster: {state} records no earlier run to "
            "take them from"
        )
    args.inbox, args.roster = filled["inbox"], filled["roster"]
    args.ledger, args.as_of = list(filled["ledgers"]), filled["as_of"]  # type: ignore[call-overload]


def _options(args: argparse.Namespace) -> object:
    from cme_batch.pipeline import RunOptions
    from cme_batch.state import default_path

    if not args.inbox.is_dir():
        raise _ArgError(f"--inbox {args.inbox}: not a folder")
    kwargs: dict[str, object] = {
        "inbox": args.inbox,
        "roster": args.roster,
        "out": args.out,
        "ledgers": tuple(args.ledger),
        "as_of": args.as_of or dt.date.today(),
    }
    if args.jobs:
        kwargs["jobs"] = args.jobs
    if args.page_timeout is not None:
        kwargs["page_timeout"] = args.page_timeout
    kwargs["state"] = args.state or default_path(args.out)
    kwargs["corrections"] = args.corrections
    kwargs["accept_inbox_shrink"] = args.accept_inbox_shrink
    kwargs["executor"] = _executor(args)
    kwargs["lexicon"] = tuple(args.lexicon)
    return RunOptions(**kwargs)  # type: ignore[arg-type]


class _ArgError(Exception):
    pass


def check_output_folder(out: Path) -> None:
    """Stop before any work when ``--out`` cannot be the output folder (exit 8).

    Nothing is created here: a run stopped later (a bad roster) leaves no empty folder.

    Raises:
        OutputError: ``out`` is a file, lies under a file, or cannot be written.
    """
    if out.exists() and not out.is_dir():
        raise OutputError(
            f"--out {out}: this is a file, not a folder: give a folder for the reports "
            "(it is created if missing)"
        )
    existing = out
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        raise OutputError(f"--out {out}: {existing} is a file, so the folder cannot be created")
    if not os.access(existing, os.W_OK | os.X_OK):
        what = "write in" if existing == out else f"create it in {existing}"
        raise OutputError(
            f"--out {out}: cannot {what} (permission denied): choose a folder this user can "
            "write, or change its permissions"
        )


def _progress_printer(quiet: bool) -> Callable[[int, int, str], None] | None:
    """A progress bar on a terminal (counts and ETA); nothing for cron or ``--quiet``."""
    if quiet or not sys.stderr.isatty():
        return None
    from tqdm import tqdm

    bar: dict[str, tqdm[Any]] = {}

    def update(done: int, total: int, name: str) -> None:
        if "bar" not in bar:
            bar["bar"] = tqdm(total=total, unit="file", desc="reading", file=sys.stderr)
        bar["bar"].update(done - bar["bar"].n)
        if done >= total:
            bar["bar"].close()

    return update


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``cme-batch`` and ``python -m cme_batch``; returns the exit code."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0) if exc.code in (0, None) else int(ExitCode.BAD_ARGUMENTS)
    console_level = logging.ERROR if getattr(args, "quiet", False) else logging.WARNING
    logging.basicConfig(level=console_level, format="cme-batch: %(levelname)s: %(message)s")
    # The run log lowers the package logger to INFO; the console keeps its own level.
    quiet_console(console_level)
    previous = signal.getsignal(signal.SIGTERM)
    stop_on_sigterm()
    try:
        return _run_command(args)
    finally:
        if threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGTERM, previous)


def _run_command(args: argparse.Namespace) -> int:
    """Run the parsed command; map run-level errors to exit codes and messages."""
    try:
        return _dispatch(args)
    except _ArgError as exc:
        print(f"cme-batch: {exc}", file=sys.stderr)
        return int(ExitCode.BAD_ARGUMENTS)
    except CmeBatchError as exc:
        print(f"cme-batch: {exc}", file=sys.stderr)
        return int(exc.exit_code)
    except ImportError as exc:
        print(
            f"cme-batch: missing Python package {exc.name!r}: run 'make demo' or "
            "'pip install -e .' to install the dependencies",
            file=sys.stderr,
        )
        return int(ExitCode.MISSING_DEPENDENCY)
    except KeyboardInterrupt as exc:
        how = "stopped by SIGTERM" if isinstance(exc, Terminated) else "interrupted"
        print(f"cme-batch: {how}; previous reports are left as they were", file=sys.stderr)
        return int(ExitCode.TERMINATED if isinstance(exc, Terminated) else ExitCode.INTERRUPTED)


def stop_on_sigterm() -> None:
    """Handle SIGTERM (``kill``, a service manager, cron's timeout) exactly like Ctrl-C.

    The run then stops where it is: its workers are stopped, nothing half-written replaces a
    report, the state keeps what was read, and the next run resumes from there.
    """

    def handler(signum: int, _frame: object) -> None:
        # Once: a second SIGTERM during the clean stop must not interrupt the clean-up itself.
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        raise Terminated(f"signal {signum}")

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, handler)


def _dispatch(args: argparse.Namespace) -> int:
    if args.command == "review":
        return _review(args)
    if args.command == "packet" and (args.all == (args.physician_id is not None)):
        raise _ArgError("packet: give one PHYSICIAN_ID or --all")
    if args.command == "packet" and args.state is None:
        raise _ArgError(
            "packet: give --state, the state database of the runs it documents (e.g. "
            "OUT/state.sqlite): the packet then shows what the reports show, corrections "
            "included, and nothing is read again"
        )
    if args.inbox is not None and args.inbox.is_dir():
        # Before the fast path: a rerun must not keep outputs written into the inbox either.
        from cme_batch.guard import check_folders

        check_folders(args.inbox, args.out, args.state)
    if args.command in ("run", "packet"):
        check_output_folder(args.out)
    if args.command in ("explain", "packet"):
        use_last_run_inputs(args)
    # Resolved once, so that the run key and the run judge the same day even across midnight.
    args.as_of = args.as_of or dt.date.today()
    prepared = _prepare_fast_path(args)
    if prepared is not None and not args.full:
        # Before anything heavy is imported: an unchanged rerun ends here (cme_batch.fastpath).
        kept = fastpath.rerun(prepared)
        if kept is not None:
            return _report_kept(kept, prepared, args.quiet)
    notices = _notice_step(args)
    from cme_batch.extract import ocr
    from cme_batch.pipeline import (
        RunOptions,
        build_model,
        load_inputs,
        run_summary,
        run_with_state,
    )
    from cme_batch.rules import RuleFileError

    # Before tesseract's library loads (the version check may load it): OpenMP reads its
    # thread limit only then.
    ocr.limit_threads()
    ocr.tesseract_version()
    options = _options(args)
    assert isinstance(options, RunOptions)
    try:
        inputs = load_inputs(options)
    except RuleFileError as exc:
        print(f"cme-batch: {exc}", file=sys.stderr)
        return int(ExitCode.BAD_RULES)
    write = args.command == "run"
    remember = _rememberer(prepared, notices, options.out) if prepared is not None else None
    result, written = run_with_state(
        options,
        inputs,
        _progress_printer(args.quiet),
        write=write,
        after=notices,
        remember=remember,
    )
    if args.command == "packet":
        return _packets(args, result, options)
    if args.command == "explain":
        try:
            print(result.evaluation.explain(args.physician_id))
        except KeyError as exc:
            print(f"cme-batch: {exc.args[0]}", file=sys.stderr)
            return int(ExitCode.BAD_ARGUMENTS)
        return int(result.exit_code)
    if args.physician:
        from cme_batch.output import atomic_path
        from cme_batch.report.html import write_physician_packet

        model = build_model(result, options)
        try:
            packet = options.out / f"packet-{args.physician}.html"
            with atomic_path(packet) as tmp:
                write_physician_packet(model, args.physician, tmp)
            written.append(packet)
        except KeyError:
            print(f"cme-batch: --physician {args.physician}: not on the roster", file=sys.stderr)
            return int(ExitCode.BAD_ARGUMENTS)
    print(run_summary(result, options.out))
    if not args.quiet:
        counts = result.counts
        if counts is not None:
            print(
                f"  {counts.read} read, {counts.reused} unchanged since an earlier run, "
                f"{counts.reparsed} parsed again, {result.removed} removed; state {options.state}"
            )
        if not written:
            print("  nothing changed since the last run: the reports were left as they were")
        for path in written:
            print(f"  {path}")
        if notices is not None and notices.report is not None:
            from cme_batch.notices.digest import summary_line

            print(f"  {summary_line(notices.report)}; digest {notices.written[0]}")
            if notices.previews:
                print(f"  the messages that would be sent: {notices.previews[0].parent}")
    return int(result.exit_code)


def _prepare_fast_path(args: argparse.Namespace) -> fastpath.Prepared | None:
    """The fast path's view of a ``run`` (``None``: it does not apply, or cannot be had)."""
    try:
        return fastpath.prepare(args)
    except Exception:  # noqa: BLE001 - without it the run is a normal run, which is correct
        log.debug("fast path not available", exc_info=True)
        return None


def _report_kept(kept: fastpath.Kept, prepared: fastpath.Prepared, quiet: bool) -> int:
    """Print what a rerun that kept the last run's outputs says; returns that run's exit code."""
    print(kept.summary)
    if not quiet:
        print(
            f"  nothing changed since run {kept.kept_from}: its reports were kept and nothing "
            f"was read (--full does the whole run); state {prepared.state}"
        )
        if kept.failed:
            print(
                f"  {kept.failed} file(s) that failed in run {kept.kept_from} were not read "
                "again: run with --full to read them again"
            )
        if kept.notices_digest is not None:
            what = "as shown by" if prepared.dry_run else "none due since"
            print(f"  notices: {what} run {kept.kept_from}; digest {kept.notices_digest}")
    return kept.exit_code


def _rememberer(prepared: fastpath.Prepared, notices: NoticeStep | None, out: Path) -> Remember:
    """The step that stores this run's key at its end (``run_with_state(remember=...)``)."""
    from cme_batch.pipeline import run_summary

    def remember(result: RunResult, state: StateDB, run_id: int) -> None:
        fastpath.remember(
            state,
            prepared,
            run_id=run_id,
            exit_code=int(result.exit_code),
            summary=run_summary(result, out),
            inbox=result.inbox_digest,
            corrections=result.corrections_digest,
            extra_outputs=notices.written if notices is not None else (),
        )

    return remember


def _notice_step(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    """The notices step of ``run`` (checked before any file is read), or ``None``."""
    if args.command != "run":
        return None
    if args.no_notices:
        if args.send_notices or args.dry_run or args.notices_config:
            raise _ArgError("--no-notices cannot be combined with other notice options")
        return None
    from cme_batch.notices.runner import prepare

    return prepare(args.out, args.notices_config, send=args.send_notices, dry_run=args.dry_run)


def _packets(args: argparse.Namespace, result: object, options: object) -> int:
    from cme_batch.packet import PacketError, write_packets
    from cme_batch.pipeline import RunOptions, RunResult

    assert isinstance(result, RunResult) and isinstance(options, RunOptions)
    ids = None if args.all else [args.physician_id]
    try:
        written = write_packets(result, options, ids)
    except PacketError as exc:
        print(f"cme-batch: {exc}", file=sys.stderr)
        return int(exc.exit_code)
    if not args.quiet:
        for packet in written:
            print(
                f"cme-batch: packet {packet.folder} ({packet.certificates} certificate(s)), "
                f"{packet.zip_path}"
            )
    return int(result.exit_code)


def _review(args: argparse.Namespace) -> int:
    from cme_batch.corrections import FIELDS as CORRECTION_FIELDS
    from cme_batch.review import (
        LIST_COLUMNS,
        ReviewError,
        open_existing,
        record_decision,
        review_rows,
        withdraw_decision,
    )
    from cme_batch.state import default_path

    if args.state is None and args.out is None:
        raise _ArgError(f"review {args.review_command}: give --state PATH or --out OUT")
    path = args.state or default_path(args.out)
    with open_existing(path) as state:
        if args.review_command == "list":
            print("\t".join(LIST_COLUMNS))
            for row in review_rows(state, include_decided=not args.pending):
                print("\t".join(str(getattr(row, c)).replace("\t", " ") for c in LIST_COLUMNS))
            return int(ExitCode.OK)
        if args.review_command == "withdraw":
            try:
                withdrawn = withdraw_decision(state, args.record_id, args.note)
            except ReviewError as exc:
                print(f"cme-batch: {exc}", file=sys.stderr)
                return int(exc.exit_code)
            print(
                f"cme-batch: withdrew the {withdrawn.decision} decision on "
                f"{withdrawn.record_id}; applies from the next run"
            )
            return int(ExitCode.OK)
        decision = args.review_command.replace("-", "_")
        if decision == "not_ours":
            decision = f"not_ours_{args.scope}"
        values = {name: getattr(args, name, None) for name in CORRECTION_FIELDS}
        try:
            stored, said = record_decision(state, args.record_id, decision, values, args.note)
        except ReviewError as exc:
            print(f"cme-batch: {exc}", file=sys.stderr)
            return int(exc.exit_code)
    print(
        f"cme-batch: recorded {stored.decision} for {stored.record_id}; applies from the next run"
    )
    for line in said:
        print(f"  {line}")
    return int(ExitCode.OK)
