"""How a clean page becomes a scan, a fax or a phone photo (PIL + numpy, seeded).

Scans: grey or colour, skew, a coffee stain, punch holes, a fold line, edges cropped by the
scanner bed, low resolution, JPEG artefacts. Faxes: standard-resolution (204 x 98 dpi) 1-bit
pages stretched back. Photos: page curl, perspective, uneven light, a hand's shadow, focus
and motion blur, dim light, and photos of a screen (bezel, moire, glare).
"""

from __future__ import annotations

import io

import numpy as np
from PIL import Image, ImageFilter

Rng = np.random.Generator


def _jpeg(img: Image.Image, quality: int) -> Image.Image:
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=quality, optimize=False)
    buf.seek(0)
    out = Image.open(buf)
    out.load()
    return out


def _sample(arr: np.ndarray, ys: np.ndarray, xs: np.ndarray, fill: float) -> np.ndarray:
    """Bilinear lookup of ``arr`` (H, W, C) at float coordinates; outside is ``fill``."""
    h, w = arr.shape[:2]
    x0 = np.floor(xs).astype(np.int64)
    y0 = np.floor(ys).astype(np.int64)
    fx = (xs - x0)[..., None]
    fy = (ys - y0)[..., None]
    inside = (x0 >= 0) & (y0 >= 0) & (x0 < w - 1) & (y0 < h - 1)
    x0c = np.clip(x0, 0, w - 2)
    y0c = np.clip(y0, 0, h - 2)
    a = arr[y0c, x0c]
    b = arr[y0c, x0c + 1]
    c = arr[y0c + 1, x0c]
    d = arr[y0c + 1, x0c + 1]
    out = (a * (1 - fx) + b * fx) * (1 - fy) + (c * (1 - fx) + d * fx) * fy
    out[~inside] = fill
    return out


# ------------------------------------------------------------------ scans and faxes


def _stain(arr: np.ndarray, r: Rng) -> None:
    """A coffee ring: a darker rim and a faint tinted inside, somewhere on the page."""
    h, w = arr.shape[:2]
    cy, cx = r.uniform(0.15, 0.85) * h, r.uniform(0.15, 0.85) * w
    rad = r.uniform(0.05, 0.1) * w
    yy, xx = np.ogrid[:h, :w]
    dist = np.sqrt((yy - cy) ** 2 + (xx - cx) ** 2)
    rim = np.exp(-(((dist - rad) / (rad * 0.06)) ** 2))
    inner = (dist < rad) * 0.12
    mask = np.clip(rim + inner, 0, 1) * r.uniform(0.15, 0.3)
    tint = np.array([0.55, 0.75, 1.0])[: arr.shape[2]] if arr.ndim == 3 else 1.0
    if arr.ndim == 3:
        arr *= 1 - mask[..., None] * tint
    else:
        arr *= 1 - mask


def _holes(arr: np.ndarray, r: Rng) -> None:
    h, w = arr.shape[:2]
    rad = 0.012 * w
    x = 0.035 * w
    yy, xx = np.ogrid[:h, :w]
    for fy in (0.18, 0.5, 0.82):
        m = (yy - fy * h) ** 2 + (xx - x) ** 2 < rad**2
        arr[m] = r.uniform(20, 60)


def _fold(arr: np.ndarray, r: Rng) -> None:
    h = arr.shape[0]
    y = int(h * r.choice([1 / 3, 2 / 3, 0.5]))
    arr[y : y + 2] *= 0.7
    arr[y + 2 : y + 8] *= 0.93


def _crop(img: Image.Image, r: Rng) -> Image.Image:
    """Cut up to 3% off one or two edges, as a misplaced page on the scanner bed shows."""
    w, h = img.size
    box = [0, 0, w, h]
    for side in r.choice(4, size=int(r.integers(1, 3)), replace=False):
        cut = int(r.uniform(0.012, 0.03) * (w if side in (0, 2) else h))
        if side == 0:
            box[0] += cut
        elif side == 1:
            box[1] += cut
        elif side == 2:
            box[2] -= cut
        else:
            box[3] -= cut
    return img.crop(tuple(box))


