"""``--executor`` and the Dask options on the command line."""

from __future__ import annotations

from pathlib import Path

import pytest

from cme_batch.cli import build_parser, main
from cme_batch.errors import ExitCode
from cme_batch.executors import ExecutorSettings


def test_local_is_the_default(tmp_path: Path) -> None:
    args = build_parser().parse_args(
        ["run", "--inbox", str(tmp_path), "--roster", "r.csv", "--out", str(tmp_path / "o")]
    )
    assert args.executor == "local" and args.scheduler is None
    assert ExecutorSettings().kind == "local"


@pytest.mark.parametrize("option", ["--scheduler", "--tls-cert", "--worker-inbox"])
def test_cluster_options_need_the_dask_executor(
    option: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text("physician_id\n")
    (tmp_path / "inbox").mkdir()
    code = main(
        ["run", "--inbox", str(tmp_path / "inbox"), "--roster", str(roster), "--out", str(tmp_path / "o"),
         "--as-of", "2026-11-27", "--no-notices", option, "x"]
    )  # fmt: skip
    assert code == ExitCode.BAD_ARGUMENTS
    assert f"{option} need(s) --executor dask" in capsys.readouterr().err


def test_an_unknown_executor_is_a_bad_argument(tmp_path: Path) -> None:
    code = main(
        ["run", "--inbox", str(tmp_path), "--roster", "r.csv", "--out", str(tmp_path / "o"),
         "--executor", "spark"]
    )  # fmt: skip
    assert code == ExitCode.BAD_ARGUMENTS
