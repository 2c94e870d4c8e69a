"""`make bench`: every benchmark in turn (they share two cores, so never in parallel).

Each runs with its default sizes (an explicit empty argument list, so whatever
``run_all`` itself was given never reaches their argument parsers) and writes its own
``bench/results/*.json``:

- ``bench.ocr_engines``     the OCR engines side by side
- ``bench.worker_overhead`` what a queued job costs beyond the pipeline
- ``bench.quick_check``     the agent's quick check: latency and agreement
- ``bench.throughput``      documents per minute through the real queue, 1 and 2 workers
                            (PostgreSQL at 127.0.0.1:5432, Debian's redis-server)
- ``bench.upload_api``      upload API p50/p95 with 20 concurrent uploaders

The loopback load run (``bench.load_run``, 500 documents through the whole system) is not
part of it: it takes long enough to be run on its own.
"""

from __future__ import annotations

import importlib
import inspect
import sys

BENCHES = ["bench.ocr_engines", "bench.worker_overhead", "bench.quick_check", "bench.throughput", "bench.upload_api"]


def main() -> int:
    rc = 0
    for name in BENCHES:
        print(f"== {name}", file=sys.stderr)
        mod = importlib.import_module(name)
        takes_argv = bool(inspect.signature(mod.main).parameters)
        rc |= int((mod.main([]) if takes_argv else mod.main()) or 0)
    return rc


if __name__ == "__main__":
    sys.exit(main())
