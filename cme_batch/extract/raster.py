"""Turn PDF pages and image files into bounded-size PIL images; the only place that knows how."""

from __future__ import annotations

import struct
import warnings
from collections.abc import Iterator
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from PIL import Image, UnidentifiedImageError

#: OCR resolution for PDF pages without a text layer.
OCR_DPI = 300
#: Pixel budget of one page image: a letter page at 300 dpi is 8.4 M pixels. Anything far
#: larger is rendered at a lower resolution, or refused, so memory stays bounded.
MAX_PAGE_PIXELS = 36_000_000
#: Below this resolution a page's text is too small to read; such a page is refused.
MIN_DPI = 70
#: Image files (and images embedded in PDF pages) above this many pixels are refused before
#: decoding (decompression bombs): a 600 dpi letter scan is 34 M pixels, a 48 MP photo 48 M.
MAX_IMAGE_PIXELS = 80_000_000

# PIL only warns between MAX_IMAGE_PIXELS and twice that; the checks below refuse such images
# themselves, before decoding, so PIL's own limit is a second line of defence.
Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS

_EXIF_ORIENTATION = 0x0112
_TRANSPOSE = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


class RasterError(Exception):
    """A page or image that cannot be turned into pixels, with a reason a person can act on."""


def page_dpi(page: pdfium.PdfPage, dpi: int = OCR_DPI) -> int:
    """Choose the rendering resolution for a page within the pixel budget.

    Raises:
        RasterError: The page is so large that even the minimum resolution exceeds the budget.
    """
    width_pt, height_pt = page.get_size()
    area_in2 = max(width_pt, 1.0) * max(height_pt, 1.0) / (72.0 * 72.0)
    budget_dpi = int((MAX_PAGE_PIXELS / area_in2) ** 0.5)
    chosen = min(dpi, budget_dpi)
    if chosen < MIN_DPI:
        raise RasterError(
            f"page of absurd size ({width_pt / 72:.0f} x {height_pt / 72:.0f} inches): "
            "scan or print the certificate at letter or A4 size and rerun"
        )
    return chosen


def check_page_images(page: pdfium.PdfPage) -> None:
    """Refuse a page that embeds an image too large to decode safely.

    pdfium decodes an embedded image at full size whatever the rendering resolution, so a
    small page can hide a multi-gigabyte bitmap; its size is read from the image dictionary
    (nothing decoded) and checked before the page is rendered.

    Raises:
        RasterError: An embedded image exceeds :data:`MAX_IMAGE_PIXELS`.
    """
    for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE]):
        assert isinstance(obj, pdfium.PdfImage)
        try:
            width, height = obj.get_px_size()
        except pdfium.PdfiumError:
            continue
        if width * height > MAX_IMAGE_PIXELS:
            raise RasterError(_bomb_reason(width, height, "page holds an image too large"))


def render_page(page: pdfium.PdfPage, dpi: int) -> Image.Image:
    """Render a PDF page to a grayscale image at ``dpi``."""
    bitmap = page.render(scale=dpi / 72.0, grayscale=True)
    try:
        image: Image.Image = bitmap.to_pil().convert("L")
    finally:
        bitmap.close()
    # The resolution travels with the image, so OCR boxes can be turned back into points.
    image.info["dpi"] = (dpi, dpi)
    return image


def image_frames(path: Path) -> Iterator[Image.Image]:
    """Yield each frame of an image file (one for PNG/JPEG, several for a multi-page TIFF).

    Each frame's size is checked from its header before any pixel is decoded; frames are
    turned upright from their EXIF orientation (phone photos), converted to grayscale and
    shrunk to the page pixel budget, so a frame never costs more than one budget-sized image.

    Raises:
        RasterError: The file is not a decodable image, or is a decompression bomb.
        FileNotFoundError: The file disappeared (the caller says so; it is not damage).
    """
    try:
        with warnings.catch_warnings():
            # Sizes are checked below; PIL's warning would only be noise on stderr.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(path) as img:
                orientation: int | None = None
                for index in range(int(getattr(img, "n_frames", 1))):
                    img.seek(index)
                    width, height = img.size
                    if width * height > MAX_IMAGE_PIXELS:
                        raise RasterError(_bomb_reason(width, height, "image too large"))
                    if orientation is None:
                        # Only after the size check: PNG keeps EXIF after the pixels, so
                        # reading it decodes the whole image.
                        orientation = _orientation(img)
                    # JPEG decodes straight to a smaller size when it is far over budget;
                    # other formats ignore the draft request.
                    img.draft("L", _budget_size(width, height))
                    frame = img.convert("L")
                    if orientation in _TRANSPOSE:
                        frame = frame.transpose(_TRANSPOSE[orientation])
                    if frame.width * frame.height > MAX_PAGE_PIXELS:
                        frame.thumbnail(_budget_size(frame.width, frame.height))
                    yield frame
    except FileNotFoundError:
        raise
    except Image.DecompressionBombError as exc:
        raise RasterError(_bomb_reason(0, 0, "image too large")) from exc
    except UnidentifiedImageError as exc:
        raise RasterError(
            "not a readable image (corrupt or not really an image): scan or photograph it again"
        ) from exc
    # PIL's format plugins signal a damaged header with whatever their parser hits first
    # (TIFF: KeyError and TypeError for a missing tag); the fuzz tests collect them here.
    except (
        OSError, SyntaxError, ValueError, EOFError, IndexError, KeyError, TypeError,
        ZeroDivisionError, struct.error,
    ) as exc:  # fmt: skip
        raise RasterError(
            f"damaged image ({exc.__class__.__name__}): scan or photograph it again"
        ) from exc


def _orientation(img: Image.Image) -> int:
    """The EXIF orientation tag (1 = upright), ignoring EXIF blocks too damaged to read."""
    try:
        return int(img.getexif().get(_EXIF_ORIENTATION, 1))
    except Exception:  # noqa: BLE001 - a broken EXIF block must not cost the picture
        return 1


def _budget_size(width: int, height: int) -> tuple[int, int]:
    """The largest size with the same aspect that fits :data:`MAX_PAGE_PIXELS`."""
    scale = min(1.0, (MAX_PAGE_PIXELS / max(width * height, 1)) ** 0.5)
    return max(1, int(width * scale)), max(1, int(height * scale))


def count_frames(path: Path) -> int:
    """Count an image file's frames without decoding pixels."""
    try:
        with Image.open(path) as img:
            return int(getattr(img, "n_frames", 1))
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return 0


def _bomb_reason(width: int, height: int, what: str) -> str:
    size = f" ({width} x {height} pixels)" if width else ""
    return f"{what} to read safely{size}: scan it again at 300 dpi or less and rerun"
