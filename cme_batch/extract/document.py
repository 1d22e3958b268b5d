"""Read one inbox file into page texts: the text layer where it is usable, OCR otherwise."""

from __future__ import annotations

import dataclasses
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image

from cme_batch.extract import layout, ocr, pdf, preprocess, raster, recover
from cme_batch.extract.model import DocumentText, PageText

log = logging.getLogger(__name__)

#: Below this mean word confidence an upright-looking OCR result is retried after asking
#: tesseract's orientation detector whether the page is turned.
_RETRY_ORIENTATION_BELOW = 0.88
#: Below this confidence, with the orientation detector unsure, every turn is tried.
_TRY_ALL_TURNS_BELOW = 0.6
#: DPI used for the cheap blank-page check before a full render.
_BLANK_CHECK_DPI = 30


@dataclass(frozen=True)
class ReadOptions:
    """How pages are read.

    Attributes:
        page_timeout: Seconds one page's OCR may take.
        max_pages: Pages read from one file; later ones are reported, not read.
        deskew: Straighten scans before OCR.
        max_timeouts: Pages of one file whose OCR may time out before the file's remaining
            pages are given up: a file where tesseract hangs page after page would otherwise
            hold the batch for pages x timeout.
        document_timeout: Seconds one file may take in all before its worker is stopped
            (a native library stuck in a loop on a hostile file).
        memory_limit_mb: Address-space ceiling of each worker process (0: none), so a file
            that needs more fails on its own instead of drawing the system's OOM killer.
        lexicon: An office's lexicon files as (name, TOML text), which the worker that parses
            the pages puts in force (``cme_batch.fields.lexicon.use``); carried here so that
            every worker, however started, reads with the main process's vocabulary.
    """

    page_timeout: float = ocr.DEFAULT_PAGE_TIMEOUT
    max_pages: int = 2000
    deskew: bool = True
    max_timeouts: int = 2
    document_timeout: float = 1800.0
    memory_limit_mb: int = 3072
    lexicon: tuple[tuple[str, str], ...] = ()


def read_document(path: Path, kind: str, options: ReadOptions | None = None) -> DocumentText:
    """Read a PDF or image file into :class:`DocumentText`; never raises for a bad file.

    Args:
        path: The file.
        kind: The sniffed type (``pdf``, ``png``, ``jpeg``, ``tiff``).
        options: Reading options.

    Returns:
        The pages, or ``error`` set to a reason a person can act on.
    """
    options = options or ReadOptions()
    family = "pdf" if kind == "pdf" else "image"
    try:
        if kind == "pdf":
            return _read_pdf(path, options)
        return _read_images(raster.image_frames(path), options, kind="image")
    except pdf.PdfError as exc:
        if not exc.encrypted:
            recovered = recover.recover_text(path)
            if recovered is not None:
                return recovered
        return DocumentText(kind=family, error=str(exc))
    except raster.RasterError as exc:
        return DocumentText(kind=family, error=str(exc))
    except pdfium.PdfiumError as exc:
        log.warning("%s: pdfium failed on a page: %s", path, exc)
        return DocumentText(
            kind=family, error="damaged PDF (a page cannot be read): download or scan it again"
        )
    except FileNotFoundError:
        return DocumentText(
            kind=family, error="file disappeared while being read: put it back and rerun"
        )
    except MemoryError:
        return DocumentText(
            kind=family, error="file too large to read in memory: split or rescan it and rerun"
        )


