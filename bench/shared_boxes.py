"""What sharing the working copy's detector boxes did to one evaluation set (issue 17).

    python -m bench.shared_boxes BEFORE.json AFTER.json

Two `baoquan eval` reports of the same files, before and after the shared boxes: how many
documents kept them and how many were read again (``measurements.shared_boxes``), every
row whose kind, orientation, quality verdict or wrong fields moved, and, on the documents
that kept the shared boxes, the after ÷ before ratio of each quality measure read in the
text boxes (text height, sharpness, text contrast, occlusion): the shared boxes are looser,
and the quality gate measures in them.
"""

from __future__ import annotations

import argparse
import json
import statistics
from collections import Counter
from pathlib import Path

#: quality measures taken inside the text lines' boxes
BOX_MEASURES = ("text_height_px", "sharpness", "text_contrast", "occlusion")
#: what a row says about the reading, compared file by file
ROW_KEYS = ("found_kind", "found_orientation", "found_quality", "quality_ok", "wrong_fields", "parts")


def compare(before: dict, after: dict) -> dict:
    a = {r["file"]: r for r in before["rows"]}
    b = {r["file"]: r for r in after["rows"]}
    used = Counter((r.get("measurements") or {}).get("shared_boxes") or "own pass" for r in b.values())
    moved = [{"file": f, "what": k, "before": a[f].get(k), "after": r.get(k)}
             for f, r in sorted(b.items()) if f in a for k in ROW_KEYS if a[f].get(k) != r.get(k)]
    ratios: dict[str, list[float]] = {m: [] for m in BOX_MEASURES}
    for f, r in b.items():
        mb, ma = r.get("measurements") or {}, (a.get(f) or {}).get("measurements") or {}
        if mb.get("shared_boxes") != "kept":
            continue
        for m in BOX_MEASURES:
            if ma.get(m) and mb.get(m) is not None:
                ratios[m].append(mb[m] / ma[m])
    spread = {m: {"n": len(v), "min": round(min(v), 2), "median": round(statistics.median(v), 2),
                  "max": round(max(v), 2)} for m, v in ratios.items() if v}
    return {"documents": len(b), "shared_boxes": dict(used), "moved": moved, "after_over_before": spread}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("before", type=Path)
    p.add_argument("after", type=Path)
    args = p.parse_args(argv)
    out = compare(*(json.loads(x.read_text(encoding="utf-8")) for x in (args.before, args.after)))
    print(json.dumps(out, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
