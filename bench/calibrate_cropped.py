"""Cropping calibration: the outline and frame measures behind ``document_cropped`` on
every photo of labelled sets, with precision/recall of candidate rules.

Usage: python -m bench.calibrate_cropped DIR [DIR ...] [--out FILE]  (seed-7 sets, not the evaluation
set; one made with ``--degradations cropped`` supplies the positives)
Writes bench/results/cropped_calibration.json. Detector only, no recognition.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from bench.calibration_set import confusion, sets_and_out, working_copy, write_report
from extractors.orientation import get_orientation_detector
from extractors.pipeline import text_at_edge
from extractors.preprocess import find_document

OUT = Path(__file__).resolve().parent / "results" / "cropped_calibration.json"
SKIP = ("multiple", "other", "court_judgment")
CARD_KINDS = ("id_card_front", "id_card_back", "bank_card")


def measures(path: Path) -> dict | None:
    loaded = working_copy(path)
    if loaded is None:
        return None
    work, _ = loaded
    o = find_document(work)
    boxes = get_orientation_detector().boxes(work)
    return {"method": o.method, "border_contact": round(o.border_contact, 4), "area_ratio": round(o.area_ratio, 4),
            "text_at_edge": text_at_edge(boxes, work.shape)}


RULES = {
    "current": lambda r: r["border_contact"] >= 0.06 and (
        r["method"] == "edges" or (r["method"] == "segment" and (r["text_at_edge"] >= 1 or r["area_ratio"] >= 0.98))),
    "segment_contact_0.15": lambda r: r["border_contact"] >= 0.06 and (
        r["method"] == "edges" or (r["method"] == "segment" and (
            r["text_at_edge"] >= 1 or r["area_ratio"] >= 0.98 or r["border_contact"] >= 0.15))),
    "segment_contact_0.2": lambda r: r["border_contact"] >= 0.06 and (
        r["method"] == "edges" or (r["method"] == "segment" and (
            r["text_at_edge"] >= 1 or r["area_ratio"] >= 0.98 or r["border_contact"] >= 0.2))),
    "segment_contact_0.2_small": lambda r: r["border_contact"] >= 0.06 and (
        r["method"] == "edges" or (r["method"] == "segment" and (
            r["text_at_edge"] >= 1 or r["area_ratio"] >= 0.98
            or (r["border_contact"] >= 0.2 and r["area_ratio"] < 0.6)))),
    "edges_not_filling": lambda r: r["border_contact"] >= 0.06 and (
        (r["method"] == "edges" and r["area_ratio"] < 0.85)
        or (r["method"] == "segment" and (r["text_at_edge"] >= 1 or r["area_ratio"] >= 0.98))),
    "frame_text_cut": lambda r: (r["method"] == "frame" and r["text_at_edge"] >= 2) or (r["border_contact"] >= 0.06 and (
        r["method"] == "edges" or (r["method"] == "segment" and (r["text_at_edge"] >= 1 or r["area_ratio"] >= 0.98)))),
}


def main(argv: list[str]) -> int:
    sets, out = sets_and_out(argv, OUT)
    rows = []
    for root in sets:
        for tp in sorted(Path(root).glob("*.truth.json")):
            truth = json.loads(tp.read_text(encoding="utf-8"))
            if truth["kind"] in SKIP:
                continue
            m = measures(tp.with_name(tp.name.replace(".truth.json", ".jpg")))
            if m:
                rows.append({"file": str(tp), "kind": truth["kind"], "cropped": "document_cropped" in truth.get("expected_quality", []),
                             "degradations": truth.get("degradations"), **m})
    table = {}
    for name, outline_rule in RULES.items():
        def rule(r, outline_rule=outline_rule):  # cards: any text line cut by the frame, as in the pipeline
            return outline_rule(r) or (r["kind"] in CARD_KINDS and r["text_at_edge"] >= 1)
        table[name] = confusion(rows, rule, "cropped")
    write_report(out, sets, table, rows)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