def _read_pdf(path: Path, options: ReadOptions) -> DocumentText:
    pages: list[PageText] = []
    warnings: list[str] = []
    timeouts = 0
    with pdf.open_pdf(path) as doc:
        total = len(doc)
        if total == 0:
            return DocumentText(kind="pdf", error="PDF has no pages: download or scan it again")
        if total > options.max_pages:
            warnings.append(
                f"only the first {options.max_pages} of {total} pages were read: split the file"
            )
        for index in range(min(total, options.max_pages)):
            if timeouts >= options.max_timeouts:
                rest = f"page {total}" if index + 1 == total else f"pages {index + 1}-{total}"
                warnings.append(
                    f"{rest} not read: OCR timed out on {timeouts} pages before; "
                    "rescan the file more cleanly or raise --page-timeout"
                )
                break
            page = doc[index]
            try:
                words, plain = pdf.page_words(page)
                text = layout.render(words, layout.TEXT_LAYER) if words else plain
                if pdf.is_usable_text(text):
                    pages.append(
                        PageText(
                            index + 1,
                            text,
                            "text",
                            1.0,
                            words=words,
                            width=page.get_width(),
                            height=page.get_height(),
                        )
                    )
                    continue
                # Cheap checks first: the page's size and embedded images are read from the
                # PDF's dictionaries, and blankness from a thumbnail, before a full render.
                dpi = raster.page_dpi(page)
                raster.check_page_images(page)
                if preprocess.is_blank(raster.render_page(page, _BLANK_CHECK_DPI)):
                    pages.append(PageText(index + 1, "", "blank", 1.0))
                    continue
                image = raster.render_page(page, dpi)
            finally:
                page.close()
            read = _ocr_page(index + 1, image, options)
            timeouts += read.timed_out
            pages.append(read)
    origins = {p.origin for p in pages if p.origin != "blank"}
    if not origins:
        kind = "pdf_blank"
    elif origins == {"text"}:
        kind = "pdf_text"
    elif origins == {"ocr"}:
        kind = "pdf_scanned"
    else:
        kind = "pdf_mixed"
    return DocumentText(kind=kind, pages=tuple(pages), warnings=tuple(warnings))


def _read_images(frames: Iterable[Image.Image], options: ReadOptions, kind: str) -> DocumentText:
    pages: list[PageText] = []
    warnings: list[str] = []
    timeouts = 0
    for index, frame in enumerate(frames):
        if index >= options.max_pages:
            warnings.append(f"only the first {options.max_pages} frames were read: split the file")
            break
        if timeouts >= options.max_timeouts:
            warnings.append(
                f"frames from {index + 1} on not read: OCR timed out on {timeouts} frames; "
                "rescan the file more cleanly or raise --page-timeout"
            )
            break
        if preprocess.is_blank(frame):
            pages.append(PageText(index + 1, "", "blank", 1.0))
            continue
        read = _ocr_page(index + 1, frame, options)
        timeouts += read.timed_out
        pages.append(read)
    if not pages:
        return DocumentText(kind=kind, error="image has no frames: scan it again")
    return DocumentText(kind=kind, pages=tuple(pages), warnings=tuple(warnings))


def _ocr_page(
    number: int,
    image: Image.Image,
    options: ReadOptions,
    psm: int | None = None,
    unruled: bool = False,
) -> PageText:
    """OCR one page, correcting orientation and skew; a timeout becomes a warning, not a crash.

    ``psm`` forces a tesseract page segmentation mode; ``unruled`` removes table rules first.
    """
    try:
        return _ocr_upright(number, image, options, psm, unruled)
    except ocr.OcrTimeoutError:
        log.warning("page %d: OCR timed out after %.0f s", number, options.page_timeout)
        advice = "rescan the page more cleanly or raise --page-timeout"
        return PageText(
            number,
            "",
            "ocr",
            0.0,
            warnings=(f"OCR timed out after {options.page_timeout:g} s: {advice}",),
            timed_out=True,
        )


