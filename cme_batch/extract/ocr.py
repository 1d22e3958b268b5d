"""OCR of a page image into positioned words, through the OCR engine (:mod:`.engine`).

This module knows what tesseract's words mean for a certificate (ruled lines read as "|",
numbers worth a second look); :mod:`cme_batch.extract.engine` is the one that runs tesseract.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

from PIL import Image

from cme_batch.extract import engine, layout
from cme_batch.extract.engine import OcrFailedError, OcrTimeoutError, RawWord, Settings
from cme_batch.extract.model import Word

__all__ = ["OcrFailedError", "OcrTimeoutError", "OcrResult", "ocr_image", "detect_rotation"]

#: Seconds one page's OCR may take before it is abandoned (a hung tesseract never hangs a run).
DEFAULT_PAGE_TIMEOUT = 120.0
_RULE = re.compile(r"[|¦\[\]!l1I]?[|¦\[\]]+[|¦\[\]!l1I]?")
_CATEGORY = re.compile(r"^(?:Category|Cat\.?)$", re.I)


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


def tesseract_version() -> str:
    """Return the OCR engine's tesseract version, checked once per process.

    Raises:
        MissingDependencyError: tesseract is missing, older than 4.1 or has no English data.
    """
    return engine.current().version()


def limit_threads() -> None:
    """Keep each tesseract process to one thread; the batch parallelizes across pages."""
    os.environ["OMP_THREAD_LIMIT"] = "1"


def detect_rotation(img: Image.Image, timeout: float = DEFAULT_PAGE_TIMEOUT) -> tuple[int, float]:
    """Ask tesseract's orientation detector how far a page is turned.

    Returns:
        ``(degrees, confidence)``: degrees to rotate clockwise to make the page upright
        (0, 90, 180 or 270) and tesseract's orientation confidence; ``(0, 0.0)`` when the page
        has too little text to tell.

    Raises:
        OcrTimeoutError: the detector did not finish within ``timeout`` seconds.
    """
    return engine.current().orientation(img, timeout)


def ocr_image(
    img: Image.Image,
    timeout: float = DEFAULT_PAGE_TIMEOUT,
    psm: int = 3,
    kind: str = "page",
    thresholding: int | None = None,
) -> OcrResult:
    """OCR one page image into positioned words and their text view.

    Tesseract's own lines are kept, then lines that sit side by side on the page (table cells,
    two-column layouts split into blocks) are joined left to right with a wide gap, so a
    transcript's row reads as one line, as it does from a PDF text layer.

    Args:
        img: The prepared page image.
        timeout: Seconds the reading may take.
        psm: Tesseract's page segmentation mode.
        kind: ``page`` for a first reading, ``reread`` for another (counted apart).
        thresholding: Tesseract's ``thresholding_method``; ``None`` for its default.

    Raises:
        OcrTimeoutError: tesseract did not finish within ``timeout`` seconds.
        OcrFailedError: tesseract failed on the image.
    """
    settings = Settings(psm=psm, thresholding=thresholding)
    raw = engine.current().read(img, settings, timeout, kind=kind)
    reread = _reread_numbers(img, raw, timeout)
    line_ids: dict[tuple[int, int, int], int] = {}
    words: list[Word] = []
    confs: list[float] = []
    for i, found in enumerate(raw):
        word, conf = reread.get(i, (found.text, found.conf))
        word = word.strip()
        if not word:
            continue
        key = (found.block, found.par, found.line)
        line = line_ids.setdefault(key, len(line_ids))
        left, top = float(found.left), float(found.top)
        width, height = float(found.width), float(found.height)
        # A table's ruled lines come out as "|" or "[" words; they are not text, and between
        # a label and its value ("Credits earned | 1.00") they would hide the cell gap. After
        # "Category" the bar is a misread "1".
        previous = words[-1].text if words and words[-1].line == line else ""
        rule = _RULE.fullmatch(word) is not None and not _CATEGORY.search(previous)
        if not rule:
            # The page's reading confidence is tesseract's own, the re-reads aside: it
            # compares whole readings of the page, which a number's re-read must not sway.
            confs.append(found.conf)
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
#: The glyph height of the third reading of a number its first two readings disagree on.
_TIEBREAK_HEIGHT = 44
_STRIP_GAP = 24
_DIGITS = Settings(psm=6, whitelist="0123456789.,/-")


#: Confidence (0..100) of a number its two readings disagree on: whichever is kept, neither
#: reading can be trusted without a person (:data:`cme_batch.fields.policy.OCR_WORD_DOUBT`).
DISAGREED = 25.0
#: A digits re-read below this confidence is no evidence at all (the first reading stands);
#: one at or above :data:`_CLEAR` settles a first reading below :data:`_WEAK` without doubt.
_EVIDENCE = 30.0
_CLEAR = 80.0
_WEAK = 50.0


def _reread_numbers(
    img: Image.Image, raw: list[RawWord], timeout: float
) -> dict[int, tuple[str, float]]:
    """Read low-confidence numeric words again, enlarged, as one region (two for disputes).

    The words' boxes are cut out, scaled to a comfortable glyph height and stacked into one
    strip, which tesseract reads as a block of digits: a region read, not a page read. A new
    reading is evidence only when it is a clean number read with some confidence; it
    replaces the old when read more confidently. When the two readings agree the word has the
    surer one's confidence. When they differ, a clear re-read overrules a first reading
    tesseract itself doubted; otherwise the words in dispute are read a third time, at
    another size. A third reading that agrees with the first settles it; one that agrees with
    the second settles it only when the second was also read more surely than the first (the
    two digit readings are alike in method, not independent). Otherwise the word keeps at
    most :data:`DISAGREED`.

    Returns:
        Replacement text and confidence by word index.
    """
    picks = [
        i
        for i, word in enumerate(raw)
        if word.conf < REREAD_BELOW and _NUMERIC.match(word.text) and word.height > 4
    ]
    if not picks:
        return {}
    second = _read_strip(img, [raw[i] for i in picks], _CROP_HEIGHT, timeout)
    replaced: dict[int, tuple[str, float]] = {}
    disputed: list[tuple[int, str, float]] = []
    for slot, (text, conf) in second.items():
        index = picks[slot]
        first = raw[index]
        if not _clean(text, conf):
            continue  # no clean reading: no evidence either way, the first stands
        if _digits(text) == _digits(first.text):
            # Two readings of the same digits: as sure as the surer of them.
            replaced[index] = (text if conf > first.conf else first.text, max(first.conf, conf))
        elif conf >= _CLEAR and first.conf < _WEAK:
            # A clear digits reading over a first reading tesseract itself doubted.
            replaced[index] = (text, conf)
        else:
            disputed.append((index, text, conf))
    if disputed:
        words = [raw[index] for index, _, _ in disputed]
        third = _read_strip(img, words, _TIEBREAK_HEIGHT, timeout)
        for slot, (index, text, conf) in enumerate(disputed):
            first = raw[index]
            tie, tie_conf = third.get(slot, ("", 0.0))
            settled = _clean(tie, tie_conf)
            kept = text if conf > first.conf else first.text
            if settled and _digits(tie) == _digits(first.text):
                replaced[index] = (first.text, max(first.conf, tie_conf))
            elif settled and _digits(tie) == _digits(text) and conf > first.conf:
                # The two digit readings are alike in method, so they outvote the first only
                # when they are also the surer reading.
                replaced[index] = (text, max(conf, tie_conf))
            else:
                replaced[index] = (kept, min(max(first.conf, conf), DISAGREED))
    return replaced


def _clean(text: str, conf: float) -> bool:
    """Whether a digits re-read is evidence: a clean number read with some confidence."""
    return re.fullmatch(r"\d+(?:[.,/\-]\d+)*", text) is not None and conf >= _EVIDENCE


def _read_strip(
    img: Image.Image, words: list[RawWord], height: int, timeout: float
) -> dict[int, tuple[str, float]]:
    """Read words' boxes cut from ``img``, scaled to ``height`` and stacked, as digits.

    Returns:
        The text and the least word confidence read in each word's slot, by slot.
    """
    crops: list[Image.Image] = []
    for word in words:
        pad = max(3, word.height // 3)
        box = (
            max(word.left - pad, 0),
            max(word.top - pad, 0),
            word.left + word.width + pad,
            word.top + word.height + pad,
        )
        crop = img.crop(box).convert("L")
        scale = height / max(crop.height, 1)
        crops.append(crop.resize((max(1, round(crop.width * scale)), height)))
    width = max(c.width for c in crops) + 2 * _STRIP_GAP
    strip = Image.new("L", (width, len(crops) * (height + _STRIP_GAP) + _STRIP_GAP), 255)
    for n, crop in enumerate(crops):
        strip.paste(crop, (_STRIP_GAP, _STRIP_GAP + n * (height + _STRIP_GAP)))
    try:
        again = engine.current().read(strip, _DIGITS, timeout, kind="region")
    except (OcrTimeoutError, OcrFailedError):
        return {}
    pieces: dict[int, list[tuple[int, str, float]]] = {}
    for word in again:
        centre = word.top + word.height / 2
        slot = int((centre - _STRIP_GAP / 2) // (height + _STRIP_GAP))
        if 0 <= slot < len(words):
            pieces.setdefault(slot, []).append((word.left, word.text, word.conf))
    read: dict[int, tuple[str, float]] = {}
    for slot, parts in pieces.items():
        parts.sort()
        read[slot] = ("".join(p[1] for p in parts), min(p[2] for p in parts))
    return read


def _digits(text: str) -> str:
    """A number's reading, specks and OCR's letter-for-digit swaps aside."""
    return re.sub(r"[^\d.,/\-]", "", text.translate(_LETTER_DIGITS)).strip(".,")


_LETTER_DIGITS = str.maketrans({"O": "0", "o": "0", "I": "1", "l": "1", "|": "1"})
