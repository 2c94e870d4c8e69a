"""What happens between the paper and the file: photocopiers, flatbed scanners, phone cameras.

Every operation keeps a 3×3 homography from the rendered document's pixels to the file's
pixels, so field boxes and part regions can be stated in file coordinates.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field

import cv2
import numpy as np
from PIL import Image

from .canvas import Rendered, noise_field


@dataclass
class Shot:
    image: np.ndarray  # RGB uint8
    H: np.ndarray  # rendered-document pixels -> file pixels
    degradations: list[str] = field(default_factory=list)
    expected: list[str] = field(default_factory=list)
    orientation: int = 0
    source: str = "scan"
    fmt: str = "jpg"
    quality: int = 92


def _T(dx: float, dy: float) -> np.ndarray:
    return np.array([[1, 0, dx], [0, 1, dy], [0, 0, 1]], np.float64)


def _S(sx: float, sy: float | None = None) -> np.ndarray:
    return np.array([[sx, 0, 0], [0, sy if sy is not None else sx, 0], [0, 0, 1]], np.float64)


def map_points(H: np.ndarray, pts) -> list[list[float]]:
    p = np.asarray(pts, np.float64).reshape(-1, 2)
    q = np.hstack([p, np.ones((len(p), 1))]) @ H.T
    q = q[:, :2] / q[:, 2:3]
    return [[round(float(x), 1), round(float(y), 1)] for x, y in q]


def rot90_matrix(k: int, w: int, h: int) -> np.ndarray:
    """Matrix of np.rot90(img, -k) (k quarter turns CLOCKWISE) for an image of size w×h."""
    k %= 4
    if k == 0:
        return np.eye(3)
    if k == 1:  # (x, y) -> (h - y, x)
        return np.array([[0, -1, h], [1, 0, 0], [0, 0, 1]], np.float64)
    if k == 2:
        return np.array([[-1, 0, w], [0, -1, h], [0, 0, 1]], np.float64)
    return np.array([[0, 1, 0], [-1, 0, w], [0, 0, 1]], np.float64)


def rotate_clockwise(arr: np.ndarray, k: int) -> np.ndarray:
    return np.ascontiguousarray(np.rot90(arr, -k % 4))


def resize(arr: np.ndarray, scale: float) -> tuple[np.ndarray, np.ndarray]:
    h, w = arr.shape[:2]
    nw, nh = max(1, int(round(w * scale))), max(1, int(round(h * scale)))
    interp = cv2.INTER_AREA if scale < 1 else cv2.INTER_CUBIC
    out = cv2.resize(arr, (nw, nh), interpolation=interp)
    return out, _S(nw / w, nh / h)


# --------------------------------------------------------------------------- photocopier

def photocopy(arr: np.ndarray, rng: random.Random, *, heavy: bool | None = None) -> np.ndarray:
    """Grey toner copy: crushed blacks, washed-out light greys, speckle, streaks, soft edges."""
    nrng = np.random.default_rng(rng.randrange(2**32))
    g = cv2.cvtColor(arr, cv2.COLOR_RGB2GRAY).astype(np.float32)
    h, w = g.shape
    heavy = rng.random() < 0.35 if heavy is None else heavy
    black = rng.uniform(20, 70)
    white = rng.uniform(165, 200) if heavy else rng.uniform(190, 228)
    gamma = rng.uniform(0.75, 1.35)
    t = np.clip((g - black) / (white - black), 0, 1) ** gamma
    paper = rng.uniform(232, 252)
    toner = rng.uniform(18, 70)
    out = toner + (paper - toner) * t
    # uneven toner: a broad mottle that is strongest where there is toner, faint on bare paper
    mottle = (noise_field(nrng, h, w, max(40, w // 6)) - 0.5) * rng.uniform(4, 16)
    out += mottle * (0.35 + 0.65 * (1 - t))
    out += nrng.normal(0, rng.uniform(2, 6), (h, w)).astype(np.float32)
    # speckle
    n = int(h * w * rng.uniform(1.5e-5, 1.5e-4) * (2 if heavy else 1))
    ys, xs = nrng.integers(0, h, n), nrng.integers(0, w, n)
    for y, x, r, v in zip(ys, xs, nrng.uniform(0.4, 1.8, n), nrng.uniform(20, 120, n)):
        cv2.circle(out, (int(x), int(y)), int(round(r)), float(v), -1)
    # streaks from a dirty drum
    for _ in range(rng.randint(0, 3)):
        x = rng.randrange(w)
        out[:, x:x + rng.randint(1, 3)] -= rng.uniform(8, 35)
    out = cv2.GaussianBlur(out, (0, 0), rng.uniform(0.35, 0.9))
    out = np.clip(out, 0, 255).astype(np.uint8)
    return np.repeat(out[..., None], 3, axis=2)


# --------------------------------------------------------------------------- backgrounds

def background(rng: random.Random, w: int, h: int) -> tuple[np.ndarray, str, bool]:
    """A desk/table surface at (h, w); returns (float32 RGB, name, is_dark)."""
    nrng = np.random.default_rng(rng.randrange(2**32))
    kind = rng.choices(["wood", "wood_dark", "desk_dark", "white_table", "fabric", "granite", "cloth"],
                       weights=[3, 2, 2, 3, 2, 2, 2])[0]
    sw, sh = max(8, w // 4), max(8, h // 4)
    if kind in ("wood", "wood_dark"):
        base = np.array(rng.choice([(176, 130, 86), (196, 160, 116), (150, 104, 66)]) if kind == "wood"
                        else rng.choice([(82, 54, 36), (64, 42, 30), (96, 64, 44)]), np.float32)
        streak = cv2.resize(nrng.random((sh, 6)).astype(np.float32), (sw, sh), interpolation=cv2.INTER_CUBIC)
        fine = cv2.resize(nrng.random((sh, 24)).astype(np.float32), (sw, sh), interpolation=cv2.INTER_LINEAR)
        g = 0.7 * streak + 0.3 * fine
        small = base * (0.78 + 0.4 * g[..., None])
        if rng.random() < 0.5:
            small = np.ascontiguousarray(np.transpose(small, (1, 0, 2)))
            small = cv2.resize(small, (sw, sh))
    elif kind == "desk_dark":
        v = rng.uniform(18, 52)
        base = np.array([v, v * rng.uniform(0.95, 1.05), v * rng.uniform(0.95, 1.15)], np.float32)
        small = base * (0.85 + 0.3 * noise_field(nrng, sh, sw, 30)[..., None])
    elif kind == "white_table":
        base = np.array(rng.choice([(226, 224, 218), (212, 214, 216), (236, 232, 224)]), np.float32)
        small = base * (0.94 + 0.08 * noise_field(nrng, sh, sw, 40)[..., None])
    elif kind == "fabric":
        base = np.array(rng.choice([(120, 130, 150), (170, 150, 130), (90, 110, 90), (150, 60, 60)]), np.float32)
        y, x = np.mgrid[0:sh, 0:sw].astype(np.float32)
        p = rng.uniform(2.5, 5)
        weave = 0.5 + 0.25 * np.sin(x * 2 * np.pi / p) * np.sin(y * 2 * np.pi / p)
        small = base * (0.8 + 0.35 * weave[..., None])
    elif kind == "granite":
        base = np.array(rng.choice([(140, 140, 138), (180, 176, 170), (96, 96, 100)]), np.float32)
        dots = nrng.random((sh, sw)).astype(np.float32)
        small = base * (0.75 + 0.5 * dots[..., None]) * (0.9 + 0.2 * noise_field(nrng, sh, sw, 20)[..., None])
    else:
        base = np.array(rng.choice([(40, 70, 120), (30, 100, 80), (200, 190, 170), (110, 40, 50)]), np.float32)
        small = base * (0.85 + 0.3 * noise_field(nrng, sh, sw, 25)[..., None])
    big = cv2.resize(np.clip(small, 0, 255).astype(np.float32), (w, h), interpolation=cv2.INTER_LINEAR)
    return big, kind, float(big.mean()) < 75


def _small(w: int, h: int, f: int = 8) -> tuple[int, int]:
    return max(4, w // f), max(4, h // f)


def _up(a: np.ndarray, w: int, h: int) -> np.ndarray:
    return cv2.resize(a, (w, h), interpolation=cv2.INTER_LINEAR)


def _light_field(rng: random.Random, w: int, h: int, strength: float) -> np.ndarray:
    sw, sh = _small(w, h)
    y, x = np.mgrid[0:sh, 0:sw].astype(np.float32)
    x /= sw
    y /= sh
    a, b = rng.uniform(-1, 1), rng.uniform(-1, 1)
    cx, cy = rng.uniform(0.2, 0.8), rng.uniform(0.2, 0.8)
    vign = (x - cx) ** 2 + (y - cy) ** 2
    f = 1 + strength * (a * (x - 0.5) + b * (y - 0.5)) - strength * 0.8 * vign
    return _up(f.astype(np.float32), w, h)


# --------------------------------------------------------------------------- modes

def _page_canvas(rendered: Rendered, rng: random.Random, dpi: float) -> tuple[np.ndarray, np.ndarray]:
    """The rendered page at the scanner's resolution (A4 pages) or the card on the glass."""
    arr = np.asarray(rendered.image.convert("RGB"))
    h, w = arr.shape[:2]
    if rendered.paper == "card":
        scale = dpi / 25.4 * 85.6 / w
        arr, S = resize(arr, scale)
        return arr, S
    if rendered.paper == "a4":
        scale = dpi / 25.4 * 210 / w
    else:
        scale = min(1.0, dpi / 200)
    arr, S = resize(arr, scale)
    return arr, S


