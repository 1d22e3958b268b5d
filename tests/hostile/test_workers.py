"""A worker that crashes or hangs costs exactly its own file; the batch goes on."""

from __future__ import annotations

import os
import signal
import textwrap
import time
from pathlib import Path

import pandas as pd

from cme_batch.extract.document import ReadOptions
from cme_batch.process import DocResult, Task, run_documents
from tests.hostile.builders import GOOD_NAMES, build_hostile_inbox
from tests.hostile.conftest import run_cli

ROSTER = pd.DataFrame(
    [{"physician_id": "P1", "first_name": "Jane", "middle_name": "", "last_name": "Doe",
      "degree": "MD", "license_number": "1", "physician_name": "Jane Doe, MD"}]
)  # fmt: skip


def fake_worker(path: str, kind: str, sha256: str) -> DocResult:
    """Crash, exit or hang on files named so; read the others instantly."""
    name = Path(path).name
    if name.startswith("segv"):
        os.kill(os.getpid(), signal.SIGSEGV)
    if name.startswith("exit"):
        os._exit(3)
    if name.startswith("hang"):
        time.sleep(600)
    return DocResult("pdf_text", 1, "ok", "", ())


def _tasks(*names: str) -> list[Task]:
    return [Task(name, f"/nonexistent/{name}", "pdf") for name in names]


def test_crashes_and_hangs_cost_only_their_file() -> None:
    names = ["a.pdf", "segv.pdf", "b.pdf", "exit.pdf", "hang.pdf", "c.pdf", "d.pdf", "e.pdf"]
    options = ReadOptions(document_timeout=2.0)
    done: list[str] = []
    results = run_documents(
        _tasks(*names), ROSTER, options, jobs=2, on_done=lambda t, _r: done.append(t.key),
        worker=fake_worker,
    )  # fmt: skip
    assert set(results) == set(names) and sorted(done) == sorted(names)
    assert {n for n, r in results.items() if r.status == "ok"} == {
        "a.pdf", "b.pdf", "c.pdf", "d.pdf", "e.pdf"
    }  # fmt: skip
    assert "crashed on this file (SIGSEGV)" in results["segv.pdf"].reason
    assert "crashed on this file (exit code 3)" in results["exit.pdf"].reason
    assert "took longer than 2 s" in results["hang.pdf"].reason
    assert all(results[n].status == "failed" for n in ("segv.pdf", "exit.pdf", "hang.pdf"))


def test_single_job_still_isolates_a_crash() -> None:
    results = run_documents(_tasks("segv.pdf", "a.pdf"), ROSTER, ReadOptions(), jobs=1,
                            worker=fake_worker)  # fmt: skip
    assert results["segv.pdf"].status == "failed"
    assert results["a.pdf"].status == "ok"


def test_cli_survives_a_segfaulting_reader(tmp_path: Path, roster: Path) -> None:
    # The crash is planted in the real reader of the real CLI: sitecustomize runs in the CLI
    # process and in every worker, whatever the start method.
    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(
        textwrap.dedent("""
        import os, signal
        import cme_batch.process as process

        real = process.read_document

        def crashing(path, kind, options=None, **how):
            if "crash-me" in str(path):
                os.kill(os.getpid(), signal.SIGSEGV)
            return real(path, kind, options, **how)

        process.read_document = crashing
    """)
    )
    inbox = tmp_path / "inbox"
    build_hostile_inbox(inbox, tmp_path / "outside", with_ocr=False)
    (inbox / "crash-me.pdf").write_bytes((inbox / GOOD_NAMES[1]).read_bytes() + b"\n% other\n")
    from tests.hostile.conftest import REPO

    run = run_cli(inbox, roster, tmp_path / "out", "--jobs", "2",
                  env={"PYTHONPATH": f"{hook}{os.pathsep}{REPO}"})  # fmt: skip
    assert run.returncode == 5, run.stderr
    rows = run.documents()
    assert rows["crash-me.pdf"]["status"] == "failed"
    assert "crashed on this file (SIGSEGV)" in rows["crash-me.pdf"]["reason"]
    assert all(rows[name]["status"] == "ok" for name in GOOD_NAMES)
