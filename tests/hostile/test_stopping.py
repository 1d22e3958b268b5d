"""``kill`` stops a run as Ctrl-C does, and workers never outlive the run, however it ends."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from tests.hostile.conftest import REPO
from tests.state.certs import cert, write_inbox, write_pdf, write_roster

#: Planted in the real CLI and its workers: a file named slow-* is "read" by a child program
#: (as tesseract is) that never ends, and the worker and that program write down their pids.
HOOK = """
import os, subprocess
import cme_batch.process as process

real = process.read_document

def slow(path, kind, options=None, **how):
    if "slow-" in str(path):
        child = subprocess.Popen(["sleep", "600"])
        with open(os.path.join(os.environ["PIDS"], f"{os.getpid()}-{child.pid}"), "w"):
            pass
        child.wait()
    return real(path, kind, options, **how)

process.read_document = slow
"""


def _alive(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie waiting for its reaper is not running)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return False
    return state not in ("Z", "X")


def _gone(pids: list[int], within: float = 10.0) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if not any(_alive(p) for p in pids):
            return True
        time.sleep(0.1)
    return False


@pytest.fixture()
def started(tmp_path: Path):  # type: ignore[no-untyped-def]
    """A finished first run, then a second one busy on two never-ending files; yields it."""
    hook, pids = tmp_path / "hook", tmp_path / "pids"
    hook.mkdir()
    pids.mkdir()
    (hook / "sitecustomize.py").write_text(textwrap.dedent(HOOK))
    roster, inbox, out = write_roster(tmp_path / "roster.csv"), tmp_path / "inbox", tmp_path / "out"
    write_inbox(inbox, 3)
    env = {**os.environ, "PYTHONPATH": f"{hook}{os.pathsep}{REPO}", "PIDS": str(pids)}
    command = [
        sys.executable, "-m", "cme_batch", "run", "--inbox", str(inbox), "--roster", str(roster),
        "--out", str(out), "--as-of", "2026-11-27", "--jobs", "2", "--quiet", "--no-notices",
    ]  # fmt: skip
    first = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    assert first.returncode == 0, first.stderr
    before = (out / "report.html").read_bytes()
    write_pdf(inbox / "slow-1.pdf", [cert(10)])
    write_pdf(inbox / "slow-2.pdf", [cert(11)])
    proc = subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    deadline = time.monotonic() + 60
    while len(list(pids.iterdir())) < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    found = [int(p) for f in pids.iterdir() for p in f.name.split("-")]
    try:
        assert len(found) == 4, "both workers should be reading a slow file"
        yield proc, found, out, before
    finally:
        proc.kill()
        proc.wait()
        for pid in found:
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)


def test_sigterm_stops_the_run_like_ctrl_c(started) -> None:  # type: ignore[no-untyped-def]
    proc, workers_and_programs, out, before = started
    proc.send_signal(signal.SIGTERM)
    _stdout, stderr = proc.communicate(timeout=30)
    assert proc.returncode == 143, stderr
    assert "stopped by SIGTERM; previous reports are left as they were" in stderr
    assert _gone(workers_and_programs), "workers or the programs they ran outlived the run"
    assert (out / "report.html").read_bytes() == before
    log = (out / "run.log").read_text(encoding="utf-8").rstrip().splitlines()
    assert "stopped (SIGTERM) before it finished" in log[-2]
    assert log[-1].endswith("exit code 143")
    assert "exit code 0" in (out / "run.log.1").read_text(encoding="utf-8")


def test_workers_end_when_the_run_is_killed_outright(started) -> None:  # type: ignore[no-untyped-def]
    proc, workers_and_programs, out, before = started
    proc.send_signal(signal.SIGKILL)  # no clean-up runs in the parent
    proc.wait(timeout=30)
    assert _gone(workers_and_programs), "workers or the programs they ran outlived the run"
    assert (out / "report.html").read_bytes() == before


@pytest.mark.parametrize("where", ["a file", "under a file"])
def test_out_that_cannot_be_a_folder_exits_8_with_a_message(tmp_path: Path, where: str) -> None:
    from cme_batch.cli import main

    roster, inbox = write_roster(tmp_path / "roster.csv"), tmp_path / "inbox"
    write_inbox(inbox, 1)
    blocker = tmp_path / "reports"
    blocker.write_text("not a folder", encoding="utf-8")
    out = blocker if where == "a file" else blocker / "nightly"
    args = ["run", "--inbox", str(inbox), "--roster", str(roster), "--out", str(out)]
    assert main([*args, "--quiet", "--no-notices", "--jobs", "1"]) == 8
    assert blocker.read_text(encoding="utf-8") == "not a folder"


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes in any folder")
def test_unwritable_out_exits_8(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from cme_batch.cli import main

    roster, inbox = write_roster(tmp_path / "roster.csv"), tmp_path / "inbox"
    write_inbox(inbox, 1)
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    args = ["run", "--inbox", str(inbox), "--roster", str(roster), "--out", str(locked / "out")]
    assert main([*args, "--quiet", "--no-notices", "--jobs", "1"]) == 8
    assert "permission denied" in capsys.readouterr().err
