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


#: Words of each header and whole numbers (credits, days, percent) that the browser laid out
#: on more than one line, as "text | word".
_SPLIT = """
() => {
  const split = [];
  const lines = (node, start, end) => {
    const range = document.createRange();
    range.setStart(node, start);
    range.setEnd(node, end);
    const rects = Array.from(range.getClientRects()).filter(r => r.width > 0);
    return new Set(rects.map(r => Math.round(r.top))).size;
  };
  const visible = el => el.offsetParent !== null && el.getClientRects().length > 0;
  for (const el of document.querySelectorAll("th")) {
    if (!visible(el)) continue;
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const m of node.textContent.matchAll(/\\S+/g)) {
        if (lines(node, m.index, m.index + m[0].length) > 1) split.push(el.textContent + " | " + m[0]);
      }
    }
  }
  for (const el of document.querySelectorAll("td.num")) {
    if (!visible(el)) continue;
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent.trim();
      if (text && lines(node, 0, node.textContent.length) > 1) split.push(text);
    }
  }
  return split;
}
"""

#: The physician table's status header and cells: visible, and inside the window's width.
_STATUS_ON_SCREEN = """
() => {
  const th = document.querySelector("#physician-table th[data-key='rank']");
  const cells = Array.from(document.querySelectorAll(
    "#physician-table tbody tr:not([hidden]) td:nth-child(6) .status"));
  const inside = el => {
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && r.left >= 0 && r.right <= window.innerWidth;
  };
  return {header: inside(th), cells: cells.length, inside: cells.filter(inside).length,
          pageScrollsSideways: document.documentElement.scrollWidth > window.innerWidth};
}
"""


@pytest.mark.parametrize("width", [390, 1400])
def test_report_reads_at_phone_and_desktop_width(
    model: ReportModel, out_dir: Path, width: int
) -> None:
    path = write_html(model, out_dir / "report.html")
    executable = str(CHROMIUM if CHROMIUM.exists() else shutil.which("chromium"))
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=executable, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": width, "height": 900})
            page.goto(path.resolve().as_uri(), wait_until="load")
            split = page.evaluate(_SPLIT)
            status = page.evaluate(_STATUS_ON_SCREEN)
            numbers = page.eval_on_selector_all("td.num", "els => els.length")
        finally:
            browser.close()
    assert numbers > 0
    assert split == [], split
    assert status["header"], status
    assert status["cells"] == len(model.physicians) and status["inside"] == status["cells"]
    assert not status["pageScrollsSideways"], status
