"""Drawing helpers shared by the layouts (reportlab canvas, standard fonts only)."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field

from reportlab.lib.colors import Color
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen.canvas import Canvas

from .model import Activity

#: The standard-14 families, as (regular, bold, italic, bold-italic).
FAMILIES: dict[str, tuple[str, str, str, str]] = {
    "helv": ("Helvetica", "Helvetica-Bold", "Helvetica-Oblique", "Helvetica-BoldOblique"),
    "times": ("Times-Roman", "Times-Bold", "Times-Italic", "Times-BoldItalic"),
    "courier": ("Courier", "Courier-Bold", "Courier-Oblique", "Courier-BoldOblique"),
}

#: Accent colors; dark enough that a grayscale scan keeps the text readable.
ACCENTS = (
    Color(0.05, 0.20, 0.45),
    Color(0.45, 0.08, 0.10),
    Color(0.08, 0.32, 0.22),
    Color(0.25, 0.25, 0.28),
    Color(0.30, 0.12, 0.40),
    Color(0.0, 0.0, 0.0),
)


@dataclass
class Drawn:
    """What a layout drew: the name as printed and where each truth activity sits.

    ``rows`` holds (page offset within this certificate, activity, credit_type as printed).
    """

    name: str = ""
    rows: list[tuple[int, Activity, str]] = field(default_factory=list)
    pages: int = 1


class Pen:
    """A thin stateful wrapper over a canvas: font family, accent color, wrapped text."""

    def __init__(self, c: Canvas, rng: random.Random, family: str | None = None) -> None:
        self.c = c
        self.rng = rng
        self.fam = FAMILIES[family or rng.choice(["helv", "helv", "times"])]
        self.accent = rng.choice(ACCENTS)
        self.w, self.h = c._pagesize  # noqa: SLF001 - reportlab has no public getter

    def font(self, style: int, size: float) -> None:
        """Select regular (0), bold (1), italic (2) or bold-italic (3) of the family."""
        self.c.setFont(self.fam[style], size)

    def text(
        self,
        x: float,
        y: float,
        s: str,
        style: int = 0,
        size: float = 11,
        align: str = "left",
        color: Color | None = None,
    ) -> None:
        """One line of text aligned left, center or right at ``x``."""
        self.font(style, size)
        self.c.setFillColor(color or Color(0, 0, 0))
        if align == "center":
            self.c.drawCentredString(x, y, s)
        elif align == "right":
            self.c.drawRightString(x, y, s)
        else:
            self.c.drawString(x, y, s)
        self.c.setFillColor(Color(0, 0, 0))

    def para(
        self,
        x: float,
        y: float,
        s: str,
        width: float,
        style: int = 0,
        size: float = 11,
        leading: float | None = None,
        align: str = "left",
    ) -> float:
        """Wrapped paragraph; returns the y below its last line."""
        lead = leading or size * 1.35
        for line in simpleSplit(s, self.fam[style], size, width):
            if align == "center":
                self.text(x + width / 2, y, line, style, size, "center")
            else:
                self.text(x, y, line, style, size)
            y -= lead
        return y

    def rule(
        self, x1: float, y: float, x2: float, width: float = 0.8, color: Color | None = None
    ) -> None:
        """A horizontal line."""
        self.c.setStrokeColor(color or self.accent)
        self.c.setLineWidth(width)
        self.c.line(x1, y, x2, y)

    def signature(self, x: float, y: float, signer: tuple[str, str], width: float = 170) -> None:
        """A scribbled signature over a line, with the signer's name and role below."""
        c = self.c
        c.setStrokeColor(Color(0.1, 0.1, 0.35))
        c.setLineWidth(1.1)
        p = c.beginPath()
        p.moveTo(x + 5, y + 8)
        px = x + 5
        for _ in range(5):
            nx = px + self.rng.uniform(18, 30)
            p.curveTo(
                px + 5,
                y + self.rng.uniform(18, 28),
                nx - 5,
                y + self.rng.uniform(-4, 6),
                nx,
                y + self.rng.uniform(4, 14),
            )
            px = nx
        c.drawPath(p, stroke=1, fill=0)
        self.rule(x, y + 2, x + width, 0.6, Color(0, 0, 0))
        self.text(x, y - 10, signer[0], 0, 9)
        self.text(x, y - 21, signer[1], 2, 8.5)

    def border(self, inset: float = 24, double: bool = True) -> None:
        """A page border, optionally double-ruled."""
        c = self.c
        c.setStrokeColor(self.accent)
        c.setLineWidth(3)
        c.rect(inset, inset, self.w - 2 * inset, self.h - 2 * inset)
        if double:
            c.setLineWidth(0.8)
            c.rect(inset + 7, inset + 7, self.w - 2 * inset - 14, self.h - 2 * inset - 14)

    def seal(self, x: float, y: float, r: float, label: str) -> None:
        """A round seal with a label, like an embossed or printed provider seal."""
        c = self.c
        c.setStrokeColor(self.accent)
        c.setLineWidth(2)
        c.circle(x, y, r)
        c.setLineWidth(0.7)
        c.circle(x, y, r - 5)
        # Rays keep the seal looking like a seal; light enough not to swallow nearby text.
        for i in range(24):
            a = 2 * math.pi * i / 24
            c.line(
                x + (r - 5) * math.cos(a),
                y + (r - 5) * math.sin(a),
                x + (r - 10) * math.cos(a),
                y + (r - 10) * math.sin(a),
            )
        self.text(x, y - 3, label, 1, 7.5, "center", self.accent)

    def logo(self, x: float, y: float, initials: str, size: float = 30) -> None:
        """A simple square logo mark with initials."""
        c = self.c
        c.setFillColor(self.accent)
        c.roundRect(x, y, size, size, 4, stroke=0, fill=1)
        c.setFillColor(Color(1, 1, 1))
        c.setFont(self.fam[1], size * 0.42)
        c.drawCentredString(x + size / 2, y + size * 0.33, initials[:3])
        c.setFillColor(Color(0, 0, 0))


def initials(name: str) -> str:
    """Initials of the capitalised words of a provider name ("Harborview Medical ..." -> "HM")."""
    skip = {"of", "the", "and", "for", "The", "&"}
    return "".join(w[0] for w in name.replace(",", "").split() if w not in skip and w[0].isalpha())
