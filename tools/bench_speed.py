"""Speed benchmark of cme-batch on this machine (``make bench-speed``).

Measures, with generated certificates (reportlab) in a temporary folder:

1. scanned pages: ``tesseract IMG stdout`` run serially vs ``cme-batch run`` (default --jobs);
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
import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
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


def bench_ocr(work: Path, roster: Path, pages: int) -> None:
    print(f"\n1. Scanned pages: {pages} certificate pages as 300 dpi PNG")
    inbox = work / "scans"
    images = [write_png(inbox / f"scan-{n:02d}.png", cert(n), dpi=300) for n in range(pages)]
    start = time.perf_counter()
    for image in images:
        subprocess.run(["tesseract", str(image), "stdout"], capture_output=True, check=True)
    plain = time.perf_counter() - start
    ours, _, _ = run_cme(inbox, roster, work / "out-scans")
    ratio = ours / plain
    # The run's fixed cost, for reading the ratio: the same command over one of the pages.
    one = link_subset(inbox, work / "one-scan", 1)
    single, _, _ = run_cme(one, roster, work / "out-one-scan")
    # How well this machine runs OCR on all cores at once: single-threaded tesseract on one
    # image per core, together, against the same images one after another.
    cores = len(os.sched_getaffinity(0))
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    batch = [["tesseract", str(images[i % len(images)]), "stdout"] for i in range(cores)]
    start = time.perf_counter()
    for command in batch:
        subprocess.run(command, capture_output=True, check=True, env=env)
    one_by_one = time.perf_counter() - start
    start = time.perf_counter()
    running = [
        subprocess.Popen(c, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        for c in batch
    ]
    for process in running:
        process.wait()
    together = time.perf_counter() - start
    print(f"   tesseract IMG stdout, serial: {plain:7.2f} s  ({plain / pages:.2f} s/page)")
    print(
        f"   cme-batch run (--jobs {os.cpu_count()}):  {ours:7.2f} s  ({ours / pages:.2f} s/page)"
    )
    print(f"   ratio cme-batch / tesseract:  {ratio:7.2f}   (target <= 0.70 on 2 cores)")
    print(
        f"   cme-batch run over one page:   {single:7.2f} s  (start-up, rules and reports included)"
    )
    print(
        f"   parallel OCR capacity: {cores} single-threaded tesseract runs together take "
        f"{together / one_by_one:.2f} of their serial time (1/{cores} = ideal)"
    )


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


# Like _RSS_WRAPPER, and also the CPU time (user + system) of the run and everything it started:
# worker processes, Dask's scheduler and workers, tesseract. On a shared machine CPU time is
# steadier than wall time, so the Dask benchmark reports both.
_CPU_WRAPPER = (
    "import resource, subprocess, sys\n"
    "code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode\n"
    "used = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
    "print(code, used.ru_utime + used.ru_stime)\n"
)
#: ``--dask-size``: scanned pages and alternating rounds of each preset.
DASK_SIZES = {"small": (12, 2), "large": (64, 3)}


def run_cme_cpu(
    inbox: Path, roster: Path, out: Path, *extra: str, python: str = sys.executable
) -> tuple[float, float]:
    """Run cme-batch (with ``python``); returns (wall seconds, CPU seconds of the whole run)."""
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
    parser.add_argument("--scan-pages", type=int, default=24)
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
            bench_ocr(work, roster, args.scan_pages)
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
