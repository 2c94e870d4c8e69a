"""Seal calibration: the red-seal test and the ring test (a seal found by shape, whatever
its colour) on every photo of a labelled set, against the generator's ``has_seal``.

Usage: python -m bench.calibrate_seal DIR [DIR ...] [--out FILE]  (seed-7 sets, not the
evaluation set; `make calibrate` passes the mixed set and the copied income proofs)
Writes bench/results/seal_calibration.json. No OCR runs.

Only income proofs are measured: ``has_seal`` is theirs, and the ring test runs nowhere
else (on ID cards a portrait's head and on ID backs the national emblem are rings too).
"""

from __future__ import annotations

import sys
from pathlib import Path

from bench.calibration_set import confusion, photos, sets_and_out, write_report
from extractors.seal import detect_ring, detect_seal, ring_measure

OUT = Path(__file__).resolve().parent / "results" / "seal_calibration.json"


def _measure(img) -> dict:
    m = ring_measure(img)
    return {"cover": round(m.cover, 3), "text": round(m.text, 3), "outside": round(m.outside, 3)} if m else {}


def main(argv: list[str]) -> int:
    sets, out = sets_and_out(argv, OUT)
    rows = []
    for p in (p for root in sets for p in photos(Path(root), with_boxes=False, kinds=("income_proof",))):
        red = detect_seal(p.rect.image)
        ring = detect_ring(p.rect.image)
        rows.append({"file": p.truth.get("file"), "kind": p.truth["kind"],
                     "seal": p.truth["fields"].get("has_seal") == "true",
                     "degradations": p.truth.get("degradations"), "red": red.present,
                     "ring": ring.present, "ring_confidence": ring.confidence,
                     **_measure(p.rect.image)})
    table = {"red": confusion(rows, lambda r: r["red"], "seal"),
             "red_or_ring": confusion(rows, lambda r: r["red"] or r["ring"], "seal")}
    write_report(out, sets, table, rows)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
