"""A photo of a screen (``screen_recapture``): the screen's pixel grid beats against the
camera's, leaving a fine periodic pattern (moiré) over the whole picture. Paper has no
such period at two to five pixels, so the spectrum of a recaptured photo carries sharp
peaks there that a photo of paper lacks.

The score is the strongest peak in that band of the 2-D spectrum over the band's median,
on a central crop of the photo at its own resolution (warping would smear the period).
JPEG's 8-pixel blocks put peaks at multiples of 1/8 cycle per pixel on the two axes;
those bins are left out.
"""

from __future__ import annotations

import cv2
import numpy as np

__all__ = ["screen_score"]

CROP = 512               # px: central square analysed
BAND = (0.2, 0.48)       # cycles per pixel: periods of ~2 to 5 px
JPEG_GUARD = 1           # bins around each JPEG block frequency left out


def screen_score(photo_bgr: np.ndarray) -> float:
    """Peak-to-median ratio of the spectrum in the moiré band (≈ 3–6 for paper).

    >>> rng = np.random.default_rng(0)
    >>> paper = np.clip(200 + rng.normal(0, 6, (600, 800)), 0, 255).astype(np.uint8)
    >>> paper = cv2.cvtColor(paper, cv2.COLOR_GRAY2BGR)
    >>> xx = np.arange(800)[None, :, None]
    >>> screen = np.clip(paper * (0.93 + 0.07 * np.sin(2 * np.pi * xx / 3.0)), 0, 255).astype(np.uint8)
    >>> screen_score(screen) > 3 * screen_score(paper)
    True
    """
    gray = cv2.cvtColor(photo_bgr, cv2.COLOR_BGR2GRAY) if photo_bgr.ndim == 3 else photo_bgr
    h, w = gray.shape
    n = min(CROP, h, w)
    if n < 64:
        return 0.0
    y0, x0 = (h - n) // 2, (w - n) // 2
    g = gray[y0:y0 + n, x0:x0 + n].astype(np.float32)
    g -= cv2.GaussianBlur(g, (0, 0), 3)  # keep the fine structure only
    win = np.outer(np.hanning(n), np.hanning(n)).astype(np.float32)
    spec = np.abs(np.fft.fftshift(np.fft.fft2(g * win)))
    f = np.fft.fftshift(np.fft.fftfreq(n))
    fy, fx = np.meshgrid(f, f, indexing="ij")
    r = np.hypot(fx, fy)
    band = (r >= BAND[0]) & (r <= BAND[1])
    step = 1.0 / n
    for k in range(1, 5):  # JPEG block frequencies k/8 on both axes
        for a, b in ((fx, fy), (fy, fx)):
            band &= ~((np.abs(np.abs(a) - k / 8) <= JPEG_GUARD * step) & (np.abs(b) <= JPEG_GUARD * step))
    vals = spec[band]
    med = float(np.median(vals)) if vals.size else 0.0
    return round(float(vals.max()) / med, 3) if med > 0 else 0.0