def scan(img: Image.Image, seed: int, effects: tuple[str, ...], rotate: int = 0) -> Image.Image:
    """A flatbed or feeder scan of ``img`` (RGB at the scan resolution)."""
    r = np.random.default_rng(seed)
    color = "color" in effects
    page = img.convert("RGB" if color else "L")
    arr = np.asarray(page).astype(np.float32)
    lo, hi = r.uniform(8, 40), r.uniform(215, 250)
    arr = lo + arr * (hi - lo) / 255.0
    if "stain" in effects:
        _stain(arr, r)
    if "holes" in effects:
        _holes(arr, r)
    if "fold" in effects:
        _fold(arr, r)
    page = Image.fromarray(arr.clip(0, 255).astype(np.uint8))
    big = "skew_heavy" in effects
    angle = float(r.choice([-1, 1]) * (r.uniform(2.5, 4.0) if big else r.uniform(0.2, 1.8)))
    fill: int | tuple[int, ...] = (int(hi),) * 3 if color else int(hi)
    page = page.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=fill)
    if "crop" in effects:
        page = _crop(page, r)
    page = page.filter(ImageFilter.GaussianBlur(float(r.uniform(0.25, 0.9))))
    arr = np.asarray(page).astype(np.float32)
    arr += r.normal(0, r.uniform(2, 6), arr.shape)
    hh, ww = arr.shape[:2]
    n = int(hh * ww * r.uniform(0.0001, 0.0006))
    arr[r.integers(0, hh, n), r.integers(0, ww, n)] = r.uniform(0, 100)
    page = Image.fromarray(arr.clip(0, 255).astype(np.uint8))
    page = _jpeg(page, int(r.integers(35, 75)))
    if rotate:
        page = page.rotate(-rotate, expand=True)
    return page


def fax(img: Image.Image, seed: int, dpi: int) -> Image.Image:
    """A standard-resolution fax: 204 x 98 dpi, 1-bit, stretched back to ``dpi`` square."""
    r = np.random.default_rng(seed)
    g = img.convert("L").rotate(
        float(r.uniform(-1.2, 1.2)),
        resample=Image.Resampling.BILINEAR,
        expand=True,
        fillcolor=255,
    )
    w, h = g.size
    fine = r.random() < 0.4
    small = g.resize(
        (int(w * 204 / dpi), int(h * (196 if fine else 98) / dpi)), Image.Resampling.BILINEAR
    )
    arr = np.asarray(small).astype(np.float32) + r.normal(0, 18, (small.size[1], small.size[0]))
    bw = np.where(arr > r.uniform(140, 175), 255, 0).astype(np.uint8)
    # Dropped scan lines and a few streaks, as phone-line noise gives.
    for y in r.integers(0, bw.shape[0], int(r.integers(2, 8))):
        bw[y] = 255 if r.random() < 0.6 else bw[y]
    out = Image.fromarray(bw).resize((w, h), Image.Resampling.NEAREST)
    return out.convert("1")


# ------------------------------------------------------------------ photos


def _curl(arr: np.ndarray, r: Rng) -> tuple[np.ndarray, np.ndarray]:
    """The page bowed and one edge lifted: warped page and its coverage mask."""
    h, w = arr.shape[:2]
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    amp = r.uniform(0.008, 0.02) * h
    lift = r.uniform(0.02, 0.05) * w
    side = r.choice([0, 1])
    u = xx / w if side else 1 - xx / w
    dy = amp * np.sin(np.pi * xx / w) * (yy / h - 0.5) * 2
    dx = lift * u**3 * (1 if side else -1)
    src_y, src_x = yy + dy, xx + dx
    out = _sample(arr, src_y, src_x, -1.0)
    shade = 1 - 0.18 * u**2
    mask = out[..., 0] >= 0
    out = np.where(out < 0, 0, out) * shade[..., None]
    return out, mask


