"""Turn a clean render into a mobile-phone photo (or a flat scan), with labelled
degradations whose strength decides which CONTRACT quality code they should trigger.

``make_photo(image, truth, rng, degradations=None) -> (bgr, truth)``

``degradations``: None → 0-2 random ones at random strength; otherwise a list of names
(``"glare"``, strength "strong") or ``"name:mild"`` / ``"name:strong"`` strings, or a
dict ``{name: "mild"|"strong"}``.  See samples/README.md for the strength ranges.
"""

from __future__ import annotations

import copy
import math
import random

import cv2
import numpy as np

__all__ = ["make_photo", "make_scan", "DEGRADATIONS", "QUALITY_CODE", "map_points", "parse_degradations"]

# degradation → CONTRACT quality code it triggers at "strong" strength (None: none)
QUALITY_CODE: dict[str, str | None] = {
    "defocus_blur": "blur",
    "motion_blur": "blur",
    "glare": "glare",
    "low_light": "too_dark",
    "overexposure": "overexposed",
    "low_resolution": "low_resolution",
    "cropped": "document_cropped",
    "finger": "occluded",
    "photocopy": "photocopy",
    "screen_recapture": "screen_recapture",
    "shadow": None,
    "jpeg": None,
}
DEGRADATIONS = tuple(QUALITY_CODE)
# degradations that are a property of the source, not a matter of degree: always trigger
_BINARY = {"photocopy", "screen_recapture"}
_EXCLUSIVE = ({"low_light", "overexposure"}, {"defocus_blur", "motion_blur"},
              {"photocopy", "screen_recapture"})
_RANDOM_WEIGHTS = {"defocus_blur": 2, "motion_blur": 1.5, "glare": 2, "shadow": 1.5, "low_light": 1.5,
                   "overexposure": 1, "jpeg": 1, "low_resolution": 1.2, "cropped": 1.5, "finger": 1.5,
                   "photocopy": 1, "screen_recapture": 1}


def parse_degradations(spec, rng: random.Random) -> dict[str, str]:
    if spec is None:
        out: dict[str, str] = {}
        k = rng.choice((0, 1, 1, 2, 2))
        names = list(_RANDOM_WEIGHTS)
        while len(out) < k:
            n = rng.choices(names, [_RANDOM_WEIGHTS[x] for x in names])[0]
            if n in out or any(n in g and out.keys() & (g - {n}) for g in _EXCLUSIVE):
                continue
            out[n] = "strong" if (n in _BINARY or rng.random() < 0.6) else "mild"
        return out
    if isinstance(spec, dict):
        items = list(spec.items())
    else:
        items = []
        for s in spec:
            name, _, st = str(s).partition(":")
            items.append((name, st or "strong"))
    out = {}
    for name, st in items:
        if name not in QUALITY_CODE:
            raise ValueError(f"unknown degradation {name!r}; known: {', '.join(DEGRADATIONS)}")
        if st not in ("mild", "strong"):
            raise ValueError(f"strength must be mild or strong, not {st!r}")
        out[name] = "strong" if name in _BINARY else st
    return out


# ------------------------------------------------------------------ geometry

def map_points(pts, H) -> list[list[float]]:
    a = np.asarray(pts, np.float64).reshape(-1, 1, 2)
    m = cv2.perspectiveTransform(a, np.asarray(H, np.float64)).reshape(-1, 2)
    return [[round(float(x), 1), round(float(y), 1)] for x, y in m]


def _map_truth(t: dict, H) -> None:
    if "boxes" in t:
        t["boxes"] = {k: map_points(v, H) for k, v in t["boxes"].items()}
    if "region" in t:
        t["region"] = map_points(t["region"], H)
    for p in t.get("parts", []):
        _map_truth(p, H)


def _poly_area(q) -> float:
    return abs(cv2.contourArea(np.asarray(q, np.float32)))


