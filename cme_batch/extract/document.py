"""Read one inbox file into page texts: the text layer where it is usable, OCR otherwise."""

from __future__ import annotations

import dataclasses
import logging
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import pypdfium2 as pdfium
from PIL import Image

from cme_batch.extract import layout, ocr, pdf, preprocess, raster, recover, stages
from cme_batch.extract.model import DocumentText, PageText

log = logging.getLogger(__name__)

#: Below this mean word confidence an upright-looking OCR result is retried after asking
#: tesseract's orientation detector whether the page is turned.
_RETRY_ORIENTATION_BELOW = 0.88
#: Below this confidence, with the orientation detector unsure, every turn is tried.
_TRY_ALL_TURNS_BELOW = 0.6


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


def read_document(
    path: Path, kind: str, options: ReadOptions | None = None, review: Review | None = None
) -> DocumentText:
    """Read a PDF or image file into :class:`DocumentText`; never raises for a bad file.

    Args:
        path: The file.
        kind: The sniffed type (``pdf``, ``png``, ``jpeg``, ``tiff``).
        options: Reading options.
        review: Asked about each OCR'd page right after its first reading, while the
            prepared image is in memory; it may have the page read again (see
            :class:`Rereader`) and returns the reading to keep.

    Returns:
        The pages, or ``error`` set to a reason a person can act on.
    """
    options = options or ReadOptions()
    family = "pdf" if kind == "pdf" else "image"
    try:
        if kind == "pdf":
            return _read_pdf(path, options, review)
        return _read_images(_timed_frames(path), options, "image", review)
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


def _timed_frames(path: Path) -> Iterator[Image.Image]:
    """The image file's frames, their decoding counted as rasterising."""
    frames = raster.image_frames(path)
    while True:
        with stages.timed("rasterise"):
            frame = next(frames, None)
        if frame is None:
            return
        yield frame


def _read_pdf(path: Path, options: ReadOptions, review: Review | None) -> DocumentText:
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
                # PDF's dictionaries before anything is rendered. The page is rendered once;
                # blankness is judged from that image's thumbnail.
                dpi = raster.page_dpi(page)
                raster.check_page_images(page)
                with stages.timed("rasterise"):
                    image = raster.render_page(page, dpi)
            finally:
                page.close()
            if preprocess.is_blank(image):
                pages.append(PageText(index + 1, "", "blank", 1.0))
                continue
            read = _ocr_page(index + 1, image, options, review)
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


def _read_images(
    frames: Iterable[Image.Image], options: ReadOptions, kind: str, review: Review | None
) -> DocumentText:
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
        read = _ocr_page(index + 1, frame, options, review)
        timeouts += read.timed_out
        pages.append(read)
    if not pages:
        return DocumentText(kind=kind, error="image has no frames: scan it again")
    return DocumentText(kind=kind, pages=tuple(pages), warnings=tuple(warnings))


#: Whole-page OCR readings one page may have: the first, and one more (a turn the first
#: reading doubted, or a second opinion on a page the parser found short). Everything else
#: is a region re-read.
MAX_WHOLE_READS = 2


class Review(Protocol):
    """A second opinion on one page, given while its prepared image is still in memory."""

    def __call__(self, page: PageText, again: Rereader) -> PageText:
        """Return the page to keep: ``page`` itself, or a reading made through ``again``."""
        ...  # pragma: no cover


def _ocr_page(
    number: int, image: Image.Image, options: ReadOptions, review: Review | None = None
) -> PageText:
    """OCR one page, correcting orientation and skew; a timeout becomes a warning, not a crash."""
    try:
        return _read_page(number, image, options, review)
    except ocr.OcrTimeoutError:
        log.warning("page %d: OCR timed out after %.0f s", number, options.page_timeout)
        advice = "rescan the page more cleanly or raise --page-timeout"
        warning = f"OCR timed out after {options.page_timeout:g} s: {advice}"
    except ocr.OcrFailedError as exc:
        # Tesseract crashed or refused the image: its own process died, not the worker.
        log.warning("page %d: %s", number, exc)
        warning = f"{exc}: rescan the page and rerun"
    return PageText(number, "", "ocr", 0.0, warnings=(warning,), timed_out=True)


