"""Scanner and phone-camera degradation of rasterized pages (PIL + numpy, seeded).

The aim is "what arrives in a real medical-staff inbox" while staying legible to tesseract:
skew of a few degrees, speckle, mild blur, JPEG artefacts, rotated pages from the document
feeder; photos with perspective, uneven light, a shadow and a darker desk around the paper.
"""

from __future__ import annotations

import io

import numpy as np
from PIL import Image, ImageFilter


def _rng(seed: int) -> np.random.Generator:
    return np.random.default_rng(seed)


def jpeg_roundtrip(img: Image.Image, quality: int) -> Image.Image:
    """Encode and decode as JPEG to add block artefacts like a scanner's own compression."""
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=quality, optimize=False, subsampling=2)
    buf.seek(0)
    out = Image.open(buf)
    out.load()
    return out


def scan(img: Image.Image, seed: int, rotate: int = 0, color: bool = False) -> Image.Image:
    """A flatbed or feeder scan: grayscale, skew, speckle, blur, JPEG noise, optional rotation.

    Args:
        img: the clean page (RGB).
        seed: seed of every random choice.
        rotate: 0, 90, 180 or 270 degrees clockwise (a page fed sideways or upside down).
        color: keep color (some office scanners default to color); grayscale otherwise.
    """
    r = _rng(seed)
    page = img.convert("RGB" if color else "L")
    # Paper is never pure white under a scanner lamp, and toner is never pure black.
    arr = np.asarray(page).astype(np.float32)
    lo, hi = r.uniform(10, 35), r.uniform(225, 248)
    arr = lo + arr * (hi - lo) / 255.0
    page = Image.fromarray(arr.clip(0, 255).astype(np.uint8))
    sign = 1 if r.random() < 0.5 else -1
    angle = float(sign * r.uniform(0.5, 3.0))
    fill: int | tuple[int, int, int] = (int(hi),) * 3 if color else int(hi)
    page = page.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=fill)
    if r.random() < 0.7:
        page = page.filter(ImageFilter.GaussianBlur(float(r.uniform(0.3, 0.8))))
    arr = np.asarray(page).astype(np.float32)
    arr += r.normal(0, r.uniform(2, 5), arr.shape)
    # Speckle: sparse dark dots (dust on the glass) and a few bright dropouts.
    h, w = arr.shape[:2]
    n_dots = int(h * w * r.uniform(0.0002, 0.0008))
    ys, xs = r.integers(0, h, n_dots), r.integers(0, w, n_dots)
    arr[ys, xs] = r.uniform(0, 90, n_dots)[:, None] if arr.ndim == 3 else r.uniform(0, 90, n_dots)
    # A faint vertical streak from a dirty feeder roller, on some pages.
    if r.random() < 0.3:
        x = int(r.integers(w // 8, 7 * w // 8))
        arr[:, x : x + 2] *= 0.8
    page = Image.fromarray(arr.clip(0, 255).astype(np.uint8))
    page = jpeg_roundtrip(page, int(r.integers(45, 80)))
    if rotate:
        page = page.rotate(-rotate, expand=True)
    return page


def photo(img: Image.Image, seed: int) -> Image.Image:
    """A phone photo of a printed page on a desk: perspective, light falloff, shadow, blur."""
    r = _rng(seed)
    page = img.convert("RGB")
    pw, ph = page.size
    # Canvas a bit larger than the page: the desk shows around the paper.
    margin = int(pw * r.uniform(0.06, 0.12))
    cw, ch = pw + 2 * margin, ph + 2 * margin
    base = np.array(
        r.choice([[92, 70, 52], [60, 60, 64], [120, 100, 80], [45, 48, 55]]), dtype=np.float32
    )
    desk = np.ones((ch, cw, 3), np.float32) * base
    desk += r.normal(0, 6, (ch, cw, 3))
    # Wood-like grain: low-frequency stripes.
    yy = np.arange(ch, dtype=np.float32)[:, None]
    desk += (4 * np.sin(yy / r.uniform(10, 30)))[..., None]
    canvas = Image.fromarray(desk.clip(0, 255).astype(np.uint8))
    # Paper slightly warm under indoor light.
    tint = np.array([1.0, r.uniform(0.96, 0.99), r.uniform(0.88, 0.95)], np.float32)
    paper = Image.fromarray(
        (np.asarray(page).astype(np.float32) * tint).clip(0, 255).astype(np.uint8)
    )
    canvas.paste(paper, (margin, margin))
    # Perspective: the phone is held a little off-axis. Coefficients map output to input.
    # Keystone (top edge farther from the lens than the bottom) plus a little jitter per corner.
    k = pw * r.uniform(0.02, 0.07)
    j = pw * 0.025
    src = [
        (margin + k + r.uniform(-j, j), margin + r.uniform(-j, j)),
        (margin + pw - k + r.uniform(-j, j), margin + r.uniform(-j, j)),
        (margin + pw + r.uniform(-j, j), margin + ph + r.uniform(-j, j)),
        (margin + r.uniform(-j, j), margin + ph + r.uniform(-j, j)),
    ]
    dst = [
        (margin, margin),
        (margin + pw, margin),
        (margin + pw, margin + ph),
        (margin, margin + ph),
    ]
    # Warp so the page's corners land on jittered positions: solve for dst->src coefficients.
    coeffs = _perspective_coeffs(src_pts=src, dst_pts=dst)
    warped = canvas.transform(
        (cw, ch),
        Image.Transform.PERSPECTIVE,
        coeffs,
        Image.Resampling.BICUBIC,
        fillcolor=tuple(int(v) for v in base),
    )
    arr = np.asarray(warped).astype(np.float32)
    # Uneven light: a broad gradient from one side plus a soft diagonal shadow band.
    gy, gx = np.mgrid[0:ch, 0:cw].astype(np.float32)
    ang = r.uniform(0, 2 * np.pi)
    grad = np.cos(ang) * gx / cw + np.sin(ang) * gy / ch
    grad = (grad - grad.min()) / (grad.max() - grad.min() + 1e-6)
    light = 1.0 - r.uniform(0.12, 0.3) * grad
    if r.random() < 0.7:
        d = (gx / cw) * r.uniform(0.5, 1.5) + (gy / ch) - r.uniform(0.6, 1.4)
        light *= 1.0 - r.uniform(0.15, 0.3) / (1 + np.exp(-d * 18))
    arr *= light[..., None]
    arr += r.normal(0, r.uniform(3, 6), arr.shape)
    out = Image.fromarray(arr.clip(0, 255).astype(np.uint8))
    return out.filter(ImageFilter.GaussianBlur(float(r.uniform(0.4, 1.0))))


def _perspective_coeffs(
    src_pts: list[tuple[float, float]], dst_pts: list[tuple[float, float]]
) -> tuple[float, ...]:
    """PIL PERSPECTIVE coefficients mapping output points ``src_pts`` to input ``dst_pts``."""
    rows = []
    rhs = []
    for (x, y), (u, v) in zip(src_pts, dst_pts, strict=True):
        rows.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        rows.append([0, 0, 0, x, y, 1, -v * x, -v * y])
        rhs.extend([u, v])
    sol = np.linalg.solve(np.array(rows, dtype=np.float64), np.array(rhs, dtype=np.float64))
    return tuple(float(v) for v in sol)
