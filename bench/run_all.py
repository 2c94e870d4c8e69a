"""`make bench`: every benchmark in turn (they share two cores, so never in parallel)."""

from __future__ import annotations

import importlib
import sys

BENCHES = ["bench.ocr_engines", "bench.worker_overhead", "bench.quick_check"]


def main() -> int:
    rc = 0
    for name in BENCHES:
        print(f"== {name}", file=sys.stderr)
        mod = importlib.import_module(name)
        rc |= int(mod.main() or 0)
    return rc


if __name__ == "__main__":
    sys.exit(main())
