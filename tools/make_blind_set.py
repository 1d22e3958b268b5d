"""Generate the blind (held-out) evaluation set (not committed; made at benchmark time).

Usage: ``python tools/make_blind_set.py --out DIR [--seed N] [--jobs J]``

Writes the documents under DIR plus ``roster.csv``, ``truth.csv`` and ``documents_truth.csv``
in the formats ``tools/score.py`` reads. Deterministic for a given seed. The set is held out:
measure the extractor on it, never tune the extractor on it (see tools/blindset/README.md).
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

from blindset import build, write  # noqa: E402
from blindset.model import Doc  # noqa: E402
from samplegen import truth  # noqa: E402
from samplegen.model import DocSpec, TruthRow  # noqa: E402

DEFAULT_SEED = 13


def _write(args: tuple[Doc, str]) -> list[TruthRow]:
    doc, root = args
    return write.write(doc, Path(root))


def generate(
    out: Path, seed: int = DEFAULT_SEED, jobs: int = 2
) -> tuple[list[Doc], list[TruthRow]]:
    """Write the blind set into ``out`` (emptied first); return its documents and truth rows."""
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    roster, docs = build.build(seed)
    first = [(d, str(out)) for d in docs if not d.extra.get("same_bytes")]
    if jobs > 1:
        with mp.get_context("fork").Pool(jobs) as pool:
            chunks = pool.map(_write, first, chunksize=1)
    else:
        chunks = [_write(w) for w in first]
    rows = [r for c in chunks for r in c]
    for d in docs:  # byte-identical copies need their original on disk
        if d.extra.get("same_bytes"):
            rows += write.write(d, out)
    truth.write_roster(out / "roster.csv", roster)
    truth.write_truth(out / "truth.csv", rows)
    specs = [DocSpec(d.path, d.variant, [], d.seed, d.status, d.note) for d in docs]
    truth.write_documents_truth(out / "documents_truth.csv", specs)
    return docs, rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--out", required=True, help="output folder (replaced)")
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    ap.add_argument("--jobs", type=int, default=2)
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    docs, rows = generate(Path(args.out), args.seed, args.jobs)
    variants = Counter(d.variant for d in docs)
    layouts = {c.layout for d in docs for c in d.certs}
    statuses = Counter(d.status for d in docs)
    print(
        f"blind set: {len(docs)} documents ({dict(variants)}), {len(layouts)} layouts, "
        f"{len(rows)} truth rows, statuses {dict(statuses)}, {time.perf_counter() - t0:.1f} s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