@dataclass(frozen=True)
class _Prepared:
    """A page image prepared for OCR once, and how.

    Attributes:
        image: Grey, light flattened where uneven, contrast stretched, scaled and
            despeckled; not yet deskewed (the skew is measured once the page is upright).
        plain: For a page with uneven light, the same without the light flattened (the
            second reading a photo gets); ``None`` otherwise.
    """

    image: Image.Image
    plain: Image.Image | None = None

    @property
    def uneven(self) -> bool:
        """The light was uneven (a phone photo) and was flattened."""
        return self.plain is not None


def _prepare(image: Image.Image) -> _Prepared:
    """Prepare a page once: every reading of the page, whole or region, starts from this."""
    with stages.timed("preprocess"):
        if preprocess.light_spread(image) <= preprocess.UNEVEN_LIGHT:
            return _Prepared(preprocess.despeckle(preprocess.normalize(image)))
        # A phone photo's shadows and vignette are divided out, so that the contrast
        # stretch, the skew search and tesseract's own threshold see paper and ink, not
        # light; the photo as it is stays for a second reading.
        flat = preprocess.normalize(preprocess.flatten_light(image))
        return _Prepared(
            preprocess.despeckle(flat), preprocess.despeckle(preprocess.normalize(image))
        )


def _straighten(image: Image.Image, options: ReadOptions) -> Image.Image:
    with stages.timed("preprocess"):
        return preprocess.deskew(image)[0] if options.deskew else image


def _turn(image: Image.Image, degrees: int) -> Image.Image:
    """The image turned ``degrees`` clockwise (OSD's answer); PIL turns counter-clockwise."""
    with stages.timed("preprocess"):
        return image.rotate(-degrees, expand=True, fillcolor=255)


