"""Regenerate the committed demo set ``sample_inbox/`` (documents, roster, ledger, truth).

Usage: ``python tools/make_sample_inbox.py [--out sample_inbox]``. Deterministic: a rerun
rewrites identical bytes. Fails if a physician's designed status does not hold.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from samplegen import inbox, truth  # noqa: E402
from samplegen.render import write_document  # noqa: E402

#: Files in the output folder that this script writes besides the documents.
META_FILES = (
    "roster.csv",
    "ledger.csv",
    "expected_status.csv",
    "truth.csv",
    "documents_truth.csv",
    "README.md",
)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--out", default=str(Path(__file__).resolve().parent.parent / "sample_inbox"))
    args = ap.parse_args(argv)
    out = Path(args.out)
    t0 = time.perf_counter()
    # Start clean so a renamed document does not linger, but only remove what we generate.
    for sub in ("portal", "scans", "photos", "archive", "misc"):
        shutil.rmtree(out / sub, ignore_errors=True)
    out.mkdir(parents=True, exist_ok=True)
    docs, ledger = inbox.documents()
    cache: dict[str, bytes] = {}
    rows = []
    for doc in docs:
        rows += write_document(doc, out, cache)
    inbox.check_statuses(rows, ledger)
    truth.write_truth(out / "truth.csv", rows)
    truth.write_documents_truth(out / "documents_truth.csv", docs)
    truth.write_roster(out / "roster.csv", inbox.ROSTER)
    truth.write_rows(out / "ledger.csv", truth.LEDGER_COLUMNS, ledger)
    truth.write_rows(
        out / "expected_status.csv",
        ("physician_id", "expected_status", "why"),
        (
            {"physician_id": k, "expected_status": v[0], "why": v[1]}
            for k, v in inbox.EXPECTED.items()
        ),
    )
    (out / "README.md").write_text(inbox.readme(docs, rows), encoding="utf-8")
    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    print(
        f"sample_inbox: {len(docs)} documents, {len(rows)} truth rows, "
        f"{size / 1e6:.2f} MB, {time.perf_counter() - t0:.1f} s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
