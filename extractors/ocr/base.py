"""The one interface every OCR engine implements.

An engine is constructed once per process (model loading costs ~1 s and ~300 MB) and
then called per image. Parameters are fixed at construction: a worker that handles
many jobs must not mutate shared engine state between calls.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

import numpy as np

from extractors.types import OcrLine

__all__ = ["OcrEngine", "lines_from_arrays"]


@runtime_checkable
class OcrEngine(Protocol):
    name: str
    #: True when the engine reads text lines that are upside down or sideways correctly
    #: (it classifies each line crop), so the pipeline can rotate boxes instead of re-running.
    reads_rotated_lines: bool

    def __call__(self, image: np.ndarray) -> list[OcrLine]:
        """BGR uint8 image → text lines with confidence and a 4-point polygon (image pixels)."""
        ...


def lines_from_arrays(boxes, texts, scores, page: int = 1) -> list[OcrLine]:
    """Build ``OcrLine`` objects from an engine's parallel arrays, dropping empty texts."""
    out: list[OcrLine] = []
    if boxes is None or texts is None:
        return out
    for box, text, score in zip(boxes, texts, scores):
        text = str(text).strip()
        if not text:
            continue
        pts = np.asarray(box, dtype=float).reshape(-1, 2)
        if len(pts) != 4:  # polygons from some detectors: use their min-area rectangle
            import cv2

            pts = cv2.boxPoints(cv2.minAreaRect(pts.astype(np.float32)))
        out.append(OcrLine(text=text, confidence=float(score), box=pts.tolist(), page=page))
    return out
