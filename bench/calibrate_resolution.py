"""Low-resolution threshold calibration: the median text-line height of every photo in a
labelled set, in the photo's own pixels, split by whether the generator expects
``low_resolution``.

Usage: python -m bench.calibrate_resolution DIR [DIR ...]  (seed-7 sets, not the evaluation set;
the mixed seed-7 set holds only a handful of low-resolution photos, so a second set made
with ``--degradations low_resolution`` supplies the positives)
Writes bench/results/resolution_calibration.json. Detector boxes only, as the pipeline's
measure uses the recogniser's line boxes, which are the detector's.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

from bench.calibration_set import photos, separation

OUT = Path(__file__).resolve().parent / "results" / "resolution_calibration.json"


def text_height(boxes, to_photo: float) -> float:
    heights = [min(np.ptp(b[:, 1]), np.ptp(b[:, 0])) for b in boxes]
    return float(np.median(heights) * to_photo) if heights else 0.0


def main(argv: list[str]) -> int:
    pos, neg = [], []
    for p in (p for root in argv for p in photos(Path(root))):
        if len(p.boxes) < 3:
            continue  # nothing legible to measure: not_a_document / blur territory
        value = round(text_height(p.boxes, p.to_photo), 1)
        (pos if "low_resolution" in p.truth.get("expected_quality", []) else neg).append(value)
    separation(OUT, argv, "low_resolution", pos, neg)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
