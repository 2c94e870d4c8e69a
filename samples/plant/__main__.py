"""``python -m samples.plant DIR [--n 336] [--seed S] [--images] [--limit-images K]``."""

from __future__ import annotations

import argparse
import sys

from samples.plant.write import write_suite


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m samples.plant", description=__doc__)
    p.add_argument("dir")
    p.add_argument("--n", type=int, default=336)
    p.add_argument("--seed", type=int, default=20261125)
    p.add_argument("--images", action="store_true", help="render document images (slow)")
    p.add_argument("--limit-images", type=int, default=None, help="render images for the first K cases only")
    a = p.parse_args(argv)
    paths = write_suite(a.dir, a.n, a.seed, images=a.images, limit_images=a.limit_images)
    print(f"wrote {len(paths)} cases to {a.dir}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
