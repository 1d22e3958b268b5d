"""`make bench`: extraction accuracy on the generated, labeled evaluation set.

Generates the evaluation set (fixed seed) into .bench/eval, runs cme-batch over it, and prints
row precision / recall / F1 split by digital, scanned and photo, per-field accuracy, document
status accuracy and the seconds per page.
"""

from __future__ import annotations

import argparse
import csv
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--work", type=Path, default=ROOT / ".bench")
    parser.add_argument("--jobs", type=int, default=None)
    args = parser.parse_args()
    eval_dir = args.work / f"eval-{args.seed}"
    out = args.work / f"out-{args.seed}"
    if not (eval_dir / "truth.csv").exists():
        subprocess.run(
            [
                sys.executable,
                str(ROOT / "tools" / "make_eval_set.py"),
                "--out",
                str(eval_dir),
                "--seed",
                str(args.seed),
            ],
            check=True,
        )
    cmd = [
        sys.executable,
        "-m",
        "cme_batch",
        "run",
        "--inbox",
        str(eval_dir),
        "--roster",
        str(eval_dir / "roster.csv"),
        "--out",
        str(out),
        "--as-of",
        "2026-11-27",
        "--quiet",
    ]
    if args.jobs:
        cmd += ["--jobs", str(args.jobs)]
    # A fresh output folder: with the state database of an earlier run, documents would be
    # reused instead of read, and the figures would be that run's.
    shutil.rmtree(out, ignore_errors=True)
    started = time.perf_counter()
    code = subprocess.run(cmd, check=False).returncode
    elapsed = time.perf_counter() - started
    if code not in (0, 5):
        print(f"cme-batch exited {code}", file=sys.stderr)
        return code
    with (out / "documents.csv").open(newline="") as fh:
        pages = sum(int(r["pages"] or 0) for r in csv.DictReader(fh))
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "tools" / "score.py"),
            "--predicted",
            str(out / "certificates.csv"),
            "--truth",
            str(eval_dir / "truth.csv"),
            "--documents-predicted",
            str(out / "documents.csv"),
            "--documents-truth",
            str(eval_dir / "documents_truth.csv"),
            "--json",
            str(out / "score.json"),
        ],
        check=True,
    )
    print(
        f"\n{pages} pages in {elapsed:.1f} s end to end: {elapsed / max(pages, 1):.2f} s per page (jobs={args.jobs or 'all cores'})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
