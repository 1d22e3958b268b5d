"""The OCR engine interface: TSV parsing, the real engine's timeout and crash handling, and the
recorded-replay engine that lets the fast tier read scans without tesseract."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from PIL import Image

from cme_batch.errors import MissingDependencyError
from cme_batch.extract import engine
from cme_batch.extract.document import ReadOptions, read_document
from cme_batch.extract.engine import (
    MissingRecordingError,
    OcrFailedError,
    OcrTimeoutError,
    RecordingEngine,
    ReplayEngine,
    Settings,
    TesseractEngine,
)
from tests.conftest import RECORDINGS, cert_lines, render, write_certificate_pdf

TSV = (
    "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n"
    "1\t1\t0\t0\t0\t0\t0\t0\t1700\t2200\t-1\t\n"
    "4\t1\t1\t1\t1\t0\t100\t200\t400\t30\t-1\t\n"
    "5\t1\t1\t1\t1\t1\t100\t200\t150\t30\t96.5\tCredits\n"
    "5\t1\t1\t1\t1\t2\t300\t201\t60\t29\t61.25\t1.50\n"
    "5\t1\t1\t1\t1\t3\t380\t201\t10\t29\t95\t \n"
    "5\t1\t2\t1\t1\t1\t900\t200\t90\t30\t90\t|\n"
)


def _page(tmp_path: Path) -> Image.Image:
    pdf = write_certificate_pdf(
        tmp_path / "c.pdf", cert_lines("Jane Q. Doe, MD", "Ethics", "May 1, 2026", "1.5", "ACME")
    )
    image: Image.Image = render(pdf, 150)
    return image


def _program(folder: Path, body: str) -> str:
    """A stand-in ``tesseract`` program that passes the checks, then runs ``body``."""
    folder.mkdir(exist_ok=True)
    script = folder / "tesseract"
    script.write_text(
        "#!/bin/sh\n"
        'case "$1" in\n'
        "  --version) echo 'tesseract 5.3.0'; exit 0 ;;\n"
        "  --list-langs) printf 'List of available languages (1):\\neng\\n'; exit 0 ;;\n"
        "esac\n" + body + "\n"
    )
    script.chmod(0o755)
    return str(script)


def test_tsv_rows_become_words_with_boxes_and_lines() -> None:
    words = engine.parse_tsv(TSV)
    assert [w.text for w in words] == ["Credits", "1.50", "|"]
    credits, amount, bar = words
    assert (amount.left, amount.top, amount.width, amount.height) == (300, 201, 60, 29)
    assert amount.conf == pytest.approx(61.25)
    assert (credits.block, credits.line) == (amount.block, amount.line) == (1, 1)
    assert bar.block == 2


def test_osd_report_gives_turn_and_confidence() -> None:
    report = (
        "Page number: 0\nOrientation in degrees: 270\nRotate: 90\nOrientation confidence: 7.41\n"
    )
    assert engine.parse_osd(report) == (90, pytest.approx(7.41))
    assert engine.parse_osd("") == (0, 0.0)


def test_settings_are_tesseract_arguments() -> None:
    assert Settings().arguments() == ["--psm", "3"]
    digits = Settings(psm=7, whitelist="0123456789.", thresholding=2)
    assert digits.arguments() == [
        "--psm", "7", "-c", "tessedit_char_whitelist=0123456789.", "-c", "thresholding_method=2",
    ]  # fmt: skip


def test_a_hung_tesseract_is_killed_at_the_timeout(tmp_path: Path) -> None:
    pids = tmp_path / "pid"
    real = TesseractEngine(_program(tmp_path / "bin", f'echo $$ > "{pids}"\nexec sleep 600'))
    started = time.monotonic()
    with pytest.raises(OcrTimeoutError):
        real.read(Image.new("L", (50, 50), 255), Settings(), timeout=1.0)
    assert time.monotonic() - started < 10
    pid = int(pids.read_text())
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)


def test_a_crashing_tesseract_costs_the_page_not_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    program = _program(tmp_path / "bin", "echo 'Segmentation fault' >&2\nkill -SEGV $$")
    with pytest.raises(OcrFailedError, match="exit code"):
        TesseractEngine(program).read(Image.new("L", (50, 50), 255), Settings(), timeout=10)
    monkeypatch.setenv(engine.ENGINE_VARIABLE, "tesseract")
    monkeypatch.setenv(engine.PROGRAM_VARIABLE, program)
    scan = tmp_path / "scan.png"
    _page(tmp_path).save(scan)
    document = read_document(scan, "png", ReadOptions())
    assert not document.error
    (page,) = document.pages
    assert page.timed_out and page.text == ""
    assert "tesseract failed" in page.warnings[0] and "rescan" in page.warnings[0]


def test_a_missing_program_is_a_missing_dependency(tmp_path: Path) -> None:
    with pytest.raises(MissingDependencyError, match="apt-get install tesseract-ocr"):
        TesseractEngine(str(tmp_path / "no-such-tesseract")).version()


def test_replay_without_a_recording_refuses_instead_of_inventing(tmp_path: Path) -> None:
    replay = ReplayEngine(tmp_path / "empty")
    with pytest.raises(MissingRecordingError, match="record it with CME_BATCH_OCR_ENGINE=record"):
        replay.read(Image.new("L", (40, 40), 255), Settings(), timeout=5)
    with pytest.raises(MissingDependencyError, match="no OCR recordings"):
        replay.version()


def test_unknown_engine_name_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(engine.ENGINE_VARIABLE, "magic")
    with pytest.raises(MissingDependencyError, match="not an OCR engine"):
        engine.current()


def test_the_key_changes_with_pixels_and_settings() -> None:
    white = Image.new("L", (40, 40), 255)
    dot = white.copy()
    dot.putpixel((3, 3), 0)
    keys = {
        engine.image_key(white, "tsv --psm 3"),
        engine.image_key(dot, "tsv --psm 3"),
        engine.image_key(white, "tsv --psm 11"),
    }
    assert len(keys) == 3


@pytest.mark.tesseract
def test_recorded_replay_gives_what_tesseract_read(tmp_path: Path) -> None:
    image = _page(tmp_path)
    recorder = RecordingEngine(tmp_path / "rec", TesseractEngine())
    version = recorder.version()
    read = recorder.read(image, Settings(psm=3), timeout=60)
    turn = recorder.orientation(image, timeout=60)
    replay = ReplayEngine(tmp_path / "rec")
    assert replay.version() == version
    assert replay.read(image, Settings(psm=3), timeout=60) == read
    assert replay.orientation(image, timeout=60) == turn
    assert any(w.text == "Ethics" for w in read)
    # Another setting is another call: not answered from this recording.
    with pytest.raises(MissingRecordingError):
        replay.read(image, Settings(psm=11), timeout=60)


@pytest.mark.tesseract
def test_the_stored_recordings_match_this_tesseract(tmp_path: Path) -> None:
    # The fast tier is only as good as its recordings: a tesseract upgrade that reads the
    # test pages differently shows here first (then re-record: pytest --ocr-engine record).
    image = _page(tmp_path)
    real = TesseractEngine()
    if os.environ.get(engine.ENGINE_VARIABLE) == "record":
        RecordingEngine(RECORDINGS, real).read(image, Settings(psm=3), timeout=60)
    stored = ReplayEngine(RECORDINGS)
    try:
        recorded = stored.read(image, Settings(psm=3), timeout=60)
    except MissingRecordingError:
        pytest.fail("this test's page is not in the recordings: run pytest --ocr-engine record")
    assert real.read(image, Settings(psm=3), timeout=60) == recorded


@pytest.mark.tesseract
def test_in_process_tesseract_keeps_no_state_between_calls(tmp_path: Path) -> None:
    pytest.importorskip("tesserocr")
    image = _page(tmp_path)
    inproc = engine.TesserocrEngine()
    before = inproc.read(image, Settings(psm=3), timeout=60)
    digits = inproc.read(image, Settings(psm=6, whitelist="0123456789."), timeout=60)
    after = inproc.read(image, Settings(psm=3), timeout=60)
    assert all(set(w.text) <= set("0123456789.") for w in digits)
    # The whitelist of the call before does not leak into the next reading.
    assert after == before
    assert any(w.text == "Ethics" for w in after)


def _same_library_or_skip() -> None:
    """Skip unless tesserocr runs the program's own tesseract (``make setup`` builds it so)."""
    pytest.importorskip("tesserocr")
    if not engine._in_process_reads_as("tesseract"):
        pytest.skip("this tesserocr runs another tesseract than the program")


