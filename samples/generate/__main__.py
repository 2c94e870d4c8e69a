"""python -m samples.generate --out DIR --n 400 --seed 1 [--kinds ...] [--sheets 100] [--clean-ratio 0.3]"""

from __future__ import annotations

import argparse
import sys
import time

from . import KINDS, generate_set
from .fonts import FontsMissing
from .photo import DEGRADATIONS


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m samples.generate",
                                 description="Write a deterministic labelled set of synthetic documents.")
    ap.add_argument("--out", required=True, help="output directory")
    ap.add_argument("--n", type=int, default=400, help="number of single documents")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--kinds", nargs="+", choices=KINDS, help="restrict to these kinds")
    ap.add_argument("--sheets", type=int, default=0, help="number of multi-document files in addition")
    ap.add_argument("--clean-ratio", type=float, default=0.3, help="share of flat clean scans")
    ap.add_argument("--include-inconsistent", action="store_true",
                    help="also render ID fronts whose printed data disagrees with the number")
    ap.add_argument("--degradations", nargs="+", metavar="NAME[:mild|strong]",
                    help=f"force these degradations on every photo, no clean scans ({', '.join(DEGRADATIONS)})")
    a = ap.parse_args(argv)
    t0 = time.time()
    try:
        idx = generate_set(a.out, a.n, a.seed, kinds=a.kinds, sheets=a.sheets, clean_ratio=a.clean_ratio,
                           include_inconsistent=a.include_inconsistent, degradations=a.degradations)
    except FontsMissing as e:
        print(f"error: {e}", file=sys.stderr)
        return 3
    print(f"wrote {len(idx)} files to {a.out} in {time.time() - t0:.1f}s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
