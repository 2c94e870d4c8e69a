"""How well sheets are split into their documents, without running the recogniser.

``python -m bench.calibrate_split DIR [--out FILE]`` runs the pipeline's region finding
(``extractors.pipeline.find_regions``: outline, flattening, card regions, the detector's
text boxes) on every file of a generated set and compares it with the truth:

- on multi-document files, the expected parts covered by a found region (IoU ≥ 0.5, as
  ``baoquan eval`` matches them) and the sheets with a region matching no part (phantoms);
- on single documents, the files wrongly split into several regions.

It takes about 0.3 s per file, so a change to the splitter can be judged on the whole
evaluation set in a few minutes before the full ``baoquan eval`` confirms it.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np

from extractors.defaults import PDF_RASTER_DPI
from extractors.load import load_bytes
from extractors.pipeline import find_regions
from intake.commands.evaluate import TRUTH_PDF_DPI, _match_parts


def _regions(path: Path) -> list[dict]:
    """Found regions in truth pixels, one dict per region, with their page."""
    loaded = load_bytes(path.read_bytes())
    to_truth = TRUTH_PDF_DPI / PDF_RASTER_DPI if path.suffix.lower() == ".pdf" else 1.0
    out = []
    for page in loaded.pages:
        if page.text_lines:
            out.append({"page": page.number, "region": None})
            continue
        r = find_regions(page.image)
        if not r.quads:
            out.append({"page": page.number, "region": None})
        for q in r.quads:
            pts = np.asarray(q, float) / r.scale * to_truth
            out.append({"page": page.number, "region": pts.tolist()})
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.calibrate_split")
    ap.add_argument("root", type=Path)
    ap.add_argument("--out", type=Path, default=Path("bench/results/split_calibration.json"))
    a = ap.parse_args(argv)
    t0 = time.perf_counter()
    rows = []
    expected = found = sheets = phantom_sheets = singles = false_splits = 0
    for tp in sorted(a.root.glob("*.truth.json")):
        truth = json.loads(tp.read_text(encoding="utf-8"))
        path = tp.with_name(truth["file"])
        regions = _regions(path)
        with_region = [r for r in regions if r["region"] is not None]
        if truth["kind"] == "multiple":
            parts = truth.get("parts", [])
            pairs = _match_parts(parts, with_region)
            matched = sum(j is not None for _, j in pairs)
            phantom = len(with_region) > matched
            sheets += 1
            expected += len(parts)
            found += matched
            phantom_sheets += int(phantom)
            rows.append({"file": truth["file"], "parts": len(parts), "matched": matched, "regions": len(with_region),
                         "phantom": phantom})
        else:
            singles += 1
            split = len(with_region) > 0
            false_splits += int(split)
            if split:
                rows.append({"file": truth["file"], "kind": truth["kind"], "regions": len(with_region)})
    table = {
        "sheets": sheets,
        "parts_found_pct": round(100 * found / expected, 2) if expected else None,
        "parts_missed": expected - found,
        "sheets_without_phantom_pct": round(100 * (1 - phantom_sheets / sheets), 2) if sheets else None,
        "single_documents": singles,
        "single_documents_split": false_splits,
        "seconds": round(time.perf_counter() - t0, 1),
    }
    a.out.parent.mkdir(parents=True, exist_ok=True)
    a.out.write_text(json.dumps({"set": str(a.root), "table": table, "rows": rows}, indent=1, ensure_ascii=False),
                     encoding="utf-8")
    for k, v in table.items():
        print(k, v)
    for r in rows:
        if r.get("matched", 0) < r.get("parts", 0) or r.get("phantom") or "kind" in r:
            print(" ", r)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