def _perspective(
    src: list[tuple[float, float]], dst: list[tuple[float, float]]
) -> tuple[float, ...]:
    """PIL PERSPECTIVE coefficients that map output points ``src`` to input points ``dst``."""
    a, b = [], []
    for (x, y), (u, v) in zip(src, dst, strict=True):
        a.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        a.append([0, 0, 0, x, y, 1, -v * x, -v * y])
        b += [u, v]
    return tuple(float(v) for v in np.linalg.solve(np.array(a), np.array(b)))


def _shadow(h: int, w: int, r: Rng) -> np.ndarray:
    """A soft shadow of a hand or phone falling over one corner."""
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    cy, cx = r.choice([0, h]), r.uniform(0.2, 0.8) * w
    ry, rx = r.uniform(0.25, 0.45) * h, r.uniform(0.2, 0.35) * w
    d = ((yy - cy) / ry) ** 2 + ((xx - cx) / rx) ** 2
    return 1 - r.uniform(0.25, 0.45) / (1 + np.exp((d - 1) * 6))


def _motion(img: Image.Image, r: Rng) -> Image.Image:
    arr = np.asarray(img).astype(np.float32)
    n = int(r.integers(3, 7))
    horizontal = r.random() < 0.5
    acc = np.zeros_like(arr)
    for k in range(n):
        acc += np.roll(arr, k, axis=1 if horizontal else 0)
    return Image.fromarray((acc / n).clip(0, 255).astype(np.uint8))


def photo(img: Image.Image, seed: int, effects: tuple[str, ...]) -> Image.Image:
    """A phone photo of a printed page, or of the page on a screen when "screen" is given."""
    if "screen" in effects:
        return screen(img, seed, effects)
    r = np.random.default_rng(seed)
    page = np.asarray(img.convert("RGB")).astype(np.float32)
    ph, pw = page.shape[:2]
    tint = np.array([1.0, r.uniform(0.95, 0.99), r.uniform(0.86, 0.95)], np.float32)
    page = page * tint
    if "curl" in effects:
        page, mask = _curl(page, r)
    else:
        mask = np.ones((ph, pw), bool)
    m = int(pw * r.uniform(0.08, 0.14))
    ch, cw = ph + 2 * m, pw + 2 * m
    desk_col = np.array(
        r.choice([[96, 74, 55], [58, 60, 66], [130, 112, 92], [40, 44, 52], [170, 165, 158]]),
        np.float32,
    )
    canvas = np.ones((ch, cw, 3), np.float32) * desk_col + r.normal(0, 5, (ch, cw, 3))
    region = canvas[m : m + ph, m : m + pw]
    region[mask] = page[mask]
    pil = Image.fromarray(canvas.clip(0, 255).astype(np.uint8))
    k = pw * r.uniform(0.03, 0.09)
    j = pw * 0.03
    corners = [(m, m), (m + pw, m), (m + pw, m + ph), (m, m + ph)]
    tilt = r.choice([-1, 1]) * r.uniform(0, 0.03) * pw
    src = [
        (m + k + r.uniform(-j, j) + tilt, m + r.uniform(-j, j)),
        (m + pw - k + r.uniform(-j, j) + tilt, m + r.uniform(-j, j)),
        (m + pw + r.uniform(-j, j) - tilt, m + ph + r.uniform(-j, j)),
        (m + r.uniform(-j, j) - tilt, m + ph + r.uniform(-j, j)),
    ]
    pil = pil.transform(
        (cw, ch),
        Image.Transform.PERSPECTIVE,
        _perspective(src, corners),
        Image.Resampling.BICUBIC,
        fillcolor=tuple(int(v) for v in desk_col),
    )
    arr = np.asarray(pil).astype(np.float32)
    gy, gx = np.mgrid[0:ch, 0:cw].astype(np.float32)
    ang = r.uniform(0, 2 * np.pi)
    grad = np.cos(ang) * gx / cw + np.sin(ang) * gy / ch
    grad = (grad - grad.min()) / (np.ptp(grad) + 1e-6)
    light = 1 - r.uniform(0.15, 0.35) * grad
    vign = ((gx / cw - 0.5) ** 2 + (gy / ch - 0.5) ** 2) * r.uniform(0.3, 0.7)
    light *= 1 - vign
    if "shadow" in effects:
        light *= _shadow(ch, cw, r)
    if "low_light" in effects:
        light *= r.uniform(0.55, 0.7)
    arr *= light[..., None]
    arr += r.normal(0, r.uniform(3, 6) * (2 if "low_light" in effects else 1), arr.shape)
    out = Image.fromarray(arr.clip(0, 255).astype(np.uint8))
    if "motion" in effects:
        out = _motion(out, r)
    blur = r.uniform(1.0, 1.6) if "blur" in effects else r.uniform(0.4, 0.9)
    out = out.filter(ImageFilter.GaussianBlur(float(blur)))
    return _jpeg(out, int(r.integers(72, 92)))


