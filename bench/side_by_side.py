"""Two `baoquan eval` reports side by side: our generator's set and the unseen set.

    python -m bench.side_by_side bench/results/eval-rapidocr.json bench/results/eval-unseen-rapidocr.json

Prints the Markdown tables the README carries: kind accuracy, fields exact per kind and
field (clean renders and gate-passed photos together), silent errors, and the
automation rate (fields auto-accepted and how many of those were right). The unseen
set is only ever reported this way: nothing is tuned on it.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path


def _fields_exact(report: dict) -> dict[tuple[str, str], tuple[int, int]]:
    """(kind, field) → (right, n) over clean renders and gate-passed degraded photos."""
    out = {}
    for kind, fields in report["fields"].items():
        for name, splits in fields.items():
            right = n = 0
            for s in splits.values():
                n += s["n"]
                right += round((s["exact"] or 0) * s["n"] / 100)
            out[(kind, name)] = (right, n)
    return out


def _pct(right: int, n: int) -> str:
    return f"{100 * right / n:.1f} % ({n})" if n else "– (0)"


def table(a: dict, b: dict, names: tuple[str, str]) -> str:
    rows = [f"| measure | {names[0]} | {names[1]} |", "| --- | --- | --- |"]
    rows.append(f"| files | {a['documents']} | {b['documents']} |")
    rows.append(f"| crashes | {len(a['crashes'])} | {len(b['crashes'])} |")
    ca, cb = a["classification"], b["classification"]
    rows.append(f"| kind right, all files and parts | {ca['accuracy']} % ({ca['n']}) | {cb['accuracy']} % ({cb['n']}) |")
    for kind in sorted(set(ca["per_kind"]) | set(cb["per_kind"])):
        ka, kb = ca["per_kind"].get(kind, {}), cb["per_kind"].get(kind, {})
        rows.append(f"| kind right: {kind} | {ka.get('accuracy', '–')} % ({ka.get('n', 0)}) | "
                    f"{kb.get('accuracy', '–')} % ({kb.get('n', 0)}) |")
    fa, fb = _fields_exact(a), _fields_exact(b)
    for key in sorted(set(fa) | set(fb)):
        rows.append(f"| exact: {key[0]}.{key[1]} | {_pct(*fa.get(key, (0, 0)))} | {_pct(*fb.get(key, (0, 0)))} |")
    rows.append(f"| silent errors (wrong, needs_review false) | {a['silent_errors']} of {a['field_count']} = "
                f"{a['silent_error_rate']} % | {b['silent_errors']} of {b['field_count']} = {b['silent_error_rate']} % |")
    auto_a, auto_b = a.get("automation") or {}, b.get("automation") or {}
    rows.append(f"| fields auto-accepted | {auto_a.get('auto_share', '–')} % | {auto_b.get('auto_share', '–')} % |")
    rows.append(f"| accuracy of auto-accepted fields | {auto_a.get('auto_accuracy', '–')} % | "
                f"{auto_b.get('auto_accuracy', '–')} % |")
    rows.append(f"| seconds per document | {a['seconds_per_document']} | {b['seconds_per_document']} |")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("ours", type=Path)
    p.add_argument("unseen", type=Path)
    p.add_argument("--names", nargs=2, default=("eval-data/ (our generator)", "unseen set"))
    args = p.parse_args(argv)
    a = json.loads(args.ours.read_text(encoding="utf-8"))
    b = json.loads(args.unseen.read_text(encoding="utf-8"))
    print(table(a, b, tuple(args.names)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
