"""Turn PDF pages and image files into bounded-size PIL images; the only place that knows how."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image, ImageOps, UnidentifiedImageError

#: OCR resolution for PDF pages without a text layer.
OCR_DPI = 300
#: Pixel budget of one page image: a letter page at 300 dpi is 8.4 M pixels. Anything far
#: larger is rendered at a lower resolution, or refused, so memory stays bounded.
MAX_PAGE_PIXELS = 36_000_000
#: Below this resolution a page's text is too small to read; such a page is refused.
MIN_DPI = 70
#: Image files above this many pixels are refused before decoding (decompression bombs).
MAX_IMAGE_PIXELS = 80_000_000

Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS


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


def render_page(page: pdfium.PdfPage, dpi: int) -> Image.Image:
    """Render a PDF page to a grayscale image at ``dpi``."""
    bitmap = page.render(scale=dpi / 72.0, grayscale=True)
    try:
        return bitmap.to_pil().convert("L")
    finally:
        bitmap.close()


def image_frames(path: Path) -> Iterator[Image.Image]:
    """Yield each frame of an image file (one for PNG/JPEG, several for a multi-page TIFF).

    Frames are turned upright from their EXIF orientation (phone photos) and converted to
    grayscale.

    Raises:
        RasterError: The file is not a decodable image, or is a decompression bomb.
    """
    try:
        with Image.open(path) as img:
            for index in range(getattr(img, "n_frames", 1)):
                img.seek(index)
                frame = ImageOps.exif_transpose(img.copy()) or img.copy()
                if frame.width * frame.height > MAX_IMAGE_PIXELS:
                    raise RasterError(_bomb_reason(frame.width, frame.height))
                yield frame.convert("L")
    except Image.DecompressionBombError as exc:
        raise RasterError(_bomb_reason(0, 0)) from exc
    except UnidentifiedImageError as exc:
        raise RasterError(
            "not a readable image (corrupt or not really an image): scan or photograph it again"
        ) from exc
    except (OSError, SyntaxError, ValueError) as exc:
        raise RasterError(
            f"damaged image ({exc.__class__.__name__}): scan or photograph it again"
        ) from exc


def count_frames(path: Path) -> int:
    """Count an image file's frames without decoding pixels."""
    try:
        with Image.open(path) as img:
            return int(getattr(img, "n_frames", 1))
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return 0


def _bomb_reason(width: int, height: int) -> str:
    size = f" ({width} x {height} pixels)" if width else ""
    return (
        f"image too large to read safely{size}: scan it again at 300 dpi or less"
    )
