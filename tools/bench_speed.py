"""Speed benchmark of cme-batch on this machine (``make bench-speed``).

Measures, with generated certificates (reportlab) in a temporary folder:

1. scanned pages (transcripts, skewed and turned scans, fax TIFFs, phone photos from the
   evaluation set): serial plain ``tesseract IMG -`` vs ``cme-batch run`` (default --jobs), wall
   and CPU seconds side by side in alternating rounds, the run's fixed cost, the accuracy on
   those pages, and a serial pass that splits CPU per page into stages with tesseract calls;
2. digital PDFs: documents per second, end to end;
3. a rerun with no changes: time of the first run and of the rerun, identical outputs;
4. peak memory (max RSS of the run's largest process) of a 1,000- and a 2,000-page import;
5. the Dask executor's overhead: the same scanned pages through ``--executor local`` and
   ``--executor dask`` (a two-worker ``LocalCluster``), run alternately in this one run, wall
   and CPU time side by side, and pages per CPU-second (the throughput model's figure,
   docs/scale-out.md). Alone: ``tools/bench_speed.py --only dask [--dask-size small|large]``.

Each cme-batch run is a separate process, timed from start to exit (start-up, rules and reports
included), as cron would see it.
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.state.certs import cert, write_inbox, write_png, write_roster  # noqa: E402

AS_OF = "2026-11-27"
BENCHMARKS = ("ocr", "digital", "rerun", "memory", "dask")

# Runs the command and prints the max RSS (KiB on Linux) of its largest process, so that each
# measurement has its own RUSAGE_CHILDREN and earlier runs do not leak into it.
_RSS_WRAPPER = (
    "import resource, subprocess, sys\n"
    "code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode\n"
    "print(code, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
)


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def run_cme(inbox: Path, roster: Path, out: Path, *extra: str) -> tuple[float, int, int]:
    """Run cme-batch; returns (wall seconds, exit code, max RSS in MiB)."""
    command = [
        sys.executable,
        "-m",
        "cme_batch",
        "run",
        "--inbox",
        str(inbox),
        "--roster",
        str(roster),
    ]
    command += ["--out", str(out), "--as-of", AS_OF, "--quiet", *extra]
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", _RSS_WRAPPER, *command], capture_output=True, text=True, check=True
    )
    wall = time.perf_counter() - start
    code, rss_kib = (int(x) for x in done.stdout.split())
    if code not in (0, 5):
        raise SystemExit(f"cme-batch exited {code}: {done.stderr}")
    return wall, code, rss_kib // 1024


def link_subset(source: Path, target: Path, count: int) -> Path:
    """A second inbox holding the first ``count`` files of ``source`` (hard links: no copying)."""
    target.mkdir(parents=True)
    for path in sorted(source.iterdir())[:count]:
        os.link(path, target / path.name)
    return target


# Runs the command and prints its exit code and the CPU seconds (user + system) of all its
# descendants: the workers and every tesseract process they waited for.
_CPU_WRAPPER = (
    "import resource, subprocess, sys\n"
    "code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode\n"
    "u = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
    "print(code, u.ru_utime + u.ru_stime)\n"
)
_KIND_OF = {".pdf": "pdf", ".png": "png", ".jpg": "jpeg", ".jpeg": "jpeg", ".tif": "tiff"}


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _page_kind(name: str, variant: str, layout: str) -> str:
    if variant == "photo":
        return "phone photo"
    if layout == "transcript":
        return "scanned transcript"
    if name.endswith(".tif"):
        return "fax TIFF"
    return "scan (pdf/jpg/png)"


def _count_pages(path: Path) -> int:
    if path.suffix == ".pdf":
        import pypdfium2 as pdfium

        doc = pdfium.PdfDocument(str(path))
        try:
            return len(doc)
        finally:
            doc.close()
    from PIL import Image

    with Image.open(path) as img:
        return int(getattr(img, "n_frames", 1))


def _eval_set(work: Path, seed: int) -> Path:
    """The evaluation set of ``seed``: the one ``make bench`` made, or a new one in ``work``."""
    made = ROOT / ".bench" / f"eval-{seed}"
    if (made / "truth.csv").exists():
        return made
    target = work / f"eval-{seed}"
    subprocess.run([sys.executable, str(ROOT / "tools" / "make_eval_set.py"), "--out",
                    str(target), "--seed", str(seed)], check=True)  # fmt: skip
    return target


def _select_scans(eval_dir: Path, pages: int) -> list[tuple[Path, str, int]]:
    """Scanned and photographed documents, every page kind in turn, until ``pages`` pages.

    Returns (path, page kind, page count) per document; each kind (transcripts, fax TIFFs,
    other scans, many of them skewed or turned, and phone photos) is taken in turn so that a
    small count still mixes them.
    """
    with (eval_dir / "truth.csv").open(newline="") as fh:
        truth = list(csv.DictReader(fh))
    with (eval_dir / "documents_truth.csv").open(newline="") as fh:
        files = [r["source_file"] for r in csv.DictReader(fh)]
    layout = {r["source_file"]: r["layout"] for r in truth}
    variant = {r["source_file"]: r["variant"] for r in truth}
    by_kind: dict[str, list[str]] = {}
    for name in files:
        if name.startswith(("scans/", "photos/")) and not name.startswith("scans/zz_"):
            v = variant.get(name, "photo" if name.startswith("photos/") else "scanned")
            by_kind.setdefault(_page_kind(name, v, layout.get(name, "")), []).append(name)
    chosen: list[tuple[Path, str, int]] = []
    total = 0
    queues = [list(v) for _, v in sorted(by_kind.items())]
    while total < pages and any(queues):
        for kind_name, queue in zip(sorted(by_kind), queues, strict=True):
            if queue and total < pages:
                path = eval_dir / queue.pop(0)
                count = _count_pages(path)
                chosen.append((path, kind_name, count))
                total += count
    return chosen


def _tesseract_inputs(docs: list[tuple[Path, str, int]], folder: Path) -> list[Path]:
    """The images plain tesseract reads: image files as they are, image PDFs' pages as PNG.

    A PDF is rendered at the resolution cme-batch would read it at (its embedded image's),
    before any timing, so plain tesseract is not charged for rasterising.
    """
    import pypdfium2 as pdfium

    from cme_batch.extract import raster

    folder.mkdir(parents=True)
    inputs: list[Path] = []
    for path, _kind, _count in docs:
        if path.suffix != ".pdf":
            inputs.append(path)
            continue
        doc = pdfium.PdfDocument(str(path))
        try:
            for n in range(len(doc)):
                page = doc[n]
                image = raster.render_page(page, raster.page_dpi(page))
                target = folder / f"{path.stem}-{n + 1}.png"
                image.save(target)
                inputs.append(target)
        finally:
            doc.close()
    return inputs


def _serial_tesseract(inputs: list[Path]) -> tuple[float, float]:
    """Plain ``tesseract IMAGE -`` over the inputs one after another: (wall, CPU seconds)."""
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    cpu, start = _children_cpu(), time.perf_counter()
    for image in inputs:
        subprocess.run(["tesseract", str(image), "-"], capture_output=True, check=True, env=env)
    return time.perf_counter() - start, _children_cpu() - cpu


def _accuracy(out: Path, eval_dir: Path, docs: list[tuple[Path, str, int]]) -> str:
    """Row F1 by variant on the chosen documents (tools/score.py's grading)."""
    sys.path.insert(0, str(ROOT / "tools"))
    import score

    names = {str(p.relative_to(eval_dir)) for p, _k, _c in docs}
    flat = {n.rsplit("/", 1)[-1]: n for n in names}
    truth = [r for r in score.read_csv(eval_dir / "truth.csv") if r["source_file"] in names]
    predicted = score.read_csv(out / "certificates.csv")
    for row in predicted:  # the run's inbox holds the files without their folders
        row["source_file"] = flat.get(row["source_file"], row["source_file"])
    result = score.score_rows(predicted, truth)
    parts = []
    for variant in ("scanned", "photo"):
        prf = result.by_variant[variant].prf()
        if prf["truth"]:
            parts.append(f"{variant} row F1 {prf['f1']:.3f} ({prf['right']}/{prf['truth']} rows)")
    return ", ".join(parts)


def _split(docs: list[tuple[Path, str, int]], roster: Path) -> None:
    """One serial in-process pass: tesseract calls and CPU seconds per page, by stage and kind."""
    from cme_batch.extract import engine, stages
    from cme_batch.extract.document import ReadOptions
    from cme_batch.fields import lexicon
    from cme_batch.matching import RosterIndex
    from cme_batch.process import read_file
    from cme_batch.roster import load_roster

    lexicon.use(())
    index = RosterIndex(load_roster(roster))
    os.environ["OMP_THREAD_LIMIT"] = "1"
    rows: dict[str, dict[str, float]] = {}
    for path, kind_name, count in docs:
        stages.SECONDS.clear()
        engine.COUNTERS.calls.clear()
        engine.COUNTERS.cpu.clear()
        started = time.process_time()
        read_file(str(path), _KIND_OF[path.suffix], "", index, ReadOptions())
        own = time.process_time() - started
        cpu, calls, sec = engine.COUNTERS.cpu, engine.COUNTERS.calls, stages.SECONDS
        row = rows.setdefault(kind_name, {})
        measured = {
            "pages": count,
            "calls": sum(calls.values()),
            "whole": calls.get("page", 0) + calls.get("reread", 0),
            "rasterise": sec.get("rasterise", 0.0),
            "preprocess": sec.get("preprocess", 0.0),
            "ocr": sec.get("ocr", 0.0) + cpu.get("page", 0.0) + cpu.get("osd", 0.0),
            "reread": sec.get("reread", 0.0) + cpu.get("reread", 0.0) + cpu.get("region", 0.0),
            "parse": own - sum(sec.values()),
        }
        for key, value in measured.items():
            row[key] = row.get(key, 0.0) + value
    print("   per page, by page kind (one serial in-process pass; CPU s/page):")
    print(f"   {'kind':20s} {'pages':>5s} {'calls':>6s} {'whole':>6s} {'raster':>7s} "
          f"{'prep':>6s} {'ocr':>6s} {'reread':>7s} {'parse':>6s} {'total':>6s}")  # fmt: skip
    every: dict[str, float] = {}
    for kind_name, row in sorted(rows.items()) + [("all", every)]:
        if kind_name != "all":
            for key, value in row.items():
                every[key] = every.get(key, 0.0) + value
        n = max(row["pages"], 1)
        stages_cpu = [row[k] / n for k in ("rasterise", "preprocess", "ocr", "reread", "parse")]
        print(f"   {kind_name:20s} {int(row['pages']):5d} {row['calls'] / n:6.2f} "
              f"{row['whole'] / n:6.2f} " + " ".join(f"{v:6.2f}" for v in stages_cpu)
              + f" {sum(stages_cpu):6.2f}")  # fmt: skip
    print("   calls: tesseract calls per page (page, re-read, region and orientation);")
    print("   whole: whole-page readings per page (at most 2 for any page)")


def bench_ocr(work: Path, pages: int, rounds: int, seed: int, split: bool) -> None:
    eval_dir = _eval_set(work, seed)
    docs = _select_scans(eval_dir, pages)
    total = sum(c for _p, _k, c in docs)
    kinds = Counter(k for _p, k, _c in docs for _ in range(1))
    print(f"\n1. Scanned pages: {total} pages in {len(docs)} files of evaluation set {seed} "
          f"({', '.join(f'{n} {k}' for k, n in sorted(kinds.items()))} files)")  # fmt: skip
    inbox = work / "scans"
    inbox.mkdir()
    for path, _k, _c in docs:
        os.link(path, inbox / path.name)
    roster = eval_dir / "roster.csv"
    inputs = _tesseract_inputs(docs, work / "plain-inputs")
    # The run's fixed cost (start-up, rules, reports): the same command over one text PDF.
    one = work / "one-pdf"
    one.mkdir()
    first_pdf = next(p for p in sorted((eval_dir / "portal").iterdir()) if p.suffix == ".pdf")
    os.link(first_pdf, one / first_pdf.name)
    fixed_wall, fixed_cpu = run_cme_cpu(one, roster, work / "out-one")
    walls, cpus = [], []
    for n in range(rounds):
        plain_wall, plain_cpu = _serial_tesseract(inputs)
        ours_wall, ours_cpu = run_cme_cpu(inbox, roster, work / f"out-scans-{n}")
        walls.append(ours_wall / plain_wall)
        cpus.append(ours_cpu / plain_cpu)
        print(f"   round {n + 1}: tesseract IMG - serial {plain_wall:6.1f} s wall "
              f"{plain_cpu:6.1f} CPU-s ({plain_cpu / total:.2f}/page);  cme-batch run "
              f"{ours_wall:6.1f} s wall {ours_cpu:6.1f} CPU-s ({ours_cpu / total:.2f}/page)")  # fmt: skip
    spread = lambda v: f"{min(v):.2f}-{max(v):.2f}" if len(v) > 1 else f"{v[0]:.2f}"  # noqa: E731
    print(f"   wall ratio cme-batch / tesseract:  {spread(walls)}   (target <= 0.60 on 2 cores)")
    print(f"   CPU-seconds ratio:                 {spread(cpus)}   (target <= 1.30)")
    print(f"   fixed cost of a run (one text PDF): {fixed_wall:.2f} s wall, {fixed_cpu:.2f} CPU-s "
          "(included above)")  # fmt: skip
    print(f"   accuracy on these pages: {_accuracy(work / 'out-scans-0', eval_dir, docs)}")
    if split:
        _split(docs, roster)


def bench_digital(all_pdfs: Path, work: Path, roster: Path, count: int) -> None:
    print(f"\n2. Digital PDFs: {count} single-page text PDFs, first run")
    inbox = link_subset(all_pdfs, work / "digital", count)
    wall, _, _ = run_cme(inbox, roster, work / "out-digital")
    print(f"   {wall:.2f} s: {count / wall:.1f} documents/s   (target >= 40/s)")


def outputs(out: Path) -> dict[str, bytes]:
    """Every file a run writes in ``out``: CSVs, workbook, HTML report, notices (not the state)."""
    return {
        str(p.relative_to(out)): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file() and not p.name.startswith(("state.sqlite", "run.log"))
    }


def bench_rerun(all_pdfs: Path, work: Path, roster: Path, count: int) -> int:
    print(f"\n3. Rerun with no changes over {count} files")
    inbox = link_subset(all_pdfs, work / "rerun", count)
    out = work / "out-rerun"
    first, first_code, rss = run_cme(inbox, roster, out)
    before = outputs(out)
    again, again_code, _ = run_cme(inbox, roster, out)
    after = outputs(out)
    with sqlite3.connect(out / "state.sqlite") as db:
        kept = db.execute("SELECT kept_outputs_of FROM runs ORDER BY id DESC LIMIT 1").fetchone()
    print(f"   first run: {first:7.2f} s   (exit {first_code})")
    print(f"   rerun:     {again:7.2f} s   (exit {again_code}; {first / again:.0f}x faster; "
          "target <= 3 s and >= 20x)")  # fmt: skip
    print(f"   rerun kept the first run's outputs: {'yes' if kept[0] is not None else 'no'}")
    print(
        f"   outputs identical ({len(before)} files: CSVs, workbook, HTML, notices): "
        f"{'yes' if after == before else 'NO'}"
    )
    return rss


def bench_memory(
    all_pdfs: Path, work: Path, roster: Path, rss_small: int | None, small: int, big: int
) -> None:
    print("\n4. Peak memory (max RSS of the largest process), first run")
    _, _, rss_big = run_cme(all_pdfs, roster, work / "out-memory")
    if rss_small is not None:
        print(f"   {small:5d} pages: {rss_small:5d} MiB")
    print(f"   {big:5d} pages: {rss_big:5d} MiB   (target <= 1024 MiB and not growing with size)")


#: ``--dask-size``: scanned pages and alternating rounds of each preset.
DASK_SIZES = {"small": (12, 2), "large": (64, 3)}


def run_cme_cpu(
    inbox: Path, roster: Path, out: Path, *extra: str, python: str = sys.executable
) -> tuple[float, float]:
    """Run cme-batch (with ``python``) into a fresh ``out``; returns (wall seconds, CPU seconds
    of the run and everything it started: workers, Dask's processes, tesseract)."""
    shutil.rmtree(out, ignore_errors=True)
    command = [python, "-m", "cme_batch", "run", "--inbox", str(inbox), "--roster", str(roster),
               "--out", str(out), "--as-of", AS_OF, "--quiet", *extra]  # fmt: skip
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", _CPU_WRAPPER, *command], capture_output=True, text=True, check=True
    )
    wall = time.perf_counter() - start
    code, cpu = done.stdout.split()
    if int(code) not in (0, 5):
        raise SystemExit(f"cme-batch exited {code}: {done.stderr}")
    return wall, float(cpu)


def _spread(values: list[float]) -> str:
    ordered = sorted(values)
    middle = statistics.median(ordered)
    return f"median {middle:6.2f}, range {ordered[0]:.2f}-{ordered[-1]:.2f}"


def bench_dask(work: Path, roster: Path, pages: int, rounds: int) -> None:
    print(f"\n5. Dask executor against the local pool: {pages} scanned pages (300 dpi PNG), "
          f"{rounds} round(s) of local, dask, dask, local; first runs (no state)")  # fmt: skip
    try:
        import distributed  # noqa: F401
    except ImportError:
        print("   skipped: dask[distributed] is not installed (pip install 'cme-batch[dask]')")
        return
    inbox = work / "dask-scans"
    for n in range(pages):
        write_png(inbox / f"scan-{n:02d}.png", cert(100 + n), dpi=300)
    cores = len(os.sched_getaffinity(0))
    jobs = str(cores)
    walls: dict[str, list[float]] = {"local": [], "dask": []}
    cpus: dict[str, list[float]] = {"local": [], "dask": []}
    outputs_of: dict[str, set[bytes]] = {"local": set(), "dask": set()}
    csvs = ("certificates.csv", "documents.csv", "compliance.csv", "physicians.csv")
    # Each round runs the two in both orders, so that a load that rises or falls during the
    # round weighs on both alike.
    for n in range(rounds):
        for step, executor in enumerate(("local", "dask", "dask", "local")):
            out = work / f"out-{executor}-{n}-{step}"
            wall, cpu = run_cme_cpu(inbox, roster, out, "--jobs", jobs, "--executor", executor)
            walls[executor].append(wall)
            cpus[executor].append(cpu)
            outputs_of[executor].add(b"\0".join((out / name).read_bytes() for name in csvs))
            shutil.rmtree(out)
    for executor in ("local", "dask"):
        print(f"   --executor {executor:5s} (--jobs {jobs}): wall {_spread(walls[executor])} s; "
              f"CPU {_spread(cpus[executor])} s")  # fmt: skip
    # Ratios of runs made next to each other (same round and order), then their median.
    wall_ratios = [d / loc for loc, d in zip(walls["local"], walls["dask"], strict=True)]
    cpu_ratios = [d / loc for loc, d in zip(cpus["local"], cpus["dask"], strict=True)]
    wall_ratio, cpu_ratio = statistics.median(wall_ratios), statistics.median(cpu_ratios)
    print(f"   overhead of dask, wall: {100 * (wall_ratio - 1):+.1f}% (median of {len(wall_ratios)} "
          f"side-by-side pairs, {100 * (min(wall_ratios) - 1):+.1f}% to "
          f"{100 * (max(wall_ratios) - 1):+.1f}%)   (target <= +15%)")  # fmt: skip
    print(f"   overhead of dask, CPU:  {100 * (cpu_ratio - 1):+.1f}% ({100 * (min(cpu_ratios) - 1):+.1f}% "
          f"to {100 * (max(cpu_ratios) - 1):+.1f}%)")  # fmt: skip
    local_cpu = statistics.median(cpus["local"])
    dask_cpu = statistics.median(cpus["dask"])
    print(f"   pages per CPU-second (whole run, start-up and reports included): local "
          f"{pages / local_cpu:.3f}, dask {pages / dask_cpu:.3f}; wall: local "
          f"{pages / statistics.median(walls['local']):.2f} pages/s on {cores} cores")  # fmt: skip
    same = len(outputs_of["local"]) == 1 and outputs_of["local"] == outputs_of["dask"]
    print(f"   the four CSVs byte-identical between executors and runs: {'yes' if same else 'NO'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    # Enough pages that the run's fixed cost (about 2 s: start-up, rules, reports) does not
    # decide a throughput figure; it is printed on its own.
    parser.add_argument("--scan-pages", type=int, default=30,
                        help="pages of scans and photos for the OCR benchmark (>= 24)")  # fmt: skip
    parser.add_argument("--ocr-rounds", type=int, default=2,
                        help="alternating rounds of plain tesseract and cme-batch")  # fmt: skip
    parser.add_argument("--ocr-seed", type=int, default=7,
                        help="evaluation set the scans come from (tools/make_eval_set.py)")  # fmt: skip
    parser.add_argument("--no-split", action="store_true",
                        help="skip the serial per-stage pass of the OCR benchmark")  # fmt: skip
    parser.add_argument("--digital", type=int, default=500)
    parser.add_argument("--rerun", type=int, default=1000)
    parser.add_argument("--memory", type=int, default=2000)
    parser.add_argument("--dask-pages", type=int, default=32)
    parser.add_argument("--dask-rounds", type=int, default=2)
    parser.add_argument(
        "--dask-size", choices=sorted(DASK_SIZES), default=None,
        help="preset pages and rounds of the dask benchmark: small (12 pages, 2 rounds, a few "
        "minutes) or large (64 pages, 3 rounds); overrides --dask-pages and --dask-rounds",
    )  # fmt: skip
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument(
        "--only", action="append", choices=BENCHMARKS, default=None,
        help="run only this benchmark (repeatable; default: all)",
    )  # fmt: skip
    args = parser.parse_args()
    only = set(args.only or BENCHMARKS)
    if shutil.which("tesseract") is None:
        raise SystemExit("tesseract is not installed")
    print(f"machine: nproc {len(os.sched_getaffinity(0))}, {os.cpu_count()} CPUs, {cpu_model()}")
    print(f"python {platform.python_version()}, {platform.system()} {platform.machine()}")
    work = Path(tempfile.mkdtemp(prefix="cme-bench-"))
    try:
        roster = write_roster(work / "roster.csv")
        start = time.perf_counter()
        all_pdfs = work / "pdfs"
        sizes = {"digital": args.digital, "rerun": args.rerun, "memory": args.memory}
        write_inbox(all_pdfs, max((n for name, n in sizes.items() if name in only), default=0))
        print(f"generated inputs in {time.perf_counter() - start:.1f} s")
        if "ocr" in only:
            bench_ocr(work, args.scan_pages, args.ocr_rounds, args.ocr_seed, not args.no_split)
        if "digital" in only:
            bench_digital(all_pdfs, work, roster, args.digital)
        rss_small = bench_rerun(all_pdfs, work, roster, args.rerun) if "rerun" in only else None
        if "memory" in only:
            bench_memory(all_pdfs, work, roster, rss_small, args.rerun, args.memory)
        if "dask" in only:
            pages, rounds = DASK_SIZES.get(args.dask_size, (args.dask_pages, args.dask_rounds))
            bench_dask(work, roster, pages, rounds)
    finally:
        if args.keep:
            print(f"\ninputs and outputs kept in {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
