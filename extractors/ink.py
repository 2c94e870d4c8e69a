"""Coloured ink on top of a grey copy: measured apart from the copy, faded before OCR.

Copies handed in for policy servicing are grey, and then stamped by hand in red or blue
ink (复印无效, 仅供办理保全使用), often straight across a field. The ink is the only
colour on such a page. Two consequences:

- the photocopy test must look at the copy, not at the stamp: a red stamp alone would
  make a grey copy look like a colour original (``base_chroma``);
- OCR reads through the stamp once it is gone: on a grey page every channel carries the
  print, and coloured ink is bright in its own channel, so taking the brightest channel
  turns the ink into paper and leaves the print (``faded_overlay_ink``).

On a colour document nothing is faded: its coloured print is content (blue labels on an
ID card, a bank's red name), and only round seals are faded there (``extractors.seal``).
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from extractors import defaults
from extractors.seal import suppress_seals

__all__ = ["Chroma", "ink_mask", "base_chroma", "faded_overlay_ink", "ink_share_in", "prepare_for_ocr"]


def ink_mask(image_bgr: np.ndarray, grow: int = 3) -> np.ndarray:
    """Saturated coloured pixels, widened by ``grow`` px for their anti-aliased rim (uint8 0/1)."""
    return cv2.dilate(_saturated(image_bgr), np.ones((grow, grow), np.uint8))


def _saturated(image_bgr: np.ndarray) -> np.ndarray:
    hsv = cv2.cvtColor(image_bgr, cv2.COLOR_BGR2HSV)
    return ((hsv[:, :, 1] >= defaults.INK_MIN_SATURATION) & (hsv[:, :, 2] >= defaults.INK_MIN_VALUE)).astype(np.uint8)


@dataclass(frozen=True)
class Chroma:
    """The copy's own colour: Lab a/b ``spread`` (sqrt(var a + var b)) and 99th-percentile
    chroma ``p99`` over the page without overlay ink, and the share of the page in ink."""

    spread: float
    p99: float
    ink_share: float


def base_chroma(image_bgr: np.ndarray) -> Chroma:
    """The page's colour measured without overlay ink. When more than ``MAX_INK_SHARE`` of
    the page is coloured, that colour is the document's own and every pixel counts."""
    lab = cv2.cvtColor(cv2.GaussianBlur(image_bgr, (5, 5), 0), cv2.COLOR_BGR2LAB).astype(np.float32)
    a, b = lab[:, :, 1], lab[:, :, 2]
    ink = ink_mask(image_bgr, grow=defaults.CHROMA_RIM) > 0  # the faint tinted rim of ink is ink too
    share = float(ink.mean())
    if defaults.MIN_INK_SHARE <= share <= defaults.MAX_INK_SHARE:
        a, b = a[~ink], b[~ink]
    chroma = np.hypot(a - 128, b - 128)
    return Chroma(float(np.sqrt(a.var() + b.var())), float(np.percentile(chroma, 99)), share)


def faded_overlay_ink(image_bgr: np.ndarray, chroma: Chroma | None = None) -> tuple[np.ndarray, np.ndarray | None]:
    """``(image, where the ink was)``: the grey copy without the coloured ink on it, and
    the ink's mask (bool); any other image comes back unchanged with None.

    The mask matters as much as the image: a value the ink lay across may have lost
    strokes with it, so the fields there are flagged for review. ``chroma`` is the
    page's ``base_chroma`` when the caller has it already.

    >>> page = np.full((300, 400, 3), 245, np.uint8)
    >>> _ = cv2.putText(page, "ABC", (60, 170), cv2.FONT_HERSHEY_SIMPLEX, 3, (30, 30, 30), 6)
    >>> _ = cv2.rectangle(page, (40, 90), (360, 200), (40, 40, 210), 10)   # a red stamp frame
    >>> out, ink = faded_overlay_ink(page)
    >>> int(out[95, 200].min()) >= 240, int(out[140:160, 60:300].min()) < 80, bool(ink[95, 200])
    (True, True, True)
    >>> colour = np.full((300, 400, 3), (235, 200, 160), np.uint8)            # a tinted card
    >>> faded_overlay_ink(colour)[0] is colour
    True
    """
    if image_bgr is None or getattr(image_bgr, "ndim", 0) != 3 or min(image_bgr.shape[:2]) < 16:
        return image_bgr, None
    chroma = chroma or base_chroma(image_bgr)
    if not (defaults.MIN_INK_SHARE <= chroma.ink_share <= defaults.MAX_INK_SHARE) or chroma.spread > defaults.GREY_BASE_SPREAD:
        return image_bgr, None
    bright = image_bgr.max(axis=2)
    # the paper around each pixel (print closed over): a copy's paper is uneven, and ink
    # faded to one page-wide level left light ghost outlines across the characters
    paper = cv2.morphologyEx(bright, cv2.MORPH_CLOSE, np.ones((defaults.PAPER_CLOSE_PX, defaults.PAPER_CLOSE_PX), np.uint8))
    ink = ink_mask(image_bgr) > 0
    # ink as bright as paper in its own channel is ink on paper; where it is darker, it
    # lies over print, and the print is what remains
    faded = ink & (bright >= defaults.INK_ON_PAPER * paper.astype(np.float32))
    out = bright.copy()
    out[faded] = paper[faded]
    return cv2.cvtColor(out, cv2.COLOR_GRAY2BGR), ink


def ink_share_in(mask: np.ndarray | None, box) -> float:
    """Share of a (4-point) box's area that the ink covered."""
    if mask is None or not box:
        return 0.0
    xs, ys = [p[0] for p in box], [p[1] for p in box]
    h, w = mask.shape[:2]
    x0, x1 = max(0, int(min(xs))), min(w, int(np.ceil(max(xs))))
    y0, y1 = max(0, int(min(ys))), min(h, int(np.ceil(max(ys))))
    if x1 <= x0 or y1 <= y0:
        return 0.0
    return float(mask[y0:y1, x0:x1].mean())


def prepare_for_ocr(image_bgr: np.ndarray, chroma: Chroma | None = None) -> tuple[np.ndarray, np.ndarray | None]:
    """What the recogniser sees (seals faded, and on a grey copy all coloured ink), and
    where hand-stamp ink was taken away (see ``faded_overlay_ink``). ``chroma``: the
    page's ``base_chroma``, measured once and shared with the quality gate; it is
    measured again only when fading a seal changed the page."""
    unsealed = suppress_seals(image_bgr)
    return faded_overlay_ink(unsealed, chroma if unsealed is image_bgr else None)

