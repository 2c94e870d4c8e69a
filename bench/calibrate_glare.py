"""Glare calibration: candidate highlight measures on every photo of a labelled set,
with precision and recall against the generator's ``glare`` labels.

Usage: python -m bench.calibrate_glare DIR  (a seed-7 set, not the evaluation set)
Writes bench/results/glare_calibration.json. No OCR runs.

Measures compared:
- ``clipped``: the pipeline's measure (``extractors.quality.glare_area``): blobs at ≥ 250
  and ≥ 12 levels above the paper;
- ``clipped_pN``: the same with the paper level at the N-th percentile, not the median;
- ``plateau@D``: blobs within 4 levels of the document's own brightest level, when that
  level is at least D above the paper (the median). A highlight is the brightest thing
  on the document whatever the exposure: clipped in daylight, ~200 in a dim room, ~215
  on a recaptured screen.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import cv2
import numpy as np

from bench.calibration_set import photos
from extractors.quality import _blob_share, glare_area

OUT = Path(__file__).resolve().parent / "results" / "glare_calibration.json"
DELTAS = (8, 12, 16, 20, 25)
AREAS = (0.006, 0.012, 0.02, 0.03)
PAPER_PCTS = (20, 30, 40)


def plateau_share(img: np.ndarray, delta: float) -> float:
    gray = cv2.cvtColor(img, cv2.COLOR_BGR2GRAY)
    sat = cv2.cvtColor(img, cv2.COLOR_BGR2HSV)[:, :, 1]
    white = float(np.percentile(gray, 99.7))
    paper = float(np.median(gray))
    if white < paper + delta:
        return 0.0
    return _blob_share((gray >= white - 4) & (sat < 40))


def clipped_share(img: np.ndarray, paper_pct: float) -> float:
    """The pipeline's clipped measure with the paper level taken at a lower percentile:
    a highlight over half a white page pulls the median up to its own level."""
    gray = cv2.cvtColor(img, cv2.COLOR_BGR2GRAY)
    sat = cv2.cvtColor(img, cv2.COLOR_BGR2HSV)[:, :, 1]
    paper = float(np.percentile(gray, paper_pct))
    return _blob_share((gray >= 250) & (gray.astype(np.int32) >= paper + 12) & (sat < 40))


def _pr(rows, key, area):
    tp = sum(1 for r in rows if r[key] >= area and r["glare"])
    fp = sum(1 for r in rows if r[key] >= area and not r["glare"])
    fn = sum(1 for r in rows if r[key] < area and r["glare"])
    return {"tp": tp, "fp": fp, "fn": fn, "precision": round(tp / (tp + fp), 3) if tp + fp else None,
            "recall": round(tp / (tp + fn), 3) if tp + fn else None}


def main(argv: list[str]) -> int:
    root = Path(argv[0])
    rows = []
    for p in photos(root, with_boxes=False):
        r = {"file": p.truth.get("file"), "glare": "glare" in p.truth.get("expected_quality", []),
             "degradations": p.truth.get("degradations"), "clipped": round(glare_area(p.rect.image), 4)}
        for d in DELTAS:
            r[f"plateau@{d}"] = round(plateau_share(p.rect.image, d), 4)
        for pct in PAPER_PCTS:
            r[f"clipped_p{pct}"] = round(clipped_share(p.rect.image, pct), 4)
        rows.append(r)
    keys = ["clipped"] + [f"clipped_p{p}" for p in PAPER_PCTS] + [f"plateau@{d}" for d in DELTAS]
    table = {key: {str(a): _pr(rows, key, a) for a in AREAS} for key in keys}
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps({"set": str(root), "photos": len(rows), "table": table, "rows": rows}, indent=1),
                   encoding="utf-8")
    for key, by_area in table.items():
        print(key, " ".join(f"{a}:{v['precision']}/{v['recall']}" for a, v in by_area.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