def _ocr_upright(
    number: int,
    image: Image.Image,
    options: ReadOptions,
    force_psm: int | None = None,
    unruled: bool = False,
) -> PageText:
    prepared = preprocess.despeckle(preprocess.normalize(image))
    straight = preprocess.deskew(prepared)[0] if options.deskew else prepared
    if unruled:
        straight = preprocess.remove_rules(straight)
    uneven = preprocess.light_spread(image) > preprocess.UNEVEN_LIGHT
    # A phone photo (uneven light) is read with sparse-text segmentation: tesseract's page
    # layout analysis drops isolated short words on photos, such as a column of credit
    # amounts. Measured on the evaluation set: photo row F1 0.72 with the default layout
    # analysis, 0.90 sparse; scans are as good either way (0.955 vs 0.945), so they keep it.
    psm = force_psm or (11 if uneven else 3)
    first = initial = ocr.ocr_image(straight, timeout=options.page_timeout, psm=psm)
    if uneven:
        # Read it again with the light flattened and keep the better reading; neither is better
        # everywhere (photo row F1 0.90 sparse alone, 0.935 keeping the better of the two).
        flat = preprocess.normalize(preprocess.flatten_light(image))
        flat_straight = preprocess.deskew(flat)[0] if options.deskew else flat
        second_reading = ocr.ocr_image(flat_straight, timeout=options.page_timeout, psm=psm)
        if second_reading.confidence * second_reading.words > first.confidence * first.words:
            first, prepared, straight = second_reading, flat, flat_straight
    settings = f"psm {psm}" + (", rules removed" if unruled else "")
    if first is not initial:
        settings += ", light flattened"
    page = _Page(number, _points_per_pixel(image), settings)
    backwards = _reads_backwards(first.text)
    if first.confidence >= _RETRY_ORIENTATION_BELOW and first.words >= 15 and not backwards:
        return page.of(first, straight)
    # Low confidence: the page may be turned. Ask the orientation detector, then re-read.
    degrees, osd_conf = ocr.detect_rotation(prepared, timeout=options.page_timeout)
    if backwards:
        # Tesseract read a turned page line by line but in reverse order: try the turns,
        # the detector's guess first, until one reads forwards.
        candidates = list(dict.fromkeys([d for d in (degrees,) if d] + [90, 270, 180]))
    elif degrees and osd_conf >= 1.0:
        candidates = [degrees]
    elif first.confidence < _TRY_ALL_TURNS_BELOW or first.words < 15:
        # The detector is unsure and the reading is poor (speckled scans fool it): try every
        # turn, most likely first, and stop at the first convincing reading.
        candidates = [90, 270, 180]
    else:
        return page.of(first, straight)
    best, best_degrees, best_image = first, 0, straight
    for turn in candidates:
        # OSD reports the clockwise rotation needed; PIL rotates counter-clockwise.
        turned = prepared.rotate(-turn, expand=True, fillcolor=255)
        if options.deskew:
            turned = preprocess.deskew(turned)[0]
        reading = ocr.ocr_image(turned, timeout=options.page_timeout, psm=psm)
        forward_now = backwards and not _reads_backwards(reading.text)
        if forward_now and reading.words >= first.words // 2:
            best, best_degrees, best_image = reading, turn, turned
            break
        if reading.confidence * max(reading.words, 1) > best.confidence * max(best.words, 1):
            best, best_degrees, best_image = reading, turn, turned
        if best.confidence >= _RETRY_ORIENTATION_BELOW and best.words >= 15:
            break
    return page.of(best, best_image, rotation=best_degrees)


#: Resolution assumed for an image file that does not say its own (a typical scan's).
_ASSUMED_DPI = 300.0


def _points_per_pixel(image: Image.Image) -> float:
    """Points per pixel of an image: from its resolution, or :data:`_ASSUMED_DPI`."""
    dpi = image.info.get("dpi")
    try:
        value = float(dpi[0]) if dpi else 0.0
    except (TypeError, ValueError, IndexError):
        value = 0.0
    # Some files carry a nonsense resolution (1 or 72 for a phone photo); a page is read at
    # what its pixels say, so only a plausible scan resolution is believed.
    return 72.0 / (value if 100.0 <= value <= 1200.0 else _ASSUMED_DPI)


