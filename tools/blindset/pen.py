"""Small drawing helpers over a reportlab canvas: text, wrapped paragraphs, rules, tables."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from reportlab.lib.pagesizes import letter
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

PageHook = Callable[["Pen", int], None]


@dataclass
class Pen:
    """A canvas plus the page size and a hook run on every finished page.

    Attributes:
        c: the reportlab canvas.
        size: current page size in points.
        hook: called with (pen, page index in the file) before each page is closed (a fax
            header or a browser's print header is drawn by it).
        page: pages finished so far in the file.
    """

    c: Canvas
    size: tuple[float, float] = letter
    hook: PageHook | None = None
    page: int = 0
    _sizes: list[tuple[float, float]] = field(default_factory=list)

    @property
    def w(self) -> float:
        """Page width."""
        return self.size[0]

    @property
    def h(self) -> float:
        """Page height."""
        return self.size[1]

    def start(self, size: tuple[float, float]) -> None:
        """Begin a page of ``size``."""
        self.size = size
        self.c.setPageSize(size)

    def finish(self) -> None:
        """Close the current page (running the hook first)."""
        if self.hook:
            self.hook(self, self.page)
        self.c.showPage()
        self._sizes.append(self.size)
        self.page += 1

    def text(
        self,
        x: float,
        y: float,
        s: str,
        font: str = "Helvetica",
        size: float = 10,
        align: str = "left",
        gray: float = 0.0,
    ) -> None:
        """One line of text at (x, y); ``align`` left, center or right."""
        c = self.c
        c.setFont(font, size)
        c.setFillGray(gray)
        if align == "center":
            c.drawCentredString(x, y, s)
        elif align == "right":
            c.drawRightString(x, y, s)
        else:
            c.drawString(x, y, s)
        c.setFillGray(0)

    def lines_of(self, s: str, width: float, font: str, size: float) -> list[str]:
        """``s`` broken into lines no wider than ``width``."""
        out: list[str] = []
        cur = ""
        for word in s.split():
            cand = f"{cur} {word}".strip()
            if cur and stringWidth(cand, font, size) > width:
                out.append(cur)
                cur = word
            else:
                cur = cand
        if cur:
            out.append(cur)
        return out

    def para(
        self,
        x: float,
        y: float,
        s: str,
        width: float,
        font: str = "Helvetica",
        size: float = 10,
        leading: float | None = None,
        align: str = "left",
        gray: float = 0.0,
    ) -> float:
        """A wrapped paragraph from baseline ``y`` down; returns the next free baseline."""
        lead = leading or size * 1.3
        for line in self.lines_of(s, width, font, size):
            xx = x + width / 2 if align == "center" else x
            self.text(xx, y, line, font, size, align, gray)
            y -= lead
        return y

    def rule(self, x1: float, y: float, x2: float, width: float = 0.6, gray: float = 0) -> None:
        """A horizontal line."""
        self.c.setLineWidth(width)
        self.c.setStrokeGray(gray)
        self.c.line(x1, y, x2, y)
        self.c.setStrokeGray(0)

    def box(
        self,
        x: float,
        y: float,
        w: float,
        h: float,
        width: float = 0.8,
        fill: tuple[float, float, float] | None = None,
        stroke: bool = True,
    ) -> None:
        """A rectangle with its lower-left corner at (x, y)."""
        c = self.c
        c.setLineWidth(width)
        if fill is not None:
            c.setFillColorRGB(*fill)
        c.rect(x, y, w, h, stroke=int(stroke), fill=int(fill is not None))
        c.setFillGray(0)

    def table(
        self,
        x: float,
        y: float,
        cols: Sequence[tuple[str, float, str]],
        rows: Sequence[Sequence[str]],
        size: float = 9,
        row_h: float = 16,
        ruled: bool = True,
        header_fill: tuple[float, float, float] | None = (0.88, 0.9, 0.93),
        font: str = "Helvetica",
        wrap_col: int | None = None,
    ) -> float:
        """A table with a header row; returns the y below it.

        Args:
            cols: (header, width, align) per column; align left, right or center.
            rows: cell strings.
            wrap_col: a column whose text may wrap onto further lines (the row grows).
        """
        total = sum(w for _, w, _ in cols)
        if header_fill is not None:
            self.box(x, y - row_h + 4, total, row_h, 0.4, header_fill, stroke=False)
        self._cells(x, y, cols, [h for h, _, _ in cols], "Helvetica-Bold", size)
        if ruled:
            self.rule(x, y - 5, x + total, 0.6)
        y -= row_h
        for r in rows:
            extra: list[str] = []
            cells = list(r)
            if wrap_col is not None:
                parts = self.lines_of(cells[wrap_col], cols[wrap_col][1] - 6, font, size)
                cells[wrap_col] = parts[0] if parts else ""
                extra = parts[1:]
            self._cells(x, y, cols, cells, font, size)
            for line in extra:
                y -= size * 1.2
                off = sum(w for _, w, _ in cols[: wrap_col or 0])
                self.text(x + off + 3, y, line, font, size)
            if ruled:
                self.rule(x, y - 5, x + total, 0.3, 0.55)
            y -= row_h
        return y

    def _cells(
        self,
        x: float,
        y: float,
        cols: Sequence[tuple[str, float, str]],
        cells: Sequence[str],
        font: str,
        size: float,
    ) -> None:
        xx = x
        for (_, w, align), s in zip(cols, cells, strict=True):
            if align == "right":
                self.text(xx + w - 4, y, s, font, size, "right")
            elif align == "center":
                self.text(xx + w / 2, y, s, font, size, "center")
            else:
                self.text(xx + 3, y, s, font, size)
            xx += w
