"""The ``cme-batch`` command line: parse arguments, run, map the outcome to an exit code."""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from cme_batch import __version__
from cme_batch.errors import CmeBatchError, ExitCode

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


def _add_run_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--inbox", required=True, type=Path, help="folder of certificates (read-only)")
    parser.add_argument("--roster", required=True, type=Path, help="roster CSV or XLSX")
    parser.add_argument("--out", required=True, type=Path, help="output folder")
    parser.add_argument(
        "--ledger", action="append", default=[], type=Path,
        help="self-reported activities CSV or XLSX (repeatable)",
    )  # fmt: skip
    parser.add_argument("--as-of", type=_date, default=None, help="evaluation date YYYY-MM-DD (default today)")
    parser.add_argument("--jobs", type=_jobs, default=None, help="worker processes (default: all cores)")
    parser.add_argument("--quiet", action="store_true", help="only a final summary line and errors (for cron)")
    parser.add_argument("--page-timeout", type=float, default=None, help="seconds one page's OCR may take")


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
    run.add_argument("--physician", default=None, help="also write this physician's audit packet (HTML)")
    explain = sub.add_parser("explain", help="print the reasoning for one physician")
    explain.add_argument("physician_id")
    _add_run_arguments(explain)
    return parser


def _options(args: argparse.Namespace) -> object:
    from cme_batch.pipeline import RunOptions

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
    if args.page_timeout:
        kwargs["page_timeout"] = args.page_timeout
    return RunOptions(**kwargs)  # type: ignore[arg-type]


class _ArgError(Exception):
    pass


def _progress_printer(quiet: bool):  # type: ignore[no-untyped-def]
    if quiet or not sys.stderr.isatty():
        return None
    from tqdm import tqdm

    bar: dict[str, tqdm] = {}  # type: ignore[type-arg]

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
    logging.basicConfig(
        level=logging.ERROR if args.quiet else logging.WARNING,
        format="cme-batch: %(levelname)s: %(message)s",
    )
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
    except KeyboardInterrupt:
        print("cme-batch: interrupted; previous reports are left as they were", file=sys.stderr)
        return 130


def _dispatch(args: argparse.Namespace) -> int:
    from cme_batch.extract import ocr
    from cme_batch.pipeline import RunOptions, build_model, load_inputs, run_batch, write_outputs
    from cme_batch.rules import RuleFileError

    ocr.tesseract_version()
    ocr.limit_threads()
    options = _options(args)
    assert isinstance(options, RunOptions)
    try:
        inputs = load_inputs(options)
    except RuleFileError as exc:
        print(f"cme-batch: {exc}", file=sys.stderr)
        return int(ExitCode.BAD_RULES)
    for warning in inputs.ledger_warnings:
        log.warning("%s", warning)
    result = run_batch(options, inputs, _progress_printer(args.quiet))
    if args.command == "explain":
        try:
            print(result.evaluation.explain(args.physician_id))
        except KeyError as exc:
            print(f"cme-batch: {exc.args[0]}", file=sys.stderr)
            return int(ExitCode.BAD_ARGUMENTS)
        return int(result.exit_code)
    written = write_outputs(result, options)
    if args.physician:
        from cme_batch.report.html import write_physician_packet

        model = build_model(result, options)
        try:
            written.append(write_physician_packet(model, args.physician, options.out / f"packet-{args.physician}.html"))
        except KeyError:
            print(f"cme-batch: --physician {args.physician}: not on the roster", file=sys.stderr)
            return int(ExitCode.BAD_ARGUMENTS)
    docs = result.documents
    statuses = result.evaluation.physicians["status"].value_counts().to_dict()
    summary = ", ".join(f"{n} {s}" for s, n in sorted(statuses.items()))
    print(
        f"cme-batch: {len(docs)} files ({int((docs['status'] == 'ok').sum())} ok, {result.failed} failed), "
        f"{len(result.activities)} activities, physicians: {summary}. Reports in {options.out}{os.sep}"
    )
    if not args.quiet:
        for path in written:
            print(f"  {path}")
    return int(result.exit_code)
