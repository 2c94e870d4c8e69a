"""An RQ worker that loads the OCR engine once per worker process, not once per job.

RQ's default ``Worker`` forks a work-horse per job. We construct the engine (and run it
once on a blank image, so ONNX Runtime's lazy allocations happen) in the parent before
the first fork; each work-horse inherits the loaded models copy-on-write and starts
OCR immediately. ``SimpleWorker`` (``--simple``) runs jobs in the worker process itself,
keeping the engine warm without forking — less isolation: a crashing job kills the
worker, and the job is recovered by the next worker's maintenance pass.
``bench_overhead.py`` measures both.

The scheduler is always enabled: ``Retry(interval=…)`` needs it.
"""

from __future__ import annotations

import logging
import os
import socket

from rq import SimpleWorker, Worker

from intake.logs import setup_logging
from intake.runtime import get_runtime

__all__ = ["preload_engine", "make_worker", "run_worker"]

log = logging.getLogger(__name__)


def preload_engine(name: str):
    """Construct the process-wide engine and run it once; returns it."""
    import numpy as np

    from extractors.ocr import get_engine

    engine = get_engine(name)
    blank = np.full((64, 256, 3), 255, dtype=np.uint8)
    engine(blank)
    return engine


def make_worker(simple: bool = False, name: str | None = None):
    rt = get_runtime()
    cls = SimpleWorker if simple else Worker
    name = name or f"baoquan-{socket.gethostname()}-{os.getpid()}"
    return cls([rt.queue], connection=rt.redis, name=name)


def run_worker(simple: bool = False, burst: bool = False, preload: bool = True,
               logging_level: str = "INFO") -> bool:
    setup_logging(logging_level)
    rt = get_runtime()
    rt.settings.ensure_dirs()
    rt.db.migrate()
    rt.db.dispose()  # children make their own connections
    if preload:
        preload_engine(rt.settings.ocr_engine)
        log.info("OCR engine %s loaded in worker %s", rt.settings.ocr_engine, os.getpid())
    worker = make_worker(simple=simple)
    return worker.work(burst=burst, with_scheduler=True, logging_level=logging_level,
                       max_idle_time=None)
