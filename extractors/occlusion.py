"""A finger (or hand) over the document's text: ``occluded``.

Agents hold cards while photographing them. A thumb on the card's margin is harmless; one
across the text hides a value. A finger is a smooth skin-coloured blob that enters the
document from its edge; we measure how much of such a blob lies inside the band of the
document that carries text (the bounding box of the detected text lines), as a share of
the document. Skin colour is taken in YCrCb, where it clusters tightly whatever the
lighting. Blobs that cover much of the document are its own colour (a pink bank card),
not a finger.
"""

from __future__ import annotations

import cv2
import numpy as np

from extractors import defaults

__all__ = ["skin_mask", "occlusion_share"]


def skin_mask(image_bgr: np.ndarray) -> np.ndarray:
    """Skin-coloured pixels, with specks removed (uint8 0/1)."""
    ycc = cv2.cvtColor(image_bgr, cv2.COLOR_BGR2YCrCb)
    y, cr, cb = ycc[:, :, 0], ycc[:, :, 1], ycc[:, :, 2]
    (cr0, cr1), (cb0, cb1) = defaults.SKIN_CR_RANGE, defaults.SKIN_CB_RANGE
    m = ((cr >= cr0) & (cr <= cr1) & (cb >= cb0) & (cb <= cb1) & (y >= defaults.SKIN_MIN_Y)).astype(np.uint8)
    k = max(3, int(min(m.shape) * 0.01) | 1)
    return cv2.morphologyEx(m, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k, k)))


def _solidity(blob: np.ndarray) -> float:
    contours, _ = cv2.findContours(blob.astype(np.uint8), cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    if not contours:
        return 0.0
    hull = cv2.convexHull(np.concatenate(contours))
    hull_area = cv2.contourArea(hull)
    return float(blob.sum()) / hull_area if hull_area else 0.0


def occlusion_share(image_bgr: np.ndarray, text_boxes) -> float:
    """Share of the document covered by a finger-like blob inside its text band.

    >>> card = np.full((540, 856, 3), 235, np.uint8)
    >>> boxes = [np.array([[100, 100], [700, 100], [700, 130], [100, 130]]),
    ...          np.array([[100, 400], [700, 400], [700, 430], [100, 430]])]
    >>> occlusion_share(card, boxes)
    0.0
    >>> _ = cv2.line(card, (856, 300), (450, 260), (120, 150, 215), 110)   # a thumb from the right
    >>> occlusion_share(card, boxes) > 0.05
    True
    """
    h, w = image_bgr.shape[:2]
    boxes = [np.asarray(b, np.float32).reshape(-1, 2) for b in text_boxes]
    if not boxes:
        return 0.0
    pts = np.concatenate(boxes)
    x0, y0 = np.clip(pts.min(axis=0), 0, [w, h]).astype(int)
    x1, y1 = np.clip(pts.max(axis=0), 0, [w, h]).astype(int)
    if x1 <= x0 or y1 <= y0:
        return 0.0
    band = np.zeros((h, w), bool)
    band[y0:y1, x0:x1] = True
    edge = max(2, int(defaults.FINGER_EDGE_BAND * min(h, w)))
    rim = np.zeros((h, w), bool)
    rim[:edge], rim[-edge:], rim[:, :edge], rim[:, -edge:] = True, True, True, True
    n, labels, stats, _ = cv2.connectedComponentsWithStats(skin_mask(image_bgr))
    best = 0.0
    for i in range(1, n):
        if stats[i, cv2.CC_STAT_AREA] > defaults.MAX_BLOB_SHARE * h * w:
            continue
        blob = labels == i
        if not (blob & rim).any():
            continue  # skin-coloured print inside the document (a portrait), not a finger
        if (blob & rim).sum() > defaults.MAX_RIM_SHARE * rim.sum():
            continue  # along much of the edge: the document's own colour, not a finger entering
        if _solidity(blob) < defaults.MIN_SOLIDITY:
            continue  # a ring or a ragged patch of the card's own colour; a finger is solid
        best = max(best, float((blob & band).sum()) / (h * w))
    return round(best, 4)