def _read_page(
    number: int, image: Image.Image, options: ReadOptions, review: Review | None
) -> PageText:
    prepared = _prepare(image)
    # A phone photo (uneven light) is read with sparse-text segmentation: tesseract's page
    # layout analysis drops isolated short words on photos, such as a column of credit
    # amounts. Measured on the evaluation set: photo row F1 0.72 with the default layout
    # analysis, 0.90 sparse; scans are as good either way (0.955 vs 0.945), so they keep it.
    psm = 11 if prepared.uneven else 3
    settings = f"psm {psm}" + (", light flattened" if prepared.uneven else "")
    page = _Page(number, _points_per_pixel(image), settings)
    source, turn, osd_asked = prepared.image, 0, False
    # Orientation is decided once, before reading, when the ink runs down the page instead
    # of across it (a page fed sideways): the row/column profile test is cheap, and only
    # then is tesseract's orientation detector asked which way.
    with stages.timed("preprocess"):
        sideways = preprocess.runs_sideways(prepared.image)
    if sideways:
        degrees, _conf = ocr.detect_rotation(prepared.image, timeout=options.page_timeout)
        osd_asked = True
        if degrees in (90, 270):
            source, turn = _turn(prepared.image, degrees), degrees
    upright = _straighten(source, options)
    with stages.timed("ocr"):
        first = ocr.ocr_image(upright, timeout=options.page_timeout, psm=psm)
    reads = 1
    best, best_turn, best_image, best_source = first, turn, upright, source
    backwards = _reads_backwards(best.text)
    doubt = best.confidence < _RETRY_ORIENTATION_BELOW or best.words < 15 or backwards
    if doubt and not osd_asked and reads < MAX_WHOLE_READS:
        # Low confidence or reversed words: the page may be turned. Ask the orientation
        # detector once, and read the page once more only when it (or the reversed words)
        # says which way: never every turn in turn.
        degrees, osd_conf = ocr.detect_rotation(source, timeout=options.page_timeout)
        again = _retry_turn(first, backwards, degrees, osd_conf)
        if again:
            turned = _straighten(_turn(source, again), options)
            with stages.timed("reread"):
                reading = ocr.ocr_image(
                    turned, timeout=options.page_timeout, psm=psm, kind="reread"
                )
            reads += 1
            forward_now = backwards and not _reads_backwards(reading.text)
            better = reading.confidence * max(reading.words, 1) > first.confidence * max(
                first.words, 1
            )
            if (forward_now and reading.words >= first.words // 2) or better:
                best, best_turn, best_image = reading, (turn + again) % 360, turned
                best_source = _turn(source, again)
    result = page.of(best, best_image, rotation=best_turn)
    if review is None:
        return result
    plain = None
    if prepared.plain is not None:
        plain = _turn(prepared.plain, turn) if turn else prepared.plain
    rereader = Rereader(page, best_image, best_source, best_turn, psm, options, reads, plain)
    return review(result, rereader)


def _retry_turn(first: ocr.OcrResult, backwards: bool, degrees: int, osd_conf: float) -> int:
    """The one turn worth a second reading of a doubtful page, or 0 for none.

    Reversed words mean upside down unless the detector says otherwise; otherwise the
    detector's answer counts when it is sure, or when the reading is poor enough that any
    answer is better than none.
    """
    if backwards:
        return degrees or 180
    if degrees and (osd_conf >= 1.0 or first.confidence < _TRY_ALL_TURNS_BELOW or first.words < 15):
        return degrees
    return 0


class Rereader:
    """More readings of one page from the image already prepared: never rasterised again.

    A whole-page reading is allowed while the page has had fewer than
    :data:`MAX_WHOLE_READS`; region reads cost a crop each.
    """

    def __init__(
        self,
        page: _Page,
        image: Image.Image,
        source: Image.Image,
        rotation: int,
        psm: int,
        options: ReadOptions,
        reads: int,
        plain: Image.Image | None = None,
    ) -> None:
        self._page = page
        self._plain = plain
        self._image = image
        self._source = source
        self._rotation = rotation
        self._psm = psm
        self._options = options
        self.reads = reads

    @property
    def whole_reads_left(self) -> int:
        """How many whole-page readings this page may still have."""
        # A phone photo may have one reading more: its two light settings are two readings
        # of one page, and the short-page second opinion comes after both.
        allowed = MAX_WHOLE_READS + (1 if self._plain is not None else 0)
        return max(0, allowed - self.reads)

    def whole(self, psm: int, unruled: bool = False) -> PageText | None:
        """Read the whole page again with segmentation mode ``psm``, rules removed or not.

        The default page-layout analysis sometimes drops a whole column of short words on a
        scan (a transcript's credits) or a whole table. Reading the page as one column of
        text lines (``--psm 4``) keeps a table's rows whole; sparse reading (``--psm 11``)
        keeps isolated words. With ``unruled`` a table's ruled lines are removed first (see
        :func:`preprocess.remove_rules`).

        Returns:
            The new reading; ``None`` when the page has had its whole readings, or OCR gave
            up on it.
        """
        if self.whole_reads_left <= 0:
            return None
        image = self._image
        if unruled:
            with stages.timed("preprocess"):
                image = preprocess.remove_rules(image)
        settings = f"psm {psm}" + (", rules removed" if unruled else "")
        page = dataclasses.replace(self._page, settings=settings)
        return self._read(page, image, psm, self._rotation)

    @property
    def photographed(self) -> bool:
        """Whether the page is a photo read with its light flattened (see :meth:`as_is`)."""
        return self._plain is not None

    def as_is(self) -> PageText | None:
        """Read a photo again without its light flattened, sparse as before.

        Neither reading is better everywhere: flattening rescues shadowed text and can wash
        out faint print.

        Returns:
            The new reading; ``None`` for a page that is not a photo, has had its whole
            readings, or on which OCR gave up.
        """
        if self._plain is None or self.whole_reads_left <= 0:
            return None
        image = _straighten(self._plain, self._options)
        page = dataclasses.replace(self._page, settings=f"psm {self._psm}")
        return self._read(page, image, self._psm, self._rotation)

    def turned(self) -> PageText | None:
        """Read the page again turned the way the orientation detector says, or upside down.

        For a page that gave nothing usable although it was read with good confidence:
        tesseract reads an upside-down page's lines with their words in reverse order, which
        parses as nothing, and the first reading had no reason to doubt it.

        Returns:
            The new reading; ``None`` when the page has had its whole readings or OCR gave up.
        """
        if self.whole_reads_left <= 0:
            return None
        try:
            degrees, _conf = ocr.detect_rotation(self._source, timeout=self._options.page_timeout)
        except (ocr.OcrTimeoutError, ocr.OcrFailedError):
            return None
        turn = degrees or 180
        image = _straighten(_turn(self._source, turn), self._options)
        return self._read(self._page, image, self._psm, (self._rotation + turn) % 360)

    def _read(self, page: _Page, image: Image.Image, psm: int, rotation: int) -> PageText | None:
        """One more whole reading of ``image`` (counted), as ``page``; ``None`` if OCR gave up."""
        self.reads += 1
        try:
            with stages.timed("reread"):
                reading = ocr.ocr_image(
                    image, timeout=self._options.page_timeout, psm=psm, kind="reread"
                )
        except (ocr.OcrTimeoutError, ocr.OcrFailedError):
            return None
        return page.of(reading, image, rotation=rotation)


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