def screen(img: Image.Image, seed: int, effects: tuple[str, ...]) -> Image.Image:
    """A phone photo of the page shown on a monitor: bezel, moire, pixel grid, glare."""
    r = np.random.default_rng(seed)
    page = np.asarray(img.convert("RGB")).astype(np.float32)
    ph, pw = page.shape[:2]
    # A backlit screen: whites slightly blue, blacks lifted, and a faint pixel grid.
    page = 25 + page * (np.array([0.86, 0.9, 0.97]) * r.uniform(0.9, 1.0))
    gx = np.arange(pw)
    page[:, gx % 3 == 0, 0] *= 0.93
    page[:, gx % 3 == 1, 1] *= 0.95
    page[:, gx % 3 == 2, 2] *= 0.93
    yy, xx = np.mgrid[0:ph, 0:pw].astype(np.float32)
    f1, f2 = r.uniform(0.18, 0.3), r.uniform(0.18, 0.3)
    th = r.uniform(0.05, 0.2)
    moire = np.sin(f1 * (xx * np.cos(th) + yy * np.sin(th))) * np.sin(f2 * yy * 1.03)
    page *= (1 + r.uniform(0.04, 0.08) * moire)[..., None]
    bez = int(pw * 0.05)
    ch, cw = ph + 2 * bez, pw + 2 * bez
    canvas = np.ones((ch, cw, 3), np.float32) * 18 + r.normal(0, 3, (ch, cw, 3))
    canvas[bez : bez + ph, bez : bez + pw] = page
    m = int(cw * 0.06)
    room = np.ones((ch + 2 * m, cw + 2 * m, 3), np.float32) * np.array(
        r.choice([[70, 62, 55], [95, 95, 100]]), np.float32
    )
    room[m : m + ch, m : m + cw] = canvas
    H, W = room.shape[:2]
    pil = Image.fromarray(room.clip(0, 255).astype(np.uint8))
    k = cw * r.uniform(0.02, 0.06)
    corners = [(m, m), (m + cw, m), (m + cw, m + ch), (m, m + ch)]
    src = [
        (m + k, m + r.uniform(-8, 8)),
        (m + cw - k * 0.3, m + r.uniform(-8, 8)),
        (m + cw, m + ch),
        (m, m + ch),
    ]
    pil = pil.transform(
        (W, H),
        Image.Transform.PERSPECTIVE,
        _perspective(src, corners),
        Image.Resampling.BICUBIC,
        fillcolor=(60, 60, 60),
    )
    arr = np.asarray(pil).astype(np.float32)
    yy, xx = np.mgrid[0:H, 0:W].astype(np.float32)
    gy, gx2 = r.uniform(0.2, 0.8) * H, r.uniform(0.2, 0.8) * W
    glare = np.exp(-(((yy - gy) / (0.18 * H)) ** 2 + ((xx - gx2) / (0.25 * W)) ** 2))
    arr += r.uniform(25, 50) * glare[..., None]
    arr += r.normal(0, 4, arr.shape)
    out = Image.fromarray(arr.clip(0, 255).astype(np.uint8))
    if "motion" in effects:
        out = _motion(out, r)
    out = out.filter(ImageFilter.GaussianBlur(float(r.uniform(0.6, 1.2))))
    return _jpeg(out, int(r.integers(75, 90)))
