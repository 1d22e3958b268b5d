"""Score extracted ``certificates.csv`` rows against ground truth.

Usage::

    python tools/score.py --predicted OUT/certificates.csv --truth EVAL/truth.csv \
        [--documents-predicted OUT/documents.csv --documents-truth EVAL/documents_truth.csv] \
        [--json score.json]

A predicted row is *right* when physician_id, activity_date and credits (as Decimal) all equal
the truth. Rows are matched one-to-one within the same source_file (and the same page when
both have one), best match first. Reported: row precision, recall and F1 overall and by variant,
per-field accuracy over matched pairs, and document-status accuracy; then per slice (overall,
digital, scanned, photo): row F1 with precision and recall, field accuracy, topic-label
precision and recall over matched pairs, and the silent error rate: wrong rows (wrong key
fields, or invented) among the predicted rows not flagged ``needs_review``.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

Row = dict[str, str]
VARIANTS = ("digital", "scanned", "photo")
FIELDS = (
    "physician_name",
    "physician_id",
    "activity_title",
    "provider",
    "activity_date",
    "credits",
    "category",
    "credit_type",
    "topics",
)
FUZZY_TITLE = 0.9
FUZZY_PROVIDER = 0.85


# ------------------------------------------------------------------------------ normalisation


def fold(s: str) -> str:
    """Casefold, strip accents and punctuation, collapse spaces."""
    s = unicodedata.normalize("NFKD", s or "")
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    s = re.sub(r"[^\w\s]", " ", s.casefold())
    return " ".join(s.split())


_DEGREES = {"md", "do", "phd", "mph", "facp", "facc", "dr", "mba", "ms", "rn", "m", "d", "o"}


def norm_name(s: str) -> str:
    """A name without titles and degrees, word order ignored ("DOE, JANE" == "Dr. Jane Doe")."""
    words = [w for w in fold(s).split() if w not in _DEGREES]
    return " ".join(sorted(words))


def similarity(a: str, b: str) -> float:
    """Similarity of two folded strings in [0, 1]."""
    fa, fb = fold(a), fold(b)
    if fa == fb:
        return 1.0
    try:
        from rapidfuzz import fuzz  # optional; same scale as difflib

        return float(fuzz.ratio(fa, fb)) / 100.0
    except ImportError:  # pragma: no cover - rapidfuzz is a project dependency
        return SequenceMatcher(None, fa, fb).ratio()


def to_decimal(s: str | None) -> Decimal | None:
    """Credits as Decimal, or None when blank or unparsable."""
    if s is None or str(s).strip() == "":
        return None
    try:
        return Decimal(str(s).strip())
    except InvalidOperation:
        return None


def norm_date(s: str | None) -> str:
    """The ISO date part of a value ("2026-03-03", "2026-03-03 00:00:00")."""
    return (s or "").strip()[:10]


def norm_category(s: str | None) -> str:
    """ "1", "1.0", "Category 1" -> "1"."""
    m = re.search(r"[12]", s or "")
    return m.group(0) if m else ""


def canon_credit_type(s: str) -> str:
    """The credit system a printed credit type names (ama1, ama2, aoa1a, aafp_p, ...)."""
    f = fold(s).replace(" tm", "")
    if "aoa" in f or "osteopathic" in f:
        m = re.search(r"([12])\s*([ab])", f)
        return f"aoa{m.group(1)}{m.group(2)}" if m else "aoa"
    if "aafp" in f or "prescribed" in f or "elective" in f:
        return "aafp_e" if "elective" in f else "aafp_p"
    if "ancc" in f or "contact hour" in f:
        return "ancc"
    if "self" in f and "2" in f:
        return "cat2"
    m = re.search(r"cat(?:egory)?\s*([12])", f)
    if m:
        return "ama1" if m.group(1) == "1" else "cat2" if "ama" not in f else "ama2"
    return f


def norm_topics(s: str | None) -> frozenset[str]:
    """Topic set from a ``;``-separated (or ``,``) list."""
    return frozenset(t.strip() for t in re.split(r"[;,]", s or "") if t.strip())


def field_equal(name: str, pred: Row, truth: Row) -> bool:
    """Whether one field of a matched pair is right, with the field's own tolerance."""
    p, t = pred.get(name, "") or "", truth.get(name, "") or ""
    if name == "physician_name":
        return norm_name(p) == norm_name(t)
    if name == "physician_id":
        return p.strip() == t.strip()
    if name == "activity_title":
        return similarity(p, t) >= FUZZY_TITLE
    if name == "provider":
        return similarity(p, t) >= FUZZY_PROVIDER
    if name == "activity_date":
        return norm_date(p) == norm_date(t)
    if name == "credits":
        return to_decimal(p) is not None and to_decimal(p) == to_decimal(t)
    if name == "category":
        return norm_category(p) == norm_category(t)
    if name == "credit_type":
        return canon_credit_type(p) == canon_credit_type(t)
    if name == "topics":
        return norm_topics(p) == norm_topics(t)
    raise KeyError(name)