@pytest.mark.tesseract
def test_in_process_reads_word_for_word_as_the_program(tmp_path: Path) -> None:
    _same_library_or_skip()
    page = _page(tmp_path)
    crop = page.crop((0, page.height // 3, page.width, page.height // 3 + 80))
    inproc, program = engine.TesserocrEngine(), TesseractEngine()
    # Each image mode tesseract is handed, and the page, sparse, line and digits settings.
    images = [page, page.convert("1"), page.convert("RGB")]
    for image in images:
        for settings in (Settings(psm=3), Settings(psm=11)):
            assert inproc.read_tsv(image, settings, 60, "page").strip() == program.read_tsv(
                image, settings, 60, "page"
            ).strip()
    for settings in (Settings(psm=7), Settings(psm=6, whitelist="0123456789.,/-")):
        assert inproc.read(crop, settings, 60) == program.read(crop, settings, 60)
    turned = page.rotate(90, expand=True)
    assert inproc.orientation(turned, 60) == program.orientation(turned, 60)


@pytest.mark.tesseract
def test_in_process_readings_do_not_depend_on_the_page_before(tmp_path: Path) -> None:
    _same_library_or_skip()
    page = _page(tmp_path)
    other = render(
        write_certificate_pdf(
            tmp_path / "o.pdf", cert_lines("Ann Lee, MD", "Opioid Safety", "June 2, 2025", "3", "B")
        ),
        200,
    )
    alone = engine.TesserocrEngine().read(page, Settings(psm=3), timeout=60)
    after_other = engine.TesserocrEngine()
    after_other.read(other, Settings(psm=11), timeout=60)
    after_other.orientation(other, timeout=60)
    assert after_other.read(page, Settings(psm=3), timeout=60) == alone


def test_auto_runs_a_named_program_as_is(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    program = _program(tmp_path / "bin", "exit 0")
    monkeypatch.setenv(engine.ENGINE_VARIABLE, "auto")
    monkeypatch.setenv(engine.PROGRAM_VARIABLE, program)
    chosen = engine.current()
    assert isinstance(chosen, TesseractEngine) and chosen.program == program


def test_auto_reads_in_process_only_with_the_programs_tesseract(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    pytest.importorskip("tesserocr")
    monkeypatch.setattr(engine, "_checked_version", lambda program: "0.0.1")
    assert not engine._in_process_reads_as("tesseract")
    monkeypatch.setattr(engine, "_library_version", lambda module: "0.0.1")
    assert engine._in_process_reads_as("tesseract")


@pytest.mark.tesseract
def test_in_process_tesseract_gives_up_at_the_deadline(tmp_path: Path) -> None:
    pytest.importorskip("tesserocr")
    big = _page(tmp_path).resize((2550, 3300))
    with pytest.raises(OcrTimeoutError):
        engine.TesserocrEngine().read(big, Settings(psm=3), timeout=0.05)


def test_a_recording_is_the_same_bytes_whoever_writes_it(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from cme_batch.extract.engine import _Recordings

    recordings = _Recordings(tmp_path)
    recordings.save("abc", {"output": "text"})
    first = recordings.path("abc").read_bytes()
    recordings.save("abc", {"output": "text"})
    assert recordings.path("abc").read_bytes() == first
    # The gzip header names no file (it would name the writer's temporary file).
    assert b".tmp" not in first
    assert recordings.load("abc") == {"output": "text"}
