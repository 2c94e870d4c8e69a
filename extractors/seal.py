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

__all__ = ["SealResult", "detect_seal", "red_mask"]

MIN_DIAMETER = 0.04   # fraction of the shorter page side
MAX_DIAMETER = 0.60   # fraction of the shorter page side
MIN_ABS_DIAMETER = 24  # pixels
MAX_AXIS_RATIO = 1.8   # long/short axis of the fitted ellipse
PRESENT_SCORE = 0.5    # score in [0, 1] above which a seal is reported


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


def detect_seal(image_bgr: np.ndarray | None) -> SealResult:
    """Whether the page carries a red seal, how sure, and where (pixel box)."""
    if (image_bgr is None or getattr(image_bgr, "ndim", 0) != 3 or image_bgr.shape[2] != 3
            or min(image_bgr.shape[:2]) < 16):
        return SealResult(False, 0.0, None)
    h, w = image_bgr.shape[:2]
    short = min(h, w)
    mask = red_mask(image_bgr)
    if cv2.countNonZero(mask) < 50:
        return SealResult(False, 0.95, None)
    k = max(3, int(short * 0.01) | 1)
    closed = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k, k)))
    contours, _ = cv2.findContours(closed, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
    best = (0.0, None)
    for c in contours:
        s = _score(closed, c, short)
        if s[0] > best[0]:
            best = s
    score, box = best
    if score >= PRESENT_SCORE:
        return SealResult(True, score, box)
    return SealResult(False, round(1.0 - score * 0.8, 4) if score else 0.9, box if score else None)
