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
    # Count each pixel's dark neighbours by adding shifted views of the padded mask: no
    # copies of the page, unlike np.roll.
    padded = np.pad(dark, 1).astype(np.uint8)
    height, width = dark.shape
    neighbours = np.zeros((height, width), dtype=np.uint8)
    for dy in (0, 1, 2):
        for dx in (0, 1, 2):
            if (dy, dx) != (1, 1):
                neighbours += padded[dy : dy + height, dx : dx + width]
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
    # A box reduction: the paper's brightness is smooth, so resampling filters buy nothing.
    small = gray.reduce(8) if min(gray.size) >= 8 else gray
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


#: Columns summed into one for the skew search: the row profile needs full vertical resolution,
#: but at 6 degrees four thumbnail columns shift a line by less than half a pixel.
_SKEW_COLUMNS = 4


def _skew_ink(img: Image.Image) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Ink of a 900 px thumbnail as points ``(x, y, weight)`` centred on the page.

    Ink is measured against the local paper brightness (a max filter at quarter size), not
    against white, so the dark table around a photographed sheet and its shadows weigh
    nothing and only print shapes the row profile.
    """
    return _ink_points(img, 900, _SKEW_COLUMNS)


def _ink_points(
    img: Image.Image, size: int, columns: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Ink of a ``size`` px thumbnail as points, ``columns`` thumbnail columns summed into one."""
    thumb = ImageOps.grayscale(img).copy()
    thumb.thumbnail((size, size))
    paper = thumb.reduce(4).filter(ImageFilter.MaxFilter(5))
    paper = paper.resize(thumb.size, Image.Resampling.BILINEAR)
    ink = np.asarray(paper, dtype=np.float32) - np.asarray(thumb, dtype=np.float32)
    ink = np.clip(ink, 0.0, None)
    height, width = ink.shape
    cols = max(width // columns, 1)
    ink = ink[:, : cols * columns].reshape(height, cols, -1).sum(axis=2)
    centres = np.arange(cols, dtype=np.float64) * columns + (columns - 1) / 2.0
    xs = np.tile(centres - (width - 1) / 2.0, height)
    ys = np.repeat(np.arange(height, dtype=np.float64) - (height - 1) / 2.0, cols)
    return xs, ys, ink.ravel().astype(np.float64)


def _profile_score(points: tuple[np.ndarray, np.ndarray, np.ndarray], angle: float) -> float:
    """Sharpness of the row profile after turning the ink points by ``angle`` degrees.

    The points are binned by their turned height (split linearly between two rows), which
    is what rotating the image and summing its rows does, without resampling the image.
    """
    xs, ys, weights = points
    theta = np.deg2rad(angle)
    rows = ys * np.cos(theta) - xs * np.sin(theta)
    rows -= rows.min()
    base = np.floor(rows)
    upper = rows - base
    index = base.astype(np.int64)
    size = int(index.max()) + 2
    profile = np.bincount(index, weights=weights * (1.0 - upper), minlength=size)
    profile += np.bincount(index + 1, weights=weights * upper, minlength=size)
    return float(np.var(np.diff(profile)))


def estimate_skew(img: Image.Image) -> float:
    """Estimate a text page's skew in degrees by maximizing the row-profile sharpness.

    Text lines make sharp peaks in the sum of ink per row when they are horizontal; the
    angle that maximizes the variance of that profile's steps is the correction. The search
    is coarse (1 degree) then fine (0.25 degree) around the best.
    """
    points = _skew_ink(img)
    if not points[2].any():
        return 0.0
    coarse = np.arange(-_SKEW_LIMIT, _SKEW_LIMIT + 0.5, 1.0)
    best = max(coarse, key=lambda a: _profile_score(points, float(a)))
    fine = np.arange(best - 0.75, best + 0.76, _SKEW_STEP)
    return float(max(fine, key=lambda a: _profile_score(points, float(a))))


#: How much sharper the column profile must be than the row profile for a page to count as
#: turned sideways: text lines make sharp row peaks; a page fed at 90 degrees makes them in
#: columns instead.
SIDEWAYS_RATIO = 1.5


def runs_sideways(img: Image.Image) -> bool:
    """Whether a page's text lines run down the page (turned 90 or 270 degrees).

    Compares the sharpness of the ink profile across rows and across columns, each at its
    best angle within the skew limit, on a small thumbnail with square pixels: no OCR.
    """
    points = _ink_points(img, 450, 1)
    if not points[2].any():
        return False
    angles = np.arange(-_SKEW_LIMIT, _SKEW_LIMIT + 0.5, 1.0)
    across = max(_profile_score(points, float(a)) for a in angles)
    down = max(_profile_score(points, float(a) + 90.0) for a in angles)
    return down > SIDEWAYS_RATIO * across


def deskew(img: Image.Image) -> tuple[Image.Image, float]:
    """Rotate a page so its text lines are horizontal; returns the image and the angle used."""
    angle = estimate_skew(img)
    if abs(angle) < _SKEW_STEP:
        return img, 0.0
    fill = 255 if img.mode == "L" else None
    return img.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=fill), angle


