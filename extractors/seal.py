"""Red official-seal (公章) detection on a BGR page image.

A seal is a red ring (circle, or an ellipse for some company/finance seals) of plausible
size, usually with a star and text inside. Steps: HSV red mask → close gaps → external
contours → keep blobs whose convex hull is close to its fitted ellipse, whose size is a
plausible fraction of the page, and whose outer band is densely red (the ring). Red
headings and signatures fail the ellipse or ring tests.

>>> import numpy as np, cv2
>>> page = np.full((800, 600, 3), 255, np.uint8)
>>> detect_seal(page).present
False
>>> _ = cv2.circle(page, (400, 600), 80, (0, 0, 230), 6)
>>> r = detect_seal(page)
>>> r.present, r.confidence > 0.8
(True, True)
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np

from extractors.types import Box

__all__ = ["RingMeasure", "SealResult", "detect_ring", "detect_seal", "red_mask", "ring_measure", "seal_ink",
           "suppress_seals"]

MIN_DIAMETER = 0.04   # fraction of the shorter page side
MAX_DIAMETER = 0.60   # fraction of the shorter page side
MIN_ABS_DIAMETER = 24  # pixels
MAX_AXIS_RATIO = 1.8   # long/short axis of the fitted ellipse
PRESENT_SCORE = 0.5    # score in [0, 1] above which a seal is reported
SUPPRESS_SCORE = 0.4   # red blobs this seal-like are faded before OCR (a miss costs text)
SUPPRESS_PAPER_LEVEL = 200  # after stretching, brighter than this inside a seal is paper


@dataclass(frozen=True)
class SealResult:
    """``present``: a seal was found; ``confidence``: how sure that verdict (either way)
    is, in [0, 1]; ``box``: the seal's (or best candidate's) pixel box."""

    present: bool
    confidence: float
    box: Box | None = None


def red_mask(image_bgr: np.ndarray) -> np.ndarray:
    """Pixels that are saturated red (both ends of the hue circle)."""
    hsv = cv2.cvtColor(image_bgr, cv2.COLOR_BGR2HSV)
    lo = cv2.inRange(hsv, (0, 70, 60), (12, 255, 255))
    hi = cv2.inRange(hsv, (160, 70, 60), (180, 255, 255))
    return cv2.bitwise_or(lo, hi)


def _score(mask: np.ndarray, contour: np.ndarray, short_side: int) -> tuple[float, Box | None]:
    if len(contour) < 5:
        return 0.0, None
    hull = cv2.convexHull(contour)
    if len(hull) < 5:
        return 0.0, None
    (cx, cy), (w, h), angle = cv2.fitEllipse(hull)
    a, b = max(w, h), min(w, h)
    if b <= 0 or a / b > MAX_AXIS_RATIO:
        return 0.0, None
    if not (max(MIN_ABS_DIAMETER, MIN_DIAMETER * short_side) <= a <= MAX_DIAMETER * short_side):
        return 0.0, None
    ellipse_area = math.pi * a * b / 4
    fit = cv2.contourArea(hull) / ellipse_area if ellipse_area else 0
    if not 0.85 <= fit <= 1.12:
        return 0.0, None
    # ring test: red density in the outer band vs the ellipse as a whole
    outer = np.zeros_like(mask)
    inner = np.zeros_like(mask)
    cv2.ellipse(outer, ((cx, cy), (w, h), angle), 255, -1)
    cv2.ellipse(inner, ((cx, cy), (w * 0.82, h * 0.82), angle), 255, -1)
    band = cv2.subtract(outer, inner)
    band_px = cv2.countNonZero(band)
    if band_px == 0:
        return 0.0, None
    band_red = cv2.countNonZero(cv2.bitwise_and(mask, band)) / band_px
    inside_red = cv2.countNonZero(cv2.bitwise_and(mask, inner)) / max(1, cv2.countNonZero(inner))
    ring = min(1.0, band_red / 0.35)
    roundness = 1.0 - min(1.0, abs(1.0 - fit) * 3)
    score = 0.55 * ring + 0.3 * roundness + 0.15 * min(1.0, (inside_red + band_red) / 0.1)
    x, y, bw, bh = cv2.boundingRect(hull)
    box = [[float(x), float(y)], [float(x + bw), float(y)], [float(x + bw), float(y + bh)],
           [float(x), float(y + bh)]]
    return round(min(1.0, score), 4), box


def _candidates(image_bgr: np.ndarray) -> list[tuple[float, Box | None, np.ndarray]]:
    """Every red blob scored as a seal: (score, box, contour)."""
    short = min(image_bgr.shape[:2])
    mask = red_mask(image_bgr)
    if cv2.countNonZero(mask) < 50:
        return []
    k = max(3, int(short * 0.01) | 1)
    closed = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k, k)))
    contours, _ = cv2.findContours(closed, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
    return [(*_score(closed, c, short), c) for c in contours]


#: seal ink runs from orange through red to magenta (OpenCV hue 0-180)
SEAL_HUES = ((0, 22), (140, 180))
SEAL_MIN_SATURATION = 60
SEAL_MIN_VALUE = 60
SEAL_BLOB_ASPECT = (0.4, 2.5)  # width/height of a seal's blob, partial seals at an edge included
SEAL_BLOB_FILL = 0.6  # a seal is a ring with letters: under this share of its box is ink


def seal_ink(image_bgr: np.ndarray | None) -> np.ndarray | None:
    """Where seal ink lies anywhere on the document (bool mask), or None when there is none.

    ``suppress_seals`` fades only the rings it can fit; this finds the ink of every
    seal-shaped blob by colour alone — a faded, thin, partial or magenta seal too — so
    that a value read through one can be flagged. A blob is seal-shaped when it is
    neither a line of red print (too elongated) nor a filled red area such as a photo's
    background (too dense), and is of a seal's size.

    >>> page = np.full((600, 800, 3), 250, np.uint8)
    >>> _ = cv2.putText(page, "TITLE", (200, 80), cv2.FONT_HERSHEY_SIMPLEX, 2, (0, 0, 220), 5)
    >>> seal_ink(page) is None                      # a red heading is print, not a seal
    True
    >>> _ = cv2.circle(page, (600, 420), 90, (120, 40, 200), 5)   # a magenta seal
    >>> m = seal_ink(page); bool(m[420 - 90, 600]), bool(m[80, 300])
    (True, False)
    """
    if not _usable(image_bgr):
        return None
    hsv = cv2.cvtColor(image_bgr, cv2.COLOR_BGR2HSV)
    mask = np.zeros(image_bgr.shape[:2], np.uint8)
    for lo, hi in SEAL_HUES:
        mask |= cv2.inRange(hsv, (lo, SEAL_MIN_SATURATION, SEAL_MIN_VALUE), (hi, 255, 255))
    if cv2.countNonZero(mask) < 50:
        return None
    short = min(image_bgr.shape[:2])
    k = max(3, int(short * 0.015) | 1)
    closed = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k, k)))
    n, labels, stats, _ = cv2.connectedComponentsWithStats(closed)
    out = np.zeros(mask.shape, bool)
    for i in range(1, n):
        x, y, w, h, _area = stats[i]
        size = max(w, h)
        if not (MIN_DIAMETER * short <= size <= MAX_DIAMETER * short and size >= MIN_ABS_DIAMETER):
            continue
        if not SEAL_BLOB_ASPECT[0] <= w / max(h, 1) <= SEAL_BLOB_ASPECT[1]:
            continue
        ink = (labels[y:y + h, x:x + w] == i) & (mask[y:y + h, x:x + w] > 0)
        if ink.mean() >= SEAL_BLOB_FILL:
            continue
        out[y:y + h, x:x + w] |= ink
    return out if out.any() else None


def _usable(image_bgr) -> bool:
    return (image_bgr is not None and getattr(image_bgr, "ndim", 0) == 3 and image_bgr.shape[2] == 3
            and min(image_bgr.shape[:2]) >= 16)


def suppress_seals(image_bgr: np.ndarray) -> np.ndarray:
    """The image with every red seal faded to paper, for OCR.

    Seals are stamped across the very text a clerk needs (the issue date of an income
    proof, the date of a judgment: 骑年盖月), and the arc text of the seal itself reads as
    stray lines (民政局, 专用章) that leak into values. Inside each seal's ellipse every
    channel takes the red channel's value: red ink is bright there, so it turns white,
    while black or blue print stays dark. Outside the seals nothing changes, so red
    headings and bank logos keep their text. The original image is still what seal
    detection and quality measures see.

    >>> page = np.full((400, 400, 3), 255, np.uint8)
    >>> _ = cv2.putText(page, "2024", (140, 215), cv2.FONT_HERSHEY_SIMPLEX, 1.2, (0, 0, 0), 3)
    >>> _ = cv2.circle(page, (200, 200), 90, (0, 0, 230), 8)
    >>> out = suppress_seals(page)
    >>> int(out[200 - 90, 200, 2]) > 200 and int(out[200 - 90, 200, 1]) > 200   # ring → paper
    True
    >>> int((out[180:220, 140:260] < 80).sum()) > 100                           # text kept
    True
    """
    if not _usable(image_bgr):
        return image_bgr
    cands = _candidates(image_bgr)
    seals = [c for score, _, c in cands if score >= SUPPRESS_SCORE]
    if not seals:
        return image_bgr
    region = np.zeros(image_bgr.shape[:2], np.uint8)
    for c in seals:
        hull = cv2.convexHull(c)
        (cx, cy), (w, h), angle = cv2.fitEllipse(hull)
        cv2.ellipse(region, ((cx, cy), (w * 1.06 + 4, h * 1.06 + 4), angle), 255, -1)
    out = image_bgr.copy()
    sel = region > 0
    red = image_bgr[..., 2][sel].astype(np.float32)
    # what is left of the ink is a faint grey the detector still picks up (arc letters):
    # stretch so that the paper level, the brightest decile, becomes white
    paper = max(float(np.percentile(red, 90)), 1.0)
    red = np.clip(red * (255.0 / paper), 0, 255)
    red[red >= SUPPRESS_PAPER_LEVEL] = 255
    out[sel] = red.astype(np.uint8)[:, None]
    return out


def detect_seal(image_bgr: np.ndarray | None) -> SealResult:
    """Whether the page carries a red seal, how sure, and where (pixel box)."""
    if not _usable(image_bgr):
        return SealResult(False, 0.0, None)
    cands = _candidates(image_bgr)
    if not cands:
        return SealResult(False, 0.95, None)
    score, box, _ = max(cands, key=lambda t: t[0])
    if score >= PRESENT_SCORE:
        return SealResult(True, score, box)
    return SealResult(False, round(1.0 - score * 0.8, 4) if score else 0.9, box if score else None)


# --- a seal without red ink: the ring of a copied (grey) or faded seal --------------------
RING_MIN_DIAMETER = 0.12  # of the page's short side (a 38–45 mm seal on A4 is 0.18–0.21)
RING_MAX_DIAMETER = 0.32
RING_WORK_PX = 800        # the page's short side is reduced to this for the search
RING_MIN_COVER = 0.75     # share of the circumference inked (bench.calibrate_seal: pages without a seal ≤ 0.62)
RING_MIN_TEXT = 0.4       # share of the inner band's sectors holding ink (the arc text)
RING_INK_DROP = 25        # grey levels under the paper that count as ink
RING_MAX_OUTSIDE = 0.68   # share of a band just outside that may be inked: seals ≤ 0.44, screen stripes ≥ 0.91


def _ring_cover(g: np.ndarray, cx: float, cy: float, r: float, ink: float, lo: float, hi: float,
                n: int = 180) -> float:
    """Share of ``n`` directions from (cx, cy) along which some pixel between radii
    ``lo·r`` and ``hi·r`` is darker than ``ink`` (a pixel off the page is not)."""
    theta = np.linspace(0, 2 * np.pi, n, endpoint=False)
    radii = np.linspace(lo * r, hi * r, max(3, int((hi - lo) * r) + 1))
    xs = np.rint(cx + np.outer(np.cos(theta), radii)).astype(int)
    ys = np.rint(cy + np.outer(np.sin(theta), radii)).astype(int)
    h, w = g.shape
    inside = (xs >= 0) & (xs < w) & (ys >= 0) & (ys < h)
    vals = np.where(inside, g[np.clip(ys, 0, h - 1), np.clip(xs, 0, w - 1)], 255)
    return float((vals < ink).any(axis=1).mean())


def detect_ring(image_bgr: np.ndarray | None) -> SealResult:
    """A seal's ring found by shape alone, whatever its colour: a circle of seal size
    inked along nearly all its circumference, with text just inside it.

    A copied income proof carries its seal in grey and a faded one in pale ink: the red
    test cannot see either, yet "no seal" would be wrong. A ring says a seal is there,
    not that it is an original, so the caller flags it.

    >>> page = np.full((1400, 1000, 3), 235, np.uint8)
    >>> detect_ring(page).present
    False
    >>> _ = cv2.circle(page, (700, 1000), 100, (120, 120, 120), 5)
    >>> for a in range(180, 360, 12):   # arc text inside the ring
    ...     x, y = 700 + 75 * math.cos(math.radians(a)), 1000 + 75 * math.sin(math.radians(a))
    ...     _ = cv2.putText(page, "X", (int(x) - 6, int(y) + 6), cv2.FONT_HERSHEY_SIMPLEX, 0.5, (110, 110, 110), 2)
    >>> r = detect_ring(page)
    >>> r.present, r.box is not None
    (True, True)
    """
    m = ring_measure(image_bgr)
    if m is None or m.circle is None:
        return SealResult(False, 0.0 if m is None else 0.9, None)
    if m.cover < RING_MIN_COVER or m.text < RING_MIN_TEXT or m.outside > RING_MAX_OUTSIDE:
        return SealResult(False, round(1.0 - 0.5 * m.cover, 4), None)
    cx, cy, r = m.circle
    box = [[cx - r, cy - r], [cx + r, cy - r], [cx + r, cy + r], [cx - r, cy + r]]
    return SealResult(True, round(m.cover, 4), [[round(float(x), 1), round(float(y), 1)] for x, y in box])


@dataclass(frozen=True)
class RingMeasure:
    """The most completely inked seal-sized circle on a page: ``cover``, the share of its
    circumference inked; ``text``, of the band just inside (the arc text); ``outside``,
    of a band just outside; ``circle`` (cx, cy, r) in page pixels, None when no circle."""

    cover: float
    text: float
    outside: float
    circle: tuple[float, float, float] | None


def ring_measure(image_bgr: np.ndarray | None) -> RingMeasure | None:
    """What ``detect_ring`` decides on (None for an unusable image)."""
    if not _usable(image_bgr):
        return None
    gray = cv2.cvtColor(image_bgr, cv2.COLOR_BGR2GRAY)
    s = min(1.0, RING_WORK_PX / min(gray.shape))
    g = cv2.resize(gray, None, fx=s, fy=s, interpolation=cv2.INTER_AREA) if s < 1 else gray
    short = min(g.shape)
    rmin, rmax = int(RING_MIN_DIAMETER * short / 2), int(RING_MAX_DIAMETER * short / 2)
    circles = cv2.HoughCircles(cv2.GaussianBlur(g, (5, 5), 0), cv2.HOUGH_GRADIENT, dp=1.5, minDist=rmin,
                               param1=100, param2=25, minRadius=rmin, maxRadius=rmax)
    if circles is None:
        return RingMeasure(0.0, 0.0, 0.0, None)
    ink = float(np.percentile(g, 90)) - RING_INK_DROP
    best = RingMeasure(0.0, 0.0, 0.0, None)
    for cx, cy, r in circles[0][:30]:
        band = max(2.0, 0.04 * r) / r
        cover = _ring_cover(g, cx, cy, r, ink, 1 - band, 1 + band)
        if cover > best.cover:
            best = RingMeasure(cover, _ring_cover(g, cx, cy, r, ink, 0.55, 0.85, n=36),
                               _ring_cover(g, cx, cy, r, ink, 1.15, 1.3), (cx / s, cy / s, r / s))
    return best