def _composite_card(arr: np.ndarray, mask: np.ndarray | None, bg_value) -> np.ndarray:
    if mask is None:
        return arr
    m = (mask.astype(np.float32) / 255)[..., None]
    return (arr.astype(np.float32) * m + np.array(bg_value, np.float32) * (1 - m)).astype(np.uint8)


def _mask_array(rendered: Rendered, S: np.ndarray, size: tuple[int, int]) -> np.ndarray | None:
    if rendered.mask is None:
        return None
    return cv2.resize(np.asarray(rendered.mask), size, interpolation=cv2.INTER_AREA)


def clean(rendered: Rendered, rng: random.Random) -> Shot:
    if rendered.paper == "card":
        dpi = rng.choice([300, 300, 350, 400])
        arr, S = _page_canvas(rendered, rng, dpi)
        h, w = arr.shape[:2]
        m = _mask_array(rendered, S, (w, h))
        arr = _composite_card(arr, m, (255, 255, 255))
        pad = int(w * rng.uniform(0.0, 0.06))
        out = np.full((h + 2 * pad, w + 2 * pad, 3), 255, np.uint8)
        out[pad:pad + h, pad:pad + w] = arr
        return Shot(out, _T(pad, pad) @ S, fmt=rng.choice(["png", "jpg"]), quality=95)
    dpi = rng.choice([150, 200, 200]) if rendered.paper == "a4" else 200
    arr, S = _page_canvas(rendered, rng, dpi)
    return Shot(arr, S, fmt=rng.choice(["png", "jpg", "jpg"]), quality=rng.randint(93, 96))


