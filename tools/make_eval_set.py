"""Generate the labeled evaluation set (not committed; made at benchmark time).

Usage: ``python tools/make_eval_set.py --out DIR [--seed N] [--jobs J]``

Writes the documents under DIR plus ``roster.csv``, ``truth.csv`` and ``documents_truth.csv``.
Deterministic for a given seed.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import shutil
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from samplegen import evalset, truth  # noqa: E402
from samplegen.model import DocSpec, TruthRow  # noqa: E402
from samplegen.render import write_document  # noqa: E402


def _write(args: tuple[DocSpec, str]) -> list[TruthRow]:
    doc, root = args
    return write_document(doc, Path(root))


def generate(out: Path, seed: int = 7, jobs: int = 2) -> tuple[list[DocSpec], list[TruthRow]]:
    """Write the evaluation set into ``out`` (emptied first) and return docs and truth rows."""
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    roster, docs = evalset.build(seed)
    first = [d for d in docs if not d.extra.get("same_bytes")]
    later = [d for d in docs if d.extra.get("same_bytes")]
    work = [(d, str(out)) for d in first]
    if jobs > 1:
        # Spawn-free fork is fine here: workers only render and write their own files.
        with mp.get_context("fork").Pool(jobs) as pool:
            chunks = pool.map(_write, work, chunksize=1)
    else:
        chunks = [_write(w) for w in work]
    rows = [r for c in chunks for r in c]
    for d in later:  # byte-identical copies need their original on disk
        rows += write_document(d, out)
    truth.write_roster(out / "roster.csv", roster)
    truth.write_truth(out / "truth.csv", rows)
    truth.write_documents_truth(out / "documents_truth.csv", docs)
    return docs, rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--out", required=True, help="output folder (replaced)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--jobs", type=int, default=2)
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    docs, rows = generate(Path(args.out), args.seed, args.jobs)
    variants = Counter(d.variant for d in docs)
    layouts = {p.layout for d in docs for p in d.pages}
    statuses = Counter(d.expected_status for d in docs)
    print(
        f"eval set: {len(docs)} documents ({dict(variants)}), {len(layouts)} layouts, "
        f"{len(rows)} truth rows, statuses {dict(statuses)}, "
        f"{time.perf_counter() - t0:.1f} s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
