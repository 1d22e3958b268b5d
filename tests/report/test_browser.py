"""Loads the HTML report in a real headless Chromium (the Debian package, never a download)."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest

from cme_batch.report.html import write_html
from cme_batch.report.model import ReportModel

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = pytest.mark.browser

sync_api = pytest.importorskip(
    "playwright.sync_api", reason="playwright is not installed (pip install playwright)"
)
Image = pytest.importorskip("PIL.Image", reason="Pillow is not installed")
ImageStat = pytest.importorskip("PIL.ImageStat", reason="Pillow is not installed")

if not CHROMIUM.exists() and shutil.which("chromium") is None:
    pytest.skip("Chromium is not installed (apt-get install chromium)", allow_module_level=True)


def _names(page: object) -> list[str]:
    return page.eval_on_selector_all(  # type: ignore[attr-defined, no-any-return]
        "#physician-table tbody tr:not([hidden]) td:first-child",
        "els => els.map(e => e.textContent)",
    )


@pytest.mark.parametrize("hostile", [False, True], ids=["plain", "hostile"])
def test_report_in_chromium(
    model: ReportModel, hostile_model: ReportModel, out_dir: Path, hostile: bool
) -> None:
    path = write_html(hostile_model if hostile else model, out_dir / "report.html")
    url = path.resolve().as_uri()
    executable = str(CHROMIUM if CHROMIUM.exists() else shutil.which("chromium"))
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=executable, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            console: list[str] = []
            requests: list[str] = []
            dialogs: list[str] = []
            page.on("console", lambda m: console.append(f"{m.type}: {m.text}"))
            page.on("pageerror", lambda e: console.append(f"pageerror: {e}"))
            page.on("request", lambda r: requests.append(r.url))
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            page.goto(url, wait_until="load")

            # The script ran: the controls are visible and the count is filled in.
            assert page.is_visible("#table-controls")
            assert "shown" in page.text_content("#filter-count")

            before = _names(page)
            page.click("#physician-table th[data-key='name'] button")
            after_name = _names(page)
            assert after_name != before
            assert after_name == sorted(after_name, key=str.casefold)
            page.click("#physician-table th[data-key='name'] button")
            assert _names(page) == list(reversed(after_name))
            page.click("#physician-table th[data-key='days'] button")
            days = page.eval_on_selector_all(
                "#physician-table tbody tr td:nth-child(5)", "els => els.map(e => e.textContent)"
            )
            numbers = [int(d) for d in days if d.lstrip("-").isdigit()]
            assert numbers == sorted(numbers)

            # Filtering by status hides the other rows.
            page.select_option("#filter-status", "urgent")
            shown = page.eval_on_selector_all(
                "#physician-table tbody tr:not([hidden]) .status",
                "els => els.map(e => e.textContent)",
            )
            assert shown and set(shown) == {"urgent"}

            png = page.screenshot(full_page=False)
            page.emulate_media(media="print")
            assert page.is_hidden("#table-controls")
        finally:
            browser.close()

    assert not console, console
    assert not dialogs, dialogs
    assert requests == [url], requests
    image = Image.open(io.BytesIO(png)).convert("L")
    stat = ImageStat.Stat(image)
    assert stat.stddev[0] > 10, "screenshot looks blank"
    assert len(image.getcolors(maxcolors=1_000_000) or []) > 20
