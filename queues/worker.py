"""An RQ worker that runs a preload once per worker process, before its first fork.

RQ's default ``Worker`` forks a work-horse per job. The caller passes ``preload`` (the
service loads and warms the OCR engine there); it runs once in the parent, so each
work-horse inherits the loaded models copy-on-write and starts work immediately.
``SimpleWorker`` (``simple=True``) runs jobs in the worker process itself, keeping the
preload warm without forking — less isolation: a crashing job kills the worker, and the
job is recovered by the next worker's maintenance pass. ``bench/worker_overhead.py``
measures both.

The scheduler is always enabled: ``Retry(interval=…)`` needs it.
"""

from __future__ import annotations

import logging
import os
import socket
from typing import Any, Callable, Sequence

from redis import Redis
from rq import Queue, SimpleWorker, Worker

from queues import defaults

__all__ = ["make_worker", "run_worker", "worker_name"]

log = logging.getLogger(__name__)


def worker_name() -> str:
    """A name unique to this process on this host (RQ refuses two workers of one name)."""
    return f"baoquan-{socket.gethostname()}-{os.getpid()}"


def make_worker(connection: Redis, queue_names: Sequence[str] = (defaults.QUEUE_NAME,), simple: bool = False,
                name: str | None = None) -> Worker:
    cls = SimpleWorker if simple else Worker
    queues = [Queue(n, connection=connection) for n in queue_names]
    return cls(queues, connection=connection, name=name or worker_name(),
               maintenance_interval=defaults.WORKER_MAINTENANCE_INTERVAL)


def run_worker(connection: Redis, queue_names: Sequence[str] = (defaults.QUEUE_NAME,), simple: bool = False,
               burst: bool = False, preload: Callable[[], Any] | None = None,
               logging_level: str = "INFO") -> bool:
    """Run ``preload`` once, then work the queues until stopped (or empty, with ``burst``)."""
    if preload is not None:
        preload()
    worker = make_worker(connection, queue_names, simple=simple)
    return worker.work(burst=burst, with_scheduler=True, logging_level=logging_level, max_idle_time=None)
