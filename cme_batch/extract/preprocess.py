"""Prepare a page image for OCR: blank detection, contrast, scale and deskew.

Only steps that measurably help tesseract on the evaluation set are kept (see docs/extraction.md).
"""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageFilter, ImageOps

#: A page whose darkest 0.1% of thumbnail pixels are this light has no ink: nothing to OCR.
BLANK_INK_LEVEL = 150
#: Tesseract reads best with text 20-30 px high; smaller images are enlarged up to this width.
MIN_OCR_WIDTH = 1700
_SKEW_LIMIT = 6.0
_SKEW_STEP = 0.25


def is_blank(img: Image.Image) -> bool:
    """Tell cheaply whether a page has no ink (a blank scan or separator sheet)."""
    thumb = ImageOps.grayscale(img).copy()
    thumb.thumbnail((400, 400))
    pixels = np.asarray(thumb, dtype=np.uint8)
    if pixels.size == 0:
        return True
    dark_level = float(np.percentile(pixels, 0.1))
    spread = float(pixels.std())
    return dark_level > BLANK_INK_LEVEL or spread < 2.0


def normalize(img: Image.Image) -> Image.Image:
    """Grayscale, stretch contrast and enlarge small images for OCR."""
    gray = ImageOps.grayscale(img)
    # Phone photos have uneven light and grey paper; a percentile stretch recovers contrast
    # without the harm a global threshold does to faint print.
    gray = ImageOps.autocontrast(gray, cutoff=(1, 1))
    if gray.width < MIN_OCR_WIDTH:
        factor = MIN_OCR_WIDTH / gray.width
        gray = gray.resize((MIN_OCR_WIDTH, round(gray.height * factor)), Image.Resampling.LANCZOS)
    return gray


def _profile_score(ink: Image.Image, angle: float) -> float:
    rotated = ink.rotate(angle, resample=Image.Resampling.BILINEAR, expand=False)
    profile = np.asarray(rotated, dtype=np.float32).sum(axis=1)
    return float(np.var(np.diff(profile)))


#: Share of inked pixels with no inked neighbour above which a page is speckled (copier
#: noise), for black specks (darker than 128) and for grey ones (darker than 225). Measured on
#: the evaluation set: speckled scans 0.004-0.013 black or 0.0075-0.09 grey; clean scans and
#: phone photos below 0.0016 black and 0.0023 grey.
SPECKLE_LIMITS: tuple[tuple[int, float], ...] = ((128, 0.002), (225, 0.004))


def speckle_ratio(img: Image.Image, level: int = 128) -> float:
    """Share of pixels darker than ``level`` that are isolated specks, not parts of glyphs."""
    dark = np.asarray(img, dtype=np.uint8) < level
    total = int(dark.sum())
    if total == 0:
        return 0.0
    padded = np.pad(dark, 1).astype(np.uint8)
    neighbours = np.zeros_like(padded)
    for dy in (-1, 0, 1):
        for dx in (-1, 0, 1):
            if (dy, dx) != (0, 0):
                neighbours += np.roll(np.roll(padded, dy, 0), dx, 1)
    neighbours = neighbours[1:-1, 1:-1]
    return float((dark & (neighbours <= 1)).sum()) / total


def is_speckled(img: Image.Image) -> bool:
    """Whether a page carries copier speckle, black or grey."""
    return any(speckle_ratio(img, level) > limit for level, limit in SPECKLE_LIMITS)


def despeckle(img: Image.Image) -> Image.Image:
    """Remove copier speckle with a 3x3 median, only on pages that have it.

    On the evaluation set the median lifted scanned-page row F1 from 0.76 to 0.84, but on
    phone photos, whose strokes are thin, it erased glyphs (0.72 to 0.33): hence the test.
    """
    if is_speckled(img):
        return img.filter(ImageFilter.MedianFilter(3))
    return img


#: Spread (95th minus 5th percentile) of the estimated paper brightness above which a page's
#: light is uneven: phone photos measured 100-190 on the evaluation set, scans 0-20.
UNEVEN_LIGHT = 60.0


def _background(gray: Image.Image) -> Image.Image:
    """The paper's brightness without the ink: a max filter and blur at one-eighth size."""
    small = gray.resize((max(1, gray.width // 8), max(1, gray.height // 8)))
    return small.filter(ImageFilter.MaxFilter(5)).filter(ImageFilter.GaussianBlur(6))


def light_spread(img: Image.Image) -> float:
    """How uneven a page's lighting is (0 for a flat scan; shadows and vignettes raise it)."""
    bg = np.asarray(_background(ImageOps.grayscale(img)), dtype=np.float32)
    return float(np.percentile(bg, 95) - np.percentile(bg, 5))


def flatten_light(img: Image.Image) -> Image.Image:
    """Divide out the paper's brightness so shadowed text is as dark as lit text."""
    gray = ImageOps.grayscale(img)
    bg = _background(gray).resize(gray.size, Image.Resampling.BILINEAR)
    ink = np.asarray(gray, dtype=np.float32)
    paper = np.maximum(np.asarray(bg, dtype=np.float32), 1.0)
    return Image.fromarray(np.clip(ink / paper * 255.0, 0, 255).astype(np.uint8))


def estimate_skew(img: Image.Image) -> float:
    """Estimate a text page's skew in degrees by maximizing the row-profile sharpness.

    Text lines make sharp peaks in the sum of dark pixels per row when they are horizontal;
    the angle that maximizes the variance of that profile is the correction. The search is
    coarse (1 degree) then fine (0.25 degree) around the best, 17 rotations instead of 49.
    """
    thumb = ImageOps.grayscale(img).copy()
    thumb.thumbnail((900, 900))
    ink = ImageOps.invert(thumb)
    coarse = np.arange(-_SKEW_LIMIT, _SKEW_LIMIT + 0.5, 1.0)
    best = max(coarse, key=lambda a: _profile_score(ink, float(a)))
    fine = np.arange(best - 0.75, best + 0.76, _SKEW_STEP)
    return float(max(fine, key=lambda a: _profile_score(ink, float(a))))


def deskew(img: Image.Image) -> tuple[Image.Image, float]:
    """Rotate a page so its text lines are horizontal; returns the image and the angle used."""
    angle = estimate_skew(img)
    if abs(angle) < _SKEW_STEP:
        return img, 0.0
    fill = 255 if img.mode == "L" else None
    return img.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=fill), angle
