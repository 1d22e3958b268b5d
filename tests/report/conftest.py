from __future__ import annotations

from pathlib import Path

import pytest

from cme_batch.report.model import ReportModel
from tests.report.factory import make_model


@pytest.fixture(scope="session")
def model() -> ReportModel:
    return make_model(24, seed=11)


@pytest.fixture(scope="session")
def hostile_model() -> ReportModel:
    return make_model(6, seed=3, hostile=True)


@pytest.fixture()
def out_dir(tmp_path: Path) -> Path:
    """An output folder with an inbox beside it, as in a real run (links are ../inbox/...)."""
    (tmp_path / "inbox").mkdir()
    out = tmp_path / "out"
    out.mkdir()
    return out
