"""Occlusion calibration: the finger-over-text measure (``extractors.occlusion``) on every
photo of labelled sets, split by whether the generator expects ``occluded`` (a finger
over a field; a finger on a corner is not).

Usage: python -m bench.calibrate_occlusion DIR [DIR ...] [--out FILE]  (seed-7 sets, not the
evaluation set; a set made with ``--degradations finger`` supplies the positives)
Writes bench/results/occlusion_calibration.json with precision/recall per threshold.
"""

from __future__ import annotations

import sys
from pathlib import Path

from bench.calibration_set import confusion, photos, sets_and_out, write_report
from extractors.occlusion import occlusion_share

OUT = Path(__file__).resolve().parent / "results" / "occlusion_calibration.json"
THRESHOLDS = (0.005, 0.01, 0.015, 0.02, 0.03, 0.04)


def main(argv: list[str]) -> int:
    sets, out = sets_and_out(argv, OUT)
    rows = []
    for root, p in ((root, p) for root in sets for p in photos(Path(root))):
        rows.append({"file": str(Path(root) / p.truth.get("file", "?")), "occluded": "occluded" in p.truth.get("expected_quality", []),
                     "finger": any(d.startswith("finger") for d in p.truth.get("degradations", [])),
                     "share": occlusion_share(p.rect.image, list(p.boxes))})
    table = {str(t): confusion(rows, lambda r, t=t: r["share"] >= t, "occluded") for t in THRESHOLDS}
    write_report(out, sets, table, rows)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
