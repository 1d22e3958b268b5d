"""Two runs on the same state never overlap."""

from __future__ import annotations

import os
from pathlib import Path

from cme_batch.errors import ExitCode
from cme_batch.lock import hold
from tests.state.conftest import AS_OF, Run, cli


def test_second_run_is_refused_while_the_state_is_locked(
    inbox: Path, roster: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    with hold(out / "state.sqlite"):
        done = cli(
            "run",
            "--inbox",
            str(inbox),
            "--roster",
            str(roster),
            "--out",
            str(out),
            "--as-of",
            AS_OF,
        )
    assert done.returncode == ExitCode.LOCKED == 6
    assert f"another cme-batch run is using {out / 'state.sqlite'} since " in done.stderr
    assert f"(pid {os.getpid()})" in done.stderr
    assert not (out / "certificates.csv").exists()
    assert not (out / "state.sqlite").exists()


def test_lock_is_released_after_a_run(run: Run, inbox: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run(inbox, out) == 0
    with hold(out / "state.sqlite"):
        pass
    assert run(inbox, out) == 0


def test_explicit_state_path_is_locked_too(inbox: Path, roster: Path, tmp_path: Path) -> None:
    state = tmp_path / "elsewhere" / "cme.sqlite"
    with hold(state):
        done = cli(
            "run", "--inbox", str(inbox), "--roster", str(roster), "--out", str(tmp_path / "a"),
            "--state", str(state), "--as-of", AS_OF,
        )  # fmt: skip
    assert done.returncode == 6
    assert str(state) in done.stderr
