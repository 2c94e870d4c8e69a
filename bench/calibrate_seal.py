"""Seal calibration: the red-seal test and the ring test (a seal found by shape, whatever
its colour) on every photo of a labelled set, against the generator's ``has_seal``.

Usage: python -m bench.calibrate_seal DIR [DIR ...] [--out FILE]  (seed-7 sets, not the
evaluation set; `make calibrate` passes the mixed set and the copied income proofs)
Writes bench/results/seal_calibration.json. No OCR runs.

Income proofs count towards the table (``has_seal`` is theirs); on every other kind the
rows say whether a ring was found, to show where the ring test would fire if it ran there.
"""

from __future__ import annotations

import sys
from pathlib import Path

from bench.calibration_set import confusion, photos, sets_and_out, write_report
from extractors.seal import detect_ring, detect_seal

OUT = Path(__file__).resolve().parent / "results" / "seal_calibration.json"


def main(argv: list[str]) -> int:
    sets, out = sets_and_out(argv, OUT)
    rows = []
    for p in (p for root in sets for p in photos(Path(root), with_boxes=False)):
        red = detect_seal(p.rect.image)
        ring = detect_ring(p.rect.image)
        rows.append({"file": p.truth.get("file"), "kind": p.truth["kind"],
                     "seal": p.truth["fields"].get("has_seal") == "true",
                     "degradations": p.truth.get("degradations"), "red": red.present,
                     "ring": ring.present, "ring_confidence": ring.confidence})
    proofs = [r for r in rows if r["kind"] == "income_proof"]
    table = {
        "red": confusion(proofs, lambda r: r["red"], "seal"),
        "red_or_ring": confusion(proofs, lambda r: r["red"] or r["ring"], "seal"),
        "ring_on_other_kinds": {"photos": sum(r["kind"] != "income_proof" for r in rows),
                                "rings": sum(r["ring"] for r in rows if r["kind"] != "income_proof")},
    }
    write_report(out, sets, table, rows)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
