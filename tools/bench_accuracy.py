"""`make bench`: extraction accuracy on a generated, labeled evaluation set.

Generates the set (fixed seed) into .bench/, runs cme-batch over it, and prints row precision
/ recall / F1 split by digital, scanned and photo, per-field accuracy, document status
accuracy, per-slice topic precision and recall and silent error rate, and the seconds per page.

``--set eval`` (default) is the development set (tools/make_eval_set.py); ``--set blind`` is
the held-out set (tools/make_blind_set.py), regenerated whenever its generator changes.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def generator_digest() -> str:
    """SHA-256 over the blind set's generator sources: a changed generator means a new set."""
    h = hashlib.sha256()
    files = sorted((ROOT / "tools" / "blindset").glob("*.py")) + [
        ROOT / "tools" / "make_blind_set.py"
    ]
    for f in files:
        h.update(f.name.encode() + b"\0" + f.read_bytes())
    return h.hexdigest()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--set", choices=("eval", "blind"), default="eval")
    parser.add_argument("--seed", type=int, default=None, help="default 7 (eval), 13 (blind)")
    parser.add_argument("--work", type=Path, default=ROOT / ".bench")
    parser.add_argument("--jobs", type=int, default=None)
    args = parser.parse_args()
    seed = args.seed if args.seed is not None else (13 if args.set == "blind" else 7)
    if args.set == "blind":
        eval_dir = args.work / f"blind-{seed}"
        out = args.work / f"out-blind-{seed}"
        stamp = eval_dir / ".generator"
        digest = generator_digest()
        fresh = (eval_dir / "truth.csv").exists() and stamp.exists()
        if not fresh or stamp.read_text() != digest:
            subprocess.run(
                [
                    sys.executable,
                    str(ROOT / "tools" / "make_blind_set.py"),
                    "--out",
                    str(eval_dir),
                    "--seed",
                    str(seed),
                ],
                check=True,
            )
            stamp.write_text(digest)
    else:
        eval_dir = args.work / f"eval-{seed}"
        out = args.work / f"out-{seed}"
    if args.set == "eval" and not (eval_dir / "truth.csv").exists():
        subprocess.run(
            [
                sys.executable,
                str(ROOT / "tools" / "make_eval_set.py"),
                "--out",
                str(eval_dir),
                "--seed",
                str(seed),
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