def _inside_fraction(q, w: int, h: int) -> float:
    frame = np.array([[0, 0], [w, 0], [w, h], [0, h]], np.float32)
    area, _ = cv2.intersectConvexConvex(np.asarray(q, np.float32), frame)
    return float(area) / max(1e-6, _poly_area(q))


# ------------------------------------------------------------------ backgrounds

def _smooth_noise(nrng, h, w, cell, ch=1):
    small = nrng.normal(0, 1, (h // cell + 2, w // cell + 2, ch)).astype(np.float32)
    big = cv2.resize(small, (w + cell, h + cell), interpolation=cv2.INTER_CUBIC)
    big = big.reshape(h + cell, w + cell, ch)
    return big[:h, :w]


def background(h: int, w: int, rng: random.Random, kind: str | None = None) -> np.ndarray:
    nrng = np.random.default_rng(rng.randrange(2 ** 32))
    kind = kind or rng.choice(("wood", "desk", "cloth", "stone", "desk"))

    def muted() -> np.ndarray:  # desk / cloth colours: greys, beiges, browns, muted tints
        g = rng.randint(50, 225)
        tint = np.array([rng.uniform(-1, 1) for _ in range(3)], np.float32) * rng.uniform(5, 35)
        return np.clip(g + tint, 20, 240).astype(np.float32)

    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    if kind == "wood":
        base = np.array(rng.choice(([40, 80, 140], [60, 105, 160], [30, 55, 95], [90, 140, 190])), np.float32)
        warp = _smooth_noise(nrng, h, w, 60)[..., 0] * 25
        ang = rng.uniform(-0.3, 0.3)
        coord = (xx * math.sin(ang) + yy * math.cos(ang)) + warp
        grain = np.sin(coord / rng.uniform(5, 12)) * 0.5 + np.sin(coord / rng.uniform(23, 40)) * 0.5
        img = base[None, None, :] * (1 + 0.18 * grain[..., None]) + nrng.normal(0, 3, (h, w, 1))
    elif kind == "cloth":
        base = muted()
        weave = (np.sin(xx * rng.uniform(0.8, 1.4)) * np.sin(yy * rng.uniform(0.8, 1.4)))
        img = base[None, None, :] * (1 + 0.08 * weave[..., None] + 0.06 * _smooth_noise(nrng, h, w, 80))
        img += nrng.normal(0, 4, (h, w, 1))
    elif kind == "stone":
        base = np.array([rng.randint(120, 200)] * 3, np.float32) + np.array([rng.randint(-10, 10) for _ in range(3)])
        img = base[None, None, :] * (1 + 0.08 * _smooth_noise(nrng, h, w, 20) + 0.05 * _smooth_noise(nrng, h, w, 4))
    else:  # desk: flat laminate with slow light falloff
        base = muted()
        img = base[None, None, :] * (1 + 0.05 * _smooth_noise(nrng, h, w, 200)) + nrng.normal(0, 2.5, (h, w, 1))
    # vignette
    cx, cy = w * rng.uniform(0.3, 0.7), h * rng.uniform(0.3, 0.7)
    r = np.sqrt(((xx - cx) / w) ** 2 + ((yy - cy) / h) ** 2)
    img *= (1 - 0.35 * r ** 2)[..., None]
    return np.clip(img, 0, 255).astype(np.uint8)


# ------------------------------------------------------------------ pre-warp effects

def photocopy(doc: np.ndarray, rng: random.Random) -> np.ndarray:
    nrng = np.random.default_rng(rng.randrange(2 ** 32))
    g = cv2.cvtColor(doc, cv2.COLOR_BGR2GRAY).astype(np.float32)
    # toner: strong contrast, grey paper
    g = (g - 128) * rng.uniform(1.4, 1.9) + 128 + rng.uniform(-5, 15)
    g = np.clip(g, rng.uniform(10, 40), rng.uniform(205, 235))
    h, w = g.shape
    # uneven toner + speckle
    g += _smooth_noise(nrng, h, w, 160)[..., 0] * 3.5
    sp = nrng.random((h, w))
    g[sp < 0.0025] = rng.uniform(20, 60)
    g[sp > 0.9985] = 250
    g = cv2.GaussianBlur(g, (0, 0), 0.6)
    out = np.clip(g, 0, 255).astype(np.uint8)
    return cv2.cvtColor(out, cv2.COLOR_GRAY2BGR)


# ------------------------------------------------------------------ post-warp effects

def _soft_blur(m: np.ndarray, sigma: float) -> np.ndarray:
    """Gaussian blur; large sigmas are done at reduced resolution (same look, much faster)."""
    if sigma <= 0:
        return m
    if sigma < 6:
        return cv2.GaussianBlur(m, (0, 0), sigma)
    h, w = m.shape[:2]
    f = 4
    small = cv2.resize(m, (max(1, w // f), max(1, h // f)), interpolation=cv2.INTER_AREA)
    small = cv2.GaussianBlur(small, (0, 0), sigma / f)
    out = cv2.resize(small, (w, h), interpolation=cv2.INTER_LINEAR)
    return out.reshape(m.shape)


def _ellipse_mask(h, w, cx, cy, ax, ay, ang, blur):
    m = np.zeros((h, w), np.float32)
    cv2.ellipse(m, (int(cx), int(cy)), (max(1, int(ax)), max(1, int(ay))), ang, 0, 360, 1.0, -1)
    return _soft_blur(m, blur)


def _apply_glare(img, quad, rng, strength, meas):
    h, w = img.shape[:2]
    q = np.asarray(quad, np.float32)
    doc_area = _poly_area(q)
    doc_mask = np.zeros((h, w), np.uint8)
    cv2.fillConvexPoly(doc_mask, q.astype(np.int32), 1)
    # a point inside the document
    a, b = rng.uniform(0.2, 0.8), rng.uniform(0.2, 0.8)
    top = q[0] + (q[1] - q[0]) * a
    bot = q[3] + (q[2] - q[3]) * a
    c = top + (bot - top) * b
    ang = rng.uniform(0, 180)
    f = img.astype(np.float32)
    if strength == "strong":
        target = rng.uniform(0.10, 0.22) * doc_area
        ratio = rng.uniform(1.3, 2.2)
        ay = math.sqrt(target / (math.pi * ratio))
        ax = ay * ratio
        core = _ellipse_mask(h, w, c[0], c[1], ax, ay, ang, blur=max(2, ay * 0.12))
        halo = _ellipse_mask(h, w, c[0], c[1], ax * 1.6, ay * 1.6, ang, blur=ay * 0.5)
        m = np.maximum(core, halo * 0.6)
        f = f + (300 - f) * m[..., None]
        f = np.where(core[..., None] > 0.5, 255, f)
    else:
        target = rng.uniform(0.01, 0.035) * doc_area
        ay = math.sqrt(target / (math.pi * 1.5))
        m = _ellipse_mask(h, w, c[0], c[1], ay * 1.5, ay, ang, blur=ay * 0.6)
        f = f + rng.uniform(25, 45) * m[..., None]
        f = np.minimum(f, 250)
    out = np.clip(f, 0, 255).astype(np.uint8)
    sat = (out.min(axis=2) >= 254) & (doc_mask > 0)
    meas["glare_saturated_fraction"] = round(float(sat.sum()) / max(1.0, doc_area), 4)
    return out


def _apply_shadow(img, rng, strength):
    h, w = img.shape[:2]
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    ang = rng.uniform(0, 2 * math.pi)
    d = (xx - w / 2) * math.cos(ang) + (yy - h / 2) * math.sin(ang)
    off = rng.uniform(-0.2, 0.2) * max(h, w)
    soft = rng.uniform(20, 120)
    t = 1 / (1 + np.exp(-(d - off) / soft))
    low = rng.uniform(0.55, 0.75) if strength == "mild" else rng.uniform(0.45, 0.6)
    mult = low + (1 - low) * t
    return np.clip(img.astype(np.float32) * mult[..., None], 0, 255).astype(np.uint8)


def _finger_mask(h, w, tip, fw, rng):
    dists = {"l": tip[0], "r": w - tip[0], "t": tip[1], "b": h - tip[1]}
    side = min(dists, key=dists.get)
    j = rng.uniform(-1, 1) * fw
    start = {"l": (-fw, tip[1] + j), "r": (w + fw, tip[1] + j), "t": (tip[0] + j, -fw), "b": (tip[0] + j, h + fw)}[side]
    m = np.zeros((h, w), np.float32)
    cv2.line(m, (int(start[0]), int(start[1])), (int(tip[0]), int(tip[1])), 1.0, max(1, int(fw)))
    cv2.circle(m, (int(tip[0]), int(tip[1])), max(1, int(fw / 2)), 1.0, -1)
    return _soft_blur(m, max(0.5, fw * 0.06))


def _box_cover(m, boxes, h, w):
    occ = {}
    for k, b in boxes.items():
        bm = np.zeros((h, w), np.uint8)
        cv2.fillConvexPoly(bm, b.astype(np.int32), 1)
        area = bm.sum()
        if area:
            frac = float(((m > 0.5) & (bm > 0)).sum()) / float(area)
            if frac > 0.005:
                occ[k] = round(frac, 3)
    return occ


def _finger(img, quad, truth, rng, strength, meas):
    """A skin-coloured finger from the nearest frame edge: strong → over a field's value,
    mild → over a corner of the document without touching any field."""
    h, w = img.shape[:2]
    q = np.asarray(quad, np.float32)
    doc_w = float(np.linalg.norm(q[1] - q[0]))
    doc_h = float(np.linalg.norm(q[3] - q[0]))
    fw = max(doc_w, doc_h) * rng.uniform(0.15, 0.20)  # finger width
    boxes = {k: np.asarray(v, np.float32) for k, v in truth.get("boxes", {}).items()
             if k not in ("seal", "has_seal")}
    for i, p in enumerate(truth.get("parts", [])):
        boxes.update({f"parts[{i}].{k}": np.asarray(v, np.float32) for k, v in p.get("boxes", {}).items()})
    target_field = None
    if strength == "strong" and boxes:
        target_field = rng.choice(sorted(boxes))
        tip = boxes[target_field].mean(axis=0)
        m = _finger_mask(h, w, tip, fw, rng)
        occ = _box_cover(m, boxes, h, w)
    else:
        corners = list(range(4))
        rng.shuffle(corners)
        m, occ = None, {}
        for attempt in range(12):
            ci = corners[attempt % 4]
            f = fw * (0.75 ** (attempt // 4))
            inward = q.mean(axis=0) - q[ci]
            tip = q[ci] + inward / np.linalg.norm(inward) * f * 0.45
            m = _finger_mask(h, w, tip, f, rng)
            occ = _box_cover(m, boxes, h, w)
            if not occ:
                break
    skin = np.array([rng.randint(120, 170), rng.randint(150, 190), rng.randint(195, 235)], np.float32)  # BGR
    nrng = np.random.default_rng(rng.randrange(2 ** 32))
    shade = 0.85 + 0.15 * _soft_blur(m, fw * 0.3) + _smooth_noise(nrng, h, w, 30)[..., 0] * 0.03
    f = img.astype(np.float32)
    f = f * (1 - m[..., None]) + (skin[None, None, :] * shade[..., None]) * m[..., None]
    doc_mask = np.zeros((h, w), np.uint8)
    cv2.fillConvexPoly(doc_mask, q.astype(np.int32), 1)
    meas["occluded_doc_fraction"] = round(float(((m > 0.5) & (doc_mask > 0)).sum()) / max(1.0, _poly_area(q)), 4)
    meas["occluded_fields"] = occ
    if target_field:
        meas["occluded_target"] = target_field
    return np.clip(f, 0, 255).astype(np.uint8)


def _screen(img, rng):
    h, w = img.shape[:2]
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    f = img.astype(np.float32)
    # sub-pixel grid + moiré (beat of two near frequencies at an angle)
    period = rng.uniform(2.6, 3.4)
    a1, a2 = rng.uniform(-0.3, 0.3), rng.uniform(-0.3, 0.3) + rng.uniform(0.04, 0.1)
    p1 = np.sin(2 * math.pi * (xx * math.cos(a1) + yy * math.sin(a1)) / period)
    p2 = np.sin(2 * math.pi * (xx * math.cos(a2) + yy * math.sin(a2)) / (period * rng.uniform(1.02, 1.08)))
    moire = p1 * p2
    f = f * (0.82 + 0.16 * moire[..., None])
    sub = np.stack([np.sin(2 * math.pi * (xx + k) / 3.0) for k in (0, 1, 2)], axis=-1)
    f = f * (0.93 + 0.07 * sub)
    f = f * np.array([1.08, 1.0, 0.92], np.float32) + 8  # blue cast, raised blacks
    f = cv2.GaussianBlur(f, (0, 0), 0.7)
    return np.clip(f, 0, 255).astype(np.uint8)


def _motion_kernel(length: int, angle: float) -> np.ndarray:
    k = np.zeros((length, length), np.float32)
    c = (length - 1) / 2
    dx, dy = math.cos(math.radians(angle)), math.sin(math.radians(angle))
    cv2.line(k, (int(round(c - dx * c)), int(round(c - dy * c))), (int(round(c + dx * c)), int(round(c + dy * c))), 1.0, 1)
    return k / max(1e-6, k.sum())


def _text_height(truth: dict) -> float | None:
    """Median height (px, in the photo) of the field-value boxes: the text size."""
    hs = []

    def visit(t):
        for k, b in t.get("boxes", {}).items():
            if k in ("seal", "has_seal"):
                continue
            b = np.asarray(b, np.float32)
            # height across the text line: the shorter side of the box's local frame
            e1 = np.linalg.norm(b[1] - b[0])
            e2 = np.linalg.norm(b[3] - b[0])
            hs.append(min(e1, e2) if max(e1, e2) > 2.2 * min(e1, e2) else min(e1, e2))
        for p in t.get("parts", []):
            visit(p)
    visit(truth)
    return float(np.median(hs)) if hs else None


# ------------------------------------------------------------------ main entry

def make_photo(image: np.ndarray, truth: dict, rng: random.Random | int, degradations=None, *,
               orientation: int | None = None, skew: float | None = None, size: tuple[int, int] | None = None,
               background_kind: str | None = None, jpeg_quality: int | None = None):
    """Photograph a clean render: returns (BGR photo, truth with boxes mapped into the photo).

    Added truth keys: degradations, degradation_params, orientation, upright_rotation,
    document_quad, expected_quality, measured, jpeg_quality (see samples/README.md).
    """
    if isinstance(rng, int):
        rng = random.Random(rng)
    degs = parse_degradations(degradations, rng)
    truth = copy.deepcopy(truth)
    prior = {d: truth.get("degradation_params", {}).get(d, {"strength": "strong"})
             for d in truth.get("degradations", [])}  # e.g. a photocopied sheet
    prior_expected = list(truth.get("expected_quality", []))
    if "photocopy" in prior:
        degs.pop("photocopy", None)
        degs.pop("screen_recapture", None)
    truth.pop("_pages", None)
    meas: dict = {}
    params: dict = {k: {"strength": v} for k, v in degs.items()}
    doc = image.copy()
    dh, dw = doc.shape[:2]
    if "photocopy" in degs:
        doc = photocopy(doc, rng)
    # --- placement
    if orientation is None:
        orientation = rng.choice((0, 0, 0, 0, 90, 180, 270))
    if skew is None:
        skew = rng.uniform(-8, 8)
    rot_w, rot_h = (dw, dh) if orientation in (0, 180) else (dh, dw)
    if size is None:
        size = (1600, 1200) if rot_w >= rot_h else (1200, 1600)
    W, H = size
    fill = rng.uniform(0.62, 0.86) if max(dw, dh) < 1600 else rng.uniform(0.78, 0.92)  # A4: closer
    if "cropped" in degs and degs["cropped"] == "mild":
        fill = rng.uniform(0.80, 0.90)
    s = fill * min(W / rot_w, H / rot_h)
    ang = math.radians(orientation + skew)
    half = np.array([[-dw / 2, -dh / 2], [dw / 2, -dh / 2], [dw / 2, dh / 2], [-dw / 2, dh / 2]], np.float32) * s
    R = np.array([[math.cos(ang), -math.sin(ang)], [math.sin(ang), math.cos(ang)]], np.float32)
    rel = half @ R.T
    # perspective: one side further from the camera
    persp = rng.uniform(0.0, 0.08)
    side = rng.randrange(4)
    for i in (side, (side + 1) % 4):
        rel[i] *= 1 - persp
    rel += np.array([[rng.uniform(-1, 1), rng.uniform(-1, 1)] for _ in range(4)], np.float32) * 0.012 * s * max(dw, dh)
    span = rel.max(axis=0) - rel.min(axis=0)
    if span[0] > W * 0.97 or span[1] > H * 0.97:
        k = min(W * 0.95 / span[0], H * 0.95 / span[1])
        rel *= k
        span *= k
    lo = -rel.min(axis=0)
    free = np.array([W, H], np.float32) - span
    center = lo + np.array([rng.uniform(0.2, 0.8) * free[0], rng.uniform(0.2, 0.8) * free[1]], np.float32)
    if "cropped" in degs:
        if degs["cropped"] == "strong":
            want = rng.uniform(0.12, 0.30)
            direction = rng.choice(([1, 0], [-1, 0], [0, 1], [0, -1], [1, 1], [-1, 1]))
            dvec = np.array(direction, np.float32)
            lo_t, hi_t = 0.0, float(max(W, H))
            for _ in range(40):
                mid = (lo_t + hi_t) / 2
                qq = rel + center + dvec * mid
                out_frac = 1 - _inside_fraction(qq, W, H)
                if out_frac < want:
                    lo_t = mid
                else:
                    hi_t = mid
            center = center + dvec * lo_t
        else:  # mild: close to an edge but fully inside (≥ 1% margin)
            margin = 0.012 * min(W, H)
            center = np.array([lo[0] + margin + rng.choice((0, free[0] - 2 * margin)),
                               lo[1] + margin + rng.uniform(0, max(0, free[1] - 2 * margin))], np.float32)
    dst = (rel + center).astype(np.float32)
    if truth.get("kind") == "other" and truth.get("subtype") == "scene":
        # a scene is not a sheet lying on a desk: it fills the frame
        orientation, skew = 0, 0.0
        dst = np.array([[0, 0], [W, 0], [W, H], [0, H]], np.float32)
    src = np.array([[0, 0], [dw, 0], [dw, dh], [0, dh]], np.float32)
    Hm = cv2.getPerspectiveTransform(src, dst)
    # --- composite
    bg = background(H, W, rng, background_kind)
    if "screen_recapture" in degs:
        bg = (bg.astype(np.float32) * 0.25).astype(np.uint8)  # dark bezel around the screen
    warped = cv2.warpPerspective(doc, Hm, (W, H), flags=cv2.INTER_AREA if s < 1 else cv2.INTER_LINEAR,
                                 borderMode=cv2.BORDER_CONSTANT)
    mask = cv2.warpPerspective(np.full((dh, dw), 255, np.uint8), Hm, (W, H), flags=cv2.INTER_LINEAR)
    mf = mask.astype(np.float32)[..., None] / 255.0
    shadow = _soft_blur(mf[..., 0], 8 + 10 * rng.random())[..., None]
    shift = np.float32([[1, 0, rng.uniform(3, 12)], [0, 1, rng.uniform(3, 12)]])
    shadow = cv2.warpAffine(shadow, shift, (W, H))
    if shadow.ndim == 2:
        shadow = shadow[..., None]
    out = bg.astype(np.float32) * (1 - 0.45 * shadow)
    out = out * (1 - mf) + warped.astype(np.float32) * mf
    # camera: overall tone, illumination falloff
    out = out * rng.uniform(0.9, 1.02) + rng.uniform(-6, 6)
    yy, xx = np.mgrid[0:H, 0:W].astype(np.float32)
    gx, gy = rng.uniform(-1, 1), rng.uniform(-1, 1)
    out *= (1 + 0.06 * (gx * (xx / W - 0.5) + gy * (yy / H - 0.5)))[..., None]
    img = np.clip(out, 0, 255).astype(np.uint8)
    quad = dst.tolist()
    _map_truth(truth, Hm)
    if "finger" in degs:
        img = _finger(img, quad, truth, rng, degs["finger"], meas)
    if "shadow" in degs:
        img = _apply_shadow(img, rng, degs["shadow"])
    if "glare" in degs:
        img = _apply_glare(img, quad, rng, degs["glare"], meas)
    if "low_light" in degs:
        if degs["low_light"] == "strong":
            gain = rng.uniform(0.15, 0.28)
            params["low_light"]["gain"] = round(gain, 3)
        else:
            gain = rng.uniform(0.72, 0.82)
            params["low_light"]["gain"] = round(gain, 3)
        f = img.astype(np.float32) * gain
        nrng = np.random.default_rng(rng.randrange(2 ** 32))
        f += nrng.normal(0, 7 if degs["low_light"] == "strong" else 2.5, f.shape)
        img = np.clip(f, 0, 255).astype(np.uint8)
    if "overexposure" in degs:
        k = rng.uniform(0.2, 0.33) if degs["overexposure"] == "strong" else rng.uniform(0.85, 0.92)
        params["overexposure"]["contrast_kept"] = round(k, 3)
        f = 255 - (255 - img.astype(np.float32)) * k
        if degs["overexposure"] == "strong":
            f = f * rng.uniform(1.03, 1.1)
        img = np.clip(f, 0, 255).astype(np.uint8)
    if "screen_recapture" in degs:
        img = _screen(img, rng)
    if "defocus_blur" in degs:
        sigma = rng.uniform(3.0, 5.0) if degs["defocus_blur"] == "strong" else rng.uniform(0.4, 0.8)
        params["defocus_blur"]["sigma_px"] = round(sigma, 2)
        img = cv2.GaussianBlur(img, (0, 0), sigma)
    if "motion_blur" in degs:
        length = rng.randint(15, 30) if degs["motion_blur"] == "strong" else rng.randint(2, 4)
        angle = rng.uniform(0, 180)
        params["motion_blur"].update(length_px=length, angle_deg=round(angle, 1))
        img = cv2.filter2D(img, -1, _motion_kernel(length, angle))
    # sensor noise (always a little)
    nrng = np.random.default_rng(rng.randrange(2 ** 32))
    img = np.clip(img.astype(np.float32) + nrng.normal(0, rng.uniform(0.8, 1.8), img.shape), 0, 255).astype(np.uint8)
    th = _text_height(truth)
    if "low_resolution" in degs:
        target = rng.uniform(5.0, 8.0) if degs["low_resolution"] == "strong" else rng.uniform(14.0, 18.0)
        f = min(1.0, target / th) if th else 0.35
        nw, nh = max(64, int(round(W * f))), max(64, int(round(H * f)))
        img = cv2.resize(img, (nw, nh), interpolation=cv2.INTER_AREA)
        S = np.diag([nw / W, nh / H, 1.0])
        _map_truth(truth, S)
        quad = map_points(quad, S)
        params["low_resolution"]["scale"] = round(f, 4)
        th = _text_height(truth)
    h2, w2 = img.shape[:2]
    # --- truth
    q = dst if "low_resolution" not in degs else np.asarray(quad, np.float32)
    doc_mask = np.zeros((h2, w2), np.uint8)
    cv2.fillConvexPoly(doc_mask, np.asarray(q, np.float32).astype(np.int32), 1)
    luma = cv2.cvtColor(img, cv2.COLOR_BGR2GRAY)
    meas["doc_mean_luma"] = round(float(luma[doc_mask > 0].mean()) if doc_mask.any() else float(luma.mean()), 1)
    meas["outside_fraction"] = max(0.0, round(1 - _inside_fraction(q, w2, h2), 4))
    if th:
        meas["text_height_px"] = round(th, 1)
    outside = [k for k, b in truth.get("boxes", {}).items() if _inside_fraction(b, w2, h2) < 0.999]
    if outside:
        meas["fields_outside"] = outside
    expected = [c for c in prior_expected if c != "not_a_document"]
    for name, p in prior.items():
        params.setdefault(name, p)
    for name, st in degs.items():
        code = QUALITY_CODE[name]
        if code and st == "strong" and code not in expected:
            expected.append(code)
    if truth.get("kind") == "other" and truth.get("subtype") == "scene":
        expected = ["not_a_document"]  # nothing else is judged on a non-document
    jq = jpeg_quality or (rng.randint(12, 20) if degs.get("jpeg") == "strong" else
                          rng.randint(55, 70) if degs.get("jpeg") == "mild" else rng.randint(85, 92))
    if "jpeg" in degs:
        params["jpeg"]["quality"] = jq
    truth.update({
        "degradations": sorted(set(degs) | set(prior)),
        "degradation_params": params,
        "orientation": int(orientation),
        "upright_rotation": (360 - int(orientation)) % 360,
        "skew_deg": round(float(skew), 2),
        "document_quad": [[round(float(x), 1), round(float(y), 1)] for x, y in q],
        "expected_quality": sorted(set(expected)),
        "measured": meas,
        "jpeg_quality": jq,
        "source": "photo",
        "size": [w2, h2],
    })
    for part in truth.get("parts", []):  # a sheet's cards turn with the photo
        part["orientation"] = (int(part.get("orientation", 0)) + int(orientation)) % 360
        part["upright_rotation"] = (360 - part["orientation"]) % 360
    return img, truth


def make_scan(image: np.ndarray, truth: dict, rng: random.Random | int, *, grey: bool | None = None,
              tilt: float | None = None, jpeg_quality: int | None = None):
    """A clean flat scan: the page fills the image, tiny tilt, paper noise.  No quality code."""
    if isinstance(rng, int):
        rng = random.Random(rng)
    truth = copy.deepcopy(truth)
    truth.pop("_pages", None)
    h, w = image.shape[:2]
    tilt = rng.uniform(-0.8, 0.8) if tilt is None else tilt
    M = cv2.getRotationMatrix2D((w / 2, h / 2), -tilt, 1.0)
    img = cv2.warpAffine(image, M, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    Hm = np.vstack([M, [0, 0, 1]])
    _map_truth(truth, Hm)
    nrng = np.random.default_rng(rng.randrange(2 ** 32))
    img = np.clip(img.astype(np.float32) + nrng.normal(0, 1.5, img.shape), 0, 255).astype(np.uint8)
    if grey:
        img = cv2.cvtColor(cv2.cvtColor(img, cv2.COLOR_BGR2GRAY), cv2.COLOR_GRAY2BGR)
    quad = map_points([[0, 0], [w, 0], [w, h], [0, h]], Hm)
    truth.update({"degradations": [], "degradation_params": {}, "orientation": 0, "upright_rotation": 0,
                  "skew_deg": round(tilt, 2), "document_quad": quad,
                  "expected_quality": ["not_a_document"] if (truth.get("kind") == "other" and truth.get("subtype") == "scene") else [],
                  "measured": {"text_height_px": round(_text_height(truth) or 0, 1)},
                  "jpeg_quality": jpeg_quality or rng.randint(88, 94), "source": "scan", "size": [w, h]})
    return img, truth
