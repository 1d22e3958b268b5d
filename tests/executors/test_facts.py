"""The software check made on every Dask worker before work starts."""

from __future__ import annotations

from cme_batch.executors import facts
from tests.conftest import requires_tesseract_program as requires_tesseract


@requires_tesseract
def test_this_machine_reports_what_a_result_depends_on() -> None:
    here = facts.software_facts()
    assert here["tesseract"][0].isdigit() and here["leptonica"][0].isdigit()
    assert len(here["eng.traineddata"]) == 16 and len(here["osd.traineddata"]) == 16
    assert here["cme-batch"] != "not installed" and here["pandas"] != "not installed"
    assert "tesseract SIMD" in here
    assert facts.digest(here) == facts.digest(dict(here))


def test_differences_name_each_fact_both_ways() -> None:
    here = {"tesseract": "5.3.0", "pandas": "2.2.0", "eng.traineddata": "abc"}
    there = {"tesseract": "5.3.4", "pandas": "2.2.0"}
    assert facts.differences(here, there) == [
        "eng.traineddata abc here, missing there",
        "tesseract 5.3.0 here, 5.3.4 there",
    ]
    assert facts.differences(here, dict(here)) == []
    message = facts.mismatch_message("tls://10.1.2.3:40001", facts.differences(here, there))
    assert "tls://10.1.2.3:40001" in message and "tesseract 5.3.0 here, 5.3.4 there" in message
    assert "--executor local" in message