def scan(rendered: Rendered, rng: random.Random) -> Shot:
    degr: list[str] = []
    nrng = np.random.default_rng(rng.randrange(2**32))
    if rendered.paper == "card":
        dpi = rng.choice([200, 300, 300, 400])
        arr, S = _page_canvas(rendered, rng, dpi)
        h, w = arr.shape[:2]
        lid_dark = rng.random() < 0.2
        lid = (rng.uniform(8, 30),) * 3 if lid_dark else (rng.uniform(232, 252),) * 3
        m = _mask_array(rendered, S, (w, h))
        padx, pady = int(w * rng.uniform(0.04, 0.3)), int(h * rng.uniform(0.04, 0.3))
        W, H = w + 2 * padx, h + 2 * pady
        angle = rng.uniform(-4, 4)
    else:
        dpi = rng.choice([150, 150, 180, 200, 200]) if rendered.paper == "a4" else 200
        arr, S = _page_canvas(rendered, rng, dpi)
        h, w = arr.shape[:2]
        lid_dark = False
        lid = (rng.uniform(236, 252),) * 3
        m = _mask_array(rendered, S, (w, h))
        padx = pady = 0
        W, H = w, h
        angle = rng.uniform(-2.0, 2.0)
    if m is None:
        m = np.full((h, w), 255, np.uint8)
    R = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    A = np.vstack([R, [0, 0, 1]])
    M = _T(padx, pady) @ A
    out = cv2.warpAffine(arr, M[:2], (W, H), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT,
                         borderValue=lid)
    mm = cv2.warpAffine(m, M[:2], (W, H), flags=cv2.INTER_LINEAR, borderValue=0).astype(np.float32)[..., None] / 255
    out = (out.astype(np.float32) * mm + np.array(lid, np.float32) * (1 - mm))
    if abs(angle) > 0.4:
        degr.append("skew")
    if lid_dark:
        degr.append("dark_background")
    if rng.random() < 0.6:
        side = rng.choice(["x", "y"])
        t = (np.arange(W, dtype=np.float32) / W)[None, :] if side == "x" else \
            (np.arange(H, dtype=np.float32) / H)[:, None]
        if rng.random() < 0.5:
            t = 1 - t
        out *= (1 - rng.uniform(0.04, 0.14) * t ** rng.uniform(1.5, 4))[..., None]
        degr.append("scanner_shading")
    out += nrng.normal(0, rng.uniform(1, 3.5), out.shape).astype(np.float32)
    out = np.clip(out, 0, 255).astype(np.uint8)
    q = rng.randint(76, 95)
    if q < 85:
        degr.append("jpeg")
    shot = Shot(out, M @ S, degr, fmt="jpg", quality=q)
    if rendered.paper != "card" and rng.random() < 0.06:  # page fed upside down
        _orient(shot, 2)
    return shot


