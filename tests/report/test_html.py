from __future__ import annotations

import base64
import hashlib
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from cme_batch.report.html import (
    render_html,
    render_physician_packet,
    template_root,
    write_html,
    write_physician_packet,
)
from cme_batch.report.model import ReportModel
from tests.report.factory import HOSTILE


class Collector(HTMLParser):
    """Collects tags, attributes and script bodies of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []
        self.styles: list[str] = []
        self._in: str | None = None
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag in ("script", "style"):
            self._in = tag
            (self.scripts if tag == "script" else self.styles).append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == self._in:
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._in == "script":
            self.scripts[-1] += data
        elif self._in == "style":
            self.styles[-1] += data
        else:
            self.text.append(data)


def parse(html: str) -> Collector:
    parser = Collector()
    parser.feed(html)
    parser.close()
    return parser


def assert_self_contained_and_inert(page: Collector) -> None:
    for tag, attrs in page.tags:
        assert tag not in {"img", "iframe", "link", "object", "embed", "base", "form"}, tag
        for name, value in attrs.items():
            assert not name.startswith("on"), (tag, name)
            if name in {"src", "href", "xlink:href", "action", "srcset"}:
                assert tag == "a" and name == "href", (tag, name)
                parts = urlsplit(value or "")
                assert parts.scheme == "" and parts.netloc == "", value
    scripts = [attrs for tag, attrs in page.tags if tag == "script"]
    assert all("src" not in s for s in scripts)


def csp_of(page: Collector) -> str:
    for tag, attrs in page.tags:
        if tag == "meta" and attrs.get("http-equiv") == "Content-Security-Policy":
            return attrs["content"] or ""
    raise AssertionError("no CSP")


def sha(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def test_templates_are_found() -> None:
    root = template_root()
    for name in ("report.html.j2", "packet.html.j2", "_physician.html.j2", "report.css"):
        assert root.joinpath(name).is_file(), name


def test_report_sections_and_content(model: ReportModel, out_dir: Path) -> None:
    path = write_html(model, out_dir / "report.html")
    html = path.read_text(encoding="utf-8")
    page = parse(html)
    ids = {attrs.get("id") for _, attrs in page.tags}
    assert {"dashboard", "physicians", "review", "failed", "packets", "run"} <= ids
    assert {"physician-table", "physician-data", "table-controls"} <= ids
    for pid in model.physicians["physician_id"]:
        assert f">{pid}<" in html
    # One audit packet per physician, each with a requirements table.
    packets = [a for t, a in page.tags if t == "section" and "packet" in (a.get("class") or "")]
    assert len(packets) == len(model.physicians)
    # Counted activities link to their file and page.
    hrefs = [a["href"] for t, a in page.tags if t == "a" and not a["href"].startswith("#")]
    assert any(re.fullmatch(r"\.\./inbox/scans/.+\.pdf#page=\d+", h) for h in hrefs)
    # Internal anchors all resolve.
    for _, attrs in page.tags:
        href = attrs.get("href") or ""
        if href.startswith("#"):
            assert href[1:] in ids, href
    # Dashboard: one chart bar per requirement, widths in range.
    bars = [a for t, a in page.tags if t == "rect" and a.get("class") == "bar"]
    assert len(bars) == model.compliance["requirement"].nunique()
    assert all(0 <= int(a["width"] or "-1") <= 360 for a in bars)
    # Failed documents listed; review queue lists every record needing review.
    assert "blurry_phone_photo.jpg" in html
    review = model.activities[model.activities["needs_review"]]
    assert f"Review queue ({len(review)})" in html
    data = json.loads(page.scripts[0])
    assert len(data) == len(model.physicians)
    assert_self_contained_and_inert(page)


def test_csp_pins_the_inline_script_and_style(model: ReportModel) -> None:
    page = parse(render_html(model))
    csp = csp_of(page)
    assert "default-src 'none'" in csp
    assert len(page.scripts) == 2 and len(page.styles) == 1
    assert sha(page.scripts[1]) in csp
    assert sha(page.styles[0]) in csp
    assert "unsafe-inline" not in csp


def test_print_stylesheet_present(model: ReportModel) -> None:
    page = parse(render_html(model))
    assert "@media print" in page.styles[0]
    assert "break-before: page" in page.styles[0]


def test_hostile_text_is_escaped(hostile_model: ReportModel) -> None:
    html = render_html(hostile_model)
    page = parse(html)
    assert_self_contained_and_inert(page)
    # Only our two script elements; no injected tag of any kind.
    assert [t for t, _ in page.tags].count("script") == 2
    assert "<script>alert" not in html and "<img" not in html
    assert "&lt;script&gt;alert(&#39;xss&#39;)&lt;/script&gt;" in html
    # The hostile text reads back as text.
    text = "".join(page.text)
    assert HOSTILE["script"] in text and HOSTILE["img"] in text and HOSTILE["formula"] in text
    # JSON island: cannot close the script, and parses back to the hostile name.
    assert "</script" not in page.scripts[0].lower()
    names = [row["name"] for row in json.loads(page.scripts[0])]
    assert any(HOSTILE["script"].casefold() in n for n in names)
    # Control and bidi-override characters are gone; very long text does not break the page.
    assert "\u202e" not in html and "\x00" not in html and "\x1b" not in html
    assert "Invoicegpj.exe" in html
    assert html.rstrip().endswith("</html>")
    # Absurdly long text is cut for display (the workbook keeps up to Excel's limit).
    assert "A" * 1500 in html and "A" * 2001 not in html


def test_hostile_file_names_make_relative_links(hostile_model: ReportModel) -> None:
    page = parse(render_html(hostile_model))
    hrefs = [a["href"] or "" for t, a in page.tags if t == "a"]
    assert any("javascript%3Aalert" in h for h in hrefs)
    assert not any(h.lower().startswith("javascript:") for h in hrefs)


def test_packet_is_about_one_physician_only(model: ReportModel, out_dir: Path) -> None:
    view_ids = list(model.physicians["physician_id"])
    pid = view_ids[3]
    path = write_physician_packet(model, pid, out_dir / f"{pid}.html")
    html = path.read_text(encoding="utf-8")
    page = parse(html)
    assert_self_contained_and_inert(page)
    assert not page.scripts
    assert "script-src 'none'" in csp_of(page)
    me = model.physicians.set_index("physician_id").loc[pid]
    assert me["physician_name"] in html
    others = model.physicians[model.physicians["physician_id"] != pid]
    for _, other in others.iterrows():
        assert other["physician_id"] not in html
        assert other["physician_name"] not in html
    other_files = set(model.activities.loc[model.activities["physician_id"] != pid, "source_file"])
    own_files = set(model.activities.loc[model.activities["physician_id"] == pid, "source_file"])
    for name in other_files - own_files:
        assert name.split("/")[-1] not in html
    counted = model.compliance.loc[model.compliance["physician_id"] == pid, "counted"]
    for rid in {r for c in counted for r in c.split(";") if r and not r.startswith("ledger:")}:
        source = rid.split("#")[0]
        assert source.split("/")[-1].replace(" ", "%20") in html


def test_packet_rejects_unknown_physician(model: ReportModel) -> None:
    with pytest.raises(KeyError):
        render_physician_packet(model, "nobody")


def test_hostile_packet_is_escaped(hostile_model: ReportModel) -> None:
    html = render_physician_packet(hostile_model, "P0001")
    page = parse(html)
    assert_self_contained_and_inert(page)
    assert [t for t, _ in page.tags].count("script") == 0
    assert HOSTILE["script"] in "".join(page.text)
