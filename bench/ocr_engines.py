"""Benchmark: each OCR engine through the whole pipeline, in its own process.

Per engine: construction time, seconds per document (warm) over the committed samples,
and the process's peak RSS. Each engine runs in a fresh subprocess so one engine's
memory does not inflate the other's figure. Writes bench/results/ocr_engines.json.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "results" / "ocr_engines.json"

CHILD = r"""
import json, resource, sys, time
from pathlib import Path
t = time.perf_counter()
from extractors.ocr import create_engine
engine = create_engine(sys.argv[1], Path(sys.argv[2]))
construct = time.perf_counter() - t
from extractors.pipeline import extract_path
files = sys.argv[3:]
extract_path(files[0], engine)  # warm-up
times = []
for f in files:
    t = time.perf_counter()
    extract_path(f, engine)
    times.append(time.perf_counter() - t)
print(json.dumps({"engine": sys.argv[1], "construct_s": round(construct, 3), "documents": len(files),
                  "seconds_per_document": round(sum(times) / len(times), 3),
                  "max_seconds": round(max(times), 3),
                  "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}))
"""


def sample_files(limit: int = 24) -> list[str]:
    docs = sorted(p for p in (ROOT / "samples" / "docs").glob("*") if p.suffix.lower() in (".jpg", ".png", ".pdf"))
    return [str(p) for p in docs[:limit]]


def main() -> int:
    files = sample_files()
    if not files:
        print("bench: no samples under samples/docs", file=sys.stderr)
        return 1
    results = []
    for name in ("rapidocr", "paddleocr"):
        proc = subprocess.run([sys.executable, "-c", CHILD, name, str(ROOT / "var" / "models"), *files],
                              capture_output=True, text=True, cwd=ROOT)
        if proc.returncode != 0:
            print(proc.stderr[-3000:], file=sys.stderr)
            return 1
        results.append(json.loads(proc.stdout.strip().splitlines()[-1]))
        print(results[-1])
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps({"files": len(files), "engines": results}, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
