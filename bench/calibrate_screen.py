"""Screen-recapture calibration: the moiré score (``extractors.screen``) of every photo in
labelled sets, split by whether the generator expects ``screen_recapture``.

Usage: python -m bench.calibrate_screen DIR [DIR ...] [--out FILE]  (seed-7 sets, not the evaluation
set; one made with ``--degradations screen_recapture`` supplies the positives)
Writes bench/results/screen_calibration.json. No OCR runs.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import cv2

from bench.calibration_set import confusion, sets_and_out, write_report
from extractors.screen import screen_score

OUT = Path(__file__).resolve().parent / "results" / "screen_calibration.json"
THRESHOLDS = (100, 125, 150, 200, 250, 300, 400)


def main(argv: list[str]) -> int:
    sets, out = sets_and_out(argv, OUT)
    rows = []
    for root in sets:
        for tp in sorted(Path(root).glob("*.truth.json")):
            truth = json.loads(tp.read_text(encoding="utf-8"))
            img = cv2.imread(str(tp.with_name(tp.name.replace(".truth.json", ".jpg"))))
            if img is None:  # sheets count too: copied and scanned paper is the likeliest false alarm
                continue
            rows.append({"file": str(tp), "screen": "screen_recapture" in truth.get("expected_quality", []),
                         "degradations": truth.get("degradations"), "score": screen_score(img)})
    table = {str(t): confusion(rows, lambda r, t=t: r["score"] >= t, "screen") for t in THRESHOLDS}
    write_report(out, sets, table, rows)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