def row_right(pred: Row, truth: Row) -> bool:
    """The row-level criterion: physician_id, activity_date and credits all equal."""
    return all(field_equal(f, pred, truth) for f in ("physician_id", "activity_date", "credits"))


# ------------------------------------------------------------------------------ matching


def _page(r: Row) -> str:
    return (r.get("page") or "").strip().split(".")[0]


def _affinity(pred: Row, truth: Row) -> tuple[int, float]:
    """How good a pairing is: key fields agreeing first, then the other fields, then title."""
    key = sum(field_equal(f, pred, truth) for f in ("physician_id", "activity_date", "credits"))
    rest = sum(field_equal(f, pred, truth) for f in FIELDS)
    return key * 100 + rest, similarity(
        pred.get("activity_title", ""), truth.get("activity_title", "")
    )


def match(predicted: list[Row], truth: list[Row]) -> list[tuple[int, int]]:
    """One-to-one pairs (predicted index, truth index) within a file and page, best first."""
    by_file: dict[str, list[int]] = {}
    for j, t in enumerate(truth):
        by_file.setdefault(norm_path(t["source_file"]), []).append(j)
    cands: list[tuple[tuple[int, float], int, int]] = []
    for i, p in enumerate(predicted):
        for j in by_file.get(norm_path(p.get("source_file", "")), []):
            pp, tp = _page(p), _page(truth[j])
            if pp and tp and pp != tp:
                continue
            cands.append((_affinity(p, truth[j]), i, j))
    cands.sort(key=lambda c: (-c[0][0], -c[0][1], c[1], c[2]))
    used_p: set[int] = set()
    used_t: set[int] = set()
    pairs = []
    for _, i, j in cands:
        if i in used_p or j in used_t:
            continue
        used_p.add(i)
        used_t.add(j)
        pairs.append((i, j))
    return pairs


def norm_path(p: str) -> str:
    """Forward slashes, no leading ``./``."""
    p = (p or "").replace("\\", "/").strip()
    return p[2:] if p.startswith("./") else p


# ------------------------------------------------------------------------------ scoring


@dataclass
class Counts:
    """True positives, predicted and truth counts of one slice."""

    tp: int = 0
    predicted: int = 0
    truth: int = 0

    def prf(self) -> dict[str, float | int]:
        """Precision, recall, F1 and the raw counts."""
        p = self.tp / self.predicted if self.predicted else (1.0 if not self.truth else 0.0)
        r = self.tp / self.truth if self.truth else (1.0 if not self.predicted else 0.0)
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        return {
            "precision": p,
            "recall": r,
            "f1": f1,
            "right": self.tp,
            "predicted": self.predicted,
            "truth": self.truth,
        }


def _ratio(num: int, den: int) -> float | None:
    return num / den if den else None


def flagged(r: Row) -> bool:
    """Whether a predicted row was sent to review (``needs_review`` true)."""
    return (r.get("needs_review") or "").strip().lower() in {"true", "1", "yes", "y"}


