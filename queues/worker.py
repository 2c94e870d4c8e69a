"""An RQ worker that loads the OCR engine once per worker process, not once per job.

RQ's default ``Worker`` forks a work-horse per job. We construct the engine and run the
whole pipeline once on a generated card in the parent before the first fork; each
work-horse inherits the loaded, warmed-up models copy-on-write and starts OCR
immediately. ``SimpleWorker`` (``--simple``) runs jobs in the worker process itself,
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

from intake import defaults
from intake.logs import setup_logging
from intake.runtime import get_runtime

__all__ = ["preload_engine", "make_worker", "run_worker"]

log = logging.getLogger(__name__)


WARMUP_FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"


def _warmup_image() -> bytes:
    """A card-sized PNG with a few text lines (CJK when the Noto font is installed)."""
    import io
    from pathlib import Path

    from PIL import Image, ImageDraw, ImageFont

    cjk = Path(WARMUP_FONT).exists()
    font = ImageFont.truetype(WARMUP_FONT, 40) if cjk else ImageFont.load_default(size=40)
    lines = ("姓名 预热", "性别 男 民族 汉", "住址 北京市东城区 1 号") if cjk else ("WARM UP", "0123456789", "ABCDEF")
    im = Image.new("RGB", (1000, 630), (235, 235, 228))
    d = ImageDraw.Draw(im)
    for i, text in enumerate(lines):
        d.text((60, 80 + 140 * i), text, font=font, fill=(20, 20, 20))
    buf = io.BytesIO()
    im.save(buf, "PNG")
    return buf.getvalue()


def preload_engine(name: str):
    """Construct the process-wide engine and run the whole pipeline once; returns the engine.

    One full run (not just the engine on a blank image) matters for forked work-horses:
    ONNX Runtime sizes its buffers and the pipeline initialises lazily on first use, and a
    child's warm-up is lost when it exits. Measured on the 2-core dev box (load ~8): a
    forked child's pipeline took 3.6–4.0 s after a blank-image warm-up, 1.6 s after this one.
    """
    from extractors.ocr import get_engine
    from extractors.pipeline import extract

    engine = get_engine(name)
    quiet = logging.getLogger("RapidOCR")
    was = quiet.disabled
    quiet.disabled = True
    try:
        extract(_warmup_image(), "warmup.png", engine)
    finally:
        quiet.disabled = was
    return engine


def make_worker(simple: bool = False, name: str | None = None):
    rt = get_runtime()
    cls = SimpleWorker if simple else Worker
    name = name or f"baoquan-{socket.gethostname()}-{os.getpid()}"
    return cls([rt.queue], connection=rt.redis, name=name,
               maintenance_interval=defaults.WORKER_MAINTENANCE_INTERVAL)


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
