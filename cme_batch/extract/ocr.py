"""The only module that runs tesseract: availability, orientation, and OCR with a timeout."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import pytesseract
from PIL import Image

from cme_batch.errors import MissingDependencyError
from cme_batch.extract import layout
from cme_batch.extract.model import Word

#: Seconds one page's OCR may take before it is abandoned (a hung tesseract never hangs a run).
DEFAULT_PAGE_TIMEOUT = 120.0
_MIN_VERSION = (4, 1)
_RULE = re.compile(r"[|¦\[\]!l1I]?[|¦\[\]]+[|¦\[\]!l1I]?")
_CATEGORY = re.compile(r"^(?:Category|Cat\.?)$", re.I)


class OcrTimeoutError(Exception):
    """Tesseract did not finish a page within the timeout."""


@dataclass(frozen=True)
class OcrResult:
    """One page image read: its words, their text view, and the mean word confidence.

    Attributes:
        text: The flat text view of ``boxes`` (see :mod:`cme_batch.extract.layout`).
        confidence: Tesseract's mean word confidence, 0..1.
        boxes: The positioned words, in pixels of the image read.
    """

    text: str
    confidence: float
    boxes: tuple[Word, ...] = ()

    @property
    def words(self) -> int:
        """How many words carry text (ruled-line marks left out)."""
        return sum(1 for w in self.boxes if w.text)


@lru_cache(maxsize=1)
def tesseract_version() -> str:
    """Return the installed tesseract version, asked once per process.

    Raises:
        MissingDependencyError: tesseract is missing or older than 4.1.
    """
    if shutil.which(pytesseract.pytesseract.tesseract_cmd) is None:
        raise MissingDependencyError(
            "tesseract is not installed: install it with 'apt-get install tesseract-ocr' "
            "(or run 'make demo', which does)"
        )
    try:
        version = pytesseract.get_tesseract_version()
    except (pytesseract.TesseractNotFoundError, OSError, subprocess.SubprocessError) as exc:
        raise MissingDependencyError(
            f"tesseract cannot be run ({exc}): reinstall tesseract-ocr"
        ) from exc
    parts = tuple(int(p) for p in re.findall(r"\d+", str(version))[:2])
    if parts < _MIN_VERSION:
        raise MissingDependencyError(
            f"tesseract {version} is too old: install tesseract 5 (tesseract-ocr)"
        )
    langs = pytesseract.get_languages(config="")
    if "eng" not in langs:
        raise MissingDependencyError("tesseract has no English data: install tesseract-ocr-eng")
    return str(version)


def limit_threads() -> None:
    """Keep each tesseract process to one thread; the batch parallelizes across pages."""
    os.environ["OMP_THREAD_LIMIT"] = "1"


@contextlib.contextmanager
def _image_file(img: Image.Image) -> Iterator[str]:
    """The image saved as an uncompressed PNM file for tesseract to read.

    Given an image, pytesseract saves it as PNG, and zlib-compressing a 300 dpi page costs
    about a tenth of tesseract's own time on it; a PNM file is written as is.
    """
    if img.mode not in ("1", "L", "RGB"):
        img = img.convert("RGB")
    with tempfile.TemporaryDirectory(prefix="cme-ocr-") as folder:
        path = os.path.join(folder, "page.pnm")
        img.save(path, format="PPM")
        yield path


def _words(img: Image.Image, config: str, timeout: float) -> dict[str, list[Any]]:
    """Tesseract's words with their boxes and confidences (``image_to_data``) for an image.

    Raises:
        RuntimeError: pytesseract's timeout.
    """
    with _image_file(img) as path:
        data: dict[str, list[Any]] = pytesseract.image_to_data(
            path, config=config, output_type=pytesseract.Output.DICT, timeout=timeout
        )
    return data


def detect_rotation(img: Image.Image, timeout: float = DEFAULT_PAGE_TIMEOUT) -> tuple[int, float]:
    """Ask tesseract's orientation detector how far a page is turned.

    Returns:
        ``(degrees, confidence)``: degrees to rotate counter-clockwise to make the page upright
        (0, 90, 180 or 270) and tesseract's orientation confidence; ``(0, 0.0)`` when the page
        has too little text to tell.
    """
    try:
        with _image_file(img) as path:
            osd = pytesseract.image_to_osd(
                path, config="--psm 0 -c min_characters_to_try=10", timeout=timeout
            )
    except pytesseract.TesseractError:
        return 0, 0.0
    except RuntimeError as exc:
        raise OcrTimeoutError(str(exc)) from exc
    rotate = re.search(r"Rotate:\s*(\d+)", osd)
    conf = re.search(r"Orientation confidence:\s*([\d.]+)", osd)
    return (int(rotate.group(1)) if rotate else 0), (float(conf.group(1)) if conf else 0.0)


def ocr_image(img: Image.Image, timeout: float = DEFAULT_PAGE_TIMEOUT, psm: int = 3) -> OcrResult:
    """OCR one page image into lines of text.

    Tesseract's own lines are kept, then lines that sit side by side on the page (table cells,
    two-column layouts split into blocks) are joined left to right with a wide gap, so a
    transcript's row reads as one line, as it does from a PDF text layer.

    Raises:
        OcrTimeoutError: tesseract did not finish within ``timeout`` seconds.
    """
    try:
        data = _words(img, f"--psm {psm}", timeout)
    except RuntimeError as exc:
        raise OcrTimeoutError(str(exc)) from exc
    reread = _reread_numbers(img, data, timeout)
    line_ids: dict[tuple[int, int, int], int] = {}
    words: list[Word] = []
    confs: list[float] = []
    for i, word in enumerate(data["text"]):
        word = reread.get(i, word).strip()
        conf = float(data["conf"][i])
        if not word or conf < 0:
            continue
        key = (data["block_num"][i], data["par_num"][i], data["line_num"][i])
        line = line_ids.setdefault(key, len(line_ids))
        left, top = float(data["left"][i]), float(data["top"][i])
        width, height = float(data["width"][i]), float(data["height"][i])
        # A table's ruled lines come out as "|" or "[" words; they are not text, and between
        # a label and its value ("Credits earned | 1.00") they would hide the cell gap. After
        # "Category" the bar is a misread "1".
        previous = words[-1].text if words and words[-1].line == line else ""
        rule = _RULE.fullmatch(word) is not None and not _CATEGORY.search(previous)
        if not rule:
            confs.append(conf)
        words.append(
            Word(
                # Kept as an empty word: no text, but a cell boundary where it stood.
                text="" if rule else word,
                x0=left,
                top=top,
                x1=left + width,
                bottom=top + height,
                size=height,
                conf=round(conf / 100.0, 3),
                line=line,
            )
        )
    text = layout.render(words, layout.OCR)
    mean = sum(confs) / len(confs) / 100.0 if confs else 0.0
    return OcrResult(text=text, confidence=round(mean, 3), boxes=tuple(words))


#: Numbers are what a certificate is judged by (credits, dates), and the glyphs OCR most
#: often gets wrong on a poor scan ("1.42" read as "42", "1.75" as "4.75"). Numeric words read
#: with less than this confidence are read again, enlarged, as digits only.
REREAD_BELOW = 93.0
_NUMERIC = re.compile(r"^[\dOoIl|.,/\-]*\d[\dOoIl|.,/\-]*$")
_CROP_HEIGHT = 64
_STRIP_GAP = 24


def _reread_numbers(img: Image.Image, data: dict[str, list[Any]], timeout: float) -> dict[int, str]:
    """Read low-confidence numeric words again, enlarged, in one tesseract call.

    The words' boxes are cut out, scaled to a comfortable glyph height and stacked into one
    strip, which tesseract reads as a block of digits. A new reading replaces the old only
    when it is a clean number; otherwise the original stays.

    Returns:
        Replacement text by word index.
    """
    picks: list[int] = []
    for i, word in enumerate(data["text"]):
        conf = float(data["conf"][i])
        if 0 <= conf < REREAD_BELOW and _NUMERIC.match(word.strip()) and data["height"][i] > 4:
            picks.append(i)
    if not picks:
        return {}
    crops: list[Image.Image] = []
    for i in picks:
        left, top, width, height = (data[k][i] for k in ("left", "top", "width", "height"))
        pad = max(3, height // 3)
        box = (max(left - pad, 0), max(top - pad, 0), left + width + pad, top + height + pad)
        crop = img.crop(box).convert("L")
        scale = _CROP_HEIGHT / max(crop.height, 1)
        crops.append(crop.resize((max(1, round(crop.width * scale)), _CROP_HEIGHT)))
    width = max(c.width for c in crops) + 2 * _STRIP_GAP
    strip = Image.new("L", (width, len(crops) * (_CROP_HEIGHT + _STRIP_GAP) + _STRIP_GAP), 255)
    for n, crop in enumerate(crops):
        strip.paste(crop, (_STRIP_GAP, _STRIP_GAP + n * (_CROP_HEIGHT + _STRIP_GAP)))
    try:
        again = _words(strip, "--psm 6 -c tessedit_char_whitelist=0123456789.,/-", timeout)
    except (RuntimeError, pytesseract.TesseractError):
        return {}
    pieces: dict[int, list[tuple[int, str, float]]] = {}
    for j, word in enumerate(again["text"]):
        word = word.strip()
        if not word or float(again["conf"][j]) < 0:
            continue
        centre = again["top"][j] + again["height"][j] / 2
        slot = int((centre - _STRIP_GAP / 2) // (_CROP_HEIGHT + _STRIP_GAP))
        if 0 <= slot < len(picks):
            pieces.setdefault(slot, []).append((again["left"][j], word, float(again["conf"][j])))
    replaced: dict[int, str] = {}
    for slot, parts in pieces.items():
        parts.sort()
        text = "".join(p[1] for p in parts)
        conf = min(p[2] for p in parts)
        index = picks[slot]
        if re.fullmatch(r"\d+(?:[.,/\-]\d+)*", text) and conf > float(data["conf"][index]):
            replaced[index] = text
    return replaced
