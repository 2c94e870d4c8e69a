"""Glare calibration: candidate highlight measures on every photo of a labelled set,
with precision and recall against the generator's ``glare`` labels.

Usage: python -m bench.calibrate_glare DIR [DIR ...] [--out FILE]  (seed-7 sets, not the evaluation set;
`make calibrate` passes the mixed, glare, cropped and finger sets)
Writes bench/results/glare_calibration.json. No OCR runs.

Measures compared:
- ``clipped``: the pipeline's measure (``extractors.quality.glare_area``): blobs at ≥ 250
  and ≥ 12 levels above the paper, or on bright paper the solid plateau below;
  ``pipeline_without_plateau`` is the same without the plateau;
- ``clipped_pN``: the same with the paper level at the N-th percentile, not the median
  (``glare_area(paper_pct=N)``);
- ``plateau@D``: blobs within 4 levels of the document's own brightest level, when that
  level is at least D above the paper (the median). A highlight is the brightest thing
  on the document whatever the exposure: clipped in daylight, ~200 in a dim room, ~215
  on a recaptured screen;
- ``bright_plateau@A``: on paper within ``GLARE_DELTA`` of clipping (243 ≤ median ≤ 250),
  where the clipped measure cannot fire, the solid clipped plateau share
  (``extractors.quality.clipped_plateau_share``) ≥ A. The rows hold ``paper`` and
  ``plateau`` so the gap in that band can be read off (it set ``GLARE_PLATEAU_MIN``).
  Scanned PDF pages (court judgments, no text layer) join this table as negatives: a
  scan's blank paper sits at the clipping edge, the case the plateau's rise is for.
"""

from __future__ import annotations

import sys
from pathlib import Path

import cv2
import numpy as np

from bench.calibration_set import confusion, photos, sets_and_out, write_report
from extractors import defaults as D
from extractors.load import load_bytes
from extractors.preprocess import find_document, rectify
from extractors.quality import _blob_share, clipped_plateau_share, glare_area

OUT = Path(__file__).resolve().parent / "results" / "glare_calibration.json"
DELTAS = (8, 12, 16, 20, 25)
AREAS = (0.006, 0.012, 0.02, 0.03)
PAPER_PCTS = (20, 30, 40)
PLATEAU_AREAS = (0.05, 0.1, 0.13, 0.2, 0.3)


def plateau_share(img: np.ndarray, delta: float) -> float:
    gray = cv2.cvtColor(img, cv2.COLOR_BGR2GRAY)
    sat = cv2.cvtColor(img, cv2.COLOR_BGR2HSV)[:, :, 1]
    white = float(np.percentile(gray, 99.7))
    paper = float(np.median(gray))
    if white < paper + delta:
        return 0.0
    return _blob_share((gray >= white - 4) & (sat < 40))


def scanned_pages(root: Path):
    """(name, flattened page) for each PDF page without a text layer, reduced and
    flattened as the pipeline does."""
    for pdf in sorted(root.glob("*.pdf")):
        for page in load_bytes(pdf.read_bytes()).pages:
            if page.image is None or page.text_lines:
                continue
            s = min(1.0, D.WORK_LONG_SIDE / max(page.image.shape[:2]))
            work = cv2.resize(page.image, None, fx=s, fy=s, interpolation=cv2.INTER_AREA)
            yield f"{pdf.name}#{page.number}", rectify(work, find_document(work)).image


def _plateau_row(img: np.ndarray) -> dict:
    gray = cv2.cvtColor(img, cv2.COLOR_BGR2GRAY)
    sat = cv2.cvtColor(img, cv2.COLOR_BGR2HSV)[:, :, 1]
    paper = float(np.median(gray))
    return {"paper": paper, "plateau": round(clipped_plateau_share(gray, sat, paper), 4),
            "bright_band": 255 - D.GLARE_DELTA <= paper <= D.GLARE_PAPER_CLIPPED}


def main(argv: list[str]) -> int:
    sets, out = sets_and_out(argv, OUT)
    rows = []
    for p in (p for root in sets for p in photos(Path(root), with_boxes=False)):
        r = {"file": p.truth.get("file"), "glare": "glare" in p.truth.get("expected_quality", []),
             "degradations": p.truth.get("degradations"), "clipped": round(glare_area(p.rect.image), 4),
             "clipped_alone": round(glare_area(p.rect.image, plateau=False), 4)}
        for d in DELTAS:
            r[f"plateau@{d}"] = round(plateau_share(p.rect.image, d), 4)
        r.update(_plateau_row(p.rect.image))
        for pct in PAPER_PCTS:
            r[f"clipped_p{pct}"] = round(glare_area(p.rect.image, paper_pct=pct), 4)
        rows.append(r)
    keys = ["clipped"] + [f"clipped_p{p}" for p in PAPER_PCTS] + [f"plateau@{d}" for d in DELTAS]
    table = {f"{key}@{a}": confusion(rows, lambda r, key=key, a=a: r[key] >= a, "glare") for key in keys for a in AREAS}
    scans = [{"file": name, "glare": False, "scan": True, **_plateau_row(img)}
             for root in sets for name, img in scanned_pages(Path(root))]
    band = [r for r in rows + scans if r["bright_band"]]
    table.update({f"bright_plateau@{a}": confusion(band, lambda r, a=a: r["plateau"] >= a, "glare") for a in PLATEAU_AREAS})
    table["pipeline"] = confusion(rows, lambda r: r["clipped"] >= D.GLARE_MIN_AREA, "glare")
    table["pipeline_without_plateau"] = confusion(rows, lambda r: r["clipped_alone"] >= D.GLARE_MIN_AREA, "glare")
    write_report(out, sets, table, rows + scans)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
