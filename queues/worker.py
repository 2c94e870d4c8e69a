"""An RQ worker that runs a preload once per worker process, before its first fork.

RQ's default ``Worker`` forks a work-horse per job. The caller passes ``preload`` (the
service loads and warms the OCR engine there); it runs once in the parent, so each
work-horse inherits the loaded models copy-on-write and starts work immediately.
``SimpleWorker`` (``simple=True``) runs jobs in the worker process itself, keeping the
preload warm without forking — less isolation: a crashing job kills the worker, and the
job is recovered by the next worker's maintenance pass. ``bench/worker_overhead.py``
measures both.

The scheduler is always enabled: ``Retry(interval=…)`` needs it.

A worker killed outright (SIGKILL, a lost host) leaves its job in RQ's started registry
until the job's heartbeat expires (about 90 s) and a maintenance pass notices. Each of our
workers therefore beats its own short liveness key (``ALIVE_TTL``) from a thread, and
sweeps, under a Redis lock so one worker does it at a time, for started jobs whose
worker's key is gone: such a job is dropped from RQ and handed to ``on_orphan`` (the
service re-enqueues its document), so a live worker takes it up within
``ALIVE_TTL + SWEEP_INTERVAL`` seconds of the kill.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from typing import Any, Callable, Sequence

from redis import Redis, RedisError
from rq import Queue, SimpleWorker, Worker
from rq.exceptions import NoSuchJobError
from rq.job import Job
from rq.registry import StartedJobRegistry

from queues import defaults

__all__ = ["make_worker", "run_worker", "worker_name", "alive_key", "sweep_orphans", "Liveness"]

ALIVE_PREFIX = "baoquan:alive:"
SWEEP_LOCK = "baoquan:sweep-lock"

log = logging.getLogger(__name__)


def worker_name() -> str:
    """A name unique to this process on this host (RQ refuses two workers of one name)."""
    return f"baoquan-{socket.gethostname()}-{os.getpid()}"


def alive_key(name: str) -> str:
    return ALIVE_PREFIX + name


def sweep_orphans(connection: Redis, queue_names: Sequence[str], on_orphan: Callable[[str], Any]) -> list[str]:
    """Drop started jobs whose worker no longer beats; ``on_orphan(job_id)`` for each.

    One sweeper at a time (a lock with a TTL: a sweeper that dies mid-sweep frees it).
    Returns the orphaned job ids.
    """
    if not connection.set(SWEEP_LOCK, worker_name(), nx=True, ex=defaults.SWEEP_INTERVAL):
        return []
    found: list[str] = []
    for name in queue_names:
        queue = Queue(name, connection=connection)
        registry = StartedJobRegistry(queue=queue)
        for job_id in registry.get_job_ids(cleanup=False):
            try:
                job = Job.fetch(job_id, connection=connection)
            except NoSuchJobError:
                registry.remove(job_id)
                continue
            owner = job.worker_name
            if not owner or connection.exists(alive_key(owner)):
                continue
            log.warning("job %s: its worker %s stopped beating; handing it back", job_id, owner)
            job.delete(remove_from_queue=True)
            found.append(job_id)
            on_orphan(job_id)
    return found


class Liveness(threading.Thread):
    """Beats ``alive_key(name)`` every ALIVE_INTERVAL and, with ``on_orphan``, sweeps every
    SWEEP_INTERVAL. Its own Redis client: the work-horses never share its socket."""

    def __init__(self, connection: Redis, name: str, queue_names: Sequence[str],
                 on_orphan: Callable[[str], Any] | None):
        super().__init__(name=f"liveness-{name}", daemon=True)
        pool = connection.connection_pool
        self.redis = Redis(connection_pool=type(pool)(connection_class=pool.connection_class, **pool.connection_kwargs))
        self.worker, self.queue_names, self.on_orphan = name, list(queue_names), on_orphan
        self.stopped = threading.Event()

    def run(self) -> None:
        since_sweep = defaults.SWEEP_INTERVAL  # sweep once at start-up: a restarted worker recovers at once
        while not self.stopped.is_set():
            try:
                self.redis.set(alive_key(self.worker), os.getpid(), ex=defaults.ALIVE_TTL)
                if self.on_orphan is not None and since_sweep >= defaults.SWEEP_INTERVAL:
                    since_sweep = 0
                    sweep_orphans(self.redis, self.queue_names, self.on_orphan)
            except RedisError:
                log.exception("liveness: Redis unavailable; trying again")
            except Exception:
                log.exception("liveness: sweep failed; trying again")
            self.stopped.wait(defaults.ALIVE_INTERVAL)
            since_sweep += defaults.ALIVE_INTERVAL

    def stop(self) -> None:
        self.stopped.set()
        try:
            self.redis.delete(alive_key(self.worker))
        except RedisError:
            pass


def make_worker(connection: Redis, queue_names: Sequence[str] = (defaults.QUEUE_NAME,), simple: bool = False,
                name: str | None = None) -> Worker:
    cls = SimpleWorker if simple else Worker
    queues = [Queue(n, connection=connection) for n in queue_names]
    return cls(queues, connection=connection, name=name or worker_name(),
               maintenance_interval=defaults.WORKER_MAINTENANCE_INTERVAL)


def run_worker(connection: Redis, queue_names: Sequence[str] = (defaults.QUEUE_NAME,), simple: bool = False,
               burst: bool = False, preload: Callable[[], Any] | None = None,
               logging_level: str = "INFO", on_orphan: Callable[[str], Any] | None = None,
               name: str | None = None) -> bool:
    """Run ``preload`` once, then work the queues until stopped (or empty, with ``burst``),
    beating liveness and sweeping for orphaned jobs (``on_orphan``) meanwhile."""
    if preload is not None:
        preload()
    worker = make_worker(connection, queue_names, simple=simple, name=name)
    liveness = Liveness(connection, worker.name, queue_names, on_orphan)
    liveness.start()
    try:
        return worker.work(burst=burst, with_scheduler=True, logging_level=logging_level, max_idle_time=None)
    finally:
        liveness.stop()
