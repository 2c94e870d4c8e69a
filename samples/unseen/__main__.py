"""python -m samples.unseen --out DIR [--n 240] [--seed 11]"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter

from .build import generate


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m samples.unseen",
                                 description="Write the unseen evaluation set (images + .truth.json).")
    ap.add_argument("--out", required=True, help="output directory (created if missing)")
    ap.add_argument("--n", type=int, default=240, help="number of documents (default 240)")
    ap.add_argument("--seed", type=int, default=11, help="seed; the same seed gives the same files (default 11)")
    ap.add_argument("--quiet", action="store_true")
    args = ap.parse_args(argv)
    if args.n < 1:
        ap.error("--n must be at least 1")
    t0 = time.monotonic()

    def progress(i: int, n: int, truth: dict) -> None:
        if not args.quiet and (i % 20 == 0 or i == n):
            print(f"{i}/{n}  {time.monotonic() - t0:.0f}s", file=sys.stderr)

    truths = generate(args.out, n=args.n, seed=args.seed, progress=progress)
    kinds = Counter(t["kind"] for t in truths)
    print(f"wrote {len(truths)} documents to {args.out} in {time.monotonic() - t0:.1f}s: "
          + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items())))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