#: Table rules are dark runs at least this share of the page width (or height) long.
_RULE_LENGTH = 1 / 20
#: ... and at most this share of the page width thick, unlike the stems of large letters.
_RULE_THICKNESS = 1 / 250


def _in_long_runs(mask: np.ndarray, length: int, axis: int) -> np.ndarray:
    """Pixels of ``mask`` that lie in a run of at least ``length`` set pixels along ``axis``."""
    size = mask.shape[axis]
    if size < length:
        return np.zeros_like(mask)

    def cut(array: np.ndarray, start: int, stop: int) -> np.ndarray:
        index: list[slice] = [slice(None), slice(None)]
        index[axis] = slice(start, stop)
        return array[tuple(index)]

    padded_shape = list(mask.shape)
    padded_shape[axis] = size + 1
    sums = np.zeros(padded_shape, dtype=np.int32)
    np.cumsum(mask, axis=axis, dtype=np.int32, out=cut(sums, 1, size + 1))
    # starts: a full run begins here.
    starts = (cut(sums, length, size + 1) - cut(sums, 0, size + 1 - length)) == length
    count = starts.shape[axis]
    begun = np.zeros(padded_shape, dtype=np.int32)
    np.cumsum(starts, axis=axis, dtype=np.int32, out=cut(begun, 1, count + 1))
    cut(begun, count + 1, size + 1)[...] = cut(begun, count, count + 1)
    # Position i is covered when a run began in [i - length + 1, i].
    before = np.zeros(mask.shape, dtype=np.int32)
    cut(before, length - 1, size)[...] = cut(begun, 0, size - length + 1)
    covered: np.ndarray = (cut(begun, 1, size + 1) - before) > 0
    return covered


def _thin_parts(lines: np.ndarray, thickness: int, axis: int) -> np.ndarray:
    """The parts of a line mask (lines along ``axis``) at most ``2 * thickness`` pixels thick.

    A pixel is in a thick part when the mask runs on across the line's direction for more
    than that; such parts (the stems of large letters, a black bar) are kept whole.
    """
    thick = _in_long_runs(lines, 2 * thickness + 1, 1 - axis)
    thin: np.ndarray = lines & ~thick
    return thin


def remove_rules(img: Image.Image, level: int = 160) -> Image.Image:
    """Paint a table's ruled lines white, leaving the text in its cells.

    Tesseract's layout analysis takes a ruled grid for a picture and may drop whole cells
    with it (a label column, a credits column). Rules are long, thin dark runs; letters are
    neither, so they stay. The page must be upright and deskewed.
    """
    pixels = np.asarray(img.convert("L"))
    dark = pixels < level
    length = max(60, round(img.width * _RULE_LENGTH))
    thickness = max(3, round(img.width * _RULE_THICKNESS))
    across = _thin_parts(_in_long_runs(dark, length, 1), thickness, 1)
    down = _thin_parts(_in_long_runs(dark, length, 0), thickness, 0)
    rules = across | down
    # One pixel more on every side takes the rules' soft (anti-aliased, scanned) edges.
    grown = rules.copy()
    grown[1:] |= rules[:-1]
    grown[:-1] |= rules[1:]
    grown[:, 1:] |= rules[:, :-1]
    grown[:, :-1] |= rules[:, 1:]
    cleaned = pixels.copy()
    cleaned[grown] = 255
    return Image.fromarray(cleaned)