def _orient(shot: Shot, k: int) -> None:
    h, w = shot.image.shape[:2]
    shot.H = rot90_matrix(k, w, h) @ shot.H
    shot.image = rotate_clockwise(shot.image, k)
    shot.orientation = (shot.orientation + 90 * k) % 360
    if k % 4:
        shot.degradations.append("rotated")


def photo(rendered: Rendered, rng: random.Random, *, strong: str | None = None) -> Shot:
    """A phone photo of the document lying on a surface."""
    nrng = np.random.default_rng(rng.randrange(2**32))
    degr: list[str] = []
    expected: list[str] = []
    src = np.asarray(rendered.image.convert("RGB"))
    sh, sw = src.shape[:2]
    doc_portrait = sh > sw
    if rendered.copy and rendered.paper == "a4":  # small copies on a whole page need the pixels
        size = rng.choices([(2000, 1500), (2304, 1728), (4032, 3024)], weights=[2, 3, 2])[0]
    else:
        size = rng.choices([(1600, 1200), (2000, 1500), (1920, 1440), (2304, 1728), (4032, 3024)],
                           weights=[5, 4, 2, 2, 1])[0]
    W, H = (size[1], size[0]) if doc_portrait else size
    card = rendered.paper == "card"
    fill = rng.uniform(0.5, 0.85) if card else rng.uniform(0.68, 0.93)
    scale = min(W * fill / sw, H * fill / sh)
    if card and rng.random() < 0.15:  # card photographed sideways in a portrait frame
        W, H = H, W
        scale = min(W * fill / sw, H * fill / sh)
    pre, S = resize(src, min(1.0, scale * 1.15))
    ph, pw = pre.shape[:2]
    mask = _mask_array(rendered, S, (pw, ph))
    if mask is None:
        mask = np.full((ph, pw), 255, np.uint8)
    # destination quad: centred rectangle, in-plane rotation, then perspective corner jitter
    dw, dh = sw * scale, sh * scale
    cx = W / 2 + rng.uniform(-0.08, 0.08) * W
    cy = H / 2 + rng.uniform(-0.08, 0.08) * H
    ang = math.radians(rng.uniform(-7, 7))
    rect = np.array([[-dw / 2, -dh / 2], [dw / 2, -dh / 2], [dw / 2, dh / 2], [-dw / 2, dh / 2]])
    rot = np.array([[math.cos(ang), -math.sin(ang)], [math.sin(ang), math.cos(ang)]])
    dst = rect @ rot.T
    tilt = rng.uniform(0, 0.1)  # up to ~10° of camera tilt
    axis = rng.choice(["top", "bottom", "left", "right"])
    k = tilt * (dw if axis in ("top", "bottom") else dh) / 2
    if axis == "top":
        dst[0, 0] += k; dst[1, 0] -= k
    elif axis == "bottom":
        dst[3, 0] += k; dst[2, 0] -= k
    elif axis == "left":
        dst[0, 1] += k; dst[3, 1] -= k
    else:
        dst[1, 1] += k; dst[2, 1] -= k
    dst += nrng.normal(0, 0.008 * min(dw, dh), dst.shape)
    dst += [cx, cy]
    # keep everything in the frame
    mx = 0.02 * W
    lo = dst.min(axis=0)
    hi = dst.max(axis=0)
    shift = np.array([max(0, mx - lo[0]) - max(0, hi[0] - (W - mx)), max(0, mx - lo[1]) - max(0, hi[1] - (H - mx))])
    dst += shift
    if tilt > 0.025:
        degr.append("perspective")
    srcq = np.array([[0, 0], [pw, 0], [pw, ph], [0, ph]], np.float32)
    M = cv2.getPerspectiveTransform(srcq, dst.astype(np.float32))
    bg, bg_kind, bg_dark = background(rng, W, H)
    if rendered.dark and rng.random() < 0.5:  # dark cards end up on dark desks
        bg, bg_kind, bg_dark = bg * rng.uniform(0.3, 0.5), "desk_dark", True
    if bg_dark:
        degr.append("dark_background")
    elif bg_kind in ("granite", "fabric", "wood"):
        degr.append("busy_background")
    doc = cv2.warpPerspective(pre, M, (W, H), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT)
    m = cv2.warpPerspective(mask, M, (W, H), flags=cv2.INTER_LINEAR, borderValue=0).astype(np.float32) / 255
    # contact shadow under the sheet/card
    off = rng.uniform(0.002, 0.008) * W
    sw_, sh_ = _small(W, H, 4)
    msmall = cv2.resize(m, (sw_, sh_), interpolation=cv2.INTER_AREA)
    sm = cv2.warpAffine(msmall, np.float32([[1, 0, off / 4], [0, 1, off / 4]]), (sw_, sh_))
    sm = _up(cv2.GaussianBlur(sm, (0, 0), (0.006 * W + 1) / 4), W, H)
    bg *= (1 - rng.uniform(0.25, 0.5) * sm)[..., None]
    out = doc.astype(np.float32) * m[..., None] + bg * (1 - m[..., None])
    del doc, bg, sm
    # lighting
    light_strength = rng.uniform(0.05, 0.35)
    out *= _light_field(rng, W, H, light_strength)[..., None]
    if light_strength > 0.2:
        degr.append("uneven_light")
    if rng.random() < 0.25 or strong == "shadow":
        sw_, sh_ = _small(W, H)
        sh_mask = np.zeros((sh_, sw_), np.float32)
        pts = np.array([[rng.uniform(-0.2, 0.5) * sw_, -0.1 * sh_], [rng.uniform(0.3, 1.2) * sw_, -0.1 * sh_],
                        [rng.uniform(0.2, 1.1) * sw_, rng.uniform(0.2, 0.6) * sh_],
                        [rng.uniform(-0.2, 0.4) * sw_, rng.uniform(0.2, 0.7) * sh_]], np.int32)
        if rng.random() < 0.5:
            pts[:, 1] = sh_ - pts[:, 1]
        cv2.fillPoly(sh_mask, [pts], 1.0)
        sh_mask = _up(cv2.GaussianBlur(sh_mask, (0, 0), 0.03 * sw_), W, H)
        out *= (1 - rng.uniform(0.2, 0.45) * sh_mask)[..., None]
        degr.append("shadow")
    cast = np.array([rng.uniform(0.94, 1.06), 1.0, rng.uniform(0.92, 1.06)], np.float32)
    if np.abs(cast - 1).max() > 0.05:
        degr.append("colour_cast")
    out *= cast
    # glare: a specular blob
    glare_strength = 0.0
    if strong == "glare" or (rng.random() < (0.35 if card else 0.12)):
        glare_strength = rng.uniform(0.75, 0.95) if strong == "glare" else rng.uniform(0.15, 0.5)
        c = dst[rng.randrange(4)] * 0.4 + dst.mean(axis=0) * 0.6
        sw_, sh_ = _small(W, H)
        y, x = np.mgrid[0:sh_, 0:sw_].astype(np.float32)
        x *= W / sw_
        y *= H / sh_
        rx = rng.uniform(0.08, 0.2) * W * (1.6 if strong == "glare" else 1)
        ry = rx * rng.uniform(0.4, 1.0)
        blob = _up(np.exp(-(((x - c[0]) / rx) ** 2 + ((y - c[1]) / ry) ** 2)).astype(np.float32), W, H)
        blob *= m  # only the glossy document reflects
        out = out + (255 * 1.15 - out) * (glare_strength * blob)[..., None]
        degr.append("glare")
        if strong == "glare":
            expected.append("glare")
    # exposure
    if strong == "too_dark":
        out *= rng.uniform(0.12, 0.2)
        degr.append("low_light")
        expected.append("too_dark")
    elif rng.random() < 0.15 and not bg_dark and not rendered.dark:
        out *= rng.uniform(0.6, 0.8)
        degr.append("low_light")
    noise_sigma = rng.uniform(1.5, 4.5) * (2.2 if "low_light" in degr else 1)
    out += nrng.normal(0, noise_sigma, (H, W, 1)).astype(np.float32)
    if noise_sigma > 5:
        degr.append("noise")
    out = np.clip(out, 0, 255).astype(np.uint8)
    # focus / shake
    if strong == "blur":
        sigma = rng.uniform(3.5, 6.0) * W / 2000
        out = cv2.GaussianBlur(out, (0, 0), sigma)
        degr.append("blur")
        expected.append("blur")
    else:
        r = rng.random()
        if r < 0.12:
            L = rng.randint(5, 11)
            kern = np.zeros((L, L), np.float32)
            kern[L // 2, :] = 1 / L
            kern = cv2.warpAffine(kern, cv2.getRotationMatrix2D((L / 2, L / 2), rng.uniform(0, 180), 1), (L, L))
            kern /= max(1e-6, kern.sum())
            out = cv2.filter2D(out, -1, kern)
            degr.append("motion_blur")
        elif r < 0.45:
            sigma = rng.uniform(0.5, 1.5) * W / 2000
            out = cv2.GaussianBlur(out, (0, 0), sigma)
            if sigma > 0.9:
                degr.append("blur")
    q = rng.randint(70, 92)
    degr.append("jpeg")
    shot = Shot(out, M @ S, degr, expected, source="photo", fmt="jpg", quality=q)
    r = rng.random()
    k = 0 if r < 0.72 else 1 if r < 0.84 else 3 if r < 0.94 else 2
    if k:
        _orient(shot, k)
    return shot


def finish(rendered: Rendered, rng: random.Random, mode: str, *, strong: str | None = None) -> Shot:
    if mode == "clean":
        shot = clean(rendered, rng)
    elif mode == "scan":
        shot = scan(rendered, rng)
    elif mode == "photo":
        shot = photo(rendered, rng, strong=strong)
    else:
        raise ValueError(mode)
    if rendered.copy:
        shot.source = "copy"
        shot.degradations = ["photocopy"] + [d for d in shot.degradations if d != "photocopy"]
        if "photocopy" not in shot.expected:
            shot.expected = ["photocopy"] + shot.expected
    return shot


def to_pil(arr: np.ndarray) -> Image.Image:
    return Image.fromarray(arr)
