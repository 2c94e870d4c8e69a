"""Markdown table comparing engines from two `baoquan eval --json` reports on the same set.

Usage: python -m bench.compare_engines REPORT.json REPORT.json ...
"""

from __future__ import annotations

import json
import sys


def _fields(r: dict) -> tuple[float, int, float, int]:
    tot = ok = cl = clok = 0.0
    for fs in r["fields"].values():
        for sp in fs.values():
            for split, v in sp.items():
                n, acc = v["n"], (v["exact"] or 0) / 100
                tot += n
                ok += acc * n
                if split == "clean":
                    cl += n
                    clok += acc * n
    return 100 * ok / tot, int(tot), 100 * clok / cl, int(cl)


def table(reports: list[dict]) -> str:
    out = ["| engine | documents | fields exact, all (n) | fields exact, clean (n) | silent errors | classified right | "
           "quality codes right (tp / tp+fp+fn) | s / document | OCR stage ms (median) | peak RSS MB |",
           "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for r in reports:
        a, n, c, cn = _fields(r)
        q = r["quality"]
        tp = sum(v["tp"] for v in q.values())
        allq = sum(v["tp"] + v["fp"] + v["fn"] for v in q.values())
        out.append(
            f"| `{r['engine']}` | {r['processed']} | {a:.2f} % ({n}) | {c:.2f} % ({cn}) | "
            f"{r['silent_errors']} ({r['silent_error_rate']} %) | {r['classification']['accuracy']} % | "
            f"{tp} / {allq} | {r['seconds_per_document']} | {r['timings']['ocr']['median_ms']} | {r['peak_rss_mb']} |")
    return "\n".join(out)


if __name__ == "__main__":
    print(table([json.load(open(p, encoding="utf-8")) for p in sys.argv[1:]]))
