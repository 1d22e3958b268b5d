"""A tesseract that hangs costs its pages, never the run: per-page timeout, then give up."""

from __future__ import annotations

import io
from pathlib import Path

from tests.hostile.builders import GOOD_NAMES, build_hostile_inbox, cert_lines, scanned_png
from tests.hostile.conftest import run_cli


def _hanging_tesseract(folder: Path) -> Path:
    """A ``tesseract`` program that passes the version and language checks, then hangs.

    The real engine runs it (``CME_BATCH_TESSERACT``), so the test needs no tesseract and
    exercises the real engine's timeout: the hung process is killed, the page given up.
    """
    folder.mkdir()
    script = folder / "tesseract"
    script.write_text(
        "#!/bin/sh\n"
        'case "$1" in\n'
        "  --version) echo 'tesseract 5.3.0'; exit 0 ;;\n"
        "  --list-langs) printf 'List of available languages (2):\\neng\\nosd\\n'; exit 0 ;;\n"
        "esac\n"
        # exec: the timeout's kill reaches the sleeping process itself, not only a shell.
        "exec sleep 600\n"
    )
    script.chmod(0o755)
    return script


def _scanned_pdf(pages: int) -> bytes:
    from PIL import Image

    image = Image.open(
        io.BytesIO(scanned_png(cert_lines("Jane Q. Doe, MD", "Ethics", "May 1, 2026", "1")))
    )
    out = io.BytesIO()
    image.save(
        out, format="PDF", save_all=True, append_images=[image] * (pages - 1), resolution=150
    )
    return out.getvalue()


def test_hanging_tesseract_times_out_per_page(tmp_path: Path, roster: Path) -> None:
    inbox = tmp_path / "inbox"
    build_hostile_inbox(inbox, tmp_path / "outside", with_ocr=False)
    (inbox / "scan.png").write_bytes(
        scanned_png(cert_lines("Jane Q. Doe, MD", "Medical Ethics", "May 1, 2026", "1.0"))
    )
    (inbox / "scan-5-pages.pdf").write_bytes(_scanned_pdf(5))
    fake = _hanging_tesseract(tmp_path / "bin")
    env = {"CME_BATCH_OCR_ENGINE": "tesseract", "CME_BATCH_TESSERACT": str(fake)}
    run = run_cli(inbox, roster, tmp_path / "out", "--page-timeout", "2", "--jobs", "2",
                  env=env, timeout=120)  # fmt: skip
    assert run.returncode == 5, run.stderr
    rows = run.documents()
    assert rows["scan.png"]["status"] == "failed"
    assert "page 1: ocr timed out after 2 s" in rows["scan.png"]["reason"].lower()
    many = rows["scan-5-pages.pdf"]
    assert many["status"] == "failed"
    assert "pages 1, 2: OCR timed out after 2 s" in many["reason"]
    assert "pages 3-5 not read" in many["reason"]
    assert all(rows[name]["status"] == "ok" for name in GOOD_NAMES)
