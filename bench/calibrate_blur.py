"""Blur threshold calibration: the worst-direction sharpness of every photo in a labelled
set, split by whether the generator expects ``blur``.

Usage: python -m bench.calibrate_blur DIR  (e.g. a seed-7 set from ``python -m samples.generate``)
Writes bench/results/blur_calibration.json with the separating range of the measure.
No OCR runs: text boxes come from the detector alone, as in the pipeline's orientation step.
"""

from __future__ import annotations

import sys
from pathlib import Path

import cv2

from bench.calibration_set import photos, separation
from extractors.quality import sharpness
from extractors.types import OcrLine

OUT = Path(__file__).resolve().parent / "results" / "blur_calibration.json"


def measure(rect, boxes, to_photo: float) -> float:
    native = min(1.0, to_photo)
    gray = cv2.cvtColor(rect.image, cv2.COLOR_BGR2GRAY)
    if native < 0.98:
        gray = cv2.resize(gray, (int(gray.shape[1] * native), int(gray.shape[0] * native)), interpolation=cv2.INTER_AREA)
    lines = [OcrLine("", 1.0, (b * native).tolist()) for b in boxes]
    return sharpness(gray, lines)


def main(argv: list[str]) -> int:
    root = Path(argv[0])
    pos, neg = [], []
    for p in photos(root):
        value = round(measure(p.rect, p.boxes, p.to_photo), 4)
        (pos if "blur" in p.truth.get("expected_quality", []) else neg).append(value)
    separation(OUT, argv, "blur", pos, neg)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