@dataclass(frozen=True)
class _Page:
    """What an OCR page result needs besides the reading: its number, scale and settings."""

    number: int
    scale: float
    settings: str

    def of(self, reading: ocr.OcrResult, image: Image.Image, rotation: int = 0) -> PageText:
        """The page as read, with its words turned to points."""
        k = self.scale
        words = tuple(
            dataclasses.replace(
                w, x0=w.x0 * k, top=w.top * k, x1=w.x1 * k, bottom=w.bottom * k, size=w.size * k
            )
            for w in reading.boxes
        )
        settings = self.settings + (f", turned {rotation}" if rotation else "")
        return PageText(
            self.number,
            reading.text,
            "ocr",
            reading.confidence,
            rotation=rotation,
            words=words,
            width=image.width * k,
            height=image.height * k,
            settings=settings,
        )


_FORWARD = re.compile(
    r"\b(?:of|in|to|for|on|by|with)\s+the\b|\bPRA\s+Category\b|\bcertif(?:y|ies)\s+that\b"
    r"|\bto\s+provide\b",
    re.I,
)
_BACKWARD = re.compile(
    r"\bthe\s+(?:of|in|to|for|on|by|with)\b|\bCategory\s+PRA\b|\bthat\s+certif(?:y|ies)\b"
    r"|\bprovide\s+to\b",
    re.I,
)


def _reads_backwards(text: str) -> bool:
    """Whether OCR text reads in reverse word order (an upside-down page read as is).

    "of the", "in the", "to the" are among the commonest pairs in English; reversed, they
    become "the of", "the in", which English almost never has. A certificate's own pairs
    ("PRA Category", "certifies that", "to provide") reversed count the same way.
    """
    backward = len(_BACKWARD.findall(text))
    return backward >= 2 and backward > 2 * len(_FORWARD.findall(text))


def _render_again(path: Path, kind: str, number: int) -> Image.Image | None:
    """Page ``number`` of a file as an image again, or ``None`` when it cannot be rendered."""
    try:
        if kind == "pdf":
            with pdf.open_pdf(path) as doc:
                if not 1 <= number <= len(doc):
                    return None
                page = doc[number - 1]
                try:
                    return raster.render_page(page, raster.page_dpi(page))
                finally:
                    page.close()
        return next(
            (f for i, f in enumerate(raster.image_frames(path), start=1) if i == number), None
        )
    except (pdf.PdfError, raster.RasterError, pdfium.PdfiumError, OSError):
        return None


def reread_page(
    path: Path, kind: str, number: int, options: ReadOptions, psm: int, unruled: bool = False
) -> PageText | None:
    """Read one page again with another tesseract page segmentation mode.

    The default page-layout analysis sometimes drops a whole column of short words on a scan
    (a transcript's credits) or a whole table. Reading the page as one column of text lines
    (``--psm 4``) keeps a table's rows whole; sparse reading (``--psm 11``) keeps isolated
    words. With ``unruled`` a table's ruled lines are removed first (see
    :func:`preprocess.remove_rules`). The caller decides whether the page needs it and which
    reading to keep.

    Returns:
        The new reading, or ``None`` when the page cannot be rendered again.
    """
    image = _render_again(path, kind, number)
    return None if image is None else _ocr_page(number, image, options, psm, unruled)


def reread_turned(path: Path, kind: str, number: int, options: ReadOptions) -> PageText | None:
    """Read one page again turned the way the orientation detector says, or upside down.

    For a page that gave nothing usable although it was read with good confidence: tesseract
    reads an upside-down page's lines with their words in reverse order, which parses as
    nothing, and the first reading had no reason to doubt it.

    Returns:
        The new reading, or ``None`` when the page cannot be rendered again or OCR timed out.
    """
    image = _render_again(path, kind, number)
    if image is None:
        return None
    prepared = preprocess.normalize(image)
    try:
        degrees, _conf = ocr.detect_rotation(prepared, timeout=options.page_timeout)
    except ocr.OcrTimeoutError:
        return None
    turn = degrees or 180
    # OSD reports the clockwise rotation needed; PIL rotates counter-clockwise.
    turned = prepared.rotate(-turn, expand=True, fillcolor=255)
    reading = _ocr_page(number, turned, options, psm=3)
    if reading.timed_out:
        return None
    return dataclasses.replace(reading, rotation=(reading.rotation + turn) % 360)