@dataclass
class Slice:
    """Per-slice figures beyond row counts: fields, topics and silent errors."""

    matched: int = 0
    field_right: dict[str, int] = field(default_factory=dict)
    topic_tp: int = 0
    topic_predicted: int = 0
    topic_truth: int = 0
    unflagged: int = 0
    unflagged_wrong: int = 0

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form (None where a ratio has no denominator)."""
        return {
            "matched_pairs": self.matched,
            "fields": {f: _ratio(self.field_right.get(f, 0), self.matched) for f in FIELDS},
            "topics": {
                "precision": _ratio(self.topic_tp, self.topic_predicted),
                "recall": _ratio(self.topic_tp, self.topic_truth),
                "right": self.topic_tp,
                "predicted": self.topic_predicted,
                "truth": self.topic_truth,
            },
            "silent": {
                "rate": _ratio(self.unflagged_wrong, self.unflagged),
                "wrong": self.unflagged_wrong,
                "unflagged": self.unflagged,
            },
        }


@dataclass
class Score:
    """Everything the scorer reports."""

    overall: Counts = field(default_factory=Counts)
    by_variant: dict[str, Counts] = field(default_factory=dict)
    field_right: dict[str, int] = field(default_factory=dict)
    matched: int = 0
    documents: dict[str, Any] | None = None
    errors: list[dict[str, str]] = field(default_factory=list)
    #: "overall" and each variant: fields, topics and silent errors.
    slices: dict[str, Slice] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "rows": self.overall.prf(),
            "by_variant": {k: v.prf() for k, v in self.by_variant.items()},
            "fields": {
                "matched_pairs": self.matched,
                **{
                    f: (self.field_right.get(f, 0) / self.matched if self.matched else None)
                    for f in FIELDS
                },
            },
            "documents": self.documents,
            "slices": {k: v.as_dict() for k, v in self.slices.items()},
            "errors": self.errors[:200],
        }


def score_rows(predicted: list[Row], truth: list[Row]) -> Score:
    """Score predicted certificate rows against truth rows."""
    sc = Score()
    variant_of_file = {norm_path(t["source_file"]): t.get("variant", "") for t in truth}
    for v in VARIANTS:
        sc.by_variant[v] = Counts()
    for t in truth:
        sc.overall.truth += 1
        sc.by_variant.setdefault(t.get("variant", "") or "unknown", Counts()).truth += 1
    for p in predicted:
        sc.overall.predicted += 1
        v = variant_of_file.get(norm_path(p.get("source_file", "")), "") or "unknown"
        sc.by_variant.setdefault(v, Counts()).predicted += 1
    pairs = match(predicted, truth)
    sc.matched = len(pairs)
    sc.slices = {k: Slice() for k in ("overall", *VARIANTS)}

    def slices_of(v: str) -> list[Slice]:
        return [sc.slices["overall"], sc.slices.setdefault(v or "unknown", Slice())]

    right_p: set[int] = set()
    matched_p, matched_t = set(), set()
    for i, j in pairs:
        p, t = predicted[i], truth[j]
        matched_p.add(i)
        matched_t.add(j)
        for f in FIELDS:
            sc.field_right[f] = sc.field_right.get(f, 0) + int(field_equal(f, p, t))
        pt, tt = norm_topics(p.get("topics")), norm_topics(t.get("topics"))
        for sl in slices_of(t.get("variant", "")):
            sl.matched += 1
            for f in FIELDS:
                sl.field_right[f] = sl.field_right.get(f, 0) + int(field_equal(f, p, t))
            sl.topic_tp += len(pt & tt)
            sl.topic_predicted += len(pt)
            sl.topic_truth += len(tt)
        if row_right(p, t):
            right_p.add(i)
            sc.overall.tp += 1
            sc.by_variant.setdefault(t.get("variant", "") or "unknown", Counts()).tp += 1
        else:
            wrong = [
                f for f in ("physician_id", "activity_date", "credits") if not field_equal(f, p, t)
            ]
            sc.errors.append(
                {
                    "kind": "wrong",
                    "source_file": t["source_file"],
                    "page": t.get("page", ""),
                    "fields": ";".join(wrong),
                    "predicted": _brief(p),
                    "truth": _brief(t),
                }
            )
    for j, t in enumerate(truth):
        if j not in matched_t:
            sc.errors.append(
                {
                    "kind": "missing",
                    "source_file": t["source_file"],
                    "page": t.get("page", ""),
                    "fields": "",
                    "predicted": "",
                    "truth": _brief(t),
                }
            )
    for i, p in enumerate(predicted):
        if i not in matched_p:
            sc.errors.append(
                {
                    "kind": "invented",
                    "source_file": p.get("source_file", ""),
                    "page": p.get("page", ""),
                    "fields": "",
                    "predicted": _brief(p),
                    "truth": "",
                }
            )
    # Silent errors: a row not sent to review that is wrong or invented.
    for i, p in enumerate(predicted):
        if flagged(p):
            continue
        v = variant_of_file.get(norm_path(p.get("source_file", "")), "")
        for sl in slices_of(v):
            sl.unflagged += 1
            sl.unflagged_wrong += int(i not in right_p)
    # Drop slices nobody asked about (no truth and no predictions).
    sc.by_variant = {
        k: v for k, v in sc.by_variant.items() if v.truth or v.predicted or k in VARIANTS
    }
    return sc


def _brief(r: Row) -> str:
    return (
        f"{r.get('physician_id', '')} {norm_date(r.get('activity_date'))} "
        f"{r.get('credits', '')} {r.get('activity_title', '')[:50]}"
    )


def score_documents(predicted: list[Row], truth: list[Row]) -> dict[str, Any]:
    """Accuracy of predicted document statuses (``documents.csv`` ``status``)."""
    pred = {norm_path(r.get("source_file", "")): (r.get("status") or "").strip() for r in predicted}
    total = right = 0
    confusion: dict[str, dict[str, int]] = {}
    wrong: list[dict[str, str]] = []
    for t in truth:
        path = norm_path(t["source_file"])
        want = t["expected_status"].strip()
        got = pred.get(path, "(missing)")
        total += 1
        right += int(got == want)
        confusion.setdefault(want, {}).setdefault(got, 0)
        confusion[want][got] += 1
        if got != want:
            wrong.append({"source_file": path, "expected": want, "got": got})
    return {
        "accuracy": right / total if total else None,
        "right": right,
        "total": total,
        "confusion": confusion,
        "wrong": wrong,
    }


# ------------------------------------------------------------------------------ I/O


def read_csv(path: Path | str) -> list[Row]:
    """A CSV file as a list of dicts (UTF-8, BOM tolerated)."""
    with Path(path).open(newline="", encoding="utf-8-sig") as fh:
        return list(csv.DictReader(fh))


def format_table(sc: Score) -> str:
    """The plain-text report."""
    d = sc.as_dict()
    out: list[str] = []

    def line(name: str, m: dict[str, float | int]) -> str:
        return (
            f"{name:<10} {m['precision']:>9.3f} {m['recall']:>7.3f} {m['f1']:>7.3f} "
            f"{m['right']:>6} {m['predicted']:>9} {m['truth']:>6}"
        )

    out.append("ROWS (right = physician_id, activity_date and credits all equal)")
    out.append(
        f"{'slice':<10} {'precision':>9} {'recall':>7} {'F1':>7} {'right':>6} "
        f"{'predicted':>9} {'truth':>6}"
    )
    out.append(line("overall", d["rows"]))
    for k, m in d["by_variant"].items():
        out.append(line(k, m))
    out.append("")
    out.append(f"FIELDS (accuracy over {sc.matched} matched pairs)")
    for f in FIELDS:
        v = d["fields"][f]
        out.append(f"  {f:<16} {'-' if v is None else f'{v:.3f}':>7}")
    if sc.documents is not None:
        doc = sc.documents
        acc = doc["accuracy"]
        out.append("")
        out.append(
            f"DOCUMENTS status accuracy {'-' if acc is None else f'{acc:.3f}'} "
            f"({doc['right']}/{doc['total']})"
        )
        for want, gots in sorted(doc["confusion"].items()):
            got_s = ", ".join(f"{g}: {n}" for g, n in sorted(gots.items()))
            out.append(f"  expected {want:<15} -> {got_s}")
    out.extend(format_slices(sc))
    kinds: dict[str, int] = {}
    for e in sc.errors:
        kinds[e["kind"]] = kinds.get(e["kind"], 0) + 1
    if kinds:
        out.append("")
        out.append(
            "ERRORS "
            + ", ".join(f"{k}: {n}" for k, n in sorted(kinds.items()))
            + " (details in --json)"
        )
    return "\n".join(out)


def _f(v: float | None) -> str:
    return "-" if v is None else f"{v:.3f}"


def format_slices(sc: Score) -> list[str]:
    """The per-slice section: row F1/P/R, topic P/R, silent error rate, field accuracy."""
    d = sc.as_dict()
    rows = {"overall": d["rows"], **d["by_variant"]}
    names = [k for k in ("overall", *VARIANTS) if k in sc.slices]
    out = [
        "",
        "BY SLICE (topics: labels over matched pairs; silent: wrong or invented rows among "
        "rows not flagged for review)",
        f"{'slice':<10} {'F1':>7} {'P':>7} {'R':>7} {'topicP':>7} {'topicR':>7} "
        f"{'silent':>7} {'(wrong/unflagged)':>18}",
    ]
    for k in names:
        m, sl = rows.get(k), d["slices"][k]
        if m is None:
            continue
        si = sl["silent"]
        out.append(
            f"{k:<10} {m['f1']:>7.3f} {m['precision']:>7.3f} {m['recall']:>7.3f} "
            f"{_f(sl['topics']['precision']):>7} {_f(sl['topics']['recall']):>7} "
            f"{_f(si['rate']):>7} {si['wrong']:>8}/{si['unflagged']:<9}"
        )
    out.append("")
    out.append("FIELDS BY SLICE (accuracy over matched pairs)")
    out.append(f"  {'field':<16} " + " ".join(f"{k:>8}" for k in names))
    out.append(
        f"  {'matched pairs':<16} "
        + " ".join(f"{d['slices'][k]['matched_pairs']:>8}" for k in names)
    )
    for f in FIELDS:
        out.append(f"  {f:<16} " + " ".join(f"{_f(d['slices'][k]['fields'][f]):>8}" for k in names))
    return out


def run(
    predicted: Path,
    truth: Path,
    documents_predicted: Path | None = None,
    documents_truth: Path | None = None,
) -> Score:
    """Score files on disk."""
    # Ledger rows are typed in by the office, not extracted: they are not scored.
    extracted = [
        r for r in read_csv(predicted) if not r.get("source_file", "").startswith("ledger:")
    ]
    sc = score_rows(extracted, read_csv(truth))
    if documents_predicted and documents_truth:
        sc.documents = score_documents(read_csv(documents_predicted), read_csv(documents_truth))
    return sc


def main(argv: Iterable[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--predicted", required=True, type=Path, help="certificates.csv")
    ap.add_argument("--truth", required=True, type=Path, help="truth.csv")
    ap.add_argument("--documents-predicted", type=Path, help="documents.csv")
    ap.add_argument("--documents-truth", type=Path, help="documents_truth.csv")
    ap.add_argument("--json", type=Path, help="write the full result as JSON here")
    args = ap.parse_args(list(argv) if argv is not None else None)
    if bool(args.documents_predicted) != bool(args.documents_truth):
        ap.error("--documents-predicted and --documents-truth go together")
    sc = run(args.predicted, args.truth, args.documents_predicted, args.documents_truth)
    print(format_table(sc))
    if args.json:
        args.json.write_text(json.dumps(sc.as_dict(), indent=2, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
